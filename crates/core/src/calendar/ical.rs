//! Writing iCalendar (RFC 5545) for a user's calendar feed: tasks as VTODO, meetings as
//! VEVENT, each time in its own zone with a VTIMEZONE that describes the zone's offsets
//! over the feed's span (or in UTC). Lines are folded at 75 octets without splitting a
//! character, and text is escaped, as the RFC requires.

use std::collections::BTreeMap;

use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, UtcOffset};
use uuid::Uuid;

use crate::tasks::{Due, Priority, TaskStatus};
use crate::zone::Zone;

/// A task in the feed.
#[derive(Debug, Clone)]
pub struct Todo {
    pub id: Uuid,
    pub summary: String,
    pub description: Option<String>,
    pub due: Option<Due>,
    pub zone: Zone,
    pub status: TaskStatus,
    pub priority: Priority,
    pub url: String,
    pub created: OffsetDateTime,
    pub modified: OffsetDateTime,
    pub completed: Option<OffsetDateTime>,
    pub version: i64,
}

/// A meeting in the feed.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: Uuid,
    pub summary: String,
    pub description: Option<String>,
    pub start: PrimitiveDateTime,
    pub end: PrimitiveDateTime,
    pub zone: Zone,
    pub url: String,
    pub modified: OffsetDateTime,
    pub version: i64,
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line: at most 75 octets a line, continuation lines starting with a
/// space, never inside a UTF-8 character; every line ends with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

fn stamp_date(day: Date) -> String {
    format!("{:04}{:02}{:02}", day.year(), u8::from(day.month()), day.day())
}

fn stamp_local(at: PrimitiveDateTime) -> String {
    format!("{}T{:02}{:02}{:02}", stamp_date(at.date()), at.hour(), at.minute(), at.second())
}

fn stamp_utc(at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    format!("{}Z", stamp_local(PrimitiveDateTime::new(at.date(), at.time())))
}

fn offset_text(offset: UtcOffset) -> String {
    let (h, m, s) = offset.as_hms();
    let sign = if offset.is_negative() { '-' } else { '+' };
    let mut text = format!("{sign}{:02}{:02}", h.unsigned_abs(), m.unsigned_abs());
    if s != 0 {
        text.push_str(&format!("{:02}", s.unsigned_abs()));
    }
    text
}

/// A date-time property in its zone: `NAME;TZID=Europe/Sofia:20260323T090000`, or in UTC.
fn timed(name: &str, local: PrimitiveDateTime, zone: &Zone) -> String {
    if zone.is_utc() {
        format!("{name}:{}", stamp_utc(zone.instant(local)))
    } else {
        format!("{name};TZID={}:{}", zone.name(), stamp_local(local))
    }
}

/// The lines of a feed, before folding.
struct Lines(Vec<String>);

impl Lines {
    fn push(&mut self, line: impl Into<String>) {
        self.0.push(line.into());
    }

    fn text(&mut self, name: &str, value: &str) {
        self.push(format!("{name}:{}", escape(value)));
    }
}

/// VTIMEZONE of `zone` for the instants `from`..`to`: the offset in force at `from`, then
/// every change up to `to`, each an observance of its own.
fn vtimezone(lines: &mut Lines, zone: &Zone, from: OffsetDateTime, to: OffsetDateTime) {
    lines.push("BEGIN:VTIMEZONE");
    lines.push(format!("TZID:{}", zone.name()));
    let observance =
        |lines: &mut Lines, daylight: bool, start: PrimitiveDateTime, before: UtcOffset, after, name: &str| {
            let kind = if daylight { "DAYLIGHT" } else { "STANDARD" };
            lines.push(format!("BEGIN:{kind}"));
            lines.push(format!("DTSTART:{}", stamp_local(start)));
            lines.push(format!("TZOFFSETFROM:{}", offset_text(before)));
            lines.push(format!("TZOFFSETTO:{}", offset_text(after)));
            if !name.is_empty() {
                lines.text("TZNAME", name);
            }
            lines.push(format!("END:{kind}"));
        };
    let first = zone.offset(from);
    let (name, daylight) = zone.describe(from);
    let start = from.to_offset(first);
    observance(lines, daylight, PrimitiveDateTime::new(start.date(), start.time()), first, first, &name);
    for change in zone.transitions(from, to) {
        // DTSTART of an observance is the wall-clock time it begins, read in the offset before.
        let local = change.at.to_offset(change.offset_before);
        let start = PrimitiveDateTime::new(local.date(), local.time());
        observance(lines, change.daylight, start, change.offset_before, change.offset_after, &change.abbreviation);
    }
    lines.push("END:VTIMEZONE");
}

fn ical_status(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Open => "NEEDS-ACTION",
        TaskStatus::InProgress => "IN-PROCESS",
        TaskStatus::Done => "COMPLETED",
        TaskStatus::Cancelled => "CANCELLED",
    }
}

