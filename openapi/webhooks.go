package openapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/webhook"
)

// WebhookInput is a webhook to create.
type WebhookInput struct {
	URL   string `json:"url" maxLength:"2000" doc:"Where to POST the messages: an https URL (http only on servers configured for local development), reaching a public address." example:"https://hooks.example.org/cybermarket"`
	After *int64 `json:"after,omitempty" minimum:"0" doc:"Deliver the changes after this position of the change feed; by default only those to come." example:"0"`
}

// Webhook is a subscription of the caller's key to the change feed.
type Webhook struct {
	ID            uuid.UUID  `json:"id" doc:"Webhook identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a71"`
	URL           string     `json:"url" doc:"Where the messages go." example:"https://hooks.example.org/cybermarket"`
	Secret        string     `json:"secret,omitempty" doc:"The Standard Webhooks signing secret (whsec_...), shown only when the webhook is created: store it now." example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
	Position      int64      `json:"position" doc:"The last change-feed position the receiver accepted." example:"1042"`
	Failures      int        `json:"failures" doc:"Failed attempts in a row; at 10 the webhook is disabled." example:"0"`
	NextAttemptAt time.Time  `json:"next_attempt_at" doc:"When the next attempt is due, after a failure (UTC)." example:"2026-11-28T10:00:00Z"`
	DisabledAt    *time.Time `json:"disabled_at,omitempty" doc:"When repeated failures disabled the webhook; enable it to resume (and replay what it missed)." example:"2026-11-28T10:00:00Z"`
	CreatedAt     time.Time  `json:"created_at" doc:"When the webhook was created (UTC)." example:"2026-11-28T10:00:00Z"`
}

func newWebhook(s catalog.Subscription) Webhook {
	return Webhook{ID: s.ID, URL: s.URL, Position: s.Position, Failures: s.Failures, NextAttemptAt: s.NextAttemptAt,
		DisabledAt: s.DisabledAt, CreatedAt: s.CreatedAt}
}

// WebhookPath names a webhook in the path.
type WebhookPath struct {
	ID uuid.UUID `path:"id" doc:"Webhook identifier." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a71"`
}

// CreateWebhookInput is the webhook to create.
type CreateWebhookInput struct{ Body WebhookInput }

// CreateWebhookOutput is the created webhook, with its secret.
type CreateWebhookOutput struct{ Body Webhook }

// ListWebhooksInput asks for the caller's webhooks.
type ListWebhooksInput struct{}

// WebhookList is the caller's webhooks.
type WebhookList struct {
	Items []Webhook `json:"items" doc:"The webhooks of the caller's key, oldest first."`
}

// ListWebhooksOutput is the caller's webhooks.
type ListWebhooksOutput struct{ Body WebhookList }

// DeleteWebhookInput names the webhook to delete.
type DeleteWebhookInput struct{ WebhookPath }

// DeleteWebhookOutput is the empty answer (204) of a deletion.
type DeleteWebhookOutput struct{}

// EnableWebhookInput names the webhook to enable.
type EnableWebhookInput struct{ WebhookPath }

// EnableWebhookOutput is the enabled webhook.
type EnableWebhookOutput struct{ Body Webhook }

// ListWebhookDeliveriesInput pages a webhook's delivery log.
type ListWebhookDeliveriesInput struct {
	WebhookPath
	PageParams
}

// WebhookDelivery is one delivery attempt.
type WebhookDelivery struct {
	MessageID     string    `json:"message_id" doc:"The webhook-id of the message; a retry of the same changes carries the same id." example:"msg_0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a71_1_42"`
	FirstPosition int64     `json:"first_position" doc:"Position of the first change in the message." example:"1"`
	LastPosition  int64     `json:"last_position" doc:"Position of the last change in the message." example:"42"`
	At            time.Time `json:"at" doc:"When the attempt was made (UTC)." example:"2026-11-28T10:00:00Z"`
	Status        int       `json:"status" doc:"The receiver's HTTP status; 0 when it did not answer." example:"200"`
	Error         string    `json:"error,omitempty" doc:"Why the attempt failed." example:"the receiver answered 500 Internal Server Error"`
	DurationMS    int64     `json:"duration_ms" doc:"How long the attempt took, in milliseconds." example:"84"`
}

// WebhookDeliveryList is one page of a delivery log.
type WebhookDeliveryList struct {
	Items      []WebhookDelivery `json:"items" doc:"Attempts, newest first."`
	NextCursor string            `json:"next_cursor,omitempty" doc:"Cursor of the next page; absent on the last page." example:"17"`
}

