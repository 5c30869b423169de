package compliance

import "math"

// wilsonZ is the standard normal quantile for a two-sided 95% interval.
const wilsonZ = 1.959963984540054

// SmallSample is the sample size below which a share is flagged as too small
// to rest a decision on.
const SmallSample = 10

// Proportion is a share with its sample size and its 95% Wilson score
// interval, rounded outward to 4 places. Low and High are nil when N is 0;
// SmallN is set when N < 10.
type Proportion struct {
	N      int      `json:"n"`
	Low    *float64 `json:"low"`
	High   *float64 `json:"high"`
	SmallN bool     `json:"small_n"`
}

// wilson returns x of n as a Proportion with its 95% Wilson score interval:
// (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n). Unlike the normal
// approximation it stays within [0, 1] and is not empty at p = 0 or 1.
func wilson(x, n int) Proportion {
	pr := Proportion{N: n, SmallN: n < SmallSample}
	if n <= 0 {
		return pr
	}
	p, nf, z2 := float64(x)/float64(n), float64(n), wilsonZ*wilsonZ
	den := 1 + z2/nf
	center := (p + z2/(2*nf)) / den
	half := wilsonZ * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	low, high := max(0, center-half), min(1, center+half)
	// Outward to 4 places: the interval still contains the share, and 0 and 1
	// stay exact where the arithmetic rounds.
	low, high = math.Floor(low*1e4)/1e4, math.Ceil(high*1e4)/1e4
	if x == 0 {
		low = 0
	}
	if x == n {
		high = 1
	}
	pr.Low, pr.High = &low, &high
	return pr
}

// ShareIntervals carries, for each share of a barrier row, its n and 95%
// Wilson interval.
type ShareIntervals struct {
	Eligible         Proportion `json:"share_eligible"`
	EligibleVerified Proportion `json:"share_eligible_verified"`
	Domestic         Proportion `json:"domestic_share"`
	OtherEEA         Proportion `json:"other_eea_share"`
}

// intervals sets the row's share intervals from its counts.
func (row *BarrierRow) intervals() {
	row.Intervals = ShareIntervals{
		Eligible:         wilson(row.Eligible, row.Offerings),
		EligibleVerified: wilson(row.EligibleVerified, row.Offerings),
		Domestic:         wilson(row.HomeBias.DomesticEligible, row.HomeBias.Domestic),
		OtherEEA:         wilson(row.HomeBias.OtherEEAEligible, row.HomeBias.OtherEEA),
	}
}
