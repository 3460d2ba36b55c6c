-- Background jobs: imports, reminders, scans, mailings. Workers inside `rapport serve`
-- claim due jobs; a claim is a lease, so a job whose worker died is taken up again.
-- Keep in step with ../sqlite/0009_jobs.sql.

CREATE TABLE jobs (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload JSONB NOT NULL,
    -- queued, running, done or failed
    state TEXT NOT NULL,
    run_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    locked_by TEXT,
    locked_until TIMESTAMPTZ,
    progress_done BIGINT NOT NULL DEFAULT 0,
    progress_total BIGINT,
    result JSONB,
    last_error TEXT,
    -- At most one unfinished job per key (a periodic job, a scan per kind).
    dedupe_key TEXT,
    created_by UUID REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE state IN ('queued', 'running');
CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_creator ON jobs (created_by, id);
