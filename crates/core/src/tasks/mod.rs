//! Tasks (FEATURES C3): what a client sends, the fields it parses into, and the rules
//! about a task's due time, reminder, recurrence and the time it takes up in a calendar.
//!
//! A task is due on a date (all day) or at a wall-clock time in an IANA time zone. The
//! wall-clock time is what is kept: a task due at 09:00 in Europe/Sofia stays at 09:00
//! when the clocks change, and its instant is worked out by the zone (see `zone`).

pub mod repeat;
pub mod rrule;

use serde::{Deserialize, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};
use uuid::Uuid;

use crate::companies::choice_enum;
use crate::invalid::Invalid;
use crate::text;
use crate::zone::Zone;

pub use rrule::RRule;

choice_enum!(TaskStatus, "status", Open => "open", InProgress => "in_progress", Done => "done", Cancelled => "cancelled");

choice_enum!(Priority, "priority", Low => "low", Normal => "normal", High => "high", Urgent => "urgent");

impl TaskStatus {
    /// Whether the task still asks for work (and so can be overdue).
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::Open | TaskStatus::InProgress)
    }
}

impl Priority {
    /// A number for PRIORITY in iCalendar (1 highest, 9 lowest).
    pub fn ical(self) -> u8 {
        match self {
            Priority::Urgent => 1,
            Priority::High => 3,
            Priority::Normal => 5,
            Priority::Low => 9,
        }
    }
}

/// When a task is due: a date, or a wall-clock time in the task's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Date(Date),
    At(PrimitiveDateTime),
}

/// The wall-clock time a date-only task's reminder counts back from.
pub const DAY_TASK_REMINDER_TIME: Time = time::macros::time!(09:00);

/// How long a timed task without a duration takes up in its assignee's calendar.
pub const DEFAULT_BUSY_MINUTES: u32 = 30;

/// Where undated tasks sort: after every dated one. Lists order by one non-null key so
/// their keyset pages work the same on both databases.
pub const UNDATED_KEY: OffsetDateTime = time::macros::datetime!(9999-12-31 00:00 UTC);

/// The longest reminder ahead of time: four weeks.
pub const MAX_REMIND_MINUTES: i64 = 40_320;

/// A record the task is about, of a kind added later (a deal, an activity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Related {
    pub kind: String,
    pub id: Uuid,
}

/// A task as a client sends it; every field optional so a form can be half-filled and
/// still get every error at once.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskDraft {
    pub title: Option<String>,
    pub description: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub status: Option<String>,
    pub priority: Option<String>,
    /// A wall-clock time (`2026-03-23T09:00`, read in `time_zone`) or an instant
    /// (`2026-03-23T07:00:00Z`, shown in `time_zone`).
    pub due_at: Option<String>,
    /// A date, for a task due on a day rather than at a time.
    pub due_date: Option<String>,
    pub time_zone: Option<String>,
    pub duration_minutes: Option<i64>,
    pub remind_before_minutes: Option<i64>,
    /// An RFC 5545 recurrence rule (`FREQ=WEEKLY;BYDAY=MO;COUNT=5`).
    pub recurrence: Option<String>,
    pub company_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub related: Option<Related>,
    pub watchers: Option<Vec<Uuid>>,
}

/// The writable fields of a task, parsed. The assignee, the related records and the
/// watchers are checked against the database by the use case.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskFields {
    pub title: String,
    pub description: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub status: TaskStatus,
    pub priority: Priority,
    pub due: Option<Due>,
    pub time_zone: Zone,
    pub duration_minutes: Option<u32>,
    pub remind_before_minutes: Option<u32>,
    pub recurrence: Option<RRule>,
    pub company_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub related: Option<Related>,
    pub watchers: Vec<Uuid>,
}

const LOCAL: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
const LOCAL_MINUTES: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]");
const DATE: &[time::format_description::BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

pub fn format_local(at: PrimitiveDateTime) -> String {
    at.format(LOCAL).unwrap_or_default()
}

pub fn format_date(day: Date) -> String {
    day.format(DATE).unwrap_or_default()
}

/// Writes a date as `2026-03-23` (serde's default for `time::Date` is a tuple).
pub fn serialize_date<S: Serializer>(day: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_date(*day))
}

