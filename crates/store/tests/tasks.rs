//! Tasks and calendars in storage, on SQLite and PostgreSQL: tasks read back as written
//! (wall-clock times, zones, rules, watchers), list pages by due time with undated tasks
//! last, visibility travels in the SQL, busy time and reminders come from one range each,
//! and working time, feed secrets, absences and holidays are kept.

#[macro_use]
mod support;

use std::collections::BTreeMap;

use rapport_core::tasks::{TaskDraft, TaskFields, TaskStatus};
use rapport_core::zone::Zone;
use rapport_store::access::Visibility;
use rapport_store::calendar::{self, Absence, Holiday};
use rapport_store::listing::{Page, SortValue};
use rapport_store::tasks::{self, NewTask, TaskFilter, TaskVisibility};
use rapport_store::{Db, StoreError};
use serde_json::json;
use support::{add_company, add_user, company_fields, now};
use time::macros::{date, datetime};
use uuid::Uuid;

fn fields(assignee: Uuid, body: serde_json::Value) -> TaskFields {
    let mut draft: TaskDraft = serde_json::from_value(body).expect("a well-formed task draft");
    draft.assignee_id = Some(assignee);
    draft.parse(&Zone::parse("Europe/Sofia").unwrap()).expect("a valid task")
}

async fn insert(db: &Db, tasks: &[(Uuid, &TaskFields)], actor: Uuid) {
    let new: Vec<NewTask> =
        tasks.iter().map(|(id, fields)| NewTask { id: *id, fields, series_id: None, occurrence: 1 }).collect();
    let mut tx = db.begin().await.unwrap();
    tasks::insert_many(&mut tx, &new, Some(actor), now()).await.unwrap();
    tx.commit().await.unwrap();
}

async fn seen(db: &Db, visibility: TaskVisibility) -> Vec<Uuid> {
    let filter = TaskFilter { visibility, ..Default::default() };
    let page = Page { limit: 50, column: "due_key", descending: false, after: None };
    tasks::list(&mut db.clone(), &filter, &page).await.unwrap().0.into_iter().map(|t| t.id).collect()
}

fn all() -> TaskVisibility {
    TaskVisibility { all: true, ..Default::default() }
}

db_test!(tasks_read_back_as_written_and_page_by_due_time, |db: Db| async move {
    let ada = add_user(&db, "ada", "Ada").await;
    let bob = add_user(&db, "bob", "Bob").await;
    let weekly = fields(
        ada,
        json!({"title": "Weekly call", "due_at": "2026-03-23T09:00", "time_zone": "Europe/Warsaw",
                                     "remind_before_minutes": 15, "recurrence": "FREQ=WEEKLY;BYDAY=MO;COUNT=5",
                                     "watchers": [bob], "priority": "high", "duration_minutes": 45}),
    );
    let day = fields(ada, json!({"title": "Send the offer", "due_date": "2026-03-20"}));
    let undated = fields(ada, json!({"title": "Someday"}));
    let late = fields(bob, json!({"title": "Bob's", "due_at": "2026-03-25T10:00"}));
    let ids: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
    insert(&db, &[(ids[0], &weekly), (ids[1], &day), (ids[2], &undated), (ids[3], &late)], ada).await;

    let stored = tasks::get(&mut db.clone(), ids[0]).await.unwrap().expect("the task");
    assert_eq!(stored.fields, weekly, "zone, wall-clock time, rule, priority and watchers come back");
    assert_eq!(stored.fields.remind_at(), Some(datetime!(2026-03-23 07:45 UTC)));

    let filter = TaskFilter { visibility: all(), assignees: Some(vec![ada]), ..Default::default() };
    let page = Page { limit: 2, column: "due_key", descending: false, after: None };
    let (first, more) = tasks::list(&mut db.clone(), &filter, &page).await.unwrap();
    assert_eq!(first.iter().map(|t| t.id).collect::<Vec<_>>(), [ids[1], ids[0]], "by due time");
    assert!(more);
    let last = &first[1];
    let after = Page { after: Some((SortValue::Time(tasks::due_key(last)), last.id)), ..page };
    let (rest, more) = tasks::list(&mut db.clone(), &filter, &after).await.unwrap();
    assert_eq!((rest.iter().map(|t| t.id).collect::<Vec<_>>(), more), (vec![ids[2]], false), "undated last");

    let week = TaskFilter {
        visibility: all(),
        due_from: Some(datetime!(2026-03-23 00:00 UTC)),
        due_before: Some(datetime!(2026-03-30 00:00 UTC)),
        statuses: vec![TaskStatus::Open],
        ..Default::default()
    };
    let page = Page { limit: 50, column: "due_key", descending: false, after: None };
    let (found, _) = tasks::list(&mut db.clone(), &week, &page).await.unwrap();
    assert_eq!(found.iter().map(|t| t.id).collect::<Vec<_>>(), [ids[0], ids[3]]);
    let watched = TaskFilter { visibility: all(), watcher: Some(bob), ..Default::default() };
    assert_eq!(tasks::list(&mut db.clone(), &watched, &page).await.unwrap().0.len(), 1);

    // A change is saved against the version it was read at; the watchers are replaced.
    let mut done = stored.fields.clone();
    done.status = TaskStatus::Done;
    done.watchers = vec![];
    let mut tx = db.begin().await.unwrap();
    assert!(tasks::update(&mut tx, &stored, &done, Some(ada), now()).await.unwrap());
    assert!(!tasks::update(&mut tx, &stored, &done, Some(ada), now()).await.unwrap(), "a stale version");
    tx.commit().await.unwrap();
    let saved = tasks::get(&mut db.clone(), ids[0]).await.unwrap().unwrap();
    assert_eq!((saved.version, saved.fields.watchers.len()), (2, 0));
    assert!(saved.completed_at.is_some());
    assert!(!tasks::occurrence_exists(&mut db.clone(), ids[0], 2).await.unwrap());
});

