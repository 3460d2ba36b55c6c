-- Tasks with recurrence and watchers; each user's working time, absences and calendar
-- feed; the company's holidays. Keep in step with ../postgres/0011_tasks_calendar.sql.

CREATE TABLE tasks (
    id BLOB PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    assignee_id BLOB NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    -- The due instant (a date-only task: the start of its day in its zone); undated tasks
    -- get 9999-12-31 so every list orders by one non-null key.
    due_key TEXT NOT NULL,
    -- The wall-clock time (2026-03-23T09:00:00) or date (2026-03-23) as given, in time_zone.
    due_local TEXT,
    all_day BOOLEAN NOT NULL DEFAULT 0,
    time_zone TEXT NOT NULL,
    duration_minutes INTEGER,
    remind_before_minutes INTEGER,
    -- When the reminder is due; a reminder job reads one range of tasks_remind.
    remind_at TEXT,
    recurrence TEXT,
    series_id BLOB,
    occurrence INTEGER NOT NULL DEFAULT 1,
    company_id BLOB REFERENCES companies (id),
    person_id BLOB REFERENCES people (id),
    related_kind TEXT,
    related_id BLOB,
    completed_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id),
    updated_at TEXT NOT NULL,
    updated_by BLOB REFERENCES users (id)
);
CREATE INDEX tasks_due ON tasks (due_key, id);
CREATE INDEX tasks_assignee_due ON tasks (assignee_id, due_key, id);
CREATE INDEX tasks_assignee_status ON tasks (assignee_id, status, due_key, id);
CREATE INDEX tasks_status ON tasks (status, due_key, id);
CREATE INDEX tasks_creator ON tasks (created_by, due_key, id);
CREATE INDEX tasks_company ON tasks (company_id, due_key, id);
CREATE INDEX tasks_person ON tasks (person_id, due_key, id);
CREATE INDEX tasks_related ON tasks (related_kind, related_id);
CREATE INDEX tasks_series ON tasks (series_id, occurrence);
CREATE INDEX tasks_remind ON tasks (remind_at, id);

CREATE TABLE task_watchers (
    task_id BLOB NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id),
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX task_watchers_user ON task_watchers (user_id, task_id);

-- A user's working time; a user without a row works Monday to Friday, 09:00-17:00, UTC.
CREATE TABLE user_calendars (
    user_id BLOB PRIMARY KEY NOT NULL REFERENCES users (id),
    time_zone TEXT NOT NULL,
    working_hours TEXT NOT NULL,
    -- The secret of the user's iCalendar feed URL (see README: calendar feed).
    feed_token TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    updated_by BLOB REFERENCES users (id)
);
CREATE UNIQUE INDEX user_calendars_feed ON user_calendars (feed_token);

CREATE TABLE absences (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id)
);
CREATE INDEX absences_user ON absences (user_id, ends_on);

CREATE TABLE holidays (
    id BLOB PRIMARY KEY NOT NULL,
    day TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id)
);
CREATE UNIQUE INDEX holidays_day ON holidays (day);
