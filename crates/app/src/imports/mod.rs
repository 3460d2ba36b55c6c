//! Imports (FEATURES J2): a file of companies or people, uploaded, mapped column by column
//! to fields, checked row by row through the same parsing the API uses, and written as one
//! batch that can be undone. The work runs as a background job ([`IMPORT`]); the report
//! names every refused row's line, column and reason.
//!
//! Modes: a **dry run** checks every row and keeps a preview, writing nothing; **all or
//! nothing** writes every row in one transaction, or none when any row is refused;
//! **valid rows** writes the rows that pass, a few thousand per transaction, and reports
//! the others.

mod batch;
mod duplicates;
pub mod read;
mod run;
mod undo;
mod write;

use std::collections::BTreeMap;

use rapport_core::access::Action;
use rapport_core::imports::{ImportKind, Target, suggest};
pub use rapport_store::imports::Reject;
use rapport_store::imports::{self as store, Import, Mapping, NewImport};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::jobs::{self, JobKind};
use crate::{Actor, App, AppError, now};

pub use read::{Format, ReadError};
pub use run::{run_now, run_watched};

/// The job that runs an import.
pub const IMPORT: JobKind = JobKind { name: "import", run: run::run, max_attempts: 1, every: None };
/// The job that undoes one.
pub const UNDO: JobKind = JobKind { name: "import_undo", run: undo::run, max_attempts: 1, every: None };

/// Bytes per stored piece of an upload.
pub const PIECE: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    AllOrNothing,
    ValidRows,
}

impl Mode {
    pub fn parse(raw: &str) -> Option<Mode> {
        match raw.trim().replace('-', "_").as_str() {
            "all_or_nothing" => Some(Mode::AllOrNothing),
            "valid_rows" | "valid_rows_only" => Some(Mode::ValidRows),
            _ => None,
        }
    }
}

/// Which existing record a row updates instead of creating a new one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Upsert {
    /// By external id when the row has one, else by customer code (companies).
    #[default]
    Auto,
    None,
    Code,
    ExternalId,
}

/// How an import reads its file and writes its rows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Header → field key (`""` leaves the column out). Without it, the suggestions.
    #[serde(default)]
    pub mapping: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub mode: Mode,
    #[serde(default)]
    pub dry_run: bool,
    #[serde(default)]
    pub encoding: Option<String>,
    #[serde(default)]
    pub delimiter: Option<String>,
    #[serde(default)]
    pub upsert: Upsert,
}

/// What an import found and did, kept with it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    pub duplicates: u64,
    pub format: Option<String>,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub headers: Vec<String>,
    /// Header → field key, as the rows were read.
    pub mapping: Vec<(String, Option<String>)>,
    /// The first rows as they would be saved (a dry run), or were.
    pub preview: Vec<Value>,
}

/// An import as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ImportView {
    #[serde(flatten)]
    pub import: Import,
    pub progress: Progress,
    pub report: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub done: i64,
    pub total: Option<i64>,
    pub percent: Option<i64>,
}

/// The header and first rows of an upload, with the suggested field of each column.
#[derive(Debug, Clone, Serialize)]
pub struct Columns {
    pub found: Option<read::Found>,
    pub columns: Vec<(String, Option<String>)>,
    pub sample: Vec<Vec<String>>,
    pub error: Option<String>,
}

pub(crate) fn kind_of(import: &Import) -> ImportKind {
    ImportKind::parse(&import.kind).unwrap_or(ImportKind::People)
}

/// The action every import use case needs on the kind imported.
fn require(actor: &Actor, kind: ImportKind) -> Result<(), AppError> {
    actor.require(kind.record_kind(), Action::Import)?;
    actor.require(kind.record_kind(), Action::Create)
}

/// Checks options sent by a client; field keys of the mapping are checked when the
/// file's header is known.
pub fn parse_options(value: Value) -> Result<Options, AppError> {
    let options: Options =
        serde_json::from_value(value).map_err(|e| rapport_core::Invalid::one("options", "invalid", e.to_string()))?;
    let mut invalid = rapport_core::Invalid::default();
    if let Some(encoding) = &options.encoding
        && rapport_core::imports::encoding::by_name(encoding).is_none()
    {
        invalid.push(
            "encoding",
            "invalid_choice",
            "is not an encoding (e.g. utf-8, windows-1250, windows-1251, gb18030)",
        );
    }
    if let Some(delimiter) = &options.delimiter
        && delimiter_byte(delimiter).is_none()
    {
        invalid.push("delimiter", "invalid_choice", "is one character: , ; | or tab");
    }
    invalid.into_result(options).map_err(AppError::from)
}

pub(crate) fn delimiter_byte(raw: &str) -> Option<u8> {
    match raw {
        "tab" | "\\t" | "\t" => Some(b'\t'),
        other if other.len() == 1 && other.is_ascii() => Some(other.as_bytes()[0]),
        _ => None,
    }
}

/// An upload in progress: the import row exists, its file grows a piece at a time.
pub struct Upload {
    pub id: Uuid,
    buffer: Vec<u8>,
    seq: i32,
    size: u64,
}

