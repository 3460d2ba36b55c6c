//! The job queue: work that runs after the request that asked for it (imports, reminders,
//! duplicate scans, mailings).
//!
//! A worker claims the next due job with one statement that also leases it: the job is
//! `running` until `locked_until`, and a job whose lease ran out (its worker died) is due
//! again. On PostgreSQL the claim skips rows other instances hold (`FOR UPDATE SKIP
//! LOCKED`), so any number of `rapport serve` processes share the queue; SQLite's single
//! writer runs claims one at a time.

use sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, Order, Query};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{Exec, Result};

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> JobState {
        match text {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            _ => JobState::Failed,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    pub payload: Value,
    pub state: JobState,
    #[serde(with = "time::serde::rfc3339")]
    pub run_at: OffsetDateTime,
    pub attempts: i32,
    pub max_attempts: i32,
    pub progress_done: i64,
    pub progress_total: Option<i64>,
    pub result: Option<Value>,
    pub last_error: Option<String>,
    pub dedupe_key: Option<String>,
    pub created_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: Uuid,
    kind: String,
    payload: Json<Value>,
    state: String,
    run_at: OffsetDateTime,
    attempts: i32,
    max_attempts: i32,
    progress_done: i64,
    progress_total: Option<i64>,
    result: Option<Json<Value>>,
    last_error: Option<String>,
    dedupe_key: Option<String>,
    created_by: Option<Uuid>,
    created_at: OffsetDateTime,
    started_at: Option<OffsetDateTime>,
    finished_at: Option<OffsetDateTime>,
}

impl From<JobRow> for Job {
    fn from(row: JobRow) -> Job {
        Job {
            id: row.id,
            kind: row.kind,
            payload: row.payload.0,
            state: JobState::parse(&row.state),
            run_at: row.run_at,
            attempts: row.attempts,
            max_attempts: row.max_attempts,
            progress_done: row.progress_done,
            progress_total: row.progress_total,
            result: row.result.map(|r| r.0),
            last_error: row.last_error,
            dedupe_key: row.dedupe_key,
            created_by: row.created_by,
            created_at: row.created_at,
            started_at: row.started_at,
            finished_at: row.finished_at,
        }
    }
}

const COLUMNS: [&str; 16] = [
    "id",
    "kind",
    "payload",
    "state",
    "run_at",
    "attempts",
    "max_attempts",
    "progress_done",
    "progress_total",
    "result",
    "last_error",
    "dedupe_key",
    "created_by",
    "created_at",
    "started_at",
    "finished_at",
];

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: Value,
    pub run_at: OffsetDateTime,
    pub max_attempts: i32,
    /// While a job with this key is queued or running, another one is not queued.
    pub dedupe_key: Option<String>,
    pub created_by: Option<Uuid>,
}

/// Queues a job in the caller's transaction (so it exists only if the work that asked for
/// it commits). Returns its id, or `None` when an unfinished job holds the same dedupe key.
pub async fn enqueue(ex: &mut impl Exec, job: &NewJob, at: OffsetDateTime) -> Result<Option<Uuid>> {
    let id = Uuid::now_v7();
    let (run_at, created_at) = (ex.ts(job.run_at), ex.ts(at));
    let mut insert = Query::insert();
    insert
        .into_table("jobs")
        .columns(["id", "kind", "payload", "state", "run_at", "max_attempts", "dedupe_key", "created_by", "created_at"])
        .values_panic([
            id.into(),
            job.kind.clone().into(),
            job.payload.clone().into(),
            JobState::Queued.as_str().into(),
            run_at.into(),
            job.max_attempts.into(),
            job.dedupe_key.clone().into(),
            job.created_by.into(),
            created_at.into(),
        ]);
    if job.dedupe_key.is_some() {
        insert.on_conflict(OnConflict::new().do_nothing().to_owned());
    }
    let inserted = ex.execute(&insert).await?;
    Ok((inserted == 1).then_some(id))
}

/// Claims the next due job of one of `kinds` for `worker` until `lease` from `now`: a queued
/// job whose time has come, or a running one whose lease ran out. Must run in a transaction.
pub async fn claim(
    ex: &mut impl Exec,
    kinds: &[&str],
    worker: &str,
    now: OffsetDateTime,
    lease: Duration,
) -> Result<Option<Job>> {
    let at = ex.ts(now);
    let due = Query::select()
        .column("id")
        .from("jobs")
        .and_where(Expr::col("state").is_in([JobState::Queued.as_str(), JobState::Running.as_str()]))
        .and_where(Expr::col("run_at").lte(at.clone()))
        .and_where(Expr::col("locked_until").is_null().or(Expr::col("locked_until").lt(at.clone())))
        .and_where(Expr::col("kind").is_in(kinds.iter().map(|k| k.to_string())))
        .order_by("run_at", Order::Asc)
        .limit(1)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .take();
    let claim = Query::update()
        .table("jobs")
        .values([
            ("state", Expr::val(JobState::Running.as_str())),
            ("locked_by", Expr::val(worker)),
            ("locked_until", Expr::val(ex.ts(now + lease))),
            ("attempts", Expr::col("attempts").add(1)),
            ("started_at", Expr::val(at)),
        ])
        .and_where(Expr::col("id").in_subquery(due))
        .returning(Query::returning().columns(COLUMNS))
        .take();
    let row: Option<JobRow> = ex.fetch_optional(&claim).await?;
    Ok(row.map(Job::from))
}

