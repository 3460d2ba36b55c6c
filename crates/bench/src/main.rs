//! `rapport-bench`: loads realistic data through Rapport's bulk path, starts `rapport
//! serve` as a separate process, drives HTTP load at it over loopback, measures the same
//! work on the raw database for comparison, and prints a table (and `--json FILE`).
//!
//! `cargo build --release -p rapport -p rapport-bench && target/release/rapport-bench --scale 100000 --db sqlite`

mod driver;
mod http;
mod load;
mod ops;
mod raw;
mod report;
mod server;
mod transfer;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use uuid::Uuid;

use crate::driver::Limits;
use crate::http::Api;
use crate::ops::Plan;
use crate::raw::Raw;
use crate::report::{LoadTimes, Report};
use crate::server::{RssSampler, Server, ServerLog, memory_kib, mib};

/// The load runs Rapport's bulk path in this process, and its multi-row statements
/// allocate heavily: glibc malloc was a sixth of its time in a profile of the 1M load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Engine {
    Sqlite,
    Postgres,
}

/// When to gather the planner's statistics before measuring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Analyze {
    /// On PostgreSQL only, standing in for autovacuum; SQLite keeps what Rapport leaves.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Parser)]
#[command(name = "rapport-bench", about = "Benchmark Rapport over HTTP against the raw database")]
struct Args {
    /// Companies to load (people: about as many).
    #[arg(long, default_value_t = 10_000)]
    scale: usize,
    #[arg(long, value_enum, default_value_t = Engine::Sqlite)]
    db: Engine,
    /// Requests in flight at once (HTTP and raw alike).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// The same seed loads the same data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Timed requests per operation [default: 20000 from --scale 100000 up, else 5000].
    #[arg(long)]
    requests: Option<usize>,
    /// Longest time per operation (each of HTTP and raw), in seconds.
    #[arg(long, default_value_t = 20.0)]
    max_seconds: f64,
    /// Where the SQLite database lives [default: rapport-bench in the temporary directory].
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep a database loaded by an earlier run with the same --scale (and seed) instead
    /// of loading a fresh one.
    #[arg(long)]
    reuse: bool,
    /// The PostgreSQL server for --db postgres (connection parameters such as
    /// `?sslmode=disable` may follow); the database rapport_bench_<scale> on it is dropped
    /// and created.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    pg_server: String,
    /// The PostgreSQL database to use instead of rapport_bench_<scale>, so runs side by
    /// side do not drop each other's data.
    #[arg(long)]
    pg_database: Option<String>,
    /// Run ANALYZE (PostgreSQL: VACUUM ANALYZE) before measuring.
    #[arg(long, value_enum, default_value_t = Analyze::Auto)]
    analyze: Analyze,
    /// Run only these operations (comma-separated names, as the table prints them).
    #[arg(long, value_delimiter = ',')]
    ops: Vec<String>,
}

/// Server starts timed; the last one serves the load.
const STARTS: usize = 3;
/// The deepest page measured (pages of 50).
const MAX_DEPTH: usize = 10_000;
/// Name fragments in every script the data has; those that find nothing are dropped.
const SEARCH_WORDS: [&str; 6] = ["Northwind", "Wisła", "Балкан", "华信", "Summit", "Родопа"];

#[tokio::main]
async fn main() -> ExitCode {
    match bench(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn bench(args: Args) -> Result<()> {
    if args.scale < 100 {
        bail!("--scale must be at least 100");
    }
    if args.concurrency == 0 || args.max_seconds <= 0.0 {
        bail!("--concurrency and --max-seconds must be positive");
    }
    if let Some(unknown) = args.ops.iter().find(|op| !ops::NAMES.contains(&op.as_str())) {
        bail!("--ops: no operation is named {unknown:?}; the names are {}", ops::NAMES.join(", "));
    }
    let binary = server::rapport_binary()?;
    let work_dir = args.work_dir.clone().unwrap_or_else(|| std::env::temp_dir().join("rapport-bench"));
    std::fs::create_dir_all(&work_dir).with_context(|| format!("cannot create {}", work_dir.display()))?;
    let report = run(&args, &binary, &work_dir).await?;
    print!("{}", report.table());
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, text + "\n").with_context(|| format!("cannot write {}", path.display()))?;
        println!("\nresults written to {}", path.display());
    }
    if report.errors > 0 {
        bail!("{} request(s) failed (see FAILED above): that is a bug", report.errors);
    }
    Ok(())
}

