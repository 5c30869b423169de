// Package synth generates a synthetic catalogue - vendors, offerings and
// certifications - shaped like the real market cybermarket serves, for
// benchmarks and load tests of the burden engine and the search index.
//
// Generation is deterministic: the same seed and reference data give the
// same catalogue, ids included. Vendor i depends only on the seed and i, so
// Catalogue(n) begins with Catalogue(m) for m < n (apart from the rare VAT
// number redrawn to stay unique). Every item is in the canonical form
// catalog's Clean methods produce and passes them.
//
// The shape: head offices mostly in the large EU markets (DE, FR, IT, ES, NL,
// PL) and a tail over the other EU/EEA states and Northern Ireland (VAT prefix
// XI); Iceland and Liechtenstein have no VAT format in the catalogue and get
// no vendors. Sizes are skewed to SMEs; bigger vendors serve more countries,
// have more establishments and more offerings (1-5, in distinct categories).
// Support languages are an official language of each served country plus
// English. ISO/IEC 27001 is common; national schemes are held mostly at
// home, sometimes in a served country; international schemes by category.
// About one certification in eight has expired by Today; most are verified
// or self-declared, a few rejected, suspended or withdrawn. Most offerings
// are published and most vendors active. Names, customers and issuers are
// fictional; websites use .example.
package synth

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// Today is the day validity dates are generated around: assess on Today to
// see the intended mix of valid and expired certifications.
var Today = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// Generator makes catalogues from a seed and reference data.
type Generator struct {
	seed       uint64
	ref        *compliance.Reference
	homes      weightedCodes
	markets    weightedCodes // countries as served markets
	categories []string
	catWeights []float64
	catNames   map[string]string
	cpv        map[string][]string    // category -> CPV codes (primary, secondary)
	langs      map[string][]string    // country -> official languages
	national   map[[2]string][]string // (country, category) -> national schemes
	global     map[string][]string    // category -> international and European schemes
	schemes    map[string]compliance.Scheme
}

// Catalogue is a generated catalogue. Certifications belong to vendors
// (VendorID) and list the offerings they cover, or none when
// organisation-wide.
type Catalogue struct {
	Vendors        []catalog.Vendor
	Offerings      []catalog.Offering
	Certifications []catalog.Certification
}

// New returns a generator for seed over ref (which must not change while
// the generator is in use).
func New(seed uint64, ref *compliance.Reference) *Generator {
	g := &Generator{
		seed: seed, ref: ref,
		catNames: map[string]string{}, cpv: map[string][]string{}, langs: map[string][]string{},
		national: map[[2]string][]string{}, global: map[string][]string{}, schemes: map[string]compliance.Scheme{},
	}
	g.addCountries(ref)
	g.addCategories(ref)
	g.addSatisfiers(ref)
	return g
}

// addCountries weighs head offices and markets, and notes each country's languages.
func (g *Generator) addCountries(ref *compliance.Reference) {
	for _, c := range ref.Countries {
		g.langs[c.Code] = c.Languages
		if w, ok := homeWeights[c.Code]; ok {
			g.homes.add(c.Code, w)
			g.markets.add(c.Code, w+2)
		} else {
			g.markets.add(c.Code, 1)
		}
	}
	g.homes.add("GB", 1.5)
	g.langs["GB"] = []string{"en"}
}

// addCategories notes the categories with their weights, names and CPV codes.
func (g *Generator) addCategories(ref *compliance.Reference) {
	for _, c := range ref.Categories {
		g.categories = append(g.categories, c.Slug)
		w, ok := categoryWeights[c.Slug]
		if !ok {
			w = 5
		}
		g.catWeights = append(g.catWeights, w)
		g.catNames[c.Slug] = c.Name
		for _, code := range c.CPV {
			if code.Fit == "primary" || code.Fit == "secondary" {
				g.cpv[c.Slug] = append(g.cpv[c.Slug], code.Code)
			}
		}
	}
}

