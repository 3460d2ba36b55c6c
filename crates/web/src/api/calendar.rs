//! `/api/v1/calendar`, each user's working time and absences, the company's holidays,
//! and the iCalendar feed: its URL under `/api/v1/users/me/calendar-feed`, the feed itself
//! at `/feeds/{secret}.ics` (no sign-in: the secret is the key).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_app::{AppError, calendar};
use rapport_core::tasks::parse_date;
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::AppState;
use crate::api::extract::record;
use crate::api::{Caller, IdPair, IdPath, IfMatch, JsonBody, QueryPairs};
use crate::problem::Problem;

pub async fn view(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    Ok(Json(calendar::view(&state.app, &caller.actor, params).await?).into_response())
}

/// `GET /calendar/free-slot?user_id=&duration_minutes=&not_before=`: where a task of that
/// length would be placed now (`{"start": null}` when nothing is free within a year).
pub async fn free_slot(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let mut user = caller.actor.user_id;
    let mut minutes = None;
    let mut not_before = None;
    for (name, value) in params {
        match name.as_str() {
            "user_id" => {
                user = Some(Uuid::parse_str(&value).map_err(|_| Problem::bad_request("user_id must be a UUID"))?)
            }
            "duration_minutes" => {
                minutes = Some(
                    value
                        .parse::<u32>()
                        .ok()
                        .filter(|m| (1..=1440).contains(m))
                        .ok_or_else(|| Problem::bad_request("duration_minutes must be from 1 to 1440"))?,
                )
            }
            "not_before" => {
                not_before = Some(
                    OffsetDateTime::parse(&value, &Rfc3339)
                        .map_err(|_| Problem::bad_request("not_before must be an instant (RFC 3339)"))?,
                )
            }
            _ => return Err(Problem::bad_request(format!("unknown query parameter {name:?}"))),
        }
    }
    let user = user.ok_or_else(|| Problem::bad_request("user_id is required"))?;
    let minutes = minutes.ok_or_else(|| Problem::bad_request("duration_minutes is required"))?;
    let not_before = not_before.unwrap_or_else(OffsetDateTime::now_utc);
    let slot = calendar::next_free_slot(&state.app, &caller.actor, user, not_before, minutes).await?;
    let text = |at: OffsetDateTime| at.format(&Rfc3339).unwrap_or_default();
    Ok(Json(json!({"start": slot.map(|s| text(s.start)), "end": slot.map(|s| text(s.end))})).into_response())
}

pub async fn working_time(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(user): IdPath,
) -> Result<Response, Problem> {
    let view = calendar::working_time_of(&state.app, &caller.actor, user).await?;
    Ok(record(StatusCode::OK, view.version, &view, None))
}

pub async fn set_working_time(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(user): IdPath,
    IfMatch(version): IfMatch,
    JsonBody(patch): JsonBody,
) -> Result<Response, Problem> {
    let view = calendar::set_working_time(&state.app, &caller.actor, user, patch, version).await?;
    Ok(record(StatusCode::OK, view.version, &view, None))
}

pub async fn absences(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(user): IdPath,
) -> Result<Response, Problem> {
    let items = calendar::absences(&state.app, &caller.actor, user).await?;
    Ok(Json(json!({"items": items, "next_cursor": null})).into_response())
}

pub async fn add_absence(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(user): IdPath,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let absence = calendar::add_absence(&state.app, &caller.actor, user, body).await?;
    let location = format!("/api/v1/users/{user}/absences/{}", absence.id);
    Ok(record(StatusCode::CREATED, 1, &absence, Some(location)))
}

pub async fn delete_absence(
    State(state): State<AppState>,
    caller: Caller,
    IdPair(user, id): IdPair,
) -> Result<StatusCode, Problem> {
    calendar::delete_absence(&state.app, &caller.actor, user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn holidays(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Response, Problem> {
    let (mut from, mut to) = (None, None);
    for (name, value) in params {
        let day = parse_date(&value).ok_or_else(|| Problem::bad_request(format!("{name} must be a date")));
        match name.as_str() {
            "from" => from = Some(day?),
            "to" => to = Some(day?),
            _ => return Err(Problem::bad_request(format!("unknown query parameter {name:?}"))),
        }
    }
    let items = calendar::holidays(&state.app, &caller.actor, from, to).await?;
    Ok(Json(json!({"items": items, "next_cursor": null})).into_response())
}

pub async fn add_holiday(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let holiday = calendar::add_holiday(&state.app, &caller.actor, body).await?;
    Ok(record(StatusCode::CREATED, 1, &holiday, Some(format!("/api/v1/holidays/{}", holiday.id))))
}

pub async fn delete_holiday(
    State(state): State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> Result<StatusCode, Problem> {
    calendar::delete_holiday(&state.app, &caller.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /users/me/calendar-feed`: `{"url"}` of the caller's feed, made on first use.
pub async fn feed(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> Result<Response, Problem> {
    let token = calendar::feed_token(&state.app, &caller.actor).await?;
    Ok(Json(json!({"url": crate::feed_url(&headers, &token)})).into_response())
}

/// `POST /users/me/calendar-feed` (or `.../revoke`): a new URL; the old one answers 404.
pub async fn rotate_feed(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let token = calendar::rotate_feed(&state.app, &caller.actor).await?;
    Ok((StatusCode::CREATED, Json(json!({"url": crate::feed_url(&headers, &token)}))).into_response())
}

/// `DELETE /users/me/calendar-feed`: no feed until the URL is asked for again.
pub async fn revoke_feed(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, Problem> {
    calendar::revoke_feed(&state.app, &caller.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /feeds/{secret}.ics`: the feed, as `text/calendar`.
pub async fn feed_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let text =
        calendar::render_feed(&state.app, token, &crate::origin(&headers)).await.map_err(|error| match error {
            AppError::NotFound => {
                Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", "there is no such feed")
            }
            other => other.into(),
        })?;
    let mut response = (StatusCode::OK, text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300"));
    Ok(response)
}
