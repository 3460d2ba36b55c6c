//! Activities in the pages: the cards' Timeline panel (filters, "more" by cursor, and a
//! short form that logs a call, meeting or note in two clicks: open it, save it), a
//! card's whole timeline, an activity's page (view, edit, reply, archive), threads and
//! the administrators' kinds of activity.

mod form;
pub mod kinds;
mod page;
mod threads;

pub use form::{create, edit_form, new_form, update};
pub use page::{archive, page};
pub use threads::{create_thread, thread, threads};

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use rapport_app::activities::{self, Card};
use rapport_app::{App, people, sessions};
use rapport_core::activities::{Activity, ActivityKind};
use serde_json::Value;
use uuid::Uuid;

use super::companies::parse_id;
use super::context::Viewer;
use super::i18n::L;
use super::layout::{Shell, UiError, l, query};
use super::list::{self, SelectOption, param};
use crate::AppState;

/// Activities a card's panel shows before "more".
const PANEL_ITEMS: usize = 10;

/// An activity as a line of a timeline or a thread.
pub struct Item {
    pub id: String,
    pub kind: String,
    pub kind_key: String,
    pub subject: String,
    pub when: String,
    pub who: String,
    pub outcome: String,
    /// Rendered by core's Markdown renderer, which escapes everything it does not make.
    pub body_html: String,
    pub thread_id: String,
    /// Depth in a thread's tree (0 on a timeline).
    pub depth: usize,
}

/// A kind's name in the page's language: the built-in ones from the catalogue, added
/// ones as the administrator named them.
pub fn kind_name(l: &L, kinds: &[ActivityKind], key: &str) -> String {
    l.find(&format!("activity-kind-{key}"))
        .or_else(|| kinds.iter().find(|k| k.key.as_str() == key).map(|k| k.name.clone()))
        .unwrap_or_else(|| key.to_string())
}

pub fn kind_options(l: &L, kinds: &[ActivityKind], current: &str) -> Vec<SelectOption> {
    kinds
        .iter()
        .map(|k| SelectOption {
            value: k.key.as_str().to_string(),
            label: kind_name(l, kinds, k.key.as_str()),
            selected: k.key.as_str() == current,
        })
        .collect()
}

pub fn item(l: &L, kinds: &[ActivityKind], names: &HashMap<Uuid, String>, activity: &Activity, depth: usize) -> Item {
    let f = &activity.fields;
    let who: Vec<String> = f.user_ids.iter().filter_map(|u| names.get(u).cloned()).collect();
    Item {
        id: activity.id.to_string(),
        kind: kind_name(l, kinds, f.kind.as_str()),
        kind_key: f.kind.as_str().to_string(),
        subject: f.subject.clone(),
        when: l.datetime(f.occurred_at),
        who: who.join(", "),
        outcome: f.outcome.clone().unwrap_or_default(),
        body_html: f.body_html().unwrap_or_default(),
        thread_id: f.thread_id.map(|t| t.to_string()).unwrap_or_default(),
        depth,
    }
}

/// What a card's timeline (its panel or its page) shows and offers.
#[derive(Default)]
pub struct Timeline {
    pub items: Vec<Item>,
    /// The next page's address, when there is one.
    pub more: String,
    /// The whole timeline's page.
    pub all: String,
    pub kinds: Vec<SelectOption>,
    pub log_kinds: Vec<SelectOption>,
    pub people: Vec<SelectOption>,
    pub threads: Vec<SelectOption>,
    pub company_id: String,
    pub person_id: String,
    pub back: String,
    /// The whole activity form, about this card.
    pub full_form: String,
}

fn text(value: &Value, field: &str) -> String {
    list::text(value, field)
}

