//! Distribution lists in storage, on SQLite and PostgreSQL: members are added once, paged
//! in the list's order, found by record, and a deleted company leaves every list.

#[macro_use]
mod support;

use support::{add_company, add_user, company_fields, now};

use rapport_store::Db;
use rapport_store::companies::{self, Archived, Filter};
use rapport_store::filters::Seen;
use rapport_store::listing::Page;
use rapport_store::lists::{self, List, Within};
use serde_json::json;
use uuid::Uuid;

fn a_list(owner: Uuid, name: &str) -> List {
    let at = now();
    List {
        id: Uuid::now_v7(),
        name: name.into(),
        description: None,
        kind: "static".into(),
        collection: "companies".into(),
        filter_id: None,
        owner_id: owner,
        shared_with_team_id: None,
        version: 1,
        created_at: at,
        created_by: Some(owner),
        updated_at: at,
        updated_by: Some(owner),
    }
}

db_test!(members_are_added_once_paged_by_name_and_leave_with_a_deleted_company, |db: Db| async move {
    let owner = add_user(&db, "ada", "Ada").await;
    let mut ids = Vec::new();
    for (code, name) in [("C-1", "Cedar"), ("C-2", "Amber"), ("C-3", "Birch")] {
        ids.push(add_company(&db, code, &company_fields(json!({"name": name})), None, now()).await);
    }
    let list = a_list(owner, "Cards");
    let mut tx = db.begin().await.unwrap();
    lists::insert(&mut tx, &list).await.unwrap();
    assert_eq!(lists::add_members(&mut tx, list.id, &ids[..2], Some(owner), now()).await.unwrap(), 2);
    assert_eq!(lists::add_members(&mut tx, list.id, &ids, Some(owner), now()).await.unwrap(), 1, "only Birch is new");
    tx.commit().await.unwrap();

    let within = Within::Members(list.id);
    let filter = Filter {
        common: rapport_store::records::CommonFilter {
            archived: Archived::Include,
            within: Some(within),
            ..Default::default()
        },
        ..Default::default()
    };
    let page = Page { limit: 2, column: "name", descending: false, after: None };
    let (first, more) = companies::list(&mut db.clone(), &filter, &page).await.unwrap();
    let names: Vec<_> = first.iter().map(|c| c.fields.name.as_str()).collect();
    assert_eq!((names, more), (vec!["Amber", "Birch"], true));

    let seen = Seen { owner_id: Some(owner), ..Default::default() };
    let holding = lists::candidates(&mut db.clone(), &seen, "companies", ids[0]).await.unwrap();
    assert_eq!(holding.iter().map(|l| l.id).collect::<Vec<_>>(), [list.id]);
    let stranger = Seen { owner_id: Some(Uuid::now_v7()), ..Default::default() };
    assert!(lists::candidates(&mut db.clone(), &stranger, "companies", ids[0]).await.unwrap().is_empty());

    let mut tx = db.begin().await.unwrap();
    companies::delete(&mut tx, ids[0]).await.expect("a member can be deleted");
    tx.commit().await.unwrap();
    let left = companies::matching_ids(&mut db.clone(), &filter).await.unwrap();
    assert_eq!(left.len(), 2, "Cedar left the list with its delete");
    assert!(lists::candidates(&mut db.clone(), &seen, "companies", ids[0]).await.unwrap().is_empty());

    let mut tx = db.begin().await.unwrap();
    assert!(lists::remove_member(&mut tx, list.id, ids[1]).await.unwrap());
    assert!(!lists::remove_member(&mut tx, list.id, ids[1]).await.unwrap(), "already gone");
    lists::delete(&mut tx, list.id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(lists::get(&mut db.clone(), list.id).await.unwrap().is_none());
});
