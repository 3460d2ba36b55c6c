//! `/api/v1/imports`: uploading a file to import (multipart), following the job, its
//! report of refused rows (CSV), running it again after a dry run, undoing it; saved
//! column mappings; and the exports of the company and people lists.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Body;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_app::exports::{Export, ExportFormat, csv_line};
use rapport_app::imports::{self, Options};
use rapport_app::{Actor, App, AppError};
use rapport_core::imports::ImportKind;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppState;
use crate::api::{Caller, IdPath, JsonBody, QueryPairs};
use crate::problem::Problem;

fn accepted(view: &imports::ImportView) -> Response {
    let mut response = (StatusCode::ACCEPTED, Json(view)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/imports/{}", view.import.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn invalid(field: &str, message: impl Into<String>) -> Problem {
    AppError::from(rapport_core::Invalid::one(field, "invalid", message)).into()
}

/// The options a form or client sent as multipart text fields.
async fn options_of(
    app: &App,
    actor: &Actor,
    kind: ImportKind,
    fields: &BTreeMap<String, String>,
) -> Result<Options, Problem> {
    let mut body = serde_json::Map::new();
    for name in ["mode", "encoding", "delimiter", "upsert"] {
        if let Some(value) = fields.get(name).filter(|v| !v.trim().is_empty()) {
            let value = if name == "mode" {
                imports::Mode::parse(value)
                    .map(|m| json!(m))
                    .ok_or_else(|| invalid("mode", "must be all_or_nothing or valid_rows"))?
            } else {
                json!(value.trim())
            };
            body.insert(name.into(), value);
        }
    }
    if let Some(dry) = fields.get("dry_run") {
        body.insert("dry_run".into(), json!(matches!(dry.trim(), "true" | "1" | "on" | "yes")));
    }
    if let Some(mapping) = fields.get("mapping").filter(|m| !m.trim().is_empty()) {
        let parsed: BTreeMap<String, String> = serde_json::from_str(mapping).map_err(|_| {
            invalid("mapping", "must be a JSON object of header to field, e.g. {\"E-mail\": \"email\"}")
        })?;
        body.insert("mapping".into(), json!(parsed));
    } else if let Some(saved) = fields.get("mapping_id").filter(|m| !m.trim().is_empty()) {
        body.insert("mapping".into(), json!(imports::mapping(app, actor, kind, saved.trim()).await?));
    }
    Ok(imports::parse_options(Value::Object(body))?)
}

/// `POST /imports`: multipart with `file` and `kind` (companies or people), optionally
/// `mapping` (JSON) or `mapping_id`, `mode`, `dry_run`, `encoding`, `delimiter`, `upsert`.
/// The upload is stored and the job queued: `202` with the import.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    mut multipart: Multipart,
) -> Result<Response, Problem> {
    let app = &state.app;
    let mut fields: BTreeMap<String, String> = BTreeMap::new();
    let mut upload: Option<imports::Upload> = None;
    let result = async {
        while let Some(mut field) =
            multipart.next_field().await.map_err(|e| Problem::bad_request(format!("the form is malformed: {e}")))?
        {
            let name = field.name().unwrap_or("").to_string();
            if name == "file" {
                let kind = fields
                    .get("kind")
                    .and_then(|k| ImportKind::parse(k))
                    .ok_or_else(|| invalid("kind", "send kind (companies or people) before the file"))?;
                let file_name = field.file_name().unwrap_or("upload").to_string();
                let mut started = imports::begin_upload(app, &caller.actor, kind, &file_name).await?;
                loop {
                    match field.chunk().await {
                        Ok(Some(bytes)) => {
                            if let Err(error) = started.write(app, &bytes).await {
                                started.abandon(app).await;
                                return Err(too_large(error));
                            }
                        }
                        Ok(None) => break,
                        Err(e) => {
                            started.abandon(app).await;
                            return Err(Problem::bad_request(format!("the upload broke off: {e}")));
                        }
                    }
                }
                upload = Some(started);
            } else {
                let value =
                    field.text().await.map_err(|e| Problem::bad_request(format!("the form is malformed: {e}")))?;
                fields.insert(name, value);
            }
        }
        Ok::<(), Problem>(())
    }
    .await;
    if let Err(problem) = result {
        if let Some(upload) = upload {
            upload.abandon(app).await;
        }
        return Err(problem);
    }
    let Some(upload) = upload else { return Err(invalid("file", "send the file to import as the form's file field")) };
    let kind = fields.get("kind").and_then(|k| ImportKind::parse(k)).unwrap_or(ImportKind::People);
    let options = match options_of(app, &caller.actor, kind, &fields).await {
        Ok(options) => options,
        Err(problem) => {
            upload.abandon(app).await;
            return Err(problem);
        }
    };
    let view = upload.finish(app, &caller.actor, options, true).await?;
    Ok(accepted(&view))
}

