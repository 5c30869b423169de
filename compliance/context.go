package compliance

import (
	"fmt"
	"slices"
	"strings"
)

// Fact is a fact about a procurement that the buyer states and on which some
// requirements depend (Requirement.AppliesWhen): for instance whether the
// service hosts personal health data. The facts are a fixed vocabulary of the
// engine, like the condition kinds; each has a default per service category.
type Fact string

// The facts, the minimal set the reference data needs (research of
// 2026-12-01, reference/research/applies-when-2026-12.yaml).
const (
	// HealthDataHosted: the provider stores personal health data for the
	// buyer, or administers the systems that hold them (FR HDS activities 1-6).
	HealthDataHosted Fact = "health_data_hosted"
	// HealthDataProcessed: the provider processes personal health data in
	// any way (hosting, remote access, log content, support access).
	HealthDataProcessed Fact = "health_data_processed"
	// CloudDelivered: the service is delivered from a cloud computing service
	// of the provider or its subcontractor, not on the buyer's premises.
	CloudDelivered Fact = "cloud_delivered"
	// ClassifiedInformation: the provider's staff get access to national
	// classified information or classified premises.
	ClassifiedInformation Fact = "classified_information"
	// SecuritySensitive: the contracting authority declares the tasks
	// security-sensitive (DE SÜG, SE säkerhetskänslig verksamhet, ...).
	SecuritySensitive Fact = "security_sensitive"
	// NIS2Entity: the buyer is an essential or important entity under the
	// national NIS2 law and the service is its statutory audit or outsourced
	// incident handling.
	NIS2Entity Fact = "nis2_entity"
)

// FactInfo describes a fact and its defaults.
type FactInfo struct {
	Fact    Fact
	Meaning string
	// Defaults lists the categories where the fact holds when the buyer says
	// nothing; DefaultAll makes it hold in every category.
	Defaults   []string
	DefaultAll bool
	// DefaultNote says why the defaults are what they are.
	DefaultNote string
}

// Facts lists every fact in a fixed order (its bit in a context).
var Facts = []FactInfo{
	{Fact: HealthDataHosted,
		Meaning:     "The provider stores personal health data for the buyer, or administers the systems that hold them.",
		Defaults:    []string{"cloud-hosting", "managed-security-services"},
		DefaultNote: "Hosting patient data is the point of a hospital cloud-hosting contract; managed security services usually administer systems holding patient data; a SOC/MDR reading telemetry is not hosting by default."},
	{Fact: HealthDataProcessed,
		Meaning:     "The provider processes personal health data in any way (hosting, remote access, log content, support access).",
		Defaults:    []string{"cloud-hosting", "managed-security-services", "managed-detection-response", "incident-response", "identity-access-management"},
		DefaultNote: "Incident responders, SOCs and IAM operators of a hospital routinely see patient data; penetration testing, audits, consulting and training do not by default."},
	{Fact: CloudDelivered,
		Meaning:     "The service is delivered from a cloud computing service of the provider or its subcontractor.",
		Defaults:    []string{"cloud-hosting", "managed-detection-response", "managed-security-services"},
		DefaultNote: "Most MDR/SOC offerings are SaaS-based; on-premises delivery must be stated by the buyer."},
	{Fact: ClassifiedInformation,
		Meaning:     "The provider's staff get access to national classified information or classified premises.",
		DefaultNote: "Ordinary hospital procurements do not involve classified information."},
	{Fact: SecuritySensitive,
		Meaning:     "The contracting authority declares the tasks security-sensitive.",
		DefaultNote: "Off unless the buyer says so; some Swedish regions treat parts of health care as security-sensitive, so SE buyers should state it."},
	{Fact: NIS2Entity,
		Meaning:     "The buyer is an essential or important entity under the national NIS2 law (statutory audit, outsourced incident handling).",
		DefaultAll:  true,
		DefaultNote: "Hospitals above the medium-size threshold are in scope of NIS2 (health sector)."},
}

// factBit returns the bit of fact f in a context, or -1 for an unknown fact.
func factBit(f Fact) int {
	return slices.IndexFunc(Facts, func(i FactInfo) bool { return i.Fact == f })
}

// FactNames lists the facts' names in order.
func FactNames() []string {
	out := make([]string, len(Facts))
	for i, f := range Facts {
		out[i] = string(f.Fact)
	}
	return out
}

// Context is what a buyer states about a procurement: for each fact, on,
// off, or nothing (then the fact's default for the category holds). The zero
// Context states nothing: the defaults.
type Context struct {
	stated, on uint8
}

// Set states fact f as on or off. It returns an *InputError for an unknown fact.
func (c *Context) Set(f Fact, on bool) error {
	b := factBit(f)
	if b < 0 {
		return &InputError{Field: "context", Value: string(f), Reason: "unknown fact; known: " + strings.Join(FactNames(), ", ")}
	}
	c.stated |= 1 << b
	if on {
		c.on |= 1 << b
	} else {
		c.on &^= 1 << b
	}
	return nil
}

