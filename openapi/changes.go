package openapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
)

// ListChangesInput pages the change feed.
type ListChangesInput struct {
	After int64 `query:"after" minimum:"0" doc:"Position after which to read: 0 for the beginning, else next_after of the previous page." example:"0"`
	Limit int   `query:"limit" minimum:"1" maximum:"1000" default:"100" doc:"Most changes to return." example:"100"`
	Wait  int   `query:"wait" minimum:"0" maximum:"25" doc:"Long poll: when no change follows after, wait up to this many seconds for one before answering an empty page." example:"20"`
	// Horizon lets a reader that started at 0 read through the pruned part.
	Horizon int64 `query:"horizon" minimum:"0" doc:"The horizon of the previous page, when it had one (the Link carries it): a reader that started at after=0 reads on through the pruned part of the log." example:"0"`
}

// Change is one entry of the change feed: an object that changed, with its
// public state when the feed was read.
type Change struct {
	Position int64     `json:"position" doc:"Position in the change log; positions increase, and a page never skips one the log still holds." example:"1042"`
	At       time.Time `json:"at" doc:"When the change was written (UTC)." example:"2026-11-28T10:00:00Z"`
	Kind     string    `json:"kind" enum:"vendor,offering,certification" doc:"Kind of the object." example:"offering"`
	ID       uuid.UUID `json:"id" doc:"Identifier of the object." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a70"`
	Op       string    `json:"op" enum:"upsert,remove" doc:"upsert: the object is public, here as the public sees it now; store it. remove: the object is not public (deleted, withdrawn, hidden, or never public); drop it if you have it." example:"upsert"`
	// One of these is set on upsert.
	Vendor        *Vendor        `json:"vendor,omitempty" doc:"The vendor, without contact details, on upsert of a vendor."`
	Offering      *Offering      `json:"offering,omitempty" doc:"The offering, on upsert of an offering."`
	Certification *Certification `json:"certification,omitempty" doc:"The certification, listing only the public offerings it covers, on upsert of a certification."`
}

// ChangePage is one page of the change feed.
type ChangePage struct {
	Changes   []Change `json:"changes" doc:"Changes after the requested position, oldest first; empty when there are none yet."`
	NextAfter int64    `json:"next_after" doc:"Send as after to read on: the position of the last change of this page, or the requested position when the page is empty." example:"1042"`
	Horizon   int64    `json:"horizon,omitempty" doc:"Send as horizon with next_after (the Link does): the log was pruned through this position, and this reader, having started at 0 since, missed nothing of it." example:"0"`
}

// ListChangesOutput is a page of changes with a link to the next.
type ListChangesOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page (rel=next); follow it to keep up."`
	Body ChangePage
}

// changesPoll is how often a long poll looks for new changes.
const changesPoll = 200 * time.Millisecond

func (h *handlers) registerChanges(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "list-changes", Method: http.MethodGet, Path: "/v1/changes",
		Summary: "Follow the changes of the public catalogue",
		Description: "Every write to a vendor, offering or certification, including admissions, verification decisions, " +
			"withdrawals and deletions, adds the objects whose public state it may change to a log, in the same transaction. " +
			"This feed serves that log in order: a reader that starts at after=0 and applies every change (upsert: store the object; " +
			"remove: drop it) holds the public catalogue, and may stop and resume from next_after at any time. " +
			"Each change carries its object as the public sees it when read, so a change followed by later ones of the same object " +
			"may already show the later state. The feed is public and shows only what an anonymous reader may see, whatever the key. " +
			"With wait, an empty page is answered only after waiting up to that many seconds for a change (long poll). " +
			"Retention: changes older than the retention period (90 days unless configured) are pruned when a later change " +
			"of the same object exists or the object no longer exists; the latest change of every existing object stays, " +
			"so a reader starting at after=0 still gets the whole catalogue. A reader resuming from a position before a pruned " +
			"removal gets 410 Gone and must start again from after=0, replacing what it holds.",
		Tags: []string{"Changes"}, Errors: []int{410},
	}, h.listChanges)
}

func (h *handlers) listChanges(ctx context.Context, in *ListChangesInput) (*ListChangesOutput, error) {
	changes, horizon, err := h.waitChanges(ctx, in, time.Duration(in.Wait)*time.Second)
	var pruned *catalog.PrunedError
	if errors.As(err, &pruned) {
		return nil, prunedProblem(in.After, pruned.Through, "query.after")
	}
	if err != nil {
		return nil, err
	}
	out := &ListChangesOutput{}
	out.Body.Changes = make([]Change, len(changes))
	out.Body.NextAfter = in.After
	now := time.Now()
	for i, c := range changes {
		out.Body.Changes[i] = newChange(c, now)
		out.Body.NextAfter = c.Position
	}
	if in.After == 0 || in.Horizon >= horizon {
		out.Body.Horizon = horizon // started at 0 under it: reads through
	}
	out.Link = fmt.Sprintf("</v1/changes?after=%d&limit=%d", out.Body.NextAfter, in.Limit)
	if out.Body.Horizon > 0 {
		out.Link += fmt.Sprintf("&horizon=%d", out.Body.Horizon)
	}
	out.Link += ">; rel=\"next\""
	return out, nil
}

// waitChanges reads the changes in asks for, waiting up to wait for the
// first when there is none; it returns them with the log's horizon.
func (h *handlers) waitChanges(ctx context.Context, in *ListChangesInput, wait time.Duration) ([]catalog.Change, int64, error) {
	deadline := time.Now().Add(wait)
	if d, ok := ctx.Deadline(); ok && d.Add(-2*time.Second).Before(deadline) {
		deadline = d.Add(-2 * time.Second) // answer before the request times out
	}
	for {
		changes, horizon, err := h.Catalog.ReadChangesWithin(ctx, in.After, in.Horizon, in.Limit)
		if err != nil || len(changes) > 0 || time.Now().After(deadline) {
			return changes, horizon, err
		}
		t := time.NewTimer(min(changesPoll, time.Until(deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			return changes, horizon, nil // the caller left or the server stops: an empty page
		case <-t.C:
		}
	}
}

// prunedProblem is the 410 of a read after position after, before the
// log's horizon through; location names the position's field.
func prunedProblem(after, through int64, location string) error {
	return &inputError{status: http.StatusGone, location: location, value: strconv.FormatInt(after, 10),
		message: "is older than the change log keeps",
		detail: "The change log was pruned through position " + strconv.FormatInt(through, 10) +
			": changes after " + strconv.FormatInt(after, 10) + " may be missing. Start again from after=0 " +
			"(the log still holds every object of the catalogue, as a snapshot to start from) and replace what you hold."}
}

// checkHorizon returns the 410 problem when position after lies before the
// log's horizon (0 always is fine).
func (h *handlers) checkHorizon(ctx context.Context, after int64, location string) error {
	horizon, err := h.Catalog.Horizon(ctx)
	if err != nil {
		return err
	}
	if after > 0 && after < horizon {
		return prunedProblem(after, horizon, location)
	}
	return nil
}

// newChange maps a change to its public view.
func newChange(c catalog.Change, now time.Time) Change {
	out := Change{Position: c.Position, At: c.At, Kind: c.Entity, ID: c.ID, Op: "remove"}
	switch {
	case c.Vendor != nil:
		v := newVendor(*c.Vendor)
		v.Contact = nil // the feed is public
		out.Vendor = &v
	case c.Offering != nil:
		o := newOffering(*c.Offering)
		out.Offering = &o
	case c.Certification != nil:
		x := newCertification(*c.Certification, now)
		out.Certification = &x
	default:
		return out
	}
	out.Op = "upsert"
	return out
}
