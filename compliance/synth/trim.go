package synth

import (
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// Trim keeps the first vendors of full, with their offerings and
// certifications, up to the one whose public offerings reach public.
func (full Catalogue) Trim(public int) Catalogue {
	offeringsOf := map[uuid.UUID][]catalog.Offering{}
	for _, o := range full.Offerings {
		offeringsOf[o.VendorID] = append(offeringsOf[o.VendorID], o)
	}
	certsOf := map[uuid.UUID][]catalog.Certification{}
	for _, c := range full.Certifications {
		certsOf[c.VendorID] = append(certsOf[c.VendorID], c)
	}
	var cat Catalogue
	n := 0
	for _, v := range full.Vendors {
		if n >= public {
			break
		}
		cat.Vendors = append(cat.Vendors, v)
		cat.Certifications = append(cat.Certifications, certsOf[v.ID]...)
		for _, o := range offeringsOf[v.ID] {
			cat.Offerings = append(cat.Offerings, o)
			if catalog.PublicOffering(o, v.Status) {
				n++
			}
		}
	}
	return cat
}