fn too_large(error: AppError) -> Problem {
    match error {
        AppError::BadRequest(detail) => {
            Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", "File too large", detail)
        }
        other => other.into(),
    }
}

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    let items = imports::list(&state.app, &caller.actor, 100).await?;
    Ok(Json(json!({ "items": items, "next_cursor": null })).into_response())
}

pub async fn get(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    Ok(Json(imports::get(&state.app, &caller.actor, id).await?).into_response())
}

pub async fn columns(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    Ok(Json(imports::columns(&state.app, &caller.actor, id).await?).into_response())
}

/// `POST /imports/{id}/run` with the options (after a dry run, or to change them).
pub async fn run(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let options = imports::parse_options(body)?;
    Ok(accepted(&imports::begin(&state.app, &caller.actor, id, Some(options)).await?))
}

pub async fn undo(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    Ok(accepted(&imports::undo(&state.app, &caller.actor, id).await?))
}

const REPORT_PAGE: u64 = 1000;

/// `GET /imports/{id}/report`: every refused row as CSV (line, column, reason, code,
/// existing record), read and sent a page at a time.
pub async fn report(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let first = imports::rejects(&state.app, &caller.actor, id, 0, REPORT_PAGE).await?;
    let header = csv_line(&["line", "column", "reason", "code", "existing_id"].map(String::from));
    let lines = |page: &[imports::Reject]| -> String {
        page.iter()
            .map(|r| {
                csv_line(&[
                    r.line.to_string(),
                    r.column_name.clone(),
                    r.reason.clone(),
                    r.code.clone(),
                    r.existing_id.map(|e| e.to_string()).unwrap_or_default(),
                ])
            })
            .collect()
    };
    let start = format!("{header}{}", lines(&first));
    let after = first.last().map(|r| r.seq);
    let (app, actor) = (state.app.clone(), caller.actor);
    let rest = futures_util::stream::try_unfold((app, actor, after), move |(app, actor, after)| async move {
        let Some(after) = after else { return Ok::<_, AppError>(None) };
        let page = imports::rejects(&app, &actor, id, after, REPORT_PAGE).await?;
        let next = if page.len() as u64 == REPORT_PAGE { page.last().map(|r| r.seq) } else { None };
        if page.is_empty() {
            return Ok(None);
        }
        Ok(Some((lines(&page), (app, actor, next))))
    });
    let more = first.len() as u64 == REPORT_PAGE;
    let body = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok(start) }),
        futures_util::StreamExt::take_while(rest, move |_| futures_util::future::ready(more)),
    );
    attachment(Body::from_stream(body), "text/csv; charset=utf-8", &format!("import-{id}-report.csv"))
}

