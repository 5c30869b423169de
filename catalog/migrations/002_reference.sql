-- Reference data in the database. The embedded files of package compliance
-- seed these tables (cybermarket migrate); administrators may edit them later.
-- Each row keeps the whole record as JSON (doc), the hash of the embedded
-- record it was last seeded from (seed_hash), whether and by whom it was
-- edited, and, when a release changes a record an administrator edited, the
-- release's version (pending) for review. The burden engine reads a snapshot
-- of these tables; reference_revision tells replicas when to reload it.

ALTER TABLE categories
    ADD COLUMN doc        jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN seed_hash  text NOT NULL DEFAULT '',
    ADD COLUMN edited_by  text,
    ADD COLUMN edited_at  timestamptz,
    ADD COLUMN pending    jsonb,
    ADD COLUMN version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

ALTER TABLE schemes
    ADD COLUMN doc        jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN seed_hash  text NOT NULL DEFAULT '',
    ADD COLUMN edited_by  text,
    ADD COLUMN edited_at  timestamptz,
    ADD COLUMN pending    jsonb,
    ADD COLUMN version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE countries (
    code       text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name       text NOT NULL CHECK (name <> ''),
    doc        jsonb NOT NULL,
    seed_hash  text NOT NULL DEFAULT '',
    edited_by  text,
    edited_at  timestamptz,
    pending    jsonb,
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE requirements (
    id         text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    -- An ISO country code, EU (every EU member state) or EEA.
    country    text NOT NULL CHECK (country ~ '^[A-Z]{2,3}$'),
    doc        jsonb NOT NULL,
    seed_hash  text NOT NULL DEFAULT '',
    edited_by  text,
    edited_at  timestamptz,
    pending    jsonb,
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX requirements_country_idx ON requirements (country);

-- One row: a counter bumped by every change to the reference tables, and the
-- version of the embedded data last seeded.
CREATE TABLE reference_revision (
    singleton        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision         bigint NOT NULL DEFAULT 0,
    embedded_version text NOT NULL DEFAULT '',
    changed_at       timestamptz NOT NULL DEFAULT now()
);
INSERT INTO reference_revision DEFAULT VALUES;

CREATE FUNCTION bump_reference_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_revision SET revision = revision + 1, changed_at = now();
    PERFORM pg_notify('reference_changed', '');
    RETURN NULL;
END $$;

CREATE TRIGGER categories_revision AFTER INSERT OR UPDATE OR DELETE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_revision();
CREATE TRIGGER schemes_revision AFTER INSERT OR UPDATE OR DELETE ON schemes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_revision();
CREATE TRIGGER scheme_levels_revision AFTER INSERT OR UPDATE OR DELETE ON scheme_levels
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_revision();
CREATE TRIGGER countries_revision AFTER INSERT OR UPDATE OR DELETE ON countries
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_revision();
CREATE TRIGGER requirements_revision AFTER INSERT OR UPDATE OR DELETE ON requirements
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_revision();

-- Levels are reordered by the seeding; their order need not be unique mid-way.
ALTER TABLE scheme_levels DROP CONSTRAINT scheme_levels_scheme_id_rank_key;
