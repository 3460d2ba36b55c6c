-- Saved filters and distribution lists (static, or dynamic over a saved filter).
-- Keep in step with ../postgres/0008_lists.sql.

CREATE TABLE saved_filters (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    collection TEXT NOT NULL,
    query TEXT NOT NULL,
    owner_id BLOB NOT NULL REFERENCES users (id),
    shared_with_team_id BLOB REFERENCES teams (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id),
    updated_at TEXT NOT NULL,
    updated_by BLOB REFERENCES users (id)
);
CREATE INDEX saved_filters_owner ON saved_filters (owner_id, name);
CREATE INDEX saved_filters_team ON saved_filters (shared_with_team_id, name);

CREATE TABLE lists (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    kind TEXT NOT NULL,
    collection TEXT NOT NULL,
    filter_id BLOB REFERENCES saved_filters (id),
    owner_id BLOB NOT NULL REFERENCES users (id),
    shared_with_team_id BLOB REFERENCES teams (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id),
    updated_at TEXT NOT NULL,
    updated_by BLOB REFERENCES users (id),
    CHECK ((kind = 'dynamic') = (filter_id IS NOT NULL))
);
CREATE INDEX lists_owner ON lists (owner_id, name);
CREATE INDEX lists_team ON lists (shared_with_team_id, name);
CREATE INDEX lists_filter ON lists (filter_id);

-- A member is a company or a person (the list's collection says which); the record's
-- delete removes its rows here in the same transaction.
CREATE TABLE list_members (
    list_id BLOB NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    record_id BLOB NOT NULL,
    added_at TEXT NOT NULL,
    added_by BLOB REFERENCES users (id),
    PRIMARY KEY (list_id, record_id)
);
CREATE INDEX list_members_record ON list_members (record_id);
