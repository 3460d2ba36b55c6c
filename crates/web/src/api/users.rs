//! `/api/v1/users`

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::AppError;
use rapport_app::users::{self, UserDraft};
use rapport_core::Invalid;

use crate::AppState;
use crate::api::extract::record;
use crate::api::{Caller, IdPath, IfMatch, JsonBody};
use crate::problem::Problem;

pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    Ok(Json(serde_json::json!({ "items": users::list(&state.app, &caller.actor).await?, "next_cursor": null }))
        .into_response())
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let draft: UserDraft =
        serde_json::from_value(body).map_err(|e| AppError::Invalid(Invalid::one("", "invalid_type", e.to_string())))?;
    let created = users::create(&state.app, &caller.actor, draft).await?;
    let location = format!("/api/v1/users/{}", created.user.user.id);
    Ok(record(StatusCode::CREATED, created.user.user.version, &created, Some(location)))
}

pub async fn me(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    let user = users::get(&state.app, &caller.actor, caller.user.id).await?;
    Ok(record(StatusCode::OK, user.user.version, &user, None))
}

pub async fn get(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let user = users::get(&state.app, &caller.actor, id).await?;
    Ok(record(StatusCode::OK, user.user.version, &user, None))
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    IfMatch(version): IfMatch,
    JsonBody(patch): JsonBody,
) -> Result<Response, Problem> {
    let user = users::update(&state.app, &caller.actor, id, patch, version).await?;
    Ok(record(StatusCode::OK, user.user.version, &user, None))
}
