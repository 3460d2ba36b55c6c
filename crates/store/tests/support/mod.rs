//! Shared set-up for the store's integration tests: a fresh, migrated database on each
//! engine, and `db_test!` to run one test body on both.
//!
//! Databases come from `rapport-testkit`: PostgreSQL at `postgres://postgres@127.0.0.1:5432`.
//! When it cannot be reached the PostgreSQL variant of a test is skipped with a notice,
//! unless `CI=true` or `RAPPORT_REQUIRE_POSTGRES=1`, where a missing server is a failure.

#![allow(dead_code)]

use std::future::Future;

use rapport_core::companies::{CompanyDraft, CompanyFields};
use rapport_store::{Db, DbOptions, companies, users};
use rapport_testkit::{Engine, TestDatabase};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

/// Each test has its own database, so a small pool is plenty and keeps many parallel
/// tests under PostgreSQL's connection limit.
fn options() -> DbOptions {
    DbOptions { max_connections: 4, ..DbOptions::default() }
}

/// A fresh, migrated database that belongs to one test.
pub struct TestDb {
    pub db: Db,
    database: TestDatabase,
}

impl TestDb {
    /// A new SQLite file in its own temporary directory, migrated.
    pub async fn sqlite() -> TestDb {
        Self::open(TestDatabase::new(Engine::Sqlite).await.expect("SQLite is always there")).await
    }

    /// A new PostgreSQL database, migrated; `None` (after a notice) when the server cannot
    /// be reached and PostgreSQL is not required.
    pub async fn postgres() -> Option<TestDb> {
        Some(Self::open(TestDatabase::new(Engine::Postgres).await?).await)
    }

    async fn open(database: TestDatabase) -> TestDb {
        let db = Db::connect(&database.url, &options())
            .await
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", database.url));
        db.migrate().await.expect("migrations run");
        TestDb { db, database }
    }

    /// Closes the pools, then the test database is removed.
    pub async fn cleanup(self) {
        self.db.close().await;
        drop(self.database);
    }

    /// Runs a test body on this database, then cleans up, also when the body panics
    /// (the panic is passed on after the clean-up).
    pub async fn run<F, Fut>(self, body: F)
    where
        F: FnOnce(Db) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let outcome = tokio::spawn(body(self.db.clone())).await;
        self.cleanup().await;
        if let Err(error) = outcome {
            match error.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(error) => panic!("test body did not finish: {error}"),
            }
        }
    }
}

/// A second handle on the same database with connections of its own, as the app has
/// after a restart: on PostgreSQL no statement is prepared on them yet, which is when
/// the parameter types of a statement are taken from the values bound to it.
/// On SQLite the handle itself is returned (its writer must stay the only one).
pub async fn fresh_handle(db: &Db) -> Db {
    match db {
        Db::Postgres(pool) => {
            let options = (*pool.connect_options()).clone();
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(2)
                .connect_with(options)
                .await
                .expect("a second PostgreSQL pool");
            Db::Postgres(pool)
        }
        Db::Sqlite { .. } => db.clone(),
    }
}

/// `db_test!(name, |db: Db| async move { ... })` makes a module `name` with the tests
/// `sqlite` and `postgres`, each running the body on a fresh database of that engine.
/// Names used in the body resolve in the calling file (the module imports `super::*`).
#[allow(unused_macros)]
macro_rules! db_test {
    ($name:ident, $body:expr $(,)?) => {
        db_test!(@module $name, [], $body);
    };
    (@module $name:ident, [$($postgres_attr:tt)*], $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let test = crate::support::TestDb::sqlite().await;
                test.run($body).await;
            }

            #[tokio::test]
            $($postgres_attr)*
            async fn postgres() {
                let Some(test) = crate::support::TestDb::postgres().await else {
                    return;
                };
                test.run($body).await;
            }
        }
    };
}

/// Now, to the microsecond: both engines keep timestamps at that precision.
pub fn now() -> OffsetDateTime {
    let at = OffsetDateTime::now_utc();
    at.replace_nanosecond(at.microsecond() * 1_000).expect("a valid nanosecond")
}

/// A user (owners, actors and authors must be real users), committed.
pub async fn add_user(db: &Db, login: &str, name: &str) -> Uuid {
    let id = Uuid::now_v7();
    let mut tx = db.begin().await.expect("begin");
    users::insert(
        &mut tx,
        users::NewUser {
            id,
            login,
            name,
            email: Some(&format!("{login}@example.com")),
            password_hash: "$argon2id$hash",
            role: "sales",
            team_id: None,
            clearance: 0,
        },
        now(),
    )
    .await
    .expect("insert user");
    tx.commit().await.expect("commit user");
    id
}

/// Company fields the way a client sends them, parsed by the domain rules.
pub fn company_fields(draft: Value) -> CompanyFields {
    let draft: CompanyDraft = serde_json::from_value(draft).expect("a well-formed company draft");
    draft.parse().expect("a valid company draft")
}

/// Inserts a company in its own transaction and commits it.
pub async fn add_company(db: &Db, code: &str, fields: &CompanyFields, actor: Option<Uuid>, at: OffsetDateTime) -> Uuid {
    let id = Uuid::now_v7();
    let mut tx = db.begin().await.expect("begin");
    companies::insert(&mut tx, id, code, fields, actor, at).await.expect("insert company");
    tx.commit().await.expect("commit company");
    id
}

/// A list filter for the search text `q`, with its typo corrections looked up, as the
/// app's use cases build it.
pub async fn text_filter(db: &Db, q: &str) -> rapport_store::records::CommonFilter {
    let query = rapport_core::search::SearchQuery::parse(q);
    let mut clauses = query.clauses;
    clauses.extend(query.pairs.iter().map(|pair| pair.clause()));
    let mut text = rapport_store::records::TextFilter { clauses, phrases: query.phrases, plan: Default::default() };
    for clause in &mut text.clauses {
        if let Some(word) = clause.fuzzy.clone() {
            clause.corrections = rapport_store::search::corrections(&mut db.clone(), &word).await.unwrap();
        }
    }
    rapport_store::records::CommonFilter { text, ..Default::default() }
}
