//! The activity form (`/activities/new`, `/activities/{id}/edit`) and what the cards'
//! short form and the replies post to (`POST /activities`). A new activity left without a
//! subject is named after its kind ("Call"), so logging one from a card takes two clicks.
//! A refused form comes back as it was typed, with a message at each field.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::{AppError, activities, tasks};
use rapport_core::activities::{Activity, ActivityKind, Direction};
use rapport_core::zone::Zone;
use serde_json::{Map, Value, json};

use super::super::companies::parse_id;
use super::super::context::{FormData, Viewer};
use super::super::forms::{FieldErrors, field_errors};
use super::super::i18n::L;
use super::super::layout::{Shell, UiError, l, safe_next};
use super::super::list::{self, SelectOption, param};
use super::{kind_name, kind_options};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "activity_form.html")]
struct FormPage {
    shell: Shell,
    l: L,
    action: String,
    version: String,
    kinds: Vec<SelectOption>,
    directions: Vec<SelectOption>,
    subject: String,
    occurred_at: String,
    duration: String,
    outcome: String,
    body: String,
    company_id: String,
    person_id: String,
    thread_id: String,
    reply_to_id: String,
    back: String,
    errors: FieldErrors,
    conflict: bool,
}

fn directions(l: &L, current: &str) -> Vec<SelectOption> {
    let values =
        Direction::ALL.iter().map(|d| (d.as_str().to_string(), l.t(&format!("activity-direction-{}", d.as_str()))));
    list::options(l.t("activity-direction-none"), values.collect(), current)
}

async fn zone(state: &AppState, viewer: &Viewer) -> Result<Zone, UiError> {
    Ok(match viewer.actor().user_id {
        Some(me) => tasks::default_zone(&state.app, me).await?,
        None => Zone::utc(),
    })
}

/// The form's values of a stored activity, its time on the viewer's wall clock.
fn from_activity(activity: &Activity, zone: &Zone) -> FormData {
    let f = &activity.fields;
    let local = zone.local(f.occurred_at);
    FormData(vec![
        ("kind".into(), f.kind.as_str().into()),
        ("subject".into(), f.subject.clone()),
        ("direction".into(), f.direction.map(|d| d.as_str().to_string()).unwrap_or_default()),
        ("occurred_at".into(), format!("{}T{:02}:{:02}", local.date(), local.hour(), local.minute())),
        ("duration_minutes".into(), f.duration_minutes.map(|m| m.to_string()).unwrap_or_default()),
        ("outcome".into(), f.outcome.clone().unwrap_or_default()),
        ("body".into(), f.body.clone().unwrap_or_default()),
        ("version".into(), activity.version.to_string()),
    ])
}

fn render(
    l: L,
    viewer: &Viewer,
    kinds: &[ActivityKind],
    form: &FormData,
    action: String,
    errors: FieldErrors,
) -> FormPage {
    let editing = action.ends_with("/edit");
    let title = if editing { l.t("activity-edit") } else { l.t("activity-new") };
    FormPage {
        shell: Shell::new(&viewer.ctx, title, "companies"),
        action,
        version: form.get("version").into(),
        kinds: kind_options(
            &l,
            kinds,
            match form.get("kind") {
                "" => "call",
                kind => kind,
            },
        ),
        directions: directions(&l, form.get("direction")),
        subject: form.get("subject").into(),
        occurred_at: form.get("occurred_at").into(),
        duration: form.get("duration_minutes").into(),
        outcome: form.get("outcome").into(),
        body: form.get("body").into(),
        company_id: form.get("company_id").into(),
        person_id: form.get("person_id").into(),
        thread_id: form.get("thread_id").into(),
        reply_to_id: form.get("reply_to_id").into(),
        back: safe_next(form.get("back")).into(),
        conflict: false,
        errors,
        l,
    }
}

