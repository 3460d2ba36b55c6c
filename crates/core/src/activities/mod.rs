//! Activities (FEATURES C1, C2): calls, meetings, emails, letters, faxes, visits, notes
//! and any kind an administrator adds, logged against companies and people, grouped in
//! threads and answered by replies. What a client sends, and what it parses into.

pub mod markdown;

use serde::{Deserialize, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::calendar::Interval;
use crate::companies::choice_enum;
use crate::invalid::Invalid;
use crate::text;
use crate::zone::Zone;

choice_enum!(Direction, "direction", Incoming => "incoming", Outgoing => "outgoing");

/// The kinds every installation has; administrators add their own next to them.
pub const BUILTIN_KINDS: [&str; 7] = ["call", "meeting", "email", "letter", "fax", "visit", "note"];

/// The kind whose activities are in the calendar and take up their participants' time.
pub const MEETING: &str = "meeting";

/// How long a meeting without a duration takes up in a calendar.
pub const DEFAULT_MEETING_MINUTES: u32 = 60;

/// At most this many people or users on one activity.
pub const MAX_PARTICIPANTS: usize = 100;

/// The key of a kind of activity: lower-case letters, digits and `_`, starting with a
/// letter (`call`, `site_visit`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct KindKey(String);

impl KindKey {
    pub fn parse(raw: &str) -> Option<KindKey> {
        let raw = raw.trim();
        let first = raw.chars().next()?;
        let fits = raw.len() <= 40
            && first.is_ascii_lowercase()
            && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        fits.then(|| KindKey(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_meeting(&self) -> bool {
        self.0 == MEETING
    }
}

/// An activity as a client sends it; every field optional so a form can be half-filled
/// and still get every error at once.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityDraft {
    pub kind: Option<String>,
    pub direction: Option<String>,
    pub subject: Option<String>,
    /// An instant (`2026-03-23T07:00:00Z`) or a wall-clock time read in the actor's zone
    /// (`2026-03-23T09:00`); now when absent.
    pub occurred_at: Option<String>,
    pub duration_minutes: Option<i64>,
    pub outcome: Option<String>,
    /// Markdown.
    pub body: Option<String>,
    pub company_id: Option<Uuid>,
    pub person_ids: Option<Vec<Uuid>>,
    pub user_ids: Option<Vec<Uuid>>,
    pub thread_id: Option<Uuid>,
    pub reply_to_id: Option<Uuid>,
}

/// The writable fields of an activity, parsed. Whether the kind exists and the records
/// and users are there is for the use case to check against the database.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFields {
    pub kind: KindKey,
    pub direction: Option<Direction>,
    pub subject: String,
    pub occurred_at: OffsetDateTime,
    pub duration_minutes: Option<u32>,
    pub outcome: Option<String>,
    pub body: Option<String>,
    pub company_id: Option<Uuid>,
    pub person_ids: Vec<Uuid>,
    pub user_ids: Vec<Uuid>,
    pub thread_id: Option<Uuid>,
    pub reply_to_id: Option<Uuid>,
}

fn ids(raw: &Option<Vec<Uuid>>, field: &str, invalid: &mut Invalid) -> Vec<Uuid> {
    let mut ids = raw.clone().unwrap_or_default();
    ids.sort();
    ids.dedup();
    if ids.len() > MAX_PARTICIPANTS {
        invalid.push(field, "too_many", format!("at most {MAX_PARTICIPANTS}"));
    }
    ids
}

/// `occurred_at` as a client may send it.
pub fn parse_instant(raw: &str, zone: &Zone) -> Option<OffsetDateTime> {
    let raw = raw.trim();
    if let Ok(at) = OffsetDateTime::parse(raw, &Rfc3339) {
        return Some(at.to_offset(time::UtcOffset::UTC));
    }
    crate::tasks::parse_local(raw).map(|local| zone.instant(local))
}

impl ActivityDraft {
    /// Parses the draft; `now` stands in for a missing `occurred_at`, and `zone` reads a
    /// wall-clock one.
    pub fn parse(&self, now: OffsetDateTime, zone: &Zone) -> Result<ActivityFields, Invalid> {
        let mut invalid = Invalid::default();
        let kind = match self.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => {
                invalid.push("kind", "required", "say what kind of activity this is (call, meeting, note...)");
                None
            }
            Some(raw) => KindKey::parse(raw).or_else(|| {
                invalid.push("kind", "unknown_kind", "no kind of activity has this key");
                None
            }),
        };
        let direction = match self.direction.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(raw) => Direction::parse(raw).or_else(|| {
                invalid.push("direction", "invalid_choice", format!("direction must be one of {}", Direction::names()));
                None
            }),
        };
        let subject = invalid.take("subject", text::required(self.subject.as_deref(), 300));
        let outcome = invalid.take("outcome", text::optional(self.outcome.as_deref(), 1_000, true)).flatten();
        let body = invalid.take("body", text::optional(self.body.as_deref(), 100_000, true)).flatten();
        let occurred_at = match self.occurred_at.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => now,
            Some(raw) => parse_instant(raw, zone).unwrap_or_else(|| {
                invalid.push("occurred_at", "invalid_datetime", "must be a date-time like 2026-03-23T09:00");
                now
            }),
        };
        let duration_minutes = match self.duration_minutes {
            None => None,
            Some(m) if (0..=10_080).contains(&m) => Some(m as u32),
            Some(_) => {
                invalid.push("duration_minutes", "out_of_range", "must be from 0 to 10080 minutes (a week)");
                None
            }
        };
        let person_ids = ids(&self.person_ids, "person_ids", &mut invalid);
        let user_ids = ids(&self.user_ids, "user_ids", &mut invalid);
        let (Some(kind), Some(subject)) = (kind, subject) else { return Err(invalid) };
        invalid.into_result(ActivityFields {
            kind,
            direction,
            subject,
            occurred_at: occurred_at.replace_nanosecond(occurred_at.microsecond() * 1_000).unwrap_or(occurred_at),
            duration_minutes,
            outcome,
            body,
            company_id: self.company_id,
            person_ids,
            user_ids,
            thread_id: self.thread_id,
            reply_to_id: self.reply_to_id,
        })
    }
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_default()
}

