//! `GET /calendar?user_id=&from=&to=`: a user's days (in their zone) with their working
//! hours, absences, the holidays, and the entries on them: tasks and the meetings (activities
//! of kind meeting) the user takes part in.

use std::collections::BTreeMap;

use rapport_core::activities::{KindKey, MEETING};
use rapport_core::calendar::WorkingHours;
use rapport_core::tasks::{Due, Priority, Task, TaskStatus, parse_date};
use rapport_core::zone::Zone;
use rapport_store::activities::{self as stored_activities, ActivityFilter};
use rapport_store::calendar::{self as store, Absence, Holiday};
use rapport_store::listing::Page;
use rapport_store::tasks::{self as stored_tasks, TaskFilter};
use rapport_store::{Exec, users};
use serde::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

use crate::listing::Params;
use crate::{Actor, App, AppError, activities, now, tasks};

/// The longest range one request covers: a month view with the weeks around it.
pub const MAX_DAYS: i64 = 62;
/// Entries one request returns at most; `truncated` says when there were more.
const MAX_ENTRIES: u64 = 2000;

fn rfc3339<S: Serializer>(at: &Option<OffsetDateTime>, serializer: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serializer.serialize_str(&at.format(&Rfc3339).unwrap_or_default()),
        None => serializer.serialize_none(),
    }
}

/// One thing on a user's calendar.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `task` or `meeting`.
    pub kind: &'static str,
    pub id: Uuid,
    pub title: String,
    /// The day it is on, in the calendar owner's zone.
    #[serde(serialize_with = "rapport_core::tasks::serialize_date")]
    pub date: Date,
    pub all_day: bool,
    #[serde(serialize_with = "rfc3339")]
    pub start: Option<OffsetDateTime>,
    #[serde(serialize_with = "rfc3339")]
    pub end: Option<OffsetDateTime>,
    /// The wall-clock start and end in the calendar owner's zone (`09:00`).
    pub local_start: Option<String>,
    pub local_end: Option<String>,
    /// A task's status and priority (a meeting has neither).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    pub overdue: bool,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    pub user_id: Uuid,
    pub time_zone: String,
    #[serde(serialize_with = "rapport_core::tasks::serialize_date")]
    pub from: Date,
    /// The last day included.
    #[serde(serialize_with = "rapport_core::tasks::serialize_date")]
    pub to: Date,
    pub working_hours: BTreeMap<String, Vec<String>>,
    pub absences: Vec<Absence>,
    pub holidays: Vec<Holiday>,
    pub items: Vec<Entry>,
    pub truncated: bool,
}

