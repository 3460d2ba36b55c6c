//! The raw-database baseline: the same work as the HTTP operations, as single SQL
//! statements through sqlx with no HTTP, no authentication and no Rapport in between. It
//! also reads back what the load wrote (ids, owners) and prepares the databases.

use std::str::FromStr;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{AssertSqlSafe, Connection};
use time::OffsetDateTime;
use uuid::Uuid;

/// A company as the keyset pages see it: where a page starts after.
#[derive(Debug, Clone)]
pub struct After {
    pub name: String,
    pub id: Uuid,
}

/// The filter of `list_filtered`.
#[derive(Debug, Clone)]
pub struct Filtered<'a> {
    pub owner_id: Uuid,
    pub status: &'a str,
    pub attribute: (&'a str, &'a str),
}

/// Pools of our own on the database Rapport uses. SQLite gets what Rapport gives itself:
/// WAL, `synchronous=NORMAL`, a pool of readers and one writer.
#[derive(Clone)]
pub enum Raw {
    Sqlite { readers: SqlitePool, writer: SqlitePool },
    Postgres(PgPool),
}

type Outcome = Result<(), String>;

fn failed(error: sqlx::Error) -> String {
    error.to_string()
}

const SQLITE_PAGE: &str = "SELECT * FROM companies WHERE archived_at IS NULL ORDER BY name, id LIMIT 51";
const POSTGRES_PAGE: &str = SQLITE_PAGE;
/// The keyset condition as Rapport writes it: a row-value comparison, which both engines
/// answer from the (name, id) index.
const SQLITE_PAGE_AFTER: &str =
    "SELECT * FROM companies WHERE archived_at IS NULL AND (name, id) > (?, ?) ORDER BY name, id LIMIT 51";
const POSTGRES_PAGE_AFTER: &str =
    "SELECT * FROM companies WHERE archived_at IS NULL AND (name, id) > ($1, $2) ORDER BY name, id LIMIT 51";
const SQLITE_FILTERED: &str = "SELECT * FROM companies WHERE archived_at IS NULL AND owner_id = ? AND status = ? \
     AND EXISTS (SELECT 1 FROM record_attributes a WHERE a.record_id = companies.id AND a.key = ? AND a.value = ?) \
     ORDER BY name, id LIMIT 51";
const POSTGRES_FILTERED: &str = "SELECT * FROM companies WHERE archived_at IS NULL AND owner_id = $1 AND status = $2 \
     AND EXISTS (SELECT 1 FROM record_attributes a WHERE a.record_id = companies.id AND a.key = $3 AND a.value = $4) \
     ORDER BY name, id LIMIT 51";
const SQLITE_INSERT: &str = "INSERT INTO companies (id, code, name, name_folded, type, status, security_level, custom, \
     version, created_at, updated_at) VALUES (?, ?, ?, ?, 'customer', 'active', 0, '{}', 1, ?, ?)";
const POSTGRES_INSERT: &str = "INSERT INTO companies (id, code, name, name_folded, type, status, security_level, \
     custom, version, created_at, updated_at) VALUES ($1, $2, $3, $4, 'customer', 'active', 0, '{}', 1, $5, $5)";
const SQLITE_UPDATE: &str = "UPDATE companies SET description = ?, updated_at = ?, version = version + 1 WHERE id = ?";
const POSTGRES_UPDATE: &str =
    "UPDATE companies SET description = $1, updated_at = $2, version = version + 1 WHERE id = $3";

/// A user's tasks due in a range, by due time: what a calendar week reads.
const SQLITE_CALENDAR: &str =
    "SELECT * FROM tasks WHERE assignee_id = ? AND due_key >= ? AND due_key < ? ORDER BY due_key, id LIMIT 2001";
const POSTGRES_CALENDAR: &str =
    "SELECT * FROM tasks WHERE assignee_id = $1 AND due_key >= $2 AND due_key < $3 ORDER BY due_key, id LIMIT 2001";

/// The first page of a company's timeline: one range of its links, newest first.
const SQLITE_TIMELINE: &str = "SELECT a.* FROM activity_links l JOIN activities a ON a.id = l.activity_id \
     WHERE l.record_id = ? AND a.archived_at IS NULL ORDER BY l.occurred_at DESC, l.activity_id DESC LIMIT 51";
const POSTGRES_TIMELINE: &str = "SELECT a.* FROM activity_links l JOIN activities a ON a.id = l.activity_id \
     WHERE l.record_id = $1 AND a.archived_at IS NULL ORDER BY l.occurred_at DESC, l.activity_id DESC LIMIT 51";

/// SQLite's fixed-width UTC text timestamp, as Rapport stores it.
pub fn sqlite_time(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond()
    )
}

