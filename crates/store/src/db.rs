use std::future::Future;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sea_query::{Expr, ExprTrait, LockType, PostgresQueryBuilder, Query, SqliteQueryBuilder, Value};
use sea_query_sqlx::SqlxBinder;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow, PgSslMode};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, FromRow, Postgres, Sqlite};
use time::OffsetDateTime;

use crate::{Result, StoreError};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A row type readable from both engines.
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

#[derive(Debug, Clone)]
pub struct DbOptions {
    /// SQLite `synchronous=FULL` instead of `NORMAL`: survives power loss, writes slower.
    pub sqlite_full_sync: bool,
    pub max_connections: u32,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self { sqlite_full_sync: false, max_connections: 16 }
    }
}

/// The database: SQLite with one writer connection and a pool of readers (SQLite allows
/// one writer at a time; queuing writers in the pool beats retrying on SQLITE_BUSY), or
/// a PostgreSQL pool.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite { writer: SqlitePool, readers: SqlitePool },
    Postgres(PgPool),
}

/// Switches off SQLite's memory statistics, once, before the first connection opens.
///
/// SQLite counts every allocation under one process-wide mutex while the statistics are
/// on; with several reader connections that mutex was the hottest lock in a profile of
/// the company list at 1M records (page reads, JSON building and value copies all
/// allocate). Rapport never reads the statistics. Once SQLite has started (another
/// database opened earlier in the process, as in tests), the call is refused and
/// changes nothing, which is harmless.
///
/// (Statement journals stay at SQLite's default of spilling to a file past 64 KiB:
/// raised to hold a bulk statement's journal in memory, SQLite 3.5x answered "database
/// or disk is full", and with no spill at all "malformed", on a multi-million-row
/// INSERT ... SELECT.)
fn without_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: sqlite3_config with SQLITE_CONFIG_MEMSTATUS takes one int argument;
        // before sqlite3_initialize nothing else is using SQLite, and after it the call
        // only returns SQLITE_MISUSE.
        unsafe {
            libsqlite3_sys::sqlite3_config(libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
        }
    });
}

