//! Tasks over HTTP, on SQLite and PostgreSQL: the shapes clients rely on, field errors
//! for a bad rule or zone, the next occurrence on completion (across a daylight-saving
//! change, up to COUNT), tasks scheduled into working time, the calendar, and who sees
//! and changes which tasks.

mod firm;
mod support;

use firm::{Firm, error, errors, id_of, ids, items};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;

async fn task(s: &TestServer, body: Value) -> Value {
    s.create("tasks", body).await
}

async fn patch(s: &TestServer, path: &str, body: Value) -> support::Answer {
    s.call(Method::PATCH, path, Some(body), None).await
}

both_engines!(a_weekly_task_makes_its_next_occurrence_when_done_until_its_count, |s: TestServer| async move {
    let me = id_of(&s.get("/api/v1/users/me").await.body);
    let company = id_of(&s.create("companies", json!({"name": "Łódź Textiles"})).await);
    let body = json!({"title": "Weekly call", "assignee_id": me, "due_at": "2026-03-23T09:00:00",
                      "time_zone": "Europe/Warsaw", "remind_before_minutes": 15,
                      "recurrence": "FREQ=WEEKLY;BYDAY=MO;COUNT=5", "company_id": company});
    let answer = s.post("/api/v1/tasks", body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let first = answer.body.clone();
    assert_eq!(answer.header("location"), format!("/api/v1/tasks/{}", id_of(&first)));
    assert_eq!(answer.header("etag"), "\"1\"");
    assert_eq!(first["due_at"], "2026-03-23T08:00:00Z", "09:00 in Warsaw in winter time");
    assert_eq!(first["due_local"], "2026-03-23T09:00:00");
    assert_eq!(first["remind_at"], "2026-03-23T07:45:00Z");
    assert_eq!((first["status"].as_str(), first["priority"].as_str()), (Some("open"), Some("normal")));
    assert_eq!((first["occurrence"].as_i64(), first["series_id"].as_str()), (Some(1), first["id"].as_str()));

    // Done: the next Monday, at 09:00 on the wall clock, now summer time (07:00 UTC).
    let mut current = first.clone();
    let mut dues = vec![first["due_at"].as_str().unwrap().to_string()];
    for n in 2..=5 {
        let done = patch(&s, &format!("/api/v1/tasks/{}", id_of(&current)), json!({"status": "done"})).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(done.body["status"], "done");
        assert!(done.body["completed_at"].is_string());
        let next_id = done.body["next_occurrence_id"].as_str().expect("the next occurrence").to_string();
        assert!(done.header("link").contains(&next_id));
        current = s.get(&format!("/api/v1/tasks/{next_id}")).await.body;
        assert_eq!((current["occurrence"].as_i64(), current["status"].as_str()), (Some(n), Some("open")));
        assert_eq!(current["series_id"], first["id"]);
        assert_eq!(current["due_local"].as_str().map(|d| &d[10..]), Some("T09:00:00"), "the wall-clock time is kept");
        assert_eq!(current["company_id"], json!(company));
        dues.push(current["due_at"].as_str().unwrap().to_string());
    }
    assert_eq!(
        dues,
        [
            "2026-03-23T08:00:00Z",
            "2026-03-30T07:00:00Z",
            "2026-04-06T07:00:00Z",
            "2026-04-13T07:00:00Z",
            "2026-04-20T07:00:00Z"
        ]
    );
    assert_eq!(current["remind_at"], "2026-04-20T06:45:00Z", "the reminder follows its occurrence");
    let last = patch(&s, &format!("/api/v1/tasks/{}", id_of(&current)), json!({"status": "done"})).await;
    assert_eq!(last.status, StatusCode::OK);
    assert!(last.body.get("next_occurrence_id").is_none(), "COUNT=5: the fifth was the last");
    // Reopened and done again: no second sixth (nor a second anything).
    let path = format!("/api/v1/tasks/{}", id_of(&first));
    assert_eq!(patch(&s, &path, json!({"status": "open"})).await.status, StatusCode::OK);
    let again = patch(&s, &path, json!({"status": "done"})).await;
    assert!(again.body.get("next_occurrence_id").is_none(), "{}", again.body);
    let series = s.get(&format!("/api/v1/tasks?company_id={company}&limit=50")).await;
    assert_eq!(items(&series).len(), 5);

    let history = s.get(&format!("{path}/history")).await;
    let actions: Vec<_> = items(&history).iter().map(|e| e["action"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(actions, ["update", "update", "update", "create"], "newest first");
    let referred = s.call(Method::DELETE, &format!("/api/v1/companies/{company}"), None, None).await;
    assert_eq!(referred.status, StatusCode::CONFLICT, "a company with tasks is archived, not deleted");
    assert_eq!(referred.body["referrers"][0]["kind"], "task");
});

both_engines!(bad_rules_zones_and_references_are_field_errors, |s: TestServer| async move {
    let me = id_of(&s.get("/api/v1/users/me").await.body);
    for (body, field, code) in [
        (
            json!({"title": "x", "due_at": "2026-03-23T09:00", "recurrence": "FREQ=WEEKLY;BYSETPOS=1"}),
            "recurrence",
            "invalid_recurrence",
        ),
        (
            json!({"title": "x", "due_at": "2026-03-23T09:00", "recurrence": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}),
            "recurrence",
            "never_repeats",
        ),
        (json!({"title": "x", "recurrence": "FREQ=DAILY"}), "recurrence", "needs_due"),
        (
            json!({"title": "x", "due_at": "2026-03-23T09:00", "time_zone": "Mars/Olympus"}),
            "time_zone",
            "invalid_time_zone",
        ),
        (json!({"title": "x", "due_at": "next monday"}), "due_at", "invalid_datetime"),
        (json!({"title": "x", "assignee_id": "01900000-0000-7000-8000-000000000000"}), "assignee_id", "unknown_user"),
        (json!({"title": "x", "company_id": "01900000-0000-7000-8000-000000000000"}), "company_id", "unknown_company"),
        (json!({"title": "x", "priority": "whenever"}), "priority", "invalid_choice"),
        (json!({"title": "x", "colour": "red"}), "colour", "unknown_field"),
        (json!({"title": "x", "schedule": "next_free_slot"}), "duration_minutes", "required"),
        (
            json!({"title": "x", "schedule": "next_free_slot", "duration_minutes": 30, "due_at": "2026-03-23T09:00"}),
            "due_at",
            "scheduled",
        ),
    ] {
        let answer = s.post("/api/v1/tasks", body.clone()).await;
        assert_eq!(errors(&answer), error(field, code), "{body}");
    }
    let answer = s.post("/api/v1/tasks", json!({"title": " ", "time_zone": "Nowhere"})).await;
    assert_eq!(answer.header("content-type"), "application/problem+json");
    let fields: Vec<_> = errors(&answer).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["title", "time_zone"], "every field at once");
    let disabled = s.create("users", json!({"login": "gone", "name": "Gone", "password": "a long password 123"})).await;
    let path = format!("/api/v1/users/{}", id_of(&disabled));
    assert_eq!(patch(&s, &path, json!({"disabled": true})).await.status, StatusCode::OK);
    let answer = s.post("/api/v1/tasks", json!({"title": "x", "assignee_id": id_of(&disabled)})).await;
    assert_eq!(errors(&answer), error("assignee_id", "inactive_user"));
    assert!(items(&s.get("/api/v1/tasks").await).is_empty(), "nothing refused was kept");

    let t = task(&s, json!({"title": "Edit me", "due_date": "2026-05-04", "assignee_id": me})).await;
    let path = format!("/api/v1/tasks/{}", id_of(&t));
    let moved = patch(&s, &path, json!({"due_at": "2026-05-04T14:30", "time_zone": "Asia/Shanghai"})).await;
    assert_eq!(moved.status, StatusCode::OK, "a time replaces the date: {}", moved.body);
    assert_eq!(
        (moved.body["due_date"].clone(), moved.body["due_at"].clone()),
        (Value::Null, json!("2026-05-04T06:30:00Z"))
    );
    let stale = s.call(Method::PATCH, &path, Some(json!({"title": "Late"})), Some(1)).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let bad = patch(&s, &path, json!({"recurrence": "FREQ=MINUTELY"})).await;
    assert_eq!(errors(&bad), error("recurrence", "invalid_recurrence"));
    assert_eq!(s.get("/api/v1/tasks?colour=red").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(s.get("/api/v1/tasks?status=later").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(s.call(Method::DELETE, &path, None, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(s.get(&path).await.status, StatusCode::NOT_FOUND);
});

both_engines!(scheduled_tasks_land_in_free_working_time_and_the_calendar_shows_them, |s: TestServer| async move {
    let me = id_of(&s.get("/api/v1/users/me").await.body);
    let hours = format!("/api/v1/users/{me}/working-time");
    let defaults = s.get(&hours).await;
    assert_eq!((defaults.body["time_zone"].as_str(), defaults.body["version"].as_i64()), (Some("UTC"), Some(0)));
    assert_eq!(defaults.body["working_hours"]["mon"], json!(["09:00-17:00"]));
    let refused =
        patch(&s, &hours, json!({"time_zone": "Europe/Nowhere", "working_hours": {"mon": ["17:00-09:00"]}})).await;
    let fields: Vec<_> = errors(&refused).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["time_zone", "working_hours.mon[0]"]);
    let set = patch(&s, &hours, json!({"time_zone": "Europe/Sofia", "working_hours": {"fri": ["09:00-13:00"]}})).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        (set.body["version"].as_i64(), set.body["working_hours"]["mon"].clone()),
        (Some(1), json!(["09:00-17:00"]))
    );
    let holiday = s.post("/api/v1/holidays", json!({"day": "2026-03-23", "name": "A day off for all"})).await;
    assert_eq!(holiday.status, StatusCode::CREATED, "{}", holiday.body);
    let twice = s.post("/api/v1/holidays", json!({"day": "2026-03-23", "name": "Again"})).await;
    assert_eq!(errors(&twice), error("day", "taken"));
    let away = s
        .post(&format!("/api/v1/users/{me}/absences"), json!({"starts_on": "2026-03-24", "ends_on": "2026-03-24"}))
        .await;
    assert_eq!(away.status, StatusCode::CREATED, "{}", away.body);
    let backwards = s
        .post(&format!("/api/v1/users/{me}/absences"), json!({"starts_on": "2026-03-25", "ends_on": "2026-03-20"}))
        .await;
    assert_eq!(errors(&backwards), error("ends_on", "before_start"));

    // Friday 20 March, 12:30 in Sofia: Friday ends at 13:00, Monday is a holiday, Tuesday
    // an absence; the first hour goes to Wednesday 09:00, the next one after it.
    let not_before = "2026-03-20T10:30:00Z";
    let mut starts = Vec::new();
    for n in 0..2 {
        let body = json!({"title": format!("Follow-up {n}"), "schedule": "next_free_slot", "duration_minutes": 60,
                          "not_before": not_before});
        let created = s.post("/api/v1/tasks", body).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.body["time_zone"], "Europe/Sofia");
        starts.push((created.body["due_local"].clone(), created.body["duration_minutes"].clone()));
    }
    assert_eq!(starts, [(json!("2026-03-25T09:00:00"), json!(60)), (json!("2026-03-25T10:00:00"), json!(60))]);
    let free =
        s.get(&format!("/api/v1/calendar/free-slot?user_id={me}&duration_minutes=30&not_before={not_before}")).await;
    assert_eq!(free.body["start"], "2026-03-20T10:30:00Z", "half an hour still fits on Friday");

    task(&s, json!({"title": "All day", "due_date": "2026-03-26"})).await;
    task(&s, json!({"title": "Next week", "due_date": "2026-03-30"})).await;
    let week = s.get(&format!("/api/v1/calendar?user_id={me}&from=2026-03-23&to=2026-03-29")).await;
    assert_eq!(week.status, StatusCode::OK, "{}", week.body);
    assert_eq!(week.body["time_zone"], "Europe/Sofia");
    let entries: Vec<_> = items(&week)
        .iter()
        .map(|e| {
            (
                e["date"].as_str().unwrap_or("").to_string(),
                e["local_start"].clone(),
                e["title"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            ("2026-03-25".into(), json!("09:00"), "Follow-up 0".to_string()),
            ("2026-03-25".into(), json!("10:00"), "Follow-up 1".to_string()),
            ("2026-03-26".into(), Value::Null, "All day".to_string()),
        ]
    );
    assert_eq!(week.body["holidays"][0]["day"], "2026-03-23");
    assert_eq!(week.body["absences"][0]["starts_on"], "2026-03-24");
    assert_eq!(
        s.get(&format!("/api/v1/calendar?user_id={me}&from=2026-01-01&to=2026-06-01")).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(s.get("/api/v1/calendar?week=1").await.status, StatusCode::BAD_REQUEST);
});

both_engines!(tasks_are_seen_by_their_people_their_team_and_those_who_see_their_customer, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let us_company = firm.company(&s, "us_sales", "Boston Mills", json!({})).await;
    let create = |login: &'static str, body: Value| {
        let firm = &firm;
        let s = &s;
        async move {
            let answer = firm.post(s, login, "/api/v1/tasks", body).await;
            assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
            id_of(&answer.body)
        }
    };
    let own = create("sales", json!({"title": "Mine"})).await;
    let for_peer = create("sales", json!({"title": "For peer", "assignee_id": firm.id("peer")})).await;
    let us = create("us_sales", json!({"title": "About Boston", "company_id": us_company})).await;
    let watched = create("us_sales", json!({"title": "Watched", "watchers": [firm.id("sales")]})).await;
    let pl = create("pl_sales", json!({"title": "Polish"})).await;

    let seen = |login: &'static str| {
        let firm = &firm;
        let s = &s;
        async move {
            let mut found = ids(&firm.get(s, login, "/api/v1/tasks?limit=100").await);
            found.sort();
            found
        }
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(seen("sales").await, sorted(vec![own.clone(), for_peer.clone(), watched.clone()]), "own, team, watched");
    assert_eq!(seen("peer").await, sorted(vec![own.clone(), for_peer.clone()]), "the team's");
    assert_eq!(seen("us_sales").await, sorted(vec![us.clone(), watched.clone()]));
    assert_eq!(seen("mgr_eu").await, sorted(vec![own.clone(), for_peer.clone(), pl.clone()]), "the team tree");
    assert_eq!(
        seen("support").await,
        sorted(vec![own.clone(), for_peer.clone(), us.clone(), pl.clone()]),
        "support reads every company, and the team tree's tasks"
    );
    assert_eq!(seen("admin").await.len(), 5);
    let mine = firm.get(&s, "peer", "/api/v1/tasks?scope=mine").await;
    assert_eq!(ids(&mine), std::slice::from_ref(&for_peer));

    assert_eq!(firm.get(&s, "us_sales", &format!("/api/v1/tasks/{own}")).await.status, StatusCode::NOT_FOUND);
    let path = format!("/api/v1/tasks/{watched}");
    assert_eq!(firm.get(&s, "sales", &path).await.status, StatusCode::OK);
    let as_watcher = firm.patch(&s, "sales", &path, json!({"status": "done"})).await;
    assert_eq!(as_watcher.status, StatusCode::FORBIDDEN, "a watcher reads, the assignee changes");
    let by_peer = firm.patch(&s, "peer", &format!("/api/v1/tasks/{for_peer}"), json!({"status": "in_progress"})).await;
    assert_eq!(by_peer.status, StatusCode::OK);
    let by_manager = firm.patch(&s, "mgr_eu", &format!("/api/v1/tasks/{own}"), json!({"priority": "urgent"})).await;
    assert_eq!(by_manager.status, StatusCode::OK, "{}", by_manager.body);
    let foreign = firm.post(&s, "sales", "/api/v1/tasks", json!({"title": "x", "company_id": us_company})).await;
    assert_eq!(errors(&foreign), error("company_id", "unknown_company"), "a company one may not see is unknown");

    let calendar = |login: &'static str, user: &'static str| {
        let firm = &firm;
        let s = &s;
        async move { firm.get(s, login, &format!("/api/v1/calendar?user_id={}", firm.id(user))).await.status }
    };
    assert_eq!(calendar("mgr_eu", "sales").await, StatusCode::OK, "a manager sees the team's calendars");
    assert_eq!(calendar("us_sales", "sales").await, StatusCode::NOT_FOUND);
    let hours = format!("/api/v1/users/{}/working-time", firm.id("sales"));
    let by_other = firm.patch(&s, "mgr_eu", &hours, json!({"time_zone": "Europe/Sofia"})).await;
    assert_eq!(by_other.status, StatusCode::FORBIDDEN, "users keep their own hours");
    assert_eq!(
        firm.post(&s, "sales", "/api/v1/holidays", json!({"day": "2026-12-25", "name": "x"})).await.status,
        StatusCode::FORBIDDEN
    );
});

both_engines!(a_date_only_task_is_overdue_once_its_whole_day_has_passed, |s: TestServer| async move {
    let now = time::OffsetDateTime::now_utc();
    let today = now.date();
    let hour_ago = now - time::Duration::hours(1);
    let timed = format!("{}T{:02}:{:02}", hour_ago.date(), hour_ago.hour(), hour_ago.minute());
    let late_call = id_of(&task(&s, json!({"title": "A call an hour ago", "due_at": timed, "time_zone": "UTC"})).await);
    let old_day = id_of(
        &task(&s, json!({"title": "Two days ago", "due_date": (today - time::Duration::days(2)).to_string()})).await,
    );
    task(&s, json!({"title": "Today", "due_date": today.to_string()})).await;
    task(&s, json!({"title": "Done late", "due_date": "2020-01-01", "status": "done"})).await;
    let mut overdue = ids(&s.get("/api/v1/tasks?overdue=true").await);
    overdue.sort();
    let mut expected = vec![late_call, old_day];
    expected.sort();
    assert_eq!(overdue, expected, "today's date-only task still has the rest of its day");
});
