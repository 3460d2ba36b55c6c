//! `/companies`: the list with its filters, and the customer card.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use rapport_app::{companies, custom_fields, people, sessions};
use rapport_core::companies::{CompanyStatus, CompanyType};
use serde_json::Value;
use uuid::Uuid;

use super::card::{Line, Panels, panels};
use super::columns::{self, CellContext, Column, Row};
use super::context::Viewer;
use super::forms::FieldErrors;
use super::i18n::L;
use super::layout::{Shell, UiError, l};
use super::list::{self, Lists, Paging, SelectOption, SortHeader, options, param, text};
use super::list_filters;
use crate::AppState;

pub struct Filters {
    pub q: String,
    pub area: String,
    pub status: Vec<SelectOption>,
    pub kind: Vec<SelectOption>,
    pub level: Vec<SelectOption>,
    pub stage: Vec<SelectOption>,
    pub owner: Vec<SelectOption>,
    pub category: Vec<SelectOption>,
    pub archived: Vec<SelectOption>,
    pub attr_key: String,
    pub attr_value: String,
    pub custom: Vec<list_filters::CustomFilter>,
}

#[derive(Template, WebTemplate)]
#[template(path = "companies.html")]
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
    let exports = list::exports(&l, viewer.actor(), "companies", &params);
    let saved = super::filters::menu(app, &viewer, "companies", "/companies", &params).await?;
    let listed = companies::list(app, viewer.actor(), params.clone()).await?;
    let more = listed.next_cursor.is_some();
    let counted = list_filters::matches(&pairs, listed.items.len(), more, |cap| {
        companies::count(app, viewer.actor(), params, cap)
    })
    .await?;
    let fields = custom_fields::list(app, Some("company")).await?;
    let names: HashMap<Uuid, String> = sessions::user_names(app).await?.into_iter().collect();
    let lists = Lists::load(app).await?;
    let columns = columns::chosen(&l, &viewer.session, "companies", &fields, "/companies", &pairs);
    let cells = CellContext { l: &l, names: &names, lists: &lists, person: false };
    let rows = columns::rows(&cells, &columns, &listed.items, "name");
    let statuses = CompanyStatus::ALL.iter().map(|s| (s.as_str().to_string(), l.maybe("status", s.as_str()))).collect();
    let types = CompanyType::ALL.iter().map(|t| (t.as_str().to_string(), l.maybe("type", t.as_str()))).collect();
    let filters = Filters {
        q: param(&pairs, "q").into(),
        area: param(&pairs, "area").into(),
        status: options(l.t("filter-any"), statuses, param(&pairs, "status")),
        kind: options(l.t("filter-any"), types, param(&pairs, "type")),
        level: options(l.t("filter-any"), lists.choices("level"), param(&pairs, "level")),
        stage: options(l.t("filter-any"), lists.choices("stage"), param(&pairs, "stage")),
        owner: list::owner_options(&l, &names, viewer.session.actor.user_id, param(&pairs, "owner_id")),
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
    let name_header = list::sort_header("/companies", &pairs, "name", &l.t("column-name"));
    let mut shell = Shell::new(&viewer.ctx, l.t("companies-title"), "companies");
    shell.q = filters.q.clone();
    let count = list_filters::count_line(&l, counted);
    let page = ListPage {
        saved,
        shell,
        l,
        rows,
        filters,
        no_errors: FieldErrors::default(),
        base: "/companies",
        name_header,
        columns,
        paging: list::paging("/companies", &pairs, listed.next_cursor.as_deref()),
        filtered,
        count,
        bulk,
        may_create: viewer.actor().require("company", rapport_core::access::Action::Create).is_ok(),
        exports,
    };
    Ok(page.into_response())
}

pub struct PersonLine {
    pub id: String,
    pub name: String,
    pub position: String,
    pub contact: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "company_card.html")]
struct CardPage {
    shell: Shell,
    l: L,
    id: String,
    name: String,
    facts: Vec<Line>,
    archived: bool,
    people: Vec<PersonLine>,
    panels: Panels,
    description: String,
    /// The panels to show, in the user's order.
    order: Vec<String>,
    lists_panel: super::lists::ListsPanel,
    tasks_panel: super::tasks::Panel,
    timeline: super::activities::Timeline,
}

pub fn parse_id(raw: &str) -> Result<Uuid, UiError> {
    Uuid::parse_str(raw).map_err(|_| UiError::not_found())
}

pub async fn card(State(state): State<AppState>, viewer: Viewer, Path(id): Path<String>) -> Result<Response, UiError> {
    let app = &state.app;
    let id = parse_id(&id)?;
    let l = l(&viewer.ctx);
    let actor = viewer.actor();
    let found = match companies::get(app, actor, id).await {
        // A merged card's address keeps working: it leads to the card it was merged into.
        Err(rapport_app::AppError::Merged { survivor, .. }) => {
            return Ok(axum::response::Redirect::permanent(&format!("/companies/{survivor}")).into_response());
        }
        other => other?,
    };
    let company = serde_json::to_value(found).unwrap_or_default();
    let history = companies::history(app, actor, id).await?;
    let names: HashMap<Uuid, String> = sessions::user_names(app).await?.into_iter().collect();
    let lists = Lists::load(app).await?;
    let employed = people::list(app, actor, vec![("company_id".into(), id.to_string())]).await?;
    let people = employed
        .items
        .iter()
        .filter_map(|p| serde_json::to_value(p).ok())
        .map(|p| {
            let position = p
                .get("employments")
                .and_then(Value::as_array)
                .and_then(|jobs| jobs.iter().find(|j| text(j, "company_id") == id.to_string()))
                .map(|j| text(j, "position"))
                .unwrap_or_default();
            PersonLine {
                id: text(&p, "id"),
                name: text(&p, "full_name"),
                position,
                contact: list::main_contact(&p, &["email", "mobile", "phone"]),
            }
        })
        .collect();
    let fact = |key: &str, value: String| Line { label: l.t(key), value };
    let facts = vec![
        fact("column-code", text(&company, "code")),
        fact("column-type", l.maybe("type", &text(&company, "type"))),
        fact("column-status", l.maybe("status", &text(&company, "status"))),
        fact("column-level", lists.name_of("level", &text(&company, "level"))),
        fact("column-stage", lists.name_of("stage", &text(&company, "stage"))),
        fact("column-owner", list::owner_name(&names, &company)),
        fact("card-main-email", list::main_contact(&company, &["email"])),
        fact("card-main-phone", list::main_contact(&company, &["phone", "mobile"])),
        fact("column-area", text(&company, "area")),
        fact("field-website", text(&company, "website")),
        fact("field-tax_id", text(&company, "tax_id")),
        fact("field-external_id", text(&company, "external_id")),
    ];
    let panels = panels(app, &l, &company, "company", &history).await?;
    let lists_panel = super::lists::panel(app, &viewer, &l, "companies", id).await?;
    let tasks_panel = super::tasks::panel(app, &viewer, &l, "company_id", id).await?;
    let timeline = super::activities::panel(app, &viewer, &l, rapport_app::activities::Card::Company(id)).await?;
    let name = text(&company, "name");
    let page = CardPage {
        timeline,
        lists_panel,
        tasks_panel,
        shell: Shell::new(&viewer.ctx, name.clone(), "companies"),
        l,
        id: id.to_string(),
        name,
        facts: facts.into_iter().filter(|f| !f.value.is_empty()).collect(),
        archived: !company.get("archived_at").is_none_or(Value::is_null),
        people,
        panels,
        description: text(&company, "description"),
        order: super::panels::shown(&viewer.session, "company"),
    };
    Ok(page.into_response())
}
