//! The job queue on both engines: a job runs once, a passing failure is retried later, a
//! lasting one is kept with its reason, a dead worker's job is taken up again, and two
//! server processes on one database never run the same job twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rapport_app::jobs::{self, JobError, JobFuture, JobKind, Progress, Runner, Workers};
use rapport_app::{Actor, App, DbOptions, Settings};
use rapport_store::jobs::{self as store, Job, JobState};
use rapport_testkit::{Engine, TestDatabase};
use serde_json::{Value, json};
use uuid::Uuid;

async fn open(database: &TestDatabase) -> App {
    App::open(&database.url, &DbOptions { max_connections: 4, ..DbOptions::default() }, Settings::default())
        .await
        .expect("the database opens")
}

/// How many times each job ran, across every runner of the test process.
fn runs() -> &'static Mutex<HashMap<Uuid, u32>> {
    static RUNS: OnceLock<Mutex<HashMap<Uuid, u32>>> = OnceLock::new();
    RUNS.get_or_init(Default::default)
}

fn count_run(job: &Job) -> u32 {
    let mut runs = runs().lock().unwrap();
    let n = runs.entry(job.id).or_default();
    *n += 1;
    *n
}

/// Doubles `payload.n`, reporting progress on the way.
fn double(_app: App, job: Job, progress: Progress) -> JobFuture {
    Box::pin(async move {
        count_run(&job);
        progress.report(1, Some(2)).await?;
        // Long enough for a second runner to try the same job meanwhile.
        tokio::time::sleep(Duration::from_millis(5)).await;
        Ok(json!({"n": job.payload["n"].as_i64().unwrap_or(0) * 2}))
    })
}

/// Fails with a passing problem on its first run, succeeds on the next.
fn flaky(_app: App, job: Job, _progress: Progress) -> JobFuture {
    Box::pin(async move {
        if count_run(&job) == 1 { Err(JobError::Retry("the mail server said 421".into())) } else { Ok(Value::Null) }
    })
}

fn broken(_app: App, job: Job, _progress: Progress) -> JobFuture {
    Box::pin(async move {
        count_run(&job);
        Err(JobError::Fatal("row 3: the file is not a spreadsheet".into()))
    })
}

fn panicking(_app: App, _job: Job, _progress: Progress) -> JobFuture {
    Box::pin(async move { panic!("a bug in a job") })
}

const DOUBLE: JobKind = JobKind { name: "test.double", run: double, max_attempts: 3, every: None };
const FLAKY: JobKind = JobKind { name: "test.flaky", run: flaky, max_attempts: 3, every: None };
const BROKEN: JobKind = JobKind { name: "test.broken", run: broken, max_attempts: 3, every: None };
const PANICKING: JobKind = JobKind { name: "test.panicking", run: panicking, max_attempts: 3, every: None };
const TICK: JobKind =
    JobKind { name: "test.tick", run: double, max_attempts: 1, every: Some(Duration::from_secs(3600)) };

fn runner(app: &App, kinds: &[JobKind]) -> Runner {
    Runner::new(app.clone(), Arc::from(kinds.to_vec()))
}

async fn queue(app: &App, kind: &JobKind, payload: Value) -> Uuid {
    let mut tx = app.db.begin().await.unwrap();
    let id = jobs::queue(&mut tx, kind, payload, &Actor::system(), None).await.unwrap().expect("queued");
    tx.commit().await.unwrap();
    id
}

async fn job(app: &App, id: Uuid) -> Job {
    store::get(&mut app.db.clone(), id).await.unwrap().expect("the job exists")
}

async fn outcomes(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let app = open(&database).await;
    let done = queue(&app, &DOUBLE, json!({"n": 21})).await;
    let flaky_id = queue(&app, &FLAKY, json!({})).await;
    let broken_id = queue(&app, &BROKEN, json!({})).await;
    let panicked = queue(&app, &PANICKING, json!({})).await;
    let ran = runner(&app, &[DOUBLE, FLAKY, BROKEN, PANICKING]).run_due().await.unwrap();
    assert_eq!(ran, 4, "each due job runs once; the retried one waits for its time");

    let done = job(&app, done).await;
    assert_eq!((done.state, done.result.clone()), (JobState::Done, Some(json!({"n": 42}))));
    assert_eq!((done.progress_done, done.progress_total, done.attempts), (1, Some(2), 1));
    assert!(done.finished_at.is_some());

    let retried = job(&app, flaky_id).await;
    assert_eq!(retried.state, JobState::Queued);
    assert_eq!(retried.last_error.as_deref(), Some("the mail server said 421"));
    assert!(retried.run_at > done.finished_at.unwrap(), "a retry waits");

    let broken = job(&app, broken_id).await;
    assert_eq!((broken.state, broken.attempts), (JobState::Failed, 1), "a lasting failure is not retried");
    assert_eq!(broken.last_error.as_deref(), Some("row 3: the file is not a spreadsheet"));

    let panicked = job(&app, panicked).await;
    assert_eq!(panicked.state, JobState::Failed);
    assert!(panicked.last_error.unwrap().contains("stopped unexpectedly"));

    // Its time come, the flaky job runs again and succeeds.
    app.db
        .execute_raw(&format!("UPDATE jobs SET run_at = created_at WHERE id = {}", sql_uuid(engine, flaky_id)))
        .await
        .unwrap();
    assert_eq!(runner(&app, &[FLAKY]).run_due().await.unwrap(), 1);
    let retried = job(&app, flaky_id).await;
    assert_eq!((retried.state, retried.attempts), (JobState::Done, 2));
    app.db.close().await;
}

