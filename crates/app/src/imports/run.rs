//! The import job: the file is read on a blocking thread (parsing is CPU work, and the
//! readers are synchronous) and handed over in batches through a small queue, so only a
//! few batches are ever in memory; each batch is checked and written by [`super::batch`].

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rapport_core::custom_fields::{CustomFieldSpec, RecordKind};
use rapport_core::imports::{ImportKind, ImportRow, Target, encoding, row};
use rapport_store::Exec;
use rapport_store::imports::{self as store, Import};
use rapport_store::jobs::Job;
use serde_json::Value;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::batch::Writer;
use super::read::{self, Opened, ReadError, ReadOptions};
use super::{Columns, Options, Summary, delimiter_byte, kind_of, suggest_all};
use crate::jobs::{JobError, JobFuture, Progress};
use crate::{Actor, App, AppError, now};

/// Rows checked and written together (one transaction each in the valid-rows mode).
pub(crate) const BATCH: usize = 2000;

/// The upload, read from the database a piece at a time on a blocking thread.
struct Pieces {
    app: App,
    id: Uuid,
    seq: i32,
    piece: Vec<u8>,
    at: usize,
    read: Arc<AtomicU64>,
    handle: tokio::runtime::Handle,
}

impl Read for Pieces {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.piece.len() {
            let next = self.handle.block_on(store::piece(&mut self.app.reader(), self.id, self.seq));
            match next {
                Ok(Some(piece)) => {
                    self.piece = piece;
                    self.at = 0;
                    self.seq += 1;
                }
                Ok(None) => return Ok(0),
                Err(error) => return Err(std::io::Error::other(error.to_string())),
            }
        }
        let n = out.len().min(self.piece.len() - self.at);
        out[..n].copy_from_slice(&self.piece[self.at..self.at + n]);
        self.at += n;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// What the reading thread hands over.
pub(crate) enum Message {
    Start { summary: Summary },
    Rows(Vec<ImportRow>),
    Failed(String),
}

async fn specs(app: &App, kind: ImportKind) -> Result<Vec<CustomFieldSpec>, AppError> {
    let record = if kind == ImportKind::Companies { RecordKind::Company } else { RecordKind::Person };
    Ok(rapport_store::custom_fields::list(&mut app.reader(), Some(record)).await?.into_iter().map(|f| f.spec).collect())
}

fn read_options(options: &Options) -> ReadOptions {
    ReadOptions {
        encoding: options.encoding.as_deref().and_then(encoding::by_name),
        delimiter: options.delimiter.as_deref().and_then(delimiter_byte),
    }
}

fn open(app: &App, import: &Import, options: &Options, read: Arc<AtomicU64>) -> Result<Opened, ReadError> {
    let pieces = Pieces {
        app: app.clone(),
        id: import.id,
        seq: 0,
        piece: Vec::new(),
        at: 0,
        read,
        handle: tokio::runtime::Handle::current(),
    };
    read::open(Box::new(pieces), &import.file_name, import.file_size as u64, &read_options(options))
}

/// The mapping to read with: the options' (by header) or the suggestions. Unknown field
/// keys and a mapping that leaves every column out are refused.
fn mapping(
    headers: &[String],
    kind: ImportKind,
    options: &Options,
    specs: &[CustomFieldSpec],
) -> Result<Vec<Option<Target>>, String> {
    let custom: Vec<(String, String)> = specs.iter().map(|s| (s.key.clone(), s.label.clone())).collect();
    let mapping = match &options.mapping {
        None => suggest_all(headers, kind, &custom),
        Some(chosen) => {
            let mut mapping = Vec::with_capacity(headers.len());
            for header in headers {
                let key = chosen.get(header).map(String::as_str).unwrap_or("");
                if key.is_empty() {
                    mapping.push(None);
                    continue;
                }
                match Target::parse(key, kind) {
                    Some(target) => mapping.push(Some(target)),
                    None => return Err(format!("column {header:?}: {key:?} is not a field of {}", kind.as_str())),
                }
            }
            mapping
        }
    };
    if mapping.iter().all(Option::is_none) {
        return Err("no column is mapped to a field: choose a field for at least one column".into());
    }
    Ok(mapping)
}

/// Reads the file on this (blocking) thread and sends its rows in batches.
fn read_all(
    app: App,
    import: Import,
    options: Options,
    specs: Vec<CustomFieldSpec>,
    read: Arc<AtomicU64>,
    send: mpsc::Sender<Message>,
) {
    let kind = kind_of(&import);
    let fail = |message: String| {
        let _ = send.blocking_send(Message::Failed(message));
    };
    let opened = match open(&app, &import, &options, read) {
        Ok(opened) => opened,
        Err(error) => return fail(error.to_string()),
    };
    match opened {
        Opened::Cards { cards, found } => {
            if kind != ImportKind::People {
                return fail("a vCard file holds people: import it as people".into());
            }
            let summary =
                Summary { format: Some(found.format.as_str().into()), encoding: found.encoding, ..Default::default() };
            if send.blocking_send(Message::Start { summary }).is_err() {
                return;
            }
            for chunk in cards.chunks(BATCH) {
                if send.blocking_send(Message::Rows(chunk.iter().map(row::from_vcard).collect())).is_err() {
                    return;
                }
            }
        }
        Opened::Table { headers, mut rows, found } => {
            let mapping = match mapping(&headers, kind, &options, &specs) {
                Ok(mapping) => mapping,
                Err(message) => return fail(message),
            };
            let summary = Summary {
                format: Some(found.format.as_str().into()),
                encoding: found.encoding,
                delimiter: found.delimiter,
                mapping: headers.iter().cloned().zip(mapping.iter().map(|t| t.as_ref().map(Target::key))).collect(),
                headers: headers.clone(),
                ..Default::default()
            };
            if send.blocking_send(Message::Start { summary }).is_err() {
                return;
            }
            let mut batch = Vec::with_capacity(BATCH);
            loop {
                match rows.next_row() {
                    Ok(Some((line, cells))) => {
                        let mut built = row::build(kind, line, &headers, &mapping, &cells, &specs);
                        for (i, cell) in cells.iter().enumerate() {
                            if cell.chars().count() > read::MAX_CELL {
                                let header = headers.get(i).cloned().unwrap_or_else(|| format!("column {}", i + 1));
                                built.problem(
                                    &header,
                                    "too_long",
                                    format!("the cell is longer than {} characters", read::MAX_CELL),
                                );
                            }
                        }
                        batch.push(built);
                        if batch.len() == BATCH
                            && send.blocking_send(Message::Rows(std::mem::take(&mut batch))).is_err()
                        {
                            return;
                        }
                    }
                    Ok(None) => break,
                    Err(error) => return fail(error.to_string()),
                }
            }
            if !batch.is_empty() {
                let _ = send.blocking_send(Message::Rows(batch));
            }
        }
    }
}

/// How an import run ended.
pub(crate) enum Ended {
    Finished(Summary),
    /// The file could not be read, or (all or nothing) rows were refused.
    Failed(String, Summary),
}

/// Who hears how far an import got: the job's progress, or a caller in this process
/// (the command line's progress bar) with bytes read, bytes in all and rows so far.
pub(crate) enum Watch<'a> {
    Job(&'a Progress),
    Call(&'a (dyn Fn(u64, u64, u64) + Send + Sync)),
    None,
}

/// Runs the import with `actor`'s rights; `watch` hears how far it got.
pub(crate) async fn execute(app: &App, actor: &Actor, import: &Import, watch: &Watch<'_>) -> Result<Ended, AppError> {
    let options: Options = serde_json::from_value(import.options.clone()).unwrap_or_default();
    let kind = kind_of(import);
    let specs = specs(app, kind).await?;
    let (send, mut receive) = mpsc::channel(2);
    let read = Arc::new(AtomicU64::new(0));
    let reader = {
        let (app, import, options, read) = (app.clone(), import.clone(), options.clone(), read.clone());
        tokio::task::spawn_blocking(move || read_all(app, import, options, specs, read, send))
    };
    let Some(first) = receive.recv().await else {
        return Ok(Ended::Failed("the file cannot be read".into(), Summary::default()));
    };
    let summary = match first {
        Message::Start { summary } => summary,
        Message::Failed(message) => return Ok(Ended::Failed(message, Summary::default())),
        Message::Rows(_) => Summary::default(),
    };
    let mut writer = Writer::new(app, actor, import.id, kind, &options, summary).await?;
    let total = Some(import.file_size);
    let mut failure = None;
    while let Some(message) = receive.recv().await {
        match message {
            Message::Rows(rows) => writer.batch(rows).await?,
            Message::Failed(message) => {
                failure = Some(message);
                break;
            }
            Message::Start { .. } => {}
        }
        let done = read.load(Ordering::Relaxed);
        match watch {
            Watch::Job(progress) if writer.may_report() => {
                progress.report(done as i64, total).await.map_err(|e| AppError::BadRequest(e.to_string()))?;
            }
            Watch::Call(call) => call(done, import.file_size as u64, writer.rows()),
            _ => {}
        }
    }
    drop(receive);
    let _ = reader.await;
    writer.finish(failure).await
}

/// The user an import runs as: its creator, with the rights they have now.
async fn actor_of(app: &App, import: &Import) -> Result<Actor, AppError> {
    match import.created_by {
        None => Ok(Actor::system()),
        Some(user) => {
            let user = rapport_store::users::get(&mut app.reader(), user).await?.ok_or(AppError::NotFound)?;
            Actor::load(app, &user).await
        }
    }
}

async fn finish(app: &App, import: &Import, ended: &Ended) -> Result<(), AppError> {
    let dry_run = serde_json::from_value::<Options>(import.options.clone()).unwrap_or_default().dry_run;
    let (state, summary, error) = match ended {
        Ended::Finished(summary) => (if dry_run { "checked" } else { "done" }, summary, None),
        // A dry run that read its file is checked, whatever it found.
        Ended::Failed(message, summary) => {
            (if dry_run && summary.format.is_some() { "checked" } else { "failed" }, summary, Some(message.clone()))
        }
    };
    let mut tx = app.db.begin().await?;
    let summary = serde_json::to_value(summary).unwrap_or(Value::Null);
    let at = tx.ts(now());
    store::set(
        &mut tx,
        import.id,
        vec![("state", state.into()), ("summary", summary.into()), ("error", error.into()), ("finished_at", at)],
    )
    .await?;
    if !dry_run {
        // The file is kept for a dry run's real run; after that it has served.
        store::drop_file(&mut tx, import.id).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn run_import(app: &App, id: Uuid, watch: &Watch<'_>) -> Result<Ended, AppError> {
    let import = store::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    store::set(&mut tx, id, vec![("state", "running".into()), ("error", Option::<String>::None.into())]).await?;
    store::clear_rejects(&mut tx, id).await?;
    tx.commit().await?;
    let actor = actor_of(app, &import).await?;
    let ended = match execute(app, &actor, &import, watch).await {
        Ok(ended) => ended,
        Err(AppError::Store(error)) => return Err(AppError::Store(error)),
        Err(other) => Ended::Failed(other.to_string(), Summary::default()),
    };
    finish(app, &import, &ended).await?;
    Ok(ended)
}

pub(crate) fn run(app: App, job: Job, progress: Progress) -> JobFuture {
    Box::pin(async move {
        let id = job.payload.get("import_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok());
        let id = id.ok_or_else(|| JobError::Fatal("the job names no import".into()))?;
        match run_import(&app, id, &Watch::Job(&progress)).await {
            Ok(Ended::Finished(summary)) => Ok(serde_json::to_value(summary).unwrap_or(Value::Null)),
            Ok(Ended::Failed(message, _)) => Err(JobError::Fatal(message)),
            Err(error) => {
                // The import must not stay "running" forever after a failure of the database.
                if let Ok(mut tx) = app.db.begin().await {
                    let _ =
                        store::set(&mut tx, id, vec![("state", "failed".into()), ("error", error.to_string().into())])
                            .await;
                    let _ = tx.commit().await;
                }
                Err(JobError::Fatal(error.to_string()))
            }
        }
    })
}

/// Runs an uploaded (or checked) import in this process, now, without the job queue:
/// the command line's way. The work is the job's own.
pub async fn run_now(app: &App, actor: &Actor, id: Uuid, options: Options) -> Result<super::ImportView, AppError> {
    run_watched(app, actor, id, options, None).await
}

/// [`run_now`], telling `watch` the bytes read, the bytes in all and the rows so far.
pub async fn run_watched(
    app: &App,
    actor: &Actor,
    id: Uuid,
    options: Options,
    watch: Option<&(dyn Fn(u64, u64, u64) + Send + Sync)>,
) -> Result<super::ImportView, AppError> {
    let import = super::load(app, actor, id).await?;
    super::require(actor, kind_of(&import))?;
    if !matches!(import.state.as_str(), "uploaded" | "checked") {
        return Err(AppError::Conflict { message: format!("the import is {}", import.state), referrers: vec![] });
    }
    let mut tx = app.db.begin().await?;
    let options = serde_json::to_value(&options).unwrap_or_default();
    store::set(&mut tx, id, vec![("state", "queued".into()), ("options", options.into())]).await?;
    tx.commit().await?;
    let watch = match watch {
        Some(call) => Watch::Call(call),
        None => Watch::None,
    };
    run_import(app, id, &watch).await?;
    super::get(app, actor, id).await
}

/// The header, the first rows and the suggested field of each column of an upload.
pub(crate) async fn columns(app: &App, import: &Import) -> Result<Columns, AppError> {
    let options: Options = serde_json::from_value(import.options.clone()).unwrap_or_default();
    let kind = kind_of(import);
    let specs = specs(app, kind).await?;
    let (app, import) = (app.clone(), import.clone());
    let task = tokio::task::spawn_blocking(move || {
        let opened = open(&app, &import, &options, Arc::default());
        let custom: Vec<(String, String)> = specs.iter().map(|s| (s.key.clone(), s.label.clone())).collect();
        match opened {
            Err(error) => {
                Columns { found: None, columns: Vec::new(), sample: Vec::new(), error: Some(error.to_string()) }
            }
            Ok(Opened::Cards { found, cards }) => Columns {
                found: Some(found),
                columns: Vec::new(),
                sample: cards
                    .iter()
                    .take(5)
                    .map(|c| vec![c.first("FN").map(|p| p.text()).unwrap_or_default()])
                    .collect(),
                error: None,
            },
            Ok(Opened::Table { headers, mut rows, found }) => {
                let chosen = options.mapping.clone();
                let suggested = suggest_all(&headers, kind, &custom);
                let columns = headers
                    .iter()
                    .zip(suggested)
                    .map(|(h, t)| {
                        let key = match &chosen {
                            Some(chosen) => chosen.get(h).cloned().filter(|k| !k.is_empty()),
                            None => t.map(|t| t.key()),
                        };
                        (h.clone(), key)
                    })
                    .collect();
                let mut sample = Vec::new();
                while sample.len() < 5 {
                    match rows.next_row() {
                        Ok(Some((_, cells))) => sample.push(cells),
                        _ => break,
                    }
                }
                Columns { found: Some(found), columns, sample, error: None }
            }
        }
    });
    task.await.map_err(|e| AppError::BadRequest(e.to_string()))
}
