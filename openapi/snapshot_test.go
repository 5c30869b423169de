package openapi

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// tied returns n results that tie on everything the ranking looks at but
// the tie-break, with fixed ids (so the test is deterministic) in ascending
// order, named in the same order.
func tied(n int) []SnapshotResult {
	out := make([]SnapshotResult, n)
	for i := range out {
		id := uuid.UUID{15: byte(i + 1)}
		out[i] = SnapshotResult{OfferingID: id, Offering: string(rune('A' + i)),
			Decision: "included", Eligible: true}
	}
	return out
}

func order(rs []SnapshotResult) []uuid.UUID {
	out := make([]uuid.UUID, len(rs))
	for i, r := range rs {
		out[i] = r.OfferingID
	}
	return out
}

func TestRank_TiesAreBrokenBySeed(t *testing.T) {
	results := tied(8)
	seedA, seedB := []byte("0123456789abcdef"), []byte("fedcba9876543210")

	a := slices.Clone(results)
	rank(a, seedA)
	again := slices.Clone(results)
	slices.Reverse(again) // the input order plays no part
	rank(again, seedA)
	if !slices.Equal(order(a), order(again)) {
		t.Errorf("one seed, two orders:\n%v\n%v", order(a), order(again))
	}
	b := slices.Clone(results)
	rank(b, seedB)
	if slices.Equal(order(a), order(b)) {
		t.Error("two seeds rank 8 tied results the same")
	}
	if slices.Equal(order(a), order(results)) && slices.Equal(order(b), order(results)) {
		t.Error("the ranking follows registration (id) order")
	}
	for i, r := range a {
		sum := sha256.Sum256(append(slices.Clone(seedA), r.OfferingID[:]...))
		if r.Rank != i+1 || r.TieBreak != hex.EncodeToString(sum[:]) {
			t.Errorf("result %d: rank %d, tie-break %s", i, r.Rank, r.TieBreak)
		}
		if i > 0 && a[i-1].TieBreak > r.TieBreak {
			t.Errorf("tie-breaks out of order at %d", i)
		}
	}
}

func TestRank_EligibilityBeforeTieBreak(t *testing.T) {
	rs := tied(4)
	rs[0].Decision = "excluded"
	rs[0].EligibleVerified = true
	rs[1].Eligible = false
	rs[2].EligibleVerified = true
	want := []uuid.UUID{rs[2].OfferingID, rs[3].OfferingID, rs[1].OfferingID, rs[0].OfferingID}
	for _, seed := range [][]byte{[]byte("a"), []byte("b"), []byte("c")} {
		got := slices.Clone(rs)
		rank(got, seed)
		if !slices.Equal(order(got), want) {
			t.Errorf("seed %s: order %v, want verified, eligible, ineligible, excluded", seed, order(got))
		}
	}
}

func TestSnapshot_CanonicalIsStable(t *testing.T) {
	s := Snapshot{Format: snapshotFormat, Searches: []SnapshotSearch{{Query: "<SOC> & co", Filters: map[string]string{"z": "1", "a": "2"}}}}
	b1, d1, err := s.canonical()
	if err != nil {
		t.Fatal(err)
	}
	b2, d2, _ := s.canonical()
	sum := sha256.Sum256(b1)
	if string(b1) != string(b2) || d1 != d2 || d1 != hex.EncodeToString(sum[:]) {
		t.Errorf("canonical form differs between calls or from its digest")
	}
	if want := `"filters":{"a":"2","z":"1"}`; !strings.Contains(string(b1), want) {
		t.Errorf("filters not sorted: %s", b1)
	}
	if !strings.Contains(string(b1), `"<SOC> & co"`) {
		t.Errorf("text is escaped: %s", b1)
	}
}
