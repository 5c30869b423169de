package openapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// ProjectInput is what a buyer sends to start a procurement project.
type ProjectInput struct {
	Title     string     `json:"title" minLength:"1" maxLength:"300" doc:"What the project procures." example:"Managed detection and response for the Nordstadt hospitals"`
	Category  string     `json:"category" maxLength:"64" doc:"Service category of the reference taxonomy (see GET /v1/categories)." example:"managed-detection-response"`
	CPVCodes  []string   `json:"cpv_codes,omitempty" maxItems:"50" doc:"Common Procurement Vocabulary codes with check digit." example:"[\"72212730-5\"]"`
	Country   string     `json:"country" minLength:"2" maxLength:"2" doc:"Where the services are performed (ISO 3166-1 alpha-2); eligibility is assessed for this country." example:"DE"`
	BuyerKind string     `json:"buyer_kind,omitempty" enum:"public,private" doc:"Buyer kind eligibility is assessed for; default: the buyer organisation's ownership." example:"public"`
	Lots      []LotInput `json:"lots,omitempty" maxItems:"100" doc:"Lots of the procurement."`
	Context   []string   `json:"context,omitempty" maxItems:"50" doc:"Tender context: the facts of the procurement, each stated on, or off with a leading '-' (health_data_hosted, health_data_processed, cloud_delivered, classified_information, security_sensitive, nis2_entity); facts not listed take their category default. An unknown fact is a 422 naming it, with suggestions. The locked snapshot assesses every result in this context." example:"[\"health_data_hosted\",\"-security_sensitive\"]"`
}

// LotInput is one lot of a project.
type LotInput struct {
	ID    string `json:"id" minLength:"1" maxLength:"50" doc:"Lot identifier, as in the tender." example:"LOT-0001"`
	Title string `json:"title" minLength:"1" maxLength:"300" doc:"What the lot covers." example:"24/7 monitoring"`
}

