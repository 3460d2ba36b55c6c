-- Saved filters and distribution lists (static, or dynamic over a saved filter).
-- Keep in step with ../sqlite/0008_lists.sql.

CREATE TABLE saved_filters (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    collection TEXT NOT NULL,
    query TEXT NOT NULL,
    owner_id UUID NOT NULL REFERENCES users (id),
    shared_with_team_id UUID REFERENCES teams (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID REFERENCES users (id)
);
CREATE INDEX saved_filters_owner ON saved_filters (owner_id, name);
CREATE INDEX saved_filters_team ON saved_filters (shared_with_team_id, name);

CREATE TABLE lists (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    kind TEXT NOT NULL,
    collection TEXT NOT NULL,
    filter_id UUID REFERENCES saved_filters (id),
    owner_id UUID NOT NULL REFERENCES users (id),
    shared_with_team_id UUID REFERENCES teams (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID REFERENCES users (id),
    CHECK ((kind = 'dynamic') = (filter_id IS NOT NULL))
);
CREATE INDEX lists_owner ON lists (owner_id, name);
CREATE INDEX lists_team ON lists (shared_with_team_id, name);
CREATE INDEX lists_filter ON lists (filter_id);

-- A member is a company or a person (the list's collection says which); the record's
-- delete removes its rows here in the same transaction.
CREATE TABLE list_members (
    list_id UUID NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    record_id UUID NOT NULL,
    added_at TIMESTAMPTZ NOT NULL,
    added_by UUID REFERENCES users (id),
    PRIMARY KEY (list_id, record_id)
);
CREATE INDEX list_members_record ON list_members (record_id);
