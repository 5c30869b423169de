package main

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
)

// TestPaced: the eligibility pass works at most its duty of the time - at
// half a core, every 50 ms of work is followed by as long a sleep - and
// passes every answer through.
func TestPaced(t *testing.T) {
	clock := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	var slept []time.Duration
	work := func(catalog.IndexEntry) (json.RawMessage, error) {
		clock = clock.Add(20 * time.Millisecond) // each offering takes 20 ms
		return json.RawMessage(`"ok"`), nil
	}
	f := paced(work, 0.5, func() time.Time { return clock }, func(d time.Duration) { slept = append(slept, d) })
	for range 7 {
		if v, err := f(catalog.IndexEntry{}); err != nil || string(v) != `"ok"` {
			t.Fatalf("answer %s, %v", v, err)
		}
	}
	// 7 x 20 ms: a sleep after the 3rd (60 ms) and the 6th (60 ms); 20 ms pending.
	if len(slept) != 2 || slept[0] != 60*time.Millisecond || slept[1] != 60*time.Millisecond {
		t.Errorf("slept %v, want [60ms 60ms]", slept)
	}
	slept = nil
	quarter := paced(work, 0.25, func() time.Time { return clock }, func(d time.Duration) { slept = append(slept, d) })
	for range 3 {
		_, _ = quarter(catalog.IndexEntry{})
	}
	if len(slept) != 1 || slept[0] != 180*time.Millisecond {
		t.Errorf("a quarter of a core: slept %v, want [180ms]", slept)
	}
}