/// Records progress and extends the lease of a job `worker` holds; false when the worker
/// no longer holds it (its lease ran out and another worker took it).
pub async fn progress(
    ex: &mut impl Exec,
    id: Uuid,
    worker: &str,
    done: i64,
    total: Option<i64>,
    locked_until: OffsetDateTime,
) -> Result<bool> {
    let until = ex.ts(locked_until);
    let changed = ex
        .execute(
            Query::update()
                .table("jobs")
                .values([
                    ("progress_done", Expr::val(done)),
                    ("progress_total", Expr::val(total)),
                    ("locked_until", Expr::val(until)),
                ])
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("locked_by").eq(worker))
                .and_where(Expr::col("state").eq(JobState::Running.as_str())),
        )
        .await?;
    Ok(changed == 1)
}

/// How a run of a job ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    Done(Value),
    /// Try again at the given time.
    Retry {
        error: String,
        at: OffsetDateTime,
    },
    Failed(String),
}

/// Ends `worker`'s run of job `id`; false when the worker no longer held it.
pub async fn finish(
    ex: &mut impl Exec,
    id: Uuid,
    worker: &str,
    outcome: &Outcome,
    now: OffsetDateTime,
) -> Result<bool> {
    let at = ex.ts(now);
    let none: Option<OffsetDateTime> = None;
    let values: Vec<(&str, Expr)> = match outcome {
        Outcome::Done(result) => vec![
            ("state", Expr::val(JobState::Done.as_str())),
            ("result", Expr::val(result.clone())),
            ("finished_at", Expr::val(at)),
            ("locked_until", Expr::val(none)),
        ],
        Outcome::Retry { error, at: retry_at } => vec![
            ("state", Expr::val(JobState::Queued.as_str())),
            ("last_error", Expr::val(error.clone())),
            ("run_at", Expr::val(ex.ts(*retry_at))),
            ("locked_until", Expr::val(none)),
        ],
        Outcome::Failed(error) => vec![
            ("state", Expr::val(JobState::Failed.as_str())),
            ("last_error", Expr::val(error.clone())),
            ("finished_at", Expr::val(at)),
            ("locked_until", Expr::val(none)),
        ],
    };
    let changed = ex
        .execute(
            Query::update()
                .table("jobs")
                .values(values)
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("locked_by").eq(worker))
                .and_where(Expr::col("state").eq(JobState::Running.as_str())),
        )
        .await?;
    Ok(changed == 1)
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<Job>> {
    let row: Option<JobRow> =
        ex.fetch_optional(Query::select().columns(COLUMNS).from("jobs").and_where(Expr::col("id").eq(id))).await?;
    Ok(row.map(Job::from))
}

/// The jobs `user` queued, newest first, of the given kinds.
pub async fn of_creator(ex: &mut impl Exec, user: Uuid, kinds: &[&str], limit: u64) -> Result<Vec<Job>> {
    let rows: Vec<JobRow> = ex
        .fetch_all(
            Query::select()
                .columns(COLUMNS)
                .from("jobs")
                .and_where(Expr::col("created_by").eq(user))
                .and_where(Expr::col("kind").is_in(kinds.iter().map(|k| k.to_string())))
                .order_by("id", Order::Desc)
                .limit(limit),
        )
        .await?;
    Ok(rows.into_iter().map(Job::from).collect())
}

/// The earliest time a queued job of `kinds` is due, to sleep until then. (Running jobs
/// whose worker died are found by the workers' regular poll once their lease runs out.)
pub async fn next_due(ex: &mut impl Exec, kinds: &[&str]) -> Result<Option<OffsetDateTime>> {
    let row: Option<(OffsetDateTime,)> = ex
        .fetch_optional(
            Query::select()
                .column("run_at")
                .from("jobs")
                // The first condition repeats the partial index's own, so the planner uses it.
                .and_where(Expr::col("state").is_in([JobState::Queued.as_str(), JobState::Running.as_str()]))
                .and_where(Expr::col("state").eq(JobState::Queued.as_str()))
                .and_where(Expr::col("kind").is_in(kinds.iter().map(|k| k.to_string())))
                .order_by("run_at", Order::Asc)
                .limit(1),
        )
        .await?;
    Ok(row.map(|(at,)| at))
}
