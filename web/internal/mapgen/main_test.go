package main

import (
	"math"
	"testing"
)

func TestProject(t *testing.T) {
	// The centre maps to the origin; north is up, east is right; equal
	// area: a small cell's area is its area on the unit sphere.
	if p := project(10, 52); math.Abs(p.X) > 1e-12 || math.Abs(p.Y) > 1e-12 {
		t.Errorf("centre at %v", p)
	}
	if p := project(10, 60); p.Y <= 0 || math.Abs(p.X) > 1e-12 {
		t.Errorf("north at %v", p)
	}
	if p := project(20, 52); p.X <= 0 {
		t.Errorf("east at %v", p)
	}
	const d = 0.01
	for _, c := range [][2]float64{{-20, 64}, {25, 38}, {15, 50}} {
		a, b, e := project(c[0], c[1]), project(c[0]+d, c[1]), project(c[0], c[1]+d)
		got := math.Abs((b.X-a.X)*(e.Y-a.Y) - (b.Y-a.Y)*(e.X-a.X))
		rad := math.Pi / 180
		want := d * rad * d * rad * math.Cos(c[1]*rad)
		if math.Abs(got-want)/want > 0.01 {
			t.Errorf("area at %v: %g, want %g", c, got, want)
		}
	}
}

func TestSimplify(t *testing.T) {
	// A square with points along its sides keeps only its corners (and the
	// ring's closing point).
	ring := []point{{0, 0}, {5, 0.1}, {10, 0}, {10, 5}, {10, 10}, {5, 10}, {0, 10}, {0, 5}, {0, 0}}
	got := simplify(ring, 0.5)
	if len(got) != 5 {
		t.Errorf("simplified to %v", got)
	}
	if a := math.Abs(area(got)); a != 100 {
		t.Errorf("area %v, want 100", a)
	}
}
