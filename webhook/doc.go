// Package webhook is the sending side of webhooks: messages signed per the
// Standard Webhooks specification (webhook-id, webhook-timestamp,
// webhook-signature, HMAC-SHA256), sent by a client that refuses to dial
// private, loopback, link-local and metadata addresses, checked on the
// address actually dialled (so DNS rebinding fails), and retried with
// exponential backoff until the receiver answers 2xx.
//
// Subscriptions, their delivery log and the API to manage them are not
// built yet (issue 14); this package is what they will send with.
package webhook