impl Raw {
    pub async fn connect(url: &str, connections: u32) -> Result<Raw> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let options = SqliteConnectOptions::new()
                .filename(path)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let writer = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
            let readers = SqlitePoolOptions::new()
                .max_connections(connections.max(1))
                .connect_with(options.read_only(true))
                .await?;
            return Ok(Raw::Sqlite { readers, writer });
        }
        let options = PgConnectOptions::from_str(url)?;
        Ok(Raw::Postgres(PgPoolOptions::new().max_connections(connections.max(1)).connect_with(options).await?))
    }

    pub async fn close(&self) {
        match self {
            Raw::Sqlite { readers, writer } => {
                readers.close().await;
                writer.close().await;
            }
            Raw::Postgres(pool) => pool.close().await,
        }
    }

    pub async fn get_by_id(&self, id: Uuid) -> Outcome {
        let row = match self {
            Raw::Sqlite { readers, .. } => sqlx::query("SELECT * FROM companies WHERE id = ?")
                .bind(id)
                .fetch_optional(readers)
                .await
                .map(|r| r.is_some()),
            Raw::Postgres(pool) => sqlx::query("SELECT * FROM companies WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await
                .map(|r| r.is_some()),
        };
        match row.map_err(failed)? {
            true => Ok(()),
            false => Err(format!("no company {id}")),
        }
    }

    /// The first page, or the page after `after`.
    pub async fn page(&self, after: Option<&After>) -> Outcome {
        let rows = match (self, after) {
            (Raw::Sqlite { readers, .. }, None) => sqlx::query(SQLITE_PAGE).fetch_all(readers).await.map(|r| r.len()),
            (Raw::Postgres(pool), None) => sqlx::query(POSTGRES_PAGE).fetch_all(pool).await.map(|r| r.len()),
            (Raw::Sqlite { readers, .. }, Some(a)) => {
                sqlx::query(SQLITE_PAGE_AFTER).bind(&a.name).bind(a.id).fetch_all(readers).await.map(|r| r.len())
            }
            (Raw::Postgres(pool), Some(a)) => {
                sqlx::query(POSTGRES_PAGE_AFTER).bind(&a.name).bind(a.id).fetch_all(pool).await.map(|r| r.len())
            }
        };
        if rows.map_err(failed)? == 0 { Err("an empty page".into()) } else { Ok(()) }
    }

    pub async fn filtered(&self, filter: &Filtered<'_>) -> Outcome {
        let (key, value) = filter.attribute;
        let rows = match self {
            Raw::Sqlite { readers, .. } => sqlx::query(SQLITE_FILTERED)
                .bind(filter.owner_id)
                .bind(filter.status)
                .bind(key)
                .bind(value)
                .fetch_all(readers)
                .await
                .map(|r| r.len()),
            Raw::Postgres(pool) => sqlx::query(POSTGRES_FILTERED)
                .bind(filter.owner_id)
                .bind(filter.status)
                .bind(key)
                .bind(value)
                .fetch_all(pool)
                .await
                .map(|r| r.len()),
        };
        rows.map(|_| ()).map_err(failed)
    }

    /// The tasks of `assignee` due from `from` to before `to`.
    pub async fn calendar(&self, assignee: Uuid, from: OffsetDateTime, to: OffsetDateTime) -> Outcome {
        let rows = match self {
            Raw::Sqlite { readers, .. } => sqlx::query(SQLITE_CALENDAR)
                .bind(assignee)
                .bind(sqlite_time(from))
                .bind(sqlite_time(to))
                .fetch_all(readers)
                .await
                .map(|r| r.len()),
            Raw::Postgres(pool) => {
                sqlx::query(POSTGRES_CALENDAR).bind(assignee).bind(from).bind(to).fetch_all(pool).await.map(|r| r.len())
            }
        };
        rows.map(|_| ()).map_err(failed)
    }

    /// The first page of `record`'s timeline.
    pub async fn timeline(&self, record: Uuid) -> Outcome {
        let rows = match self {
            Raw::Sqlite { readers, .. } => {
                sqlx::query(SQLITE_TIMELINE).bind(record).fetch_all(readers).await.map(|r| r.len())
            }
            Raw::Postgres(pool) => sqlx::query(POSTGRES_TIMELINE).bind(record).fetch_all(pool).await.map(|r| r.len()),
        };
        if rows.map_err(failed)? == 0 { Err("an empty timeline".into()) } else { Ok(()) }
    }

    /// A single-row insert with only the columns that must be filled.
    pub async fn insert(&self, code: &str, name: &str) -> Outcome {
        let (id, folded, at) = (Uuid::now_v7(), name.to_lowercase(), OffsetDateTime::now_utc());
        let done = match self {
            Raw::Sqlite { writer, .. } => {
                let at = sqlite_time(at);
                sqlx::query(SQLITE_INSERT)
                    .bind(id)
                    .bind(code)
                    .bind(name)
                    .bind(folded)
                    .bind(&at)
                    .bind(&at)
                    .execute(writer)
                    .await
                    .map(|done| done.rows_affected())
            }
            Raw::Postgres(pool) => sqlx::query(POSTGRES_INSERT)
                .bind(id)
                .bind(code)
                .bind(name)
                .bind(folded)
                .bind(at)
                .execute(pool)
                .await
                .map(|done| done.rows_affected()),
        };
        done.map(|_| ()).map_err(failed)
    }

    /// A single-row update of the description, with the version and time bumped.
    pub async fn update(&self, id: Uuid, description: &str) -> Outcome {
        let at = OffsetDateTime::now_utc();
        let done = match self {
            Raw::Sqlite { writer, .. } => {
                let done = sqlx::query(SQLITE_UPDATE).bind(description).bind(sqlite_time(at)).bind(id).execute(writer);
                done.await.map(|done| done.rows_affected())
            }
            Raw::Postgres(pool) => {
                let done = sqlx::query(POSTGRES_UPDATE).bind(description).bind(at).bind(id).execute(pool);
                done.await.map(|done| done.rows_affected())
            }
        };
        match done.map_err(failed)? {
            1 => Ok(()),
            n => Err(format!("updated {n} rows")),
        }
    }

    /// Every live company's id, in id order.
    pub async fn company_ids(&self) -> Result<Vec<Uuid>> {
        const SQL: &str = "SELECT id FROM companies WHERE archived_at IS NULL ORDER BY id";
        let ids: Vec<(Uuid,)> = match self {
            Raw::Sqlite { readers, .. } => sqlx::query_as(SQL).fetch_all(readers).await?,
            Raw::Postgres(pool) => sqlx::query_as(SQL).fetch_all(pool).await?,
        };
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// Ids of the users whose login starts with `prefix`, in login order.
    pub async fn users_like(&self, prefix: &str) -> Result<Vec<Uuid>> {
        let pattern = format!("{prefix}%");
        let ids: Vec<(Uuid,)> = match self {
            Raw::Sqlite { readers, .. } => {
                sqlx::query_as("SELECT id FROM users WHERE login LIKE ? ORDER BY login")
                    .bind(pattern)
                    .fetch_all(readers)
                    .await?
            }
            Raw::Postgres(pool) => {
                sqlx::query_as("SELECT id FROM users WHERE login LIKE $1 ORDER BY login")
                    .bind(pattern)
                    .fetch_all(pool)
                    .await?
            }
        };
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// Gathers the planner's statistics: `ANALYZE` on SQLite, `VACUUM ANALYZE` on
    /// PostgreSQL (what autovacuum does there after a large load).
    pub async fn analyze(&self) -> Result<()> {
        match self {
            Raw::Sqlite { writer, .. } => sqlx::raw_sql("ANALYZE").execute(writer).await.map(|_| ())?,
            Raw::Postgres(pool) => sqlx::raw_sql("VACUUM ANALYZE").execute(pool).await.map(|_| ())?,
        }
        Ok(())
    }

    /// Whether PostgreSQL's autovacuum is on (`None` on SQLite, which has none).
    pub async fn autovacuum(&self) -> Result<Option<bool>> {
        match self {
            Raw::Sqlite { .. } => Ok(None),
            Raw::Postgres(pool) => {
                let value: String = sqlx::query_scalar("SELECT current_setting('autovacuum')").fetch_one(pool).await?;
                Ok(Some(value == "on"))
            }
        }
    }

    /// Rows in a table named by the program (not by input).
    pub async fn count(&self, table: &'static str) -> Result<i64> {
        let sql = AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
        Ok(match self {
            Raw::Sqlite { readers, .. } => sqlx::query_scalar(sql).fetch_one(readers).await?,
            Raw::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await?,
        })
    }
}

/// Creates (or, with `reuse`, keeps) the PostgreSQL database `name` through the
/// administrative connection `admin_url`; returns whether it existed before.
pub async fn prepare_postgres(admin_url: &str, name: &str, reuse: bool) -> Result<bool> {
    if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        bail!("unexpected database name {name:?}");
    }
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .context("cannot reach PostgreSQL for --db postgres (use --pg-server to point elsewhere)")?;
    let existed: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name)
        .fetch_one(&mut admin)
        .await?;
    if existed && reuse {
        admin.close().await?;
        return Ok(true);
    }
    if existed {
        // Without FORCE: a run still using it (another benchmark on this server) makes this
        // one stop instead of being cut off.
        sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE {name}")))
            .execute(&mut admin)
            .await
            .with_context(|| format!("cannot drop the database {name}: is another benchmark using it?"))?;
    }
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
    admin.close().await?;
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_times_have_six_fraction_digits() {
        let at = OffsetDateTime::UNIX_EPOCH + time::Duration::milliseconds(1_500);
        assert_eq!(sqlite_time(at), "1970-01-01T00:00:01.500000Z");
    }
}