pub fn parse_date(raw: &str) -> Option<Date> {
    Date::parse(raw.trim(), DATE).ok()
}

/// A wall-clock time without an offset (`2026-03-23T09:00` or with seconds; a space may
/// stand for the `T`).
pub fn parse_local(raw: &str) -> Option<PrimitiveDateTime> {
    let raw = raw.trim().replacen(' ', "T", 1);
    PrimitiveDateTime::parse(&raw, LOCAL).or_else(|_| PrimitiveDateTime::parse(&raw, LOCAL_MINUTES)).ok()
}

/// `due_at` as a client may send it: a wall-clock time (read in `zone`), an instant with
/// an offset (shown in `zone`), or a bare date (the task is then due that day).
pub fn parse_due(raw: &str, zone: &Zone) -> Option<Due> {
    let raw = raw.trim();
    if let Ok(at) = OffsetDateTime::parse(raw, &Rfc3339) {
        let local = zone.local(at);
        return Some(Due::At(local.replace_nanosecond(0).unwrap_or(local)));
    }
    if let Some(local) = parse_local(raw) {
        return Some(Due::At(local));
    }
    parse_date(raw).map(Due::Date)
}

fn minutes(raw: Option<i64>, field: &str, range: std::ops::RangeInclusive<i64>, invalid: &mut Invalid) -> Option<u32> {
    let value = raw?;
    if !range.contains(&value) {
        invalid.push(field, "out_of_range", format!("must be from {} to {} minutes", range.start(), range.end()));
        return None;
    }
    u32::try_from(value).ok()
}

fn check_kind(related: &Related, invalid: &mut Invalid) {
    let kind = related.kind.as_str();
    if kind == "company" || kind == "person" {
        invalid.push("related.kind", "use_field", format!("a {kind} is named with {kind}_id"));
    } else if kind.is_empty() || kind.len() > 40 || !kind.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        invalid.push("related.kind", "invalid_kind", "a kind of record is lower-case letters and _ (like deal)");
    }
}

impl TaskDraft {
    /// Parses the draft; `default_zone` is the zone of a task that names none (the
    /// assignee's own).
    pub fn parse(&self, default_zone: &Zone) -> Result<TaskFields, Invalid> {
        let mut invalid = Invalid::default();
        let title = invalid.take("title", text::required(self.title.as_deref(), 300));
        let description =
            invalid.take("description", text::optional(self.description.as_deref(), 10_000, true)).flatten();
        let status = TaskStatus::take(self.status.as_deref(), "status", TaskStatus::Open, &mut invalid);
        let priority = Priority::take(self.priority.as_deref(), "priority", Priority::Normal, &mut invalid);
        let time_zone = match self.time_zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
            None => default_zone.clone(),
            Some(raw) => invalid.take("time_zone", Zone::parse(raw)).unwrap_or_else(Zone::utc),
        };
        let due_at = self.due_at.as_deref().map(str::trim).filter(|d| !d.is_empty());
        let due_date = self.due_date.as_deref().map(str::trim).filter(|d| !d.is_empty());
        let due = match (due_at, due_date) {
            (Some(_), Some(_)) => {
                invalid.push("due_date", "conflict", "give due_at (a time) or due_date (a day), not both");
                None
            }
            (Some(raw), None) => parse_due(raw, &time_zone).or_else(|| {
                invalid.push("due_at", "invalid_datetime", "must be a date-time like 2026-03-23T09:00");
                None
            }),
            (None, Some(raw)) => parse_date(raw).map(Due::Date).or_else(|| {
                invalid.push("due_date", "invalid_date", "must be a date like 2026-03-23");
                None
            }),
            (None, None) => None,
        };
        let duration_minutes = minutes(self.duration_minutes, "duration_minutes", 1..=1440, &mut invalid);
        let remind_before_minutes =
            minutes(self.remind_before_minutes, "remind_before_minutes", 0..=MAX_REMIND_MINUTES, &mut invalid);
        let recurrence = match self.recurrence.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            None => None,
            Some(raw) => invalid.take("recurrence", RRule::parse(raw)),
        };
        let has_due = due.is_some() || due_at.is_some() || due_date.is_some();
        if !has_due {
            if recurrence.is_some() {
                invalid.push("recurrence", "needs_due", "a recurring task needs a due date or time to start from");
            }
            if remind_before_minutes.is_some() {
                invalid.push("remind_before_minutes", "needs_due", "a reminder needs a due date or time");
            }
        }
        if duration_minutes.is_some() && matches!(due, Some(Due::Date(_))) {
            invalid.push("duration_minutes", "needs_time", "only a task due at a time takes up time");
        }
        if let Some(related) = &self.related {
            check_kind(related, &mut invalid);
        }
        let mut watchers = self.watchers.clone().unwrap_or_default();
        watchers.sort();
        watchers.dedup();
        if watchers.len() > 50 {
            invalid.push("watchers", "too_many", "at most 50 watchers");
        }
        let Some(title) = title else { return Err(invalid) };
        invalid.into_result(TaskFields {
            title,
            description,
            assignee_id: self.assignee_id,
            status,
            priority,
            due,
            time_zone,
            duration_minutes,
            remind_before_minutes,
            recurrence,
            company_id: self.company_id,
            person_id: self.person_id,
            related: self.related.clone(),
            watchers,
        })
    }
}

