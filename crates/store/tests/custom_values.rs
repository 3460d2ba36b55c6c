//! Custom field values as list filters meet them: the index the store keeps, and the
//! copy migration 0006 made of the values stored before it, on SQLite and PostgreSQL.

#[macro_use]
mod support;

use rapport_store::Db;
use serde_json::json;
use support::{add_company, company_fields, now};

/// The statements of migration 0006 that copy the custom values stored before it.
fn custom_value_backfill(db: &Db) -> Vec<&'static str> {
    let migration = match db.backend() {
        rapport_store::Backend::Sqlite => include_str!("../migrations/sqlite/0006_custom_value_index.sql"),
        rapport_store::Backend::Postgres => include_str!("../migrations/postgres/0006_custom_value_index.sql"),
    };
    let (_, backfill) = migration.split_once("-- The values already stored").expect("the migration has its backfill");
    let (_, backfill) = backfill.split_once('\n').expect("statements follow the comment");
    let statements: Vec<&str> = backfill.split(";\n").map(str::trim).filter(|s| !s.is_empty()).collect();
    assert_eq!(statements.len(), 2, "single values, then the choices of multi-choice values");
    statements
}

db_test!(the_custom_values_stored_before_their_index_are_indexed_as_the_store_indexes_them, |db: Db| async move {
    let long_note = "ł".repeat(300);
    let fields = company_fields(json!({"name": "Old Ltd", "custom": {
        "credit_limit": {"amount": "50000", "currency": "PLN"}, "vip": true, "segment": "smb",
        "channels": ["email", "phone", "email"], "note": long_note, "score": 7
    }}));
    add_company(&db, "C-000001", &fields, None, now()).await;
    let indexed = || async {
        let mut rows: Vec<(String, String, String)> =
            db.fetch_raw("SELECT record_kind, key, value FROM record_custom_values").await.unwrap();
        rows.sort();
        rows
    };
    let written = indexed().await;
    let short_note = "ł".repeat(200);
    let expected: Vec<(String, String, String)> = [
        ("credit_limit", "50000"),
        ("channels", "email"),
        ("channels", "phone"),
        ("note", short_note.as_str()),
        ("score", "7"),
        ("segment", "smb"),
        ("vip", "true"),
    ]
    .iter()
    .map(|(k, v)| ("company".to_string(), k.to_string(), v.to_string()))
    .collect::<std::collections::BTreeSet<_>>()
    .into_iter()
    .collect();
    assert_eq!(written, expected, "the store indexes each value as a filter compares it");

    db.execute_raw("DELETE FROM record_custom_values").await.unwrap();
    for statement in custom_value_backfill(&db) {
        db.execute_raw(statement).await.unwrap();
    }
    assert_eq!(indexed().await, written, "the migration indexes old values exactly as the store does");
});