db_test!(visibility_busy_time_and_reminders_come_from_the_sql, |db: Db| async move {
    let ada = add_user(&db, "ada", "Ada").await;
    let bob = add_user(&db, "bob", "Bob").await;
    let eve = add_user(&db, "eve", "Eve").await;
    let client = company_fields(json!({"name": "Bob's client", "owner_id": bob}));
    let bobs_company = add_company(&db, "C-1", &client, Some(bob), now()).await;
    let on_company = fields(
        bob,
        json!({"title": "About the client", "due_at": "2026-03-23T10:00",
                                         "company_id": bobs_company, "remind_before_minutes": 30}),
    );
    let watched = fields(
        bob,
        json!({"title": "Watched by Eve", "due_at": "2026-03-23T11:00", "watchers": [eve],
                                      "duration_minutes": 60, "remind_before_minutes": 0}),
    );
    let private = fields(bob, json!({"title": "Bob alone", "due_at": "2026-03-23T12:00", "status": "done"}));
    let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
    insert(&db, &[(ids[0], &on_company), (ids[1], &watched), (ids[2], &private)], bob).await;
    let owners_only = |user: Uuid| Visibility { owners: Some(vec![user]), ..Default::default() };
    let as_eve = TaskVisibility { user_id: Some(eve), companies: Some(owners_only(eve)), ..Default::default() };
    assert_eq!(seen(&db, as_eve).await, [ids[1]], "Eve watches one task and may not see Bob's company");
    let reads_bobs = TaskVisibility { user_id: Some(ada), companies: Some(owners_only(bob)), ..Default::default() };
    assert_eq!(seen(&db, reads_bobs).await, [ids[0]], "a task about a company one may see");
    let team = TaskVisibility { user_id: Some(ada), assignees: vec![bob], ..Default::default() };
    assert_eq!(seen(&db, team).await, ids, "a manager sees the team's tasks");

    let busy = tasks::busy(&mut db.clone(), bob, datetime!(2026-03-23 00:00 UTC), datetime!(2026-03-24 00:00 UTC))
        .await
        .unwrap();
    let spans: Vec<_> = busy.iter().map(|b| (b.start, b.end)).collect();
    assert_eq!(
        spans,
        [
            (datetime!(2026-03-23 08:00 UTC), datetime!(2026-03-23 08:30 UTC)),
            (datetime!(2026-03-23 09:00 UTC), datetime!(2026-03-23 10:00 UTC)),
        ],
        "open timed tasks take their time; a done one takes none"
    );

    let due = tasks::reminders_due(&mut db.clone(), None, datetime!(2026-03-23 08:59 UTC), 10).await.unwrap();
    assert_eq!(due.iter().map(|t| t.id).collect::<Vec<_>>(), [ids[0]], "07:30 is due, 09:00 is not yet");
    let after = Some((datetime!(2026-03-23 07:30 UTC), ids[0]));
    let next = tasks::reminders_due(&mut db.clone(), after, datetime!(2026-03-23 12:00 UTC), 10).await.unwrap();
    assert_eq!(next.iter().map(|t| t.id).collect::<Vec<_>>(), [ids[1]]);

    let referrers = rapport_store::companies::referrers(&mut db.clone(), bobs_company).await.unwrap();
    assert_eq!(referrers.iter().map(|r| (r.kind, r.id)).collect::<Vec<_>>(), [("task", ids[0])]);
    let _ = ada;
});