/// The timeline of a card with the filters of `pairs` (`kind`, `person_id`, `thread_id`,
/// `cursor`), `limit` activities at a time.
async fn timeline(
    app: &App,
    viewer: &Viewer,
    l: &L,
    card: Card,
    pairs: &[(String, String)],
    limit: usize,
) -> Result<Timeline, UiError> {
    let actor = viewer.actor();
    let (path, field, id) = match card {
        Card::Company(id) => ("companies", "company_id", id),
        Card::Person(id) => ("people", "person_id", id),
    };
    let mut params: Vec<(String, String)> = vec![("limit".into(), limit.to_string())];
    for name in ["kind", "person_id", "thread_id", "cursor"] {
        let value = param(pairs, name);
        if !value.is_empty() {
            params.push((name.into(), value.into()));
        }
    }
    let listed = activities::timeline(app, actor, card, params).await?;
    let kinds = activities::kinds(app).await?;
    let names: HashMap<Uuid, String> = sessions::user_names(app).await?.into_iter().collect();
    let base = format!("/{path}/{id}/timeline");
    let filters: Vec<(&str, &str)> = ["kind", "person_id", "thread_id"].iter().map(|n| (*n, param(pairs, n))).collect();
    let more = match &listed.next_cursor {
        Some(cursor) => {
            let mut all = filters.clone();
            all.push(("cursor", cursor));
            format!("{base}?{}", query(&all))
        }
        None => String::new(),
    };
    let people = match card {
        Card::Company(_) => {
            let employed = people::list(app, actor, vec![("company_id".into(), id.to_string())]).await?;
            employed
                .items
                .iter()
                .filter_map(|p| serde_json::to_value(p).ok())
                .map(|p| (text(&p, "id"), text(&p, "full_name")))
                .collect()
        }
        Card::Person(_) => Vec::new(),
    };
    let threads = activities::list_threads(app, actor, vec![("record_id".into(), id.to_string())])
        .await?
        .into_iter()
        .map(|t| (t.id.to_string(), t.subject))
        .collect();
    let kind_pairs: Vec<(String, String)> =
        kinds.iter().map(|k| (k.key.as_str().to_string(), kind_name(l, &kinds, k.key.as_str()))).collect();
    Ok(Timeline {
        items: listed.items.iter().map(|a| item(l, &kinds, &names, a, 0)).collect(),
        more,
        all: base,
        kinds: list::options(l.t("timeline-any-kind"), kind_pairs, param(pairs, "kind")),
        log_kinds: kind_options(l, &kinds, "call"),
        people: list::options(l.t("timeline-any-person"), people, param(pairs, "person_id")),
        threads: list::options(l.t("timeline-any-thread"), threads, param(pairs, "thread_id")),
        company_id: if matches!(card, Card::Company(_)) { id.to_string() } else { String::new() },
        person_id: if matches!(card, Card::Person(_)) { id.to_string() } else { String::new() },
        back: format!("/{path}/{id}"),
        full_form: format!(
            "/activities/new?{}",
            query(&[(field, &id.to_string()), ("back", &format!("/{path}/{id}"))])
        ),
    })
}

/// A card's Timeline panel (empty when the user has hidden it).
pub async fn panel(app: &App, viewer: &Viewer, l: &L, card: Card) -> Result<Timeline, UiError> {
    let name = if matches!(card, Card::Company(_)) { "company" } else { "person" };
    if !super::panels::shown(&viewer.session, name).iter().any(|k| k == "timeline") {
        return Ok(Timeline::default());
    }
    timeline(app, viewer, l, card, &[], PANEL_ITEMS).await
}

#[derive(Template, WebTemplate)]
#[template(path = "timeline.html")]
struct TimelinePage {
    shell: Shell,
    l: L,
    name: String,
    timeline: Timeline,
}

async fn timeline_page(state: &AppState, viewer: &Viewer, card: Card, raw: Option<&str>) -> Result<Response, UiError> {
    let app = &state.app;
    let l = l(&viewer.ctx);
    let (name, nav) = match card {
        Card::Company(id) => {
            (rapport_app::companies::get(app, viewer.actor(), id).await?.fields.name.clone(), "companies")
        }
        Card::Person(id) => (people::get(app, viewer.actor(), id).await?.full_name.clone(), "people"),
    };
    let pairs = list::parse_query(raw);
    let timeline = timeline(app, viewer, &l, card, &pairs, 50).await?;
    let title = format!("{} · {name}", l.t("panel-timeline"));
    let page = TimelinePage { shell: Shell::new(&viewer.ctx, title, nav), name, timeline, l };
    Ok(page.into_response())
}

pub async fn company_timeline(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    timeline_page(&state, &viewer, Card::Company(parse_id(&id)?), raw.as_deref()).await
}

pub async fn person_timeline(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    timeline_page(&state, &viewer, Card::Person(parse_id(&id)?), raw.as_deref()).await
}
