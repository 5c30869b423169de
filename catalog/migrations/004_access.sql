-- Access control: API keys with roles, and the reason staff give when they
-- reject or suspend a certification claim.

-- A bearer API key. The secret is never stored: only SHA-256 over the key id
-- and the 32 random bytes of the secret (see catalog/keys.go for why a fast
-- hash is right here). Vendor keys are bound to one vendor and die with it.
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    name         text NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 100),
    role         text NOT NULL CHECK (role IN ('admin', 'verifier', 'analyst', 'vendor')),
    vendor_id    uuid REFERENCES vendors (id) ON DELETE CASCADE,
    secret_hash  bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- The actor that created the key (a key id, or a CLI name).
    created_by   text NOT NULL,
    expires_at   timestamptz,
    -- Updated at most about once a minute per key, not on every request.
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_keys_vendor_check CHECK ((role = 'vendor') = (vendor_id IS NOT NULL))
);

CREATE INDEX api_keys_vendor_idx ON api_keys (vendor_id, id) WHERE vendor_id IS NOT NULL;

-- Why staff rejected or suspended a claim; empty otherwise.
ALTER TABLE certifications
    ADD COLUMN status_reason text NOT NULL DEFAULT '' CHECK (char_length(status_reason) <= 1000);

-- History of one object, and the audit log by actor.
CREATE INDEX audit_events_actor_idx ON audit_events (actor, id);
