//! `/api/v1/lists`: distribution lists, their members and their CSV export, and the
//! lists a company or person is in.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_app::lists::{self, Members};
use rapport_app::{Actor, App, AppError};
use serde_json::{Value, json};
use uuid::Uuid;

use super::filters::collection_param;
use crate::AppState;
use crate::api::extract::record;
use crate::api::{Caller, IdPair, IdPath, IfMatch, JsonBody, QueryPairs};
use crate::problem::Problem;

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let items = lists::list(&state.app, &caller.actor, collection_param(&params)?).await?;
    Ok(Json(json!({ "items": items, "next_cursor": null })).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let list = lists::create(&state.app, &caller.actor, body).await?;
    Ok(record(StatusCode::CREATED, list.version, &list, Some(format!("/api/v1/lists/{}", list.id))))
}

pub async fn get(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let list = lists::get(&state.app, &caller.actor, id).await?;
    Ok(record(StatusCode::OK, list.version, &list, None))
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    IfMatch(version): IfMatch,
    JsonBody(patch): JsonBody,
) -> Result<Response, Problem> {
    let list = lists::update(&state.app, &caller.actor, id, patch, version).await?;
    Ok(record(StatusCode::OK, list.version, &list, None))
}

pub async fn delete(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<StatusCode, Problem> {
    lists::delete(&state.app, &caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn history(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let entries = lists::history(&state.app, &caller.actor, id).await?;
    Ok(Json(json!({ "items": entries })).into_response())
}

pub async fn members(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    Ok(Json(lists::members(&state.app, &caller.actor, id, params).await?).into_response())
}

pub async fn add_members(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    Ok(Json(lists::add_members(&state.app, &caller.actor, id, body).await?).into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    caller: Caller,
    IdPair(id, record_id): IdPair,
) -> Result<StatusCode, Problem> {
    lists::remove_member(&state.app, &caller.actor, id, record_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn of_company(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> Result<Response, Problem> {
    let items = lists::lists_of(&state.app, &caller.actor, "companies", id).await?;
    Ok(Json(json!({ "items": items, "next_cursor": null })).into_response())
}

pub async fn of_person(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let items = lists::lists_of(&state.app, &caller.actor, "people", id).await?;
    Ok(Json(json!({ "items": items, "next_cursor": null })).into_response())
}

/// `GET /lists/{id}/members/export?format=csv`: the members as CSV, read and sent a
/// page at a time, so a long list never sits in memory whole.
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    for (name, value) in &params {
        if name != "format" || value != "csv" {
            return Err(Problem::bad_request("the export takes format=csv"));
        }
    }
    let list = lists::get(&state.app, &caller.actor, id).await?;
    // The first page is read before answering, so a failure is still a problem answer.
    let first = lists::members(&state.app, &caller.actor, id, page_params(None)).await?;
    let columns = if list.collection == "companies" { COMPANY_COLUMNS } else { PERSON_COLUMNS };
    let header = csv_line(&columns.iter().map(|(title, _)| title.to_string()).collect::<Vec<_>>());
    let body = Body::from_stream(stream(state.app.clone(), caller.actor, id, columns, header, first));
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let file = format!("attachment; filename=\"list-{id}.csv\"");
    if let Ok(value) = HeaderValue::from_str(&file) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Rows read per page of an export.
const EXPORT_PAGE: &str = "500";

fn page_params(cursor: Option<String>) -> Vec<(String, String)> {
    let mut params = vec![("limit".to_string(), EXPORT_PAGE.to_string())];
    params.extend(cursor.map(|c| ("cursor".to_string(), c)));
    params
}

type Column = (&'static str, fn(&Value) -> String);

const COMPANY_COLUMNS: &[Column] = &[
    ("name", |r| text(r, "name")),
    ("code", |r| text(r, "code")),
    ("email", |r| contact(r, &["email"])),
    ("phone", |r| contact(r, &["phone", "mobile"])),
    ("area", |r| text(r, "area")),
    ("status", |r| text(r, "status")),
    ("id", |r| text(r, "id")),
];

const PERSON_COLUMNS: &[Column] = &[
    ("name", |r| text(r, "full_name")),
    ("email", |r| contact(r, &["email"])),
    ("phone", |r| contact(r, &["mobile", "phone"])),
    ("id", |r| text(r, "id")),
];

fn text(record: &Value, field: &str) -> String {
    record.get(field).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// The primary contact method of one of `kinds`, else the first one.
fn contact(record: &Value, kinds: &[&str]) -> String {
    let methods = record.get("contact_methods").and_then(Value::as_array).cloned().unwrap_or_default();
    let of_kind: Vec<&Value> = methods.iter().filter(|m| kinds.contains(&text(m, "kind").as_str())).collect();
    let primary = of_kind.iter().find(|m| m.get("primary") == Some(&Value::Bool(true)));
    primary.or(of_kind.first()).map(|m| text(m, "value")).unwrap_or_default()
}

use rapport_app::exports::csv_line;

fn rows(page: &Members, columns: &[Column]) -> String {
    page.values().iter().map(|r| csv_line(&columns.iter().map(|(_, cell)| cell(r)).collect::<Vec<_>>())).collect()
}

/// The header and the first page, then every further page as it is read.
fn stream(
    app: App,
    actor: Actor,
    id: Uuid,
    columns: &'static [Column],
    header: String,
    first: Members,
) -> impl futures_util::Stream<Item = Result<String, AppError>> {
    let start = format!("{header}{}", rows(&first, columns));
    let next = first.next_cursor().map(str::to_string);
    let rest = futures_util::stream::try_unfold((app, actor, next), move |(app, actor, cursor)| async move {
        let Some(cursor) = cursor else { return Ok(None) };
        let page = lists::members(&app, &actor, id, page_params(Some(cursor))).await?;
        let next = page.next_cursor().map(str::to_string);
        Ok(Some((rows(&page, columns), (app, actor, next))))
    });
    futures_util::StreamExt::chain(futures_util::stream::once(async move { Ok(start) }), rest)
}
