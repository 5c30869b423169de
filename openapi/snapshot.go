package openapi

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

// snapshotFormat names the layout of a snapshot; a new layout gets a new name.
const snapshotFormat = "cybermarket.project-snapshot.v1"

// Snapshot is the frozen record of a locked project. Its canonical form is
// its encoding/json encoding (fields in declaration order, maps by key):
// those bytes are stored, hashed with SHA-256 and exported unchanged.
type Snapshot struct {
	Format    string           `json:"format" doc:"Layout of this document." example:"cybermarket.project-snapshot.v1"`
	Project   SnapshotProject  `json:"project" doc:"The project as it was locked."`
	LockedAt  time.Time        `json:"locked_at" doc:"When the project was locked (UTC)."`
	Day       string           `json:"assessment_day" doc:"Day eligibility was assessed for: only certificates valid that day count." example:"2026-12-01"`
	Reference string           `json:"reference_version" doc:"Version of the reference data the assessment used." example:"5cec871640c4+r3"`
	Seed      string           `json:"ranking_seed" doc:"The project's seed (hex): ties in the ranking are broken by SHA-256 over it and the offering id."`
	Searches  []SnapshotSearch `json:"searches" doc:"The saved searches with their filters, oldest first."`
	Results   []SnapshotResult `json:"results" doc:"Every shortlisted offering, ranked."`
}

// SnapshotProject is what a snapshot keeps of its project.
type SnapshotProject struct {
	ID        uuid.UUID  `json:"id" doc:"Project identifier."`
	BuyerID   uuid.UUID  `json:"buyer_id" doc:"Buyer organisation."`
	Title     string     `json:"title" doc:"Project title."`
	Category  string     `json:"category" doc:"Service category."`
	CPVCodes  []string   `json:"cpv_codes" doc:"CPV codes."`
	Country   string     `json:"country" doc:"Country assessed for."`
	BuyerKind string     `json:"buyer_kind" doc:"Buyer kind assessed for."`
	Lots      []LotInput `json:"lots" doc:"Lots."`
	Context   []string   `json:"context" doc:"Tender-context fact names."`
}

// SnapshotSearch is a saved search as locked.
type SnapshotSearch struct {
	Query   string            `json:"query" doc:"The full-text query."`
	Filters map[string]string `json:"filters" doc:"The filters."`
	SavedAt time.Time         `json:"saved_at" doc:"When it was saved (UTC)."`
	// Results and ResultsNote were added after the first snapshots: those
	// locked before have neither.
	Results     []SnapshotHit `json:"results,omitempty" doc:"What the search returned at the lock: its first 100 results in its order (absent when it could not be run, see results_note)."`
	ResultsNote string        `json:"results_note,omitempty" doc:"Why the results are absent or empty: no search index at the lock, or filters the reference data no longer knows."`
}

// SnapshotResult is one shortlisted offering with its eligibility at the lock.
type SnapshotResult struct {
	Rank             int                     `json:"rank" doc:"Position, 1 first: included before excluded, then eligible on verified certificates, then eligible, then the tie-break."`
	TieBreak         string                  `json:"tie_break" doc:"SHA-256 (hex) over the ranking seed and the offering id; ascending within a tie."`
	OfferingID       uuid.UUID               `json:"offering_id" doc:"Offering identifier."`
	Offering         string                  `json:"offering" doc:"Offering name."`
	OfferingStatus   string                  `json:"offering_status" doc:"Offering state at the lock (published, draft, withdrawn)."`
	Category         string                  `json:"category" doc:"Offering category."`
	VendorID         uuid.UUID               `json:"vendor_id" doc:"Vendor identifier."`
	Vendor           string                  `json:"vendor" doc:"Vendor legal name."`
	VendorCountry    string                  `json:"vendor_country" doc:"Vendor head-office country."`
	Contact          ContactInput            `json:"contact" doc:"The vendor's tender contact."`
	Decision         string                  `json:"decision" doc:"included or excluded."`
	Note             string                  `json:"note" doc:"The buyer's note: why included, or why excluded."`
	Eligible         bool                    `json:"eligible" doc:"Every binding requirement met on all valid certificates, self-declared included."`
	EligibleVerified bool                    `json:"eligible_verified" doc:"The same on verified certificates only."`
	Requirements     []RequirementResult     `json:"requirements" doc:"Each applicable requirement: met, partly met, unmet or not assessable, and by which certificates."`
	Certifications   []SnapshotCertification `json:"certifications" doc:"The vendor's certificates covering the offering, with their verification and validity."`
}

