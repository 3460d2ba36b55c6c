//! Notifications on both engines: due reminders reach their assignee exactly once, even
//! with two server processes delivering at once; a recurring task's next occurrence has a
//! reminder of its own; assignments and mentions reach the right people; each user's
//! choices are respected.

use std::collections::HashMap;

use rapport_app::notifications::{self, reminders};
use rapport_app::users::{self, UserDraft};
use rapport_app::{Actor, App, DbOptions, Settings, activities, companies, tasks};
use rapport_testkit::{Engine, TestDatabase};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::format_description;
use uuid::Uuid;

async fn open(database: &TestDatabase) -> App {
    App::open(&database.url, &DbOptions { max_connections: 4, ..DbOptions::default() }, Settings::default())
        .await
        .expect("the database opens")
}

async fn user(app: &App, login: &str, role: &str) -> (Uuid, Actor) {
    let draft = UserDraft {
        login: Some(login.into()),
        name: Some(format!("{login} name")),
        email: Some(format!("{login}@example.com")),
        password: Some("correct horse battery staple".into()),
        role: Some(role.into()),
        ..Default::default()
    };
    let created = users::create(app, &Actor::system(), draft).await.expect("the user is created");
    let actor = Actor::load(app, &created.user.user).await.expect("the actor loads");
    (created.user.user.id, actor)
}

/// A wall-clock time `minutes` from now, in UTC, as tasks take it.
fn in_minutes(minutes: i64) -> String {
    let at = OffsetDateTime::now_utc() + time::Duration::minutes(minutes);
    at.format(format_description!("[year]-[month]-[day]T[hour]:[minute]:00")).unwrap()
}

/// Reminder notifications per task (by the task's page), as stored.
async fn reminders_per_task(app: &App) -> HashMap<String, usize> {
    let rows: Vec<(String,)> =
        app.db.fetch_raw("SELECT link FROM notifications WHERE kind = 'reminder'").await.expect("notifications");
    let mut counts = HashMap::new();
    for (link,) in rows {
        *counts.entry(link).or_default() += 1;
    }
    counts
}

async fn kinds_of(app: &App, actor: &Actor) -> Vec<(String, String)> {
    let page = notifications::page(app, actor, false, None, 500).await.expect("the notifications");
    page.items.into_iter().map(|n| (n.kind, n.message)).collect()
}

/// 120 due reminders, two processes delivering them four times at once: each reminder is
/// delivered exactly once, and a second round finds nothing left.
async fn exactly_once(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let first = open(&database).await;
    let second = open(&database).await;
    let (ana, ana_actor) = user(&first, "ana", "sales").await;
    let drafts: Vec<Value> = (0..120)
        .map(|n| {
            json!({"title": format!("Call {n}"), "assignee_id": ana, "due_at": in_minutes(10),
                   "time_zone": "UTC", "remind_before_minutes": 30})
        })
        .collect();
    let ids = tasks::create_many(&first, &Actor::system(), drafts).await.expect("the tasks are created");
    let not_yet = json!({"title": "Later", "assignee_id": ana, "due_at": in_minutes(600), "time_zone": "UTC",
                         "remind_before_minutes": 30});
    tasks::create(&first, &Actor::system(), not_yet).await.expect("a task with a later reminder");

    let runs: Vec<_> = (0..8)
        .map(|i| {
            let app = if i % 2 == 0 { first.clone() } else { second.clone() };
            tokio::spawn(async move { reminders::deliver_due(&app).await.expect("reminders are delivered") })
        })
        .collect();
    let mut delivered = 0;
    for run in runs {
        delivered += run.await.unwrap();
    }
    assert_eq!(delivered, 120, "every due reminder is delivered, and only those");
    let counts = reminders_per_task(&first).await;
    assert_eq!(counts.len(), 120);
    for id in &ids {
        assert_eq!(counts.get(&format!("/tasks/{id}")), Some(&1), "task {id} is reminded exactly once");
    }
    assert_eq!(reminders::deliver_due(&second).await.unwrap(), 0, "nothing is delivered twice");

    let page = notifications::page(&first, &ana_actor, true, None, 50).await.unwrap();
    assert_eq!(page.unread_count, 100, "the count stops at 100 (the bell shows 99+)");
    assert_eq!(page.items.len(), 50);
    let rest = notifications::page(&first, &ana_actor, true, page.next_cursor.as_deref(), 500).await.unwrap();
    assert_eq!(rest.items.len(), 71, "the pages hold 120 reminders and the assignment of the later task");
    assert!(rest.next_cursor.is_none());
    assert_eq!(notifications::mark_all_read(&first, &ana_actor).await.unwrap(), 121);
    assert_eq!(notifications::unread_count(&first, ana).await.unwrap(), 0);
    first.db.close().await;
    second.db.close().await;
}

