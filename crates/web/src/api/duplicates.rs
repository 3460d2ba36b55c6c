//! `/api/v1/duplicates` (the check of a draft, the batch scan and its results) and
//! `/api/v1/merges`.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::AppState;
use crate::api::{Caller, IdPath, IfMatch, JsonBody, QueryPairs};
use crate::problem::Problem;

/// `POST /duplicates/check {"kind", "record", "except"?}` → `{"candidates": [...]}`.
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let candidates = rapport_app::duplicates::check(&state.app, &caller.actor, body).await?;
    Ok(Json(json!({ "candidates": candidates })).into_response())
}

/// `POST /merges {"kind", "survivor_id", "merged_ids", "fields", "versions"?}` → the survivor.
pub async fn merge(
    State(state): State<AppState>,
    caller: Caller,
    IfMatch(version): IfMatch,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let survivor = rapport_app::merges::merge(&state.app, &caller.actor, body, version).await?;
    Ok(Json(survivor).into_response())
}

/// `POST /duplicates/scan {"kind"}` → `202 {"job_id"}`, the scan running in the background.
pub async fn scan(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let id = rapport_app::duplicates::scan::start(&state.app, &caller.actor, body).await?;
    let location = format!("/api/v1/duplicates/scans/{id}");
    Ok((StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(json!({ "job_id": id }))).into_response())
}

/// `GET /duplicates/scans/{id}`: the scan job (state, progress, result).
pub async fn scan_state(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> Result<Response, Problem> {
    let job = rapport_app::jobs::get(&state.app, &caller.actor, id).await?;
    if job.kind != rapport_app::duplicates::scan::SCAN.name {
        return Err(rapport_app::AppError::NotFound.into());
    }
    Ok(Json(job).into_response())
}

/// `GET /duplicates?kind=people&limit=&cursor=` → `{"items": [{"id", "records", "names",
/// "score", "reasons"}], "next_cursor"}`: what the last scan found, best first.
pub async fn findings(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let (mut kind, mut cursor, mut limit) = (None, None, 50u64);
    for (key, value) in params {
        match key.as_str() {
            "kind" => kind = Some(rapport_app::duplicates::kind_of(&value)?),
            "cursor" => cursor = Some(value),
            "limit" => {
                limit = value
                    .parse::<u64>()
                    .ok()
                    .filter(|l| (1..=500).contains(l))
                    .ok_or_else(|| Problem::bad_request("limit must be a number from 1 to 500"))?
            }
            other => return Err(Problem::bad_request(format!("unknown parameter {other:?}"))),
        }
    }
    let kind = kind.ok_or_else(|| Problem::bad_request("kind (companies or people) is required"))?;
    let (items, next) =
        rapport_app::duplicates::scan::findings(&state.app, &caller.actor, kind, cursor.as_deref(), limit).await?;
    Ok(Json(json!({ "items": items, "next_cursor": next })).into_response())
}

/// `POST /duplicates/{id}/dismiss`: the group's records are not duplicates.
pub async fn dismiss(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<StatusCode, Problem> {
    rapport_app::duplicates::scan::dismiss(&state.app, &caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
