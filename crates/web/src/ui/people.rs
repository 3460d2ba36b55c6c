//! `/people`: the list of people and the person's card.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use rapport_app::{AppError, companies, custom_fields, people, sessions};
use serde_json::Value;
use uuid::Uuid;

use super::card::{Line, Panels, panels};
use super::columns::{self, CellContext, Column, Row};
use super::companies::parse_id;
use super::context::Viewer;
use super::forms::FieldErrors;
use super::i18n::L;
use super::layout::{Shell, UiError, l};
use super::list::{self, Lists, Paging, SelectOption, SortHeader, options, param, text};
use super::list_filters;
use crate::AppState;

pub struct Filters {
    pub q: String,
    pub owner: Vec<SelectOption>,
    pub category: Vec<SelectOption>,
    pub archived: Vec<SelectOption>,
    pub attr_key: String,
    pub attr_value: String,
    pub custom: Vec<list_filters::CustomFilter>,
}

#[derive(Template, WebTemplate)]
#[template(path = "people.html")]
struct ListPage {
    shell: Shell,
    l: L,
    rows: Vec<Row>,
    filters: Filters,
    no_errors: FieldErrors,
    base: &'static str,
    name_header: SortHeader,
    columns: Vec<Column>,
    paging: Paging,
    filtered: bool,
    /// How many records match, as a sentence.
    count: String,
    may_create: bool,
    /// The current filter's exports, as (label, address); empty without the right.
    exports: Vec<(String, String)>,
    bulk: list::Bulk,
    saved: super::filters::SavedMenu,
}

pub async fn list(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Result<Response, UiError> {
    let app = &state.app;
    let l = l(&viewer.ctx);
    let pairs = list::parse_query(raw.as_deref());
    let params = list_filters::translate(list::use_case_params(&pairs));
    let exports = list::exports(&l, viewer.actor(), "people", &params);
    let saved = super::filters::menu(app, &viewer, "people", "/people", &params).await?;
    let listed = people::list(app, viewer.actor(), params.clone()).await?;
    let more = listed.next_cursor.is_some();
    let counted =
        list_filters::matches(&pairs, listed.items.len(), more, |cap| people::count(app, viewer.actor(), params, cap))
            .await?;
    let fields = custom_fields::list(app, Some("person")).await?;
    let names: HashMap<Uuid, String> = sessions::user_names(app).await?.into_iter().collect();
    let lists = Lists::load(app).await?;
    let columns = columns::chosen(&l, &viewer.session, "people", &fields, "/people", &pairs);
    let cells = CellContext { l: &l, names: &names, lists: &lists, person: true };
    let rows = columns::rows(&cells, &columns, &listed.items, "full_name");
    let filters = Filters {
        q: param(&pairs, "q").into(),
        owner: list::owner_options(&l, &names, viewer.actor().user_id, param(&pairs, "owner_id")),
        category: options(l.t("filter-any"), lists.categories(), param(&pairs, "category")),
        archived: list::archived_options(&l, param(&pairs, "archived")),
        attr_key: param(&pairs, list_filters::ATTRIBUTE_KEY).into(),
        attr_value: param(&pairs, list_filters::ATTRIBUTE_VALUE).into(),
        custom: list_filters::custom_filters(&l, &fields, &pairs),
    };
    let filtered = pairs
        .iter()
        .any(|(n, v)| !v.is_empty() && !["sort", "cursor", "trail", "done", "refused"].contains(&n.as_str()));
    let bulk = list::bulk(&l, &names, &lists, &pairs);
    let count = list_filters::count_line(&l, counted);
    let page = ListPage {
        saved,
        shell: Shell::new(&viewer.ctx, l.t("people-title"), "people"),
        base: "/people",
        name_header: list::sort_header("/people", &pairs, "name", &l.t("column-name")),
        columns,
        l,
        rows,
        filters,
        no_errors: FieldErrors::default(),
        paging: list::paging("/people", &pairs, listed.next_cursor.as_deref()),
        filtered,
        count,
        bulk,
        may_create: viewer.actor().require("person", rapport_core::access::Action::Create).is_ok(),
        exports,
    };
    Ok(page.into_response())
}

pub struct Job {
    pub company_id: String,
    pub company: String,
    pub position: String,
    pub department: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "person_card.html")]