// addSatisfiers notes, per category, the active schemes that satisfy some
// requirement: EU-wide ones in global, national ones per country in national.
func (g *Generator) addSatisfiers(ref *compliance.Reference) {
	for _, s := range ref.Schemes {
		g.schemes[s.ID] = s
	}
	for _, r := range ref.Requirements {
		for _, sat := range r.SatisfiedBy {
			s, ok := g.schemes[sat.Scheme]
			if !ok || s.Status != compliance.SchemeActive {
				continue
			}
			for _, cat := range r.Categories {
				switch s.Jurisdiction {
				case "", "EU", "EEA":
					if !slices.Contains(g.global[cat], s.ID) {
						g.global[cat] = append(g.global[cat], s.ID)
					}
				case r.Country:
					k := [2]string{r.Country, cat}
					if !slices.Contains(g.national[k], s.ID) {
						g.national[k] = append(g.national[k], s.ID)
					}
				}
			}
		}
	}
}

// homeWeights is where vendors have their head office (relative weights).
var homeWeights = map[string]float64{
	"DE": 18, "FR": 14, "IT": 9, "ES": 8, "NL": 8, "PL": 6, "SE": 5, "BE": 4, "AT": 4, "DK": 3, "FI": 3,
	"IE": 3, "CZ": 3, "PT": 3, "RO": 2, "HU": 2, "GR": 2, "NO": 2, "SK": 1, "SI": 1, "BG": 1, "HR": 1,
	"LT": 1, "LV": 1, "EE": 1, "LU": 1, "CY": 0.5, "MT": 0.5,
}

var categoryWeights = map[string]float64{
	"penetration-testing": 16, "consulting-governance": 14, "security-audit": 12, "managed-detection-response": 12,
	"managed-security-services": 10, "incident-response": 10, "cloud-hosting": 8, "training-awareness": 8,
	"identity-access-management": 6, "medical-device-security": 4,
}

// holdsData are the categories whose services store or process customer data.
var holdsData = map[string]bool{
	"cloud-hosting": true, "managed-detection-response": true, "managed-security-services": true,
	"identity-access-management": true, "incident-response": true,
}

// cleared are the categories whose staff may need a security clearance.
var cleared = map[string]bool{
	"incident-response": true, "managed-detection-response": true, "penetration-testing": true,
	"security-audit": true, "managed-security-services": true, "consulting-governance": true,
}

type weightedCodes struct {
	codes   []string
	weights []float64
	total   float64
}

func (w *weightedCodes) add(code string, weight float64) {
	w.codes = append(w.codes, code)
	w.weights = append(w.weights, weight)
	w.total += weight
}

func (w *weightedCodes) pick(r *rand.Rand) string {
	x := r.Float64() * w.total
	for i, wt := range w.weights {
		if x < wt {
			return w.codes[i]
		}
		x -= wt
	}
	return w.codes[len(w.codes)-1]
}

