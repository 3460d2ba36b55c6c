//! `/search`: global search from the header's box. The results page lists the best
//! matches of every kind the user may read, grouped by kind; `/search/suggest` is the
//! same search as an HTML fragment, fewer per kind, for the box's dropdown (the script
//! fetches it while the user types). Both run the one global search use case, so the
//! dropdown never shows what the page would not.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::AppError;
use rapport_app::search::{self, Group, Results};

use super::context::Viewer;
use super::i18n::L;
use super::layout::{Shell, UiError, l, query};
use super::list::{param, parse_query};
use crate::AppState;

/// Results per kind in the dropdown: enough to pick from without scrolling on a phone.
const SUGGEST_LIMIT: &str = "5";

/// One record found, as the pages show it.
pub struct Item {
    /// The option's id in the dropdown, for `aria-activedescendant`.
    pub id: String,
    pub url: String,
    pub title: String,
    pub subtitle: String,
    /// The fields that matched, translated and joined.
    pub matched: String,
}

/// The records of one kind, with a link to the whole list when there are more.
pub struct Section {
    pub kind: &'static str,
    pub heading: String,
    pub items: Vec<Item>,
    /// The kind's list searched with the same text; empty when everything is shown.
    pub all_url: String,
    pub all_label: String,
}

/// The page and the dropdown share what a search says: its sections, or a problem.
struct Outcome {
    q: String,
    sections: Vec<Section>,
    /// Why the request was refused (the use case's own words), when it was.
    problem: Option<String>,
}

fn list_path(kind: &str) -> &'static str {
    match kind {
        "person" => "/people",
        _ => "/companies",
    }
}

fn section(l: &L, q: &str, group: Group) -> Section {
    let kind = group.kind;
    let items = group
        .items
        .into_iter()
        .enumerate()
        .map(|(i, found)| Item {
            id: format!("suggest-{kind}-{i}"),
            url: found.url,
            title: found.title,
            subtitle: found.subtitle.unwrap_or_default(),
            matched: found.matched.iter().map(|f| l.maybe("search-field", f)).collect::<Vec<_>>().join(", "),
        })
        .collect();
    let all_url = if group.more { format!("{}?{}", list_path(kind), query(&[("q", q)])) } else { String::new() };
    Section {
        kind,
        heading: l.t(&format!("search-group-{kind}")),
        items,
        all_url,
        all_label: l.t(&format!("search-all-{kind}")),
    }
}

/// Runs the search for the request's `q`; only `q` is taken from the address, so a link
/// with other parameters still searches.
async fn run(
    state: &AppState,
    viewer: &Viewer,
    l: &L,
    raw: Option<&str>,
    limit: Option<&str>,
) -> Result<Outcome, UiError> {
    let pairs = parse_query(raw);
    let q = param(&pairs, "q").to_string();
    let mut params = vec![("q".to_string(), q.clone())];
    params.extend(limit.map(|limit| ("limit".to_string(), limit.to_string())));
    let found = match search::parse_request(params) {
        Ok((text, kinds, limit)) => search::search(&state.app, viewer.actor(), &text, &kinds, limit).await,
        Err(error) => Err(error),
    };
    match found {
        Ok(Results { groups }) => {
            let sections = groups.into_iter().filter(|g| !g.items.is_empty()).map(|g| section(l, &q, g)).collect();
            Ok(Outcome { q, sections, problem: None })
        }
        Err(AppError::BadRequest(detail)) => Ok(Outcome { q, sections: Vec::new(), problem: Some(detail) }),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
struct SearchPage {
    shell: Shell,
    l: L,
    q: String,
    sections: Vec<Section>,
    problem: String,
}

pub async fn page(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let outcome = run(&state, &viewer, &l, raw.as_deref(), None).await?;
    // A refused search names no results: its text may be a pasted page.
    let plain = outcome.q.trim().is_empty() || outcome.problem.is_some();
    let title = if plain { l.t("search-title") } else { l.t1("search-results-for", "q", &outcome.q) };
    let mut shell = Shell::new(&viewer.ctx, title, "");
    shell.q = outcome.q.clone();
    let status = if outcome.problem.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page =
        SearchPage { shell, l, q: outcome.q, sections: outcome.sections, problem: outcome.problem.unwrap_or_default() };
    Ok((status, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "search_suggest.html")]
struct Suggestions {
    l: L,
    q: String,
    sections: Vec<Section>,
    /// The link to the results page, the dropdown's last option.
    all_url: String,
    problem: bool,
}

pub async fn suggest(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let outcome = run(&state, &viewer, &l, raw.as_deref(), Some(SUGGEST_LIMIT)).await?;
    let status = if outcome.problem.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let fragment = Suggestions {
        l,
        all_url: format!("/search?{}", query(&[("q", &outcome.q)])),
        q: outcome.q,
        sections: outcome.sections,
        problem: outcome.problem.is_some(),
    };
    Ok((status, fragment).into_response())
}
