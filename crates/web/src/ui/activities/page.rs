//! An activity's page: what happened, its body, its thread, a reply form, its history,
//! and for its author, participants and administrators: edit and archive.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::{AppError, activities, people, sessions};
use uuid::Uuid;

use super::super::card::{HistoryItem, Line, history_items};
use super::super::companies::parse_id;
use super::super::context::{FormData, Viewer};
use super::super::i18n::L;
use super::super::layout::{Shell, UiError, l, safe_next};
use super::super::list::SelectOption;
use super::{Item, item, kind_options};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "activity.html")]
struct ActivityPage {
    shell: Shell,
    l: L,
    item: Item,
    facts: Vec<Line>,
    archived: bool,
    may_change: bool,
    reply_kinds: Vec<SelectOption>,
    reply_subject: String,
    company_id: String,
    person_id: String,
    history: Vec<HistoryItem>,
}

/// A person's name when the viewer may see them.
async fn person_name(state: &AppState, viewer: &Viewer, id: Uuid) -> Result<Option<String>, UiError> {
    match people::get(&state.app, viewer.actor(), id).await {
        Ok(person) => Ok(Some(person.full_name.clone())),
        Err(AppError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

pub async fn page(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Result<Response, UiError> {
    let app = &state.app;
    let id = parse_id(&id)?;
    let l = l(&viewer.ctx);
    let actor = viewer.actor();
    let activity = activities::get(app, actor, id).await?;
    let kinds = activities::kinds(app).await?;
    let names: HashMap<Uuid, String> = sessions::user_names(app).await?.into_iter().collect();
    let f = &activity.fields;
    let company = match f.company_id {
        Some(c) => super::super::people::company_name(&state, &viewer, &c.to_string()).await?.unwrap_or_default(),
        None => String::new(),
    };
    let mut people = Vec::new();
    for person in &f.person_ids {
        if let Some(name) = person_name(&state, &viewer, *person).await? {
            people.push(name);
        }
    }
    let fact = |key: &str, value: String| Line { label: l.t(key), value };
    let facts: Vec<Line> = vec![
        fact("activity-field-kind", super::kind_name(&l, &kinds, f.kind.as_str())),
        fact("activity-field-occurred-at", l.datetime(f.occurred_at)),
        fact(
            "activity-field-direction",
            f.direction.map(|d| l.t(&format!("activity-direction-{}", d.as_str()))).unwrap_or_default(),
        ),
        fact(
            "activity-field-duration",
            f.duration_minutes.map(|m| l.count("task-minutes", m as usize)).unwrap_or_default(),
        ),
        fact("activity-field-company", company),
        fact("activity-field-people", people.join(", ")),
        fact(
            "activity-field-users",
            f.user_ids.iter().filter_map(|u| names.get(u).cloned()).collect::<Vec<_>>().join(", "),
        ),
        fact("activity-field-outcome", f.outcome.clone().unwrap_or_default()),
    ]
    .into_iter()
    .filter(|f| !f.value.is_empty())
    .collect();
    let history = history_items(&l, &activities::history(app, actor, id).await?);
    let page = ActivityPage {
        shell: Shell::new(&viewer.ctx, f.subject.clone(), "companies"),
        item: item(&l, &kinds, &names, &activity, 0),
        facts,
        archived: activity.archived_at.is_some(),
        may_change: activities::may_change(actor, &activity),
        reply_kinds: kind_options(&l, &kinds, f.kind.as_str()),
        reply_subject: format!("{} {}", l.t("activity-reply-prefix"), f.subject),
        company_id: f.company_id.map(|c| c.to_string()).unwrap_or_default(),
        person_id: f.person_ids.first().map(|p| p.to_string()).unwrap_or_default(),
        history,
        l,
    };
    Ok(page.into_response())
}

/// `POST /activities/{id}/archive` (or, with `restore`, back from the archive).
pub async fn archive(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let restore = form.get("restore") == "true";
    activities::set_archived(&state.app, viewer.actor(), id, !restore).await?;
    let back = form.get("back");
    let to = if back.is_empty() { format!("/activities/{id}") } else { safe_next(back).to_string() };
    Ok(Redirect::to(&to).into_response())
}