// SnapshotCertification is a certificate as it stood at the lock.
type SnapshotCertification struct {
	ID         uuid.UUID `json:"id" doc:"Certification identifier."`
	Scheme     string    `json:"scheme" doc:"Scheme."`
	Level      string    `json:"level" doc:"Level held, if the scheme has levels."`
	Number     string    `json:"number" doc:"Certificate number."`
	Issuer     string    `json:"issuer" doc:"Certification body."`
	Status     string    `json:"status" doc:"Verification state: verified, self-declared, or not counted (rejected, suspended, withdrawn)."`
	ValidFrom  string    `json:"valid_from" doc:"First valid day."`
	ValidUntil string    `json:"valid_until" doc:"Last valid day."`
	ValidAtDay bool      `json:"valid_on_assessment_day" doc:"Whether it was valid on the assessment day."`
}

// canonical returns the bytes of s that are stored and hashed, and their hex SHA-256.
func (s Snapshot) canonical() ([]byte, string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, "", err
	}
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	sum := sha256.Sum256(body)
	return body, hex.EncodeToString(sum[:]), nil
}

// tieBreak is SHA-256 over the seed and the offering id, in hex: a neutral
// order within ties that differs between projects and never changes within one.
func tieBreak(seed []byte, offering uuid.UUID) string {
	h := sha256.New()
	h.Write(seed)
	h.Write(offering[:])
	return hex.EncodeToString(h.Sum(nil))
}

// rank orders results and numbers them from 1: included before excluded,
// eligible on verified certificates first, then eligible, then by tie-break.
// Names and registration order play no part.
func rank(results []SnapshotResult, seed []byte) {
	tier := func(r SnapshotResult) int {
		t := 0
		if r.Decision != string(catalog.Included) {
			t += 4
		}
		if !r.EligibleVerified {
			t++
		}
		if !r.Eligible {
			t++
		}
		return t
	}
	for i := range results {
		results[i].TieBreak = tieBreak(seed, results[i].OfferingID)
	}
	slices.SortFunc(results, func(a, b SnapshotResult) int {
		return cmp.Or(cmp.Compare(tier(a), tier(b)), cmp.Compare(a.TieBreak, b.TieBreak))
	})
	for i := range results {
		results[i].Rank = i + 1
	}
}

// buildSnapshot assesses every shortlisted offering of st for the project's
// country and buyer kind on the day of at, and ranks them.
func (h *handlers) buildSnapshot(ctx context.Context, st catalog.ProjectState, at time.Time) (Snapshot, error) {
	p := st.Project
	ref := h.Compliance.Current()
	day := catalog.Day(at)
	s := Snapshot{Format: snapshotFormat, LockedAt: at, Day: day.Format(time.DateOnly), Reference: ref.Reference.Version,
		Seed: hex.EncodeToString(p.Seed), Searches: []SnapshotSearch{}, Results: []SnapshotResult{},
		Project: SnapshotProject{ID: p.ID, BuyerID: p.BuyerID, Title: p.Title, Category: p.Category, CPVCodes: orEmpty(p.CPVCodes),
			Country: p.Country, BuyerKind: string(p.BuyerKind), Lots: []LotInput{}, Context: orEmpty(p.Context)}}
	for _, l := range p.Lots {
		s.Project.Lots = append(s.Project.Lots, LotInput(l))
	}
	for _, q := range st.Searches {
		hits, note, err := h.savedSearchHits(ctx, q)
		if err != nil {
			return Snapshot{}, err
		}
		s.Searches = append(s.Searches, SnapshotSearch{Query: q.Query, Filters: q.Filters, SavedAt: q.CreatedAt,
			Results: hits, ResultsNote: note})
	}
	for _, e := range st.Shortlist {
		r, err := h.assessForSnapshot(ctx, ref, p, e, day)
		if err != nil {
			return Snapshot{}, err
		}
		s.Results = append(s.Results, r)
	}
	rank(s.Results, p.Seed)
	return s, nil
}

