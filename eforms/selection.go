package eforms

import (
	"slices"
	"strings"
)

// Criterion is one selection criterion of a lot (BT-809 with its BT-750
// description), with what it means in cybermarket's terms where it has a
// meaning there.
type Criterion struct {
	Lot         string // BT-137 of the lot it belongs to
	Code        string // BT-809, a code of the selection-criterion codelist, such as slc-sec-proc
	Label       string // the codelist's English label; "" for a code not in the codelist
	Description string // BT-750: the English text, else the first
	Mapping
}

// Mapping is what a selection criterion stands for in the catalogue: the
// tender-context facts it states, the schemes (certifications) that
// evidence it, and the offering fields that do. A zero Mapping means the
// catalogue records nothing the criterion asks for (turnover, insurance,
// trade registers, ...), and a buyer checks it in the tender.
type Mapping struct {
	Facts    []string // tender-context facts the criterion states, such as classified_information
	Schemes  []string // schemes whose certificates evidence it, such as iso-9001
	Evidence []string // offering fields that evidence it, such as healthcare_references
}

// Mapped reports whether the criterion has a meaning in the catalogue.
func (m Mapping) Mapped() bool {
	return len(m.Facts)+len(m.Schemes)+len(m.Evidence) > 0
}

// selectionCriteria are the 32 codes of the eForms selection-criterion
// codelist (SDK 1.15, testdata/selection-criterion.gc) with their English
// labels and mappings. Five codes map:
//
//   - slc-sec-proc (security to process, store and transmit classified
//     information) states the classified_information fact, and
//     slc-sec-inf (security of information, Directive 2009/81/EC art. 22)
//     the security_sensitive fact: the clearance rules that depend on them
//     then bind;
//   - slc-sche-qu-cert-indep (quality assurance certificates by independent
//     bodies) is evidenced by ISO 9001 and ISO/IEC 20000-1 certificates;
//   - slc-abil-staff-qual (educational and professional qualifications) by
//     the personal certifications of the reference data (CISSP, CISA, OSCP,
//     ISO 27001 lead auditor);
//   - slc-abil-ref-services (references on specified services) by an
//     offering's healthcare references.
//
// The other 27 (turnover, insurance, registers, facilities, staff numbers,
// samples, supply chain, environmental management, ...) stay unmapped: the
// catalogue records none of them.
var selectionCriteria = map[string]struct {
	label string
	Mapping
}{
	"slc-abil-facil-res":          {"Study, technical and research facilities", Mapping{}},
	"slc-abil-facil-tools":        {"Tools, plant, or technical equipment", Mapping{}},
	"slc-abil-mgmt-env":           {"Environmental management measures", Mapping{}},
	"slc-abil-mgmt-qual":          {"Measures for ensuring quality", Mapping{}},
	"slc-abil-mgmt-supply":        {"Supply chain management", Mapping{}},
	"slc-abil-qual-inst":          {"Certificates by quality control institutes", Mapping{}},
	"slc-abil-qual-smp-w-autent":  {"Samples, descriptions, or photographs with certification of authenticity for supply contracts", Mapping{}},
	"slc-abil-qual-smp-wo-autent": {"Samples, descriptions, or photographs without certification of authenticity", Mapping{}},
	"slc-abil-ref-services":       {"References on specified services", Mapping{Evidence: []string{"healthcare_references"}}},
	"slc-abil-ref-supply":         {"References on specified deliveries", Mapping{}},
	"slc-abil-ref-work":           {"References on specified works", Mapping{}},
	"slc-abil-staff-qual": {"Relevant educational and professional qualifications",
		Mapping{Schemes: []string{"cisa", "cissp", "iso-27001-lead-auditor", "oscp"}}},
	"slc-abil-staff-tech-ctrl":    {"Technicians or technical bodies for quality control", Mapping{}},
	"slc-abil-staff-tech-work":    {"Technicians or technical bodies to carry out the work", Mapping{}},
	"slc-abil-staff-yrly-avg-mp":  {"Average yearly manpower", Mapping{}},
	"slc-abil-staff-yrly-no-mgmt": {"Number of managerial staff", Mapping{}},
	"slc-abil-subc":               {"Subcontracting proportion", Mapping{}},
	"slc-sche-env-cert-indep":     {"Certificates by independent bodies about environmental management systems or standards", Mapping{}},
	"slc-sche-qu-cert-indep": {"Certificates by independent bodies about quality assurance standards",
		Mapping{Schemes: []string{"iso-9001", "iso-iec-20000-1"}}},
	"slc-sec-inf":           {"Security of information", Mapping{Facts: []string{"security_sensitive"}}},
	"slc-sec-proc":          {"Security to process, store and transmit classified information", Mapping{Facts: []string{"classified_information"}}},
	"slc-sec-supply":        {"Security of supply", Mapping{}},
	"slc-stand-ins":         {"Professional risk indemnity insurance", Mapping{}},
	"slc-stand-other":       {"Other economic or financial requirements", Mapping{}},
	"slc-stand-ratio":       {"Financial ratio", Mapping{}},
	"slc-stand-to-avg":      {"Average yearly turnover", Mapping{}},
	"slc-stand-to-gen":      {"General yearly turnover", Mapping{}},
	"slc-stand-to-spec":     {"Specific yearly turnover", Mapping{}},
	"slc-stand-to-spec-avg": {"Specific average yearly turnover", Mapping{}},
	"slc-suit-auth-mbrshp":  {"Authorisation or membership of a particular organisation needed for service contracts", Mapping{}},
	"slc-suit-reg-prof":     {"Enrolment in a relevant professional register", Mapping{}},
	"slc-suit-reg-trade":    {"Enrolment in a trade register", Mapping{}},
}

// xmlCriterion is efac:SelectionCriteria.
type xmlCriterion struct {
	Code         string    `xml:"TendererRequirementTypeCode"`
	Descriptions []xmlText `xml:"Description"`
}

// criterion maps one criterion of lot.
func (c xmlCriterion) criterion(lot string) Criterion {
	code := strings.TrimSpace(c.Code)
	out := Criterion{Lot: lot, Code: code, Description: strings.TrimSpace(title(c.Descriptions))}
	if known, ok := selectionCriteria[code]; ok {
		out.Label = known.label
		out.Mapping = Mapping{Facts: slices.Clone(known.Facts), Schemes: slices.Clone(known.Schemes),
			Evidence: slices.Clone(known.Evidence)}
	}
	return out
}

// Facts returns the tender-context facts the notice's selection criteria
// state, each once, in codelist order of first use.
func (n Notice) Facts() []string {
	var out []string
	for _, c := range n.Selection {
		for _, f := range c.Facts {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}
