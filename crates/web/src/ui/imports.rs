//! `/imports`: uploading a file, choosing each column's field (suggested from the headers,
//! or a saved mapping), a dry run with its preview and problems, the run with a progress
//! that refreshes itself (a meta refresh: no script needed), the outcome with the report
//! and an undo, and the history of one's imports.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::AppError;
use rapport_app::imports::{self, ImportView, Mode, Options, Upsert};
use rapport_core::imports::{ImportKind, Target, encoding};
use serde_json::Value;

use super::companies::parse_id;
use super::context::{FormData, Viewer};
use super::i18n::L;
use super::layout::{Shell, UiError, l};
use super::list::{SelectOption, param, parse_query};
use crate::AppState;

pub struct HistoryRow {
    pub id: String,
    pub file: String,
    pub kind: String,
    pub state: String,
    pub counts: String,
    pub at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "imports.html")]
struct IndexPage {
    shell: Shell,
    l: L,
    rows: Vec<HistoryRow>,
    kinds: Vec<SelectOption>,
    encodings: Vec<SelectOption>,
    delimiters: Vec<SelectOption>,
    error: String,
    no_errors: super::forms::FieldErrors,
}

fn options(values: Vec<(String, String)>, current: &str) -> Vec<SelectOption> {
    values.into_iter().map(|(value, label)| SelectOption { selected: value == current, value, label }).collect()
}

fn counts(l: &L, view: &ImportView) -> String {
    let summary = view.import.summary.clone().unwrap_or(Value::Null);
    let n = |key: &str| summary.get(key).and_then(Value::as_u64).unwrap_or(0) as usize;
    if summary.is_null() {
        return String::new();
    }
    [
        l.count("import-count-rows", n("rows")),
        l.count("import-count-created", n("created")),
        l.count("import-count-updated", n("updated")),
        l.count("import-count-rejected", n("rejected")),
    ]
    .join(" · ")
}

async fn index_page(state: &AppState, viewer: &Viewer, error: String) -> Result<IndexPage, UiError> {
    let l = l(&viewer.ctx);
    let history = imports::list(&state.app, viewer.actor(), 50).await?;
    let rows = history
        .iter()
        .map(|view| HistoryRow {
            id: view.import.id.to_string(),
            file: view.import.file_name.clone(),
            kind: l.t(&format!("import-kind-{}", view.import.kind)),
            state: l.t(&format!("import-state-{}", view.import.state)),
            counts: counts(&l, view),
            at: view.import.created_at.date().to_string(),
        })
        .collect();
    let kinds = options(
        vec![("people".into(), l.t("import-kind-people")), ("companies".into(), l.t("import-kind-companies"))],
        "people",
    );
    let mut encodings = vec![(String::new(), l.t("import-detect"))];
    encodings.extend(encoding::CHOICES.iter().map(|c| (c.to_string(), c.to_uppercase())));
    let delimiters = vec![
        (String::new(), l.t("import-detect")),
        (",".into(), ", (comma)".into()),
        (";".into(), "; (semicolon)".into()),
        ("tab".into(), l.t("import-delimiter-tab")),
        ("|".into(), "|".into()),
    ];
    Ok(IndexPage {
        shell: Shell::new(&viewer.ctx, l.t("imports-title"), "imports"),
        rows,
        kinds,
        encodings: options(encodings, ""),
        delimiters: options(delimiters, ""),
        error,
        no_errors: Default::default(),
        l,
    })
}

pub async fn index(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    Ok(index_page(&state, &viewer, String::new()).await?.into_response())
}

