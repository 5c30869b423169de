package compliance

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Analytics over many profiles: the barriers matrix and what-if simulation
// for policymakers, the certification roadmap for a vendor. They run the
// same decision as Assess on a compiled kernel (a profile's certifications,
// languages and places as bit positions), memoize the gap per distinct set
// of failing requirements in each country, category and buyer cell, and
// spread the profiles over GOMAXPROCS goroutines.

// scanBlock is how many profiles a worker takes at a time.
const scanBlock = 512

// scan calls visit for every profile, in parallel: each worker has its own
// state (made by newState) and kernel, and sees profiles in no fixed order.
// It returns the workers' states.
func scan[S any](e *Engine, profiles []Profile, newState func() S, visit func(s S, k *kernel, i int)) []S {
	workers := min(runtime.GOMAXPROCS(0), (len(profiles)+scanBlock-1)/scanBlock)
	workers = max(workers, 1)
	states := make([]S, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		states[w] = newState()
		wg.Add(1)
		go func(s S) {
			defer wg.Done()
			k := e.newKernel()
			for {
				start := int(next.Add(scanBlock)) - scanBlock
				if start >= len(profiles) {
					return
				}
				for i := start; i < min(start+scanBlock, len(profiles)); i++ {
					visit(s, k, i)
				}
			}
		}(states[w])
	}
	wg.Wait()
	return states
}

// failures lists the failing binding requirements of a cell (the slow path,
// for cells with more than 64 binding requirements).
func (e *Engine) failures(k *kernel, cl *cell) []failure {
	var out []failure
	for _, ri := range cl.binding {
		r := &cl.reqs[ri]
		if r.duty || !e.applies(cl, r) {
			continue
		}
		conds := e.conditionsHold(k, r)
		if outcome(r, r.evidence(k.held), conds).blocks() {
			out = append(out, failure{req: ri, conds: conds})
		}
	}
	return out
}

// planFor solves the gap for failing requirements.
func (e *Engine) planFor(cl *cell, fs []failure) gapPlan {
	var closable []int
	complete := true
	for _, f := range fs {
		if f.conds && len(cl.reqs[f.req].obtain) > 0 {
			closable = append(closable, f.req)
		} else {
			complete = false
		}
	}
	return e.plan(cl, closable, complete)
}

// maskFailures turns a verdict's masks into failures.
func maskFailures(cl *cell, v verdict) []failure {
	var out []failure
	for bi, ri := range cl.binding {
		if bi < 64 && v.fail&(1<<uint(bi)) != 0 {
			out = append(out, failure{req: ri, conds: v.condFail&(1<<uint(bi)) == 0})
		}
	}
	return out
}

type weighted struct {
	v float64
	n int
}

// median is the median of the values each repeated n times (the mean of the
// two middle ones for an even count), nil when there are none.
func median(ws []weighted) *float64 {
	total := 0
	for _, w := range ws {
		total += w.n
	}
	if total == 0 {
		return nil
	}
	slices.SortFunc(ws, func(a, b weighted) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	nth := func(i int) float64 { // the i-th value, from 0
		for _, w := range ws {
			if i < w.n {
				return w.v
			}
			i -= w.n
		}
		return math.NaN()
	}
	m := (nth((total-1)/2) + nth(total/2)) / 2
	return &m
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ptrTo[T any](v T) *T { return &v }
