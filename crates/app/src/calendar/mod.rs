//! Each user's calendar: their working time (zone and hours), absences, the company's
//! holidays, the calendar of tasks (and, later, meetings) over a range of days, the next
//! free slot, and the iCalendar feed.
//!
//! A user changes their own working time and absences (an administrator anyone's); their
//! team's manager, and they themselves, may look at them. Holidays are the company's:
//! everyone sees them, administrators keep them.

mod feed;
mod view;

pub use feed::{current_feed_token, feed_token, render_feed, revoke_feed, rotate_feed};
pub use view::{CalendarView, Entry, view};

use std::collections::BTreeMap;

use rapport_core::Invalid;
use rapport_core::calendar::{Absence as Away, Interval, WorkingHours, WorkingTime};
use rapport_core::merge_patch;
use rapport_core::tasks::parse_date;
use rapport_core::zone::Zone;
use rapport_store::calendar::{self as store, Absence, Holiday};
use rapport_store::{Exec, audit, users};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{Actor, App, AppError, input, now, records};

/// The zone of a user without working time of their own.
pub const DEFAULT_ZONE: &str = "UTC";

/// A user's working time as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct WorkingTimeView {
    pub user_id: Uuid,
    pub time_zone: String,
    pub working_hours: BTreeMap<String, Vec<String>>,
    /// 0 until the user saves their own (the defaults show until then).
    pub version: i64,
}

