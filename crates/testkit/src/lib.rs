//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL database on the
//! local server, dropped again when the test is done.
//!
//! PostgreSQL tests are skipped with a notice when no server answers, unless `CI=true`
//! or `RAPPORT_REQUIRE_POSTGRES=1`: then a missing server fails the test.

use std::path::PathBuf;

use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// The server the PostgreSQL tests use; `RAPPORT_TEST_POSTGRES` overrides it.
pub fn postgres_server() -> String {
    std::env::var("RAPPORT_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub fn postgres_required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true") || std::env::var("RAPPORT_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    pub engine: Engine,
    postgres_name: Option<String>,
    sqlite_dir: Option<PathBuf>,
}

impl TestDatabase {
    /// A fresh database on `engine`; `None` when PostgreSQL is not there and not required.
    pub async fn new(engine: Engine) -> Option<TestDatabase> {
        let unique = uuid::Uuid::now_v7().simple().to_string();
        match engine {
            Engine::Sqlite => {
                let dir = std::env::temp_dir().join(format!("rapport-test-{unique}"));
                std::fs::create_dir_all(&dir).expect("cannot create a temporary directory");
                Some(TestDatabase {
                    url: format!("sqlite://{}", dir.join("rapport.db").display()),
                    engine,
                    postgres_name: None,
                    sqlite_dir: Some(dir),
                })
            }
            Engine::Postgres => {
                let server = postgres_server();
                let mut admin = match PgConnection::connect(&format!("{server}/postgres")).await {
                    Ok(connection) => connection,
                    Err(error) if !postgres_required() => {
                        eprintln!(
                            "skipping a PostgreSQL test: no server at {server} ({error}); CI=true makes this fail"
                        );
                        return None;
                    }
                    Err(error) => panic!("PostgreSQL is required (CI=true) but {server} does not answer: {error}"),
                };
                let name = format!("rapport_test_{unique}");
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut admin)
                    .await
                    .expect("cannot create a test database");
                let _ = admin.close().await;
                Some(TestDatabase {
                    url: format!("{server}/{name}"),
                    engine,
                    postgres_name: Some(name),
                    sqlite_dir: None,
                })
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(dir) = self.sqlite_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some(name) = self.postgres_name.take() {
            // Drop runs inside the test's runtime, which cannot be blocked on; a thread
            // with its own runtime removes the database.
            let server = postgres_server();
            let cleanup = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(async {
                        if let Ok(mut admin) = PgConnection::connect(&format!("{server}/postgres")).await {
                            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                            let _ = sqlx::query(AssertSqlSafe(sql)).execute(&mut admin).await;
                            let _ = admin.close().await;
                        }
                    });
                }
            });
            let _ = cleanup.join();
        }
    }
}