struct CardPage {
    shell: Shell,
    l: L,
    id: String,
    name: String,
    facts: Vec<Line>,
    archived: bool,
    jobs: Vec<Job>,
    panels: Panels,
    description: String,
    /// The panels to show, in the user's order.
    order: Vec<String>,
    lists_panel: super::lists::ListsPanel,
    tasks_panel: super::tasks::Panel,
    timeline: super::activities::Timeline,
}

/// The name of a company the actor may see; `None` for one they may not.
pub async fn company_name(state: &AppState, viewer: &Viewer, id: &str) -> Result<Option<String>, UiError> {
    let Ok(id) = Uuid::parse_str(id) else { return Ok(None) };
    match companies::get(&state.app, viewer.actor(), id).await {
        Ok(company) => Ok(serde_json::to_value(&company).ok().map(|c| text(&c, "name"))),
        Err(AppError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

pub async fn card(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Result<Response, UiError> {
    let app = &state.app;
    let id = parse_id(&id)?;
    let l = l(&viewer.ctx);
    let actor = viewer.actor();
    let found = match people::get(app, actor, id).await {
        // A merged card's address keeps working: it leads to the card it was merged into.
        Err(rapport_app::AppError::Merged { survivor, .. }) => {
            return Ok(axum::response::Redirect::permanent(&format!("/people/{survivor}")).into_response());
        }
        other => other?,
    };
    let person = serde_json::to_value(found).unwrap_or_default();
    let history = people::history(app, actor, id).await?;
    let names: HashMap<Uuid, String> = sessions::user_names(app).await?.into_iter().collect();
    let mut jobs = Vec::new();
    for job in person.get("employments").and_then(Value::as_array).cloned().unwrap_or_default() {
        // A company the actor may not see stays unnamed, as everywhere else.
        if let Some(company) = company_name(&state, &viewer, &text(&job, "company_id")).await? {
            jobs.push(Job {
                company_id: text(&job, "company_id"),
                company,
                position: text(&job, "position"),
                department: text(&job, "department"),
            });
        }
    }
    let fact = |key: &str, value: String| Line { label: l.t(key), value };
    let facts = vec![
        fact("field-title", text(&person, "title")),
        fact("column-owner", list::owner_name(&names, &person)),
        fact("card-main-email", list::main_contact(&person, &["email"])),
        fact("card-main-phone", list::main_contact(&person, &["mobile", "phone"])),
        fact("field-language", text(&person, "language")),
        fact("field-birth_date", text(&person, "birth_date")),
        fact("field-external_id", text(&person, "external_id")),
    ];
    let panels = panels(app, &l, &person, "person", &history).await?;
    let lists_panel = super::lists::panel(app, &viewer, &l, "people", id).await?;
    let tasks_panel = super::tasks::panel(app, &viewer, &l, "person_id", id).await?;
    let timeline = super::activities::panel(app, &viewer, &l, rapport_app::activities::Card::Person(id)).await?;
    let name = text(&person, "full_name");
    let page = CardPage {
        lists_panel,
        tasks_panel,
        timeline,
        shell: Shell::new(&viewer.ctx, name.clone(), "people"),
        l,
        id: id.to_string(),
        name,
        facts: facts.into_iter().filter(|f| !f.value.is_empty()).collect(),
        archived: !person.get("archived_at").is_none_or(Value::is_null),
        jobs,
        panels,
        description: text(&person, "description"),
        order: super::panels::shown(&viewer.session, "person"),
    };
    Ok(page.into_response())
}