#[tokio::test]
async fn due_reminders_are_delivered_exactly_once_on_sqlite() {
    exactly_once(Engine::Sqlite).await;
}

#[tokio::test]
async fn due_reminders_are_delivered_exactly_once_on_postgres() {
    exactly_once(Engine::Postgres).await;
}

/// An edit that keeps the reminder where it was does not send it again; moving the task
/// does. A reminder a day late is dropped; completing a recurring task makes the next
/// occurrence, reminded in its turn.
async fn edits_and_recurrence(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let app = open(&database).await;
    let (ana, ana_actor) = user(&app, "ana", "sales").await;
    let body = json!({"title": "Call Mira", "due_at": in_minutes(10), "time_zone": "UTC", "remind_before_minutes": 30});
    let task = tasks::create(&app, &ana_actor, body).await.expect("a task");
    assert_eq!(task.fields.assignee_id, Some(ana));
    assert_eq!(reminders::deliver_due(&app).await.unwrap(), 1);
    tasks::update(&app, &ana_actor, task.id, json!({"title": "Call Mira back"}), None).await.unwrap();
    assert_eq!(reminders::deliver_due(&app).await.unwrap(), 0, "a new title is no new reminder");
    tasks::update(&app, &ana_actor, task.id, json!({"due_at": in_minutes(20)}), None).await.unwrap();
    assert_eq!(reminders::deliver_due(&app).await.unwrap(), 1, "a task moved is reminded at its new time");

    let body = json!({"title": "Daily report", "due_at": in_minutes(10 - 24 * 60), "time_zone": "UTC",
                      "remind_before_minutes": 30, "recurrence": "FREQ=DAILY"});
    let daily = tasks::create(&app, &ana_actor, body).await.expect("a recurring task");
    assert_eq!(reminders::deliver_due(&app).await.unwrap(), 0, "yesterday's reminder is not sent today");
    let done = tasks::update(&app, &ana_actor, daily.id, json!({"status": "done"}), None).await.unwrap();
    let next = done.next.expect("the next occurrence is made");
    assert_eq!(reminders::deliver_due(&app).await.unwrap(), 1, "the next occurrence is reminded");
    let counts = reminders_per_task(&app).await;
    assert_eq!(counts.get(&format!("/tasks/{}", next.id)), Some(&1));
    assert_eq!(counts.get(&format!("/tasks/{}", daily.id)), None);
    assert_eq!(counts.get(&format!("/tasks/{}", task.id)), Some(&2));
    app.db.close().await;
}

#[tokio::test]
async fn edits_and_recurrence_remind_as_they_should_on_sqlite() {
    edits_and_recurrence(Engine::Sqlite).await;
}

#[tokio::test]
async fn edits_and_recurrence_remind_as_they_should_on_postgres() {
    edits_and_recurrence(Engine::Postgres).await;
}