// ListWebhookDeliveriesOutput is one page of a delivery log.
type ListWebhookDeliveriesOutput struct {
	Link string `header:"Link" doc:"RFC 8288 link to the next page, when there is one."`
	Body WebhookDeliveryList
}

func (h *handlers) registerWebhooks(api huma.API) {
	tags := []string{"Changes"}
	huma.Register(api, huma.Operation{
		OperationID: "create-webhook", Method: http.MethodPost, Path: "/v1/webhooks", DefaultStatus: http.StatusCreated,
		Summary: "Subscribe to the change feed",
		Description: "Creates a webhook of the caller's key: the changes of GET /v1/changes are POSTed to the URL, " +
			"each message a page of the feed, signed per the Standard Webhooks specification (webhook-id, webhook-timestamp, " +
			"webhook-signature: HMAC-SHA256 with the secret returned here, once). Delivery is at least once and in order: " +
			"until the receiver answers 2xx the same changes are retried with exponential backoff (1 s doubling to 1 h), " +
			"and after 10 failures in a row the webhook is disabled until enabled again. Receivers deduplicate on webhook-id. " +
			"Only public addresses are reached, checked when connecting; redirects are not followed. " +
			"A vendor's key also receives its vendor's events (certificate expiring in 90, 30 or 7 days or expired, verification " +
			"decisions, eligibility changed by new reference data), and a buyer's key changes to offerings on its projects' " +
			"shortlists, in the events of each message. An after before the change log's retention horizon is refused with 410.",
		Tags: tags, Errors: []int{401, 410, 422},
		Metadata: allow(anyKey),
	}, h.createWebhook)
	huma.Register(api, huma.Operation{
		OperationID: "list-webhooks", Method: http.MethodGet, Path: "/v1/webhooks",
		Summary: "List the caller's webhooks", Tags: tags, Errors: []int{401},
		Metadata: allow(anyKey),
	}, h.listWebhooks)
	huma.Register(api, huma.Operation{
		OperationID: "delete-webhook", Method: http.MethodDelete, Path: "/v1/webhooks/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Delete a webhook", Description: "Deletes a webhook of the caller's key with its delivery log (404 for other keys' webhooks).",
		Tags: tags, Errors: []int{401, 404},
		Metadata: allow(anyKey),
	}, h.deleteWebhook)
	huma.Register(api, huma.Operation{
		OperationID: "enable-webhook", Method: http.MethodPost, Path: "/v1/webhooks/{id}/enable",
		Summary: "Enable a webhook again", Description: "Enables a webhook that repeated failures disabled: it is due at once and resumes from its position, replaying what it missed.",
		Tags: tags, Errors: []int{401, 404},
		Metadata: allow(anyKey),
	}, h.enableWebhook)
	huma.Register(api, huma.Operation{
		OperationID: "list-webhook-deliveries", Method: http.MethodGet, Path: "/v1/webhooks/{id}/deliveries",
		Summary: "List a webhook's delivery attempts", Description: "The delivery log of a webhook of the caller's key, newest first.",
		Tags: tags, Errors: []int{401, 404},
		Metadata: allow(anyKey),
	}, h.listWebhookDeliveries)
}

func (h *handlers) createWebhook(ctx context.Context, in *CreateWebhookInput) (*CreateWebhookOutput, error) {
	if err := h.checkWebhookURL(in.Body.URL); err != nil {
		return nil, err
	}
	secret := webhook.NewSecret()
	after := int64(-1)
	if in.Body.After != nil {
		after = *in.Body.After
		head, err := h.Catalog.HeadPosition(ctx)
		if err != nil {
			return nil, err
		}
		if after > head {
			return nil, &inputError{status: http.StatusUnprocessableEntity, location: "body.after", value: strconv.FormatInt(after, 10),
				detail:  "The change feed has no position " + strconv.FormatInt(after, 10) + " yet; its newest is " + strconv.FormatInt(head, 10) + ".",
				message: "is past the newest position of the change feed"}
		}
		if err := h.checkHorizon(ctx, after, "body.after"); err != nil {
			return nil, err
		}
	}
	sub, err := h.Catalog.CreateSubscription(ctx, catalog.Subscription{KeyID: PrincipalFrom(ctx).KeyID, URL: in.Body.URL,
		Secret: secret.String(), Position: after})
	if err != nil {
		return nil, err
	}
	out := &CreateWebhookOutput{Body: newWebhook(sub)}
	out.Body.Secret = sub.Secret
	return out, nil
}

