package catalog

// An offering is public when it is published and its vendor is active: the
// public sees it, search indexes it, the analytics count it. PublicOffering
// says so in Go and publicOffering in SQL; every query and rule asks them.

// PublicOffering reports whether offering o, whose vendor is in state
// vendor, is public: published, of an active vendor.
func PublicOffering(o Offering, vendor VendorStatus) bool {
	return o.Status == OfferingPublished && vendor == VendorActive
}

// publicOffering is PublicOffering as an SQL condition on the offerings row
// aliased o.
const publicOffering = `(o.status = 'published'
	AND EXISTS (SELECT 1 FROM vendors pv WHERE pv.id = o.vendor_id AND pv.status = 'active'))`
