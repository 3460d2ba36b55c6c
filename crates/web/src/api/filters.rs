//! `/api/v1/filters`: saved filters of the company and people lists.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::filters;
use serde_json::json;

use crate::AppState;
use crate::api::extract::record;
use crate::api::{Caller, IdPath, IfMatch, JsonBody, QueryPairs};
use crate::problem::Problem;

/// The one optional parameter of an index of filters or lists: `collection`.
pub(super) fn collection_param(params: &[(String, String)]) -> Result<Option<&str>, Problem> {
    let mut collection = None;
    for (name, value) in params {
        match (name.as_str(), value.as_str()) {
            ("collection", c @ ("companies" | "people")) => collection = Some(c),
            ("collection", _) => return Err(Problem::bad_request("collection must be companies or people")),
            _ => return Err(Problem::bad_request(format!("unknown query parameter {name:?}"))),
        }
    }
    Ok(collection)
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let items = filters::list(&state.app, &caller.actor, collection_param(&params)?).await?;
    Ok(Json(json!({ "items": items, "next_cursor": null })).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let filter = filters::create(&state.app, &caller.actor, body).await?;
    Ok(record(StatusCode::CREATED, filter.version, &filter, Some(format!("/api/v1/filters/{}", filter.id))))
}

pub async fn get(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let filter = filters::get(&state.app, &caller.actor, id).await?;
    Ok(record(StatusCode::OK, filter.version, &filter, None))
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    IfMatch(version): IfMatch,
    JsonBody(patch): JsonBody,
) -> Result<Response, Problem> {
    let filter = filters::update(&state.app, &caller.actor, id, patch, version).await?;
    Ok(record(StatusCode::OK, filter.version, &filter, None))
}

pub async fn delete(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<StatusCode, Problem> {
    filters::delete(&state.app, &caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn history(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let entries = filters::history(&state.app, &caller.actor, id).await?;
    Ok(Json(json!({ "items": entries })).into_response())
}