// Project is a procurement project as its buyer and staff see it.
type Project struct {
	ID      uuid.UUID `json:"id" doc:"Project identifier (UUIDv7)." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a90"`
	BuyerID uuid.UUID `json:"buyer_id" doc:"The buyer organisation the project belongs to." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a80"`
	ProjectInput
	Searches  []SavedSearch    `json:"searches" doc:"Searches saved in the project, oldest first."`
	Shortlist []ShortlistEntry `json:"shortlist" doc:"Offerings on the shortlist, each included or excluded with the buyer's note."`
	LockedAt  *time.Time       `json:"locked_at,omitempty" doc:"When the project was locked; absent while it is open."`
	SHA256    string           `json:"sha256,omitempty" doc:"SHA-256 (hex) of the locked snapshot, as every export states it: check an exported file against it." example:"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
	Outcome   *Outcome         `json:"outcome,omitempty" doc:"What came of the project, once recorded."`
	Version   int64            `json:"version" doc:"Version number, incremented by every change; also the ETag." example:"1"`
	CreatedAt time.Time        `json:"created_at" doc:"When the project was made (UTC)."`
	UpdatedAt time.Time        `json:"updated_at" doc:"When the project last changed (UTC)."`
}

// SavedSearch is a search saved in a project.
type SavedSearch struct {
	ID        uuid.UUID         `json:"id" doc:"Search identifier."`
	Query     string            `json:"query" maxLength:"500" doc:"The full-text query." example:"24/7 SOC"`
	Filters   map[string]string `json:"filters" doc:"The filters, by the name of the search-offerings parameter." example:"{\"country\":\"DE\",\"eligible\":\"verified\"}"`
	CreatedAt time.Time         `json:"created_at" doc:"When it was saved (UTC)."`
}

// ShortlistEntry is an offering on a project's shortlist.
type ShortlistEntry struct {
	OfferingID uuid.UUID `json:"offering_id" doc:"The offering."`
	Decision   string    `json:"decision" enum:"included,excluded" doc:"Whether the offering is in or out."`
	Note       string    `json:"note" doc:"Why it is included, or why it is excluded."`
	AddedAt    time.Time `json:"added_at" doc:"When it was first shortlisted (UTC)."`
}

func newProject(st catalog.ProjectState) Project {
	p := st.Project
	out := Project{ID: p.ID, BuyerID: p.BuyerID, ProjectInput: ProjectInput{Title: p.Title, Category: p.Category,
		CPVCodes: orEmpty(p.CPVCodes), Country: p.Country, BuyerKind: string(p.BuyerKind), Lots: []LotInput{}, Context: orEmpty(p.Context)},
		Searches: []SavedSearch{}, Shortlist: []ShortlistEntry{},
		LockedAt: p.LockedAt, SHA256: p.SHA256, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	for _, l := range p.Lots {
		out.Lots = append(out.Lots, LotInput(l))
	}
	for _, s := range st.Searches {
		out.Searches = append(out.Searches, SavedSearch{ID: s.ID, Query: s.Query, Filters: s.Filters, CreatedAt: s.CreatedAt})
	}
	for _, e := range st.Shortlist {
		out.Shortlist = append(out.Shortlist, ShortlistEntry{OfferingID: e.OfferingID, Decision: string(e.Decision), Note: e.Note, AddedAt: e.AddedAt})
	}
	if st.Outcome != nil {
		o := newOutcome(*st.Outcome)
		out.Outcome = &o
	}
	return out
}

func (in ProjectInput) domain(buyer catalog.Buyer) catalog.Project {
	p := catalog.Project{BuyerID: buyer.ID, Title: in.Title, Category: in.Category, CPVCodes: in.CPVCodes,
		Country: in.Country, BuyerKind: catalog.Ownership(in.BuyerKind), Context: in.Context}
	if p.BuyerKind == "" {
		p.BuyerKind = buyer.Ownership
	}
	for _, l := range in.Lots {
		p.Lots = append(p.Lots, catalog.Lot(l))
	}
	return p
}

// ProjectPath names a project in the path.
type ProjectPath struct {
	ID uuid.UUID `path:"id" doc:"Project identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a90"`
}

// ProjectOutput is one project with its ETag.
type ProjectOutput struct {
	ETag     string `header:"ETag" doc:"Strong entity tag of the returned version."`
	Location string `header:"Location" doc:"URL of the created project (on create)."`
	Body     Project
}

func projectOutput(st catalog.ProjectState) *ProjectOutput {
	return &ProjectOutput{ETag: etag(st.Project.Version), Body: newProject(st)}
}

// CreateProjectInput is the project to start.
type CreateProjectInput struct {
	Body ProjectInput
}

// GetProjectInput names the project to return.
type GetProjectInput struct {
	ProjectPath
}

// ListProjectsInput pages the caller's projects.
type ListProjectsInput struct {
	PageParams
}

// ProjectList is one page of projects, without their searches and shortlists.
type ProjectList struct {
	Items      []Project `json:"items" doc:"Projects of this page, oldest first (searches and shortlist empty here: get the project for them)."`
	NextCursor string    `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page."`
}

// ProjectListOutput is a page of projects with a link to the next.
type ProjectListOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body ProjectList
}

// SaveSearchInput is a search to save in a project.
type SaveSearchInput struct {
	ProjectPath
	Body struct {
		Query   string            `json:"query" maxLength:"500" doc:"The full-text query." example:"24/7 SOC"`
		Filters map[string]string `json:"filters,omitempty" maxProperties:"20" doc:"The filters, by the name of the search-offerings parameter." example:"{\"country\":\"DE\",\"eligible\":\"verified\"}"`
	}
}

