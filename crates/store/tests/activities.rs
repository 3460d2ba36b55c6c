//! Activities in storage, on SQLite and PostgreSQL: activities read back as written with
//! their records and participants, a card's timeline newest first with its kind, person
//! and thread filters and its cursor, kinds, threads, and a user's meetings.

#[macro_use]
mod support;

use rapport_core::activities::{ActivityDraft, ActivityFields, ActivityKind, KindKey};
use rapport_core::zone::Zone;
use rapport_store::Db;
use rapport_store::activities::{self, NewActivity, TimelineFilter};
use serde_json::json;
use support::{add_company, add_user, company_fields, now};
use time::macros::datetime;
use uuid::Uuid;

fn fields(body: serde_json::Value) -> ActivityFields {
    let draft: ActivityDraft = serde_json::from_value(body).expect("a well-formed activity draft");
    draft.parse(datetime!(2026-03-23 10:00 UTC), &Zone::utc()).expect("a valid activity")
}

async fn insert(db: &Db, activities: &[(Uuid, &ActivityFields, &[Uuid])], actor: Uuid) {
    let new: Vec<NewActivity> =
        activities.iter().map(|(id, fields, employers)| NewActivity { id: *id, fields, employers }).collect();
    let mut tx = db.begin().await.unwrap();
    activities::insert_many(&mut tx, &new, Some(actor), now()).await.unwrap();
    tx.commit().await.unwrap();
}

async fn walk(db: &Db, record: Uuid, filter: TimelineFilter) -> (Vec<Uuid>, bool) {
    let (found, more) = activities::timeline(&mut db.clone(), record, &filter).await.unwrap();
    (found.into_iter().map(|a| a.id).collect(), more)
}

db_test!(a_timeline_walks_newest_first_with_filters_and_cursor, |db: Db| async move {
    let ada = add_user(&db, "ada", "Ada").await;
    let company = add_company(&db, "C-000001", &company_fields(json!({"name": "Sofia Mills"})), Some(ada), now()).await;
    let elsewhere = add_company(&db, "C-000002", &company_fields(json!({"name": "Other"})), Some(ada), now()).await;
    let person = Uuid::now_v7();
    let thread = Uuid::now_v7();
    let mut tx = db.begin().await.unwrap();
    activities::insert_thread(&mut tx, thread, "Offer", Some(ada), now()).await.unwrap();
    tx.commit().await.unwrap();

    let mut all = Vec::new();
    for day in 1..=6u8 {
        let kind = if day % 2 == 0 { "meeting" } else { "call" };
        let mut body = json!({"kind": kind, "subject": format!("Day {day}"), "occurred_at": format!("2026-03-0{day}T10:00:00Z"),
                              "user_ids": [ada]});
        if day == 3 {
            body["thread_id"] = json!(thread);
        }
        all.push((Uuid::now_v7(), fields(body)));
    }
    // The person's own activity reaches the company as their employer.
    let about_person = fields(json!({"kind": "note", "subject": "Hers", "occurred_at": "2026-03-07T10:00:00Z"}));
    let other = fields(
        json!({"kind": "call", "subject": "Not here", "occurred_at": "2026-03-08T10:00:00Z", "company_id": elsewhere}),
    );
    let mut rows: Vec<(Uuid, ActivityFields, Vec<Uuid>)> =
        all.iter().map(|(id, f)| (*id, ActivityFields { company_id: Some(company), ..f.clone() }, vec![])).collect();
    let hers = Uuid::now_v7();
    rows.push((hers, ActivityFields { person_ids: vec![person], ..about_person }, vec![company]));
    rows.push((Uuid::now_v7(), other, vec![]));
    let refs: Vec<(Uuid, &ActivityFields, &[Uuid])> = rows.iter().map(|(id, f, e)| (*id, f, e.as_slice())).collect();
    insert(&db, &refs, ada).await;

    let stored = activities::get(&mut db.clone(), hers).await.unwrap().expect("stored");
    assert_eq!(stored.fields.person_ids, [person]);
    assert_eq!(stored.fields.company_id, None, "an employer link is not the activity's company");

    let ids = |days: &[usize]| days.iter().map(|d| all[d - 1].0).collect::<Vec<_>>();
    let (first, more) = walk(&db, company, TimelineFilter { limit: 3, ..Default::default() }).await;
    let mut expected = vec![hers];
    expected.extend(ids(&[6, 5]));
    assert_eq!((first.clone(), more), (expected, true));
    let last = activities::get(&mut db.clone(), first[2]).await.unwrap().unwrap();
    let after = Some((last.fields.occurred_at, last.id));
    let (rest, more) = walk(&db, company, TimelineFilter { limit: 10, after, ..Default::default() }).await;
    assert_eq!((rest, more), (ids(&[4, 3, 2, 1]), false));

    let meeting = Some(KindKey::parse("meeting").unwrap());
    assert_eq!(
        walk(&db, company, TimelineFilter { limit: 10, kind: meeting, ..Default::default() }).await.0,
        ids(&[6, 4, 2])
    );
    assert_eq!(
        walk(&db, company, TimelineFilter { limit: 10, person_id: Some(person), ..Default::default() }).await.0,
        [hers]
    );
    assert_eq!(
        walk(&db, company, TimelineFilter { limit: 10, thread_id: Some(thread), ..Default::default() }).await.0,
        ids(&[3])
    );
    assert_eq!(walk(&db, person, TimelineFilter { limit: 10, ..Default::default() }).await.0, [hers]);

    let mut tx = db.begin().await.unwrap();
    activities::set_archived(&mut tx, hers, true, Some(ada), now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        walk(&db, company, TimelineFilter { limit: 1, ..Default::default() }).await.0,
        ids(&[6]),
        "archived ones leave"
    );

    let threads = activities::threads_of_record(&mut db.clone(), company, 10).await.unwrap();
    assert_eq!(threads.iter().map(|t| t.subject.as_str()).collect::<Vec<_>>(), ["Offer"]);
    let meetings =
        activities::meetings(&mut db.clone(), ada, datetime!(2026-03-04 10:30 UTC), datetime!(2026-03-07 00:00 UTC))
            .await
            .unwrap();
    assert_eq!(meetings.iter().map(|a| a.id).collect::<Vec<_>>(), ids(&[4, 6]), "a meeting still going counts");
});

db_test!(kinds_are_built_in_and_added, |db: Db| async move {
    let ada = add_user(&db, "ada", "Ada").await;
    let kinds = activities::kinds(&mut db.clone()).await.unwrap();
    let keys: Vec<&str> = kinds.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(keys, ["call", "meeting", "email", "letter", "fax", "visit", "note"]);
    assert!(kinds.iter().all(|k| k.builtin));
    let visit = ActivityKind { key: KindKey::parse("site_visit").unwrap(), name: "Site visit".into(), builtin: false };
    let mut tx = db.begin().await.unwrap();
    activities::insert_kind(&mut tx, &visit, Some(ada), now()).await.unwrap();
    tx.commit().await.unwrap();
    let kinds = activities::kinds(&mut db.clone()).await.unwrap();
    assert_eq!(kinds.last(), Some(&visit));
});
