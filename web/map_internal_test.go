package web

import (
	"regexp"
	"strconv"
	"testing"
)

// TestEuropeDrawing checks the generated map: the 30 EU/EEA countries, each
// once, each outline closed path data inside the drawing.
func TestEuropeDrawing(t *testing.T) {
	if len(europe.Countries) != 30 {
		t.Fatalf("%d countries drawn, want 30", len(europe.Countries))
	}
	seen := map[string]bool{}
	num := regexp.MustCompile(`-?[0-9.]+`)
	for _, c := range europe.Countries {
		if seen[c.Code] {
			t.Errorf("%s drawn twice", c.Code)
		}
		seen[c.Code] = true
		if len(c.D) < 10 || c.D[0] != 'M' || c.D[len(c.D)-1] != 'Z' {
			t.Errorf("%s: path data %.20q", c.Code, c.D)
		}
		for i, s := range num.FindAllString(c.D, -1) {
			f, err := strconv.ParseFloat(s, 64)
			limit := float64(europe.Width)
			if i%2 == 1 {
				limit = float64(europe.Height)
			}
			if err != nil || f < 0 || f > limit {
				t.Errorf("%s: coordinate %s outside the %dx%d drawing", c.Code, s, europe.Width, europe.Height)
				break
			}
		}
	}
	for _, small := range []string{"LI", "MT"} {
		for _, c := range europe.Countries {
			if c.Code == small && !c.Small {
				t.Errorf("%s has no dot", small)
			}
		}
	}
}

func TestBin(t *testing.T) {
	for _, tc := range []struct {
		x, lo, hi float64
		want      int
	}{
		{0, 0, 1, 0}, {0.19, 0, 1, 0}, {0.2, 0, 1, 1}, {0.5, 0, 1, 2}, {0.99, 0, 1, 4}, {1, 0, 1, 4},
		{5, 5, 5, 0}, {-1, 0, 1, 0}, {3000, 1000, 6000, 2},
	} {
		if got := bin(tc.x, tc.lo, tc.hi); got != tc.want {
			t.Errorf("bin(%v, %v, %v) = %d, want %d", tc.x, tc.lo, tc.hi, got, tc.want)
		}
	}
}
