-- Tasks with recurrence and watchers; each user's working time, absences and calendar
-- feed; the company's holidays. Keep in step with ../sqlite/0011_tasks_calendar.sql.

CREATE TABLE tasks (
    id UUID PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    assignee_id UUID NOT NULL REFERENCES users (id),
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    -- The due instant (a date-only task: the start of its day in its zone); undated tasks
    -- get 9999-12-31 so every list orders by one non-null key.
    due_key TIMESTAMPTZ NOT NULL,
    -- The wall-clock time (2026-03-23T09:00:00) or date (2026-03-23) as given, in time_zone.
    due_local TEXT,
    all_day BOOLEAN NOT NULL DEFAULT FALSE,
    time_zone TEXT NOT NULL,
    duration_minutes INTEGER,
    remind_before_minutes INTEGER,
    -- When the reminder is due; a reminder job reads one range of tasks_remind.
    remind_at TIMESTAMPTZ,
    recurrence TEXT,
    series_id UUID,
    occurrence INTEGER NOT NULL DEFAULT 1,
    company_id UUID REFERENCES companies (id),
    person_id UUID REFERENCES people (id),
    related_kind TEXT,
    related_id UUID,
    completed_at TIMESTAMPTZ,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID REFERENCES users (id)
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
    task_id UUID NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id),
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX task_watchers_user ON task_watchers (user_id, task_id);

-- A user's working time; a user without a row works Monday to Friday, 09:00-17:00, UTC.
CREATE TABLE user_calendars (
    user_id UUID PRIMARY KEY NOT NULL REFERENCES users (id),
    time_zone TEXT NOT NULL,
    working_hours JSONB NOT NULL,
    -- The secret of the user's iCalendar feed URL (see README: calendar feed).
    feed_token TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID REFERENCES users (id)
);
CREATE UNIQUE INDEX user_calendars_feed ON user_calendars (feed_token);

CREATE TABLE absences (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    note TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID REFERENCES users (id)
);
CREATE INDEX absences_user ON absences (user_id, ends_on);

CREATE TABLE holidays (
    id UUID PRIMARY KEY NOT NULL,
    day DATE NOT NULL,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID REFERENCES users (id)
);
CREATE UNIQUE INDEX holidays_day ON holidays (day);
