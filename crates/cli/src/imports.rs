//! `rapport import` and `rapport export`: the import job run in this process with a
//! progress bar on a terminal (plain lines otherwise), and a list exported to standard
//! output.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use rapport_app::exports::{Export, ExportFormat};
use rapport_app::imports::{self, Mode, Options, Upsert};
use rapport_app::{Actor, App};
use rapport_core::imports::ImportKind;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The file: .csv, .xlsx, .xls, .ods or .vcf.
    file: PathBuf,
    /// What the file holds: companies or people.
    #[arg(long)]
    kind: String,
    /// A mapping saved under this name (by --user), instead of the suggested one.
    #[arg(long)]
    mapping: Option<String>,
    /// Check every row and report, writing nothing.
    #[arg(long)]
    dry_run: bool,
    /// all-or-nothing (default) or valid-rows.
    #[arg(long, default_value = "all-or-nothing")]
    mode: String,
    /// The file's encoding, when the guess is wrong (utf-8, windows-1250, windows-1251, gb18030).
    #[arg(long)]
    encoding: Option<String>,
    /// The CSV delimiter, when the guess is wrong (, ; | or tab).
    #[arg(long)]
    delimiter: Option<String>,
    /// Update records by: auto (external id, else code), none, code, external_id.
    #[arg(long, default_value = "auto")]
    upsert: String,
    /// Import as this user (their rights, their saved mappings, their ownership).
    #[arg(long)]
    user: Option<String>,
    /// Where to write the refused rows (default: next to the file, .rejected.csv).
    #[arg(long)]
    report: Option<PathBuf>,
}

async fn actor(app: &App, login: Option<&str>) -> Result<Actor> {
    let Some(login) = login else { return Ok(Actor::system()) };
    let users = rapport_app::users::list(app, &Actor::system()).await?;
    let user =
        users.into_iter().find(|u| u.user.login == login).with_context(|| format!("there is no user {login:?}"))?;
    Ok(Actor::load(app, &user.user).await?)
}

fn bar(done: u64, total: u64, rows: u64, terminal: bool, last: &std::sync::Mutex<u64>) {
    let percent = (done * 100).checked_div(total).unwrap_or(0).min(100);
    let mut shown = last.lock().unwrap_or_else(|e| e.into_inner());
    if terminal {
        let filled = (percent / 4) as usize;
        eprint!("\r[{}{}] {percent:>3}%  {rows} rows", "#".repeat(filled), " ".repeat(25 - filled));
    } else if percent >= *shown + 10 {
        eprintln!("{percent}% read, {rows} rows");
        *shown = percent;
    }
}

pub async fn import(app: &App, args: ImportArgs) -> Result<()> {
    let kind = ImportKind::parse(&args.kind).context("--kind must be companies or people")?;
    let actor = actor(app, args.user.as_deref()).await?;
    let mode = Mode::parse(&args.mode).context("--mode must be all-or-nothing or valid-rows")?;
    let upsert = match args.upsert.replace('-', "_").as_str() {
        "auto" => Upsert::Auto,
        "none" => Upsert::None,
        "code" => Upsert::Code,
        "external_id" => Upsert::ExternalId,
        _ => bail!("--upsert must be auto, none, code or external-id"),
    };
    let mapping = match &args.mapping {
        Some(name) if args.user.is_none() => bail!("--mapping {name:?} needs --user: mappings are saved per user"),
        Some(name) => Some(imports::mapping(app, &actor, kind, name).await?),
        None => None,
    };
    let options =
        Options { mapping, mode, dry_run: args.dry_run, encoding: args.encoding, delimiter: args.delimiter, upsert };
    imports::parse_options(serde_json::to_value(&options)?)?;
    let name = args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut file = std::fs::File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let mut upload = imports::begin_upload(app, &actor, kind, &name).await?;
    let mut buffer = vec![0u8; 1024 * 1024];
    loop {
        let n = std::io::Read::read(&mut file, &mut buffer)
            .with_context(|| format!("cannot read {}", args.file.display()))?;
        if n == 0 {
            break;
        }
        if let Err(error) = upload.write(app, &buffer[..n]).await {
            upload.abandon(app).await;
            return Err(error.into());
        }
    }
    let view = upload.finish(app, &actor, options.clone(), false).await?;
    let terminal = std::io::stderr().is_terminal();
    let last = std::sync::Mutex::new(0u64);
    let watch = |done: u64, total: u64, rows: u64| bar(done, total, rows, terminal, &last);
    let started = std::time::Instant::now();
    let view = imports::run_watched(app, &actor, view.import.id, options, Some(&watch)).await?;
    if terminal {
        eprintln!();
    }
    let summary = view.import.summary.clone().unwrap_or_default();
    let count = |key: &str| summary.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0);
    println!(
        "import {} {}: {} rows, {} created, {} updated, {} unchanged, {} refused ({} duplicates) in {:.1} s",
        view.import.id,
        view.import.state,
        count("rows"),
        count("created"),
        count("updated"),
        count("unchanged"),
        count("rejected"),
        count("duplicates"),
        started.elapsed().as_secs_f64()
    );
    let rejects =
        write_report(app, &actor, &view, args.report.unwrap_or_else(|| args.file.with_extension("rejected.csv")))
            .await?;
    if let Some(error) = &view.import.error {
        eprintln!("{error}");
    }
    if view.import.state == "failed" || (rejects > 0 && !args.dry_run && mode == Mode::AllOrNothing) {
        bail!("the import failed");
    }
    Ok(())
}