async fn run(args: &Args, binary: &Path, work_dir: &Path) -> Result<Report> {
    let (url, existed) = prepare(args, work_dir, args.reuse).await?;
    let loaded = if existed && already_loaded(&url).await {
        eprintln!("reusing the data in {}", redact(&url));
        None
    } else {
        let (url_again, _) = if existed { prepare(args, work_dir, false).await? } else { (url.clone(), false) };
        eprintln!("loading {} companies and about as many people into {} ...", args.scale, redact(&url_again));
        Some(load::load(&url_again, args.scale, args.seed).await?)
    };

    let raw = Raw::connect(&url, args.concurrency as u32).await.context("the raw baseline cannot connect")?;
    let ids = raw.company_ids().await?;
    let owners = raw.users_like(load::SALES_PREFIX).await?;
    let people = raw.count("people").await?;
    let tasks = raw.count("tasks").await?;
    if ids.is_empty() || owners.is_empty() {
        bail!("the database has no companies or no sales users: run without --reuse");
    }
    let autovacuum = raw.autovacuum().await.unwrap_or(None);
    let analyze = match args.analyze {
        Analyze::Always => true,
        Analyze::Never => false,
        Analyze::Auto => args.db == Engine::Postgres,
    };
    let analyze_s = if analyze {
        eprintln!("analyzing the database ...");
        let started = Instant::now();
        raw.analyze().await.context("cannot analyze the database")?;
        Some((started.elapsed().as_secs_f64() * 10.0).round() / 10.0)
    } else {
        None
    };

    eprintln!("starting {} ({STARTS} times, timing /readyz) ...", binary.display());
    let mut ready_runs = Vec::new();
    let mut server = None;
    let mut log = ServerLog::default();
    for start in 0..STARTS {
        let started = Server::start(binary, &url, work_dir).await?;
        ready_runs.push((started.ready.as_secs_f64() * 10_000.0).round() / 10.0);
        if start + 1 < STARTS {
            log.merge(started.stop().await?);
        } else {
            server = Some(started);
        }
    }
    let server = server.context("the server did not start")?;
    let mut sorted = ready_runs.clone();
    sorted.sort_by(f64::total_cmp);
    let ready_ms = sorted[sorted.len() / 2];
    // Idle: ready, before anyone signed in or asked for anything.
    let (rss_idle, _) = memory_kib(server.pid)?;
    let sampler = RssSampler::start(server.pid);

    let outcome = measure(args, &server, &sampler, raw.clone(), ids.clone(), owners, tasks).await;
    let sampled = sampler.finish().await;
    let peak = memory_kib(server.pid).map(|(_, hwm)| hwm).unwrap_or(0).max(sampled);
    log.merge(server.stop().await?);
    raw.close().await;
    let (results, deep, export_people_csv) = outcome?;
    let mut reindex_failed = 0;
    let reindex_s = if args.ops.is_empty() || args.ops.iter().any(|op| op == "reindex") {
        eprintln!("  measuring reindex (rapport reindex, the whole search index) ...");
        // A failed rebuild is reported with the other results, not instead of them.
        match server::reindex(binary, &url, work_dir).await {
            Ok(seconds) => Some(seconds),
            Err(error) => {
                eprintln!("FAILED reindex: {error:#}");
                reindex_failed = 1;
                None
            }
        }
    } else {
        None
    };

    let import_people_csv = if args.ops.is_empty() || args.ops.iter().any(|op| op == "import_people_csv") {
        eprintln!(
            "  measuring import_people_csv ({} people through the import job, and the engine's own bulk load) ...",
            args.scale
        );
        Some(transfer::import_people(&url, args.scale, work_dir).await.context("the import benchmark failed")?)
    } else {
        None
    };
    let errors = results.iter().map(|r| r.all_errors()).sum::<usize>() + reindex_failed;
    Ok(Report {
        scale: args.scale,
        db: engine_name(args.db).into(),
        ready_ms,
        rss_idle_mb: mib(rss_idle),
        rss_peak_mb: mib(peak),
        results,
        seed: args.seed,
        concurrency: args.concurrency,
        companies: ids.len() as i64,
        people,
        ready_ms_runs: ready_runs,
        load: loaded.map(|l| {
            let total = l.total_time.as_secs_f64();
            LoadTimes {
                companies_s: (l.companies_time.as_secs_f64() * 10.0).round() / 10.0,
                people_s: (l.people_time.as_secs_f64() * 10.0).round() / 10.0,
                tasks: l.tasks,
                tasks_s: (l.tasks_time.as_secs_f64() * 10.0).round() / 10.0,
                activities: l.activities,
                activities_s: (l.activities_time.as_secs_f64() * 10.0).round() / 10.0,
                total_s: (total * 10.0).round() / 10.0,
                records_per_s: ((l.companies + l.people + l.tasks + l.activities) as f64 / total.max(0.001)).round(),
            }
        }),
        deep_page_depth: deep.as_ref().map(|d| d.0),
        cursor_walk_ms: deep.map(|d| (d.1 * 10.0).round() / 10.0),
        errors,
        analyze_s,
        reindex_s,
        import_people_csv,
        export_people_csv,
        autovacuum,
        server_warnings: log.warnings,
        server_errors: log.errors,
        server_log_samples: log.samples,
    })
}

