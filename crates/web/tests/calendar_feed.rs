//! The iCalendar feed, on SQLite and PostgreSQL: its secret URL, revoking it (the old one
//! answers 404), and the feed read by an independent parser (Python's `icalendar`, which
//! CI installs), with every task's due time checked in UTC both through the zone database
//! and through the VTIMEZONE the feed itself carries; meetings as VEVENTs, in the
//! calendar and in the way of the next free slot.
//!
//! Without Python's `icalendar` the parse is skipped with a notice, except under
//! `CI=true`, where it fails.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;

const PARSE: &str = r#"
import json, sys
from datetime import timezone
import icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
zones = {str(vtz["TZID"]): vtz.to_tz(lookup_tzid=False) for vtz in cal.walk("VTIMEZONE")}
utc = lambda dt: dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
out = []
for todo in cal.walk("VTODO"):
    item = {k: str(todo.get(k, "")) for k in ("UID", "SUMMARY", "DESCRIPTION", "STATUS", "URL")}
    item["PRIORITY"] = int(todo["PRIORITY"])
    due = todo.get("DUE")
    if due is not None and hasattr(due.dt, "hour"):
        item["due"] = utc(due.dt)
        tzid = due.params.get("TZID")
        if tzid:
            item["due_by_vtimezone"] = utc(due.dt.replace(tzinfo=None).replace(tzinfo=zones[str(tzid)]))
    elif due is not None:
        item["due_date"] = due.dt.isoformat()
    out.append(item)
events = []
for event in cal.walk("VEVENT"):
    item = {k: str(event.get(k, "")) for k in ("UID", "SUMMARY", "DESCRIPTION", "URL")}
    for key in ("DTSTART", "DTEND"):
        prop = event[key]
        item[key] = utc(prop.dt)
        tzid = prop.params.get("TZID")
        if tzid:
            item[key + "_by_vtimezone"] = utc(prop.dt.replace(tzinfo=None).replace(tzinfo=zones[str(tzid)]))
    events.append(item)
print(json.dumps({"todos": out, "events": events}))
"#;

/// The feed's VTODOs and VEVENTs as Python's `icalendar` reads them; `None` when the
/// package is missing outside CI.
fn parse_independently(feed: &str) -> Option<(Vec<Value>, Vec<Value>)> {
    let required = std::env::var("CI").is_ok_and(|v| v == "true");
    let available = Command::new("python3").args(["-c", "import icalendar"]).status().is_ok_and(|s| s.success());
    if !available {
        assert!(!required, "CI=true needs Python's icalendar package (pip install icalendar)");
        eprintln!("skipping the independent parse: Python's icalendar package is not installed");
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", PARSE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().expect("stdin").write_all(feed.as_bytes()).expect("the feed is written");
    let output = child.wait_with_output().expect("python3 finishes");
    assert!(output.status.success(), "the parser refused the feed: {}", String::from_utf8_lossy(&output.stderr));
    let parsed: Value = serde_json::from_slice(&output.stdout).expect("the parser's JSON");
    let list = |key: &str| parsed[key].as_array().cloned().unwrap_or_default();
    Some((list("todos"), list("events")))
}

async fn fetch(s: &TestServer, url: &str) -> (StatusCode, String, String) {
    let response = s.client.get(url).send().await.expect("the server answers");
    let status = response.status();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, kind, response.text().await.unwrap_or_default())
}

