-- Duplicate detection and merges (see rapport_core::duplicates). Keep in step with
-- ../postgres/0016_duplicates_merges.sql.

-- The blocking keys of every company (kind 1) and person (kind 2): a normalised email,
-- phone, tax number, code or name form. Records that share a key are compared; written in
-- the same transaction as the record, and filled for older records at start-up while
-- `duplicate_state.version` is behind the program's.
CREATE TABLE duplicate_keys (
    kind INTEGER NOT NULL,
    key TEXT NOT NULL,
    record_id BLOB NOT NULL,
    PRIMARY KEY (kind, key, record_id)
) WITHOUT ROWID;
CREATE INDEX duplicate_keys_record ON duplicate_keys (record_id, key);

CREATE TABLE duplicate_state (
    id INTEGER PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL
);

-- A record merged into another: its id keeps leading to the survivor.
CREATE TABLE merged_records (
    id BLOB PRIMARY KEY NOT NULL,
    kind INTEGER NOT NULL,
    survivor_id BLOB NOT NULL,
    merged_at TEXT NOT NULL,
    merged_by BLOB REFERENCES users (id)
);
CREATE INDEX merged_records_survivor ON merged_records (survivor_id);

-- The groups the last batch scan of a kind found, best first (score in thousandths), and
-- their records; a merge or a dismissal removes the groups it answers.
CREATE TABLE duplicate_groups (
    id BLOB PRIMARY KEY NOT NULL,
    kind INTEGER NOT NULL,
    score INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    found_at TEXT NOT NULL
);
CREATE INDEX duplicate_groups_kind ON duplicate_groups (kind, score, id);

CREATE TABLE duplicate_group_members (
    group_id BLOB NOT NULL REFERENCES duplicate_groups (id) ON DELETE CASCADE,
    record_id BLOB NOT NULL,
    PRIMARY KEY (group_id, record_id)
);
CREATE INDEX duplicate_group_members_record ON duplicate_group_members (record_id);

-- Pairs a user said are not duplicates (the smaller id first); scans leave them apart.
CREATE TABLE duplicate_dismissals (
    record_id BLOB NOT NULL,
    other_id BLOB NOT NULL,
    dismissed_by BLOB REFERENCES users (id),
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (record_id, other_id)
);