fn clock(at: PrimitiveDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

fn entry(task: Task, zone: &Zone, at: OffsetDateTime) -> Entry {
    let overdue = task.is_overdue(at);
    let (date, all_day, span) = match (task.fields.due, task.fields.busy()) {
        (Some(Due::At(_)), Some((start, end))) => (zone.local(start).date(), false, Some((start, end))),
        (Some(Due::Date(day)), _) => (day, true, None),
        _ => (zone.local(at).date(), true, None),
    };
    Entry {
        kind: "task",
        id: task.id,
        date,
        all_day,
        start: span.map(|s| s.0),
        end: span.map(|s| s.1),
        local_start: span.map(|s| clock(zone.local(s.0))),
        local_end: span.map(|s| clock(zone.local(s.1))),
        status: Some(task.fields.status),
        priority: Some(task.fields.priority),
        overdue,
        url: format!("/tasks/{}", task.id),
        title: task.fields.title,
    }
}

/// The tasks of `user` due on the days `from`..=`to` in `zone` that the actor may see.
async fn task_entries(
    ex: &mut impl Exec,
    actor: &Actor,
    user: Uuid,
    zone: &Zone,
    from: Date,
    to: Date,
) -> Result<(Vec<Entry>, bool), AppError> {
    let filter = TaskFilter {
        visibility: tasks::visibility(actor),
        assignees: Some(vec![user]),
        // Date-only tasks count from the start of their day in their own zone, which may be
        // another one: a day's margin on each side, then the date decides.
        due_from: Some(zone.start_of_day(from) - Duration::days(1)),
        due_before: Some(zone.start_of_day(to.next_day().unwrap_or(to)) + Duration::days(1)),
        ..Default::default()
    };
    let page = Page { limit: MAX_ENTRIES, column: "due_key", descending: false, after: None };
    let (found, more) = stored_tasks::list(ex, &filter, &page).await?;
    let at = now();
    let entries = found.into_iter().map(|t| entry(t, zone, at)).filter(|e| from <= e.date && e.date <= to).collect();
    Ok((entries, more))
}

/// The meetings `user` takes part in on the days `from`..=`to` in `zone` that the actor
/// may see, each on the day it starts.
async fn meeting_entries(
    ex: &mut impl Exec,
    actor: &Actor,
    user: Uuid,
    zone: &Zone,
    from: Date,
    to: Date,
) -> Result<(Vec<Entry>, bool), AppError> {
    let filter = ActivityFilter {
        visibility: activities::visibility(actor),
        kind: KindKey::parse(MEETING),
        user_id: Some(user),
        from: Some(zone.start_of_day(from)),
        before: Some(zone.start_of_day(to.next_day().unwrap_or(to))),
        ..Default::default()
    };
    let page = Page { limit: MAX_ENTRIES, column: "occurred_at", descending: false, after: None };
    let (found, more) = stored_activities::list(ex, &filter, &page).await?;
    let entries = found
        .into_iter()
        .filter_map(|meeting| {
            let busy = meeting.fields.busy()?;
            Some(Entry {
                kind: "meeting",
                id: meeting.id,
                date: zone.local(busy.start).date(),
                all_day: false,
                start: Some(busy.start),
                end: Some(busy.end),
                local_start: Some(clock(zone.local(busy.start))),
                local_end: Some(clock(zone.local(busy.end))),
                status: None,
                priority: None,
                overdue: false,
                url: format!("/activities/{}", meeting.id),
                title: meeting.fields.subject,
            })
        })
        .collect();
    Ok((entries, more))
}

/// The calendar of `user_id` (the actor's own by default) from `from` to `to` (dates in
/// that user's zone, `to` included; a week from today by default).
pub async fn view(app: &App, actor: &Actor, params: Params) -> Result<CalendarView, AppError> {
    let mut user = actor.user_id;
    let (mut from, mut to) = (None, None);
    for (name, value) in params {
        let date =
            || parse_date(&value).ok_or_else(|| AppError::BadRequest(format!("{name} must be a date like 2026-03-23")));
        match name.as_str() {
            "user_id" => user = Some(crate::listing::parse_uuid("user_id", &value)?),
            "from" => from = Some(date()?),
            "to" => to = Some(date()?),
            _ => return Err(AppError::BadRequest(format!("unknown query parameter {name:?}"))),
        }
    }
    let user = user.ok_or_else(|| AppError::BadRequest("user_id is required".into()))?;
    super::may_view(actor, user)?;
    let mut db = app.reader();
    users::get(&mut db, user).await?.ok_or(AppError::NotFound)?;
    let settings = super::settings_view(&mut db, user).await?;
    let zone = Zone::parse(&settings.time_zone).unwrap_or_else(|_| Zone::utc());
    let from = from.unwrap_or_else(|| zone.local(now()).date());
    let to = to.unwrap_or(from + Duration::days(6));
    if to < from {
        return Err(AppError::BadRequest("to is before from".into()));
    }
    if to - from >= Duration::days(MAX_DAYS) {
        return Err(AppError::BadRequest(format!("a calendar covers at most {MAX_DAYS} days at once")));
    }
    let (mut items, truncated) = task_entries(&mut db, actor, user, &zone, from, to).await?;
    let (meetings, more) = meeting_entries(&mut db, actor, user, &zone, from, to).await?;
    items.extend(meetings);
    items.sort_by_key(|e| (e.date, !e.all_day, e.start));
    let truncated = truncated || more;
    let absences =
        store::absences(&mut db, user, Some(from)).await?.into_iter().filter(|a| a.starts_on <= to).collect();
    let holidays = store::holidays(&mut db, Some(from), Some(to)).await?;
    let hours = WorkingHours::parse(&settings.working_hours).unwrap_or_default();
    Ok(CalendarView {
        user_id: user,
        time_zone: zone.name().to_string(),
        from,
        to,
        working_hours: hours.to_map(),
        absences,
        holidays,
        items,
        truncated,
    })
}