both_engines!(the_feed_is_valid_icalendar_with_the_right_times_at_a_revocable_url, |s: TestServer| async move {
    let year = time::OffsetDateTime::now_utc().year() + 1;
    let task = |title: &str, due: Value| {
        let mut body = json!({"title": title});
        if let (Value::Object(body), Value::Object(due)) = (&mut body, due) {
            body.extend(due);
        }
        body
    };
    let long = "Позвънете на Мария Петрова, Пловдив; после — офертата ".repeat(3);
    let cases = [
        (
            task("Warsaw in winter", json!({"due_at": format!("{year}-01-12T09:00"), "time_zone": "Europe/Warsaw"})),
            "08:00",
        ),
        (
            task("Warsaw in summer", json!({"due_at": format!("{year}-07-13T09:00"), "time_zone": "Europe/Warsaw"})),
            "07:00",
        ),
        (
            task("Sofia in summer", json!({"due_at": format!("{year}-07-13T09:00"), "time_zone": "Europe/Sofia"})),
            "06:00",
        ),
        (
            task(
                "New York in winter",
                json!({"due_at": format!("{year}-01-12T09:00"), "time_zone": "America/New_York"}),
            ),
            "14:00",
        ),
        (
            task(
                "New York in summer",
                json!({"due_at": format!("{year}-07-13T09:00"), "time_zone": "America/New_York"}),
            ),
            "13:00",
        ),
        (
            task("Shanghai in summer", json!({"due_at": format!("{year}-07-13T09:00"), "time_zone": "Asia/Shanghai"})),
            "01:00",
        ),
        (task("In UTC", json!({"due_at": format!("{year}-05-05T10:00"), "time_zone": "UTC"})), "10:00"),
    ];
    let mut expected = Vec::new();
    for (body, utc) in &cases {
        let created = s.create("tasks", body.clone()).await;
        let day = created["due_local"].as_str().unwrap()[..10].to_string();
        expected.push((created["title"].as_str().unwrap().to_string(), format!("{day}T{utc}:00Z")));
    }
    let day = s
        .create(
            "tasks",
            json!({"title": long.clone(), "due_date": format!("{year}-04-01"), "priority": "urgent",
                                       "description": "Call, then write;\nthen wait", "status": "in_progress"}),
        )
        .await;
    let other = s.create("users", json!({"login": "other", "name": "Other", "password": "a long password 123"})).await;
    s.create("tasks", json!({"title": "Not mine", "assignee_id": other["id"]})).await;

    let answer = s.get("/api/v1/users/me/calendar-feed").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let url = answer.body["url"].as_str().expect("a url").to_string();
    assert!(url.starts_with(&s.base) && url.ends_with(".ics"), "{url}");
    assert_eq!(s.get("/api/v1/users/me/calendar-feed").await.body["url"], json!(url), "the same URL until revoked");
    let (status, kind, feed) = fetch(&s, &url).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/calendar; charset=utf-8"), "no sign-in needed");
    for line in feed.split("\r\n") {
        assert!(line.len() <= 75, "a line of {} octets: {line}", line.len());
    }
    assert!(feed.ends_with("END:VCALENDAR\r\n") && !feed.contains("Not mine"));

    if let Some((todos, _)) = parse_independently(&feed) {
        assert_eq!(todos.len(), cases.len() + 1);
        for (title, due) in &expected {
            let todo =
                todos.iter().find(|t| t["SUMMARY"] == json!(title)).unwrap_or_else(|| panic!("{title} in {todos:?}"));
            assert_eq!(todo["due"], json!(due), "{title}");
            if title != "In UTC" {
                assert_eq!(todo["due_by_vtimezone"], json!(due), "{title}: the feed's own VTIMEZONE agrees");
            }
            assert_eq!((todo["STATUS"].as_str(), todo["PRIORITY"].as_i64()), (Some("NEEDS-ACTION"), Some(5)));
        }
        let folded = todos.iter().find(|t| t["due_date"] == json!(format!("{year}-04-01"))).expect("the day task");
        assert_eq!(
            folded["SUMMARY"],
            json!(long.trim()),
            "folding and escaping undone by the parser give the title back"
        );
        assert_eq!(folded["DESCRIPTION"], "Call, then write;\nthen wait");
        assert_eq!((folded["STATUS"].as_str(), folded["PRIORITY"].as_i64()), (Some("IN-PROCESS"), Some(1)));
        assert_eq!(folded["URL"], json!(format!("{}/tasks/{}", s.base, day["id"].as_str().unwrap())));
    }

    let rotated = s.call(Method::POST, "/api/v1/users/me/calendar-feed", None, None).await;
    assert_eq!(rotated.status, StatusCode::CREATED);
    let new_url = rotated.body["url"].as_str().unwrap().to_string();
    assert_ne!(new_url, url);
    assert_eq!(fetch(&s, &url).await.0, StatusCode::NOT_FOUND, "the old URL is dead");
    assert_eq!(fetch(&s, &new_url).await.0, StatusCode::OK);
    assert_eq!(
        s.call(Method::DELETE, "/api/v1/users/me/calendar-feed", None, None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(fetch(&s, &new_url).await.0, StatusCode::NOT_FOUND);
    let again = s.get("/api/v1/users/me/calendar-feed").await.body["url"].as_str().unwrap().to_string();
    assert!(again != url && again != new_url);
    assert_eq!(fetch(&s, &format!("{}/feeds/not-a-secret.ics", s.base)).await.0, StatusCode::NOT_FOUND);
    let unsigned = s.call_as("", Method::GET, "/api/v1/users/me/calendar-feed", None, None).await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
});

both_engines!(meetings_are_events_in_the_feed_the_calendar_and_busy_time, |s: TestServer| async move {
    let me = s.get("/api/v1/users/me").await.body["id"].as_str().unwrap().to_string();
    let zone = s
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{me}/working-time"),
            Some(json!({"time_zone": "Europe/Sofia"})),
            None,
        )
        .await;
    assert_eq!(zone.status, StatusCode::OK, "{}", zone.body);
    // The first Monday of next July: 09:00 in Sofia is 06:00 UTC (summer time).
    let year = time::OffsetDateTime::now_utc().year() + 1;
    let mut monday = time::Date::from_calendar_date(year, time::Month::July, 1).unwrap();
    while monday.weekday() != time::Weekday::Monday {
        monday = monday.next_day().unwrap();
    }
    let meeting = s
        .create(
            "activities",
            json!({"kind": "meeting", "subject": "Квартален преглед, Пловдив", "occurred_at": format!("{monday}T09:00"),
                   "duration_minutes": 90, "body": "Agenda; prices"}),
        )
        .await;
    s.create(
        "activities",
        json!({"kind": "call", "subject": "Not an event", "occurred_at": format!("{monday}T12:00")}),
    )
    .await;
    let other = s.create("users", json!({"login": "other", "name": "Other", "password": "a long password 123"})).await;
    s.create(
        "activities",
        json!({"kind": "meeting", "subject": "Not mine", "occurred_at": format!("{monday}T13:00"), "user_ids": [other["id"]]}),
    )
    .await;

    let day = s.get(&format!("/api/v1/calendar?from={monday}&to={monday}")).await;
    assert_eq!(day.status, StatusCode::OK, "{}", day.body);
    let entries: Vec<_> = day.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].clone(), e["local_start"].clone(), e["local_end"].clone()))
        .collect();
    assert_eq!(entries, [(json!("meeting"), json!("09:00"), json!("10:30"))]);

    let slot = s.get(&format!("/api/v1/calendar/free-slot?duration_minutes=60&not_before={monday}T06:00:00Z")).await;
    assert_eq!(slot.status, StatusCode::OK, "{}", slot.body);
    assert_eq!(slot.body["start"], json!(format!("{monday}T07:30:00Z")), "after the meeting (10:30 in Sofia)");

    let url = s.get("/api/v1/users/me/calendar-feed").await.body["url"].as_str().unwrap().to_string();
    let (status, _, feed) = fetch(&s, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!feed.contains("Not an event") && !feed.contains("Not mine"), "{feed}");
    if let Some((_, events)) = parse_independently(&feed) {
        assert_eq!(events.len(), 1, "{events:?}");
        let event = &events[0];
        assert_eq!(event["SUMMARY"], "Квартален преглед, Пловдив");
        assert_eq!(event["DESCRIPTION"], "Agenda; prices");
        assert_eq!(
            (event["DTSTART"].as_str(), event["DTEND"].as_str()),
            (Some(&*format!("{monday}T06:00:00Z")), Some(&*format!("{monday}T07:30:00Z")))
        );
        assert_eq!(event["DTSTART_by_vtimezone"], event["DTSTART"], "the feed's own VTIMEZONE agrees");
        assert_eq!(event["URL"], json!(format!("{}/activities/{}", s.base, meeting["id"].as_str().unwrap())));
    }
});
