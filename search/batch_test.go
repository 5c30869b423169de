package search

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
)

func TestDocuments_PublicReplacedOthersDeleted(t *testing.T) {
	ref, err := compliance.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	rules := NewRules(ref, 0)
	active := catalog.Vendor{ID: uuid.New(), LegalName: "A (fictional)", Country: "DE", Status: catalog.VendorActive}
	suspended := active
	suspended.ID, suspended.Status = uuid.New(), catalog.VendorSuspended
	offering := func(v catalog.Vendor, status catalog.OfferingStatus) catalog.Offering {
		return catalog.Offering{ID: uuid.New(), VendorID: v.ID, Name: "Pentest", Category: "penetration-testing",
			Delivery: catalog.DeliveryRemote, Countries: []string{"DE"}, Languages: []string{"de"}, Status: status}
	}
	public := offering(active, catalog.OfferingPublished)
	draft := offering(active, catalog.OfferingDraft)
	hidden := offering(suspended, catalog.OfferingPublished)
	gone := uuid.New() // deleted: no entry
	entries := []catalog.IndexEntry{
		{Vendor: active, Offering: public}, {Vendor: active, Offering: draft}, {Vendor: suspended, Offering: hidden},
	}
	docs, deletes := documents(rules, entries, []uuid.UUID{public.ID, draft.ID, hidden.ID, gone}, time.Now())
	if len(docs) != 1 || docs[0].ID != public.ID.String() {
		t.Errorf("documents %v, want the public offering only", docs)
	}
	if want := []string{draft.ID.String(), hidden.ID.String(), gone.String()}; !slices.Equal(deletes, want) {
		t.Errorf("deletes %v, want %v", deletes, want)
	}
}

func TestSettlement(t *testing.T) {
	a, b, c := uuid.New(), uuid.New(), uuid.New()
	rows := []catalog.OutboxRow{{ID: 1, Offering: a}, {ID: 2, Offering: b}, {ID: 3, Offering: a}, {ID: 4, Offering: c}}
	done, retry := settlement(rows, []uuid.UUID{a, c}, []uuid.UUID{b})
	if !slices.Equal(done, []int64{1, 3, 4}) || !slices.Equal(retry, []int64{2}) {
		t.Errorf("done %v retry %v", done, retry)
	}
}

func TestBatches(t *testing.T) {
	docs := make([]Document, 7)
	for i := range docs {
		docs[i].ID = string(rune('a' + i))
	}
	full, rest := batches(docs, 3)
	if len(full) != 2 || len(full[0]) != 3 || len(full[1]) != 3 || len(rest) != 1 || rest[0].ID != "g" {
		t.Fatalf("full %v rest %v", full, rest)
	}
	// A full batch cannot grow into the rest.
	if cap(full[0]) != 3 {
		t.Errorf("batch capacity %d", cap(full[0]))
	}
	if full, rest := batches(docs[:2], 3); len(full) != 0 || len(rest) != 2 {
		t.Errorf("short: full %v rest %v", full, rest)
	}
}
