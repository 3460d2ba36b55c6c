//! Saved filters on the company and people lists: the menu that applies one (a plain
//! link to the list with the saved query), the form that saves the current filter, and
//! deleting one. The lists' "add to a list" choices come along, as both sit above the table.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::listing::Params;
use rapport_app::{App, filters, lists};
use serde_json::json;

use super::context::{FormData, Viewer};
use super::forms::{FieldErrors, field_errors};
use super::i18n::L;
use super::layout::{Shell, UiError, l, query, safe_next};
use super::list::SelectOption;
use super::list_filters::{ATTRIBUTE_KEY, ATTRIBUTE_VALUE};
use crate::AppState;

pub struct SavedLink {
    pub id: String,
    pub name: String,
    pub url: String,
    pub shared: bool,
    pub may_delete: bool,
}

/// What the list pages show about saved filters and lists.
pub struct SavedMenu {
    pub links: Vec<SavedLink>,
    /// The current filter as the list API takes it, ready to be saved.
    pub query: String,
    pub collection: &'static str,
    /// Static lists of this collection the user may add to.
    pub lists: Vec<SelectOption>,
    /// Whether the user has a team to share a filter with.
    pub has_team: bool,
}

/// A saved query as the list page's own address: the first attribute pair goes into the
/// attribute inputs, so the filter form shows what is applied.
pub fn page_query(saved: &str) -> String {
    let mut pairs: Vec<(String, String)> = filters::pairs(saved);
    if let Some(at) = pairs.iter().position(|(n, _)| n.starts_with("attr.")) {
        let (name, value) = pairs.remove(at);
        pairs.push((ATTRIBUTE_KEY.into(), name["attr.".len()..].to_string()));
        pairs.push((ATTRIBUTE_VALUE.into(), value));
    }
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    query(&borrowed)
}

/// The static lists of `collection` the viewer may change, to add records to.
pub async fn addable(app: &App, viewer: &Viewer, collection: &str) -> Result<Vec<SelectOption>, UiError> {
    let actor = viewer.actor();
    Ok(lists::list(app, actor, Some(collection))
        .await?
        .into_iter()
        .filter(|list| list.kind == "static" && (actor.is_admin() || actor.user_id == Some(list.owner_id)))
        .map(|list| SelectOption { value: list.id.to_string(), label: list.name, selected: false })
        .collect())
}

/// The menu of a list page; `params` are the list's use-case parameters.
pub async fn menu(
    app: &App,
    viewer: &Viewer,
    collection: &'static str,
    base: &str,
    params: &Params,
) -> Result<SavedMenu, UiError> {
    let actor = viewer.actor();
    let links = filters::list(app, actor, Some(collection))
        .await?
        .into_iter()
        .map(|f| {
            let q = page_query(&f.query);
            SavedLink {
                id: f.id.to_string(),
                url: if q.is_empty() { base.to_string() } else { format!("{base}?{q}") },
                shared: f.shared_with_team_id.is_some(),
                may_delete: actor.is_admin() || actor.user_id == Some(f.owner_id),
                name: f.name,
            }
        })
        .collect();
    let kept: Vec<(&str, &str)> =
        params.iter().filter(|(n, _)| n != "cursor").map(|(n, v)| (n.as_str(), v.as_str())).collect();
    Ok(SavedMenu {
        links,
        query: query(&kept),
        collection,
        lists: addable(app, viewer, collection).await?,
        has_team: viewer.session.user.team_id.is_some(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "filter_form.html")]
struct FormPage {
    shell: Shell,
    l: L,
    errors: FieldErrors,
    filter_name: String,
    collection: String,
    query: String,
    shared: bool,
    back: String,
}

fn list_path(collection: &str) -> &'static str {
    if collection == "people" { "/people" } else { "/companies" }
}

/// `POST /filters`: saves the filter and goes back to the list it came from, filtered by
/// it. An invalid one comes back as a form with the typed name kept.
pub async fn save(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let collection = form.get("collection").to_string();
    let team = if form.get("share") == "team" { viewer.session.user.team_id } else { None };
    let body = json!({"name": form.get("name"), "collection": collection, "query": form.get("query"),
                      "shared_with_team_id": team});
    match filters::create(&state.app, viewer.actor(), body).await {
        Ok(saved) => {
            let q = page_query(&saved.query);
            let base = list_path(&saved.collection);
            Ok(Redirect::to(&if q.is_empty() { base.to_string() } else { format!("{base}?{q}") }).into_response())
        }
        Err(error) => {
            let errors = field_errors(&l, error)?;
            let page = FormPage {
                shell: Shell::new(&viewer.ctx, l.t("filter-form-title"), list_nav(&collection)),
                l,
                errors,
                filter_name: form.get("name").to_string(),
                query: form.get("query").to_string(),
                shared: team.is_some(),
                back: safe_next(form.get("back")).to_string(),
                collection,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

fn list_nav(collection: &str) -> &'static str {
    if collection == "people" { "people" } else { "companies" }
}

/// `POST /filters/{id}/delete`, back to the list it was on.
pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let id = super::companies::parse_id(&id)?;
    filters::delete(&state.app, viewer.actor(), id).await?;
    Ok(Redirect::to(safe_next(form.get("back"))).into_response())
}

#[cfg(test)]
mod tests {
    use super::page_query;

    #[test]
    fn a_saved_attribute_pair_fills_the_attribute_inputs() {
        assert_eq!(page_query("status=active&attr.loyalty=gold"), "status=active&attr_key=loyalty&attr_value=gold");
        assert_eq!(page_query("q=sofia"), "q=sofia");
    }
}
