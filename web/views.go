package web

// The web side's view of the API's JSON answers: only the fields pages
// show. The shapes are those of openapi/openapi.yaml.

// vendorView is a vendor (get-vendor).
type vendorView struct {
	ID            string       `json:"id"`
	LegalName     string       `json:"legal_name"`
	TradingName   string       `json:"trading_name"`
	VATNumber     string       `json:"vat_number"`
	Country       string       `json:"country"`
	EstablishedIn []string     `json:"established_in"`
	Size          string       `json:"size"`
	Website       string       `json:"website"`
	Contact       *contactView `json:"contact"`
	Status        string       `json:"status"`
	Version       int64        `json:"version"`
	CreatedAt     string       `json:"created_at"`
}

// contactView is a vendor's contact, shown to the vendor and staff only.
type contactView struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// offeringView is an offering (get-offering).
type offeringView struct {
	ID          string            `json:"id"`
	VendorID    string            `json:"vendor_id"`
	Name        string            `json:"name"`
	Category    string            `json:"category"`
	Summary     map[string]string `json:"summary"`
	Description map[string]string `json:"description"`
	Delivery    string            `json:"delivery"`
	Countries   []string          `json:"countries"`
	Languages   []string          `json:"languages"`
	// DataLocations are where customer data is kept.
	DataLocations []string `json:"data_locations"`
	Status        string   `json:"status"`
	Version       int64    `json:"version"`
}

// certificationView is a certification (get-certification).
type certificationView struct {
	ID           string   `json:"id"`
	VendorID     string   `json:"vendor_id"`
	Scheme       string   `json:"scheme"`
	Level        string   `json:"level"`
	Number       string   `json:"number"`
	Issuer       string   `json:"issuer"`
	ValidFrom    string   `json:"valid_from"`
	ValidUntil   string   `json:"valid_until"`
	EvidenceURL  string   `json:"evidence_url"`
	OfferingIDs  []string `json:"offering_ids"`
	Status       string   `json:"status"`
	StatusReason string   `json:"status_reason"`
	ValidToday   bool     `json:"valid_today"`
	Version      int64    `json:"version"`
}

// page of a list operation.
type listOf[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// searchResults is a page of search-offerings.
type searchResults struct {
	Hits   []searchHit                 `json:"hits"`
	Total  int64                       `json:"total"`
	Facets map[string]map[string]int64 `json:"facets"`
	Offset int                         `json:"offset"`
	Limit  int                         `json:"limit"`
	Next   string                      `json:"next_cursor"`
}

// searchHit is one hit of a search.
type searchHit struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Category     string            `json:"category"`
	CategoryName string            `json:"category_name"`
	Summary      map[string]string `json:"summary"`
	Delivery     string            `json:"delivery"`
	Countries    []string          `json:"countries"`
	Languages    []string          `json:"languages"`
	Vendor       struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Country string `json:"country"`
		Size    string `json:"size"`
	} `json:"vendor"`
	Certifications []struct {
		Scheme     string `json:"scheme"`
		Level      string `json:"level"`
		Verified   bool   `json:"verified"`
		ValidUntil string `json:"valid_until"`
	} `json:"certifications"`
	Eligibility struct {
		Buyer     string   `json:"buyer"`
		Countries []string `json:"countries"`
	} `json:"eligibility"`
}

// assessmentList is get-offering-assessment.
type assessmentList struct {
	Assessments []assessment `json:"assessments"`
}

// assessment is one country and buyer kind of an offering.
type assessment struct {
	Country          string `json:"country"`
	Buyer            string `json:"buyer"`
	Eligible         bool   `json:"eligible"`
	EligibleVerified bool   `json:"eligible_verified"`
	// Basis is what an eligible answer rests on: none-required,
	// self-declared or verified ("" when not eligible).
	Basis        string              `json:"basis"`
	Requirements []requirementResult `json:"requirements"`
	Gap          struct {
		Schemes []struct {
			Scheme              string      `json:"scheme"`
			Name                string      `json:"name"`
			Level               string      `json:"level"`
			CostRangeEUR        *costRange  `json:"cost_range_eur"`
			LeadTimeRangeMonths *monthRange `json:"lead_time_range_months"`
		} `json:"schemes"`
		TotalCostRangeEUR   *costRange  `json:"total_cost_range_eur"`
		LeadTimeRangeMonths *monthRange `json:"lead_time_range_months"`
		NotClosable         []struct {
			Requirement string `json:"requirement"`
			Reason      string `json:"reason"`
		} `json:"not_closable"`
	} `json:"gap"`
}

// requirementResult is the outcome of one requirement.
type requirementResult struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Scope    string `json:"scope"`
	Strength string `json:"strength"`
	Binding  bool   `json:"binding"`
	Status   string `json:"status"`
	MetBy    []struct {
		Certification string `json:"certification"`
		Scheme        string `json:"scheme"`
		Level         string `json:"level"`
		Verified      bool   `json:"verified"`
		// ValidUntil is filled in from the certification, for the page.
		ValidUntil string `json:"-"`
	} `json:"met_by"`
	UnmetConditions []struct {
		Reason string `json:"reason"`
	} `json:"unmet_conditions"`
}

// keyView is get-current-key.
type keyView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	VendorID string `json:"vendor_id"`
}

// Reference lists.

type countryRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type categoryRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type schemeRef struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Status string   `json:"status"`
	Levels []string `json:"levels"`
}

// barriersReport is get-barriers.
type barriersReport struct {
	Day       string       `json:"day"`
	Reference string       `json:"reference_version"`
	Rows      []barrierRow `json:"rows"`
}

