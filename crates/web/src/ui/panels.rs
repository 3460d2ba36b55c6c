//! Which panels a user's customer cards show, and in which order: `/account/cards/{card}`
//! arranges them with plain buttons (no script needed), and the choice is kept with the
//! user, so it follows them to any browser.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::sessions::{self, Session};
use serde::Deserialize;

use super::context::{FormData, Viewer};
use super::i18n::L;
use super::layout::{Shell, UiError, l, query, safe_next};
use crate::AppState;

pub const COMPANY: [&str; 8] =
    ["people", "contacts", "addresses", "attributes", "categories", "custom", "description", "history"];
pub const PERSON: [&str; 8] =
    ["employments", "contacts", "addresses", "attributes", "categories", "custom", "description", "history"];

fn panels_of(card: &str) -> Option<&'static [&'static str]> {
    match card {
        "company" => Some(&COMPANY),
        "person" => Some(&PERSON),
        _ => None,
    }
}

/// The card's panels in the user's order, each with whether it shows. Panels the saved
/// layout does not know (added by a later version) come last and show.
pub fn arrangement(session: &Session, card: &str) -> Vec<(String, bool)> {
    let known = panels_of(card).unwrap_or(&[]);
    let saved = session.preferences.cards.get(card).cloned().unwrap_or_default();
    let mut out: Vec<(String, bool)> = saved
        .iter()
        .map(|k| (k.trim_start_matches('-').to_string(), !k.starts_with('-')))
        .filter(|(k, _)| known.contains(&k.as_str()))
        .collect();
    for key in known {
        if !out.iter().any(|(k, _)| k == key) {
            out.push((key.to_string(), true));
        }
    }
    out
}

/// The panels to show, in order.
pub fn shown(session: &Session, card: &str) -> Vec<String> {
    arrangement(session, card).into_iter().filter(|(_, show)| *show).map(|(k, _)| k).collect()
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
    back: String,
    items: Vec<Item>,
}

#[derive(Deserialize, Default)]
pub struct Back {
    #[serde(default)]
    back: String,
}

pub async fn form(viewer: Viewer, Path(card): Path<String>, Query(back): Query<Back>) -> Result<Response, UiError> {
    if panels_of(&card).is_none() {
        return Err(UiError::not_found());
    }
    let l = l(&viewer.ctx);
    let arrangement = arrangement(&viewer.session, &card);
    let count = arrangement.len();
    let items = arrangement
        .into_iter()
        .enumerate()
        .map(|(i, (key, shown))| Item { label: label(&l, &key), key, shown, first: i == 0, last: i + 1 == count })
        .collect();
    let page = ArrangePage {
        shell: Shell::new(&viewer.ctx, l.t(&format!("arrange-title-{card}")), ""),
        l,
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
    let Some(known) = panels_of(&card) else { return Err(UiError::not_found()) };
    let mut order: Vec<String> =
        form.0.iter().filter(|(n, v)| n == "order" && known.contains(&v.as_str())).map(|(_, v)| v.clone()).collect();
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