// ParseContext reads a context written as comma-separated facts, each
// stating the fact on, or off when prefixed with "-": for instance
// "security_sensitive,-health_data_processed". Empty (or "default") states
// nothing. Names are case-insensitive. It returns an *InputError naming the
// field "context" for an unknown fact or a fact stated twice.
func ParseContext(s string) (Context, error) {
	var c Context
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "default") {
		return c, nil
	}
	for _, item := range strings.Split(s, ",") {
		item = strings.ToLower(strings.TrimSpace(item))
		on := !strings.HasPrefix(item, "-")
		name := Fact(strings.TrimPrefix(item, "-"))
		if b := factBit(name); b >= 0 && c.stated&(1<<b) != 0 {
			return Context{}, &InputError{Field: "context", Value: s, Reason: fmt.Sprintf("fact %s is stated twice", name)}
		}
		if err := c.Set(name, on); err != nil {
			return Context{}, err
		}
	}
	return c, nil
}

// String writes the stated facts as ParseContext reads them, in fact order;
// "" when nothing is stated.
func (c Context) String() string {
	var parts []string
	for i, f := range Facts {
		if c.stated&(1<<i) == 0 {
			continue
		}
		if c.on&(1<<i) != 0 {
			parts = append(parts, string(f.Fact))
		} else {
			parts = append(parts, "-"+string(f.Fact))
		}
	}
	return strings.Join(parts, ",")
}

// IsDefault reports whether the context states nothing.
func (c Context) IsDefault() bool { return c.stated == 0 }

// Stated reports whether fact f is stated, and if so whether on.
func (c Context) Stated(f Fact) (stated, on bool) {
	b := factBit(f)
	if b < 0 {
		return false, false
	}
	return c.stated&(1<<b) != 0, c.on&(1<<b) != 0
}

// defaults returns the facts that hold by default for the category, as bits.
func factDefaults(category string) uint8 {
	var m uint8
	for i, f := range Facts {
		if f.DefaultAll || slices.Contains(f.Defaults, category) {
			m |= 1 << i
		}
	}
	return m
}

// facts returns the facts that hold for the category: the stated ones, and
// the defaults of the others.
func (c Context) facts(category string) uint8 {
	return factDefaults(category)&^c.stated | c.on&c.stated
}

// Resolve returns every fact with whether it holds for the category in this
// context (stated, or by default).
func (c Context) Resolve(category string) map[Fact]bool {
	m := c.facts(category)
	out := make(map[Fact]bool, len(Facts))
	for i, f := range Facts {
		out[f.Fact] = m&(1<<i) != 0
	}
	return out
}

// AppliesWhen is the condition on the tender context under which a
// requirement applies at all: all of AllOf hold, or (when AnyOf is set) at
// least one of AnyOf does. Where it does not hold, the requirement does not
// apply: it is neither met nor failed and never binds.
type AppliesWhen struct {
	AllOf []Fact `yaml:"all_of,omitempty" json:"all_of,omitempty"`
	AnyOf []Fact `yaml:"any_of,omitempty" json:"any_of,omitempty"`
	// Scope says what the condition means for this requirement.
	Scope string `yaml:"scope" json:"scope"`
	// Confidence: high (the rule text says so), medium (authority guidance
	// or commentary) or low (research reading).
	Confidence string `yaml:"confidence" json:"confidence"`
	Source     Source `yaml:"source" json:"source"`
}

// masks returns the condition's fact bits: all of, any of.
func (w *AppliesWhen) masks() (all, any uint8) {
	for _, f := range w.AllOf {
		if b := factBit(f); b >= 0 {
			all |= 1 << b
		}
	}
	for _, f := range w.AnyOf {
		if b := factBit(f); b >= 0 {
			any |= 1 << b
		}
	}
	return all, any
}

// String writes the condition: "security_sensitive or classified_information".
func (w *AppliesWhen) String() string {
	if len(w.AnyOf) > 0 {
		return joinFacts(w.AnyOf, " or ")
	}
	return joinFacts(w.AllOf, " and ")
}

func joinFacts(fs []Fact, sep string) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, sep)
}

// AppliesIn reports whether the requirement applies to the category in the
// context: it has no AppliesWhen, or its condition holds.
func (r Requirement) AppliesIn(c Context, category string) bool {
	if r.AppliesWhen == nil {
		return true
	}
	all, any := r.AppliesWhen.masks()
	return whenHolds(all, any, c.facts(category))
}

func whenHolds(all, any, facts uint8) bool {
	return facts&all == all && (any == 0 || facts&any != 0)
}

// Equal reports whether c and d state the same facts the same way.
func (c Context) Equal(d Context) bool { return c == d }
