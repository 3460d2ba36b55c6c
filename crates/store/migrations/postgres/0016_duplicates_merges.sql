-- Duplicate detection and merges (see rapport_core::duplicates). Keep in step with
-- ../sqlite/0016_duplicates_merges.sql.

-- The blocking keys of every company (kind 1) and person (kind 2): a normalised email,
-- phone, tax number, code or name form. Records that share a key are compared; written in
-- the same transaction as the record, and filled for older records at start-up while
-- `duplicate_state.version` is behind the program's.
CREATE TABLE duplicate_keys (
    kind SMALLINT NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    record_id UUID NOT NULL,
    PRIMARY KEY (kind, key, record_id)
);
CREATE INDEX duplicate_keys_record ON duplicate_keys (record_id, key);

CREATE TABLE duplicate_state (
    id INTEGER PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL
);

-- A record merged into another: its id keeps leading to the survivor.
CREATE TABLE merged_records (
    id UUID PRIMARY KEY NOT NULL,
    kind SMALLINT NOT NULL,
    survivor_id UUID NOT NULL,
    merged_at TIMESTAMPTZ NOT NULL,
    merged_by UUID REFERENCES users (id)
);
CREATE INDEX merged_records_survivor ON merged_records (survivor_id);

-- The groups the last batch scan of a kind found, best first (score in thousandths), and
-- their records; a merge or a dismissal removes the groups it answers.
CREATE TABLE duplicate_groups (
    id UUID PRIMARY KEY NOT NULL,
    kind SMALLINT NOT NULL,
    score INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    found_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX duplicate_groups_kind ON duplicate_groups (kind, score, id);

CREATE TABLE duplicate_group_members (
    group_id UUID NOT NULL REFERENCES duplicate_groups (id) ON DELETE CASCADE,
    record_id UUID NOT NULL,
    PRIMARY KEY (group_id, record_id)
);
CREATE INDEX duplicate_group_members_record ON duplicate_group_members (record_id);

-- Pairs a user said are not duplicates (the smaller id first); scans leave them apart.
CREATE TABLE duplicate_dismissals (
    record_id UUID NOT NULL,
    other_id UUID NOT NULL,
    dismissed_by UUID REFERENCES users (id),
    dismissed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (record_id, other_id)
);
