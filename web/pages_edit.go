package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// Vendors edit and withdraw their offerings and certificates from the
// dashboard: each form carries the version it was filled from, sent as
// If-Match, so a change made on a stale page fails (412) instead of
// overwriting another's.

// editOfferingForm shows the offering form filled from get-offering.
func (s *Server) editOfferingForm(q *request) error {
	if ok, err := q.requireVendor(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	var o offeringView
	if err := q.api.get(q.r.Context(), "/v1/offerings/"+pathEscape(q.r.PathValue("id")), nil, &o); err != nil {
		return err
	}
	v := q.view("Change a service", offeringFormData{Ref: ref, ID: o.ID})
	v.Form = newForm(offeringValues(o, q.lang.String()))
	return q.render(http.StatusOK, "offering_form", v)
}

// offeringValues are the form values of o, its texts in lang when it has
// them, else in its first language.
func offeringValues(o offeringView, lang string) url.Values {
	vals := url.Values{"name": {o.Name}, "category": {o.Category}, "delivery": {o.Delivery}, "status": {o.Status},
		"countries": o.Countries, "languages": o.Languages, "data_locations": o.DataLocations,
		"version": {strconv.FormatInt(o.Version, 10)}}
	if _, ok := o.Summary[lang]; !ok && len(o.Summary) > 0 {
		langs := slices.Sorted(maps.Keys(o.Summary))
		lang = langs[0]
	}
	vals.Set("text_lang", lang)
	vals.Set("summary", o.Summary[lang])
	vals.Set("description", o.Description[lang])
	return vals
}

// updateOffering sends the edited form to update-offering (PATCH, If-Match).
func (s *Server) updateOffering(q *request) error {
	if ok, err := q.requireVendorPost(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	id := q.r.PathValue("id")
	err = q.api.callIf(q.r.Context(), http.MethodPatch, "/v1/offerings/"+pathEscape(id), q.r.PostForm.Get("version"), offeringBody(q.r.PostForm), nil)
	if err != nil {
		return q.formFailed(err, "offering_form", "Change a service", offeringFormData{Ref: ref, ID: id}, offeringFields)
	}
	return q.redirect("/dashboard?done=saved")
}

// withdraw sends withdraw-offering or withdraw-certification (If-Match):
// the object stays in the audit trail and leaves the catalogue.
func (s *Server) withdraw(kind string) handlerFunc {
	return func(q *request) error {
		if ok, err := q.requireVendorPost(); !ok {
			return err
		}
		path := "/v1/" + kind + "/" + pathEscape(q.r.PathValue("id")) + "/withdraw"
		if err := q.api.callIf(q.r.Context(), http.MethodPost, path, q.r.PostForm.Get("version"), nil, nil); err != nil {
			return err
		}
		return q.redirect("/dashboard?done=withdrawn")
	}
}
