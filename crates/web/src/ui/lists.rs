//! `/lists`: the distribution lists the user sees, creating, changing and deleting one,
//! a list's members page by page (remove one, export them as CSV), adding records to a
//! static list from a list page or a card, and the card's "Lists" panel.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::lists::List;
use rapport_app::lists::{self, Members};
use rapport_app::{Actor, App, AppError, filters, sessions, teams};
use serde_json::{Value, json};
use uuid::Uuid;

use super::companies::parse_id;
use super::context::{FormData, Viewer};
use super::forms::{FieldErrors, field_errors};
use super::i18n::L;
use super::layout::{Shell, UiError, l, safe_next};
use super::list::{self, Paging, SelectOption, options, param, text};
use crate::AppState;

pub struct ListRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub collection: String,
    pub shared: String,
    pub owner: String,
}

/// What the create form holds: empty, or what was typed when it was refused.
pub struct Draft {
    pub name: String,
    pub description: String,
    pub kinds: Vec<SelectOption>,
    pub collections: Vec<SelectOption>,
    pub filters: Vec<SelectOption>,
    pub teams: Vec<SelectOption>,
}

#[derive(Template, WebTemplate)]
#[template(path = "lists.html")]
struct IndexPage {
    shell: Shell,
    l: L,
    rows: Vec<ListRow>,
    draft: Draft,
    errors: FieldErrors,
}

fn may_change(actor: &Actor, list: &List) -> bool {
    actor.is_admin() || actor.user_id == Some(list.owner_id)
}

fn collection_label(l: &L, collection: &str) -> String {
    l.t(&format!("list-collection-{collection}"))
}

/// The teams one may share with: "only me", then the viewer's own teams (every team for
/// an administrator).
async fn team_options(app: &App, viewer: &Viewer, current: Option<Uuid>, l: &L) -> Result<Vec<SelectOption>, UiError> {
    let actor = viewer.actor();
    let all = teams::list(app, actor).await?;
    let values = all
        .into_iter()
        .filter(|t| actor.is_admin() || actor.teams.contains(&t.id))
        .map(|t| (t.id.to_string(), t.name))
        .collect();
    Ok(options(l.t("list-private"), values, &current.map(|t| t.to_string()).unwrap_or_default()))
}

async fn team_names(app: &App, actor: &Actor) -> Result<HashMap<Uuid, String>, AppError> {
    Ok(teams::list(app, actor).await?.into_iter().map(|t| (t.id, t.name)).collect())
}

async fn draft(app: &App, viewer: &Viewer, l: &L, form: &FormData) -> Result<Draft, UiError> {
    let kinds = ["static", "dynamic"].iter().map(|k| (k.to_string(), l.t(&format!("list-kind-{k}")))).collect();
    let collections = ["companies", "people"].iter().map(|c| (c.to_string(), collection_label(l, c))).collect();
    let saved = filters::list(app, viewer.actor(), None).await?;
    let saved = saved
        .into_iter()
        .map(|f| (f.id.to_string(), format!("{}: {}", collection_label(l, &f.collection), f.name)))
        .collect();
    let team = Uuid::parse_str(form.get("shared_with_team_id")).ok();
    Ok(Draft {
        name: form.get("name").to_string(),
        description: form.get("description").to_string(),
        kinds: options_without_any(kinds, form.get("kind")),
        collections: options_without_any(collections, form.get("collection")),
        filters: options(l.t("list-filter-none"), saved, form.get("filter_id")),
        teams: team_options(app, viewer, team, l).await?,
    })
}

fn options_without_any(values: Vec<(String, String)>, current: &str) -> Vec<SelectOption> {
    values.into_iter().map(|(value, label)| SelectOption { selected: value == current, value, label }).collect()
}

