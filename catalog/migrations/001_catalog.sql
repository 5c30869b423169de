-- The catalogue: reference tables the catalogue points at (service categories,
-- certification schemes and their levels), then vendors, offerings and
-- certifications. Invariants a database can hold are held here too; the Go
-- rules in package catalog are the first line, these are the last.

CREATE TABLE categories (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name text NOT NULL CHECK (name <> '')
);

CREATE TABLE schemes (
    id   text PRIMARY KEY CHECK (id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name text NOT NULL CHECK (name <> '')
);

-- Levels of a scheme, lowest rank first (EUCC substantial < high).
CREATE TABLE scheme_levels (
    scheme_id text NOT NULL REFERENCES schemes (id) ON UPDATE CASCADE ON DELETE CASCADE,
    level     text NOT NULL CHECK (level <> ''),
    rank      integer NOT NULL,
    PRIMARY KEY (scheme_id, level),
    UNIQUE (scheme_id, rank)
);

CREATE TABLE vendors (
    id             uuid PRIMARY KEY,
    legal_name     text NOT NULL CHECK (btrim(legal_name) <> '' AND char_length(legal_name) <= 200),
    trading_name   text NOT NULL DEFAULT '' CHECK (char_length(trading_name) <= 200),
    vat_number     text NOT NULL CHECK (vat_number ~ '^[A-Z]{2}[0-9A-Z+*]{2,13}$'),
    lei            text NOT NULL DEFAULT '' CHECK (lei = '' OR lei ~ '^[0-9A-Z]{18}[0-9]{2}$'),
    euid           text NOT NULL DEFAULT '' CHECK (char_length(euid) <= 60),
    country        text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    established_in text[] NOT NULL DEFAULT '{}' CHECK (country = ANY (established_in)),
    size           text NOT NULL CHECK (size IN ('micro', 'small', 'medium', 'large')),
    website        text NOT NULL DEFAULT '' CHECK (char_length(website) <= 300),
    contact_name   text NOT NULL DEFAULT '' CHECK (char_length(contact_name) <= 200),
    contact_email  text NOT NULL CHECK (contact_email LIKE '%_@_%' AND char_length(contact_email) <= 254),
    contact_phone  text NOT NULL DEFAULT '' CHECK (contact_phone = '' OR contact_phone ~ '^\+[1-9][0-9]{1,14}$'),
    version        bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- One vendor per VAT number and per LEI.
CREATE UNIQUE INDEX vendors_vat_number_key ON vendors (vat_number);
CREATE UNIQUE INDEX vendors_lei_key ON vendors (lei) WHERE lei <> '';
CREATE INDEX vendors_country_idx ON vendors (country, id);

CREATE TABLE offerings (
    id                    uuid PRIMARY KEY,
    vendor_id             uuid NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    name                  text NOT NULL CHECK (btrim(name) <> '' AND char_length(name) <= 200),
    category              text NOT NULL REFERENCES categories (slug) ON UPDATE CASCADE,
    cpv_codes             text[] NOT NULL DEFAULT '{}',
    summary               jsonb NOT NULL CHECK (jsonb_typeof(summary) = 'object' AND summary <> '{}'::jsonb),
    description           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(description) = 'object'),
    delivery              text NOT NULL CHECK (delivery IN ('remote', 'on-site', 'hybrid')),
    countries             text[] NOT NULL CHECK (cardinality(countries) > 0),
    languages             text[] NOT NULL CHECK (cardinality(languages) > 0),
    data_locations        text[] NOT NULL DEFAULT '{}',
    cleared_in            text[] NOT NULL DEFAULT '{}',
    healthcare_references jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(healthcare_references) = 'array'),
    status                text NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
    version               bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    -- Lets certification_offerings prove an offering belongs to the
    -- certification's vendor.
    UNIQUE (id, vendor_id)
);

CREATE INDEX offerings_vendor_idx ON offerings (vendor_id, id);
CREATE INDEX offerings_category_idx ON offerings (category, id);
CREATE INDEX offerings_countries_idx ON offerings USING gin (countries);
CREATE INDEX offerings_languages_idx ON offerings USING gin (languages);

CREATE TABLE certifications (
    id              uuid PRIMARY KEY,
    vendor_id       uuid NOT NULL REFERENCES vendors (id) ON DELETE CASCADE,
    scheme          text NOT NULL REFERENCES schemes (id) ON UPDATE CASCADE,
    level           text,
    number          text NOT NULL CHECK (btrim(number) <> '' AND char_length(number) <= 100),
    issuer          text NOT NULL CHECK (btrim(issuer) <> '' AND char_length(issuer) <= 200),
    scope           text NOT NULL DEFAULT '' CHECK (char_length(scope) <= 2000),
    valid_from      date NOT NULL,
    valid_until     date NOT NULL,
    evidence_url    text NOT NULL DEFAULT '' CHECK (char_length(evidence_url) <= 500),
    evidence_sha256 text NOT NULL DEFAULT '' CHECK (evidence_sha256 ~ '^([0-9a-f]{64})?$'),
    status          text NOT NULL CHECK (status IN ('self-declared', 'verified', 'rejected', 'suspended', 'withdrawn')),
    verified_by     text NOT NULL DEFAULT '' CHECK (char_length(verified_by) <= 200),
    verified_at     timestamptz,
    version         bigint NOT NULL DEFAULT 1 CHECK (version > 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT certifications_validity_check CHECK (valid_until > valid_from),
    -- A level, when given, must be one of the scheme's levels (MATCH SIMPLE:
    -- a NULL level skips the check).
    CONSTRAINT certifications_level_fkey FOREIGN KEY (scheme, level)
        REFERENCES scheme_levels (scheme_id, level) ON UPDATE CASCADE,
    UNIQUE (id, vendor_id)
);

-- The same certificate cannot be claimed twice by one vendor.
CREATE UNIQUE INDEX certifications_number_key ON certifications (vendor_id, scheme, number);
CREATE INDEX certifications_vendor_idx ON certifications (vendor_id, id);
CREATE INDEX certifications_scheme_idx ON certifications (scheme, id);
CREATE INDEX certifications_valid_until_idx ON certifications (valid_until);

-- Which offerings a certification covers. Both foreign keys carry the vendor,
-- so a certification can only cover its own vendor's offerings.
CREATE TABLE certification_offerings (
    certification_id uuid NOT NULL,
    offering_id      uuid NOT NULL,
    vendor_id        uuid NOT NULL,
    PRIMARY KEY (certification_id, offering_id),
    CONSTRAINT certification_offerings_certification_fkey FOREIGN KEY (certification_id, vendor_id)
        REFERENCES certifications (id, vendor_id) ON DELETE CASCADE,
    CONSTRAINT certification_offerings_offering_fkey FOREIGN KEY (offering_id, vendor_id)
        REFERENCES offerings (id, vendor_id) ON DELETE CASCADE
);

CREATE INDEX certification_offerings_offering_idx ON certification_offerings (offering_id);
