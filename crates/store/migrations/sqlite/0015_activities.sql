-- Activities (calls, meetings, notes...), their kinds, threads, participants, and the
-- link table timelines walk. Keep in step with ../postgres/0015_activities.sql.

CREATE TABLE activity_kinds (
    key TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    is_builtin BOOLEAN NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id)
);
INSERT INTO activity_kinds (key, name, is_builtin, created_at) VALUES
    ('call', 'Call', 1, '2026-01-01T00:00:00.000000Z'),
    ('meeting', 'Meeting', 1, '2026-01-01T00:00:00.000000Z'),
    ('email', 'Email', 1, '2026-01-01T00:00:00.000000Z'),
    ('letter', 'Letter', 1, '2026-01-01T00:00:00.000000Z'),
    ('fax', 'Fax', 1, '2026-01-01T00:00:00.000000Z'),
    ('visit', 'Visit', 1, '2026-01-01T00:00:00.000000Z'),
    ('note', 'Note', 1, '2026-01-01T00:00:00.000000Z');

CREATE TABLE threads (
    id BLOB PRIMARY KEY NOT NULL,
    subject TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id),
    updated_at TEXT NOT NULL,
    updated_by BLOB REFERENCES users (id)
);
CREATE INDEX threads_creator ON threads (created_by, created_at, id);

-- The records an activity is about are not columns here but rows of activity_links, so
-- moving an activity to another record (merging duplicates) touches one table.
CREATE TABLE activities (
    id BLOB PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL REFERENCES activity_kinds (key),
    direction TEXT,
    subject TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    duration_minutes INTEGER,
    outcome TEXT,
    body TEXT,
    thread_id BLOB REFERENCES threads (id),
    reply_to_id BLOB REFERENCES activities (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id),
    updated_at TEXT NOT NULL,
    updated_by BLOB REFERENCES users (id),
    archived_at TEXT
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
    record_id BLOB NOT NULL,
    activity_id BLOB NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    record_kind TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (record_id, activity_id)
);
CREATE INDEX activity_links_walk ON activity_links (record_id, occurred_at, activity_id);
CREATE INDEX activity_links_kind ON activity_links (record_id, kind, occurred_at, activity_id);
CREATE INDEX activity_links_activity ON activity_links (activity_id, record_kind);

-- The users who took part; occurred_at and kind copied so a user's meetings in a range
-- (calendar, busy time) are one index range.
CREATE TABLE activity_users (
    user_id BLOB NOT NULL REFERENCES users (id),
    activity_id BLOB NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    occurred_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (activity_id, user_id)
);
CREATE INDEX activity_users_time ON activity_users (user_id, kind, occurred_at, activity_id);
