-- Events addressed to one vendor or one buyer, delivered by webhook to the
-- subscriptions of that vendor's or buyer's keys beside the public change
-- feed: a certificate that expires in 90, 30 or 7 days or has expired, a
-- verification decision, an offering whose eligibility a change of the
-- reference data changed, and a change to an offering on a buyer's
-- shortlist. Positions come from a counter row of their own, taken at the
-- end of the writing transaction like the change log's (see
-- sequenceChanges): they follow commit order, so a subscription that
-- delivered up to a position never skips an event that committed late.
CREATE TABLE webhook_events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    position  bigint UNIQUE,
    at        timestamptz NOT NULL DEFAULT now(),
    vendor_id uuid REFERENCES vendors (id) ON DELETE CASCADE,
    buyer_id  uuid REFERENCES buyers (id) ON DELETE CASCADE,
    type      text NOT NULL CHECK (type IN ('certificate.expiring', 'certificate.expired', 'certificate.verification',
                                            'offering.eligibility', 'shortlist.offering')),
    -- The certification or offering the event is about.
    subject   uuid NOT NULL,
    data      jsonb NOT NULL DEFAULT '{}',
    CHECK ((vendor_id IS NULL) <> (buyer_id IS NULL))
);

CREATE INDEX webhook_events_unsequenced_idx ON webhook_events (id) WHERE position IS NULL;
CREATE INDEX webhook_events_vendor_idx ON webhook_events (vendor_id, position) WHERE vendor_id IS NOT NULL;
CREATE INDEX webhook_events_buyer_idx ON webhook_events (buyer_id, position) WHERE buyer_id IS NOT NULL;

CREATE TABLE webhook_event_counter (
    single   boolean PRIMARY KEY DEFAULT true CHECK (single),
    position bigint NOT NULL
);
INSERT INTO webhook_event_counter (position) VALUES (0);

-- Each subscription's position in the events of its key's vendor or buyer,
-- and the last event position each delivery carried.
ALTER TABLE webhook_subscriptions ADD COLUMN event_position bigint NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN last_event_position bigint NOT NULL DEFAULT 0;

-- Buyer events look up the shortlists holding a changed offering.
CREATE INDEX project_shortlist_offering_idx ON project_shortlist (offering_id);

-- What the certificate job did, so that each certificate gets each notice
-- once, whatever the restarts and replicas: an expiry warning per threshold
-- (expires-90, expires-30, expires-7), and the day its validity started or
-- ended (starts, expired), which also goes into the change log. day is the
-- valid_until (or valid_from) the notice was about: a renewed certificate
-- is warned again.
CREATE TABLE certificate_notices (
    certification_id uuid NOT NULL REFERENCES certifications (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('expires-90', 'expires-30', 'expires-7', 'starts', 'expired')),
    day              date NOT NULL,
    sent_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (certification_id, kind, day)
);

-- Each public offering's eligibility under the reference data version it
-- was last computed with: at start-up, and when the reference data changes,
-- an offering whose eligibility differs under a new version gets an event
-- to its vendor and a change-log row.
CREATE TABLE offering_eligibility (
    offering_id       uuid PRIMARY KEY REFERENCES offerings (id) ON DELETE CASCADE,
    reference_version text NOT NULL,
    eligibility       jsonb NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Retention of the change log: rows older than the retention period are
-- pruned (PruneChanges) when a later row of the same object exists, or when
-- the object no longer exists; reading from 0 still yields the catalogue.
-- pruned_through is the highest position pruned: a reader resuming after a
-- position below it may have missed a removal, and is told to start over.
-- A table of its own, not a column of change_counter: every read of the
-- feed reads it, and change_counter's one row is rewritten by every write.
CREATE TABLE change_log_horizon (
    single         boolean PRIMARY KEY DEFAULT true CHECK (single),
    pruned_through bigint NOT NULL
);
INSERT INTO change_log_horizon (pruned_through) VALUES (0);
-- The pruned_through a subscription started under (from 0, or from a
-- position past it): it reads through the pruned part.
ALTER TABLE webhook_subscriptions ADD COLUMN horizon bigint NOT NULL DEFAULT 0;
