//! The periodic job that delivers due task reminders, each exactly once.
//!
//! It reads the due range of the `tasks_remind` index, then, in one transaction per batch,
//! takes those reminders (clearing `remind_at` only where it is still set, see
//! `rapport_store::tasks::take_reminders`) and writes their notifications. A reminder is
//! delivered by the transaction that took it, so two servers running the job at once, or
//! a run cut off half way, never deliver one twice or lose one. A recurring task's next
//! occurrence is a task of its own, with a reminder of its own.

use rapport_core::tasks::TaskStatus;
use rapport_store::jobs::Job;
use rapport_store::tasks as stored_tasks;
use serde_json::json;
use time::Duration;

use super::{Event, deliver, task_notice};
use crate::jobs::{JobError, JobFuture, JobKind, Progress};
use crate::{App, now};

pub const REMINDERS: JobKind =
    JobKind { name: "notifications.reminders", run, max_attempts: 3, every: Some(std::time::Duration::from_secs(30)) };

/// Reminders read and delivered in one transaction.
const BATCH: u64 = 200;

/// A reminder more than this late (the server was down, or the task was made with its
/// reminder already past) is dropped rather than sent.
const STALE_AFTER: Duration = Duration::DAY;

fn run(app: App, _job: Job, progress: Progress) -> JobFuture {
    Box::pin(async move {
        let delivered = deliver_due(&app).await?;
        progress.report(delivered as i64, Some(delivered as i64)).await?;
        Ok(json!({ "delivered": delivered }))
    })
}

/// Delivers every reminder due now; how many notifications it wrote. The job calls it,
/// and so may tests, from as many processes at once as they like.
pub async fn deliver_due(app: &App) -> Result<usize, JobError> {
    let mut delivered = 0;
    loop {
        let at = now();
        let due = stored_tasks::reminders_due(&mut app.reader(), None, at, BATCH).await?;
        if due.is_empty() {
            return Ok(delivered);
        }
        let ids: Vec<_> = due.iter().map(|t| t.id).collect();
        let mut tx = app.db.begin().await?;
        let taken = stored_tasks::take_reminders(&mut tx, &ids, at).await?;
        for task in due.iter().filter(|t| taken.contains(&t.id)) {
            let open = matches!(task.fields.status, TaskStatus::Open | TaskStatus::InProgress);
            let fresh = task.fields.remind_at().is_some_and(|r| r > at - STALE_AFTER);
            let Some(assignee) = task.fields.assignee_id else { continue };
            if open && fresh {
                let notice = task_notice(assignee, Event::Reminder, task, None);
                if deliver(&mut tx, app.settings.mail_enabled(), &notice).await?.is_some() {
                    delivered += 1;
                }
            }
        }
        tx.commit().await?;
        if (due.len() as u64) < BATCH {
            return Ok(delivered);
        }
    }
}
