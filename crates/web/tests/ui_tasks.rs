//! Tasks and the calendar through the pages, on SQLite and PostgreSQL: "my day" after
//! signing in, the task form with recurrence as plain choices (and its field messages),
//! completing a repeating task, the list's filters, the calendar's views, working time,
//! absences and the feed address on the account page, holidays in administration, and
//! the cards' Tasks panel.

mod ui_support;

use rapport_app::{Actor, companies, tasks};
use reqwest::StatusCode;
use serde_json::json;
use time::{Duration, OffsetDateTime};
use ui_support::UiServer;

/// The text of the element with this id, up to `end`.
fn section(body: &str, id: &str, end: &str) -> String {
    let start = body.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no #{id} in the page: {body}"));
    let stop = body[start..].find(end).map_or(body.len(), |e| start + e);
    body[start..stop].to_string()
}

ui_both_engines!(my_day_shows_overdue_and_todays_tasks_after_signing_in, with_admin, |s: UiServer| async move {
    let system = Actor::system();
    let admin = tasks::assignable(&s.app).await.unwrap()[0].0;
    let today = OffsetDateTime::now_utc().date();
    for (title, due) in [
        ("Call the bank", today - Duration::days(2)),
        ("Send the offer", today),
        ("Plan the fair", today + Duration::days(3)),
    ] {
        tasks::create(&s.app, &system, json!({"title": title, "assignee_id": admin, "due_date": due.to_string()}))
            .await
            .unwrap();
    }
    tasks::create(
        &s.app,
        &system,
        json!({"title": "Someone else's", "due_date": today.to_string(),
                                          "assignee_id": s.user("sam", "Sam", "sales", None).await}),
    )
    .await
    .unwrap();
    let mut browser = s.browser();
    browser.get("/login").await;
    let signed = browser.post("/login", &[("login", "admin"), ("password", ui_support::PASSWORD)]).await;
    assert_eq!(signed.location(), "/", "signing in lands on my day");
    let page = browser.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    let overdue = section(&page.body, "overdue", "</section>");
    assert!(overdue.contains("Call the bank") && overdue.contains("task overdue"), "{overdue}");
    let due_today = section(&page.body, "today", "</section>");
    assert!(due_today.contains("Send the offer") && !due_today.contains("Someone else"), "{due_today}");
    assert!(section(&page.body, "ahead", "</section>").contains("Plan the fair"));
    assert!(page.body.contains(r#"aria-current="page">My day</a>"#));
    let anonymous = s.browser().get("/").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/login"));
});

ui_both_engines!(
    a_repeating_task_is_made_from_plain_choices_and_done_from_its_page,
    with_admin,
    |s: UiServer| async move {
        let mut browser = s.signed_in("admin").await;
        let form = browser.get("/tasks/new").await;
        assert!(
            form.body.contains(r#"name="repeat_day" value="MO""#)
                && form.body.contains(r#"<option value="Europe/Sofia""#)
        );
        let refused = browser
            .post(
                "/tasks",
                &[
                    ("title", " "),
                    ("repeat", "weekly"),
                    ("repeat_interval", "1"),
                    ("repeat_end", "count"),
                    ("repeat_count", "x"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains(r#"id="e-repeat""#),
            "the count is marked at the repeat choices: {}",
            refused.body
        );
        let refused = browser
            .post("/tasks", &[("title", " "), ("repeat", "weekly"), ("repeat_interval", "1"), ("repeat_end", "never")])
            .await;
        assert!(
            refused.body.contains(r#"id="e-title""#) || refused.body.contains(r#"id="e-repeat""#),
            "{}",
            refused.body
        );
        assert_eq!(refused.input_value("repeat_interval").as_deref(), Some("1"), "what was chosen is kept");
        let no_date = browser
            .post(
                "/tasks",
                &[("title", "Weekly call"), ("repeat", "weekly"), ("repeat_interval", "1"), ("repeat_end", "never")],
            )
            .await;
        assert!(section(&no_date.body, "e-repeat", "</p>").contains("Give a due date first."), "{}", no_date.body);

        let created = browser
            .post(
                "/tasks",
                &[
                    ("title", "Weekly call"),
                    ("due_date", "2026-03-23"),
                    ("due_time", "09:00"),
                    ("time_zone", "Europe/Sofia"),
                    ("priority", "high"),
                    ("remind_before_minutes", "15"),
                    ("repeat", "weekly"),
                    ("repeat_interval", "1"),
                    ("repeat_day", "MO"),
                    ("repeat_end", "count"),
                    ("repeat_count", "3"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let path = created.location();
        let listed = tasks::list(&s.app, &Actor::system(), vec![]).await.unwrap();
        assert_eq!(listed.items.len(), 1);
        let task = &listed.items[0];
        assert_eq!(
            task.fields.recurrence.as_ref().map(|r| r.to_string()).as_deref(),
            Some("FREQ=WEEKLY;BYDAY=MO;COUNT=3")
        );
        assert_eq!(path, format!("/tasks/{}", task.id));
        let page = browser.get(&path).await;
        assert!(
            page.body.contains("23 Mar 2026 09:00") && page.body.contains("Every week: Mon, 3 times"),
            "{}",
            page.body
        );
        let edit = browser.get(&format!("{path}/edit")).await;
        assert!(edit.body.contains(r#"name="repeat_day" value="MO" checked"#), "the rule reads back into its choices");
        assert_eq!(edit.input_value("repeat_count").as_deref(), Some("3"));

        let done = browser.post(&format!("{path}/status"), &[("status", "done"), ("back", &path)]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let next = done.location();
        assert!(next.starts_with("/tasks/") && next.ends_with("?done=next") && !next.starts_with(&path), "{next}");
        let next_page = browser.get(&next).await;
        assert!(next_page.body.contains("this is its next occurrence") && next_page.body.contains("30 Mar 2026 09:00"));
        let open = browser.get("/tasks").await;
        assert!(open.body.contains("30 Mar 2026") && !open.body.contains("23 Mar 2026"), "the list shows open tasks");
        let done_list = browser.get("/tasks?state=done").await;
        assert!(done_list.body.contains("23 Mar 2026"));
        let me = tasks::assignable(&s.app).await.unwrap()[0].0;
        tasks::create(
            &s.app,
            &Actor::system(),
            json!({"title": "Long forgotten", "assignee_id": me, "due_date": "2020-01-06"}),
        )
        .await
        .unwrap();
        let overdue = browser.get("/tasks?due=overdue").await;
        let line =
            overdue.body.split(r#"<li class="task"#).find(|l| l.contains("Long forgotten")).expect("the overdue task");
        assert!(line.starts_with(" overdue"), "marked overdue: {line}");
    }
);

ui_both_engines!(the_calendar_working_time_and_holidays_pages_work_together, with_admin, |s: UiServer| async move {
    let mut browser = s.signed_in("admin").await;
    let account = browser.get("/account/working-time").await;
    assert_eq!(account.input_value("hours_mon").as_deref(), Some("09:00-17:00"));
    let wrong = browser
        .post(
            "/account/working-time",
            &[("time_zone", "Europe/Sofia"), ("hours_mon", "9-5"), ("hours_tue", "09:00-17:00")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.body.contains(r#"id="e-hours_mon""#) && wrong.input_value("hours_mon").as_deref() == Some("9-5"),
        "{}",
        wrong.body
    );
    let mut hours = vec![("time_zone", "Europe/Sofia"), ("hours_mon", "08:00-12:00, 13:00-16:00"), ("hours_fri", "")];
    hours.extend([("hours_tue", "09:00-17:00"), ("hours_wed", "09:00-17:00"), ("hours_thu", "09:00-17:00")]);
    let saved = browser.post("/account/working-time", &hours).await;
    assert_eq!(saved.location(), "/account/working-time?done=saved");
    let absence = browser.post("/account/absences", &[("starts_on", "2026-03-25"), ("ends_on", "2026-03-24")]).await;
    assert!(absence.body.contains(r#"id="e-ends_on""#), "{}", absence.body);
    browser
        .post("/account/absences", &[("starts_on", "2026-03-25"), ("ends_on", "2026-03-25"), ("note", "Dentist")])
        .await;
    let feed = browser.post("/account/calendar-feed", &[("action", "make")]).await;
    assert_eq!(feed.status, StatusCode::SEE_OTHER);
    let page = browser.get("/account/working-time").await;
    let address = section(&page.body, "f-feed", ">");
    assert!(address.contains("/feeds/") && address.contains(".ics"), "{address}");
    assert!(section(&page.body, "absences", "</ul>").contains("Dentist"));

    let refused = browser.post("/admin/holidays", &[("day", "2026-03-23"), ("name", "")]).await;
    assert!(refused.body.contains(r#"id="e-name""#));
    browser.post("/admin/holidays", &[("day", "2026-03-23"), ("name", "Spring Day")]).await;
    let twice = browser.post("/admin/holidays", &[("day", "2026-03-23"), ("name", "Again")]).await;
    assert!(section(&twice.body, "e-day", "</p>").contains("already a holiday"));
    s.user("sam", "Sam Sales", "sales", None).await;
    assert_eq!(s.signed_in("sam").await.get("/admin/holidays").await.status, StatusCode::FORBIDDEN);

    let system = Actor::system();
    let me = tasks::assignable(&s.app).await.unwrap().into_iter().find(|(_, n)| n == "Ada Admin").unwrap().0;
    tasks::create(
        &s.app,
        &system,
        json!({"title": "Call Sofia Soft", "assignee_id": me, "due_at": "2026-03-26T10:00", "duration_minutes": 45}),
    )
    .await
    .unwrap();
    let week = browser.get("/calendar?view=week&date=2026-03-25").await;
    assert_eq!(week.status, StatusCode::OK);
    assert!(section(&week.body, "day-2026-03-23", "</li>\n  <li").contains("Holiday: Spring Day"));
    assert!(section(&week.body, "day-2026-03-25", "</li>\n  <li").contains("Absent"));
    let thursday = section(&week.body, "day-2026-03-26", "</li>\n  <li");
    assert!(
        thursday.contains("10:00–10:45") && thursday.contains("Call Sofia Soft") && thursday.contains("09:00–17:00"),
        "{thursday}"
    );
    assert!(section(&week.body, "day-2026-03-27", "</li>\n  <li").contains("Day off"), "Friday has no hours now");
    let month = browser.get("/calendar?view=month&date=2026-03-01").await;
    assert!(month.body.contains("March 2026") && month.body.contains("Call Sofia Soft"));
    let day = browser.get("/calendar?view=day&date=2026-03-26").await;
    assert!(day.body.contains("Call Sofia Soft") && !day.body.contains(r#"id="day-2026-03-25""#));

    let company = companies::create(&s.app, &system, json!({"name": "Sofia Soft"})).await.unwrap();
    tasks::create(&s.app, &system, json!({"title": "Visit Sofia Soft", "assignee_id": me, "company_id": company.id}))
        .await
        .unwrap();
    let card = browser.get(&format!("/companies/{}", company.id)).await;
    let panel = section(&card.body, "panel-tasks", "</section>");
    assert!(
        panel.contains("Visit Sofia Soft") && panel.contains(&format!("/tasks/new?company_id={}", company.id)),
        "{panel}"
    );
    let prefilled = browser.get(&format!("/tasks/new?company_id={}", company.id)).await;
    assert!(prefilled.body.contains("About Sofia Soft"));
});