/// A task given to someone else tells them; one made for oneself does not. A mention tells
/// the mentioned user only when they may see the task. Choices switch kinds off.
async fn assignments_mentions_and_choices(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let app = open(&database).await;
    let (_, ana_actor) = user(&app, "ana", "sales").await;
    let (_, bob_actor) = user(&app, "bob", "sales").await;
    let (cleo, cleo_actor) = user(&app, "cleo", "sales").await;

    let body = json!({"title": "Quote for Łódź Textiles", "assignee_id": cleo,
                      "description": "@bob and @cleo: see the note from @ana. Not ana@example.com."});
    let task = tasks::create(&app, &ana_actor, body).await.expect("the task is created");
    let cleo_heard = kinds_of(&app, &cleo_actor).await;
    assert!(cleo_heard.contains(&("assignment".into(), "ana name gave you the task Quote for Łódź Textiles".into())));
    assert!(cleo_heard.iter().any(|(kind, _)| kind == "mention"), "cleo may see the task given to her");
    assert!(kinds_of(&app, &bob_actor).await.is_empty(), "bob may not see the task: no mention reaches him");
    assert!(kinds_of(&app, &ana_actor).await.is_empty(), "no one is told of what they did themselves");

    // Bob watches the task now, so a new mention of him reaches him; Cleo's is not repeated.
    let patch = json!({"watchers": [bob_actor.user_id], "description": "@bob and @cleo: see the note. @bob?"});
    tasks::update(&app, &ana_actor, task.id, patch, None).await.unwrap();
    assert!(kinds_of(&app, &bob_actor).await.is_empty(), "an old mention is not news");
    let patch = json!({"description": "@cleo, @bob: done?"});
    tasks::update(&app, &ana_actor, task.id, patch, None).await.unwrap();
    assert!(kinds_of(&app, &bob_actor).await.is_empty(), "reordering mentions is no new mention");

    let off = json!({"assignment": {"in_app": false, "email": false}});
    let chosen = notifications::set_preferences(&app, &bob_actor, off).await.unwrap();
    assert!(chosen.iter().any(|c| c.event == notifications::Event::Assignment && !c.in_app && !c.email));
    tasks::update(&app, &ana_actor, task.id, json!({"assignee_id": bob_actor.user_id}), None).await.unwrap();
    assert!(kinds_of(&app, &bob_actor).await.is_empty(), "bob switched assignments off");

    let wrong = json!({"reminder": {"in_app": "yes"}, "birthday": {"in_app": true, "email": true}});
    let error = notifications::set_preferences(&app, &bob_actor, wrong).await.unwrap_err();
    assert!(matches!(error, rapport_app::AppError::Invalid(ref i) if i.errors.len() == 2), "{error:?}");
    app.db.close().await;
}

#[tokio::test]
async fn assignments_and_mentions_reach_the_right_people_on_sqlite() {
    assignments_mentions_and_choices(Engine::Sqlite).await;
}

#[tokio::test]
async fn assignments_and_mentions_reach_the_right_people_on_postgres() {
    assignments_mentions_and_choices(Engine::Postgres).await;
}

/// A mention in an activity's body tells the mentioned users who may see the activity (a
/// participant, an administrator), not one who may not see the company it is about; an
/// edit that adds no mention tells no one again.
async fn activity_mentions(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let app = open(&database).await;
    let (_, ana_actor) = user(&app, "ana", "sales").await;
    let (_, bob_actor) = user(&app, "bob", "sales").await;
    let (cleo, cleo_actor) = user(&app, "cleo", "sales").await;
    let (_, dan_actor) = user(&app, "dan", "admin").await;
    let company =
        companies::create(&app, &ana_actor, json!({"name": "Wisła Logistics", "owner_id": ana_actor.user_id}))
            .await
            .expect("the company is created");

    let body = json!({"kind": "call", "subject": "Renewal call", "company_id": company.id, "user_ids": [cleo],
                      "body": "@cleo @dan @bob: they want the **renewal** by Friday. @ana noted it."});
    let activity = activities::create(&app, &ana_actor, body).await.expect("the call is logged");
    let heard = |kinds: Vec<(String, String)>| kinds.iter().filter(|(kind, _)| kind == "mention").count();
    assert_eq!(heard(kinds_of(&app, &cleo_actor).await), 1, "cleo took part in the call");
    assert_eq!(heard(kinds_of(&app, &dan_actor).await), 1, "an administrator sees every call");
    assert_eq!(heard(kinds_of(&app, &bob_actor).await), 0, "bob may not see ana's company, nor the call");
    assert_eq!(heard(kinds_of(&app, &ana_actor).await), 0, "no one is told of their own mention");

    let patch = json!({"body": "@dan @cleo: they want the renewal by Monday."});
    activities::update(&app, &ana_actor, activity.id, patch, None).await.expect("the call is edited");
    assert_eq!(heard(kinds_of(&app, &dan_actor).await), 1, "an old mention is not news");
    let link = notifications::page(&app, &dan_actor, false, None, 10).await.unwrap().items[0].link.clone();
    assert_eq!(link.as_deref(), Some(format!("/activities/{}", activity.id).as_str()), "the notice opens the call");
    app.db.close().await;
}

#[tokio::test]
async fn mentions_in_activities_reach_who_may_see_them_on_sqlite() {
    activity_mentions(Engine::Sqlite).await;
}

#[tokio::test]
async fn mentions_in_activities_reach_who_may_see_them_on_postgres() {
    activity_mentions(Engine::Postgres).await;
}
