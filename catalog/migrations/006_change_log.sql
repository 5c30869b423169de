-- The change log: one row per object whose public state, or whose search
-- document, a write may have changed, written in the transaction of the
-- write (see record in catalog/changes.go). Readers serve each row with the
-- object's state when they read it, so a follower that applies every row in
-- order ends equal to the catalogue.
--
-- Positions come from a single counter row, taken as the last statement of
-- each writing transaction and held until it commits: positions are handed
-- out in commit order, so a reader's snapshot holds every position up to
-- the highest it sees, and a follower never skips a row that commits late.
-- (A bare sequence would not: its values commit out of order.) Rows carry
-- NULL until then.
CREATE TABLE change_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    position  bigint UNIQUE,
    at        timestamptz NOT NULL DEFAULT now(),
    entity    text NOT NULL CHECK (entity IN ('vendor', 'offering', 'certification')),
    entity_id uuid NOT NULL,
    -- What caused the row: "offering withdraw", "vendor approve", ...
    cause     text NOT NULL
);

CREATE INDEX change_log_unsequenced_idx ON change_log (id) WHERE position IS NULL;
CREATE INDEX change_log_entity_idx ON change_log (entity, entity_id, position);

CREATE TABLE change_counter (
    single   boolean PRIMARY KEY DEFAULT true CHECK (single),
    position bigint NOT NULL
);

-- The catalogue as it stands: a follower starting at 0 reads every object.
INSERT INTO change_log (position, entity, entity_id, cause)
SELECT row_number() OVER (ORDER BY k, id), entity, id, 'existing'
FROM (SELECT 1 AS k, 'vendor' AS entity, id FROM vendors
      UNION ALL SELECT 2, 'offering', id FROM offerings
      UNION ALL SELECT 3, 'certification', id FROM certifications) x;

INSERT INTO change_counter (position) SELECT count(*) FROM change_log;

-- Consumers of the log (search instances), each with the position it has
-- applied up to. A consumer is worked by one process at a time, under a
-- lease (leased_by, leased_until) like the search outbox's: no transaction
-- is held while it waits on its index.
CREATE TABLE change_consumers (
    name         text PRIMARY KEY,
    position     bigint NOT NULL DEFAULT 0,
    leased_by    uuid,
    leased_until timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