/// Whether the actor may look at `user`'s calendar: their own, their team's, or anyone's
/// for an administrator. Others do not exist for them (404).
pub(crate) fn may_view(actor: &Actor, user: Uuid) -> Result<(), AppError> {
    if actor.is_admin() || actor.user_id == Some(user) || actor.team_users().contains(&user) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn may_change(actor: &Actor, user: Uuid) -> Result<(), AppError> {
    may_view(actor, user)?;
    if actor.is_admin() || actor.user_id == Some(user) {
        Ok(())
    } else {
        Err(AppError::Forbidden("users keep their own working time and absences".into()))
    }
}

async fn settings_view(ex: &mut impl Exec, user: Uuid) -> Result<WorkingTimeView, AppError> {
    Ok(match store::settings(ex, user).await? {
        Some(s) => WorkingTimeView {
            user_id: user,
            time_zone: s.time_zone,
            working_hours: s.working_hours.0,
            version: s.version,
        },
        None => WorkingTimeView {
            user_id: user,
            time_zone: DEFAULT_ZONE.into(),
            working_hours: WorkingHours::default().to_map(),
            version: 0,
        },
    })
}

/// The user's zone (UTC until they choose one).
pub(crate) async fn zone_of(ex: &mut impl Exec, user: Uuid) -> Result<Zone, AppError> {
    let stored = store::settings(ex, user).await?.map(|s| s.time_zone);
    Ok(stored.and_then(|name| Zone::parse(&name).ok()).unwrap_or_else(Zone::utc))
}

/// Everything that decides when `user` works, from the day of `from` on.
pub(crate) async fn working_time(
    ex: &mut impl Exec,
    user: Uuid,
    from: OffsetDateTime,
) -> Result<WorkingTime, AppError> {
    let view = settings_view(ex, user).await?;
    let zone = Zone::parse(&view.time_zone).unwrap_or_else(|_| Zone::utc());
    let hours = WorkingHours::parse(&view.working_hours).unwrap_or_default();
    let first_day = zone.local(from).date() - Duration::days(1);
    let absences = store::absences(ex, user, Some(first_day)).await?;
    let holidays = store::holidays(ex, Some(first_day), None).await?;
    Ok(WorkingTime {
        zone,
        hours,
        absences: absences.into_iter().map(|a| Away { from: a.starts_on, to: a.ends_on }).collect(),
        holidays: holidays.into_iter().map(|h| h.day).collect(),
    })
}

/// The time `user` is busy with between `from` and `to`: their open timed tasks and the
/// meetings they take part in, so scheduled tasks avoid both.
pub(crate) async fn busy(
    ex: &mut impl Exec,
    user: Uuid,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<Interval>, AppError> {
    let mut busy = rapport_store::tasks::busy(ex, user, from, to).await?;
    let meetings = rapport_store::activities::meetings(ex, user, from, to).await?;
    busy.extend(meetings.iter().filter_map(|m| m.fields.busy()));
    busy.sort_by_key(|i| (i.start, i.end));
    Ok(busy)
}

pub async fn working_time_of(app: &App, actor: &Actor, user: Uuid) -> Result<WorkingTimeView, AppError> {
    may_view(actor, user)?;
    let mut db = app.reader();
    users::get(&mut db, user).await?.ok_or(AppError::NotFound)?;
    settings_view(&mut db, user).await
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkingTimeDraft {
    time_zone: String,
    working_hours: BTreeMap<String, Vec<String>>,
}

/// Changes a user's zone and hours with a JSON merge patch (`{"time_zone": ...,
/// "working_hours": {"sat": ["10:00-14:00"]}}`; a day set to `null` has no hours).
pub async fn set_working_time(
    app: &App,
    actor: &Actor,
    user: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<WorkingTimeView, AppError> {
    may_change(actor, user)?;
    let mut tx = app.db.begin().await?;
    tx.lock_row("users", user).await?;
    users::get(&mut tx, user).await?.ok_or(AppError::NotFound)?;
    let current = settings_view(&mut tx, user).await?;
    records::check_version(expected_version, current.version)?;
    let before =
        WorkingTimeDraft { time_zone: current.time_zone.clone(), working_hours: current.working_hours.clone() };
    let mut merged = serde_json::to_value(&before).map_err(|e| AppError::BadRequest(e.to_string()))?;
    merge_patch::apply(&mut merged, &patch);
    let draft: WorkingTimeDraft = input::draft(merged)?;
    let mut invalid = Invalid::default();
    let zone = invalid.take("time_zone", Zone::parse(&draft.time_zone));
    let hours = match WorkingHours::parse(&draft.working_hours) {
        Ok(hours) => Some(hours),
        Err(errors) => {
            invalid.errors.extend(errors.errors);
            None
        }
    };
    let (Some(zone), Some(hours)) = (zone, hours) else { return Err(invalid.into()) };
    let after = WorkingTimeDraft { time_zone: zone.name().to_string(), working_hours: hours.to_map() };
    let changes = records::changes(Some(&before), &after);
    if changes.is_empty() {
        return Ok(current);
    }
    let at = now();
    if !store::save_settings(&mut tx, user, &after.time_zone, &after.working_hours, current.version, actor.user_id, at)
        .await?
    {
        return Err(AppError::Stale { current: current.version + 1 });
    }
    audit::record(&mut tx, "working_time", user, "update", actor.user_id, at, &changes).await?;
    let view = settings_view(&mut tx, user).await?;
    tx.commit().await?;
    Ok(view)
}

pub async fn absences(app: &App, actor: &Actor, user: Uuid) -> Result<Vec<Absence>, AppError> {
    may_view(actor, user)?;
    Ok(store::absences(&mut app.reader(), user, None).await?)
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AbsenceDraft {
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    note: Option<String>,
}

/// Records an absence (`{"starts_on", "ends_on", "note"}`, both days included).
pub async fn add_absence(app: &App, actor: &Actor, user: Uuid, body: Value) -> Result<Absence, AppError> {
    may_change(actor, user)?;
    input::object_body(&body)?;
    let draft: AbsenceDraft = input::draft(body)?;
    let mut invalid = Invalid::default();
    let mut day = |field: &str, raw: &str| {
        let parsed = parse_date(raw);
        if parsed.is_none() {
            invalid.push(field, "invalid_date", "must be a date like 2026-04-01");
        }
        parsed
    };
    let (starts, ends) = (day("starts_on", &draft.starts_on), day("ends_on", &draft.ends_on));
    let note = invalid.take("note", rapport_core::text::optional(draft.note.as_deref(), 200, false)).flatten();
    if let (Some(starts), Some(ends)) = (starts, ends) {
        if ends < starts {
            invalid.push("ends_on", "before_start", "the absence ends before it starts");
        } else if ends - starts > Duration::days(366) {
            invalid.push("ends_on", "too_long", "an absence lasts at most a year");
        }
    }
    let (Some(starts_on), Some(ends_on)) = (starts, ends) else { return Err(invalid.into()) };
    invalid.into_result(())?;
    let mut tx = app.db.begin().await?;
    users::get(&mut tx, user).await?.ok_or(AppError::NotFound)?;
    let absence = Absence {
        id: Uuid::now_v7(),
        user_id: user,
        starts_on,
        ends_on,
        note,
        created_at: now(),
        created_by: actor.user_id,
    };
    store::insert_absence(&mut tx, &absence).await?;
    let changes = records::changes(None::<&Absence>, &absence);
    audit::record(&mut tx, "absence", absence.id, "create", actor.user_id, absence.created_at, &changes).await?;
    tx.commit().await?;
    Ok(absence)
}

pub async fn delete_absence(app: &App, actor: &Actor, user: Uuid, id: Uuid) -> Result<(), AppError> {
    may_change(actor, user)?;
    let mut tx = app.db.begin().await?;
    if !store::delete_absence(&mut tx, user, id).await? {
        return Err(AppError::NotFound);
    }
    audit::record(&mut tx, "absence", id, "delete", actor.user_id, now(), &[]).await?;
    tx.commit().await?;
    Ok(())
}

/// The company's holidays from `from` to `to` (dates, both optional), by day.
pub async fn holidays(
    app: &App,
    _actor: &Actor,
    from: Option<time::Date>,
    to: Option<time::Date>,
) -> Result<Vec<Holiday>, AppError> {
    Ok(store::holidays(&mut app.reader(), from, to).await?)
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayDraft {
    #[serde(default)]
    day: String,
    #[serde(default)]
    name: Option<String>,
}

/// Adds a holiday (`{"day", "name"}`); one a day (a second is a conflict).
pub async fn add_holiday(app: &App, actor: &Actor, body: Value) -> Result<Holiday, AppError> {
    actor.require_admin()?;
    input::object_body(&body)?;
    let draft: HolidayDraft = input::draft(body)?;
    let mut invalid = Invalid::default();
    let day = parse_date(&draft.day);
    if day.is_none() {
        invalid.push("day", "invalid_date", "must be a date like 2026-12-25");
    }
    let name = invalid.take("name", rapport_core::text::required(draft.name.as_deref(), 100));
    let (Some(day), Some(name)) = (day, name) else { return Err(invalid.into()) };
    let holiday = Holiday { id: Uuid::now_v7(), day, name, created_at: now(), created_by: actor.user_id };
    let mut tx = app.db.begin().await?;
    if !store::holidays(&mut tx, Some(day), Some(day)).await?.is_empty() {
        return Err(Invalid::one("day", "taken", "this day is a holiday already").into());
    }
    store::insert_holiday(&mut tx, &holiday).await?;
    let changes = records::changes(None::<&Holiday>, &holiday);
    audit::record(&mut tx, "holiday", holiday.id, "create", actor.user_id, holiday.created_at, &changes).await?;
    tx.commit().await?;
    Ok(holiday)
}

pub async fn delete_holiday(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    actor.require_admin()?;
    let mut tx = app.db.begin().await?;
    let Some(gone) = store::delete_holiday(&mut tx, id).await? else { return Err(AppError::NotFound) };
    let changes = records::changes(Some(&gone), &serde_json::json!({}));
    audit::record(&mut tx, "holiday", id, "delete", actor.user_id, now(), &changes).await?;
    tx.commit().await?;
    Ok(())
}

/// The next free slot of `minutes` in `user`'s working time at or after `not_before`.
pub async fn next_free_slot(
    app: &App,
    actor: &Actor,
    user: Uuid,
    not_before: OffsetDateTime,
    minutes: u32,
) -> Result<Option<Interval>, AppError> {
    may_view(actor, user)?;
    let mut db = app.reader();
    users::get(&mut db, user).await?.ok_or(AppError::NotFound)?;
    let working = working_time(&mut db, user, not_before).await?;
    let until = not_before + Duration::days(rapport_core::calendar::SEARCH_DAYS + 1);
    let busy = busy(&mut db, user, not_before, until).await?;
    Ok(working.next_free_slot(not_before, minutes, &busy))
}
