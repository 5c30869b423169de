-- Vendor admission state, the audit trail, and the search outbox. Every
-- catalogue write records an audit event and, when it changes what search
-- shows, outbox rows, in the same transaction as the change itself.

-- pending: registered, not yet admitted by staff; active: public;
-- suspended: hidden by staff. Existing vendors were public already.
ALTER TABLE vendors
    ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'suspended'));

CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    -- Who: the API key id (or a CLI/system name) and its role.
    actor       text NOT NULL,
    actor_role  text NOT NULL,
    request_id  text NOT NULL DEFAULT '',
    action      text NOT NULL,
    entity      text NOT NULL CHECK (entity IN ('vendor', 'offering', 'certification', 'requirement', 'scheme', 'api_key')),
    entity_id   text NOT NULL,
    vendor_id   uuid,
    before      jsonb,
    after       jsonb
);

CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id, id);
CREATE INDEX audit_events_vendor_idx ON audit_events (vendor_id, id) WHERE vendor_id IS NOT NULL;
CREATE INDEX audit_events_at_idx ON audit_events (at);

-- Offerings whose search document must be rebuilt. A worker claims rows
-- with FOR UPDATE SKIP LOCKED, pushes the documents, waits for the index to
-- apply them, and only then deletes the rows.
CREATE TABLE search_outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offering_id uuid NOT NULL,
    reason      text NOT NULL,
    enqueued_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts    integer NOT NULL DEFAULT 0,
    not_before  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX search_outbox_ready_idx ON search_outbox (not_before, id);
CREATE INDEX search_outbox_offering_idx ON search_outbox (offering_id);
