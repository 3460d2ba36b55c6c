-- Imports and exports (FEATURES J2): the optional external id of companies and people
-- (unique when present, the key an import updates by), every import as a batch with its
-- uploaded file, the records it created or changed (what an undo puts back), the rows it
-- refused, and the column mappings users saved. Keep in step with ../sqlite/0012_imports.sql.

ALTER TABLE companies ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX companies_external_id ON companies (external_id) WHERE external_id IS NOT NULL;
ALTER TABLE people ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX people_external_id ON people (external_id) WHERE external_id IS NOT NULL;

CREATE TABLE imports (
    id UUID PRIMARY KEY NOT NULL,
    -- companies or people
    kind TEXT NOT NULL,
    -- csv, xlsx, xls, ods or vcf
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_size BIGINT NOT NULL,
    -- JSON: the mapping, mode, dry run, encoding, delimiter and upsert key it ran with.
    options JSONB NOT NULL,
    -- queued, running, done, failed, undoing or undone
    state TEXT NOT NULL,
    -- The job that runs it (and later the one that undoes it).
    job_id UUID REFERENCES jobs (id),
    -- JSON: counts, the encoding and delimiter found, the preview of a dry run.
    summary JSONB,
    error TEXT,
    created_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    undone_at TIMESTAMPTZ,
    undone_by UUID REFERENCES users (id)
);
CREATE INDEX imports_creator ON imports (created_by, id);

-- The uploaded file in pieces, so every server process (and worker) reads it from the
-- database it shares, and a piece at a time.
CREATE TABLE import_files (
    import_id UUID NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (import_id, seq)
);

-- Every record an import created or changed: the version it left the record at (an undo
-- refuses when the record moved on since) and, for a change, the record as it was.
CREATE TABLE import_records (
    import_id UUID NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    record_id UUID NOT NULL,
    record_kind TEXT NOT NULL,
    line BIGINT NOT NULL,
    action TEXT NOT NULL,
    version BIGINT NOT NULL,
    before JSONB,
    PRIMARY KEY (import_id, record_id)
);
CREATE INDEX import_records_record ON import_records (record_id);

-- The report: every refused row (or problem of a row) with its line and column.
CREATE TABLE import_rejects (
    import_id UUID NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    line BIGINT NOT NULL,
    column_name TEXT NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL,
    existing_id UUID,
    PRIMARY KEY (import_id, seq)
);

CREATE TABLE import_mappings (
    id UUID PRIMARY KEY NOT NULL,
    owner_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- JSON: {"Header": "field", ...}
    columns JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX import_mappings_owner_name ON import_mappings (owner_id, kind, name);
