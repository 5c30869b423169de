package compliance

import (
	"context"
	"errors"
	"testing"
)

// fakeLoader serves a reference at a revision the test sets.
type fakeLoader struct {
	ref      *Reference
	revision int64
	loads    int
	revErr   error
	loadErr  error
}

func (f *fakeLoader) Revision(context.Context) (int64, error) {
	return f.revision, f.revErr
}

func (f *fakeLoader) Load(context.Context) (*Reference, int64, error) {
	f.loads++
	if f.loadErr != nil {
		return nil, 0, f.loadErr
	}
	return f.ref, f.revision, nil
}

func TestLive(t *testing.T) {
	ctx := context.Background()
	src := &fakeLoader{ref: analyticsRef(), revision: 1}
	l, err := OpenLive(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	first := l.Current()
	if first.Revision != 1 || first.Reference != src.ref || first.Engine == nil || src.loads != 1 {
		t.Fatalf("first snapshot %+v after %d loads", first, src.loads)
	}
	var changes [][2]int64
	l.OnChange(func(old, new *Snapshot) { changes = append(changes, [2]int64{old.Revision, new.Revision}) })

	// Same revision: nothing is reloaded.
	if changed, err := l.Refresh(ctx); changed || err != nil || src.loads != 1 || l.Current() != first {
		t.Errorf("same revision: changed %v, err %v, %d loads", changed, err, src.loads)
	}
	// A new revision is loaded and reported.
	src.revision = 2
	if changed, err := l.Refresh(ctx); !changed || err != nil || l.Current().Revision != 2 {
		t.Errorf("new revision: changed %v, err %v, revision %d", changed, err, l.Current().Revision)
	}
	if len(changes) != 1 || changes[0] != [2]int64{1, 2} {
		t.Errorf("changes %v, want [[1 2]]", changes)
	}
	// A failing reload keeps the snapshot in use.
	src.revision, src.loadErr = 3, errors.New("database down")
	if changed, err := l.Refresh(ctx); changed || err == nil || l.Current().Revision != 2 {
		t.Errorf("failed load: changed %v, err %v, revision %d", changed, err, l.Current().Revision)
	}
	src.revErr = errors.New("database down")
	if _, err := l.Refresh(ctx); err == nil {
		t.Error("a failing revision read is not reported")
	}
	if _, err := OpenLive(ctx, &fakeLoader{loadErr: errors.New("empty")}); err == nil {
		t.Error("OpenLive without data succeeded")
	}
}
