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
// search_outbox rows in its own transaction (package catalog, which owns
// the outbox and every query over its tables; this package runs no SQL).
// The Worker, in every server replica, claims due rows under a lease in a
// short transaction (never rows of an offering another live lease holds,
// so that two replicas never push one offering out of order), rebuilds the
// documents from one snapshot of the database, pushes them and waits until
// Meilisearch has applied the task with no transaction open, and only then
// deletes the rows it still holds. While Meilisearch is down the rows stay,
// the worker backs off, and the backlog drains on its return; rows of a
// worker that died are due again when its lease ends.
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