db_test!(working_time_feeds_absences_and_holidays_are_kept, |db: Db| async move {
    let ada = add_user(&db, "ada", "Ada").await;
    let hours: BTreeMap<String, Vec<String>> = [("mon".to_string(), vec!["08:00-16:00".to_string()])].into();
    assert!(calendar::settings(&mut db.clone(), ada).await.unwrap().is_none(), "no row until saved");
    let mut tx = db.begin().await.unwrap();
    assert!(calendar::save_settings(&mut tx, ada, "Europe/Sofia", &hours, 0, Some(ada), now()).await.unwrap());
    assert!(!calendar::save_settings(&mut tx, ada, "Europe/Sofia", &hours, 0, Some(ada), now()).await.unwrap());
    assert!(calendar::save_settings(&mut tx, ada, "Asia/Shanghai", &hours, 1, Some(ada), now()).await.unwrap());
    calendar::set_feed_token(&mut tx, ada, Some("secret-1"), ("UTC", &BTreeMap::new()), now()).await.unwrap();
    tx.commit().await.unwrap();
    let saved = calendar::settings(&mut db.clone(), ada).await.unwrap().unwrap();
    assert_eq!((saved.time_zone.as_str(), saved.version, saved.working_hours.0), ("Asia/Shanghai", 2, hours));
    assert_eq!(calendar::feed_owner(&mut db.clone(), "secret-1").await.unwrap(), Some(ada));
    let mut tx = db.begin().await.unwrap();
    calendar::set_feed_token(&mut tx, ada, Some("secret-2"), ("UTC", &BTreeMap::new()), now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(calendar::feed_owner(&mut db.clone(), "secret-1").await.unwrap(), None, "the old secret is gone");
    assert_eq!(calendar::settings(&mut db.clone(), ada).await.unwrap().unwrap().time_zone, "Asia/Shanghai");

    let absence = |from, to| Absence {
        id: Uuid::now_v7(),
        user_id: ada,
        starts_on: from,
        ends_on: to,
        note: Some("Holiday trip".into()),
        created_at: now(),
        created_by: Some(ada),
    };
    let (old, new) =
        (absence(date!(2026 - 01 - 05), date!(2026 - 01 - 09)), absence(date!(2026 - 04 - 01), date!(2026 - 04 - 03)));
    let mut tx = db.begin().await.unwrap();
    calendar::insert_absence(&mut tx, &new).await.unwrap();
    calendar::insert_absence(&mut tx, &old).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(calendar::absences(&mut db.clone(), ada, None).await.unwrap(), [old.clone(), new.clone()]);
    assert_eq!(
        calendar::absences(&mut db.clone(), ada, Some(date!(2026 - 03 - 01))).await.unwrap(),
        std::slice::from_ref(&new)
    );
    let mut tx = db.begin().await.unwrap();
    assert!(calendar::delete_absence(&mut tx, ada, old.id).await.unwrap());
    assert!(!calendar::delete_absence(&mut tx, Uuid::now_v7(), new.id).await.unwrap(), "only the user's own");
    tx.commit().await.unwrap();

    let holiday = |day, name: &str| Holiday {
        id: Uuid::now_v7(),
        day,
        name: name.into(),
        created_at: now(),
        created_by: Some(ada),
    };
    let easter = holiday(date!(2026 - 04 - 13), "Easter Monday");
    let mut tx = db.begin().await.unwrap();
    calendar::insert_holiday(&mut tx, &easter).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.begin().await.unwrap();
    let twice = calendar::insert_holiday(&mut tx, &holiday(date!(2026 - 04 - 13), "Again")).await;
    assert!(matches!(twice, Err(StoreError::Unique(_))), "one holiday a day: {twice:?}");
    drop(tx);
    let found =
        calendar::holidays(&mut db.clone(), Some(date!(2026 - 04 - 01)), Some(date!(2026 - 04 - 30))).await.unwrap();
    assert_eq!(found, std::slice::from_ref(&easter));
    let mut tx = db.begin().await.unwrap();
    assert_eq!(calendar::delete_holiday(&mut tx, easter.id).await.unwrap(), Some(easter));
    tx.commit().await.unwrap();
});
