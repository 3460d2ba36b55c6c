//! Tasks placed automatically in the assignee's next free slot: inside their working
//! hours, never on a day off, holiday or absence, clear of their other timed tasks. This
//! is the use case campaigns and workflows call when they make tasks.

use rapport_core::Invalid;
use rapport_core::calendar::SEARCH_DAYS;
use rapport_core::tasks::{TaskDraft, format_local};
use rapport_store::Tx;
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::{Actor, App, AppError, calendar, now};

/// Where to look for the slot: at or after `not_before`, `duration_minutes` long.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub not_before: OffsetDateTime,
    pub duration_minutes: u32,
}

/// Takes `schedule` and `not_before` out of a create body: a schedule when it asks for
/// `"schedule": "next_free_slot"`.
pub(super) fn take(mut body: Value) -> Result<(Value, Option<Schedule>), AppError> {
    let Value::Object(fields) = &mut body else { return Ok((body, None)) };
    let mode = fields.remove("schedule");
    let not_before = fields.remove("not_before");
    let mode = match mode {
        None | Some(Value::Null) => {
            if not_before.is_some_and(|v| !v.is_null()) {
                return Err(
                    Invalid::one("not_before", "needs_schedule", "only a scheduled task takes not_before").into()
                );
            }
            return Ok((body, None));
        }
        Some(Value::String(mode)) => mode,
        Some(_) => return Err(Invalid::one("schedule", "invalid_type", "must be the string next_free_slot").into()),
    };
    let mut invalid = Invalid::default();
    if mode != "next_free_slot" {
        invalid.push("schedule", "invalid_choice", "schedule must be next_free_slot");
    }
    for field in ["due_at", "due_date"] {
        if fields.get(field).is_some_and(|v| !v.is_null()) {
            invalid.push(field, "scheduled", "a scheduled task gets its due time from the schedule; leave this out");
        }
    }
    let duration = match fields.get("duration_minutes") {
        Some(Value::Number(n)) => n.as_u64().filter(|m| (1..=1440).contains(m)).map(|m| m as u32),
        _ => None,
    };
    if duration.is_none() {
        invalid.push("duration_minutes", "required", "a scheduled task needs its length: 1 to 1440 minutes");
    }
    let not_before = match not_before {
        None | Some(Value::Null) => Some(now()),
        Some(Value::String(raw)) => OffsetDateTime::parse(raw.trim(), &Rfc3339).ok().or_else(|| {
            invalid.push("not_before", "invalid_datetime", "must be an instant like 2026-03-23T07:00:00Z");
            None
        }),
        Some(_) => {
            invalid.push("not_before", "invalid_type", "must be an instant like 2026-03-23T07:00:00Z");
            None
        }
    };
    invalid.into_result(())?;
    let schedule = Schedule { not_before: not_before.unwrap_or_else(now), duration_minutes: duration.unwrap_or(30) };
    Ok((body, Some(schedule)))
}

/// Creates the task in its assignee's next free slot, in the caller's transaction. Two
/// tasks scheduled at once for the same person take turns, so they never get one slot.
pub async fn create_scheduled_in(
    tx: &mut Tx,
    actor: &Actor,
    mut draft: TaskDraft,
    schedule: Schedule,
) -> Result<rapport_core::tasks::Task, AppError> {
    let assignee = super::assignee_of(actor, &draft)?;
    tx.lock_row("users", assignee).await?;
    let working = calendar::working_time(tx, assignee, schedule.not_before).await?;
    let until = schedule.not_before + Duration::days(SEARCH_DAYS + 1);
    let busy = calendar::busy(tx, assignee, schedule.not_before, until).await?;
    let Some(slot) = working.next_free_slot(schedule.not_before, schedule.duration_minutes, &busy) else {
        return Err(Invalid::one(
            "schedule",
            "no_free_slot",
            "the assignee has no free slot this long in their working time within a year",
        )
        .into());
    };
    let zone = match draft.time_zone.as_deref().map(rapport_core::zone::Zone::parse) {
        Some(Ok(zone)) => zone,
        _ => working.zone.clone(),
    };
    draft.due_at = Some(format_local(zone.local(slot.start)));
    draft.due_date = None;
    draft.time_zone = Some(zone.name().to_string());
    draft.duration_minutes = Some(i64::from(schedule.duration_minutes));
    let fields = super::prepare(tx, actor, &draft, None).await?;
    super::insert(tx, actor, &fields, None, None).await
}

/// [`create_scheduled_in`] in a transaction of its own.
pub async fn create_scheduled(
    app: &App,
    actor: &Actor,
    draft: TaskDraft,
    schedule: Schedule,
) -> Result<rapport_core::tasks::Task, AppError> {
    let mut tx = app.db.begin().await?;
    let task = create_scheduled_in(&mut tx, actor, draft, schedule).await?;
    super::notices::after_change(&mut tx, app.settings.mail_enabled(), actor, None, &task).await?;
    tx.commit().await?;
    Ok(task)
}
