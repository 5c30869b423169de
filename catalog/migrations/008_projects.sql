-- Buyers and their procurement projects: buyer organisations with buyer
-- keys, projects with saved searches and a shortlist, the locked snapshot
-- (immutable, also to the database), and the outcome.

CREATE TABLE buyers (
    id          uuid PRIMARY KEY,
    legal_name  text NOT NULL CHECK (btrim(legal_name) <> '' AND char_length(legal_name) <= 200),
    country     text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    -- public or private: the buyer kind of the burden engine.
    ownership   text NOT NULL CHECK (ownership IN ('public', 'private')),
    -- NIS2 Directive (EU) 2022/2555 classification.
    nis2_entity text NOT NULL CHECK (nis2_entity IN ('essential', 'important', 'none')),
    vat_number  text NOT NULL UNIQUE CHECK (vat_number ~ '^[A-Z]{2}[0-9A-Z+*]{2,13}$'),
    lei         text NOT NULL DEFAULT '' CHECK (lei = '' OR lei ~ '^[0-9A-Z]{18}[0-9]{2}$'),
    status      text NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
    version     bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE api_keys ADD COLUMN buyer_id uuid REFERENCES buyers (id) ON DELETE CASCADE;
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
    CHECK (role IN ('admin', 'verifier', 'analyst', 'vendor', 'buyer'));
ALTER TABLE api_keys ADD CONSTRAINT api_keys_buyer_check CHECK ((role = 'buyer') = (buyer_id IS NOT NULL));

ALTER TABLE audit_events DROP CONSTRAINT audit_events_entity_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_entity_check
    CHECK (entity IN ('vendor', 'offering', 'certification', 'requirement', 'scheme', 'api_key', 'buyer', 'project'));

CREATE TABLE projects (
    id         uuid PRIMARY KEY,
    buyer_id   uuid NOT NULL REFERENCES buyers (id) ON DELETE CASCADE,
    title      text NOT NULL CHECK (btrim(title) <> '' AND char_length(title) <= 300),
    category   text NOT NULL REFERENCES categories (slug),
    cpv_codes  text[] NOT NULL DEFAULT '{}',
    country    text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    buyer_kind text NOT NULL CHECK (buyer_kind IN ('public', 'private')),
    lots       jsonb NOT NULL DEFAULT '[]',
    -- Names of tender-context facts, until the tender-context engine lands.
    context    text[] NOT NULL DEFAULT '{}',
    -- Breaks ties in the ranking of results, neutrally and per project.
    seed       bytea NOT NULL CHECK (octet_length(seed) = 16),
    locked_at  timestamptz,
    version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX projects_buyer_idx ON projects (buyer_id, id);

CREATE TABLE project_searches (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    query      text NOT NULL CHECK (char_length(query) <= 500),
    filters    jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX project_searches_project_idx ON project_searches (project_id, id);

CREATE TABLE project_shortlist (
    project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    offering_id uuid NOT NULL REFERENCES offerings (id),
    decision    text NOT NULL CHECK (decision IN ('included', 'excluded')),
    note        text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, offering_id),
    -- An exclusion says why.
    CHECK (decision = 'included' OR btrim(note) <> '')
);

-- The frozen record of a locked project: the canonical JSON exactly as it
-- was hashed (bytea, not jsonb, which would reorder keys) and its SHA-256.
CREATE TABLE project_snapshots (
    project_id uuid PRIMARY KEY REFERENCES projects (id),
    locked_at  timestamptz NOT NULL,
    body       bytea NOT NULL,
    sha256     text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CHECK (encode(sha256(body), 'hex') = sha256)
);

-- A snapshot is written once and never changed or removed.
CREATE FUNCTION refuse_snapshot_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'project snapshot % is locked and cannot be changed', OLD.project_id
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER project_snapshots_immutable BEFORE UPDATE OR DELETE ON project_snapshots
    FOR EACH ROW EXECUTE FUNCTION refuse_snapshot_change();

-- Nothing a snapshot froze changes after the lock: the project row (but for
-- its own lock), its searches and its shortlist.
CREATE FUNCTION refuse_locked_project_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pid uuid;
BEGIN
    IF TG_TABLE_NAME = 'projects' THEN
        IF OLD.locked_at IS NOT NULL THEN
            RAISE EXCEPTION 'project % is locked', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    pid := CASE WHEN TG_OP = 'INSERT' THEN NEW.project_id ELSE OLD.project_id END;
    IF EXISTS (SELECT 1 FROM projects WHERE id = pid AND locked_at IS NOT NULL) THEN
        RAISE EXCEPTION 'project % is locked', pid USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER projects_locked BEFORE UPDATE OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION refuse_locked_project_change();
CREATE TRIGGER project_searches_locked BEFORE INSERT OR UPDATE OR DELETE ON project_searches
    FOR EACH ROW EXECUTE FUNCTION refuse_locked_project_change();
CREATE TRIGGER project_shortlist_locked BEFORE INSERT OR UPDATE OR DELETE ON project_shortlist
    FOR EACH ROW EXECUTE FUNCTION refuse_locked_project_change();

-- What came of a locked project: an award to one offering, or no award.
CREATE TABLE project_outcomes (
    project_id  uuid PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    awarded     boolean NOT NULL,
    offering_id uuid REFERENCES offerings (id) ON DELETE SET NULL,
    value_eur   bigint CHECK (value_eur >= 0),
    starts_on   date,
    ends_on     date,
    reason      text NOT NULL DEFAULT '' CHECK (char_length(reason) <= 2000),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CHECK (awarded OR btrim(reason) <> ''),
    CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);

CREATE INDEX project_outcomes_offering_idx ON project_outcomes (offering_id) WHERE awarded;
