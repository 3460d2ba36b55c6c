-- Activities (calls, meetings, notes...), their kinds, threads, participants, and the
-- link table timelines walk. Keep in step with ../sqlite/0015_activities.sql.

CREATE TABLE activity_kinds (
    key TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    is_builtin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID REFERENCES users (id)
);
INSERT INTO activity_kinds (key, name, is_builtin, created_at) VALUES
    ('call', 'Call', TRUE, '2026-01-01T00:00:00Z'),
    ('meeting', 'Meeting', TRUE, '2026-01-01T00:00:00Z'),
    ('email', 'Email', TRUE, '2026-01-01T00:00:00Z'),
    ('letter', 'Letter', TRUE, '2026-01-01T00:00:00Z'),
    ('fax', 'Fax', TRUE, '2026-01-01T00:00:00Z'),
    ('visit', 'Visit', TRUE, '2026-01-01T00:00:00Z'),
    ('note', 'Note', TRUE, '2026-01-01T00:00:00Z');

CREATE TABLE threads (
    id UUID PRIMARY KEY NOT NULL,
    subject TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID REFERENCES users (id)
);
CREATE INDEX threads_creator ON threads (created_by, created_at, id);

-- The records an activity is about are not columns here but rows of activity_links, so
-- moving an activity to another record (merging duplicates) touches one table.
CREATE TABLE activities (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL REFERENCES activity_kinds (key),
    direction TEXT,
    subject TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    duration_minutes INTEGER,
    outcome TEXT,
    body TEXT,
    thread_id UUID REFERENCES threads (id),
    reply_to_id UUID REFERENCES activities (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID REFERENCES users (id),
    archived_at TIMESTAMPTZ
);
CREATE INDEX activities_occurred ON activities (occurred_at, id);
CREATE INDEX activities_thread ON activities (thread_id, occurred_at, id);
CREATE INDEX activities_reply ON activities (reply_to_id);
CREATE INDEX activities_creator ON activities (created_by, occurred_at, id);

-- One row per record an activity is about: record_kind is company or person (named on
-- the activity), or employer (a company reached through one of the activity's people,
-- so the company's timeline shows its people's activities too). occurred_at and kind are
-- copies of the activity's, so a timeline page is one index range.
CREATE TABLE activity_links (
    record_id UUID NOT NULL,
    activity_id UUID NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    record_kind TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (record_id, activity_id)
);
CREATE INDEX activity_links_walk ON activity_links (record_id, occurred_at, activity_id);
CREATE INDEX activity_links_kind ON activity_links (record_id, kind, occurred_at, activity_id);
CREATE INDEX activity_links_activity ON activity_links (activity_id, record_kind);

-- The users who took part; occurred_at and kind copied so a user's meetings in a range
-- (calendar, busy time) are one index range.
CREATE TABLE activity_users (
    user_id UUID NOT NULL REFERENCES users (id),
    activity_id UUID NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    occurred_at TIMESTAMPTZ NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (activity_id, user_id)
);
CREATE INDEX activity_users_time ON activity_users (user_id, kind, occurred_at, activity_id);
