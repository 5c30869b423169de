-- Search outbox leases. A worker claims due rows in a short transaction by
-- writing a lease (claimed_by, claimed_until), pushes their documents to
-- the index and waits for it outside any transaction, then deletes the rows
-- it still holds. Rows of a worker that died become due again when the
-- lease ends. No transaction or row lock is held across a wait on the index.
ALTER TABLE search_outbox
    ADD COLUMN claimed_by    uuid,
    ADD COLUMN claimed_until timestamptz;

CREATE INDEX search_outbox_leased_idx ON search_outbox (offering_id, claimed_until)
    WHERE claimed_until IS NOT NULL;

-- Advanced by every reindex when it pauses the workers: a worker that
-- claimed rows before a reindex began keeps them for a retry instead of
-- deleting them, since it may have pushed to the index being replaced.
CREATE SEQUENCE search_outbox_generation;
