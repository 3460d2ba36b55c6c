//! The SQLite and PostgreSQL migrations must describe the same schema: the store builds
//! every query once for both engines, so a table, column or index missing on one side is
//! a bug that only shows up in production on that engine.

#[macro_use]
mod support;

use std::collections::{BTreeMap, BTreeSet};

use rapport_store::{Backend, Db};
use support::TestDb;

/// Tables, their column names and their index names, as one engine has them.
#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    columns: BTreeMap<String, BTreeSet<String>>,
    indexes: BTreeMap<String, BTreeSet<String>>,
}

impl Schema {
    fn tables(&self) -> BTreeSet<&str> {
        self.columns.keys().map(String::as_str).collect()
    }
}

fn group(pairs: Vec<(String, String)>) -> BTreeMap<String, BTreeSet<String>> {
    let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (table, name) in pairs {
        map.entry(table).or_default().insert(name);
    }
    map
}

async fn sqlite_schema(db: &Db) -> Schema {
    let tables = "SELECT name FROM sqlite_master WHERE type = 'table' \
                  AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations'";
    let columns: Vec<(String, String)> = db
        .fetch_raw(&format!("SELECT t.name, c.name FROM ({tables}) AS t, pragma_table_info(t.name) AS c"))
        .await
        .expect("SQLite columns");
    let indexes: Vec<(String, String)> = db
        .fetch_raw(&format!(
            "SELECT t.name, i.name FROM ({tables}) AS t, pragma_index_list(t.name) AS i \
             WHERE i.name NOT LIKE 'sqlite\\_autoindex\\_%' ESCAPE '\\'"
        ))
        .await
        .expect("SQLite indexes");
    let mut schema = Schema { columns: group(columns), indexes: group(indexes) };
    // A table without any index of its own still belongs in the comparison.
    for table in schema.columns.keys() {
        schema.indexes.entry(table.clone()).or_default();
    }
    schema
}

async fn postgres_schema(db: &Db) -> Schema {
    let columns: Vec<(String, String)> = db
        .fetch_raw(
            "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns AS c \
             JOIN information_schema.tables AS t \
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
               AND c.table_name <> '_sqlx_migrations'",
        )
        .await
        .expect("PostgreSQL columns");
    let indexes: Vec<(String, String)> = db
        .fetch_raw(
            "SELECT tablename::text, indexname::text FROM pg_indexes \
             WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations' \
               AND indexname NOT LIKE '%\\_pkey'",
        )
        .await
        .expect("PostgreSQL indexes");
    let mut schema = Schema { columns: group(columns), indexes: group(indexes) };
    for table in schema.columns.keys() {
        schema.indexes.entry(table.clone()).or_default();
    }
    schema
}

/// Describes how `left` differs from `right`, table by table, for a readable failure.
fn differences(left: &Schema, right: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let tables: BTreeSet<&str> = left.tables().union(&right.tables()).copied().collect();
    let empty = BTreeSet::new();
    for table in tables {
        for (what, l, r) in [
            ("columns", left.columns.get(table), right.columns.get(table)),
            ("indexes", left.indexes.get(table), right.indexes.get(table)),
        ] {
            if l.is_none() || r.is_none() {
                if what == "columns" {
                    let side = if l.is_none() { "PostgreSQL only" } else { "SQLite only" };
                    out.push(format!("table {table}: {side}"));
                }
                continue;
            }
            let (l, r) = (l.unwrap_or(&empty), r.unwrap_or(&empty));
            let only_left: Vec<_> = l.difference(r).collect();
            let only_right: Vec<_> = r.difference(l).collect();
            if !only_left.is_empty() {
                out.push(format!("table {table}: {what} only in SQLite: {only_left:?}"));
            }
            if !only_right.is_empty() {
                out.push(format!("table {table}: {what} only in PostgreSQL: {only_right:?}"));
            }
        }
    }
    out
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let sqlite = TestDb::sqlite().await;
    let lite = sqlite_schema(&sqlite.db).await;
    sqlite.cleanup().await;

    // Sanity: the comparison is not vacuous.
    for table in ["users", "companies", "people", "contact_methods", "audit_log", "outbox"] {
        assert!(lite.columns.contains_key(table), "SQLite has no table {table}: {:?}", lite.tables());
    }
    assert!(lite.indexes["companies"].contains("companies_code"), "{:?}", lite.indexes["companies"]);
    assert!(!lite.columns.contains_key("_sqlx_migrations"));

    let Some(postgres) = TestDb::postgres().await else {
        return;
    };
    let pg = postgres_schema(&postgres.db).await;
    postgres.cleanup().await;

    let diff = differences(&lite, &pg);
    assert!(diff.is_empty(), "the SQLite and PostgreSQL schemas differ:\n{}", diff.join("\n"));
    assert_eq!(lite, pg);
}

