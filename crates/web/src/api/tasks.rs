//! `/api/v1/tasks`: tasks, their history, and the completion that makes the next
//! occurrence of a recurring task.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::tasks;
use serde_json::{Value, json};

use crate::AppState;
use crate::api::extract::record;
use crate::api::{Caller, IdPath, IfMatch, JsonBody, QueryPairs};
use crate::problem::Problem;

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    Ok(Json(tasks::list(&state.app, &caller.actor, params).await?).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let task = tasks::create(&state.app, &caller.actor, body).await?;
    Ok(record(StatusCode::CREATED, task.version, &task, Some(format!("/api/v1/tasks/{}", task.id))))
}

pub async fn get(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let task = tasks::get(&state.app, &caller.actor, id).await?;
    Ok(record(StatusCode::OK, task.version, &task, None))
}

/// The changed task; when completing it made the next occurrence, that one's id is in
/// `next_occurrence_id` (and its address in the `Link` header, `rel="next"`).
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
    IfMatch(version): IfMatch,
    JsonBody(patch): JsonBody,
) -> Result<Response, Problem> {
    let updated = tasks::update(&state.app, &caller.actor, id, patch, version).await?;
    let mut body = serde_json::to_value(&updated.task).unwrap_or_default();
    if let (Value::Object(fields), Some(next)) = (&mut body, &updated.next) {
        fields.insert("next_occurrence_id".into(), json!(next.id));
    }
    let mut response = record(StatusCode::OK, updated.task.version, &body, None);
    if let Some(next) = &updated.next
        && let Ok(link) = axum::http::HeaderValue::from_str(&format!("</api/v1/tasks/{}>; rel=\"next\"", next.id))
    {
        response.headers_mut().insert(axum::http::header::LINK, link);
    }
    Ok(response)
}

pub async fn delete(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<StatusCode, Problem> {
    tasks::delete(&state.app, &caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn history(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
    let entries = tasks::history(&state.app, &caller.actor, id).await?;
    Ok(Json(json!({ "items": entries })).into_response())
}
