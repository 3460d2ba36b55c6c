//! Duplicate keys and merges in storage, on SQLite and PostgreSQL: keys follow every
//! write of a record, candidates come from index lookups, a merge moves what referred to
//! the merged record and remembers where it went; and every column that can refer to a
//! company or a person is known to the merge.

#[macro_use]
mod support;

use support::{add_company, add_user, company_fields, now};

use rapport_core::custom_fields::RecordKind;
use rapport_core::duplicates::Profile;
use rapport_store::merges::{self, REFERENCES};
use rapport_store::sea_query::{Expr, ExprTrait, Query};
use rapport_store::{Db, Exec, companies, duplicates, lists};
use serde_json::json;
use uuid::Uuid;

async fn candidates_of(db: &Db, draft: serde_json::Value) -> Vec<Uuid> {
    let fields = company_fields(draft);
    duplicates::candidates(&mut db.clone(), RecordKind::Company, &Profile::company(&fields, None), &[]).await.unwrap()
}

db_test!(keys_follow_creates_updates_and_deletes, |db: Db| async move {
    let fields = company_fields(json!({"name": "Петров Трейд ООД", "tax_id": "BG 123456789",
        "contact_methods": [{"kind": "email", "value": "office@petrov.example"}]}));
    let id = add_company(&db, "C-000001", &fields, None, now()).await;
    assert_eq!(candidates_of(&db, json!({"name": "Petrov Treyd Ltd"})).await, [id], "by the folded name");
    assert_eq!(candidates_of(&db, json!({"name": "X", "tax_id": "bg123456789"})).await, [id], "by the tax number");
    assert_eq!(
        candidates_of(
            &db,
            json!({"name": "Y", "contact_methods": [{"kind": "email", "value": "OFFICE@petrov.example"}]})
        )
        .await,
        [id]
    );
    assert!(candidates_of(&db, json!({"name": "Vitosha Build"})).await.is_empty());

    let renamed = company_fields(json!({"name": "Vitosha Build"}));
    let mut tx = db.begin().await.unwrap();
    assert!(companies::update(&mut tx, id, 1, &fields, &renamed, None, now()).await.unwrap());
    tx.commit().await.unwrap();
    assert!(candidates_of(&db, json!({"name": "Petrov Treyd"})).await.is_empty(), "old keys are gone");
    assert_eq!(candidates_of(&db, json!({"name": "Vitosha Bild"})).await, [id], "a typo still meets a key");

    let mut tx = db.begin().await.unwrap();
    companies::delete(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(candidates_of(&db, json!({"name": "Vitosha Build"})).await.is_empty());
});

db_test!(a_rebuild_finds_records_written_before_the_keys, |db: Db| async move {
    let id = add_company(&db, "C-000001", &company_fields(json!({"name": "Acme Widgets"})), None, now()).await;
    db.execute_raw("DELETE FROM duplicate_keys").await.unwrap();
    assert!(candidates_of(&db, json!({"name": "Acme Widgets"})).await.is_empty());
    assert!(duplicates::needs_rebuild(&mut db.clone()).await.unwrap());
    assert_eq!(duplicates::rebuild(&db).await.unwrap(), 1);
    assert!(!duplicates::needs_rebuild(&mut db.clone()).await.unwrap());
    assert_eq!(candidates_of(&db, json!({"name": "ACME widgets"})).await, [id]);
});

db_test!(blocks_are_read_in_key_order_without_splitting_one, |db: Db| async move {
    for (code, name) in [("C-1", "Acme Widgets"), ("C-2", "Acme Widgetz"), ("C-3", "Birch Tools")] {
        add_company(&db, code, &company_fields(json!({"name": name})), None, now()).await;
    }
    let mut after: Option<String> = None;
    let mut shared = 0;
    loop {
        let blocks = duplicates::blocks(&mut db.clone(), RecordKind::Company, after.as_deref(), 3).await.unwrap();
        let Some(last) = blocks.last() else { break };
        after = Some(last.key.clone());
        shared += blocks.iter().filter(|b| b.records.len() == 2).count();
    }
    assert!(shared >= 1, "the two Acme companies share a key");
});

db_test!(a_merge_moves_lists_and_employees_and_remembers_the_survivor, |db: Db| async move {
    let owner = add_user(&db, "ada", "Ada").await;
    let survivor = add_company(&db, "C-1", &company_fields(json!({"name": "Acme"})), None, now()).await;
    let merged = add_company(&db, "C-2", &company_fields(json!({"name": "ACME Ltd"})), None, now()).await;
    let child =
        add_company(&db, "C-3", &company_fields(json!({"name": "Acme North", "parent_id": merged})), None, now()).await;
    let at = now();
    let list = lists::List {
        id: Uuid::now_v7(),
        name: "Fair".into(),
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
    };
    let mut tx = db.begin().await.unwrap();
    lists::insert(&mut tx, &list).await.unwrap();
    lists::add_members(&mut tx, list.id, &[survivor, merged], Some(owner), at).await.unwrap();
    merges::absorb(&mut tx, RecordKind::Company, survivor, merged, Some(owner), at).await.unwrap();
    tx.commit().await.unwrap();

    let mut db2 = db.clone();
    assert!(companies::get(&mut db2, merged).await.unwrap().is_none());
    assert_eq!(merges::survivor_of(&mut db2, RecordKind::Company, merged).await.unwrap(), Some(survivor));
    assert_eq!(merges::survivor_of(&mut db2, RecordKind::Person, merged).await.unwrap(), None);
    let moved = companies::get(&mut db2, child).await.unwrap().unwrap();
    assert_eq!(moved.fields.parent_id, Some(survivor));
    let members: Vec<(Uuid,)> = db2
        .fetch_all(Query::select().column("record_id").from("list_members").and_where(Expr::col("list_id").eq(list.id)))
        .await
        .unwrap();
    assert_eq!(members, [(survivor,)], "one membership, on the survivor");
    let candidates = candidates_of(&db, json!({"name": "ACME Ltd"})).await;
    assert!(!candidates.contains(&merged), "the merged record's keys are gone");
});

/// Every column that may hold a company's or a person's id: named like one, or a foreign
/// key to `companies` or `people`.
async fn referring_columns(db: &Db) -> Vec<(String, String)> {
    let tables = "SELECT name FROM sqlite_master WHERE type = 'table' \
                  AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'";
    let named: Vec<(String, String)> = db
        .fetch_raw(&format!(
            "SELECT t.name, c.name FROM ({tables}) AS t, pragma_table_info(t.name) AS c \
             WHERE c.name IN ('record_id', 'company_id', 'person_id', 'survivor_id', 'customer_id', 'contact_id') \
                OR (t.name IN ('companies', 'people') AND c.name = 'parent_id')"
        ))
        .await
        .unwrap();
    let keyed: Vec<(String, String)> = db
        .fetch_raw(&format!(
            "SELECT t.name, k.\"from\" FROM ({tables}) AS t, pragma_foreign_key_list(t.name) AS k \
             WHERE k.\"table\" IN ('companies', 'people')"
        ))
        .await
        .unwrap();
    let mut all: Vec<(String, String)> = named.into_iter().chain(keyed).collect();
    all.sort();
    all.dedup();
    all
}

#[tokio::test]
async fn every_column_referring_to_customers_is_handled_by_merges() {
    let test = support::TestDb::sqlite().await;
    let columns = referring_columns(&test.db).await;
    test.cleanup().await;
    assert!(columns.iter().any(|(t, c)| t == "employments" && c == "company_id"), "{columns:?}");
    let missing: Vec<String> = columns
        .iter()
        .filter(|(table, column)| !REFERENCES.iter().any(|(t, c, _)| t == table && c == column))
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    assert!(
        missing.is_empty(),
        "these columns refer to companies or people but rapport_store::merges does not say what a merge does \
         with them: {missing:?}"
    );
}
