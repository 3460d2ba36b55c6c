//! Actions on the rows selected in a list: archive, restore, or give to another owner.
//! Each record goes through the same use case as a single change, so every access rule
//! holds per record; those the user may not change are counted and reported, not hidden.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::{AppError, companies, people};
use serde_json::json;
use uuid::Uuid;

use super::context::{FormData, Viewer};
use super::layout::{UiError, safe_next};
use crate::AppState;

/// Rows one action takes at most: a page of the list.
const MAX_ROWS: usize = 500;

#[derive(Clone, Copy)]
enum Kind {
    Company,
    Person,
}

async fn apply(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    action: &str,
    owner: Option<Uuid>,
    id: Uuid,
) -> Result<(), AppError> {
    let (app, actor) = (&state.app, viewer.actor());
    match (kind, action) {
        (Kind::Company, "archive" | "unarchive") => {
            companies::set_archived(app, actor, id, action == "archive").await.map(drop)
        }
        (Kind::Person, "archive" | "unarchive") => {
            people::set_archived(app, actor, id, action == "archive").await.map(drop)
        }
        (Kind::Company, "owner") => {
            companies::update(app, actor, id, json!({ "owner_id": owner }), None).await.map(drop)
        }
        (Kind::Person, "owner") => people::update(app, actor, id, json!({ "owner_id": owner }), None).await.map(drop),
        _ => Err(AppError::BadRequest(format!("unknown action {action:?}"))),
    }
}

async fn run(state: AppState, viewer: Viewer, form: FormData, kind: Kind, list: &str) -> Result<Response, UiError> {
    let action = form.get("action").to_string();
    let owner = match action.as_str() {
        "owner" => Some(
            Uuid::parse_str(form.get("owner_id")).map_err(|_| AppError::BadRequest("choose the new owner".into()))?,
        ),
        "archive" | "unarchive" => None,
        _ => return Err(AppError::BadRequest(format!("unknown action {action:?}")).into()),
    };
    let ids: Vec<Uuid> =
        form.0.iter().filter(|(n, _)| n == "id").filter_map(|(_, v)| Uuid::parse_str(v).ok()).take(MAX_ROWS).collect();
    let (mut done, mut refused) = (0usize, 0usize);
    for id in ids {
        match apply(&state, &viewer, kind, &action, owner, id).await {
            Ok(()) => done += 1,
            Err(AppError::NotFound | AppError::Forbidden(_) | AppError::Invalid(_) | AppError::Stale { .. }) => {
                refused += 1
            }
            Err(other) => return Err(other.into()),
        }
    }
    let back = safe_next(form.get("back"));
    let back = if back.starts_with(list) { back } else { list };
    let separator = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{separator}done={done}&refused={refused}")).into_response())
}

pub async fn companies(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    run(state, viewer, form, Kind::Company, "/companies").await
}

pub async fn people(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    run(state, viewer, form, Kind::Person, "/people").await
}
