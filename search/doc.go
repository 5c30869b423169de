// Package search keeps the Meilisearch index of public offerings in step with
// PostgreSQL and answers searches over it.
//
// PostgreSQL is the truth; the index is derived and can always be rebuilt.
// A document (Document) joins a public offering - status published, vendor
// active - with its vendor, its certifications valid today and its
// eligibility map from the burden engine (package compliance). Settings
// (Settings) are code, applied idempotently at start (Index.EnsureSettings).
//
// Sync without loss: every catalogue write that changes a document adds
// search_outbox rows in its own transaction (package catalog). The Worker,
// in every server replica, claims due rows with FOR UPDATE SKIP LOCKED (and
// a per-offering advisory lock, so that two replicas never push one
// offering out of order), rebuilds the documents from the database, pushes
// them, waits until Meilisearch has applied the task and only then deletes
// the rows. While Meilisearch is down the rows stay, the worker backs off,
// and the backlog drains on its return.
//
// Changes that are not writes re-queue too (Drift): every document carries
// the day after which its eligibility may change (a certification starts or
// expires) and a fingerprint of the reference data its category depends on.
// A periodic check asks the index for documents past their day or built on
// other rules and queues them; it also runs when the reference data changes.
// Because the state lives in the index, nothing is missed while every
// server was down.
//
// Reindex builds a fresh index from a consistent snapshot and swaps it in
// atomically; searches keep being answered from the old index meanwhile.
package search
