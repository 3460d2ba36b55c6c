//! `/api/v1/notifications` (the caller's, keyset-paged, with the unread count), marking
//! them read, the administrators' list of emails that could not be sent, and
//! `/api/v1/users/me/notification-preferences`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::{AppError, notifications};
use serde_json::json;

use crate::AppState;
use crate::api::{Caller, IdPath, JsonBody, QueryPairs};
use crate::problem::Problem;

/// `?limit=50&cursor=...&unread=true` → `{items, next_cursor, unread_count}`.
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let (mut limit, mut cursor, mut unread) = (50u64, None, false);
    for (name, value) in &params {
        match name.as_str() {
            "limit" => {
                limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=notifications::MAX_PAGE).contains(n))
                    .ok_or_else(|| AppError::BadRequest("limit must be 1 to 500".into()))?
            }
            "cursor" => cursor = Some(value.clone()),
            "unread" => {
                unread = match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(AppError::BadRequest("unread must be true or false".into()).into()),
                }
            }
            other => return Err(AppError::BadRequest(format!("unknown parameter {other}")).into()),
        }
    }
    let page = notifications::page(&state.app, &caller.actor, unread, cursor.as_deref(), limit).await?;
    Ok(Json(page).into_response())
}

pub async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> Result<StatusCode, Problem> {
    notifications::mark_read(&state.app, &caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn read_all(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    let marked = notifications::mark_all_read(&state.app, &caller.actor).await?;
    Ok(Json(json!({ "marked": marked, "unread_count": 0 })).into_response())
}

/// Administrators: the notifications whose email could not be sent, and why.
pub async fn email_failures(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let mut cursor = None;
    for (name, value) in &params {
        match name.as_str() {
            "cursor" => cursor = Some(value.clone()),
            other => return Err(AppError::BadRequest(format!("unknown parameter {other}")).into()),
        }
    }
    let items = notifications::email_failures(&state.app, &caller.actor, cursor.as_deref()).await?;
    let next_cursor = if items.len() == 200 { items.last().map(|n| n.id.to_string()) } else { None };
    Ok(Json(json!({ "items": items, "next_cursor": next_cursor })).into_response())
}

fn preferences_body(channels: Vec<notifications::Channels>) -> Response {
    let mut body = serde_json::Map::new();
    for c in channels {
        body.insert(c.event.as_str().into(), json!({"in_app": c.in_app, "email": c.email}));
    }
    Json(body).into_response()
}

/// `{"reminder": {"in_app": true, "email": true}, "assignment": ..., "mention": ..., "approval": ...}`
pub async fn preferences(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    Ok(preferences_body(notifications::preferences(&state.app, &caller.actor).await?))
}

pub async fn set_preferences(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    Ok(preferences_body(notifications::set_preferences(&state.app, &caller.actor, body).await?))
}