// ShortlistPath names an offering on a project's shortlist.
type ShortlistPath struct {
	ProjectPath
	OfferingID uuid.UUID `path:"offering_id" doc:"Offering identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
}

// ShortlistOfferingInput puts an offering on the shortlist, or changes its note.
type ShortlistOfferingInput struct {
	ShortlistPath
	Body struct {
		Decision string `json:"decision" enum:"included,excluded" doc:"Whether the offering is in or out." example:"included"`
		Note     string `json:"note,omitempty" maxLength:"2000" doc:"Why it is included, or (required) why it is excluded." example:"Meets every German requirement on verified certificates."`
	}
}

// UnshortlistOfferingInput takes an offering off the shortlist.
type UnshortlistOfferingInput struct {
	ShortlistPath
}

// LockProjectInput names the project to lock.
type LockProjectInput struct {
	ProjectPath
	IfMatch
}

// The access rules of projects. Every key may call the operations on one
// project, so that what is not the caller's is 404 for all alike (a vendor
// key learns no more than another buyer's); the handlers let the project's
// own buyer through, and staff for reads.
var (
	projectAccess = anyKey
	buyerOnly     = access{roles: []catalog.Role{catalog.RoleBuyer}}
)

func (h *handlers) registerProjects(api huma.API) {
	tags := []string{"Projects"}
	write := []int{401, 403, 404, 409, 412, 422}
	huma.Register(api, huma.Operation{
		OperationID: "create-project", Method: http.MethodPost, Path: "/v1/projects", DefaultStatus: http.StatusCreated,
		Summary:     "Start a procurement project",
		Description: "Starts a project for the caller's buyer organisation, which must be admitted (403 while pending). The country must be in the reference data; the buyer kind defaults to the organisation's ownership.",
		Tags:        tags, Errors: []int{401, 403, 422},
		Metadata: allow(buyerOnly),
	}, h.createProject)
	huma.Register(api, huma.Operation{
		OperationID: "list-projects", Method: http.MethodGet, Path: "/v1/projects",
		Summary:     "List procurement projects",
		Description: "Lists the caller's buyer organisation's projects, oldest first; staff see every buyer's. Other keys see none.",
		Tags:        tags,
		Metadata:    allow(projectAccess),
	}, h.listProjects)
	huma.Register(api, huma.Operation{
		OperationID: "get-project", Method: http.MethodGet, Path: "/v1/projects/{id}",
		Summary:     "Get a procurement project",
		Description: "Returns a project with its searches, shortlist, lock, snapshot digest and outcome. Only its buyer organisation and staff see it: 404 for every other key.",
		Tags:        tags, Errors: []int{401, 404},
		Metadata: allow(projectAccess),
	}, h.getProject)
	huma.Register(api, huma.Operation{
		OperationID: "save-search", Method: http.MethodPost, Path: "/v1/projects/{id}/searches", DefaultStatus: http.StatusCreated,
		Summary:     "Save a search in a project",
		Description: "Records a query and its filters in an open project; the lock freezes them. 409 once the project is locked.",
		Tags:        tags, Errors: write,
		Metadata: allow(projectAccess),
	}, h.saveSearch)
	huma.Register(api, huma.Operation{
		OperationID: "shortlist-offering", Method: http.MethodPut, Path: "/v1/projects/{id}/shortlist/{offering_id}",
		Summary:     "Include or exclude an offering",
		Description: "Puts a published offering on an open project's shortlist as included or excluded, with a note (required for an exclusion: say why), or changes its decision and note. 409 once the project is locked.",
		Tags:        tags, Errors: write,
		Metadata: allow(projectAccess),
	}, h.shortlistOffering)
	huma.Register(api, huma.Operation{
		OperationID: "unshortlist-offering", Method: http.MethodDelete, Path: "/v1/projects/{id}/shortlist/{offering_id}",
		Summary:     "Take an offering off the shortlist",
		Description: "Removes an offering from an open project's shortlist. 409 once the project is locked.",
		Tags:        tags, Errors: write,
		Metadata: allow(projectAccess),
	}, h.unshortlistOffering)
	huma.Register(api, huma.Operation{
		OperationID: "lock-project", Method: http.MethodPost, Path: "/v1/projects/{id}/lock",
		Summary:     "Lock a project: freeze its record",
		Description: "Freezes the project in an immutable snapshot: the time, the saved searches with their filters, the tender context, the reference data version, every shortlisted offering ranked, with its eligibility explanation at this moment (each requirement, met by which certificates, verified or self-declared, valid when) and the buyer's note. Ties in the ranking are broken by a hash of the offering id with the project's own seed, never by name or registration order. The snapshot's SHA-256 is shown in the project and stated in every export. Nothing can change a locked project (409), and the database refuses it too.",
		Tags:        tags, Errors: write,
		Metadata: allow(projectAccess),
	}, h.lockProject)
	h.registerExports(api)
	h.registerOutcomes(api)
	h.registerImports(api)
}

// projectFor returns the project id with what it holds if the caller may
// see it: its own buyer, or staff. Every other caller gets ErrNotFound.
// With write, staff get 403: only the buyer changes its project, and only
// while the buyer is admitted (a suspended buyer reads its projects).
func (h *handlers) projectFor(ctx context.Context, id uuid.UUID, write bool) (catalog.ProjectState, error) {
	p := PrincipalFrom(ctx)
	st, err := h.Catalog.FindProjectState(ctx, id)
	switch {
	case err != nil:
		return catalog.ProjectState{}, err
	case p.Role == catalog.RoleBuyer && p.BuyerID == st.Project.BuyerID && write:
		if _, err := h.activeBuyer(ctx); err != nil {
			return catalog.ProjectState{}, err
		}
		return st, nil
	case p.Role == catalog.RoleBuyer && p.BuyerID == st.Project.BuyerID:
		return st, nil
	case p.Role.Staff() && !write:
		return st, nil
	case p.Role.Staff():
		return catalog.ProjectState{}, denied("Only the project's buyer organisation changes its project.")
	}
	return catalog.ProjectState{}, catalog.ErrNotFound
}

func (h *handlers) createProject(ctx context.Context, in *CreateProjectInput) (*ProjectOutput, error) {
	buyer, err := h.activeBuyer(ctx)
	if err != nil {
		return nil, err
	}
	p := in.Body.domain(buyer)
	if err := checkProject(h.Compliance.Current().Reference, p); err != nil {
		return nil, err
	}
	created, err := h.Catalog.CreateProject(ctx, p)
	if err != nil {
		return nil, err
	}
	out := projectOutput(catalog.ProjectState{Project: created})
	out.Location = "/v1/projects/" + created.ID.String()
	return out, nil
}

// checkProject checks p as the store will and against the reference data
// ref (its country, its tender-context facts), reporting every fault at once.
func checkProject(ref *compliance.Reference, p catalog.Project) error {
	var r rejections
	country := p.Country
	_ = r.add(checkProjectContext("context", p.Context)) // first: its messages suggest facts
	_ = r.add(p.Clean())
	if !knownCountry(ref, strings.ToUpper(strings.TrimSpace(country))) {
		_ = r.add(catalog.Invalid("country", "is not a country of the reference data (see GET /v1/countries)", country))
	}
	return r.err()
}

func (h *handlers) listProjects(ctx context.Context, in *ListProjectsInput) (*ProjectListOutput, error) {
	p := PrincipalFrom(ctx)
	out := &ProjectListOutput{Body: ProjectList{Items: []Project{}}}
	if p.Role != catalog.RoleBuyer && !p.Role.Staff() {
		return out, nil
	}
	page, err := h.Catalog.ListProjects(ctx, catalog.ProjectFilter{BuyerID: p.BuyerID, Cursor: in.Cursor, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	for _, pr := range page.Items {
		out.Body.Items = append(out.Body.Items, newProject(catalog.ProjectState{Project: pr}))
	}
	out.Body.NextCursor = page.Next
	out.Link = nextLink("/v1/projects", url.Values{"limit": {itoa(in.Limit)}}, page.Next)
	return out, nil
}

func (h *handlers) getProject(ctx context.Context, in *GetProjectInput) (*ProjectOutput, error) {
	st, err := h.projectFor(ctx, in.ID, false)
	if err != nil {
		return nil, err
	}
	return projectOutput(st), nil
}

func (h *handlers) saveSearch(ctx context.Context, in *SaveSearchInput) (*ProjectOutput, error) {
	if _, err := h.projectFor(ctx, in.ID, true); err != nil {
		return nil, err
	}
	st, err := h.Catalog.AddSearch(ctx, in.ID, catalog.SavedSearch{Query: in.Body.Query, Filters: in.Body.Filters})
	if err != nil {
		return nil, err
	}
	return projectOutput(st), nil
}

func (h *handlers) shortlistOffering(ctx context.Context, in *ShortlistOfferingInput) (*ProjectOutput, error) {
	if _, err := h.projectFor(ctx, in.ID, true); err != nil {
		return nil, err
	}
	if _, err := h.Catalog.VisibleOffering(ctx, in.OfferingID, catalog.Viewer{}); err != nil {
		return nil, err // only published offerings of admitted vendors: 404 for others
	}
	st, err := h.Catalog.Shortlist(ctx, in.ID, catalog.ShortlistEntry{OfferingID: in.OfferingID,
		Decision: catalog.Choice(in.Body.Decision), Note: in.Body.Note})
	if err != nil {
		return nil, err
	}
	return projectOutput(st), nil
}

func (h *handlers) unshortlistOffering(ctx context.Context, in *UnshortlistOfferingInput) (*ProjectOutput, error) {
	if _, err := h.projectFor(ctx, in.ID, true); err != nil {
		return nil, err
	}
	st, err := h.Catalog.Unshortlist(ctx, in.ID, in.OfferingID)
	if err != nil {
		return nil, err
	}
	return projectOutput(st), nil
}
