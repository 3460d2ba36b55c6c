//! `/api/v1/roles`, `/teams` and `/deletion-requests`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::{deletion_requests, roles, teams};
use serde_json::json;

use crate::AppState;
use crate::api::extract::record;
use crate::api::{Caller, IdPath, IfMatch, JsonBody};
use crate::problem::Problem;

pub async fn list_roles(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    Ok(Json(json!({ "items": roles::list(&state.app, &caller.actor).await?, "next_cursor": null })).into_response())
}

pub async fn create_role(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let role = roles::create(&state.app, &caller.actor, body).await?;
    Ok(record(StatusCode::CREATED, role.version, &role, Some(format!("/api/v1/roles/{}", role.id))))
}

pub async fn get_role(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let role = roles::get(&state.app, &caller.actor, id).await?;
    Ok(record(StatusCode::OK, role.version, &role, None))
}

pub async fn update_role(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let role = roles::update(&state.app, &caller.actor, id, body, version).await?;
    Ok(record(StatusCode::OK, role.version, &role, None))
}

pub async fn list_teams(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    Ok(Json(json!({ "items": teams::list(&state.app, &caller.actor).await?, "next_cursor": null })).into_response())
}

pub async fn create_team(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let team = teams::create(&state.app, &caller.actor, body).await?;
    Ok(record(StatusCode::CREATED, team.version, &team, Some(format!("/api/v1/teams/{}", team.id))))
}

pub async fn get_team(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let team = teams::get(&state.app, &caller.actor, id).await?;
    Ok(record(StatusCode::OK, team.version, &team, None))
}

pub async fn update_team(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let team = teams::update(&state.app, &caller.actor, id, body, version).await?;
    Ok(record(StatusCode::OK, team.version, &team, None))
}

pub async fn list_deletion_requests(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    let items = deletion_requests::list(&state.app, &caller.actor).await?;
    Ok(Json(json!({ "items": items, "next_cursor": null })).into_response())
}

pub async fn file_deletion_request(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let request = deletion_requests::file(&state.app, &caller.actor, body).await?;
    let location = format!("/api/v1/deletion-requests/{}", request.id);
    Ok((StatusCode::CREATED, [("location", location)], Json(request)).into_response())
}

pub async fn get_deletion_request(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> Result<Response, Problem> {
    Ok(Json(deletion_requests::get(&state.app, &caller.actor, id).await?).into_response())
}

pub async fn approve(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    Ok(Json(deletion_requests::decide(&state.app, &caller.actor, id, true).await?).into_response())
}

pub async fn reject(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    Ok(Json(deletion_requests::decide(&state.app, &caller.actor, id, false).await?).into_response())
}