impl ActivityFields {
    /// The draft that parses back into these fields: the base a merge patch applies to.
    pub fn to_draft(&self) -> ActivityDraft {
        ActivityDraft {
            kind: Some(self.kind.as_str().to_string()),
            direction: self.direction.map(|d| d.as_str().to_string()),
            subject: Some(self.subject.clone()),
            occurred_at: Some(rfc3339(self.occurred_at)),
            duration_minutes: self.duration_minutes.map(i64::from),
            outcome: self.outcome.clone(),
            body: self.body.clone(),
            company_id: self.company_id,
            person_ids: Some(self.person_ids.clone()),
            user_ids: Some(self.user_ids.clone()),
            thread_id: self.thread_id,
            reply_to_id: self.reply_to_id,
        }
    }

    /// The time a meeting takes up in its participants' calendars.
    pub fn busy(&self) -> Option<Interval> {
        self.kind.is_meeting().then(|| {
            let minutes = self.duration_minutes.filter(|m| *m > 0).unwrap_or(DEFAULT_MEETING_MINUTES);
            Interval { start: self.occurred_at, end: self.occurred_at + Duration::minutes(i64::from(minutes)) }
        })
    }

    /// The body as safe HTML.
    pub fn body_html(&self) -> Option<String> {
        self.body.as_deref().map(markdown::render)
    }
}

/// The fields as the history records them.
impl Serialize for ActivityFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_draft().serialize(serializer)
    }
}

/// A stored activity with its bookkeeping.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: Uuid,
    pub fields: ActivityFields,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
    pub updated_at: OffsetDateTime,
    pub updated_by: Option<Uuid>,
    pub archived_at: Option<OffsetDateTime>,
}

