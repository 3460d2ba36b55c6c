//! Actions on the rows selected in a list: archive, restore, give to another owner, add
//! to a category, or add to a distribution list.
//! Each record goes through the same use case as a single change, so every access rule
//! holds per record; those the user may not change are counted and reported, not hidden.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::{AppError, companies, lists, people};
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

/// The record's categories with `category` added (the use case checks that it exists).
async fn with_category(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    id: Uuid,
    category: Uuid,
) -> Result<serde_json::Value, AppError> {
    let (app, actor) = (&state.app, viewer.actor());
    let record = match kind {
        Kind::Company => serde_json::to_value(companies::get(app, actor, id).await?),
        Kind::Person => serde_json::to_value(people::get(app, actor, id).await?),
    }
    .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let mut ids = record.get("categories").and_then(|c| c.as_array()).cloned().unwrap_or_default();
    let new = json!(category.to_string());
    if !ids.contains(&new) {
        ids.push(new);
    }
    Ok(json!({ "categories": ids }))
}

/// `target` is the new owner or the category, as the action needs.
async fn apply(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    action: &str,
    target: Option<Uuid>,
    id: Uuid,
) -> Result<(), AppError> {
    let owner = target;
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
        (_, "category") => {
            let category = target.ok_or_else(|| AppError::BadRequest("choose the category".into()))?;
            let patch = with_category(state, viewer, kind, id, category).await?;
            match kind {
                Kind::Company => companies::update(app, actor, id, patch, None).await.map(drop),
                Kind::Person => people::update(app, actor, id, patch, None).await.map(drop),
            }
        }
        _ => Err(AppError::BadRequest(format!("unknown action {action:?}"))),
    }
}

async fn run(state: AppState, viewer: Viewer, form: FormData, kind: Kind, list: &str) -> Result<Response, UiError> {
    let action = form.get("action").to_string();
    let chosen = |name: &str, what: &str| {
        Uuid::parse_str(form.get(name)).map(Some).map_err(|_| AppError::BadRequest(format!("choose the {what}")))
    };
    if action == "list" {
        return add_to_list(state, viewer, form, list).await;
    }
    let target = match action.as_str() {
        "owner" => chosen("owner_id", "new owner")?,
        "category" => chosen("category", "category")?,
        "archive" | "unarchive" => None,
        _ => return Err(AppError::BadRequest(format!("unknown action {action:?}")).into()),
    };
    let ids: Vec<Uuid> =
        form.0.iter().filter(|(n, _)| n == "id").filter_map(|(_, v)| Uuid::parse_str(v).ok()).take(MAX_ROWS).collect();
    let (mut done, mut refused) = (0usize, 0usize);
    for id in ids {
        match apply(&state, &viewer, kind, &action, target, id).await {
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

fn selected(form: &FormData) -> Vec<Uuid> {
    form.0.iter().filter(|(n, _)| n == "id").filter_map(|(_, v)| Uuid::parse_str(v).ok()).take(MAX_ROWS).collect()
}

fn back_to(form: &FormData, list: &str, done: usize, refused: usize) -> Response {
    let back = safe_next(form.get("back"));
    let back = if back.starts_with(list) { back } else { list };
    let separator = if back.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{back}{separator}done={done}&refused={refused}")).into_response()
}

/// The selected rows go into the chosen static list in one change: the list's use case
/// takes them all or, when one is not visible, none.
async fn add_to_list(state: AppState, viewer: Viewer, form: FormData, list: &str) -> Result<Response, UiError> {
    let list_id = Uuid::parse_str(form.get("list_id")).map_err(|_| AppError::BadRequest("choose the list".into()))?;
    let ids = selected(&form);
    if ids.is_empty() {
        return Ok(back_to(&form, list, 0, 0));
    }
    let count = ids.len();
    match lists::add_members(&state.app, viewer.actor(), list_id, serde_json::json!({ "record_ids": ids })).await {
        Ok(_) => Ok(back_to(&form, list, count, 0)),
        Err(AppError::NotFound) => Ok(back_to(&form, list, 0, count)),
        Err(other) => Err(other.into()),
    }
}

pub async fn companies(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    run(state, viewer, form, Kind::Company, "/companies").await
}

pub async fn people(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    run(state, viewer, form, Kind::Person, "/people").await
}