async fn index_page(
    state: &AppState,
    viewer: &Viewer,
    form: &FormData,
    errors: FieldErrors,
) -> Result<IndexPage, UiError> {
    let (app, actor) = (&state.app, viewer.actor());
    let l = l(&viewer.ctx);
    let names: HashMap<Uuid, String> = sessions::user_names(app).await?.into_iter().collect();
    let team_names = team_names(app, actor).await?;
    let rows = lists::list(app, actor, None)
        .await?
        .into_iter()
        .map(|list| ListRow {
            id: list.id.to_string(),
            kind: l.t(&format!("list-kind-{}", list.kind)),
            collection: collection_label(&l, &list.collection),
            shared: list
                .shared_with_team_id
                .and_then(|t| team_names.get(&t).cloned())
                .unwrap_or_else(|| l.t("list-private")),
            owner: names.get(&list.owner_id).cloned().unwrap_or_default(),
            name: list.name,
        })
        .collect();
    let draft = draft(app, viewer, &l, form).await?;
    Ok(IndexPage { shell: Shell::new(&viewer.ctx, l.t("lists-title"), "lists"), l, rows, draft, errors })
}

pub async fn index(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    Ok(index_page(&state, &viewer, &FormData::default(), FieldErrors::default()).await?.into_response())
}

fn optional_id(form: &FormData, name: &str) -> Value {
    Uuid::parse_str(form.get(name)).map(|id| json!(id)).unwrap_or(Value::Null)
}