/// The whole feed: a VCALENDAR with the zones it uses, its tasks and its meetings.
pub fn write(name: &str, todos: &[Todo], events: &[Event], now: OffsetDateTime) -> String {
    let mut lines = Lines(Vec::new());
    lines.push("BEGIN:VCALENDAR");
    lines.push("VERSION:2.0");
    lines.push("PRODID:-//Rapport//Rapport CRM//EN");
    lines.push("CALSCALE:GREGORIAN");
    lines.push("METHOD:PUBLISH");
    lines.text("X-WR-CALNAME", name);
    // Every zone a timed entry uses, with the span of instants the feed needs of it.
    let mut spans: BTreeMap<String, (Zone, OffsetDateTime, OffsetDateTime)> = BTreeMap::new();
    let mut note = |zone: &Zone, at: OffsetDateTime| {
        if zone.is_utc() {
            return;
        }
        let span = spans.entry(zone.name().to_string()).or_insert((zone.clone(), at, at));
        span.1 = span.1.min(at);
        span.2 = span.2.max(at);
    };
    for todo in todos {
        if let Some(Due::At(local)) = todo.due {
            note(&todo.zone, todo.zone.instant(local));
        }
    }
    for event in events {
        note(&event.zone, event.zone.instant(event.start));
        note(&event.zone, event.zone.instant(event.end));
    }
    for (zone, from, to) in spans.values() {
        vtimezone(&mut lines, zone, *from - Duration::days(366), *to + Duration::days(366));
    }
    let dtstamp = stamp_utc(now);
    for todo in todos {
        lines.push("BEGIN:VTODO");
        lines.push(format!("UID:{}@rapport", todo.id));
        lines.push(format!("DTSTAMP:{dtstamp}"));
        lines.push(format!("CREATED:{}", stamp_utc(todo.created)));
        lines.push(format!("LAST-MODIFIED:{}", stamp_utc(todo.modified)));
        lines.push(format!("SEQUENCE:{}", (todo.version - 1).max(0)));
        lines.text("SUMMARY", &todo.summary);
        if let Some(description) = &todo.description {
            lines.text("DESCRIPTION", description);
        }
        match todo.due {
            Some(Due::At(local)) => lines.push(timed("DUE", local, &todo.zone)),
            Some(Due::Date(day)) => lines.push(format!("DUE;VALUE=DATE:{}", stamp_date(day))),
            None => {}
        }
        lines.push(format!("STATUS:{}", ical_status(todo.status)));
        lines.push(format!("PRIORITY:{}", todo.priority.ical()));
        if let Some(done) = todo.completed {
            lines.push(format!("COMPLETED:{}", stamp_utc(done)));
        }
        lines.push(format!("URL:{}", todo.url));
        lines.push("END:VTODO");
    }
    for event in events {
        lines.push("BEGIN:VEVENT");
        lines.push(format!("UID:{}@rapport", event.id));
        lines.push(format!("DTSTAMP:{dtstamp}"));
        lines.push(format!("LAST-MODIFIED:{}", stamp_utc(event.modified)));
        lines.push(format!("SEQUENCE:{}", (event.version - 1).max(0)));
        lines.push(timed("DTSTART", event.start, &event.zone));
        lines.push(timed("DTEND", event.end, &event.zone));
        lines.text("SUMMARY", &event.summary);
        if let Some(description) = &event.description {
            lines.text("DESCRIPTION", description);
        }
        lines.push(format!("URL:{}", event.url));
        lines.push("END:VEVENT");
    }
    lines.push("END:VCALENDAR");
    lines.0.iter().map(|line| fold(line)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn text_is_escaped_and_long_lines_fold_between_characters() {
        assert_eq!(escape("a,b;c\\d\r\ne\nf\u{7}"), "a\\,b\\;c\\\\d\\ne\\nf");
        let long = format!("SUMMARY:{}", "Пловдив ".repeat(20));
        let folded = fold(&long);
        assert!(folded.ends_with("\r\n"));
        for line in folded.trim_end_matches("\r\n").split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long, "unfolding gives the line back");
    }

    #[test]
    fn a_feed_has_its_zones_and_a_todo_per_task() {
        let sofia = Zone::parse("Europe/Sofia").unwrap();
        let todo = Todo {
            id: Uuid::nil(),
            summary: "Call, then write; done".into(),
            description: Some("line one\nline two".into()),
            due: Some(Due::At(datetime!(2026-03-30 09:00))),
            zone: sofia,
            status: TaskStatus::Open,
            priority: Priority::High,
            url: "http://127.0.0.1:8080/tasks/x".into(),
            created: datetime!(2026-03-01 10:00 UTC),
            modified: datetime!(2026-03-02 10:00 UTC),
            completed: None,
            version: 2,
        };
        let day = Todo { due: Some(Due::Date(time::macros::date!(2026 - 04 - 01))), zone: Zone::utc(), ..todo.clone() };
        let text = write("Ada's tasks", &[todo, day], &[], datetime!(2026-03-03 00:00 UTC));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.contains("\r\nDUE;TZID=Europe/Sofia:20260330T090000\r\n"));
        assert!(text.contains("\r\nDUE;VALUE=DATE:20260401\r\n"));
        assert!(text.contains("SUMMARY:Call\\, then write\\; done\r\n"));
        assert!(text.contains("DESCRIPTION:line one\\nline two\r\n"));
        assert!(text.contains("X-WR-CALNAME:Ada's tasks\r\n"));
        // The spring change of 2026: 03:00 EET (+02:00) becomes 04:00 EEST.
        assert!(
            text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0300\r\n")
        );
        assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1, "one zone, written once");
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
