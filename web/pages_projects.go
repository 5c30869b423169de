package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Procurement projects: a buyer's list of projects, the form that starts
// one and the project page (saved searches, shortlist with notes, compare,
// lock, the snapshot's digest and exports, the outcome). Every read and
// write is a project operation of the API with the buyer's key, so only the
// project's buyer organisation (and staff, reading) sees a project.

// projectRoutes registers the pages of buyers and their projects.
func (s *Server) projectRoutes(mux *http.ServeMux) {
	mux.Handle("GET /buyers/signup", s.page(s.buyerSignUpForm))
	mux.Handle("POST /buyers/signup", s.page(s.buyerSignUp))
	mux.Handle("GET /staff/buyers", s.page(s.staffBuyers))
	mux.Handle("POST /staff/buyers/{id}/admit", s.page(s.admitBuyer))
	mux.Handle("GET /staff/projects", s.page(s.staffProjects))
	mux.Handle("GET /projects", s.page(s.projects))
	mux.Handle("GET /projects/new", s.page(s.newProjectForm))
	mux.Handle("POST /projects", s.page(s.createProject))
	mux.Handle("GET /projects/shortlist", s.page(s.shortlistForm))
	mux.Handle("POST /projects/shortlist", s.page(s.addToShortlist))
	mux.Handle("GET /projects/{id}", s.page(s.project))
	mux.Handle("POST /projects/{id}/searches", s.page(s.saveSearch))
	mux.Handle("POST /projects/{id}/shortlist/{offering}", s.page(s.updateShortlist))
	mux.Handle("POST /projects/{id}/shortlist/{offering}/remove", s.page(s.removeFromShortlist))
	mux.Handle("GET /projects/{id}/lock", s.page(s.lockForm))
	mux.Handle("POST /projects/{id}/lock", s.page(s.lock))
	mux.Handle("GET /projects/{id}/export/{format}", s.page(s.export))
	mux.Handle("POST /projects/{id}/outcome", s.page(s.recordOutcome))
}

// projectView is a project (get-project).
type projectView struct {
	ID        string               `json:"id"`
	BuyerID   string               `json:"buyer_id"`
	Title     string               `json:"title"`
	Category  string               `json:"category"`
	CPVCodes  []string             `json:"cpv_codes"`
	Lots      []lotView            `json:"lots"`
	Country   string               `json:"country"`
	BuyerKind string               `json:"buyer_kind"`
	Context   []string             `json:"context"`
	Searches  []savedSearchView    `json:"searches"`
	Shortlist []shortlistEntryView `json:"shortlist"`
	LockedAt  string               `json:"locked_at"`
	SHA256    string               `json:"sha256"`
	Outcome   *outcomeView         `json:"outcome"`
	Version   int64                `json:"version"`
	CreatedAt string               `json:"created_at"`
}

// Locked reports whether the project is frozen.
func (p projectView) Locked() bool { return p.LockedAt != "" }

