package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/search"
)

// The change feed's periodic jobs, run in every replica (each is safe to
// run in several at once): the certificate notices (hourly), the
// eligibility comparison after a change of the reference data (at start and
// on every reload), and the retention of the change log (daily).

// certificateEvery is how often the certificate job runs.
const certificateEvery = time.Hour

// pruneEvery is how often the change log is pruned.
const pruneEvery = 24 * time.Hour

// startFeedJobs starts the jobs; stop ends them. Call it before live.Watch:
// it hooks reference changes.
func startFeedJobs(ctx context.Context, store *catalog.Store, live *compliance.Live, log *slog.Logger) (stop func()) {
	log = log.With("component", "feed-jobs")
	jctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	reference := make(chan struct{}, 1)
	reference <- struct{}{} // compare once at start
	live.OnChange(func(_, _ *compliance.Snapshot) {
		select {
		case reference <- struct{}{}:
		default:
		}
	})
	retention := changeRetention(log)
	wg.Go(func() { every(jctx, certificateEvery, func() { runCertificateNotices(jctx, store, log) }) })
	wg.Go(func() { eligibilityOnChange(jctx, store, live, reference, log) })
	if retention > 0 {
		wg.Go(func() { every(jctx, pruneEvery, func() { pruneChanges(jctx, store, retention, log) }) })
	}
	return func() { cancel(); wg.Wait() }
}

// every runs f now and then every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, f func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		f()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runCertificateNotices(ctx context.Context, store *catalog.Store, log *slog.Logger) {
	r, err := store.RunCertificateNotices(ctx, time.Now())
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("certificate notices failed; retrying at the next run", "error", err)
	case r != catalog.NoticeReport{}:
		log.Info("certificate notices", "warnings", r.Warnings, "started", r.Started, "expired", r.Expired)
	}
}

// eligibilityOnChange compares every public offering's eligibility with the
// recorded one whenever reference signals, under the reference data then
// current. A start under data whose comparison is already recorded skips
// it; otherwise the pass runs paced (see paced), so that a reference change
// does not take the replica's CPU from the requests it serves.
func eligibilityOnChange(ctx context.Context, store *catalog.Store, live *compliance.Live, reference <-chan struct{}, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-reference:
		}
		snap := live.Current()
		version := snap.Reference.Version
		if done, err := store.EligibilityRecorded(ctx, version); err == nil && done {
			log.Debug("eligibility already compared under this reference data", "version", version)
			continue
		}
		start := time.Now()
		n, err := store.RecordEligibility(ctx, version, paced(EligibilityUnder(search.NewRules(snap.Reference, snap.Revision), time.Now()), eligibilityDuty,
			time.Now, time.Sleep))
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("eligibility comparison failed; retrying at the next reference change or start", "error", err)
			}
			continue
		}
		log.Info("eligibility compared with the reference data", "version", version, "changed", n,
			"duration_ms", time.Since(start).Milliseconds())
	}
}

// eligibilityDuty is the share of one core the eligibility comparison may
// use: it computes every public offering's eligibility, about 0.5 ms each.
const eligibilityDuty = 0.5

// paced wraps f so that it runs at most duty of the time, as measured with
// now: after every 50 ms of work it sleeps in proportion. The pass's read
// snapshot stays open that much longer; nothing waits on it.
func paced(f catalog.Eligibility, duty float64, now func() time.Time, sleep func(time.Duration)) catalog.Eligibility {
	var busy time.Duration
	return func(e catalog.IndexEntry) (json.RawMessage, error) {
		start := now()
		v, err := f(e)
		if busy += now().Sub(start); busy >= 50*time.Millisecond {
			sleep(time.Duration(float64(busy) * (1 - duty) / duty))
			busy = 0
		}
		return v, err
	}
}

// EligibilityUnder returns the eligibility of an entry under rules on day:
// the countries where its offering is eligible, for public and private
// buyers, on the declared and on the verified basis (the search document's
// lists).
func EligibilityUnder(rules *search.Rules, day time.Time) catalog.Eligibility {
	return func(e catalog.IndexEntry) (json.RawMessage, error) {
		d, ok := rules.Build(e.Vendor, e.Offering, e.Certifications, day)
		if !ok {
			return json.RawMessage("null"), nil
		}
		return json.Marshal(map[string][]string{
			"public": d.EligiblePublic, "private": d.EligiblePrivate,
			"public_verified": d.EligiblePublicVerified, "private_verified": d.EligiblePrivateVerified,
		})
	}
}

// changeRetention reads CHANGES_RETENTION_DAYS: how long change-log rows
// are kept (see catalog.PruneChanges); 90 days when unset, forever at 0.
func changeRetention(log *slog.Logger) time.Duration {
	v := os.Getenv("CHANGES_RETENTION_DAYS")
	if v == "" {
		return 90 * 24 * time.Hour
	}
	days, err := strconv.Atoi(v)
	if err != nil || days < 0 {
		log.Error("CHANGES_RETENTION_DAYS is not a number of days; keeping the change log forever", "value", v)
		return 0
	}
	return time.Duration(days) * 24 * time.Hour
}

func pruneChanges(ctx context.Context, store *catalog.Store, retention time.Duration, log *slog.Logger) {
	r, err := store.PruneChanges(ctx, time.Now().Add(-retention))
	switch {
	case err != nil && ctx.Err() == nil:
		log.Warn("change log pruning failed; retrying at the next run", "error", err)
	case r.Changes+r.Events > 0:
		log.Info("change log pruned", "changes", r.Changes, "events", r.Events, "through", r.Through)
	}
}
