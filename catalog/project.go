package catalog

import (
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Project is a buyer's procurement project: what it looks for, where, the
// searches it ran and its shortlist, until it is locked. A locked project
// is frozen in its Snapshot; nothing about it changes afterwards but its
// Outcome, recorded once.
type Project struct {
	ID      uuid.UUID `json:"id"`
	BuyerID uuid.UUID `json:"buyer_id"`
	Title   string    `json:"title" validate:"required,notblank,max=300"`
	// Category is the service category (reference taxonomy slug).
	Category string `json:"category" validate:"required,slug"`
	// CPVCodes are Common Procurement Vocabulary codes with check digit.
	CPVCodes []string `json:"cpv_codes" validate:"max=50,dive,cpv"`
	// Country is where the services are performed (ISO 3166-1 alpha-2).
	Country   string    `json:"country" validate:"required,country"`
	BuyerKind Ownership `json:"buyer_kind" validate:"required,oneof=public private"`
	Lots      []Lot     `json:"lots" validate:"max=100,dive"`
	// Context states tender-context facts of the burden engine, such as
	// "health_data_hosted", or "-security_sensitive" to state one off; the
	// facts not listed take their category default. The API checks the
	// names against the engine's facts.
	Context []string `json:"context" validate:"max=50,dive,fact"`
	// Seed breaks ties in the ranking of results, per project.
	Seed     []byte     `json:"-"`
	LockedAt *time.Time `json:"locked_at"`
	// SHA256 is the digest of the locked snapshot; empty until locked.
	SHA256    string    `json:"sha256"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Lot is one lot of a project.
type Lot struct {
	ID    string `json:"id" validate:"required,notblank,max=50"`
	Title string `json:"title" validate:"required,notblank,max=300"`
}

// Clean puts p in canonical form and checks it. It returns *ValidationError.
func (p *Project) Clean() error {
	p.Title = trim(p.Title)
	p.Category = lowerTrim(p.Category)
	p.CPVCodes = each(p.CPVCodes, trim)
	p.Country = upperTrim(p.Country)
	p.Context = each(p.Context, lowerTrim)
	for i := range p.Lots {
		p.Lots[i].ID, p.Lots[i].Title = trim(p.Lots[i].ID), trim(p.Lots[i].Title)
	}
	if err := Validate(p); err != nil {
		return err
	}
	p.CPVCodes, p.Context = set(p.CPVCodes), set(p.Context)
	if p.Lots == nil {
		p.Lots = []Lot{}
	}
	return nil
}

// Locked reports whether the project's results are frozen.
func (p Project) Locked() bool { return p.LockedAt != nil }

// SavedSearch is a search a buyer ran for a project: the query and its filters.
type SavedSearch struct {
	ID        uuid.UUID `json:"id"`
	Query     string    `json:"query" validate:"max=500"`
	Filters   Filters   `json:"filters" validate:"max=20"`
	CreatedAt time.Time `json:"created_at"`
}

// Filters are a search's filters by name, such as country=DE.
type Filters map[string]string

// Choice is whether a shortlisted offering is in or out.
type Choice string

// The decisions.
const (
	Included Choice = "included"
	Excluded Choice = "excluded"
)

// ShortlistEntry is an offering on a project's shortlist, with the buyer's
// note: why it is included, or why it is excluded (required then).
type ShortlistEntry struct {
	OfferingID uuid.UUID `json:"offering_id"`
	Decision   Choice    `json:"decision" validate:"required,oneof=included excluded"`
	Note       string    `json:"note" validate:"max=2000"`
	AddedAt    time.Time `json:"added_at"`
}

// Clean checks e: an exclusion gives its reason. It returns *ValidationError.
func (e *ShortlistEntry) Clean() error {
	e.Note = trim(e.Note)
	if err := Validate(e); err != nil {
		return err
	}
	if e.Decision == Excluded && e.Note == "" {
		return Invalid("note", "must say why the offering is excluded", nil)
	}
	return nil
}

// Snapshot is the frozen record of a locked project: Body is canonical JSON
// exactly as hashed, SHA256 its hex digest.
type Snapshot struct {
	ProjectID uuid.UUID
	LockedAt  time.Time
	Body      []byte
	SHA256    string
}

// Outcome is what came of a locked project: an award to an offering of its
// shortlist, or no award with the reason.
type Outcome struct {
	Awarded    bool       `json:"awarded"`
	OfferingID uuid.UUID  `json:"offering_id"`
	ValueEUR   *int64     `json:"value_eur"`
	StartsOn   *time.Time `json:"starts_on"`
	EndsOn     *time.Time `json:"ends_on"`
	Reason     string     `json:"reason"`
	RecordedAt time.Time  `json:"recorded_at"`
}

// Clean checks o: an award names its offering, no award gives its reason,
// the contract ends after it starts. It returns *ValidationError.
func (o *Outcome) Clean() error {
	o.Reason = trim(o.Reason)
	switch {
	case o.Awarded && o.OfferingID == uuid.Nil:
		return Invalid("offering_id", "is required for an award", nil)
	case !o.Awarded && o.OfferingID != uuid.Nil:
		return Invalid("offering_id", "is only for an award", o.OfferingID.String())
	case !o.Awarded && o.Reason == "":
		return Invalid("reason", "must say why nothing was awarded", nil)
	case utf8.RuneCountInString(o.Reason) > 2000: // characters, as the database counts
		return Invalid("reason", "must be at most 2000 characters long", nil)
	case o.ValueEUR != nil && *o.ValueEUR < 0:
		return Invalid("value_eur", "must not be negative", *o.ValueEUR)
	case o.StartsOn != nil && o.EndsOn != nil && o.EndsOn.Before(*o.StartsOn):
		return Invalid("ends_on", "must not be before starts_on", nil)
	}
	return nil
}

// Awards is how many buyers in how many countries recorded an award for an
// offering: a public reuse signal that never says who.
type Awards struct {
	Buyers    int `json:"buyers"`
	Countries int `json:"countries"`
}

// CheckedCPV returns the CPV 2008 code with eight digits as NNNNNNNN-C, with
// its check digit, and whether the vocabulary has the code.
func CheckedCPV(digits string) (string, bool) {
	if len(digits) != 8 {
		return "", false
	}
	d, ok := cpvCheckDigit(digits)
	if !ok {
		return "", false
	}
	return digits + "-" + string(d), true
}