// LockedText is when the project was locked, to the minute (UTC).
func (p projectView) LockedText() string {
	t, err := time.Parse(time.RFC3339Nano, p.LockedAt)
	if err != nil {
		return p.LockedAt
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// lotView is a lot of a project.
type lotView struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// savedSearchView is a search saved in a project.
type savedSearchView struct {
	ID        string            `json:"id"`
	Query     string            `json:"query"`
	Filters   map[string]string `json:"filters"`
	CreatedAt string            `json:"created_at"`
}

// shortlistEntryView is an offering on a shortlist.
type shortlistEntryView struct {
	OfferingID string `json:"offering_id"`
	Decision   string `json:"decision"`
	Note       string `json:"note"`
	AddedAt    string `json:"added_at"`
}

// outcomeView is a project's outcome.
type outcomeView struct {
	Awarded    bool   `json:"awarded"`
	OfferingID string `json:"offering_id"`
	ValueEUR   *int64 `json:"value_eur"`
	StartsOn   string `json:"starts_on"`
	EndsOn     string `json:"ends_on"`
	Reason     string `json:"reason"`
	RecordedAt string `json:"recorded_at"`
}

// Value is the contract value, 0 when none was recorded.
func (o outcomeView) Value() int64 {
	if o.ValueEUR == nil {
		return 0
	}
	return *o.ValueEUR
}

// tenderFacts are the tender-context facts a project may state: the name
// the project operations take, and its label (an interface text).
var tenderFacts = []option{{"health_data_hosted", "Health data is hosted"}, {"health_data_processed", "Health data is processed"},
	{"cloud_delivered", "Delivered from the cloud"}, {"classified_information", "Classified information"},
	{"security_sensitive", "Security-sensitive"}, {"nis2_entity", "The buyer is a NIS2 entity"}}

// factLabel is the label of tender-context fact name, or name.
func factLabel(name string) string {
	for _, f := range tenderFacts {
		if f.Value == name {
			return f.Label
		}
	}
	return name
}

// projectsData is the project list's data.
type projectsData struct {
	Ref      *reference
	Projects []projectView
	// NewKey is the buyer key of a fresh registration, shown this once.
	NewKey string
	Buyer  buyerView
}

// requireBuyer allows only a buyer's session; others get 403 (or sign in).
func (q *request) requireBuyer() (bool, error) {
	if !q.requireSession() {
		return false, nil
	}
	if q.sess.role != "buyer" {
		return false, errPage{http.StatusForbidden}
	}
	return true, nil
}

// requireProjectReader allows a buyer's session, which reads and changes its
// organisation's projects, and staff, who read every project.
func (q *request) requireProjectReader() (bool, error) {
	if !q.requireSession() {
		return false, nil
	}
	if q.sess.role != "buyer" && !q.sess.IsStaff() {
		return false, errPage{http.StatusForbidden}
	}
	return true, nil
}

// requireBuyerPost is requireBuyer for a form post: it also parses the form.
func (q *request) requireBuyerPost() (bool, error) {
	if ok, err := q.requireBuyer(); !ok {
		return false, err
	}
	if err := q.r.ParseForm(); err != nil {
		return false, errPage{http.StatusBadRequest}
	}
	return true, nil
}

// projects answers the buyer's projects (list-projects), with the buyer
// organisation's admission state and, after registering, its key once.
func (s *Server) projects(q *request) error {
	if ok, err := q.requireBuyer(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	d := &projectsData{Ref: ref}
	if d.NewKey, err = s.sessions.takeNewKey(q.r.Context(), q.sess); err != nil {
		return err
	}
	if d.Buyer, err = q.ownBuyer(); err != nil {
		return err
	}
	var page listOf[projectView]
	if err := q.api.get(q.r.Context(), "/v1/projects", url.Values{"limit": {"100"}}, &page); err != nil {
		return err
	}
	d.Projects = page.Items
	return q.render(http.StatusOK, "projects", q.view("Your procurement projects", d))
}

// projectFields are the fields of the project form, as the API names them.
func projectFields(v *view) []field {
	return []field{{Name: "title", Label: v.T("Title")}, {Name: "category", Label: v.T("Category")},
		{Name: "cpv_codes", Label: v.T("CPV codes")}, {Name: "lots", Label: v.T("Lots"), Lines: true},
		{Name: "country", Label: v.T("Country of performance")},
		{Name: "buyer_kind", Label: v.T("Assess for")}, {Name: "context", Label: v.T("Tender context")}}
}

// projectFormData is the project form's data.
type projectFormData struct {
	Ref   *reference
	Facts []option
}

// newProjectForm shows the form that starts a project.
func (s *Server) newProjectForm(q *request) error {
	if ok, err := q.requireBuyer(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	v := q.view("Start a procurement project", projectFormData{Ref: ref, Facts: tenderFacts})
	v.Form = newForm(nil)
	return q.render(http.StatusOK, "project_form", v)
}

// createProject sends the form to create-project.
func (s *Server) createProject(q *request) error {
	if ok, err := q.requireBuyerPost(); !ok {
		return err
	}
	ref, err := q.reference()
	if err != nil {
		return err
	}
	f := q.r.PostForm
	body := map[string]any{"title": f.Get("title"), "category": f.Get("category"), "country": f.Get("country")}
	if codes := splitList(f.Get("cpv_codes")); len(codes) > 0 {
		body["cpv_codes"] = codes
	}
	if lots := parseLots(f.Get("lots")); len(lots) > 0 {
		body["lots"] = lots
	}
	optional(body, "buyer_kind", f.Get("buyer_kind"))
	if facts := nonEmpty(f["context"]); len(facts) > 0 {
		body["context"] = facts
	}
	var created projectView
	if err := q.api.call(q.r.Context(), http.MethodPost, "/v1/projects", body, &created); err != nil {
		return q.formFailed(err, "project_form", "Start a procurement project", projectFormData{Ref: ref, Facts: tenderFacts}, projectFields)
	}
	return q.redirect("/projects/" + url.PathEscape(created.ID) + "?done=created")
}

// parseLots reads the lots typed one per line, "identifier: what it covers"
// (a tab may stand for the colon). A line without either is sent as an
// identifier without a title, so that the API names the line's error.
func parseLots(s string) []lotView {
	var lots []lotView
	for line := range strings.Lines(s) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		id, title, ok := strings.Cut(line, ":")
		if !ok {
			id, title, _ = strings.Cut(line, "\t")
		}
		lots = append(lots, lotView{ID: strings.TrimSpace(id), Title: strings.TrimSpace(title)})
	}
	return lots
}

// splitList splits a list typed with commas, semicolons, spaces or lines.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
}