func pickWeighted(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func newID(r *rand.Rand) uuid.UUID {
	var u uuid.UUID
	binary.LittleEndian.PutUint64(u[:8], r.Uint64())
	binary.LittleEndian.PutUint64(u[8:], r.Uint64())
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func letter(r *rand.Rand, from, to byte) string {
	return string(rune(from + byte(r.IntN(int(to-from)+1))))
}

// vatPrefix is the VAT prefix of a head-office country.
func vatPrefix(country string) string {
	switch country {
	case "GR":
		return "EL"
	case "GB":
		return "XI"
	}
	return country
}

// vatNumber draws a well-formed (made-up) VAT number for the prefix, in the
// format catalog validates, with its national check digits.
func vatNumber(r *rand.Rand, prefix string) string {
	var n string
	switch prefix {
	case "AT":
		n = "U" + digits(r, 8)
	case "BE":
		n = letter(r, '0', '1') + digits(r, 9)
	case "CY":
		n = digits(r, 8) + letter(r, 'A', 'Z')
	case "CZ", "DK", "FI", "HU", "LU", "MT", "SI":
		n = digits(r, 8)
	case "ES":
		n = letter(r, 'A', 'Z') + digits(r, 7) + letter(r, 'A', 'Z')
	case "FR":
		n = digits(r, 11)
	case "HR", "IT", "LV":
		n = digits(r, 11)
	case "IE":
		n = digits(r, 7) + letter(r, 'A', 'W')
	case "NL":
		n = digits(r, 9) + "B" + digits(r, 2)
	case "NO":
		n = digits(r, 9) + "MVA"
	case "PL", "SK":
		n = digits(r, 10)
	case "RO":
		n = letter(r, '1', '9') + digits(r, 7+r.IntN(3))
	case "SE":
		n = digits(r, 10) + "01"
	default: // BG, DE, EE, EL, LT, PT, XI
		n = digits(r, 9)
	}
	return withCheckDigits(prefix + n)
}

// withCheckDigits gives a drawn VAT number the national check digits catalog
// checks, without drawing again: a Spanish entity letter that no NIF uses
// (I, O, T) becomes B, and a Polish number that no check digit can make
// valid gets its first digit changed.
func withCheckDigits(vat string) string {
	if strings.HasPrefix(vat, "ES") && strings.IndexByte("IOT", vat[2]) >= 0 {
		vat = "ESB" + vat[3:]
	}
	for range 10 {
		if s := catalog.WithVATCheckDigits(vat); s != "" {
			return s
		}
		b := []byte(vat)
		b[2] = '0' + (b[2]-'0'+1)%10
		vat = string(b)
	}
	panic("synth: no check digits for " + vat) // unreachable: some first digit fits
}

// lei draws an ISO 17442 Legal Entity Identifier with valid check digits.
func lei(r *rand.Rand) string {
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := []byte(digits(r, 4) + "00")
	for range 12 {
		b = append(b, alnum[r.IntN(len(alnum))])
	}
	rem := 0
	for _, c := range b {
		if c >= 'A' {
			rem = (rem*100 + int(c-'A') + 10) % 97
		} else {
			rem = (rem*10 + int(c-'0')) % 97
		}
	}
	check := 98 - rem*100%97
	return fmt.Sprintf("%s%02d", b, check)
}

var callingCodes = map[string]string{
	"AT": "43", "BE": "32", "BG": "359", "CY": "357", "CZ": "420", "DE": "49", "DK": "45", "EE": "372",
	"ES": "34", "FI": "358", "FR": "33", "GR": "30", "HR": "385", "HU": "36", "IE": "353", "IT": "39",
	"LT": "370", "LU": "352", "LV": "371", "MT": "356", "NL": "31", "NO": "47", "PL": "48", "PT": "351",
	"RO": "40", "SE": "46", "SI": "386", "SK": "421", "GB": "44",
}

var legalForms = map[string][]string{
	"AT": {"GmbH"}, "BE": {"BV", "SRL"}, "BG": {"EOOD", "OOD"}, "CY": {"Ltd"}, "CZ": {"s.r.o."}, "DE": {"GmbH", "AG"},
	"DK": {"ApS", "A/S"}, "EE": {"OU"}, "ES": {"S.L.", "S.A."}, "FI": {"Oy"}, "FR": {"SAS", "SARL"}, "GR": {"A.E."},
	"HR": {"d.o.o."}, "HU": {"Kft."}, "IE": {"Ltd"}, "IT": {"S.r.l.", "S.p.A."}, "LT": {"UAB"}, "LU": {"S.a r.l."},
	"LV": {"SIA"}, "MT": {"Ltd"}, "NL": {"B.V."}, "NO": {"AS"}, "PL": {"Sp. z o.o."}, "PT": {"Lda."}, "RO": {"S.R.L."},
	"SE": {"AB"}, "SI": {"d.o.o."}, "SK": {"s.r.o."}, "GB": {"Ltd"},
}

var (
	namePrefixes = []string{"Nord", "Sud", "Alpen", "Balt", "Iber", "Adria", "Danu", "Rhein", "Atlant", "Carpat", "Hansa",
		"Lumen", "Vigil", "Aegis", "Castell", "Fortis", "Sentin", "Cipher", "Krypt", "Argus", "Helio", "Boreal", "Meridi",
		"Vesta", "Orion", "Tauri", "Silva", "Aqua", "Ferro", "Nimbus"}
	nameCores = []string{"Secure", "Cyber", "Defence", "Shield", "Guard", "Trust", "Sec", "Watch", "Labs", "Systems",
		"Protect", "Sentinel", "Bastion", "Vault", "Signal"}
	issuers = []string{"Beispiel Zertifizierung GmbH (fictional)", "Organisme Exemple SAS (fictional)",
		"Ente Esempio S.r.l. (fictional)", "Entidad Ejemplo S.L. (fictional)", "Voorbeeld Certificatie B.V. (fictional)",
		"Exempel Certifiering AB (fictional)", "Example Assurance Ltd (fictional)", "Przyklad Certyfikacja Sp. z o.o. (fictional)"}
	hospitals = []string{"University Hospital", "General Hospital", "Regional Clinic", "Children's Hospital", "Heart Centre",
		"Cancer Institute", "Psychiatric Clinic", "Rehabilitation Centre"}
	towns = []string{"Altstadt", "Beaumont", "Castelnuovo", "Villanueva", "Nieuwdorp", "Nowe Miasto", "Lindholm", "Kirkby",
		"Neustadt", "Valverde", "Rivière", "Sankt Anna"}
	summaries = map[string]string{
		"en": "%s for hospitals and care providers, delivered by %s.",
		"de": "%s für Krankenhäuser und Gesundheitseinrichtungen, erbracht von %s.",
		"fr": "%s pour les hôpitaux et établissements de santé, par %s.",
		"it": "%s per ospedali e strutture sanitarie, a cura di %s.",
		"es": "%s para hospitales y centros sanitarios, prestado por %s.",
		"nl": "%s voor ziekenhuizen en zorginstellingen, geleverd door %s.",
		"pl": "%s dla szpitali i placówek medycznych, świadczone przez %s.",
	}
)

// vendorPlan is the size-dependent shape of a vendor.
type vendorPlan struct {
	size              catalog.SizeClass
	offerings         [2]int // min, max
	extraCountries    [2]int
	extraEstablished  [2]int
	iso27001, cleared float64
}

var plans = []struct {
	weight float64
	plan   vendorPlan
}{
	{35, vendorPlan{catalog.SizeMicro, [2]int{1, 2}, [2]int{0, 1}, [2]int{0, 0}, 0.35, 0.05}},
	{35, vendorPlan{catalog.SizeSmall, [2]int{1, 3}, [2]int{0, 3}, [2]int{0, 1}, 0.55, 0.10}},
	{20, vendorPlan{catalog.SizeMedium, [2]int{2, 4}, [2]int{1, 6}, [2]int{0, 2}, 0.80, 0.20}},
	{10, vendorPlan{catalog.SizeLarge, [2]int{3, 5}, [2]int{3, 15}, [2]int{1, 6}, 0.92, 0.35}},
}

func between(r *rand.Rand, mm [2]int) int { return mm[0] + r.IntN(mm[1]-mm[0]+1) }

// Catalogue generates nVendors vendors with their offerings and
// certifications. It is a pure function of the seed, the reference data and
// nVendors.
func (g *Generator) Catalogue(nVendors int) Catalogue {
	var c Catalogue
	vats := make(map[string]bool, nVendors)
	for i := range nVendors {
		r := rand.New(rand.NewPCG(g.seed, uint64(i)))
		v := g.vendor(r, i)
		for attempt := uint64(1); vats[v.VATNumber]; attempt++ {
			vr := rand.New(rand.NewPCG(g.seed^0x9e3779b97f4a7c15, uint64(i)<<16|attempt))
			v.VATNumber = vatNumber(vr, vatPrefix(v.Country))
		}
		vats[v.VATNumber] = true
		offerings := g.offerings(r, &v)
		c.Certifications = append(c.Certifications, g.certifications(r, &v, offerings)...)
		c.Vendors = append(c.Vendors, v)
		c.Offerings = append(c.Offerings, offerings...)
	}
	return c
}

// Profiles returns the burden-engine profile of every offering, in the order
// of Offerings (Profiles()[i] is Offerings[i]), whatever the offering's or
// vendor's status: filter on those for the public catalogue.
func (c Catalogue) Profiles() []compliance.Profile {
	vendors := make(map[uuid.UUID]int, len(c.Vendors))
	for i, v := range c.Vendors {
		vendors[v.ID] = i
	}
	certs := make(map[uuid.UUID][]catalog.Certification, len(c.Vendors))
	for _, ct := range c.Certifications {
		certs[ct.VendorID] = append(certs[ct.VendorID], ct)
	}
	out := make([]compliance.Profile, len(c.Offerings))
	for i, o := range c.Offerings {
		out[i] = compliance.ProfileOf(c.Vendors[vendors[o.VendorID]], o, certs[o.VendorID])
	}
	return out
}

func (g *Generator) vendor(r *rand.Rand, i int) catalog.Vendor {
	pi := pickWeighted(r, []float64{plans[0].weight, plans[1].weight, plans[2].weight, plans[3].weight})
	plan := plans[pi].plan
	home := g.homes.pick(r)
	prefix, core := namePrefixes[r.IntN(len(namePrefixes))], nameCores[r.IntN(len(nameCores))]
	trading := prefix + core
	forms := legalForms[home]
	if forms == nil {
		forms = []string{"Ltd"}
	}
	slug := strings.ToLower(trading) + fmt.Sprintf("-%d", i)
	v := catalog.Vendor{
		ID:        newID(r),
		LegalName: trading + " " + forms[r.IntN(len(forms))],
		VATNumber: vatNumber(r, vatPrefix(home)),
		Country:   home,
		Size:      plan.size,
		Website:   "https://www." + slug + ".example",
		Contact: catalog.Contact{
			Name:  []string{"Tender desk", "Healthcare sales", "Security office"}[r.IntN(3)],
			Email: "tenders@" + slug + ".example",
		},
		Status:  catalog.VendorActive,
		Version: 1,
	}
	if chance(r, 0.5) {
		v.TradingName = trading
	}
	if (plan.size == catalog.SizeMedium || plan.size == catalog.SizeLarge) && chance(r, 0.6) {
		v.LEI = lei(r)
	}
	if cc, ok := callingCodes[home]; ok && chance(r, 0.7) {
		v.Contact.Phone = "+" + cc + digits(r, 9)
	}
	switch x := r.Float64(); {
	case x < 0.04:
		v.Status = catalog.VendorPending
	case x < 0.06:
		v.Status = catalog.VendorSuspended
	}
	est := []string{home}
	for range between(r, plan.extraEstablished) {
		est = append(est, g.markets.pick(r))
	}
	v.EstablishedIn = set(est)
	v.CreatedAt = Today.AddDate(0, 0, -30-r.IntN(1500))
	v.UpdatedAt = v.CreatedAt.AddDate(0, 0, r.IntN(30))
	return v
}

func planOf(size catalog.SizeClass) vendorPlan {
	for _, p := range plans {
		if p.plan.size == size {
			return p.plan
		}
	}
	return plans[0].plan
}

func set(in []string) []string {
	out := slices.Clone(in)
	if out == nil {
		out = []string{}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (g *Generator) offerings(r *rand.Rand, v *catalog.Vendor) []catalog.Offering {
	plan := planOf(v.Size)
	n := between(r, plan.offerings)
	weights := slices.Clone(g.catWeights)
	var out []catalog.Offering
	for range n {
		ci := pickWeighted(r, weights)
		weights[ci] = 0 // distinct categories
		out = append(out, g.offering(r, v, plan, g.categories[ci]))
	}
	return out
}

// offering draws one offering of category cat. The order of the draws from
// r is part of the catalogue's determinism: keep it when changing a step.
func (g *Generator) offering(r *rand.Rand, v *catalog.Vendor, plan vendorPlan, cat string) catalog.Offering {
	o := catalog.Offering{
		ID: newID(r), VendorID: v.ID, Category: cat, Status: offeringStatus(r), Version: 1,
		Description: map[string]string{}, HealthcareReferences: []catalog.Reference{},
	}
	o.Countries = g.servedCountries(r, v, plan)
	o.Languages = g.supportLanguages(r, o.Countries, plan)
	o.Delivery = deliveryMode(r, cat)
	o.DataLocations = g.dataLocations(r, v, cat)
	o.ClearedIn = clearances(r, v, o.Countries, plan, cat)
	o.CPVCodes = g.cpvCodes(r, cat)
	g.texts(r, v, &o)
	// Healthcare references.
	for range r.IntN(4) {
		o.HealthcareReferences = append(o.HealthcareReferences, catalog.Reference{
			Customer: towns[r.IntN(len(towns))] + " " + hospitals[r.IntN(len(hospitals))] + " (fictional)",
			Country:  o.Countries[r.IntN(len(o.Countries))],
			Year:     2016 + r.IntN(11),
		})
	}
	o.CreatedAt = v.CreatedAt.AddDate(0, 0, r.IntN(30))
	o.UpdatedAt = o.CreatedAt.AddDate(0, 0, r.IntN(60))
	if o.UpdatedAt.After(Today) {
		o.UpdatedAt = Today
	}
	return o
}

// offeringStatus: most offerings are published, some draft or withdrawn.
func offeringStatus(r *rand.Rand) catalog.OfferingStatus {
	switch x := r.Float64(); {
	case x < 0.08:
		return catalog.OfferingDraft
	case x < 0.12:
		return catalog.OfferingWithdrawn
	}
	return catalog.OfferingPublished
}

// servedCountries: home, plus markets by weight; bigger vendors serve more.
func (g *Generator) servedCountries(r *rand.Rand, v *catalog.Vendor, plan vendorPlan) []string {
	countries := []string{v.Country}
	if !slices.Contains(g.markets.codes, v.Country) {
		countries = countries[:0] // a vendor outside the EEA serves EEA markets only
		countries = append(countries, g.markets.pick(r))
	}
	for range between(r, plan.extraCountries) {
		countries = append(countries, g.markets.pick(r))
	}
	return set(countries)
}

// supportLanguages: one official language per served country (all of them
// for large vendors), and English.
func (g *Generator) supportLanguages(r *rand.Rand, countries []string, plan vendorPlan) []string {
	langs := []string{"en"}
	for _, c := range countries {
		ls := g.langs[c]
		if len(ls) == 0 {
			continue
		}
		if plan.size == catalog.SizeLarge {
			langs = append(langs, ls...)
		} else {
			langs = append(langs, ls[r.IntN(len(ls))])
		}
	}
	if len(langs) > 30 {
		langs = langs[:30]
	}
	return set(langs)
}

// deliveryMode: tests and audits mostly on site, data services remote.
func deliveryMode(r *rand.Rand, cat string) catalog.DeliveryMode {
	switch {
	case cat == "penetration-testing" || cat == "security-audit":
		return []catalog.DeliveryMode{catalog.DeliveryOnSite, catalog.DeliveryHybrid, catalog.DeliveryRemote}[pickWeighted(r, []float64{4, 4, 2})]
	case holdsData[cat]:
		return []catalog.DeliveryMode{catalog.DeliveryRemote, catalog.DeliveryHybrid}[pickWeighted(r, []float64{7, 3})]
	default:
		return []catalog.DeliveryMode{catalog.DeliveryOnSite, catalog.DeliveryHybrid, catalog.DeliveryRemote}[r.IntN(3)]
	}
}

// dataLocations: where a service that holds data keeps it.
func (g *Generator) dataLocations(r *rand.Rand, v *catalog.Vendor, cat string) []string {
	var data []string
	if holdsData[cat] || chance(r, 0.3) {
		if slices.Contains(g.markets.codes, v.Country) && chance(r, 0.7) {
			data = append(data, v.Country)
		} else {
			data = append(data, []string{"DE", "FR", "NL", "IE", "SE"}[r.IntN(5)])
		}
		if chance(r, 0.2) {
			data = append(data, []string{"DE", "NL", "IE", "FI"}[r.IntN(4)])
		}
		if chance(r, 0.1) {
			data = append(data, "US")
		}
	}
	return set(data)
}

// clearances: staff cleared at home, and sometimes in other served countries.
func clearances(r *rand.Rand, v *catalog.Vendor, countries []string, plan vendorPlan, cat string) []string {
	var clear []string
	if cleared[cat] && chance(r, plan.cleared) {
		clear = append(clear, v.Country)
		for _, c := range countries {
			if c != v.Country && chance(r, 0.15) {
				clear = append(clear, c)
			}
		}
	}
	return set(clear)
}

// cpvCodes: the category's primary CPV code, sometimes a second one.
func (g *Generator) cpvCodes(r *rand.Rand, cat string) []string {
	var cpv []string
	if codes := g.cpv[cat]; len(codes) > 0 {
		cpv = append(cpv, codes[0])
		if len(codes) > 1 && chance(r, 0.5) {
			cpv = append(cpv, codes[1+r.IntN(len(codes)-1)])
		}
	}
	return set(cpv)
}

// texts writes the offering's name, summaries and description.
func (g *Generator) texts(r *rand.Rand, v *catalog.Vendor, o *catalog.Offering) {
	name := g.catNames[o.Category]
	if name == "" {
		name = o.Category
	}
	trading := v.TradingName
	if trading == "" {
		trading = v.LegalName
	}
	o.Name = trading + " " + name
	o.Summary = map[string]string{"en": fmt.Sprintf(summaries["en"], name, trading)}
	for _, l := range o.Languages {
		if tpl, ok := summaries[l]; ok && l != "en" && chance(r, 0.6) {
			o.Summary[l] = fmt.Sprintf(tpl, name, trading)
		}
	}
	if chance(r, 0.7) {
		o.Description["en"] = fmt.Sprintf("%s Serves %s. Support in %s. Delivery: %s.",
			o.Summary["en"], strings.Join(o.Countries, ", "), strings.Join(o.Languages, ", "), o.Delivery)
	}
}

func (g *Generator) certifications(r *rand.Rand, v *catalog.Vendor, offerings []catalog.Offering) []catalog.Certification {
	plan := planOf(v.Size)
	var out []catalog.Certification
	add := func(scheme string, covers []uuid.UUID) {
		s, ok := g.schemes[scheme]
		if !ok {
			return
		}
		for _, c := range out { // one certificate per scheme and cover
			if c.Scheme == scheme && slices.Equal(c.OfferingIDs, covers) {
				return
			}
		}
		out = append(out, g.certification(r, v, s, covers))
	}
	all := []uuid.UUID{}
	if chance(r, plan.iso27001) {
		covers := all
		if chance(r, 0.2) {
			covers = []uuid.UUID{offerings[r.IntN(len(offerings))].ID}
		}
		add("iso-iec-27001", covers)
	}
	for _, o := range offerings {
		own := []uuid.UUID{o.ID}
		if ns := g.national[[2]string{v.Country, o.Category}]; len(ns) > 0 && chance(r, 0.45) {
			add(ns[r.IntN(len(ns))], own)
		}
		for _, c := range o.Countries {
			if ns := g.national[[2]string{c, o.Category}]; c != v.Country && len(ns) > 0 && chance(r, 0.08) {
				add(ns[r.IntN(len(ns))], own)
			}
		}
		for _, s := range g.global[o.Category] {
			if s != "iso-iec-27001" && chance(r, 0.08) {
				add(s, own)
			}
		}
	}
	return out
}

// certificationStatus: most certificates are verified, a third self-declared,
// a few rejected, suspended or withdrawn.
func certificationStatus(r *rand.Rand) catalog.Verification {
	switch x := r.Float64(); {
	case x < 0.35:
		return catalog.SelfDeclared
	case x < 0.38:
		return catalog.Rejected
	case x < 0.42:
		return catalog.Suspended
	case x < 0.45:
		return catalog.Withdrawn
	}
	return catalog.Verified
}

func (g *Generator) certification(r *rand.Rand, v *catalog.Vendor, s compliance.Scheme, covers []uuid.UUID) catalog.Certification {
	years := 3
	if s.ValidityYears != nil && *s.ValidityYears >= 1 {
		years = int(*s.ValidityYears)
	}
	span := years * 365
	var from time.Time
	if chance(r, 0.12) { // expired
		until := Today.AddDate(0, 0, -1-r.IntN(400))
		from = until.AddDate(-years, 0, 1)
	} else {
		from = Today.AddDate(0, 0, -r.IntN(span-1))
	}
	until := from.AddDate(years, 0, -1)
	c := catalog.Certification{
		ID: newID(r), VendorID: v.ID, Scheme: s.ID,
		Number:      fmt.Sprintf("%s-%d-%06d", strings.ToUpper(strings.SplitN(s.ID, "-", 2)[0]), from.Year(), r.IntN(1000000)),
		Issuer:      issuers[r.IntN(len(issuers))],
		Scope:       "Services of " + v.LegalName + " as listed on the certificate",
		OfferingIDs: slices.Clone(covers),
		ValidFrom:   from, ValidUntil: until,
		Status:  catalog.Verified,
		Version: 1,
	}
	if len(s.Levels) > 0 {
		// Upper levels are more common among vendors that bother to list them.
		i := len(s.Levels) - 1 - min(r.IntN(len(s.Levels)), r.IntN(len(s.Levels)))
		c.Level = s.Levels[i]
	}
	c.Status = certificationStatus(r)
	if c.Status != catalog.SelfDeclared {
		at := from.AddDate(0, 0, 10+r.IntN(60))
		if at.After(Today) {
			at = Today
		}
		c.VerifiedAt = &at
		c.VerifiedBy = "verifier@cybermarket.example"
	}
	if chance(r, 0.6) {
		c.EvidenceURL = "https://registry.example/certificates/" + strings.ToLower(c.Number)
		if chance(r, 0.8) {
			var b [32]byte
			for i := 0; i < 32; i += 8 {
				binary.LittleEndian.PutUint64(b[i:], r.Uint64())
			}
			c.EvidenceSHA256 = fmt.Sprintf("%x", b)
		}
	}
	c.CreatedAt = from
	if c.CreatedAt.After(Today) {
		c.CreatedAt = Today
	}
	c.UpdatedAt = c.CreatedAt
	slices.SortFunc(c.OfferingIDs, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	return c
}