fn sql_uuid(engine: Engine, id: Uuid) -> String {
    match engine {
        Engine::Sqlite => format!("X'{}'", id.simple()),
        Engine::Postgres => format!("'{id}'"),
    }
}

#[tokio::test]
async fn jobs_end_done_retried_or_failed_on_sqlite() {
    outcomes(Engine::Sqlite).await;
}

#[tokio::test]
async fn jobs_end_done_retried_or_failed_on_postgres() {
    outcomes(Engine::Postgres).await;
}

/// A worker that died holding a job: once the lease is over, another takes the job, and
/// the first one's late report is refused.
async fn lease(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let app = open(&database).await;
    let id = queue(&app, &DOUBLE, json!({"n": 1})).await;
    let mut tx = app.db.begin().await.unwrap();
    // A lease that is over as soon as it is taken: the worker "died" right after claiming.
    let now = time::OffsetDateTime::now_utc();
    let claimed = store::claim(&mut tx, &["test.double"], "dead-worker", now, time::Duration::minutes(-1))
        .await
        .unwrap()
        .expect("the job is due");
    tx.commit().await.unwrap();
    assert_eq!(claimed.id, id);

    assert_eq!(runner(&app, &[DOUBLE]).run_due().await.unwrap(), 1, "the expired lease frees the job");
    let taken = job(&app, id).await;
    assert_eq!((taken.state, taken.attempts), (JobState::Done, 2));

    let mut tx = app.db.begin().await.unwrap();
    let late = store::finish(&mut tx, id, "dead-worker", &store::Outcome::Failed("late".into()), now).await.unwrap();
    tx.commit().await.unwrap();
    assert!(!late, "the dead worker no longer holds the job");
    assert_eq!(job(&app, id).await.state, JobState::Done);
    app.db.close().await;
}

#[tokio::test]
async fn a_dead_workers_job_is_taken_up_again_on_sqlite() {
    lease(Engine::Sqlite).await;
}

#[tokio::test]
async fn a_dead_workers_job_is_taken_up_again_on_postgres() {
    lease(Engine::Postgres).await;
}

/// Two server processes (two pools on one PostgreSQL database), four workers each, share
/// 200 jobs: every job runs exactly once.
#[tokio::test]
async fn two_servers_share_the_queue_and_run_each_job_once_on_postgres() {
    let Some(database) = TestDatabase::new(Engine::Postgres).await else { return };
    let first = open(&database).await;
    let second = open(&database).await;
    let mut ids = Vec::new();
    for n in 0..200 {
        ids.push(queue(&first, &DOUBLE, json!({"n": n})).await);
    }
    let pools = [first.clone(), second.clone()];
    let runs: Vec<_> = (0..8)
        .map(|i| {
            let runner = runner(&pools[i % 2], &[DOUBLE]);
            tokio::spawn(async move { runner.run_due().await.unwrap() })
        })
        .collect();
    let mut total = 0;
    for run in runs {
        total += run.await.unwrap();
    }
    assert_eq!(total, 200);
    let counts = runs_of(&ids);
    assert!(counts.iter().all(|&n| n == 1), "every job ran exactly once: {counts:?}");
    for id in ids {
        assert_eq!(job(&first, id).await.state, JobState::Done);
    }
    first.db.close().await;
    second.db.close().await;
}

fn runs_of(ids: &[Uuid]) -> Vec<u32> {
    let runs = runs().lock().unwrap();
    ids.iter().map(|id| runs.get(id).copied().unwrap_or(0)).collect()
}

/// A periodic kind has one job queued however many processes start, runs when due, and
/// queues its next run.
async fn periodic(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let app = open(&database).await;
    let first = Workers::start_with(&app, vec![TICK], 2, Duration::from_millis(50));
    let second = Workers::start_with(&app, vec![TICK], 2, Duration::from_millis(50));
    let mut done = Vec::new();
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        done = ticks(&app, "done").await;
        if !done.is_empty() && !ticks(&app, "queued").await.is_empty() {
            break;
        }
    }
    first.stop().await;
    second.stop().await;
    assert_eq!(done.len(), 1, "the first run is due at once, and happens once");
    let next = ticks(&app, "queued").await;
    assert_eq!(next.len(), 1, "exactly one next run is queued");
    let wait = next[0].run_at - done[0].finished_at.unwrap();
    assert!(wait >= time::Duration::minutes(59), "the next run is an hour away, not {wait}");
    app.db.close().await;
}

async fn ticks(app: &App, state: &str) -> Vec<Job> {
    let rows: Vec<(Uuid,)> =
        app.db.fetch_raw(&format!("SELECT id FROM jobs WHERE kind = 'test.tick' AND state = '{state}'")).await.unwrap();
    let mut jobs = Vec::new();
    for (id,) in rows {
        jobs.push(job(app, id).await);
    }
    jobs
}

#[tokio::test]
async fn periodic_jobs_run_once_per_period_on_sqlite() {
    periodic(Engine::Sqlite).await;
}

#[tokio::test]
async fn periodic_jobs_run_once_per_period_on_postgres() {
    periodic(Engine::Postgres).await;
}