/// The JSON the use case takes, from the form; `creating` adds what a new activity is
/// about (and names it after its kind when it has no subject).
fn body_of(l: &L, kinds: &[ActivityKind], form: &FormData, creating: bool) -> Result<Value, FieldErrors> {
    let mut body = Map::new();
    let kind = form.get("kind").trim();
    body.insert("kind".into(), json!(kind));
    let subject = form.get("subject").trim();
    let subject =
        if subject.is_empty() && creating && !kind.is_empty() { kind_name(l, kinds, kind) } else { subject.into() };
    body.insert("subject".into(), json!(subject));
    let optional = |value: &str| if value.trim().is_empty() { Value::Null } else { json!(value) };
    body.insert("direction".into(), optional(form.get("direction")));
    body.insert("outcome".into(), optional(form.get("outcome")));
    body.insert("body".into(), optional(form.get("body")));
    let at = form.get("occurred_at").trim();
    if !at.is_empty() {
        body.insert("occurred_at".into(), json!(at));
    }
    let minutes = form.get("duration_minutes").trim();
    let duration = match minutes {
        "" => Value::Null,
        raw => {
            json!(raw.parse::<i64>().map_err(|_| FieldErrors::one("duration_minutes", l.t("invalid-not_a_number")))?)
        }
    };
    body.insert("duration_minutes".into(), duration);
    if creating {
        for (field, key) in [("company_id", "company_id"), ("thread_id", "thread_id"), ("reply_to_id", "reply_to_id")] {
            let value = form.get(field).trim();
            if !value.is_empty() {
                body.insert(key.into(), json!(value));
            }
        }
        let person = form.get("person_id").trim();
        if !person.is_empty() {
            body.insert("person_ids".into(), json!([person]));
        }
    }
    Ok(Value::Object(body))
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let pairs = list::parse_query(raw.as_deref());
    let kinds = activities::kinds(&state.app).await?;
    let keep = ["kind", "company_id", "person_id", "thread_id", "reply_to_id", "back", "subject"];
    let form = FormData(keep.iter().map(|k| (k.to_string(), param(&pairs, k).to_string())).collect());
    let page = render(l(&viewer.ctx), &viewer, &kinds, &form, "/activities".into(), FieldErrors::default());
    Ok(page.into_response())
}

/// `POST /activities`: from the cards' short form, a reply or the full form; back to
/// where it came from, or to the new activity's page.
pub async fn create(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let kinds = activities::kinds(&state.app).await?;
    let result = match body_of(&l, &kinds, &form, true) {
        Ok(body) => activities::create(&state.app, viewer.actor(), body).await.map_err(|e| field_errors(&l, e)),
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(activity) => {
            let back = form.get("back");
            let to = if back.is_empty() { format!("/activities/{}", activity.id) } else { safe_next(back).to_string() };
            Ok(Redirect::to(&to).into_response())
        }
        Err(Ok(errors)) => {
            let page = render(l, &viewer, &kinds, &form, "/activities".into(), errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Err(other)) => Err(other.into()),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let activity = activities::get(&state.app, viewer.actor(), id).await?;
    if !activities::may_change(viewer.actor(), &activity) {
        return Err(AppError::Forbidden(String::new()).into());
    }
    let kinds = activities::kinds(&state.app).await?;
    let mut form = from_activity(&activity, &zone(&state, &viewer).await?);
    form.0.push(("back".into(), format!("/activities/{id}")));
    let page = render(l(&viewer.ctx), &viewer, &kinds, &form, format!("/activities/{id}/edit"), FieldErrors::default());
    Ok(page.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let l = l(&viewer.ctx);
    let kinds = activities::kinds(&state.app).await?;
    let version = form.get("version").parse::<i64>().ok();
    let action = format!("/activities/{id}/edit");
    let result = match body_of(&l, &kinds, &form, false) {
        Ok(patch) => activities::update(&state.app, viewer.actor(), id, patch, version).await,
        Err(errors) => {
            let page = render(l, &viewer, &kinds, &form, action, errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/activities/{id}")).into_response()),
        Err(AppError::Stale { .. }) => {
            let mut page = render(l, &viewer, &kinds, &form, action, FieldErrors::default());
            page.conflict = true;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(error) => {
            let errors = field_errors(&l, error)?;
            let page = render(l, &viewer, &kinds, &form, action, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
