-- Access control: roles, teams, clearances, sharing, deletion requests, notifications.
-- Keep in step with ../postgres/0002_access.sql.

CREATE TABLE roles (
    id BLOB PRIMARY KEY NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    is_builtin BOOLEAN NOT NULL DEFAULT 0,
    grants TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX roles_key ON roles (key);

CREATE TABLE teams (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    parent_id BLOB REFERENCES teams (id),
    manager_id BLOB REFERENCES users (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX teams_name ON teams (name);
CREATE INDEX teams_parent ON teams (parent_id);
CREATE INDEX teams_manager ON teams (manager_id);

ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'sales';
ALTER TABLE users ADD COLUMN team_id BLOB REFERENCES teams (id);
ALTER TABLE users ADD COLUMN clearance INTEGER NOT NULL DEFAULT 0;
UPDATE users SET role = 'admin', clearance = 9 WHERE is_admin;
ALTER TABLE users DROP COLUMN is_admin;
CREATE INDEX users_team ON users (team_id);

CREATE TABLE record_shares (
    id BLOB PRIMARY KEY NOT NULL,
    record_id BLOB NOT NULL,
    record_kind TEXT NOT NULL,
    user_id BLOB REFERENCES users (id),
    team_id BLOB REFERENCES teams (id),
    access TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id),
    CHECK ((user_id IS NULL) <> (team_id IS NULL))
);
CREATE INDEX record_shares_record ON record_shares (record_id);
CREATE INDEX record_shares_user ON record_shares (user_id, record_id);
CREATE INDEX record_shares_team ON record_shares (team_id, record_id);

CREATE TABLE deletion_requests (
    id BLOB PRIMARY KEY NOT NULL,
    record_kind TEXT NOT NULL,
    record_id BLOB NOT NULL,
    record_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_by BLOB NOT NULL REFERENCES users (id),
    approver_id BLOB REFERENCES users (id),
    decided_by BLOB REFERENCES users (id),
    decided_at TEXT,
    outcome TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX deletion_requests_record ON deletion_requests (record_id);
CREATE INDEX deletion_requests_approver ON deletion_requests (approver_id, status);

CREATE TABLE notifications (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    link TEXT,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