#[tokio::test]
async fn migrating_again_changes_nothing() {
    let sqlite = TestDb::sqlite().await;
    let before = sqlite_schema(&sqlite.db).await;
    sqlite.db.migrate().await.expect("second SQLite migration is a no-op");
    assert_eq!(sqlite_schema(&sqlite.db).await, before);
    sqlite.cleanup().await;

    let Some(postgres) = TestDb::postgres().await else {
        return;
    };
    let before = postgres_schema(&postgres.db).await;
    postgres.db.migrate().await.expect("second PostgreSQL migration is a no-op");
    assert_eq!(postgres_schema(&postgres.db).await, before);
    postgres.cleanup().await;
}

#[tokio::test]
async fn sqlite_runs_in_wal_with_foreign_keys_on_every_connection() {
    let test = TestDb::sqlite().await;
    assert_eq!(test.db.backend(), Backend::Sqlite);

    // `fetch_raw` reads through the reader pool.
    let mode: Vec<(String,)> = test.db.fetch_raw("PRAGMA journal_mode").await.expect("journal_mode");
    assert_eq!(mode, [("wal".to_string(),)], "readers are not in WAL mode");
    let keys: Vec<(i64,)> = test.db.fetch_raw("PRAGMA foreign_keys").await.expect("foreign_keys");
    assert_eq!(keys, [(1,)], "readers do not enforce foreign keys");

    // The writer is where foreign keys actually matter.
    let Db::Sqlite { writer, .. } = &test.db else { unreachable!("TestDb::sqlite gives a SQLite database") };
    let (mode,): (String,) =
        sqlx::query_as("PRAGMA journal_mode").fetch_one(writer).await.expect("writer journal_mode");
    assert_eq!(mode, "wal", "the writer is not in WAL mode");
    let (keys,): (i64,) = sqlx::query_as("PRAGMA foreign_keys").fetch_one(writer).await.expect("writer foreign_keys");
    assert_eq!(keys, 1, "the writer does not enforce foreign keys");
    test.cleanup().await;
}

/// After a bulk load PostgreSQL plans lists with fresh statistics even when autovacuum
/// is off or has not come round yet.
#[tokio::test]
async fn optimize_analyses_postgres_tables_that_changed() {
    let Some(postgres) = TestDb::postgres().await else {
        return;
    };
    let db = &postgres.db;
    db.execute_raw("CREATE TABLE bulk_probe (n integer)").await.unwrap();
    db.execute_raw("INSERT INTO bulk_probe SELECT generate_series(1, 5000)").await.unwrap();
    // Each connection reports its counts to the statistics system within about a second.
    let counted = "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE relname = 'bulk_probe'";
    let mut waited = 0;
    while db.fetch_raw::<(i64,)>(counted).await.unwrap() != [(5000,)] {
        assert!(waited < 100, "PostgreSQL never counted the inserted rows");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    db.optimize().await.expect("optimize runs");
    let analysed: Vec<(bool, i64)> = db
        .fetch_raw(
            "SELECT last_analyze IS NOT NULL, n_mod_since_analyze FROM pg_stat_user_tables \
             WHERE relname = 'bulk_probe'",
        )
        .await
        .unwrap();
    assert_eq!(analysed, [(true, 0)], "the loaded table was analysed");
    postgres.cleanup().await;
}