/// Starts an upload of `file_name` for `kind`. The file's pieces are written in short
/// transactions of their own, so a slow upload never holds the database's writer.
pub async fn begin_upload(app: &App, actor: &Actor, kind: ImportKind, file_name: &str) -> Result<Upload, AppError> {
    require(actor, kind)?;
    let name: String = file_name.chars().filter(|c| !c.is_control()).take(200).collect();
    let id = Uuid::now_v7();
    let mut tx = app.db.begin().await?;
    let options = json!({});
    let new = NewImport {
        id,
        kind: kind.as_str(),
        format: "",
        file_name: if name.is_empty() { "upload" } else { &name },
        options: &options,
        state: "uploading",
        created_by: actor.user_id,
    };
    store::insert(&mut tx, &new, now()).await?;
    tx.commit().await?;
    Ok(Upload { id, buffer: Vec::with_capacity(PIECE), seq: 0, size: 0 })
}

impl Upload {
    /// Adds bytes; fails with 413-worthy news once the file passes the limit.
    pub async fn write(&mut self, app: &App, bytes: &[u8]) -> Result<(), AppError> {
        self.size += bytes.len() as u64;
        if self.size > read::MAX_FILE {
            return Err(AppError::BadRequest(format!(
                "the file is larger than the limit of {} MB",
                read::MAX_FILE / (1024 * 1024)
            )));
        }
        self.buffer.extend_from_slice(bytes);
        while self.buffer.len() >= PIECE {
            let rest = self.buffer.split_off(PIECE);
            let piece = std::mem::replace(&mut self.buffer, rest);
            self.store(app, &piece).await?;
        }
        Ok(())
    }

    async fn store(&mut self, app: &App, piece: &[u8]) -> Result<(), AppError> {
        let mut tx = app.db.begin().await?;
        store::put_piece(&mut tx, self.id, self.seq, piece).await?;
        tx.commit().await?;
        self.seq += 1;
        Ok(())
    }

    /// Ends the upload: the import waits for its mapping (`start` false) or is queued.
    pub async fn finish(
        mut self,
        app: &App,
        actor: &Actor,
        options: Options,
        start: bool,
    ) -> Result<ImportView, AppError> {
        let rest = std::mem::take(&mut self.buffer);
        if !rest.is_empty() {
            self.store(app, &rest).await?;
        }
        let first = store::piece(&mut app.reader(), self.id, 0).await?.unwrap_or_default();
        let import = store::get(&mut app.reader(), self.id).await?.ok_or(AppError::NotFound)?;
        let format = Format::detect(&import.file_name, &first);
        let options = serde_json::to_value(&options).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let mut tx = app.db.begin().await?;
        store::set(
            &mut tx,
            self.id,
            vec![("format", format.as_str().into()), ("options", options.into()), ("state", "uploaded".into())],
        )
        .await?;
        tx.commit().await?;
        if start {
            return begin(app, actor, self.id, None).await;
        }
        get(app, actor, self.id).await
    }

    /// Forgets an upload that failed half-way.
    pub async fn abandon(self, app: &App) {
        if let Ok(mut tx) = app.db.begin().await
            && store::delete(&mut tx, self.id).await.is_ok()
        {
            let _ = tx.commit().await;
        }
    }
}

/// Loads an import its creator (or an administrator) may see.
pub(crate) async fn load(app: &App, actor: &Actor, id: Uuid) -> Result<Import, AppError> {
    let import = store::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)?;
    if import.created_by != actor.user_id && !actor.is_admin() {
        return Err(AppError::NotFound);
    }
    Ok(import)
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<ImportView, AppError> {
    let import = load(app, actor, id).await?;
    view(app, import).await
}

async fn view(app: &App, import: Import) -> Result<ImportView, AppError> {
    let finished = matches!(import.state.as_str(), "done" | "checked" | "failed" | "undone");
    // Only an import under way has progress to read (a history of finished ones reads none).
    let job = match import.job_id {
        Some(job) if !finished => rapport_store::jobs::get(&mut app.reader(), job).await?,
        _ => None,
    };
    let (done, total) = job.map_or((0, None), |j| (j.progress_done, j.progress_total));
    let (done, total) = if finished { (import.file_size, Some(import.file_size)) } else { (done, total) };
    let percent = total.filter(|t| *t > 0).map(|t| (done * 100 / t).clamp(0, 100));
    let rejected = import.summary.as_ref().and_then(|s| s.get("rejected")).and_then(Value::as_u64).unwrap_or(0);
    let report = (rejected > 0 || import.state == "failed").then(|| format!("/api/v1/imports/{}/report", import.id));
    Ok(ImportView { import, progress: Progress { done, total, percent }, report })
}

/// The imports the actor made, newest first (an administrator sees everyone's).
pub async fn list(app: &App, actor: &Actor, limit: u64) -> Result<Vec<ImportView>, AppError> {
    let user = if actor.is_admin() { None } else { Some(actor.user_id.ok_or(AppError::Unauthenticated)?) };
    let mut views = Vec::new();
    for import in store::list(&mut app.reader(), user, limit).await? {
        views.push(view(app, import).await?);
    }
    Ok(views)
}

