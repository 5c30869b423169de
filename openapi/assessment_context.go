package openapi

import (
	"github.com/cybermarket/cybermarket/compliance"
)

// contextDoc explains the context parameter once for every operation that takes it.
const contextDoc = "Tender context: comma-separated facts about the procurement, each stated on, or off with a leading '-' " +
	"(health_data_hosted, health_data_processed, cloud_delivered, classified_information, security_sensitive, nis2_entity). " +
	"Facts not stated take their default for the offering's category (see the README). A requirement with applies_when " +
	"binds only where its condition holds. Case-insensitive; default: nothing stated."

// ContextParam is the optional tender context of a request.
type ContextParam struct {
	Context string `query:"context" doc:"Tender context: comma-separated facts, '-' before a fact states it off; see the operation's description." example:"security_sensitive,health_data_hosted"`
}

// tender parses the query parameter (see tenderContext).
func (p ContextParam) tender() (compliance.Context, error) {
	return tenderContext("query.context", p.Context)
}

// tenderContext parses the parameter; an unknown or repeated fact is a 422
// at location, listing the known facts.
func tenderContext(location, s string) (compliance.Context, error) {
	c, err := compliance.ParseContext(s)
	if err != nil {
		return c, placeInput(err, map[string]string{"context": location})
	}
	return c, nil
}

// TenderContext echoes the tender context an answer used.
type TenderContext struct {
	Stated string `json:"stated" doc:"The facts the request stated, canonical ('' = nothing stated: every fact at its category default)." example:"security_sensitive"`
	// Holds lists, per category, the facts that hold.
	Holds map[string][]string `json:"holds" doc:"Per service category: the facts that hold in this context (stated, else the category's default)."`
}

// contextView echoes c for the categories (every category of ref when none given).
func contextView(ref *compliance.Reference, c compliance.Context, categories ...string) TenderContext {
	if len(categories) == 0 {
		for _, k := range ref.Categories {
			categories = append(categories, k.Slug)
		}
	}
	out := TenderContext{Stated: c.String(), Holds: map[string][]string{}}
	for _, k := range categories {
		holds := []string{}
		facts := c.Resolve(k)
		for _, f := range compliance.Facts {
			if facts[f.Fact] {
				holds = append(holds, string(f.Fact))
			}
		}
		out.Holds[k] = holds
	}
	return out
}
