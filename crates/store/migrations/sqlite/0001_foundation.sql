-- The foundation: users and sign-in, the customer base, history and the outbox.
-- Keep in step with ../postgres/0001_foundation.sql (a test compares the two schemas).

CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    login TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    disabled_at TEXT
);
CREATE UNIQUE INDEX users_login ON users (login);

CREATE TABLE api_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX sessions_hash ON sessions (token_hash);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    key TEXT PRIMARY KEY NOT NULL,
    failures BIGINT NOT NULL,
    window_started_at TEXT NOT NULL
);

CREATE TABLE sequences (
    name TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);

CREATE TABLE category_kinds (
    id BLOB PRIMARY KEY NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    multiple BOOLEAN NOT NULL DEFAULT 1,
    is_system BOOLEAN NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX category_kinds_key ON category_kinds (key);

CREATE TABLE category_values (
    id BLOB PRIMARY KEY NOT NULL,
    kind_id BLOB NOT NULL REFERENCES category_kinds (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX category_values_kind_key ON category_values (kind_id, key);

CREATE TABLE custom_fields (
    id BLOB PRIMARY KEY NOT NULL,
    record_kind TEXT NOT NULL,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    field_type TEXT NOT NULL,
    required BOOLEAN NOT NULL DEFAULT 0,
    options TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX custom_fields_kind_key ON custom_fields (record_kind, key);

CREATE TABLE companies (
    id BLOB PRIMARY KEY NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    legal_name TEXT,
    tax_id TEXT,
    website TEXT,
    industry TEXT,
    size TEXT,
    area TEXT,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    level TEXT,
    stage TEXT,
    source TEXT,
    background TEXT,
    description TEXT,
    security_level INTEGER NOT NULL DEFAULT 0,
    owner_id BLOB REFERENCES users (id),
    parent_id BLOB REFERENCES companies (id),
    custom TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id),
    updated_at TEXT NOT NULL,
    updated_by BLOB REFERENCES users (id),
    archived_at TEXT
);
CREATE UNIQUE INDEX companies_code ON companies (code);
CREATE INDEX companies_name ON companies (name, id);
CREATE INDEX companies_name_folded ON companies (name_folded);
CREATE INDEX companies_created ON companies (created_at, id);
CREATE INDEX companies_updated ON companies (updated_at, id);
CREATE INDEX companies_owner ON companies (owner_id, id);
CREATE INDEX companies_status ON companies (status, id);
CREATE INDEX companies_type ON companies (type, id);
CREATE INDEX companies_level ON companies (level, id);
CREATE INDEX companies_stage ON companies (stage, id);
CREATE INDEX companies_area ON companies (area, id);
CREATE INDEX companies_parent ON companies (parent_id);
CREATE INDEX companies_tax_id ON companies (tax_id);

CREATE TABLE people (
    id BLOB PRIMARY KEY NOT NULL,
    given_name TEXT,
    family_name TEXT,
    full_name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    title TEXT,
    birth_date TEXT,
    language TEXT,
    background TEXT,
    description TEXT,
    owner_id BLOB REFERENCES users (id),
    custom TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id),
    updated_at TEXT NOT NULL,
    updated_by BLOB REFERENCES users (id),
    archived_at TEXT
);
CREATE INDEX people_full_name ON people (full_name, id);
CREATE INDEX people_name_folded ON people (name_folded);
CREATE INDEX people_created ON people (created_at, id);
CREATE INDEX people_updated ON people (updated_at, id);
CREATE INDEX people_owner ON people (owner_id, id);

CREATE TABLE employments (
    id BLOB PRIMARY KEY NOT NULL,
    person_id BLOB NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    company_id BLOB NOT NULL REFERENCES companies (id),
    position TEXT,
    department TEXT,
    responsibilities TEXT,
    availability TEXT,
    is_current BOOLEAN NOT NULL DEFAULT 1,
    started_on TEXT,
    ended_on TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX employments_person_company ON employments (person_id, company_id);
CREATE INDEX employments_company ON employments (company_id);

CREATE TABLE contact_methods (
    id BLOB PRIMARY KEY NOT NULL,
    record_id BLOB NOT NULL,
    company_id BLOB REFERENCES companies (id) ON DELETE CASCADE,
    person_id BLOB REFERENCES people (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    normalized TEXT NOT NULL,
    e164 TEXT,
    label TEXT,
    is_primary BOOLEAN NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0,
    CHECK ((company_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX contact_methods_record ON contact_methods (record_id, sort_order);
CREATE INDEX contact_methods_normalized ON contact_methods (normalized);
CREATE INDEX contact_methods_company ON contact_methods (company_id);
CREATE INDEX contact_methods_person ON contact_methods (person_id);

CREATE TABLE addresses (
    id BLOB PRIMARY KEY NOT NULL,
    record_id BLOB NOT NULL,
    company_id BLOB REFERENCES companies (id) ON DELETE CASCADE,
    person_id BLOB REFERENCES people (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    line1 TEXT,
    line2 TEXT,
    city TEXT,
    region TEXT,
    postcode TEXT,
    country TEXT,
    is_default BOOLEAN NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0,
    CHECK ((company_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX addresses_record ON addresses (record_id, sort_order);
CREATE INDEX addresses_company ON addresses (company_id);
CREATE INDEX addresses_person ON addresses (person_id);
CREATE INDEX addresses_city ON addresses (city);

CREATE TABLE record_attributes (
    record_id BLOB NOT NULL,
    record_kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (record_id, key)
);
CREATE INDEX record_attributes_pair ON record_attributes (key, value, record_id);

CREATE TABLE record_categories (
    record_id BLOB NOT NULL,
    record_kind TEXT NOT NULL,
    value_id BLOB NOT NULL REFERENCES category_values (id),
    PRIMARY KEY (record_id, value_id)
);
CREATE INDEX record_categories_value ON record_categories (value_id, record_id);

CREATE TABLE audit_log (
    id BLOB PRIMARY KEY NOT NULL,
    record_kind TEXT NOT NULL,
    record_id BLOB NOT NULL,
    action TEXT NOT NULL,
    actor_id BLOB REFERENCES users (id),
    at TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX audit_log_record ON audit_log (record_id, id);

CREATE TABLE outbox (
    id BLOB PRIMARY KEY NOT NULL,
    topic TEXT NOT NULL,
    record_kind TEXT NOT NULL,
    record_id BLOB NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    processed_at TEXT
);
CREATE INDEX outbox_pending ON outbox (processed_at, id);
