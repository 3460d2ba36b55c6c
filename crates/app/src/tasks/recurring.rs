//! The next occurrence of a recurring task, made when one is completed.
//!
//! Occurrences are made one at a time: completing the n-th makes the (n+1)-th, due at the
//! rule's next date after the completed one's due date, at the same wall-clock time in the
//! same zone. `COUNT` counts the occurrences already made (the first task is the first);
//! `UNTIL` ends the series. Completing the same occurrence again (after reopening it)
//! makes nothing new. The series follows the completed task's due date, so moving one
//! occurrence moves the ones after it.

use rapport_core::tasks::{Task, TaskFields, TaskStatus};
use rapport_store::Tx;
use rapport_store::tasks as store;

use crate::{Actor, AppError};

/// The occurrence that follows `current` now that `fields` (its new state) is done.
pub(super) async fn after_update(
    tx: &mut Tx,
    actor: &Actor,
    current: &Task,
    fields: &TaskFields,
) -> Result<Option<Task>, AppError> {
    let completed = fields.status == TaskStatus::Done && current.fields.status != TaskStatus::Done;
    let (Some(rule), Some(due)) = (&fields.recurrence, fields.due_local()) else { return Ok(None) };
    if !completed {
        return Ok(None);
    }
    let next_number = current.occurrence + 1;
    if rule.count.is_some_and(|count| next_number > count) {
        return Ok(None);
    }
    let series = current.series_id.unwrap_or(current.id);
    if store::occurrence_exists(tx, series, next_number).await? {
        return Ok(None);
    }
    let unbounded_count = rapport_core::tasks::RRule { count: None, ..rule.clone() };
    let Some(next_due) = unbounded_count.nth(due, &fields.time_zone, 2) else { return Ok(None) };
    let mut next = fields.with_due_local(next_due);
    next.status = TaskStatus::Open;
    let task = super::insert(tx, actor, &next, Some((series, next_number)), current.created_by).await?;
    Ok(Some(task))
}