// assessForSnapshot is the shortlist entry e with its offering's
// eligibility for project p on day.
func (h *handlers) assessForSnapshot(ctx context.Context, ref *compliance.Snapshot, p catalog.Project, e catalog.ShortlistEntry, day time.Time) (SnapshotResult, error) {
	o, err := h.Catalog.FindOffering(ctx, e.OfferingID)
	if err != nil {
		return SnapshotResult{}, err
	}
	v, err := h.Catalog.FindVendor(ctx, o.VendorID)
	if err != nil {
		return SnapshotResult{}, err
	}
	certs, err := h.Catalog.VendorCertifications(ctx, o.VendorID)
	if err != nil {
		return SnapshotResult{}, err
	}
	a, err := ref.Engine.WithContext(projectContext(p.Context)).Assess(compliance.ProfileOf(v, o, certs), p.Country, compliance.Buyer(p.BuyerKind), day)
	if err != nil {
		return SnapshotResult{}, err
	}
	r := SnapshotResult{OfferingID: o.ID, Offering: o.Name, OfferingStatus: string(o.Status), Category: o.Category,
		VendorID: v.ID, Vendor: v.LegalName, VendorCountry: v.Country, Contact: ContactInput(v.Contact),
		Decision: string(e.Decision), Note: e.Note, Eligible: a.Eligible, EligibleVerified: a.EligibleVerified,
		Requirements: assessmentView(a).Requirements, Certifications: []SnapshotCertification{}}
	for _, c := range certs {
		if len(c.OfferingIDs) > 0 && !slices.Contains(c.OfferingIDs, o.ID) {
			continue
		}
		r.Certifications = append(r.Certifications, SnapshotCertification{ID: c.ID, Scheme: c.Scheme, Level: c.Level,
			Number: c.Number, Issuer: c.Issuer, Status: string(c.Status), ValidFrom: c.ValidFrom.Format(time.DateOnly),
			ValidUntil: c.ValidUntil.Format(time.DateOnly), ValidAtDay: !day.Before(c.ValidFrom) && !day.After(c.ValidUntil)})
	}
	return r, nil
}

func (h *handlers) lockProject(ctx context.Context, in *LockProjectInput) (*ProjectOutput, error) {
	version, err := in.IfMatch.version()
	if err != nil {
		return nil, err
	}
	st, err := h.projectFor(ctx, in.ID, true)
	if err != nil {
		return nil, err
	}
	if st.Project.Locked() {
		return nil, &catalog.ConflictError{Field: "project", Message: "the project is locked already"}
	}
	if version > 0 && version != st.Project.Version {
		return nil, catalog.ErrStale
	}
	at := time.Now().UTC().Truncate(time.Second)
	snap, err := h.buildSnapshot(ctx, st, at)
	if err != nil {
		return nil, err
	}
	body, _, err := snap.canonical()
	if err != nil {
		return nil, err
	}
	// The snapshot is of the version read above: if the project changed
	// meanwhile, the store refuses (412) rather than lock a stale record.
	locked, err := h.Catalog.LockProject(ctx, in.ID, st.Project.Version, at, body)
	if err != nil {
		return nil, err
	}
	return projectOutput(locked), nil
}
