//! Which panels a user's customer cards show and which columns their lists show, and in
//! which order: `/account/cards/{name}` arranges them with plain buttons (no script
//! needed), and the choice is kept with the user, so it follows them to any browser.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::custom_fields;
use rapport_app::sessions::{self, Session};
use serde::Deserialize;

use super::columns;
use super::context::{FormData, Viewer};
use super::i18n::L;
use super::layout::{Shell, UiError, l, query, safe_next};
use crate::AppState;

pub const COMPANY: [&str; 11] = [
    "people",
    "contacts",
    "addresses",
    "attributes",
    "categories",
    "custom",
    "lists",
    "tasks",
    "timeline",
    "description",
    "history",
];
pub const PERSON: [&str; 11] = [
    "employments",
    "contacts",
    "addresses",
    "attributes",
    "categories",
    "custom",
    "lists",
    "tasks",
    "timeline",
    "description",
    "history",
];

fn panels_of(card: &str) -> Option<&'static [&'static str]> {
    match card {
        "company" => Some(&COMPANY),
        "person" => Some(&PERSON),
        _ => None,
    }
}

/// What can be arranged on a card or list, as (key, label, shown until arranged); `None`
/// for a name that is neither.
async fn offered(state: &AppState, l: &L, name: &str) -> Result<Option<Vec<(String, String, bool)>>, UiError> {
    if let Some(panels) = panels_of(name) {
        return Ok(Some(panels.iter().map(|k| (k.to_string(), label(l, k), true)).collect()));
    }
    let Some(kind) = columns::record_kind(name) else { return Ok(None) };
    let fields = custom_fields::list(&state.app, Some(kind)).await?;
    Ok(Some(columns::offered(l, name, &fields)))
}

/// The card's panels (or the list's columns) in the user's order, each with whether it
/// shows. Keys the saved layout does not know (added later) come last, as they show by
/// default; saved keys no longer offered are dropped.
pub fn arrangement(session: &Session, card: &str, offered: &[(String, String, bool)]) -> Vec<(String, bool)> {
    let saved = session.preferences.cards.get(card).cloned().unwrap_or_default();
    let mut out: Vec<(String, bool)> = saved
        .iter()
        .map(|k| (k.trim_start_matches('-').to_string(), !k.starts_with('-')))
        .filter(|(k, _)| offered.iter().any(|(key, _, _)| key == k))
        .collect();
    for (key, _, shown) in offered {
        if !out.iter().any(|(k, _)| k == key) {
            out.push((key.clone(), *shown));
        }
    }
    out
}

/// The panels to show, in order.
pub fn shown(session: &Session, card: &str) -> Vec<String> {
    let offered: Vec<_> = panels_of(card).unwrap_or(&[]).iter().map(|k| (k.to_string(), String::new(), true)).collect();
    arrangement(session, card, &offered).into_iter().filter(|(_, show)| *show).map(|(k, _)| k).collect()
}

pub fn label(l: &L, key: &str) -> String {
    match key {
        "description" => l.t("field-description"),
        other => l.t(&format!("panel-{other}")),
    }
}

pub struct Item {
    pub key: String,
    pub label: String,
    pub shown: bool,
    pub first: bool,
    pub last: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "arrange.html")]
struct ArrangePage {
    shell: Shell,
    l: L,
    card: String,
    /// Whether a list's columns are arranged, rather than a card's panels.
    columns: bool,
    back: String,
    items: Vec<Item>,
}

#[derive(Deserialize, Default)]
pub struct Back {
    #[serde(default)]
    back: String,
}

pub async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(card): Path<String>,
    Query(back): Query<Back>,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let Some(offered) = offered(&state, &l, &card).await? else { return Err(UiError::not_found()) };
    let arrangement = arrangement(&viewer.session, &card, &offered);
    let count = arrangement.len();
    let items = arrangement
        .into_iter()
        .enumerate()
        .map(|(i, (key, shown))| {
            let label =
                offered.iter().find(|(k, _, _)| *k == key).map(|(_, label, _)| label.clone()).unwrap_or_default();
            Item { label, key, shown, first: i == 0, last: i + 1 == count }
        })
        .collect();
    let page = ArrangePage {
        shell: Shell::new(&viewer.ctx, l.t(&format!("arrange-title-{card}")), ""),
        l,
        columns: columns::record_kind(&card).is_some(),
        card,
        back: safe_next(&back.back).to_string(),
        items,
    };
    Ok(page.into_response())
}

/// Saves the order and the shown panels as the form has them, after moving the panel whose
/// button was pressed (`move` = `up:KEY` or `down:KEY`), and comes back to arrange more.
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(card): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let Some(offered) = offered(&state, &l, &card).await? else { return Err(UiError::not_found()) };
    let known = |key: &str| offered.iter().any(|(k, _, _)| k == key);
    let mut order: Vec<String> =
        form.0.iter().filter(|(n, v)| n == "order" && known(v)).map(|(_, v)| v.clone()).collect();
    order.dedup();
    let shown: Vec<&str> = form.0.iter().filter(|(n, _)| n == "show").map(|(_, v)| v.as_str()).collect();
    if let Some((direction, key)) = form.get("move").split_once(':')
        && let Some(at) = order.iter().position(|k| k == key)
    {
        match direction {
            "up" if at > 0 => order.swap(at, at - 1),
            "down" if at + 1 < order.len() => order.swap(at, at + 1),
            _ => {}
        }
    }
    let layout = order.iter().map(|k| if shown.contains(&k.as_str()) { k.clone() } else { format!("-{k}") }).collect();
    sessions::set_card_layout(&state.app, &viewer.session, &card, layout).await?;
    let back = safe_next(form.get("back"));
    let to = if form.get("move").is_empty() {
        back.to_string()
    } else {
        format!("/account/cards/{card}?{}", query(&[("back", back)]))
    };
    Ok(Redirect::to(&to).into_response())
}
