//! Background work: the kinds of job Rapport runs, and the workers inside `rapport serve`
//! that run them.
//!
//! A use case queues a job in its own transaction ([`queue`]), so the job exists exactly
//! when the change that asked for it does. Workers claim due jobs from the database (see
//! `rapport_store::jobs`), which lets several server processes share one queue. A job that
//! fails with a passing problem ([`JobError::Retry`]) is tried again later, waiting longer
//! each time; one that cannot succeed ([`JobError::Fatal`]), or that ran out of attempts,
//! ends `failed` with its reason kept for the user to see.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use rapport_store::Exec;
use rapport_store::jobs::{self as store, Job, NewJob, Outcome};
use serde_json::Value;
use time::Duration;
use tokio::sync::watch;
use uuid::Uuid;

use crate::{Actor, App, AppError, now};

/// Why a run of a job did not finish its work.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// A passing problem (a mail server that refused, a lock): try again later.
    #[error("{0}")]
    Retry(String),
    /// The job cannot succeed (its input is wrong): do not try again.
    #[error("{0}")]
    Fatal(String),
    /// Another worker took the job over (this one's lease ran out): stop quietly.
    #[error("the job was taken over by another worker")]
    Lost,
}

impl From<AppError> for JobError {
    fn from(error: AppError) -> Self {
        match error {
            // A storage failure may pass (a restart, a full disk freed); anything else is
            // the job's own input and will fail the same way again.
            AppError::Store(store) => JobError::Retry(store.to_string()),
            other => JobError::Fatal(other.to_string()),
        }
    }
}

impl From<rapport_store::StoreError> for JobError {
    fn from(error: rapport_store::StoreError) -> Self {
        JobError::Retry(error.to_string())
    }
}

pub type JobFuture = Pin<Box<dyn Future<Output = Result<Value, JobError>> + Send>>;

/// Runs one job: the application, the job as claimed, and a handle to report progress.
pub type Run = fn(App, Job, Progress) -> JobFuture;

/// A kind of job this binary runs.
#[derive(Clone, Copy)]
pub struct JobKind {
    pub name: &'static str,
    pub run: Run,
    pub max_attempts: i32,
    /// Runs again this long after each run ends, for as long as a server runs.
    pub every: Option<std::time::Duration>,
}

/// Every kind of job Rapport runs. An area with background work adds its kind here.
pub fn kinds() -> Vec<JobKind> {
    vec![
        crate::imports::IMPORT,
        crate::imports::UNDO,
        crate::notifications::reminders::REMINDERS,
        crate::notifications::mail::EMAIL,
        crate::duplicates::scan::SCAN,
    ]
}

/// Queues a job of `kind` in the caller's transaction; `None` when `dedupe_key` is given
/// and a job with that key is still queued or running.
pub async fn queue(
    ex: &mut impl Exec,
    kind: &JobKind,
    payload: Value,
    actor: &Actor,
    dedupe_key: Option<String>,
) -> Result<Option<Uuid>, AppError> {
    let at = now();
    let job = NewJob {
        kind: kind.name.to_string(),
        payload,
        run_at: at,
        max_attempts: kind.max_attempts,
        dedupe_key,
        created_by: actor.user_id,
    };
    Ok(store::enqueue(ex, &job, at).await?)
}

/// How long a claim lasts without news from the worker; progress reports extend it.
const LEASE: Duration = Duration::minutes(2);

/// How long a failed run waits before the next attempt: 10 s, doubling, at most an hour.
fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 9) as u32;
    Duration::seconds((10i64 << doublings).min(3600))
}

/// A running job's way to say how far it got; it also keeps the job's lease alive.
#[derive(Clone)]
pub struct Progress {
    app: App,
    job: Uuid,
    worker: Arc<str>,
}

impl Progress {
    /// Records `done` of `total` units of work. Fails with [`JobError::Lost`] when another
    /// worker has taken the job over.
    pub async fn report(&self, done: i64, total: Option<i64>) -> Result<(), JobError> {
        let mut tx = self.app.db.begin().await?;
        let held = store::progress(&mut tx, self.job, &self.worker, done, total, now() + LEASE).await?;
        tx.commit().await?;
        if held { Ok(()) } else { Err(JobError::Lost) }
    }

    pub fn job_id(&self) -> Uuid {
        self.job
    }
}

/// The workers of one process.
pub struct Workers {
    stop: watch::Sender<bool>,
    handles: Vec<tokio::task::JoinHandle<()>>,
}

impl Workers {
    /// Starts `count` workers that run due jobs of every kind in [`kinds`].
    pub fn start(app: &App, count: usize, poll: std::time::Duration) -> Workers {
        Self::start_with(app, kinds(), count, poll)
    }

    /// Starts workers for the given kinds (tests run kinds of their own).
    pub fn start_with(app: &App, kinds: Vec<JobKind>, count: usize, poll: std::time::Duration) -> Workers {
        let (stop, stopped) = watch::channel(false);
        let kinds: Arc<[JobKind]> = kinds.into();
        let handles = (0..count)
            .map(|_| {
                let runner = Runner::new(app.clone(), kinds.clone());
                tokio::spawn(runner.run_until(stopped.clone(), poll))
            })
            .collect();
        Workers { stop, handles }
    }

    /// Asks the workers to stop and waits for the jobs they are running to end.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for handle in self.handles {
            let _ = handle.await;
        }
    }
}