/// `POST /lists`: creates the list and opens it; a refused one comes back filled in.
pub async fn create(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let mut body = json!({"name": form.get("name"), "kind": form.get("kind"), "collection": form.get("collection"),
                          "description": form.get("description"), "shared_with_team_id": optional_id(&form, "shared_with_team_id")});
    if form.get("kind") == "dynamic" {
        body["filter_id"] = optional_id(&form, "filter_id");
    }
    match lists::create(&state.app, viewer.actor(), body).await {
        Ok(list) => Ok(Redirect::to(&format!("/lists/{}", list.id)).into_response()),
        Err(error) => {
            let errors = field_errors(&l, error)?;
            let page = index_page(&state, &viewer, &form, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub href: String,
    pub contact: String,
    pub archived: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "list_page.html")]
struct ListPage {
    shell: Shell,
    l: L,
    id: String,
    name: String,
    description: String,
    kind: String,
    collection: String,
    /// For a dynamic list, the saved filter it shows, with a link to the list it filters.
    filter: Option<(String, String)>,
    may_change: bool,
    removable: bool,
    members: Vec<MemberRow>,
    paging: Paging,
    errors: FieldErrors,
    edit_name: String,
    edit_description: String,
    teams: Vec<SelectOption>,
    export: String,
    notice: String,
}

fn member_rows(page: &Members, base: &str) -> Vec<MemberRow> {
    page.values()
        .iter()
        .map(|r| {
            let name = if base == "/people" { text(r, "full_name") } else { text(r, "name") };
            MemberRow {
                id: text(r, "id"),
                href: format!("{base}/{}", text(r, "id")),
                contact: list::main_contact(r, &["email", "phone", "mobile"]),
                archived: !r.get("archived_at").is_none_or(Value::is_null),
                name,
            }
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    id: Uuid,
    pairs: &[(String, String)],
    form: Option<&FormData>,
    errors: FieldErrors,
) -> Result<ListPage, UiError> {
    let (app, actor) = (&state.app, viewer.actor());
    let l = l(&viewer.ctx);
    let found = lists::get(app, actor, id).await?;
    let cursor = param(pairs, "cursor");
    let paging_params = if cursor.is_empty() { vec![] } else { vec![("cursor".to_string(), cursor.to_string())] };
    let page = lists::members(app, actor, id, paging_params).await?;
    let base = if found.collection == "people" { "/people" } else { "/companies" };
    let filter = match found.filter_id {
        Some(filter_id) => match filters::get(app, actor, filter_id).await {
            Ok(f) => Some((f.name, format!("{base}?{}", super::filters::page_query(&f.query)))),
            // A team member sees the list without seeing its owner's private filter.
            Err(AppError::NotFound) => None,
            Err(other) => return Err(other.into()),
        },
        None => None,
    };
    let may_change = may_change(actor, &found);
    let done = param(pairs, "done").parse::<usize>().ok();
    let page_path = format!("/lists/{id}");
    let edit = |name: &str, stored: &str| form.map_or_else(|| stored.to_string(), |f| f.get(name).to_string());
    Ok(ListPage {
        shell: Shell::new(&viewer.ctx, found.name.clone(), "lists"),
        members: member_rows(&page, base),
        paging: list::paging(&page_path, pairs, page.next_cursor()),
        removable: may_change && found.kind == "static",
        kind: l.t(&format!("list-kind-{}", found.kind)),
        collection: collection_label(&l, &found.collection),
        edit_name: edit("name", &found.name),
        edit_description: edit("description", found.description.as_deref().unwrap_or("")),
        teams: team_options(app, viewer, found.shared_with_team_id, &l).await?,
        export: format!("/api/v1/lists/{id}/members/export?format=csv"),
        notice: done.map(|n| l.count("list-added", n)).unwrap_or_default(),
        description: found.description.unwrap_or_default(),
        name: found.name,
        id: id.to_string(),
        l,
        filter,
        may_change,
        errors,
    })
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let pairs = list::parse_query(raw.as_deref());
    Ok(list_page(&state, &viewer, id, &pairs, None, FieldErrors::default()).await?.into_response())
}

/// `POST /lists/{id}`: saves name, description and sharing.
pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let l = l(&viewer.ctx);
    let patch = json!({"name": form.get("name"), "description": form.get("description"),
                       "shared_with_team_id": optional_id(&form, "shared_with_team_id")});
    match lists::update(&state.app, viewer.actor(), id, patch, None).await {
        Ok(_) => Ok(Redirect::to(&format!("/lists/{id}")).into_response()),
        Err(error) => {
            let errors = field_errors(&l, error)?;
            let page = list_page(&state, &viewer, id, &[], Some(&form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    lists::delete(&state.app, viewer.actor(), parse_id(&id)?).await?;
    Ok(Redirect::to("/lists").into_response())
}

/// `POST /lists/{id}/members/{record}/delete`, back to the page it was pressed on.
pub async fn remove_member(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, record)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, UiError> {
    let (id, record) = (parse_id(&id)?, parse_id(&record)?);
    lists::remove_member(&state.app, viewer.actor(), id, record).await?;
    let back = safe_next(form.get("back"));
    Ok(Redirect::to(if back == "/companies" { "/lists" } else { back }).into_response())
}

/// `POST /lists/add`: adds the records named `id` (a card, the selected rows) or every
/// record of `filter` (the current list's filter) to the static list `list_id`, then
/// goes back saying how many were added.
pub async fn add(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let list_id = Uuid::parse_str(form.get("list_id"))
        .map_err(|_| UiError::from(AppError::BadRequest("choose the list".into())))?;
    let ids: Vec<Uuid> =
        form.0.iter().filter(|(n, _)| n == "id").filter_map(|(_, v)| Uuid::parse_str(v).ok()).collect();
    let body = if ids.is_empty() { json!({"filter": form.get("filter")}) } else { json!({"record_ids": ids}) };
    let added = lists::add_members(&state.app, viewer.actor(), list_id, body).await?;
    let back = safe_next(form.get("back"));
    let separator = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{separator}done={}&refused=0", added.added)).into_response())
}

pub struct PanelItem {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub removable: bool,
}

/// The card's "Lists" panel: the lists the record is in, and those it can be added to.
#[derive(Default)]
pub struct ListsPanel {
    pub items: Vec<PanelItem>,
    pub addable: Vec<SelectOption>,
}

pub async fn panel(app: &App, viewer: &Viewer, l: &L, collection: &str, id: Uuid) -> Result<ListsPanel, UiError> {
    let card = if collection == "people" { "person" } else { "company" };
    // Each dynamic list costs a query: none when the user has put the panel away.
    if !super::panels::shown(&viewer.session, card).iter().any(|k| k == "lists") {
        return Ok(ListsPanel::default());
    }
    let actor = viewer.actor();
    let holding = lists::lists_of(app, actor, collection, id).await?;
    let addable = super::filters::addable(app, viewer, collection)
        .await?
        .into_iter()
        .filter(|o| !holding.iter().any(|h| h.id.to_string() == o.value))
        .collect();
    let items = holding
        .into_iter()
        .map(|list| PanelItem {
            id: list.id.to_string(),
            kind: l.t(&format!("list-kind-{}", list.kind)),
            removable: list.kind == "static" && may_change(actor, &list),
            name: list.name,
        })
        .collect();
    Ok(ListsPanel { items, addable })
}