/// `POST /imports` (multipart): stores the file and opens its mapping page.
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    mut multipart: Multipart,
) -> Result<Response, UiError> {
    let app = &state.app;
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut upload = None;
    let mut failure = None;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        if name != "file" {
            fields.insert(name, field.text().await.unwrap_or_default());
            continue;
        }
        let kind = fields.get("kind").and_then(|k| ImportKind::parse(k)).unwrap_or(ImportKind::People);
        let file_name = field.file_name().unwrap_or("upload").to_string();
        let mut started = imports::begin_upload(app, viewer.actor(), kind, &file_name).await?;
        loop {
            match field.chunk().await {
                Ok(Some(bytes)) => {
                    if let Err(error) = started.write(app, &bytes).await {
                        failure = Some(error.to_string());
                        break;
                    }
                }
                Ok(None) => break,
                Err(error) => {
                    failure = Some(error.to_string());
                    break;
                }
            }
        }
        upload = Some(started);
    }
    let l = l(&viewer.ctx);
    let upload = match (upload, failure) {
        (Some(upload), None) => upload,
        (upload, failure) => {
            if let Some(upload) = upload {
                upload.abandon(app).await;
            }
            let message = failure.unwrap_or_else(|| l.t("import-choose-file"));
            let page = index_page(&state, &viewer, message).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let options = Options {
        encoding: fields.get("encoding").filter(|e| !e.is_empty()).cloned(),
        delimiter: fields.get("delimiter").filter(|d| !d.is_empty()).cloned(),
        ..Options::default()
    };
    let view = upload.finish(app, viewer.actor(), options, false).await?;
    Ok(Redirect::to(&format!("/imports/{}", view.import.id)).into_response())
}

pub struct ColumnRow {
    pub index: usize,
    pub header: String,
    pub sample: String,
    pub targets: Vec<SelectOption>,
}

pub struct PreviewRow {
    pub line: String,
    pub action: String,
    pub name: String,
    pub contact: String,
}

pub struct ProblemRow {
    pub line: String,
    pub column: String,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
struct ImportPage {
    shell: Shell,
    l: L,
    id: String,
    file: String,
    kind: String,
    state: String,
    state_label: String,
    /// Refresh the page while the job runs.
    refresh: bool,
    percent: i64,
    mappable: bool,
    columns: Vec<ColumnRow>,
    saved: Vec<SelectOption>,
    modes: Vec<SelectOption>,
    upserts: Vec<SelectOption>,
    read_error: String,
    found: String,
    counts: String,
    error: String,
    preview: Vec<PreviewRow>,
    problems: Vec<ProblemRow>,
    report: String,
    undoable: bool,
    no_errors: super::forms::FieldErrors,
}

fn target_label(l: &L, key: &str) -> String {
    if let Some((purpose, part)) = key.split_once('.')
        && ["address", "billing", "delivery", "postal"].contains(&purpose)
    {
        return format!("{}: {}", l.t(&format!("import-address-{purpose}")), l.t(&format!("field-{part}")));
    }
    let name = key.replace('.', "_");
    l.find(&format!("import-field-{name}"))
        .or_else(|| l.find(&format!("field-{name}")))
        .unwrap_or_else(|| key.to_string())
}

fn targets(
    l: &L,
    kind: ImportKind,
    current: Option<&str>,
    custom: &[(String, String)],
    header: &str,
) -> Vec<SelectOption> {
    let mut values = vec![(String::new(), l.t("import-skip"))];
    values.extend(Target::all(kind).into_iter().map(|t| {
        let key = t.key();
        let label = target_label(l, &key);
        (key, label)
    }));
    values.extend(
        custom.iter().map(|(key, label)| (format!("custom.{key}"), format!("{}: {label}", l.t("import-custom")))),
    );
    let attribute = rapport_core::imports::fields::header_key(header).replace(' ', "_");
    if rapport_core::attributes::valid_key(&attribute) {
        values.push((format!("attr.{attribute}"), format!("{}: {attribute}", l.t("import-attribute"))));
    }
    if let Some(current) = current
        && !values.iter().any(|(v, _)| v == current)
    {
        values.push((current.to_string(), current.to_string()));
    }
    options(values, current.unwrap_or(""))
}

fn record_line(record: &Value) -> (String, String) {
    let text = |v: &Value, f: &str| v.get(f).and_then(Value::as_str).unwrap_or("").to_string();
    let name = match text(record, "name") {
        n if !n.is_empty() => n,
        _ => [text(record, "given_name"), text(record, "family_name")].join(" ").trim().to_string(),
    };
    (name, super::list::main_contact(record, &["email", "mobile", "phone"]))
}

async fn import_page(
    state: &AppState,
    viewer: &Viewer,
    id: uuid::Uuid,
    chosen_mapping: &str,
) -> Result<ImportPage, UiError> {
    let (app, actor) = (&state.app, viewer.actor());
    let l = l(&viewer.ctx);
    let view = imports::get(app, actor, id).await?;
    let import = &view.import;
    let kind = ImportKind::parse(&import.kind).unwrap_or(ImportKind::People);
    let options: Options = serde_json::from_value(import.options.clone()).unwrap_or_default();
    let mappable = matches!(import.state.as_str(), "uploaded" | "checked");
    let mut columns = Vec::new();
    let mut read_error = String::new();
    let mut found = String::new();
    if mappable {
        let saved = if chosen_mapping.is_empty() {
            None
        } else {
            Some(imports::mapping(app, actor, kind, chosen_mapping).await?)
        };
        let listed = imports::columns(app, actor, id).await?;
        read_error = listed.error.clone().unwrap_or_default();
        if let Some(f) = &listed.found {
            found = [
                Some(f.format.as_str().to_uppercase()),
                f.encoding.clone(),
                f.delimiter.clone().map(|d| format!("“{d}”")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        }
        let record = if kind == ImportKind::Companies { "company" } else { "person" };
        let custom: Vec<(String, String)> = rapport_app::custom_fields::list(app, Some(record))
            .await?
            .into_iter()
            .map(|f| (f.spec.key, f.spec.label))
            .collect();
        for (index, (header, suggested)) in listed.columns.iter().enumerate() {
            let current = match &saved {
                Some(saved) => saved.get(header).cloned().filter(|k| !k.is_empty()),
                None => suggested.clone(),
            };
            let sample = listed
                .sample
                .iter()
                .filter_map(|row| row.get(index))
                .find(|c| !c.trim().is_empty())
                .cloned()
                .unwrap_or_default();
            columns.push(ColumnRow {
                index,
                header: header.clone(),
                sample,
                targets: targets(&l, kind, current.as_deref(), &custom, header),
            });
        }
    }
    let saved = imports::mappings(app, actor, Some(kind))
        .await?
        .into_iter()
        .map(|m| SelectOption { selected: m.name == chosen_mapping, value: m.name.clone(), label: m.name })
        .collect();
    let mode = if options.mode == Mode::ValidRows { "valid_rows" } else { "all_or_nothing" };
    let modes = options_of(
        vec![("all_or_nothing".into(), l.t("import-mode-all")), ("valid_rows".into(), l.t("import-mode-valid"))],
        mode,
    );
    let upserts = options_of(
        vec![
            ("auto".into(), l.t("import-upsert-auto")),
            ("external_id".into(), l.t("import-upsert-external")),
            ("code".into(), l.t("import-upsert-code")),
            ("none".into(), l.t("import-upsert-none")),
        ],
        match options.upsert {
            Upsert::Auto => "auto",
            Upsert::ExternalId => "external_id",
            Upsert::Code => "code",
            Upsert::None => "none",
        },
    );
    let summary = import.summary.clone().unwrap_or(Value::Null);
    let preview = summary
        .get("preview")
        .and_then(Value::as_array)
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    let (name, contact) = record_line(&row["record"]);
                    PreviewRow {
                        line: row["line"].to_string(),
                        action: l.t(&format!("import-action-{}", row["action"].as_str().unwrap_or("create"))),
                        name,
                        contact,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let problems = imports::rejects(app, actor, id, 0, 50)
        .await?
        .into_iter()
        .map(|r| ProblemRow { line: r.line.to_string(), column: r.column_name, reason: r.reason })
        .collect();
    let running = matches!(import.state.as_str(), "queued" | "running" | "undoing");
    Ok(ImportPage {
        shell: Shell::new(&viewer.ctx, import.file_name.clone(), "imports"),
        id: id.to_string(),
        file: import.file_name.clone(),
        kind: l.t(&format!("import-kind-{}", import.kind)),
        state: import.state.clone(),
        state_label: l.t(&format!("import-state-{}", import.state)),
        refresh: running,
        percent: view.progress.percent.unwrap_or(0),
        mappable,
        columns,
        saved,
        modes,
        upserts,
        read_error,
        found,
        counts: counts(&l, &view),
        error: import.error.clone().unwrap_or_default(),
        preview,
        problems,
        report: view.report.clone().unwrap_or_default(),
        undoable: import.state == "done",
        no_errors: Default::default(),
        l,
    })
}

fn options_of(values: Vec<(String, String)>, current: &str) -> Vec<SelectOption> {
    options(values, current)
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let pairs = parse_query(raw.as_deref());
    Ok(import_page(&state, &viewer, id, param(&pairs, "mapping")).await?.into_response())
}

/// `POST /imports/{id}/start`: the chosen mapping (saved under a name if one is given),
/// mode and upsert key; a dry run (`check`) or the real run.
pub async fn start(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let (app, actor) = (&state.app, viewer.actor());
    let view = imports::get(app, actor, id).await?;
    let kind = ImportKind::parse(&view.import.kind).unwrap_or(ImportKind::People);
    let stored: Options = serde_json::from_value(view.import.options.clone()).unwrap_or_default();
    let columns = imports::columns(app, actor, id).await?;
    let mapping: BTreeMap<String, String> = columns
        .columns
        .iter()
        .enumerate()
        .map(|(i, (header, _))| (header.clone(), form.get(&format!("map-{i}")).to_string()))
        .collect();
    let name = form.get("mapping_name").trim();
    if !name.is_empty() {
        imports::save_mapping(app, actor, kind, name, &mapping).await?;
    }
    let upsert = match form.get("upsert") {
        "none" => Upsert::None,
        "code" => Upsert::Code,
        "external_id" => Upsert::ExternalId,
        _ => Upsert::Auto,
    };
    let options = Options {
        mapping: Some(mapping),
        mode: Mode::parse(form.get("mode")).unwrap_or_default(),
        dry_run: form.get("action") == "check",
        upsert,
        ..stored
    };
    imports::begin(app, actor, id, Some(options)).await?;
    Ok(Redirect::to(&format!("/imports/{id}")).into_response())
}

pub async fn undo(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    match imports::undo(&state.app, viewer.actor(), id).await {
        Ok(_) | Err(AppError::Conflict { .. }) => Ok(Redirect::to(&format!("/imports/{id}")).into_response()),
        Err(other) => Err(other.into()),
    }
}