/// Wakes this process's idle workers, after a use case committed a job due now.
pub fn wake(app: &App) {
    app.job_wakeup.notify_waiters();
}

/// One worker: claims a due job, runs it, records how it ended, and again.
pub struct Runner {
    app: App,
    kinds: Arc<[JobKind]>,
    worker: Arc<str>,
}

impl Runner {
    pub fn new(app: App, kinds: Arc<[JobKind]>) -> Runner {
        let worker: Arc<str> = format!("{}-{}", std::process::id(), Uuid::now_v7().simple()).into();
        Runner { app, kinds, worker }
    }

    fn names(&self) -> Vec<&'static str> {
        self.kinds.iter().map(|k| k.name).collect()
    }

    /// Runs every job that is due now, one after another; how many ran. Tests call this to
    /// run the queue at a moment of their choosing.
    pub async fn run_due(&self) -> Result<usize, AppError> {
        let mut ran = 0;
        while let Some(job) = self.claim().await? {
            self.run_one(job).await?;
            ran += 1;
        }
        Ok(ran)
    }

    async fn claim(&self) -> Result<Option<Job>, AppError> {
        let mut tx = self.app.db.begin().await?;
        let job = store::claim(&mut tx, &self.names(), &self.worker, now(), LEASE).await?;
        tx.commit().await?;
        Ok(job)
    }

    async fn run_one(&self, job: Job) -> Result<(), AppError> {
        let Some(kind) = self.kinds.iter().find(|k| k.name == job.kind).copied() else {
            return Ok(());
        };
        let (id, attempts, max_attempts) = (job.id, job.attempts, job.max_attempts);
        let progress = Progress { app: self.app.clone(), job: id, worker: self.worker.clone() };
        // A job of its own task, so a panic in it ends the job, not the worker.
        let outcome = tokio::spawn((kind.run)(self.app.clone(), job, progress)).await;
        let outcome = match outcome {
            Ok(Ok(result)) => Outcome::Done(result),
            Ok(Err(JobError::Lost)) => return Ok(()),
            Ok(Err(JobError::Retry(error))) if attempts < max_attempts => {
                tracing::warn!(job = %id, kind = kind.name, attempts, %error, "job failed; will retry");
                Outcome::Retry { error, at: now() + backoff(attempts) }
            }
            Ok(Err(JobError::Retry(error) | JobError::Fatal(error))) => {
                tracing::warn!(job = %id, kind = kind.name, attempts, %error, "job failed");
                Outcome::Failed(error)
            }
            Err(panic) => {
                tracing::error!(job = %id, kind = kind.name, "job stopped unexpectedly: {panic}");
                Outcome::Failed("the job stopped unexpectedly; the server log has the details".into())
            }
        };
        let mut tx = self.app.db.begin().await?;
        if store::finish(&mut tx, id, &self.worker, &outcome, now()).await?
            && let Some(every) = kind.every
        {
            schedule(&mut tx, &kind, every).await?;
        }
        Ok(tx.commit().await?)
    }

    /// Loops until `stop` turns true: runs what is due, then sleeps until the next job is
    /// due, a use case wakes it, or `poll` passed (a job whose worker died is due again
    /// when its lease runs out, which no one announces).
    pub async fn run_until(self, mut stop: watch::Receiver<bool>, poll: std::time::Duration) {
        if let Err(error) = self.schedule_periodic().await {
            tracing::error!(%error, "cannot schedule the periodic jobs");
        }
        let wakeup = self.app.job_wakeup.clone();
        while !*stop.borrow() {
            let notified = wakeup.notified();
            if let Err(error) = self.run_due().await {
                tracing::error!(%error, "the job queue cannot be read");
            }
            let pause = self.pause(poll).await;
            tokio::select! {
                _ = notified => {}
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => {}
            }
        }
    }

    async fn pause(&self, poll: std::time::Duration) -> std::time::Duration {
        let next = store::next_due(&mut self.app.reader(), &self.names()).await.ok().flatten();
        match next {
            Some(at) => {
                let wait = (at - now()).max(Duration::ZERO);
                std::time::Duration::try_from(wait).unwrap_or_default().min(poll)
            }
            None => poll,
        }
    }

    /// Makes sure each periodic kind has a job queued (once across every server process:
    /// the dedupe key holds one unfinished job per kind).
    async fn schedule_periodic(&self) -> Result<(), AppError> {
        let mut tx = self.app.db.begin().await?;
        for kind in self.kinds.iter().filter(|k| k.every.is_some()) {
            schedule(&mut tx, kind, std::time::Duration::ZERO).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn schedule(ex: &mut impl Exec, kind: &JobKind, after: std::time::Duration) -> Result<(), AppError> {
    let at = now();
    let after = Duration::try_from(after).unwrap_or(Duration::HOUR);
    let job = NewJob {
        kind: kind.name.to_string(),
        payload: Value::Null,
        run_at: at + after,
        max_attempts: kind.max_attempts,
        dedupe_key: Some(format!("periodic:{}", kind.name)),
        created_by: None,
    };
    store::enqueue(ex, &job, at).await?;
    Ok(())
}

/// A job as its creator sees it.
pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<Job, AppError> {
    let job = store::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)?;
    if job.created_by != actor.user_id && !actor.is_admin() {
        return Err(AppError::NotFound);
    }
    Ok(job)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let waits: Vec<i64> = [1, 2, 3, 4, 9, 10, 50].iter().map(|&a| backoff(a).whole_seconds()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 2560, 3600, 3600]);
    }
}