#[derive(Serialize)]
struct Wire<'a> {
    id: Uuid,
    kind: &'a str,
    direction: Option<Direction>,
    subject: &'a str,
    occurred_at: String,
    duration_minutes: Option<u32>,
    outcome: Option<&'a str>,
    body: Option<&'a str>,
    body_html: Option<String>,
    company_id: Option<Uuid>,
    person_ids: &'a [Uuid],
    user_ids: &'a [Uuid],
    thread_id: Option<Uuid>,
    reply_to_id: Option<Uuid>,
    version: i64,
    created_at: String,
    created_by: Option<Uuid>,
    updated_at: String,
    updated_by: Option<Uuid>,
    archived_at: Option<String>,
}

impl Serialize for Activity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let f = &self.fields;
        Wire {
            id: self.id,
            kind: f.kind.as_str(),
            direction: f.direction,
            subject: &f.subject,
            occurred_at: rfc3339(f.occurred_at),
            duration_minutes: f.duration_minutes,
            outcome: f.outcome.as_deref(),
            body: f.body.as_deref(),
            body_html: f.body_html(),
            company_id: f.company_id,
            person_ids: &f.person_ids,
            user_ids: &f.user_ids,
            thread_id: f.thread_id,
            reply_to_id: f.reply_to_id,
            version: self.version,
            created_at: rfc3339(self.created_at),
            created_by: self.created_by,
            updated_at: rfc3339(self.updated_at),
            updated_by: self.updated_by,
            archived_at: self.archived_at.map(rfc3339),
        }
        .serialize(serializer)
    }
}

/// A kind of activity: built in, or added by an administrator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityKind {
    pub key: KindKey,
    pub name: String,
    pub builtin: bool,
}

/// A new kind as an administrator sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDraft {
    pub key: Option<String>,
    pub name: Option<String>,
}

impl KindDraft {
    pub fn parse(&self) -> Result<ActivityKind, Invalid> {
        let mut invalid = Invalid::default();
        let key = match self.key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            None => {
                invalid.push("key", "required", "a kind needs a key (like site_visit)");
                None
            }
            Some(raw) => KindKey::parse(raw).or_else(|| {
                invalid.push("key", "invalid_key", "lower-case letters, digits and _, starting with a letter");
                None
            }),
        };
        let name = invalid.take("name", text::required(self.name.as_deref(), 100));
        let (Some(key), Some(name)) = (key, name) else { return Err(invalid) };
        invalid.into_result(ActivityKind { key, name, builtin: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    fn parse(body: serde_json::Value) -> Result<ActivityFields, Invalid> {
        let draft: ActivityDraft = serde_json::from_value(body).unwrap();
        draft.parse(datetime!(2026-03-23 10:00 UTC), &Zone::parse("Europe/Sofia").unwrap())
    }

    #[test]
    fn a_call_reads_its_time_in_the_zone_and_defaults_to_now() {
        let call = parse(json!({"kind": "call", "subject": "Prices", "occurred_at": "2026-03-23T09:00",
                                "direction": "outgoing", "person_ids": [Uuid::nil(), Uuid::nil()]}))
        .unwrap();
        assert_eq!(call.occurred_at, datetime!(2026-03-23 07:00 UTC));
        assert_eq!(call.person_ids.len(), 1, "a person named twice is there once");
        let note = parse(json!({"kind": "note", "subject": "Now"})).unwrap();
        assert_eq!(note.occurred_at, datetime!(2026-03-23 10:00 UTC));
        assert!(note.busy().is_none(), "only meetings take up time");
    }

    #[test]
    fn every_error_at_once() {
        let invalid = parse(json!({"kind": "Call!", "subject": " ", "direction": "sideways",
                                   "occurred_at": "yesterday", "duration_minutes": -1}))
        .unwrap_err();
        let fields: Vec<_> = invalid.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "direction", "subject", "occurred_at", "duration_minutes"]);
    }

    #[test]
    fn a_meeting_takes_an_hour_unless_told() {
        let meeting =
            parse(json!({"kind": "meeting", "subject": "Visit", "occurred_at": "2026-03-23T07:00:00Z"})).unwrap();
        let busy = meeting.busy().unwrap();
        assert_eq!((busy.start, busy.end), (datetime!(2026-03-23 07:00 UTC), datetime!(2026-03-23 08:00 UTC)));
    }
}
