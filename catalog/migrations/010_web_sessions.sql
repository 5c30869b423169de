-- Sessions of the web interface (web/session.go), shared by every replica
-- and kept across restarts. The browser's cookie holds a random token; a
-- row is found by the token's SHA-256 only, and the API key it holds is
-- sealed with a key derived from the token, so the table alone signs no one
-- in. Values are checked by catalog.WebSession.validate (no CHECK here: no
-- API request writes this table).
CREATE TABLE web_sessions (
    token_hash bytea PRIMARY KEY,
    sealed_key bytea NOT NULL,
    role       text NOT NULL,
    name       text NOT NULL DEFAULT '',
    vendor_id  uuid,
    -- show_key: the key is shown once, on the first page after sign-up.
    show_key   boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    -- idle_until moves on with every request; expires_at never does.
    idle_until timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);

-- Pruning finds expired rows without a scan.
CREATE INDEX web_sessions_idle_until_idx ON web_sessions (idle_until);
CREATE INDEX web_sessions_expires_at_idx ON web_sessions (expires_at);
