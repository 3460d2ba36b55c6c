//! Shared set-up for the store's integration tests: a fresh, migrated database on each
//! engine, and `db_test!` to run one test body on both.
//!
//! PostgreSQL is expected at `postgres://postgres@127.0.0.1:5432/postgres` (trust auth).
//! When it cannot be reached the PostgreSQL variant of a test is skipped with a notice,
//! unless `CI=true` or `RAPPORT_REQUIRE_POSTGRES=1`, where a missing server is a failure.

#![allow(dead_code)]

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use rapport_store::{Db, DbOptions};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use uuid::Uuid;

/// The maintenance database a test connects to in order to create and drop its own.
pub const POSTGRES_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const POSTGRES_BASE_URL: &str = "postgres://postgres@127.0.0.1:5432";

/// Each test has its own database, so a small pool is plenty and keeps many parallel
/// tests under PostgreSQL's connection limit.
fn options() -> DbOptions {
    DbOptions { max_connections: 4, ..DbOptions::default() }
}

/// Whether a missing PostgreSQL is an error rather than a skip.
pub fn postgres_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true") || std::env::var("RAPPORT_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

enum Engine {
    Sqlite { dir: PathBuf },
    Postgres { name: String },
}

/// A fresh, migrated database that belongs to one test.
pub struct TestDb {
    pub db: Db,
    engine: Engine,
    cleaned: bool,
}

impl TestDb {
    /// A new SQLite file in its own temporary directory, migrated.
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("rapport_test_{}", Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let url = format!("sqlite://{}", dir.join("rapport.db").display());
        let db = Db::connect(&url, &options()).await.unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
        db.migrate().await.expect("SQLite migrations run");
        TestDb { db, engine: Engine::Sqlite { dir }, cleaned: false }
    }

    /// A new PostgreSQL database `rapport_test_<uuid>`, migrated; `None` (after a notice)
    /// when the server cannot be reached and PostgreSQL is not required.
    pub async fn postgres() -> Option<TestDb> {
        let mut admin = match admin_connection().await {
            Ok(admin) => admin,
            Err(error) if postgres_required() => panic!(
                "PostgreSQL is required (CI=true or RAPPORT_REQUIRE_POSTGRES=1) but {POSTGRES_ADMIN_URL} \
                 cannot be reached: {error}"
            ),
            Err(error) => {
                eprintln!("skipping the PostgreSQL variant: {POSTGRES_ADMIN_URL} cannot be reached ({error})");
                return None;
            }
        };
        let name = format!("rapport_test_{}", Uuid::now_v7().simple());
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create database {name}: {e}"));
        admin.close().await.ok();
        let url = format!("{POSTGRES_BASE_URL}/{name}");
        let db = Db::connect(&url, &options()).await.unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
        let test = TestDb { db, engine: Engine::Postgres { name }, cleaned: false };
        if let Err(error) = test.db.migrate().await {
            test.cleanup().await;
            panic!("PostgreSQL migrations fail: {error}");
        }
        Some(test)
    }

    /// Closes the pools and removes the database: the SQLite directory, or the
    /// PostgreSQL database (forcibly, in case a connection is still open).
    pub async fn cleanup(mut self) {
        self.cleaned = true;
        self.db.close().await;
        match &self.engine {
            Engine::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Engine::Postgres { name } => match admin_connection().await {
                Ok(mut admin) => {
                    let drop = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    if let Err(error) = sqlx::query(AssertSqlSafe(drop)).execute(&mut admin).await {
                        eprintln!("warning: cannot drop test database {name}: {error}");
                    }
                    admin.close().await.ok();
                }
                Err(error) => eprintln!("warning: cannot drop test database {name}: {error}"),
            },
        }
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

impl Drop for TestDb {
    /// A last resort when `cleanup` was never reached: the SQLite directory can still be
    /// removed synchronously (a PostgreSQL database is left for `DROP DATABASE` by hand).
    fn drop(&mut self) {
        if self.cleaned {
            return;
        }
        match &self.engine {
            Engine::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Engine::Postgres { name } => eprintln!("warning: test database {name} was not dropped"),
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

async fn admin_connection() -> Result<PgConnection, String> {
    match tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(POSTGRES_ADMIN_URL)).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err("timed out after 5 s".to_string()),
    }
}

/// `db_test!(name, |db: Db| async move { ... })` makes a module `name` with the tests
/// `sqlite` and `postgres`, each running the body on a fresh database of that engine.
/// Names used in the body resolve in the calling file (the module imports `super::*`).
///
/// `db_test!(name, postgres_ignored = "why", |db: Db| ...)` marks the PostgreSQL variant
/// `#[ignore]` (a known store bug); `cargo test -- --ignored` still runs it.
#[allow(unused_macros)]
macro_rules! db_test {
    ($name:ident, $body:expr $(,)?) => {
        db_test!(@module $name, [], $body);
    };
    ($name:ident, postgres_ignored = $reason:literal, $body:expr $(,)?) => {
        db_test!(@module $name, [#[ignore = $reason]], $body);
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
