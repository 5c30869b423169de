package refstore_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cybermarket/cybermarket/catalog/catalogtest"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
)

func TestMain(m *testing.M) {
	// The template is migrated but not seeded: these tests seed it themselves.
	os.Exit(catalogtest.Main(m, nil))
}

func TestSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, _ := catalogtest.NewStore(t)
	pool := store.Pool()
	rs := refstore.New(pool)
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}

	first, err := rs.Sync(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	want := len(ref.Countries) + len(ref.Categories) + len(ref.Schemes) + len(ref.Requirements)
	if first.Inserted != want || first.Updated+first.Deleted+first.Unchanged != 0 {
		t.Fatalf("first sync %+v, want %d inserted", first, want)
	}

	t.Run("the snapshot equals the embedded data", func(t *testing.T) {
		snap, rev, err := rs.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rev == 0 {
			t.Error("revision 0 after seeding")
		}
		byID := func(a, b compliance.Requirement) int { return strings.Compare(a.ID, b.ID) }
		got, exp := slices.Clone(snap.Requirements), slices.Clone(ref.Requirements)
		slices.SortFunc(got, byID)
		slices.SortFunc(exp, byID)
		opts := cmp.Options{cmpopts.IgnoreUnexported(compliance.Requirement{}, compliance.Reference{}), cmpopts.EquateEmpty()}
		if diff := cmp.Diff(exp, got, opts); diff != "" {
			t.Errorf("requirements differ (-embedded +snapshot):\n%s", diff)
		}
		if len(snap.Schemes) != len(ref.Schemes) || len(snap.Countries) != 30 {
			t.Errorf("%d schemes, %d countries", len(snap.Schemes), len(snap.Countries))
		}
		var levels int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM scheme_levels`).Scan(&levels); err != nil {
			t.Fatal(err)
		}
		wantLevels := 0
		for _, s := range ref.Schemes {
			wantLevels += len(s.Levels)
		}
		if levels != wantLevels {
			t.Errorf("%d scheme levels, want %d", levels, wantLevels)
		}
	})

	t.Run("a second sync changes nothing", func(t *testing.T) {
		before, err := rs.Revision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		again, err := rs.Sync(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if again.Unchanged != want || again.Inserted+again.Updated+again.Deleted != 0 || len(again.Kept) != 0 {
			t.Errorf("second sync %+v", again)
		}
		// Nor the revision: every replica's start syncs, and a new revision
		// is a new reference version (answers and events carry it, and the
		// eligibility comparison runs again).
		if after, err := rs.Revision(ctx); err != nil || after != before {
			t.Errorf("revision %d -> %d (%v) after a sync that changed nothing", before, after, err)
		}
	})

	t.Run("a release keeps administrator edits and reports the conflict", func(t *testing.T) {
		id := ref.Requirements[0].ID
		if _, err := pool.Exec(ctx, `UPDATE requirements SET doc = jsonb_set(doc, '{title}', '"edited by an administrator"'),
			edited_by = 'admin', edited_at = now() WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		release := *ref
		release.Requirements = slices.Clone(ref.Requirements)
		release.Requirements[0].Title = "changed by the release"
		release.Requirements[1].Title = "also changed by the release"
		dropped := release.Requirements[2].ID
		release.Requirements = slices.Delete(release.Requirements, 2, 3)

		rep, err := rs.Sync(ctx, &release)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rep.Kept, []string{"requirements/" + id}) || rep.Updated != 1 || rep.Deleted != 1 {
			t.Errorf("report %+v", rep)
		}
		var title, pending string
		if err := pool.QueryRow(ctx, `SELECT doc->>'title', pending->>'title' FROM requirements WHERE id = $1`, id).Scan(&title, &pending); err != nil {
			t.Fatal(err)
		}
		if title != "edited by an administrator" || pending != "changed by the release" {
			t.Errorf("title %q pending %q", title, pending)
		}
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM requirements WHERE id = $1`, dropped).Scan(&n); err != nil || n != 0 {
			t.Errorf("dropped requirement %s still there (%d, %v)", dropped, n, err)
		}
	})
}