impl Db {
    pub async fn connect(url: &str, options: &DbOptions) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let mut connect = PgConnectOptions::from_str(url)?;
            if !url.contains("sslmode=") && is_loopback(connect.get_host()) {
                // Encryption buys nothing on this machine's own loopback, and sqlx's TLS
                // stream waits on Nagle's algorithm: ~40 ms added to many round trips.
                connect = connect.ssl_mode(PgSslMode::Disable);
            }
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(connect)
                .await?;
            return Ok(Db::Postgres(pool));
        }
        let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) else {
            return Err(StoreError::Url(url.to_string()));
        };
        Self::open_sqlite(Path::new(path.split('?').next().unwrap_or(path)), options).await
    }

    async fn open_sqlite(path: &Path, options: &DbOptions) -> Result<Db> {
        without_memory_statistics();
        let sync = if options.sqlite_full_sync { SqliteSynchronous::Full } else { SqliteSynchronous::Normal };
        let connect = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(sync)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 4 MiB of page cache per connection: the operating system caches the file
            // too, and per-connection caches add up to the server's memory.
            .pragma("cache_size", "-4000")
            // A large transaction (an index rebuild, a big import) grows the WAL file; after
            // the checkpoint it is cut back to this, instead of keeping gigabytes on disk.
            .pragma("journal_size_limit", "67108864");
        // The writer's cache is larger: it keeps the hot pages of the indexes every write
        // touches (the search index above all), where a read needs only its own few.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            // The one writer connection lives as long as the pool: a temporary table of
            // its own (an index rebuild's staged terms) must not vanish with a replaced
            // connection.
            .max_lifetime(None)
            .idle_timeout(None)
            .acquire_timeout(Duration::from_secs(30))
            // Checkpoints every 8,000 pages (32 MiB) rather than 1,000: index pages that
            // successive bulk batches change again are copied to the database once per
            // checkpoint, not once per batch.
            .connect_with(connect.clone().pragma("cache_size", "-32000").pragma("wal_autocheckpoint", "8000"))
            .await?;
        let readers = SqlitePoolOptions::new()
            // Two cores do not run more than a few SQLite readers usefully at once.
            .max_connections(options.max_connections.clamp(2, 8))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(connect.read_only(true))
            .await?;
        Ok(Db::Sqlite { writer, readers })
    }

    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite { writer, .. } => SQLITE_MIGRATIONS.run(writer).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Refreshes the query planner's statistics where they are missing or stale. SQLite
    /// has none until told (and then picks poor indexes for filtered lists); sampling
    /// keeps this to milliseconds on a large database. PostgreSQL's autovacuum would do it,
    /// but it may be off, and it runs only after a delay: a bulk load followed at once by
    /// list queries would be planned for empty tables. Tables are analysed only when a
    /// tenth of their rows changed since the last analysis, as autovacuum's default rule.
    pub async fn optimize(&self) -> Result<()> {
        match self {
            Db::Sqlite { writer, .. } => {
                sqlx::query("PRAGMA analysis_limit=1000").execute(writer).await?;
                sqlx::query("PRAGMA optimize=0x10002").execute(writer).await?;
            }
            Db::Postgres(pool) => {
                let stale: Vec<(String,)> = sqlx::query_as(
                    "SELECT relname::text FROM pg_stat_user_tables \
                     WHERE schemaname = current_schema() AND n_mod_since_analyze > 50 + n_live_tup / 10",
                )
                .fetch_all(pool)
                .await?;
                for (table,) in stale {
                    let quoted = table.replace('"', "\"\"");
                    sqlx::query(AssertSqlSafe(format!("ANALYZE \"{quoted}\""))).execute(pool).await?;
                }
            }
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite { writer, .. } => Tx::Sqlite(writer.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// Answers when the database can serve a query.
    pub async fn ping(&self) -> Result<()> {
        match self {
            Db::Sqlite { readers, .. } => sqlx::query("SELECT 1").execute(readers).await.map(|_| ())?,
            Db::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(|_| ())?,
        }
        Ok(())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { writer, readers } => {
                readers.close().await;
                writer.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// Runs raw SQL (one statement or several, as a script) that is the same on both
    /// engines: tests, tools, and the few statements sea-query does not build (DDL of the
    /// search index rebuild).
    pub async fn execute_raw(&self, sql: &str) -> Result<u64> {
        Ok(match self {
            Db::Sqlite { writer, .. } => sqlx::raw_sql(AssertSqlSafe(sql)).execute(writer).await?.rows_affected(),
            Db::Postgres(pool) => sqlx::raw_sql(AssertSqlSafe(sql)).execute(pool).await?.rows_affected(),
        })
    }

    /// Rows of raw SQL, for tools and tests that inspect the schema.
    pub async fn fetch_raw<T: Row>(&self, sql: &str) -> Result<Vec<T>> {
        Ok(match self {
            Db::Sqlite { readers, .. } => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(readers).await?,
            Db::Postgres(pool) => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(pool).await?,
        })
    }
}

/// A transaction on the writer. Dropped without `commit`, it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    /// Holds row `id` of `table` until this transaction ends, so a read-check-write of it
    /// cannot interleave with another one (which would otherwise lose the race with a stale
    /// version). SQLite's single writer connection already runs write transactions one at
    /// a time.
    pub async fn lock_row(&mut self, table: &'static str, id: uuid::Uuid) -> Result<()> {
        if let Tx::Postgres(_) = self {
            let stmt = Query::select()
                .expr(Expr::val(1))
                .from(table)
                .and_where(Expr::col("id").eq(id))
                .lock(LockType::Update)
                .to_owned();
            self.fetch_optional::<(i32,), _>(&stmt).await?;
        }
        Ok(())
    }
}

/// Something statements run on: the database (reads go to SQLite's readers) or a
/// transaction. Store functions take `&mut impl Exec` so they work inside and outside one.
pub trait Exec: Send {
    fn backend(&self) -> Backend;

    fn fetch_all<T: Row, S: SqlxBinder + Sync>(&mut self, stmt: &S) -> impl Future<Output = Result<Vec<T>>> + Send;

    fn fetch_optional<T: Row, S: SqlxBinder + Sync>(
        &mut self,
        stmt: &S,
    ) -> impl Future<Output = Result<Option<T>>> + Send;

    /// Runs a statement and returns the rows it changed.
    fn execute<S: SqlxBinder + Sync>(&mut self, stmt: &S) -> impl Future<Output = Result<u64>> + Send;

    /// A timestamp as a value both engines compare correctly. SQLite keeps timestamps as
    /// text, and RFC 3339 with a varying number of fraction digits does not sort as text,
    /// so SQLite gets a fixed-width form.
    fn ts(&self, at: OffsetDateTime) -> Value {
        match self.backend() {
            Backend::Postgres => at.into(),
            Backend::Sqlite => fixed_width(at).into(),
        }
    }
}

/// Loopback addresses and Unix sockets (a host starting with `/`).
fn is_loopback(host: &str) -> bool {
    host.starts_with('/')
        || host.eq_ignore_ascii_case("localhost")
        || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

pub(crate) fn fixed_width(at: OffsetDateTime) -> String {
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

macro_rules! run {
    ($conn:expr, $stmt:expr, $builder:expr, $method:ident, query_as) => {{
        let (sql, values) = $stmt.build_sqlx($builder);
        sqlx::query_as_with(AssertSqlSafe(sql), values).$method($conn).await.map_err(StoreError::classify)
    }};
    ($conn:expr, $stmt:expr, $builder:expr, execute) => {{
        let (sql, values) = $stmt.build_sqlx($builder);
        sqlx::query_with(AssertSqlSafe(sql), values)
            .execute($conn)
            .await
            .map(|done| done.rows_affected())
            .map_err(StoreError::classify)
    }};
}

impl Exec for Db {
    fn backend(&self) -> Backend {
        Db::backend(self)
    }

    async fn fetch_all<T: Row, S: SqlxBinder + Sync>(&mut self, stmt: &S) -> Result<Vec<T>> {
        match self {
            Db::Sqlite { readers, .. } => run!(&*readers, stmt, SqliteQueryBuilder, fetch_all, query_as),
            Db::Postgres(pool) => run!(&*pool, stmt, PostgresQueryBuilder, fetch_all, query_as),
        }
    }

    async fn fetch_optional<T: Row, S: SqlxBinder + Sync>(&mut self, stmt: &S) -> Result<Option<T>> {
        match self {
            Db::Sqlite { readers, .. } => run!(&*readers, stmt, SqliteQueryBuilder, fetch_optional, query_as),
            Db::Postgres(pool) => run!(&*pool, stmt, PostgresQueryBuilder, fetch_optional, query_as),
        }
    }

    async fn execute<S: SqlxBinder + Sync>(&mut self, stmt: &S) -> Result<u64> {
        match self {
            Db::Sqlite { writer, .. } => run!(&*writer, stmt, SqliteQueryBuilder, execute),
            Db::Postgres(pool) => run!(&*pool, stmt, PostgresQueryBuilder, execute),
        }
    }
}

impl Exec for Tx {
    fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    async fn fetch_all<T: Row, S: SqlxBinder + Sync>(&mut self, stmt: &S) -> Result<Vec<T>> {
        match self {
            Tx::Sqlite(tx) => run!(&mut **tx, stmt, SqliteQueryBuilder, fetch_all, query_as),
            Tx::Postgres(tx) => run!(&mut **tx, stmt, PostgresQueryBuilder, fetch_all, query_as),
        }
    }

    async fn fetch_optional<T: Row, S: SqlxBinder + Sync>(&mut self, stmt: &S) -> Result<Option<T>> {
        match self {
            Tx::Sqlite(tx) => run!(&mut **tx, stmt, SqliteQueryBuilder, fetch_optional, query_as),
            Tx::Postgres(tx) => run!(&mut **tx, stmt, PostgresQueryBuilder, fetch_optional, query_as),
        }
    }

    async fn execute<S: SqlxBinder + Sync>(&mut self, stmt: &S) -> Result<u64> {
        match self {
            Tx::Sqlite(tx) => run!(&mut **tx, stmt, SqliteQueryBuilder, execute),
            Tx::Postgres(tx) => run!(&mut **tx, stmt, PostgresQueryBuilder, execute),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_counts_as_loopback() {
        for host in ["127.0.0.1", "127.8.0.1", "::1", "[::1]", "localhost", "/var/run/postgresql"] {
            assert!(is_loopback(host), "{host} is this machine");
        }
        for host in ["10.0.0.5", "db.example.com", "localhost.example.com", "2001:db8::1"] {
            assert!(!is_loopback(host), "{host} is another machine");
        }
    }

    #[test]
    fn sqlite_timestamps_sort_as_text() {
        let base = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
        let whole = fixed_width(base);
        let later = fixed_width(base + time::Duration::microseconds(120));
        assert_eq!(whole, "2024-10-04T00:00:00.000000Z");
        assert!(whole < later);
    }
}
