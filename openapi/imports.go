package openapi

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/eforms"
)

// ImportProjectInput is an eForms contract notice to start a project from.
type ImportProjectInput struct {
	Category string `query:"category" maxLength:"64" doc:"Service category of the project; by default the first category whose primary CPV codes include one of the notice's." example:"incident-response"`
	Country  string `query:"country" maxLength:"2" doc:"Country assessed for; by default the notice's first place of performance." example:"DE"`
	RawBody  []byte `contentType:"application/xml" doc:"The contract notice: UBL XML as published on TED (eForms SDK 1.x), at most 512 KiB."`
}

func (h *handlers) registerImports(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "import-project", Method: http.MethodPost, Path: "/v1/projects/import", DefaultStatus: http.StatusCreated,
		Summary:     "Start a project from an eForms contract notice",
		Description: "Reads an eForms contract notice (UBL XML, eForms SDK 1.x) and starts a project pre-filled with its title (English when the notice has it), main and additional CPV codes, place of performance and lots. A notice that is malformed, has a DTD or entity definitions, nests too deep, is larger than 512 KiB (bodies over 768 KiB get 413), is not a contract notice, or names codes the CPV 2008 vocabulary or the reference data do not have is refused with 422 saying why, and nothing is stored.",
		Tags:        []string{"Projects"}, Errors: []int{401, 403, 413, 422},
		Metadata: allow(buyerOnly),
		// Below the transport's limit, so that huma answers 413 itself.
		MaxBodyBytes: MaxBodyBytes * 3 / 4,
	}, h.importProject)
}

func (h *handlers) importProject(ctx context.Context, in *ImportProjectInput) (*ProjectOutput, error) {
	buyer, err := h.activeBuyer(ctx)
	if err != nil {
		return nil, err
	}
	n, err := eforms.Parse(bytes.NewReader(in.RawBody))
	var perr *eforms.Error
	if errors.As(err, &perr) {
		return nil, catalog.Invalid("body", perr.Reason, nil)
	} else if err != nil {
		return nil, err
	}
	p, err := projectFromNotice(h.Compliance.Current().Reference, n, in.Category, in.Country)
	if err != nil {
		return nil, err
	}
	p.BuyerID, p.BuyerKind = buyer.ID, buyer.Ownership
	created, err := h.Catalog.CreateProject(ctx, p)
	if err != nil {
		return nil, err
	}
	out := projectOutput(catalog.ProjectState{Project: created})
	out.Location = "/v1/projects/" + created.ID.String()
	return out, nil
}

// projectFromNotice maps a notice onto a project: CPV codes with their check
// digits, the country and category from the reference data.
func projectFromNotice(ref *compliance.Reference, n eforms.Notice, category, country string) (catalog.Project, error) {
	p := catalog.Project{Title: n.Title, Category: strings.ToLower(strings.TrimSpace(category)), Lots: []catalog.Lot{},
		Context: n.Facts()} // the facts the selection criteria (BT-809) state
	for _, code := range slices.Concat([]string{n.CPVMain}, n.CPVAdditional) {
		checked, ok := catalog.CheckedCPV(code)
		if !ok {
			return catalog.Project{}, catalog.Invalid("body", "the notice's CPV code "+code+" is not in the CPV 2008 vocabulary", code)
		}
		p.CPVCodes = append(p.CPVCodes, checked)
	}
	switch {
	case country != "":
		p.Country = strings.ToUpper(strings.TrimSpace(country))
	case len(n.Countries) > 0:
		p.Country = n.Countries[0]
	default:
		return catalog.Project{}, catalog.Invalid("query.country", "is required: the notice names no place of performance", nil)
	}
	if _, ok := ref.Country(p.Country); !ok {
		return catalog.Project{}, catalog.Invalid("query.country", "the place of performance "+p.Country+" is not a country of the reference data (name one with ?country=)", p.Country)
	}
	if p.Category == "" {
		p.Category = categoryOf(ref, p.CPVCodes)
	}
	if p.Category == "" {
		return catalog.Project{}, catalog.Invalid("query.category", "is required: none of the notice's CPV codes is a primary code of a service category (see GET /v1/categories)", nil)
	}
	for _, l := range n.Lots {
		title := l.Title
		if title == "" {
			title = n.Title
		}
		p.Lots = append(p.Lots, catalog.Lot{ID: l.ID, Title: title})
	}
	return p, nil
}

// categoryOf is the first category, in the order of codes, that lists one
// of codes as a primary CPV code; "" when none does.
func categoryOf(ref *compliance.Reference, codes []string) string {
	for _, code := range codes {
		for _, c := range ref.Categories {
			for _, cpv := range c.CPV {
				if cpv.Code == code && cpv.Fit == "primary" {
					return c.Slug
				}
			}
		}
	}
	return ""
}
