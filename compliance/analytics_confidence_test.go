package compliance

import (
	"math"
	"testing"
)

// Reference values: Newcombe (1998), "Two-sided confidence intervals for the
// single proportion", Statistics in Medicine 17, table I (method 3, Wilson
// score without continuity correction), rounded to 4 places.
func TestWilson(t *testing.T) {
	cases := []struct {
		x, n      int
		low, high float64
		small     bool
	}{
		{81, 263, 0.2553, 0.3662, false},
		{15, 148, 0.0624, 0.1605, false},
		{0, 20, 0, 0.1611, false},
		{1, 29, 0.0061, 0.1718, false},
		{0, 10, 0, 0.2775, false},
		{10, 10, 0.7225, 1, false},
		{3, 3, 0.4385, 1, true},
		{1, 9, 0.0199, 0.4350, true},
	}
	for _, tc := range cases {
		got := wilson(tc.x, tc.n)
		if got.N != tc.n || got.SmallN != tc.small || got.Low == nil || got.High == nil {
			t.Fatalf("wilson(%d, %d) = %+v", tc.x, tc.n, got)
		}
		if math.Abs(*got.Low-tc.low) > 1.01e-4 || math.Abs(*got.High-tc.high) > 1.01e-4 {
			t.Errorf("wilson(%d, %d) = (%.4f, %.4f), want (%.4f, %.4f)", tc.x, tc.n, *got.Low, *got.High, tc.low, tc.high)
		}
	}
	if got := wilson(0, 0); got.Low != nil || got.High != nil || !got.SmallN {
		t.Errorf("wilson(0, 0) = %+v, want no interval and the small-n flag", got)
	}
}
