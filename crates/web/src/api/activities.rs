//! `/api/v1/activities`, the cards' timelines, `/api/v1/threads` and
//! `/api/v1/activity-kinds`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::activities::{self, Card};
use serde_json::json;

use crate::AppState;
use crate::api::extract::record;
use crate::api::{Caller, IdPath, IfMatch, JsonBody, QueryPairs};
use crate::problem::Problem;

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    Ok(Json(activities::list(&state.app, &caller.actor, params).await?).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let activity = activities::create(&state.app, &caller.actor, body).await?;
    let location = format!("/api/v1/activities/{}", activity.id);
    Ok(record(StatusCode::CREATED, activity.version, &activity, Some(location)))
}

pub async fn get(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let activity = activities::get(&state.app, &caller.actor, id).await?;
    Ok(record(StatusCode::OK, activity.version, &activity, None))
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    IfMatch(version): IfMatch,
    JsonBody(patch): JsonBody,
) -> Result<Response, Problem> {
    let activity = activities::update(&state.app, &caller.actor, id, patch, version).await?;
    Ok(record(StatusCode::OK, activity.version, &activity, None))
}

/// `DELETE` archives: an activity is history, so it is kept (and can be restored).
pub async fn archive(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<StatusCode, Problem> {
    activities::set_archived(&state.app, &caller.actor, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn unarchive(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let activity = activities::set_archived(&state.app, &caller.actor, id, false).await?;
    Ok(record(StatusCode::OK, activity.version, &activity, None))
}

pub async fn history(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let entries = activities::history(&state.app, &caller.actor, id).await?;
    Ok(Json(json!({ "items": entries })).into_response())
}

pub async fn company_timeline(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    Ok(Json(activities::timeline(&state.app, &caller.actor, Card::Company(id), params).await?).into_response())
}

pub async fn person_timeline(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    Ok(Json(activities::timeline(&state.app, &caller.actor, Card::Person(id), params).await?).into_response())
}

pub async fn threads(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let items = activities::list_threads(&state.app, &caller.actor, params).await?;
    Ok(Json(json!({ "items": items })).into_response())
}

pub async fn create_thread(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let thread = activities::create_thread(&state.app, &caller.actor, body).await?;
    Ok(record(StatusCode::CREATED, thread.version, &thread, Some(format!("/api/v1/threads/{}", thread.id))))
}

pub async fn thread(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let tree = activities::get_thread(&state.app, &caller.actor, id).await?;
    Ok(record(StatusCode::OK, tree.thread.version, &tree, None))
}

pub async fn kinds(State(state): State<AppState>, _caller: Caller) -> Result<Response, Problem> {
    Ok(Json(json!({ "items": activities::kinds(&state.app).await? })).into_response())
}

pub async fn create_kind(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let kind = activities::create_kind(&state.app, &caller.actor, body).await?;
    Ok((StatusCode::CREATED, Json(kind)).into_response())
}
