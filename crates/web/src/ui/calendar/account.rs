//! `/account/working-time`: a user's own time zone and working hours (the periods of
//! each weekday, typed as `09:00-12:00, 13:00-17:00`), their absences, and the address of
//! their calendar feed (made on request, revocable).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::calendar;
use rapport_core::calendar::DAYS;
use rapport_core::zone::Zone;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::super::companies::parse_id;
use super::super::context::{FormData, Viewer};
use super::super::forms::{FieldErrors, field_errors};
use super::super::i18n::L;
use super::super::layout::{Shell, UiError, l};
use super::super::list::{self, SelectOption, param};
use crate::AppState;

pub struct DayInput {
    pub name: String,
    pub label: String,
    pub value: String,
}

pub struct AbsenceLine {
    pub id: String,
    pub text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "working_time.html")]
struct AccountPage {
    shell: Shell,
    l: L,
    zones: Vec<SelectOption>,
    days: Vec<DayInput>,
    absences: Vec<AbsenceLine>,
    starts_on: String,
    ends_on: String,
    note: String,
    feed: String,
    notice: String,
    errors: FieldErrors,
}

fn me(viewer: &Viewer) -> Result<Uuid, UiError> {
    viewer.actor().user_id.ok_or_else(UiError::not_found)
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    form: Option<&FormData>,
    errors: FieldErrors,
    notice: String,
) -> Result<AccountPage, UiError> {
    let (app, actor) = (&state.app, viewer.actor());
    let l = l(&viewer.ctx);
    let user = me(viewer)?;
    let stored = calendar::working_time_of(app, actor, user).await?;
    let kept = |name: &str, stored: String| match form {
        Some(f) if f.0.iter().any(|(n, _)| n == name) => f.get(name).to_string(),
        _ => stored,
    };
    let zone = kept("time_zone", stored.time_zone.clone());
    let days = DAYS
        .iter()
        .map(|(key, day)| {
            let name = format!("hours_{key}");
            let saved = stored.working_hours.get(*key).map(|p| p.join(", ")).unwrap_or_default();
            DayInput { value: kept(&name, saved), name, label: l.weekday(*day) }
        })
        .collect();
    let absences = calendar::absences(app, actor, user)
        .await?
        .into_iter()
        .map(|a| {
            let span = if a.starts_on == a.ends_on {
                l.date(a.starts_on)
            } else {
                format!("{} – {}", l.date(a.starts_on), l.date(a.ends_on))
            };
            let text = match a.note {
                Some(note) => format!("{span} · {note}"),
                None => span,
            };
            AbsenceLine { id: a.id.to_string(), text }
        })
        .collect();
    let feed =
        calendar::current_feed_token(app, actor).await?.map(|t| crate::feed_url(headers, &t)).unwrap_or_default();
    let field = |name: &str| form.map(|f| f.get(name).to_string()).unwrap_or_default();
    Ok(AccountPage {
        shell: Shell::new(&viewer.ctx, l.t("working-time-title"), ""),
        zones: Zone::names()
            .into_iter()
            .map(|z| SelectOption { selected: z == zone, value: z.clone(), label: z })
            .collect(),
        days,
        absences,
        starts_on: field("starts_on"),
        ends_on: field("ends_on"),
        note: field("note"),
        feed,
        notice,
        errors,
        l,
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let pairs = list::parse_query(raw.as_deref());
    let notice = match param(&pairs, "done") {
        key @ ("saved" | "absence-added" | "absence-removed" | "feed-made" | "feed-revoked") => {
            l.t(&format!("working-time-done-{key}"))
        }
        _ => String::new(),
    };
    Ok(render(&state, &viewer, &headers, None, FieldErrors::default(), notice).await?.into_response())
}

/// Field messages of the use case, at the form's inputs (`working_hours.mon[1]` is the
/// Monday input).
fn at_inputs(errors: FieldErrors) -> FieldErrors {
    let items = errors
        .items
        .into_iter()
        .map(|(field, message)| {
            let name = match field.strip_prefix("working_hours.") {
                Some(day) => format!("hours_{}", day.split('[').next().unwrap_or(day)),
                None => field,
            };
            (name, message)
        })
        .collect();
    FieldErrors { items }
}

/// Back to the page saying what was `done`, or the page again with the form's messages.
async fn answer(
    state: &AppState,
    viewer: &Viewer,
    headers: &HeaderMap,
    form: &FormData,
    outcome: Result<(), rapport_app::AppError>,
    done: &str,
) -> Result<Response, UiError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/account/working-time?done={done}")).into_response()),
        Err(error) => {
            let errors = at_inputs(field_errors(&l(&viewer.ctx), error)?);
            let page = render(state, viewer, headers, Some(form), errors, String::new()).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    form: FormData,
) -> Result<Response, UiError> {
    let user = me(&viewer)?;
    let mut hours = Map::new();
    for (key, _) in DAYS {
        let periods: Vec<Value> = form
            .get(&format!("hours_{key}"))
            .split([',', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| json!(p.replace([' ', '–'], "-").replace("--", "-")))
            .collect();
        hours.insert(key.to_string(), Value::Array(periods));
    }
    let patch = json!({"time_zone": form.get("time_zone"), "working_hours": hours});
    let saved = calendar::set_working_time(&state.app, viewer.actor(), user, patch, None).await;
    answer(&state, &viewer, &headers, &form, saved.map(drop), "saved").await
}

pub async fn add_absence(
    State(state): State<AppState>,
    viewer: Viewer,
    headers: HeaderMap,
    form: FormData,
) -> Result<Response, UiError> {
    let user = me(&viewer)?;
    let body = json!({"starts_on": form.get("starts_on"), "ends_on": form.get("ends_on"), "note": form.get("note")});
    let added = calendar::add_absence(&state.app, viewer.actor(), user, body).await;
    answer(&state, &viewer, &headers, &form, added.map(drop), "absence-added").await
}

pub async fn delete_absence(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let user = me(&viewer)?;
    calendar::delete_absence(&state.app, viewer.actor(), user, parse_id(&id)?).await?;
    Ok(Redirect::to("/account/working-time?done=absence-removed").into_response())
}

/// `POST /account/calendar-feed`: makes the feed's address (`action=make`), a new one
/// in place of the old (`rotate`), or turns it off (`revoke`).
pub async fn feed(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let (app, actor) = (&state.app, viewer.actor());
    let done = match form.get("action") {
        "make" => {
            calendar::feed_token(app, actor).await?;
            "feed-made"
        }
        "rotate" => {
            calendar::rotate_feed(app, actor).await?;
            "feed-made"
        }
        "revoke" => {
            calendar::revoke_feed(app, actor).await?;
            "feed-revoked"
        }
        _ => return Err(UiError::not_found()),
    };
    Ok(Redirect::to(&format!("/account/working-time?done={done}#feed")).into_response())
}