/// Writes the refused rows to `path`; how many there were.
async fn write_report(app: &App, actor: &Actor, view: &imports::ImportView, path: PathBuf) -> Result<usize> {
    let mut after = 0;
    let mut written = 0;
    let mut out: Option<std::io::BufWriter<std::fs::File>> = None;
    loop {
        let page = imports::rejects(app, actor, view.import.id, after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        let out = match &mut out {
            Some(out) => out,
            None => {
                let mut file = std::io::BufWriter::new(
                    std::fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))?,
                );
                file.write_all(
                    rapport_app::exports::csv_line(
                        &["line", "column", "reason", "code", "existing_id"].map(String::from),
                    )
                    .as_bytes(),
                )?;
                out.insert(file)
            }
        };
        for r in &page {
            let cells = [
                r.line.to_string(),
                r.column_name.clone(),
                r.reason.clone(),
                r.code.clone(),
                r.existing_id.map(|e| e.to_string()).unwrap_or_default(),
            ];
            out.write_all(rapport_app::exports::csv_line(&cells).as_bytes())?;
            written += 1;
        }
    }
    if let Some(mut out) = out {
        out.flush()?;
        println!("refused rows: {} ({written} problems)", path.display());
    }
    Ok(written)
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// companies or people
    #[arg(long)]
    kind: String,
    /// csv, xlsx or (people) vcf
    #[arg(long, default_value = "csv")]
    format: String,
    /// Search text, as the list's search box takes it.
    #[arg(long)]
    q: Option<String>,
    /// A list filter, as the API's query parameter: --where status=active (repeatable).
    #[arg(long = "where")]
    filters: Vec<String>,
}

pub async fn export(app: &App, args: ExportArgs) -> Result<()> {
    let collection = match ImportKind::parse(&args.kind) {
        Some(kind) => kind.as_str(),
        None => bail!("--kind must be companies or people"),
    };
    let mut params: Vec<(String, String)> = args.q.into_iter().map(|q| ("q".to_string(), q)).collect();
    for filter in args.filters {
        let (name, value) =
            filter.split_once('=').with_context(|| format!("--where {filter:?}: write it as name=value"))?;
        params.push((name.to_string(), value.to_string()));
    }
    let mut export = Export::start(app, &Actor::system(), collection, &args.format, params).await?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if export.format == ExportFormat::Xlsx {
        let path = std::env::temp_dir().join(format!("rapport-export-{}", uuid::Uuid::now_v7().simple()));
        let mut file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
        std::fs::remove_file(&path)?;
        export.write_xlsx(&mut file).await?;
        std::io::copy(&mut file, &mut out)?;
    } else {
        let mut first = true;
        while let Some(text) = export.next_text(first).await? {
            out.write_all(text.as_bytes())?;
            first = false;
        }
    }
    out.flush()?;
    Ok(())
}
