package compliance_test

import (
	"sync"
	"testing"

	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/synth"
)

// benchData is the engine and a synthetic catalogue of at least 100,000
// offerings, built once, outside the timers.
var benchData = sync.OnceValues(func() (*compliance.Engine, []compliance.Profile) {
	ref, err := compliance.Embedded()
	if err != nil {
		panic(err)
	}
	// About 2.3 offerings per vendor.
	c := synth.New(2026, ref).Catalogue(45000)
	ps := c.Profiles()
	if len(ps) < 100000 {
		panic("the synthetic catalogue has fewer than 100,000 offerings")
	}
	return compliance.NewEngine(ref), ps[:100000]
})

// richProfile is a profile with several certifications, some relevant in
// many countries.
func richProfile(b *testing.B) (*compliance.Engine, compliance.Profile) {
	e, ps := benchData()
	best := ps[0]
	for _, p := range ps[:5000] {
		if len(p.Certifications) > len(best.Certifications) {
			best = p
		}
	}
	b.Logf("profile: %s, %d certifications", best.Category, len(best.Certifications))
	return e, best
}

// BenchmarkAssessAll: one offering against every country and both buyer
// kinds, with requirement details and gaps (target: under 1 ms).
func BenchmarkAssessAll(b *testing.B) {
	e, p := richProfile(b)
	b.ReportAllocs()
	for b.Loop() {
		if len(e.AssessAll(p, synth.Today)) != 60 {
			b.Fatal("want 60 assessments")
		}
	}
}

// BenchmarkAssess: one offering, one country, one buyer kind.
func BenchmarkAssess(b *testing.B) {
	e, p := richProfile(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Assess(p, "DE", compliance.Public, synth.Today); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEligibility: the eligibility map of one offering, as a search
// index needs it.
func BenchmarkEligibility(b *testing.B) {
	e, p := richProfile(b)
	b.ReportAllocs()
	for b.Loop() {
		e.Eligibility(p, synth.Today)
	}
}

// BenchmarkBarriers100k: the full barriers matrix over 100,000 offerings
// (target: under 2 s).
func BenchmarkBarriers100k(b *testing.B) {
	e, ps := benchData()
	b.ReportAllocs()
	for b.Loop() {
		rows, err := e.Barriers(ps, synth.Today, compliance.BarrierFilter{})
		if err != nil || len(rows) != 600 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}

// BenchmarkWhatIf100k: one recognition in one country over 100,000 offerings.
func BenchmarkWhatIf100k(b *testing.B) {
	e, ps := benchData()
	scenario := []compliance.Recognition{{Country: "DE", Scheme: "secnumcloud", Requirement: "de-c5-sgbv-393"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.WhatIf(ps, synth.Today, scenario); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoadmap: a vendor's roadmap over every country.
func BenchmarkRoadmap(b *testing.B) {
	e, ps := benchData()
	// The profiles of the vendor with the most offerings among the first ones.
	byVendor := map[[16]byte][]compliance.Profile{}
	var most []compliance.Profile
	for _, p := range ps[:5000] {
		byVendor[p.Vendor] = append(byVendor[p.Vendor], p)
		if len(byVendor[p.Vendor]) > len(most) {
			most = byVendor[p.Vendor]
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Roadmap(most, nil, nil, synth.Today); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBarriers100kContext: the barriers matrix over 100,000 offerings
// in a non-default tender context (target: under 2 s).
func BenchmarkBarriers100kContext(b *testing.B) {
	e, ps := benchData()
	c, err := compliance.ParseContext("security_sensitive,classified_information,-health_data_processed,health_data_hosted")
	if err != nil {
		b.Fatal(err)
	}
	e = e.WithContext(c)
	b.ReportAllocs()
	for b.Loop() {
		rows, err := e.Barriers(ps, synth.Today, compliance.BarrierFilter{})
		if err != nil || len(rows) != 600 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
	}
}
