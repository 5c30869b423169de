package search

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/meilisearch/meilisearch-go"

	"github.com/cybermarket/cybermarket/catalog"
)

// Drift is what changes documents without a catalogue write: a day passes
// and a certification starts or expires, or the reference data (a
// requirement, a scheme, a country) changes. Each document records both:
// the time its eligibility goes stale (Document.Stale) and the fingerprint
// of its category's rules (Document.Rules). The check asks the index which
// documents are past their time or built on other rules and queues them in
// the outbox. Since the index itself remembers what it was built from,
// changes made while no server ran are found at the next start.

// QueueDrift queues every document whose eligibility may have changed
// without a write (see the package documentation), wakes the workers when
// it queued any, and returns how many it queued. Run calls it every
// DriftInterval and after CheckDrift.
func (w *Worker) QueueDrift(ctx context.Context) (int, error) {
	rules, err := w.cfg.Rules(ctx)
	if err != nil {
		return 0, fmt.Errorf("drift check: %w", err)
	}
	expired, err := queueMatching(ctx, w.cfg.Catalog, w.cfg.Index, expiredFilter(w.cfg.Now()), "certification validity date")
	if err != nil {
		return expired, fmt.Errorf("drift check: %w", err)
	}
	changed, err := queueMatching(ctx, w.cfg.Catalog, w.cfg.Index, rulesFilter(rules), "reference data change")
	if err != nil {
		return expired + changed, fmt.Errorf("drift check: %w", err)
	}
	if expired+changed > 0 {
		w.log.Info("search documents queued for rebuild", "validity_dates", expired, "reference_changes", changed)
	}
	return expired + changed, nil
}

// expiredFilter matches documents whose eligibility was computed before a
// certification started or ended.
func expiredFilter(now time.Time) string {
	return "stale <= " + strconv.FormatInt(now.Unix(), 10)
}

// rulesFilter matches documents built on rules other than the current
// fingerprint of their category.
func rulesFilter(rules *Rules) string {
	cats := make([]string, 0, len(rules.fingerprints))
	for c := range rules.fingerprints {
		cats = append(cats, c)
	}
	slices.Sort(cats)
	current := make([]string, len(cats))
	for i, c := range cats {
		current[i] = fmt.Sprintf("(category = %s AND rules = %s)", quote(c), quote(rules.fingerprints[c]))
	}
	return "NOT (" + strings.Join(current, " OR ") + ")"
}

// queueMatching adds an outbox row for every document of the live index
// that matches filter and has no row waiting yet, and returns how many it
// added.
func queueMatching(ctx context.Context, store *catalog.Store, ix *Index, filter, reason string) (int, error) {
	const page = 1000
	total := 0
	// Rows are queued page by page: documents rebuilt meanwhile drop out of
	// the filter, so an offset could skip some; the next check finds them.
	for offset := int64(0); ; offset += page {
		var res meilisearch.DocumentsResult
		rctx, cancel := context.WithTimeout(ctx, ix.timeout)
		err := ix.ms.Index(ix.uid).GetDocuments(rctx, &meilisearch.DocumentsQuery{
			Filter: filter, Fields: []string{"id"}, Limit: page, Offset: offset,
		}, &res)
		cancel()
		if err != nil {
			return total, classify("find drifted documents", err)
		}
		ids := make([]uuid.UUID, 0, len(res.Results))
		for _, hit := range res.Results {
			var s string
			if err := json.Unmarshal(hit["id"], &s); err != nil {
				continue
			}
			if id, err := uuid.Parse(s); err == nil {
				ids = append(ids, id)
			}
		}
		n, err := store.EnqueueOutbox(ctx, ids, reason)
		total += n
		if err != nil {
			return total, err
		}
		if len(res.Results) < page {
			return total, nil
		}
	}
}

// filterEscaper escapes a Meilisearch filter string literal. It is built
// once: building a strings.Replacer per call was most of the cost of an
// eligibility filter (0.33 ms and 195 kB per search with a tender context).
var filterEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// quote returns s as a Meilisearch filter string literal.
func quote(s string) string {
	return `"` + filterEscaper.Replace(s) + `"`
}