// barrierRow is one country, category and buyer kind of get-barriers.
type barrierRow struct {
	Country             string   `json:"country"`
	Category            string   `json:"category"`
	Buyer               string   `json:"buyer"`
	Requirements        int      `json:"requirements"`
	BindingRequirements int      `json:"binding_requirements"`
	Offerings           int      `json:"offerings"`
	Serving             int      `json:"serving"`
	Eligible            int      `json:"eligible"`
	EligibleVerified    int      `json:"eligible_verified"`
	ShareEligible       *float64 `json:"share_eligible"`
	MedianGapCostEUR    *float64 `json:"median_gap_cost_eur"`
	NotClosable         int      `json:"not_closable"`
	TopBarrier          *struct {
		Requirement string `json:"requirement"`
		Title       string `json:"title"`
		Excluded    int    `json:"excluded"`
	} `json:"top_barrier"`
	Intervals struct {
		ShareEligible proportion `json:"share_eligible"`
	} `json:"intervals"`
	// Coverage: national-rules, researched-no-national-rule or not-researched.
	Coverage string `json:"coverage"`
}

// proportion is a share's n and 95% Wilson interval (get-barriers).
type proportion struct {
	N      int      `json:"n"`
	Low    *float64 `json:"low"`
	High   *float64 `json:"high"`
	SmallN bool     `json:"small_n"`
}

// roadmap is get-vendor-roadmap.
type roadmap struct {
	Countries   []string        `json:"countries"`
	Budget      *int            `json:"budget_eur"`
	Cells       int             `json:"cells"`
	Eligible    int             `json:"eligible"`
	Unreachable int             `json:"unreachable"`
	BeyondPairs int             `json:"beyond_pairs"`
	Options     []roadmapOption `json:"options"`
	Steps       []struct {
		Schemes           []schemeLevel `json:"schemes"`
		CostRangeEUR      costRange     `json:"cost_range_eur"`
		Markets           int           `json:"markets"`
		TotalCostRangeEUR costRange     `json:"total_cost_range_eur"`
		Eligible          int           `json:"eligible"`
	} `json:"steps"`
	UnknownCost []roadmapOption `json:"unknown_cost"`
}

// roadmapOption is a scheme or pair of schemes and the markets it opens.
type roadmapOption struct {
	Schemes             []schemeLevel `json:"schemes"`
	CostRangeEUR        *costRange    `json:"cost_range_eur"`
	LeadTimeRangeMonths *monthRange   `json:"lead_time_range_months"`
	Markets             int           `json:"markets"`
}

// costRange is a cost range in euros.
type costRange struct {
	LowEUR  int `json:"low_eur"`
	HighEUR int `json:"high_eur"`
}

// monthRange is a lead time range in months.
type monthRange struct {
	LowMonths  float64 `json:"low_months"`
	HighMonths float64 `json:"high_months"`
}

// schemeLevel is a scheme at a level.
type schemeLevel struct {
	Scheme string `json:"scheme"`
	Level  string `json:"level"`
}

// countryView is get-country.
type countryView struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Membership string   `json:"membership"`
	Languages  []string `json:"languages"`
	Authority  struct {
		Name         string `json:"name"`
		Abbreviation string `json:"abbreviation"`
		URL          string `json:"url"`
	} `json:"authority"`
	NIS2 struct {
		Status     string     `json:"status"`
		InForce    string     `json:"in_force"`
		AsOf       string     `json:"as_of"`
		Instrument string     `json:"instrument"`
		Source     sourceView `json:"source"`
	} `json:"nis2"`
	Notes   []string     `json:"notes"`
	Sources []sourceView `json:"sources"`
}

// sourceView is where a reference fact comes from.
type sourceView struct {
	URL            string `json:"url"`
	LegalReference string `json:"legal_reference"`
	AsOf           string `json:"as_of"`
	Verified       string `json:"verified"`
	// InForceConfirmed: the check date an older source's rule was confirmed
	// still in force on.
	InForceConfirmed string `json:"in_force_confirmed"`
}

// requirementView is one requirement of list-country-requirements.
type requirementView struct {
	ID          string   `json:"id"`
	Scope       string   `json:"scope"`
	Title       string   `json:"title"`
	Summary     string   `json:"summary"`
	Categories  []string `json:"categories"`
	Buyers      []string `json:"buyers"`
	Strength    string   `json:"strength"`
	Status      string   `json:"status"`
	Binding     *bool    `json:"binding"`
	SatisfiedBy []struct {
		Scheme   string `json:"scheme"`
		MinLevel string `json:"min_level"`
		Extent   string `json:"extent"`
	} `json:"satisfied_by"`
	Conditions []struct {
		Kind string `json:"kind"`
		Note string `json:"note"`
	} `json:"conditions"`
	Source sourceView `json:"source"`
}

// whatIfReport is run-what-if.
type whatIfReport struct {
	Day  string `json:"day"`
	Rows []struct {
		Country   string `json:"country"`
		Category  string `json:"category"`
		Buyer     string `json:"buyer"`
		Offerings int    `json:"offerings"`
		Before    int    `json:"before"`
		After     int    `json:"after"`
		Change    int    `json:"change"`
	} `json:"rows"`
	// Changed names the offerings whose eligibility the scenario changes
	// (the API's first 50), ChangedTotal counts them all.
	Changed []struct {
		Offering string          `json:"offering"`
		Name     string          `json:"name"`
		Vendor   string          `json:"vendor"`
		Opened   []marketRefView `json:"opened"`
		Closed   []marketRefView `json:"closed"`
	} `json:"changed"`
	ChangedTotal int `json:"changed_total"`
	// Warnings are recognitions that cannot change anything, in words.
	Warnings []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"warnings"`
}

// marketRefView is a country and buyer kind a what-if opens or closes.
type marketRefView struct {
	Country string `json:"country"`
	Buyer   string `json:"buyer"`
}
