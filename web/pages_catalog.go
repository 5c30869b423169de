package web

import (
	"net/http"
	"net/url"
	"strings"
)

// buyerContext is the buyer's country and kind a page assesses for.
type buyerContext struct {
	Country, Buyer string
}

func contextOf(r *http.Request) buyerContext {
	b := buyerContext{Country: strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("country"))), Buyer: r.URL.Query().Get("buyer")}
	if b.Buyer != "private" {
		b.Buyer = "public"
	}
	return b
}

// offeringData is the offering page's data.
type offeringData struct {
	Ref            *reference
	Offering       offeringView
	Vendor         vendorView
	Certifications []certificationView
	Context        buyerContext
	Assessment     *assessment
	IDs            []string // none: the context form is the offering page's
}

// offering answers an offering page: its description in the user's
// language, its vendor, the certificates covering it and, for a chosen
// country and buyer kind, why it is available there or what is missing.
func (s *Server) offering(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	ctx := q.r.Context()
	d := offeringData{Ref: ref, Context: contextOf(q.r)}
	id := pathEscape(q.r.PathValue("id"))
	if err := q.api.get(ctx, "/v1/offerings/"+id, nil, &d.Offering); err != nil {
		return err
	}
	if err := q.api.get(ctx, "/v1/vendors/"+pathEscape(d.Offering.VendorID), nil, &d.Vendor); err != nil {
		return err
	}
	var certs listOf[certificationView]
	if err := q.api.get(ctx, "/v1/certifications", url.Values{"offering_id": {d.Offering.ID}, "limit": {"100"}}, &certs); err != nil {
		return err
	}
	d.Certifications = certs.Items
	if d.Context.Country != "" {
		a, err := q.assess(ctx, d.Offering.ID, d.Context.Country, d.Context.Buyer)
		if err != nil {
			return err
		}
		fillValidUntil(a, d.Certifications)
		d.Assessment = a
	}
	return q.render(http.StatusOK, "offering", q.view(d.Offering.Name, &d))
}

// fillValidUntil copies each certificate's last valid day into the
// assessment's evidence.
func fillValidUntil(a *assessment, certs []certificationView) {
	until := map[string]string{}
	for _, c := range certs {
		until[c.ID] = c.ValidUntil
	}
	for r := range a.Requirements {
		for e := range a.Requirements[r].MetBy {
			ev := &a.Requirements[r].MetBy[e]
			ev.ValidUntil = until[ev.Certification]
		}
	}
}

// vendorData is the vendor page's data.
type vendorData struct {
	Ref            *reference
	Vendor         vendorView
	Offerings      []offeringView
	Certifications []certificationView
}

// vendor answers a vendor page: the company, its offerings and certificates
// as the caller may see them.
func (s *Server) vendor(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	d, err := q.vendorData(ref, q.r.PathValue("id"))
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, "vendor", q.view(d.Vendor.LegalName, d))
}

// vendorData reads a vendor with its offerings and certifications.
func (q *request) vendorData(ref *reference, id string) (*vendorData, error) {
	ctx := q.r.Context()
	d := &vendorData{Ref: ref}
	if err := q.api.get(ctx, "/v1/vendors/"+pathEscape(id), nil, &d.Vendor); err != nil {
		return nil, err
	}
	var offs listOf[offeringView]
	if err := q.api.get(ctx, "/v1/offerings", url.Values{"vendor_id": {d.Vendor.ID}, "limit": {"100"}}, &offs); err != nil {
		return nil, err
	}
	var certs listOf[certificationView]
	if err := q.api.get(ctx, "/v1/certifications", url.Values{"vendor_id": {d.Vendor.ID}, "limit": {"100"}}, &certs); err != nil {
		return nil, err
	}
	d.Offerings, d.Certifications = offs.Items, certs.Items
	return d, nil
}

// maxCompare is how many offerings the compare page puts side by side.
const maxCompare = 4

// compareData is the compare page's data.
type compareData struct {
	Ref       *reference
	Context   buyerContext
	Columns   []compareColumn
	Rows      []compareRow
	TooMany   bool
	IDs       []string
	NoneGiven bool
}

// compareColumn is one offering compared.
type compareColumn struct {
	Offering   offeringView
	Vendor     vendorView
	Assessment *assessment
}

// compareRow is one requirement across the offerings: a cell per column,
// nil where the requirement does not apply to that offering.
type compareRow struct {
	ID, Title string
	Cells     []*requirementResult
}

// compare answers the side-by-side comparison of up to four offerings:
// requirements of the chosen country and buyer kind down, offerings across.
func (s *Server) compare(q *request) error {
	ref, err := q.reference()
	if err != nil {
		return err
	}
	d := &compareData{Ref: ref, Context: contextOf(q.r)}
	ids := nonEmpty(q.r.URL.Query()["id"])
	if len(ids) > maxCompare {
		ids, d.TooMany = ids[:maxCompare], true
	}
	d.IDs, d.NoneGiven = ids, len(ids) == 0
	ctx := q.r.Context()
	for _, id := range ids {
		var col compareColumn
		if err := q.api.get(ctx, "/v1/offerings/"+pathEscape(id), nil, &col.Offering); err != nil {
			return err
		}
		if err := q.api.get(ctx, "/v1/vendors/"+pathEscape(col.Offering.VendorID), nil, &col.Vendor); err != nil {
			return err
		}
		if d.Context.Country != "" {
			if col.Assessment, err = q.assess(ctx, col.Offering.ID, d.Context.Country, d.Context.Buyer); err != nil {
				return err
			}
		}
		d.Columns = append(d.Columns, col)
	}
	d.Rows = compareRows(d.Columns)
	return q.render(http.StatusOK, "compare", q.view("Compare services", d))
}

// compareRows lines up the binding requirements of the columns'
// assessments, in the order they first appear.
func compareRows(cols []compareColumn) []compareRow {
	var rows []compareRow
	at := map[string]int{}
	for c, col := range cols {
		if col.Assessment == nil {
			continue
		}
		for i := range col.Assessment.Requirements {
			req := &col.Assessment.Requirements[i]
			if !req.Binding {
				continue
			}
			n, ok := at[req.ID]
			if !ok {
				n = len(rows)
				at[req.ID] = n
				rows = append(rows, compareRow{ID: req.ID, Title: req.Title, Cells: make([]*requirementResult, len(cols))})
			}
			rows[n].Cells[c] = req
		}
	}
	return rows
}