type Measured = (Vec<report::OpResult>, Option<(usize, f64)>, Option<transfer::ExportResult>);

/// Signs in, finds the deep page and the search words, and runs every operation.
async fn measure(
    args: &Args,
    server: &Server,
    sampler: &RssSampler,
    raw: Raw,
    ids: Vec<Uuid>,
    owners: Vec<Uuid>,
    tasks: i64,
) -> Result<Measured> {
    let api = Api::sign_in(&server.base, load::ADMIN_LOGIN, load::PASSWORD, args.concurrency).await?;
    let first_sales = format!("{}01", load::SALES_PREFIX);
    let sales = Api::sign_in(&server.base, &first_sales, load::PASSWORD, args.concurrency).await?;
    let browser = Api::sign_in_pages(&server.base, load::ADMIN_LOGIN, load::PASSWORD, args.concurrency).await?;
    let pages = ids.len().div_ceil(http::PAGE);
    let depth = MAX_DEPTH.min(pages.saturating_sub(1));
    let wants_deep = args.ops.is_empty() || args.ops.iter().any(|op| op == "list_deep_page");
    let deep = if depth > 0 && wants_deep {
        eprintln!("walking the company list to page {} ...", depth + 1);
        Some(api.deep_page(depth).await?)
    } else {
        None
    };
    let filtered = api.count_first_page(&ops::filtered_query(owners[0])).await?;
    if filtered == 0 {
        eprintln!("warning: the filtered list finds nothing for the first owner");
    }
    let mut words = Vec::new();
    for word in SEARCH_WORDS {
        if api.count_first_page(&format!("q={}", http::encode(word))).await? > 0 {
            words.push(word.to_string());
        }
    }
    if words.is_empty() {
        bail!("no search word finds a company: is the data loaded?");
    }
    let requests = args.requests.unwrap_or(if args.scale >= 100_000 { 20_000 } else { 5_000 });
    let limits =
        Limits { requests, concurrency: args.concurrency, max_time: Duration::from_secs_f64(args.max_seconds) };
    let tag = format!("{:x}", Uuid::now_v7().as_u128() >> 80);
    let deep_summary = deep.as_ref().map(|d| (d.depth, d.walk.as_secs_f64() * 1000.0));
    let plan = Plan {
        api: Arc::new(api),
        sales: Arc::new(sales),
        pages: Arc::new(browser),
        raw,
        ids: Arc::new(ids),
        owners: Arc::new(owners),
        deep,
        words: Arc::new(words),
        tasks,
        limits,
        seed: args.seed,
        tag,
        only: args.ops.clone(),
    };
    let results = ops::run_all(&plan, sampler).await;
    let export = if plan.wants("export_people_csv") {
        eprintln!("  measuring export_people_csv (the whole people list as CSV) ...");
        Some(transfer::export_people(&plan.api, sampler).await.context("the export failed")?)
    } else {
        None
    };
    Ok((results, deep_summary, export))
}

fn engine_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    }
}

/// The database URL for this run, made ready: a fresh one unless `reuse`. Also tells
/// whether it existed already.
async fn prepare(args: &Args, work_dir: &Path, reuse: bool) -> Result<(String, bool)> {
    match args.db {
        Engine::Sqlite => {
            let path = work_dir.join(format!("rapport-bench-{}.db", args.scale));
            let existed = path.exists();
            if !reuse {
                for suffix in ["", "-wal", "-shm"] {
                    let file = PathBuf::from(format!("{}{suffix}", path.display()));
                    if file.exists() {
                        std::fs::remove_file(&file).with_context(|| format!("cannot remove {}", file.display()))?;
                    }
                }
            }
            Ok((format!("sqlite://{}", path.display()), existed && reuse))
        }
        Engine::Postgres => {
            let name = args.pg_database.clone().unwrap_or_else(|| format!("rapport_bench_{}", args.scale));
            // PostgreSQL folds unquoted names to lower case: only those round-trip.
            if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                bail!("--pg-database takes lower-case letters, digits and '_' only");
            }
            // Connection parameters (`?sslmode=disable`) apply to every connection.
            let (server, query) = match args.pg_server.split_once('?') {
                Some((server, query)) => (server.trim_end_matches('/'), format!("?{query}")),
                None => (args.pg_server.trim_end_matches('/'), String::new()),
            };
            let existed = raw::prepare_postgres(&format!("{server}/postgres{query}"), &name, reuse).await?;
            Ok((format!("{server}/{name}{query}"), existed && reuse))
        }
    }
}

/// Whether an earlier run finished loading this database (its administrator exists).
async fn already_loaded(url: &str) -> bool {
    let Ok(raw) = Raw::connect(url, 1).await else { return false };
    let found = raw.users_like(load::ADMIN_LOGIN).await.map(|ids| !ids.is_empty()).unwrap_or(false);
    let companies = raw.count("companies").await.unwrap_or(0);
    raw.close().await;
    found && companies > 0
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
