package catalog_test

import (
	"strings"
	"testing"

	"github.com/cybermarket/cybermarket/catalog"
)

// TestOutcome_ReasonCountsCharacters: the limit on an outcome's reason is
// 2000 characters, as project_outcomes_reason_check counts them, not bytes.
func TestOutcome_ReasonCountsCharacters(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		reason string
		ok     bool
	}{
		{strings.Repeat("é", 2000), true}, // 4000 bytes
		{strings.Repeat("é", 2001), false},
		{strings.Repeat("a", 2001), false},
	} {
		o := catalog.Outcome{Reason: tc.reason}
		if err := o.Clean(); (err == nil) != tc.ok {
			t.Errorf("%d characters, %d bytes: %v, want ok=%v", len([]rune(tc.reason)), len(tc.reason), err, tc.ok)
		}
	}
}
