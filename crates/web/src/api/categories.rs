//! `/api/v1/categories`: category kinds (including the built-in stages and levels) and their values.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::categories;

use crate::AppState;
use crate::api::{Caller, IdPair, IdPath, JsonBody};
use crate::problem::Problem;

pub async fn list(State(state): State<AppState>, _caller: Caller) -> Result<Response, Problem> {
    let items = categories::list(&state.app).await?;
    Ok(Json(serde_json::json!({ "items": items, "next_cursor": null })).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let kind = categories::create_kind(&state.app, &caller.actor, body).await?;
    Ok((StatusCode::CREATED, [("location", format!("/api/v1/categories/{}", kind.id))], Json(kind)).into_response())
}

pub async fn get(State(state): State<AppState>, _caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    Ok(Json(categories::get(&state.app, id).await?).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    Ok(Json(categories::update_kind(&state.app, &caller.actor, id, body).await?).into_response())
}

pub async fn delete(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<StatusCode, Problem> {
    categories::delete_kind(&state.app, &caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn add_value(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    Ok((StatusCode::CREATED, Json(categories::add_value(&state.app, &caller.actor, id, body).await?)).into_response())
}

pub async fn update_value(
    State(state): State<AppState>,
    caller: Caller,
    IdPair(id, value_id): IdPair,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    Ok(Json(categories::update_value(&state.app, &caller.actor, id, value_id, body).await?).into_response())
}

pub async fn delete_value(
    State(state): State<AppState>,
    caller: Caller,
    IdPair(id, value_id): IdPair,
) -> Result<StatusCode, Problem> {
    categories::delete_value(&state.app, &caller.actor, id, value_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