/// Queues the import's job (again, after a dry run or a change of mapping). `options`
/// replaces the stored ones when given.
pub async fn begin(app: &App, actor: &Actor, id: Uuid, options: Option<Options>) -> Result<ImportView, AppError> {
    let import = load(app, actor, id).await?;
    require(actor, kind_of(&import))?;
    if !matches!(import.state.as_str(), "uploaded" | "checked") {
        return Err(AppError::Conflict {
            message: format!("the import is {}; only an uploaded or checked import can be run", import.state),
            referrers: vec![],
        });
    }
    let mut tx = app.db.begin().await?;
    let job = jobs::queue(&mut tx, &IMPORT, json!({"import_id": id}), actor, Some(format!("import:{id}"))).await?;
    let mut values = vec![("state", "queued".into()), ("job_id", job.into())];
    if let Some(options) = options {
        values.push(("options", serde_json::to_value(&options).unwrap_or_default().into()));
    }
    store::set(&mut tx, id, values).await?;
    tx.commit().await?;
    jobs::wake(app);
    get(app, actor, id).await
}

/// The headers of the uploaded file, the first rows and each column's suggested field.
pub async fn columns(app: &App, actor: &Actor, id: Uuid) -> Result<Columns, AppError> {
    let import = load(app, actor, id).await?;
    run::columns(app, &import).await
}

/// The field a header suggests for `kind`, with the kind's custom fields considered.
pub(crate) fn suggest_all(headers: &[String], kind: ImportKind, custom: &[(String, String)]) -> Vec<Option<Target>> {
    headers.iter().map(|h| suggest(h, kind, custom)).collect()
}

/// The refused rows, `limit` at a time after `after` (for the CSV report).
pub async fn rejects(app: &App, actor: &Actor, id: Uuid, after: i32, limit: u64) -> Result<Vec<Reject>, AppError> {
    load(app, actor, id).await?;
    Ok(store::rejects(&mut app.reader(), id, after, limit).await?)
}

/// Queues the undo of a finished import.
pub async fn undo(app: &App, actor: &Actor, id: Uuid) -> Result<ImportView, AppError> {
    let import = load(app, actor, id).await?;
    require(actor, kind_of(&import))?;
    if import.state != "done" {
        return Err(AppError::Conflict {
            message: format!("only a finished import can be undone; this one is {}", import.state),
            referrers: vec![],
        });
    }
    let mut tx = app.db.begin().await?;
    let job = jobs::queue(&mut tx, &UNDO, json!({"import_id": id}), actor, Some(format!("import:{id}"))).await?;
    store::set(&mut tx, id, vec![("state", "undoing".into()), ("job_id", job.into())]).await?;
    tx.commit().await?;
    jobs::wake(app);
    get(app, actor, id).await
}

/// Saves the mapping under a name for the actor (replacing one of the same name).
pub async fn save_mapping(
    app: &App,
    actor: &Actor,
    kind: ImportKind,
    name: &str,
    columns: &BTreeMap<String, String>,
) -> Result<(), AppError> {
    let owner = actor.user_id.ok_or_else(|| AppError::Forbidden("mappings are saved per user".into()))?;
    let name = rapport_core::text::required(Some(name), 100)
        .map_err(|e| rapport_core::Invalid::one("name", "invalid", e.to_string()))?;
    let mut invalid = rapport_core::Invalid::default();
    for (header, key) in columns {
        if !key.is_empty() && Target::parse(key, kind).is_none() {
            invalid.push(
                format!("mapping.{header}"),
                "unknown_field",
                format!("{key:?} is not a field of {}", kind.as_str()),
            );
        }
    }
    invalid.into_result(()).map_err(AppError::from)?;
    let mut tx = app.db.begin().await?;
    store::save_mapping(&mut tx, owner, kind.as_str(), &name, &json!(columns), now()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn mappings(app: &App, actor: &Actor, kind: Option<ImportKind>) -> Result<Vec<Mapping>, AppError> {
    let Some(owner) = actor.user_id else { return Ok(Vec::new()) };
    Ok(store::mappings(&mut app.reader(), owner, kind.map(ImportKind::as_str)).await?)
}

/// A saved mapping of the actor by its name or id, as header → field key.
pub async fn mapping(
    app: &App,
    actor: &Actor,
    kind: ImportKind,
    name_or_id: &str,
) -> Result<BTreeMap<String, String>, AppError> {
    let found = mappings(app, actor, Some(kind))
        .await?
        .into_iter()
        .find(|m| m.name == name_or_id || m.id.to_string() == name_or_id)
        .ok_or_else(|| {
            rapport_core::Invalid::one(
                "mapping",
                "unknown_mapping",
                format!("you have no saved mapping {name_or_id:?}"),
            )
        })?;
    Ok(serde_json::from_value(found.columns).unwrap_or_default())
}

pub async fn delete_mapping(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let owner = actor.user_id.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    if !store::delete_mapping(&mut tx, owner, id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
