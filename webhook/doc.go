// Package webhook delivers the change feed to subscribers' receivers
// (Worker): messages signed per the Standard Webhooks specification
// (webhook-id, webhook-timestamp, webhook-signature, HMAC-SHA256), sent by
// a client that refuses to dial private, loopback, link-local and metadata
// addresses, checked on the address actually dialled (so DNS rebinding
// fails), at least once and in order, with failures retried after an
// exponential backoff kept in the database. The subscriptions and their
// delivery log live in package catalog; the API in package openapi.
package webhook
