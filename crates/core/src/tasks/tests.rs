use super::*;
use serde_json::json;
use time::macros::{date, datetime};

fn draft(value: serde_json::Value) -> TaskDraft {
    serde_json::from_value(value).unwrap()
}

fn sofia() -> Zone {
    Zone::parse("Europe/Sofia").unwrap()
}

#[test]
fn the_api_example_parses_with_its_wall_clock_time_and_reminder() {
    let fields = draft(json!({"title": "Call back", "due_at": "2026-03-23T09:00:00", "time_zone": "Europe/Warsaw",
                               "remind_before_minutes": 15, "recurrence": "FREQ=WEEKLY;BYDAY=MO;COUNT=5"}))
    .parse(&sofia())
    .unwrap();
    assert_eq!(fields.due, Some(Due::At(datetime!(2026-03-23 09:00))));
    assert_eq!(fields.time_zone.name(), "Europe/Warsaw");
    assert_eq!(fields.due_instant(), Some(datetime!(2026-03-23 08:00 UTC)));
    assert_eq!(fields.remind_at(), Some(datetime!(2026-03-23 07:45 UTC)));
    assert_eq!(fields.busy(), Some((datetime!(2026-03-23 08:00 UTC), datetime!(2026-03-23 08:30 UTC))));
    assert_eq!(fields.to_draft().parse(&Zone::utc()).unwrap(), fields, "round-trips through its draft");
}

#[test]
fn an_instant_is_shown_in_the_zone_and_a_date_is_a_day_task() {
    let at = draft(json!({"title": "x", "due_at": "2026-07-01T06:00:00Z"})).parse(&sofia()).unwrap();
    assert_eq!(at.due, Some(Due::At(datetime!(2026-07-01 09:00))), "the assignee's zone by default");
    let day =
        draft(json!({"title": "x", "due_date": "2026-07-01", "remind_before_minutes": 60})).parse(&sofia()).unwrap();
    assert_eq!(day.due, Some(Due::Date(date!(2026 - 07 - 01))));
    assert_eq!(day.due_instant(), Some(datetime!(2026-06-30 21:00 UTC)), "the day starts at midnight in Sofia");
    assert_eq!(day.remind_at(), Some(datetime!(2026-07-01 05:00 UTC)), "an hour before 09:00 that day");
    assert_eq!(day.busy(), None);
    let undated = draft(json!({"title": "x"})).parse(&sofia()).unwrap();
    assert_eq!(undated.due_key(), UNDATED_KEY);
}

#[test]
fn every_problem_is_reported_at_once() {
    let fields = |value| -> Vec<String> {
        draft(value).parse(&sofia()).unwrap_err().errors.into_iter().map(|e| e.field).collect()
    };
    assert_eq!(
        fields(json!({"title": " ", "status": "later", "priority": "meh", "time_zone": "Mars/Base",
                      "due_at": "tomorrow", "recurrence": "FREQ=SOMETIMES", "remind_before_minutes": -5,
                      "duration_minutes": 0})),
        [
            "title",
            "status",
            "priority",
            "time_zone",
            "due_at",
            "duration_minutes",
            "remind_before_minutes",
            "recurrence"
        ]
    );
    assert_eq!(fields(json!({"title": "x", "recurrence": "FREQ=DAILY"})), ["recurrence"]);
    assert_eq!(fields(json!({"title": "x", "due_at": "2026-01-01T10:00", "due_date": "2026-01-01"})), ["due_date"]);
    assert_eq!(fields(json!({"title": "x", "due_date": "2026-01-01", "duration_minutes": 30})), ["duration_minutes"]);
    assert_eq!(fields(json!({"title": "x", "related": {"kind": "company", "id": Uuid::nil()}})), ["related.kind"]);
}

/// A stored task with these fields.
fn stored(fields: TaskFields) -> Task {
    Task {
        id: Uuid::nil(),
        fields,
        series_id: None,
        occurrence: 1,
        completed_at: None,
        version: 1,
        created_at: datetime!(2026-01-01 00:00 UTC),
        created_by: None,
        updated_at: datetime!(2026-01-01 00:00 UTC),
        updated_by: None,
    }
}

#[test]
fn a_task_is_overdue_once_its_time_or_its_whole_day_has_passed() {
    let at = |fields: TaskFields, status| stored(TaskFields { status, ..fields });
    let timed = draft(json!({"title": "x", "due_at": "2026-03-23T09:00"})).parse(&sofia()).unwrap();
    assert!(!at(timed.clone(), TaskStatus::Open).is_overdue(datetime!(2026-03-23 06:59 UTC)));
    assert!(at(timed.clone(), TaskStatus::InProgress).is_overdue(datetime!(2026-03-23 07:01 UTC)));
    assert!(!at(timed, TaskStatus::Done).is_overdue(datetime!(2026-04-01 00:00 UTC)));
    let day = draft(json!({"title": "x", "due_date": "2026-03-23"})).parse(&sofia()).unwrap();
    assert!(!at(day.clone(), TaskStatus::Open).is_overdue(datetime!(2026-03-23 21:59 UTC)), "still the 23rd in Sofia");
    assert!(at(day, TaskStatus::Open).is_overdue(datetime!(2026-03-23 22:00 UTC)));
}

#[test]
fn the_api_shows_the_instant_in_utc_and_the_wall_clock_time_beside_it() {
    let fields = draft(json!({"title": "x", "due_at": "2026-10-25T03:30", "time_zone": "Europe/Sofia"}))
        .parse(&Zone::utc())
        .unwrap();
    let task = stored(fields);
    let json = serde_json::to_value(&task).unwrap();
    // 03:30 happens twice that night; the first (summer time, +03:00) is meant.
    assert_eq!(json["due_at"], "2026-10-25T00:30:00Z");
    assert_eq!(json["due_local"], "2026-10-25T03:30:00");
    assert_eq!(json["due_date"], serde_json::Value::Null);
}
