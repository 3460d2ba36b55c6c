//! Imports and exports, measured once each: `import_people_csv` generates a CSV of people
//! (emails, some of them repeated), imports it through the import job's own code in this
//! process (valid rows, with the duplicate check by email), and loads the same file with
//! the engine's own bulk path for the ratio: PostgreSQL `COPY` through sqlx, SQLite one
//! prepared INSERT in one transaction (what `sqlite3 .import` does). `export_people_csv`
//! downloads `GET /api/v1/people/export?format=csv` from the running server while its
//! memory is sampled.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rapport_app::imports::{self, Mode, Options};
use rapport_app::{Actor, App, DbOptions, Settings};
use rapport_core::imports::ImportKind;
use reqwest::Method;
use serde::Serialize;
use sqlx::Connection;

use crate::http::Api;
use crate::server::{RssSampler, mib};

#[derive(Debug, Clone, Serialize)]
pub struct ImportResult {
    pub rows: u64,
    pub created: u64,
    pub duplicates: u64,
    pub seconds: f64,
    pub rows_per_s: f64,
    /// The engine's own bulk load of the same file into a plain table.
    pub raw_seconds: f64,
    /// Rapport's time over the engine's (how many times slower).
    pub ratio: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportResult {
    pub rows: u64,
    pub bytes: u64,
    pub seconds: f64,
    pub rows_per_s: f64,
    /// The server's peak RSS while it exported.
    pub rss_peak_mb: f64,
}

fn round(value: f64, digits: i32) -> f64 {
    let factor = 10f64.powi(digits);
    (value * factor).round() / factor
}

const GIVEN: [&str; 8] = ["Мария", "Georgi", "Łucja", "小明", "Anna", "Jan", "Elena", "John"];
const FAMILY: [&str; 8] = ["Петрова", "Ivanov", "Wąsowska", "王", "Nowak", "Kowalski", "Dimitrova", "Smith"];

/// A CSV of `rows` people; one row in a hundred repeats an earlier email.
fn write_people(path: &std::path::Path, rows: usize, tag: &str) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "First name,Last name,E-mail,Mobile,City,Birth date,External ID")?;
    for i in 0..rows {
        let email = if i % 100 == 99 { i - 50 } else { i };
        writeln!(
            out,
            "{},{},person{email}.{tag}@example.com,+359 88 {:03} {:04},Sofia,{:02}.{:02}.{},X-{tag}-{i}",
            GIVEN[i % 8],
            FAMILY[(i / 8) % 8],
            i % 1000,
            i % 10_000,
            1 + i % 28,
            1 + i % 12,
            1950 + i % 50
        )?;
    }
    out.flush()?;
    Ok(())
}

/// The engine's own bulk load of the file into a table of its columns.
async fn raw_load(url: &str, path: &std::path::Path) -> Result<f64> {
    let columns =
        "given_name TEXT, family_name TEXT, email TEXT, mobile TEXT, city TEXT, birth_date TEXT, external_id TEXT";
    if let Some(file) = url.strip_prefix("sqlite://") {
        let mut connection = sqlx::SqliteConnection::connect(&format!("sqlite://{file}")).await?;
        sqlx::raw_sql("DROP TABLE IF EXISTS bench_raw_people").execute(&mut connection).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE TABLE bench_raw_people ({columns})")))
            .execute(&mut connection)
            .await?;
        let started = Instant::now();
        let mut reader = csv::ReaderBuilder::new().from_path(path)?;
        let mut tx = connection.begin().await?;
        for record in reader.records() {
            let record = record?;
            let mut query = sqlx::query("INSERT INTO bench_raw_people VALUES (?, ?, ?, ?, ?, ?, ?)");
            for cell in record.iter() {
                query = query.bind(cell.to_string());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        let seconds = started.elapsed().as_secs_f64();
        sqlx::raw_sql("DROP TABLE bench_raw_people").execute(&mut connection).await?;
        return Ok(seconds);
    }
    let mut connection = sqlx::PgConnection::connect(url).await?;
    sqlx::raw_sql("DROP TABLE IF EXISTS bench_raw_people").execute(&mut connection).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE TABLE bench_raw_people ({columns})")))
        .execute(&mut connection)
        .await?;
    let started = Instant::now();
    let mut copy = connection.copy_in_raw("COPY bench_raw_people FROM STDIN WITH (FORMAT csv, HEADER true)").await?;
    copy.send(std::fs::read(path)?).await?;
    copy.finish().await?;
    let seconds = started.elapsed().as_secs_f64();
    sqlx::raw_sql("DROP TABLE bench_raw_people").execute(&mut connection).await?;
    Ok(seconds)
}

/// Imports `rows` generated people into the database at `url` through the import job's code.
pub async fn import_people(url: &str, rows: usize, work_dir: &std::path::Path) -> Result<ImportResult> {
    let tag = format!("{:x}", uuid::Uuid::now_v7().as_u128() >> 96);
    let path = work_dir.join(format!("bench-people-{tag}.csv"));
    write_people(&path, rows, &tag)?;
    let app = App::open(url, &DbOptions::default(), Settings::default())
        .await
        .context("the import cannot open the database")?;
    let actor = Actor::system();
    let started = Instant::now();
    let mut upload = imports::begin_upload(&app, &actor, ImportKind::People, "bench-people.csv").await?;
    let bytes = std::fs::read(&path)?;
    for piece in bytes.chunks(imports::PIECE) {
        upload.write(&app, piece).await?;
    }
    let options = Options { mode: Mode::ValidRows, ..Options::default() };
    let view = upload.finish(&app, &actor, options.clone(), false).await?;
    let view = imports::run_now(&app, &actor, view.import.id, options).await?;
    let seconds = started.elapsed().as_secs_f64();
    app.db.close().await;
    if view.import.state != "done" {
        bail!("the import ended {}: {:?}", view.import.state, view.import.error);
    }
    let summary = view.import.summary.unwrap_or_default();
    let count = |key: &str| summary.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0);
    let raw_seconds = raw_load(url, &path).await.context("the engine's own bulk load failed")?;
    let _ = std::fs::remove_file(&path);
    Ok(ImportResult {
        rows: count("rows"),
        created: count("created"),
        duplicates: count("duplicates"),
        seconds: round(seconds, 2),
        rows_per_s: round(count("rows") as f64 / seconds.max(0.001), 0),
        raw_seconds: round(raw_seconds, 2),
        ratio: round(seconds / raw_seconds.max(0.001), 1),
    })
}

/// Downloads the whole people list as CSV from the running server.
pub async fn export_people(api: &Api, sampler: &RssSampler) -> Result<ExportResult> {
    sampler.take_window();
    let started = Instant::now();
    let response = api.request(Method::GET, "/api/v1/people/export?format=csv").send().await?;
    if !response.status().is_success() {
        bail!("the export answered {}", response.status());
    }
    let mut stream = response;
    let (mut bytes, mut lines) = (0u64, 0u64);
    while let Some(chunk) = stream.chunk().await? {
        bytes += chunk.len() as u64;
        lines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
    }
    let seconds = started.elapsed().as_secs_f64();
    let rows = lines.saturating_sub(1);
    Ok(ExportResult {
        rows,
        bytes,
        seconds: round(seconds, 2),
        rows_per_s: round(rows as f64 / seconds.max(0.001), 0),
        rss_peak_mb: mib(sampler.take_window()),
    })
}
