//! `/api/v1/custom-fields`

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::{AppError, custom_fields};

use crate::AppState;
use crate::api::extract::record;
use crate::api::{Caller, IdPath, IfMatch, JsonBody, QueryPairs};
use crate::problem::Problem;

pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let mut kind = None;
    for (name, value) in &params {
        match name.as_str() {
            "record_kind" => kind = Some(value.as_str()),
            _ => return Err(AppError::BadRequest(format!("unknown query parameter {name:?}")).into()),
        }
    }
    let items = custom_fields::list(&state.app, kind).await?;
    Ok(Json(serde_json::json!({ "items": items, "next_cursor": null })).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let field = custom_fields::create(&state.app, &caller.actor, body).await?;
    let location = format!("/api/v1/custom-fields/{}", field.id);
    Ok(record(StatusCode::CREATED, field.version, &field, Some(location)))
}

pub async fn get(State(state): State<AppState>, _caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let field = custom_fields::get(&state.app, id).await?;
    Ok(record(StatusCode::OK, field.version, &field, None))
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    IfMatch(version): IfMatch,
    JsonBody(patch): JsonBody,
) -> Result<Response, Problem> {
    let field = custom_fields::update(&state.app, &caller.actor, id, patch, version).await?;
    Ok(record(StatusCode::OK, field.version, &field, None))
}