// checkWebhookURL refuses URLs that are not https (http when allowed), and
// literal addresses that are not public; names are checked when dialled.
func (h *handlers) checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || u.User != nil:
		return catalog.Invalid("url", "must be an absolute URL without credentials", raw)
	case u.Scheme != "https" && (u.Scheme != "http" || !h.Webhooks.AllowHTTP):
		return catalog.Invalid("url", "must be an https URL", raw)
	}
	if addr, err := netip.ParseAddr(u.Hostname()); err == nil && !webhook.Public(addr) && !h.Webhooks.AllowHTTP {
		return catalog.Invalid("url", "must reach a public address", raw)
	}
	return nil
}

func (h *handlers) listWebhooks(ctx context.Context, _ *ListWebhooksInput) (*ListWebhooksOutput, error) {
	subs, err := h.Catalog.ListSubscriptions(ctx, PrincipalFrom(ctx).KeyID)
	if err != nil {
		return nil, err
	}
	out := &ListWebhooksOutput{}
	out.Body.Items = make([]Webhook, len(subs))
	for i, s := range subs {
		out.Body.Items[i] = newWebhook(s)
	}
	return out, nil
}

func (h *handlers) deleteWebhook(ctx context.Context, in *DeleteWebhookInput) (*DeleteWebhookOutput, error) {
	return nil, h.Catalog.DeleteSubscription(ctx, in.ID, PrincipalFrom(ctx).KeyID)
}

func (h *handlers) enableWebhook(ctx context.Context, in *EnableWebhookInput) (*EnableWebhookOutput, error) {
	sub, err := h.Catalog.EnableSubscription(ctx, in.ID, PrincipalFrom(ctx).KeyID)
	if err != nil {
		return nil, err
	}
	return &EnableWebhookOutput{Body: newWebhook(sub)}, nil
}

func (h *handlers) listWebhookDeliveries(ctx context.Context, in *ListWebhookDeliveriesInput) (*ListWebhookDeliveriesOutput, error) {
	page, err := h.Catalog.ListDeliveries(ctx, in.ID, PrincipalFrom(ctx).KeyID, in.Cursor, in.Limit)
	if err != nil {
		return nil, err
	}
	out := &ListWebhookDeliveriesOutput{}
	out.Body.Items = make([]WebhookDelivery, len(page.Items))
	for i, d := range page.Items {
		out.Body.Items[i] = WebhookDelivery{MessageID: d.MessageID, FirstPosition: d.FirstPosition, LastPosition: d.LastPosition,
			At: d.At, Status: d.Status, Error: d.Error, DurationMS: d.Duration.Milliseconds()}
	}
	out.Body.NextCursor = page.Next
	out.Link = nextLink("/v1/webhooks/"+in.ID.String()+"/deliveries", url.Values{"limit": {itoa(in.Limit)}}, page.Next)
	return out, nil
}

// WebhookEvent is an event for the vendor or buyer of a webhook's key.
type WebhookEvent struct {
	Position int64     `json:"position" doc:"Position among the events of the key's vendor or buyer; positions increase."`
	At       time.Time `json:"at" doc:"When the event was recorded (UTC)."`
	Type     string    `json:"type" doc:"certificate.expiring, certificate.expired, certificate.verification, offering.eligibility or shortlist.offering."`
	Subject  uuid.UUID `json:"subject" doc:"The certification or offering the event is about."`
	// Data is the event's facts, as recorded.
	Data json.RawMessage `json:"data" doc:"The event's facts; fields depend on the type."`
}

// WebhookMessage is the body of a webhook message: a page of the change
// feed, and the events of the key's vendor or buyer that came since the
// previous message.
type WebhookMessage struct {
	ChangePage
	Events []WebhookEvent `json:"events,omitempty"`
}

// RenderMessage encodes changes and events as a webhook message: a page of
// the change feed after position after as GET /v1/changes shows it, with
// the events.
func RenderMessage(after int64, changes []catalog.Change, events []catalog.Event) ([]byte, error) {
	m := WebhookMessage{ChangePage: ChangePage{Changes: make([]Change, len(changes)), NextAfter: after}}
	now := time.Now()
	for i, c := range changes {
		m.Changes[i] = newChange(c, now)
		m.NextAfter = c.Position
	}
	for _, e := range events {
		m.Events = append(m.Events, WebhookEvent{Position: e.Position, At: e.At, Type: e.Type, Subject: e.Subject, Data: e.Data})
	}
	return json.Marshal(m)
}