impl TaskFields {
    /// The instant the task is due: its time, or the start of its day, in its zone.
    pub fn due_instant(&self) -> Option<OffsetDateTime> {
        match self.due? {
            Due::At(local) => Some(self.time_zone.instant(local)),
            Due::Date(day) => Some(self.time_zone.start_of_day(day)),
        }
    }

    /// The key lists and calendars order and select by: the due instant, undated last.
    pub fn due_key(&self) -> OffsetDateTime {
        self.due_instant().unwrap_or(UNDATED_KEY)
    }

    /// When the assignee is to be reminded: `remind_before_minutes` ahead of the due
    /// time (of [`DAY_TASK_REMINDER_TIME`] on the day, for a date-only task).
    pub fn remind_at(&self) -> Option<OffsetDateTime> {
        let before = Duration::minutes(i64::from(self.remind_before_minutes?));
        let from = match self.due? {
            Due::At(local) => self.time_zone.instant(local),
            Due::Date(day) => self.time_zone.instant(PrimitiveDateTime::new(day, DAY_TASK_REMINDER_TIME)),
        };
        Some(from - before)
    }

    /// The time the task takes up in its assignee's calendar, if it is due at a time.
    pub fn busy(&self) -> Option<(OffsetDateTime, OffsetDateTime)> {
        let Some(Due::At(local)) = self.due else { return None };
        let start = self.time_zone.instant(local);
        let minutes = self.duration_minutes.unwrap_or(DEFAULT_BUSY_MINUTES);
        Some((start, start + Duration::minutes(i64::from(minutes))))
    }

    /// The wall-clock time (or the day's midnight) a recurring series is counted from.
    pub fn due_local(&self) -> Option<PrimitiveDateTime> {
        match self.due? {
            Due::At(local) => Some(local),
            Due::Date(day) => Some(PrimitiveDateTime::new(day, Time::MIDNIGHT)),
        }
    }

    /// The same task due at another wall-clock time of its series (the date alone for a
    /// date-only task).
    pub fn with_due_local(&self, local: PrimitiveDateTime) -> TaskFields {
        let due = match self.due {
            Some(Due::Date(_)) => Due::Date(local.date()),
            _ => Due::At(local),
        };
        TaskFields { due: Some(due), ..self.clone() }
    }