fn attachment(body: Body, content_type: &'static str, file_name: &str) -> Result<Response, Problem> {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

pub async fn mappings(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let mut kind = None;
    for (name, value) in params {
        match name.as_str() {
            "kind" => {
                kind = Some(
                    ImportKind::parse(&value)
                        .ok_or_else(|| Problem::bad_request("kind must be companies or people"))?,
                )
            }
            _ => return Err(Problem::bad_request(format!("unknown query parameter {name:?}"))),
        }
    }
    let items = imports::mappings(&state.app, &caller.actor, kind).await?;
    Ok(Json(json!({ "items": items, "next_cursor": null })).into_response())
}

/// `POST /import-mappings` with `{"name", "kind", "columns": {"Header": "field"}}`.
pub async fn save_mapping(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let name = body.get("name").and_then(Value::as_str).unwrap_or("");
    let kind = body
        .get("kind")
        .and_then(Value::as_str)
        .and_then(ImportKind::parse)
        .ok_or_else(|| invalid("kind", "must be companies or people"))?;
    let columns: BTreeMap<String, String> = body
        .get("columns")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|_| invalid("columns", "must be an object of header to field key"))?
        .unwrap_or_default();
    imports::save_mapping(&state.app, &caller.actor, kind, name, &columns).await?;
    let saved =
        imports::mappings(&state.app, &caller.actor, Some(kind)).await?.into_iter().find(|m| m.name == name.trim());
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

pub async fn delete_mapping(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> Result<StatusCode, Problem> {
    imports::delete_mapping(&state.app, &caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /{companies,people}/export?format=csv|xlsx|vcf&<the list's filters>`.
pub async fn export(
    app: &App,
    actor: &Actor,
    collection: &str,
    params: Vec<(String, String)>,
) -> Result<Response, Problem> {
    let mut format = None;
    let mut rest = Vec::new();
    for (name, value) in params {
        if name == "format" { format = Some(value) } else { rest.push((name, value)) }
    }
    let format = format.ok_or_else(|| Problem::bad_request("format must be csv, xlsx or (people) vcf"))?;
    let mut export = Export::start(app, actor, collection, &format, rest).await?;
    let file_name = export.file_name();
    let content_type = export.format.content_type();
    if export.format == ExportFormat::Xlsx {
        let stream = futures_util::stream::once(async move {
            let mut file = tempfile().map_err(|e| AppError::BadRequest(e.to_string()))?;
            export.write_xlsx(&mut file).await?;
            Ok::<_, AppError>(file)
        });
        let bytes = futures_util::StreamExt::flat_map(stream, |file| match file {
            Ok(file) => futures_util::StreamExt::left_stream(file_stream(file)),
            Err(error) => futures_util::StreamExt::right_stream(futures_util::stream::once(async move { Err(error) })),
        });
        return attachment(Body::from_stream(bytes), content_type, &file_name);
    }
    // The first page is read before answering, so a failure is still a problem answer.
    let first = export.next_text(true).await?.unwrap_or_default();
    let rest = futures_util::stream::try_unfold(export, |mut export| async move {
        Ok::<_, AppError>(export.next_text(false).await?.map(|text| (text, export)))
    });
    let body = futures_util::StreamExt::chain(futures_util::stream::once(async move { Ok(first) }), rest);
    attachment(Body::from_stream(body), content_type, &file_name)
}

fn tempfile() -> std::io::Result<std::fs::File> {
    let path = std::env::temp_dir().join(format!("rapport-export-{}", Uuid::now_v7().simple()));
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

/// A file read 64 KiB at a time.
fn file_stream(file: std::fs::File) -> impl futures_util::Stream<Item = Result<Vec<u8>, AppError>> {
    futures_util::stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buffer = vec![0u8; 64 * 1024];
        match std::io::Read::read(&mut file, &mut buffer) {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok(buffer), Some(file)))
            }
            Err(e) => Some((Err(AppError::BadRequest(e.to_string())), None)),
        }
    })
}

pub async fn export_companies(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    export(&state.app, &caller.actor, "companies", params).await
}

pub async fn export_people(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    export(&state.app, &caller.actor, "people", params).await
}