    /// The draft that parses back into these fields: the base a merge patch applies to.
    pub fn to_draft(&self) -> TaskDraft {
        let (due_at, due_date) = match self.due {
            Some(Due::At(local)) => (Some(format_local(local)), None),
            Some(Due::Date(day)) => (None, Some(format_date(day))),
            None => (None, None),
        };
        TaskDraft {
            title: Some(self.title.clone()),
            description: self.description.clone(),
            assignee_id: self.assignee_id,
            status: Some(self.status.as_str().into()),
            priority: Some(self.priority.as_str().into()),
            due_at,
            due_date,
            time_zone: Some(self.time_zone.name().into()),
            duration_minutes: self.duration_minutes.map(i64::from),
            remind_before_minutes: self.remind_before_minutes.map(i64::from),
            recurrence: self.recurrence.as_ref().map(RRule::to_string),
            company_id: self.company_id,
            person_id: self.person_id,
            related: self.related.clone(),
            watchers: Some(self.watchers.clone()),
        }
    }
}

/// A stored task with its identity, its place in a recurring series and its bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub id: Uuid,
    pub fields: TaskFields,
    /// The first task of its recurring series (its own id for the first).
    pub series_id: Option<Uuid>,
    /// Which occurrence of the series this is, from 1.
    pub occurrence: u32,
    pub completed_at: Option<OffsetDateTime>,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
    pub updated_at: OffsetDateTime,
    pub updated_by: Option<Uuid>,
}

impl Task {
    /// Whether the task is still to be done and its time (or its day, in its zone) has passed.
    pub fn is_overdue(&self, now: OffsetDateTime) -> bool {
        if !self.fields.status.is_open() {
            return false;
        }
        match self.fields.due {
            Some(Due::At(_)) => self.fields.due_instant().is_some_and(|due| due < now),
            Some(Due::Date(day)) => day < self.fields.time_zone.local(now).date(),
            None => false,
        }
    }
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_default()
}

/// The task as the API shows it: `due_at` as an instant in UTC and `due_local` as the
/// wall-clock time in `time_zone` (or `due_date` for a date-only task).
#[derive(Serialize)]
struct Wire<'a> {
    id: Uuid,
    title: &'a str,
    description: Option<&'a str>,
    assignee_id: Option<Uuid>,
    status: TaskStatus,
    priority: Priority,
    due_at: Option<String>,
    due_local: Option<String>,
    due_date: Option<String>,
    time_zone: &'a str,
    duration_minutes: Option<u32>,
    remind_before_minutes: Option<u32>,
    remind_at: Option<String>,
    recurrence: Option<String>,
    series_id: Option<Uuid>,
    occurrence: u32,
    company_id: Option<Uuid>,
    person_id: Option<Uuid>,
    related: Option<&'a Related>,
    watchers: &'a [Uuid],
    completed_at: Option<String>,
    version: i64,
    created_at: String,
    created_by: Option<Uuid>,
    updated_at: String,
    updated_by: Option<Uuid>,
}

impl Serialize for Task {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let f = &self.fields;
        let (due_at, due_local, due_date) = match f.due {
            Some(Due::At(local)) => (f.due_instant().map(rfc3339), Some(format_local(local)), None),
            Some(Due::Date(day)) => (None, None, Some(format_date(day))),
            None => (None, None, None),
        };
        Wire {
            id: self.id,
            title: &f.title,
            description: f.description.as_deref(),
            assignee_id: f.assignee_id,
            status: f.status,
            priority: f.priority,
            due_at,
            due_local,
            due_date,
            time_zone: f.time_zone.name(),
            duration_minutes: f.duration_minutes,
            remind_before_minutes: f.remind_before_minutes,
            remind_at: f.remind_at().map(rfc3339),
            recurrence: f.recurrence.as_ref().map(RRule::to_string),
            series_id: self.series_id,
            occurrence: self.occurrence,
            company_id: f.company_id,
            person_id: f.person_id,
            related: f.related.as_ref(),
            watchers: &f.watchers,
            completed_at: self.completed_at.map(rfc3339),
            version: self.version,
            created_at: rfc3339(self.created_at),
            created_by: self.created_by,
            updated_at: rfc3339(self.updated_at),
            updated_by: self.updated_by,
        }
        .serialize(serializer)
    }
}

/// The fields as the history records them (field by field, wall-clock times as written).
impl Serialize for TaskFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_draft().serialize(serializer)
    }
}

#[cfg(test)]
mod tests;
