//! `/duplicates` (what a scan found, a scan started, a group dismissed) and
//! `/merges/new` (cards side by side, a value chosen per differing field), through the
//! same use cases as the API.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::{AppError, companies, duplicates, merges, people};
use rapport_core::custom_fields::RecordKind;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::companies::parse_id;
use super::context::{FormData, Viewer};
use super::i18n::L;
use super::layout::{Shell, UiError, l};
use crate::AppState;

#[derive(Deserialize)]
pub struct KindQuery {
    kind: Option<String>,
    queued: Option<String>,
}

fn kind_of(raw: Option<&str>) -> Result<(RecordKind, &'static str), UiError> {
    match raw.unwrap_or("companies") {
        "companies" => Ok((RecordKind::Company, "companies")),
        "people" => Ok((RecordKind::Person, "people")),
        _ => Err(UiError::not_found()),
    }
}

pub struct Row {
    pub id: String,
    pub cards: Vec<(String, String)>,
    pub score: String,
    pub reasons: String,
    pub merge: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "duplicates.html")]
struct ReviewPage {
    shell: Shell,
    l: L,
    collection: &'static str,
    rows: Vec<Row>,
    queued: bool,
}

/// The reasons in the user's language.
pub fn reasons(l: &L, codes: &[String]) -> String {
    codes.iter().map(|c| l.maybe("reason", c)).collect::<Vec<_>>().join(", ")
}

fn percent(score: f64) -> String {
    format!("{:.0} %", score * 100.0)
}

pub async fn review(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<KindQuery>,
) -> Result<Response, UiError> {
    let (kind, collection) = kind_of(query.kind.as_deref())?;
    let l = l(&viewer.ctx);
    let (found, _) = duplicates::scan::findings(&state.app, viewer.actor(), kind, None, 100).await?;
    let rows = found
        .into_iter()
        .map(|f| {
            let ids: Vec<String> = f.records.iter().map(Uuid::to_string).collect();
            Row {
                id: f.id.to_string(),
                merge: format!("/merges/new?kind={collection}&ids={}", ids.join(",")),
                cards: ids.iter().map(|id| format!("/{collection}/{id}")).zip(f.names).collect(),
                score: percent(f.score),
                reasons: reasons(&l, &f.reasons),
            }
        })
        .collect();
    let page = ReviewPage {
        shell: Shell::new(&viewer.ctx, l.t("duplicates-title"), "duplicates"),
        l,
        collection,
        rows,
        queued: query.queued.is_some(),
    };
    Ok(page.into_response())
}

pub async fn scan(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let (_, collection) = kind_of(Some(form.get("kind")))?;
    match duplicates::scan::start(&state.app, viewer.actor(), json!({ "kind": collection })).await {
        Ok(_) | Err(AppError::Conflict { .. }) => {}
        Err(other) => return Err(other.into()),
    }
    Ok(Redirect::to(&format!("/duplicates?kind={collection}&queued=1")).into_response())
}

pub async fn dismiss(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    duplicates::scan::dismiss(&state.app, viewer.actor(), id).await?;
    let (_, collection) = kind_of(Some(form.get("kind")))?;
    Ok(Redirect::to(&format!("/duplicates?kind={collection}")).into_response())
}

#[derive(Deserialize)]
pub struct MergeQuery {
    kind: Option<String>,
    ids: Option<String>,
}

pub struct Card {
    pub id: String,
    pub title: String,
    pub version: String,
    pub survivor: bool,
}

pub struct FieldRow {
    pub name: String,
    pub label: String,
    /// Per card: its value as shown, and whether it is the one chosen.
    pub values: Vec<(String, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "merge.html")]
struct MergePage {
    shell: Shell,
    l: L,
    collection: &'static str,
    cards: Vec<Card>,
    rows: Vec<FieldRow>,
}

/// Fields a merge compares one by one; lists and maps are joined instead.
const COMPANY_FIELDS: &[&str] = &[
    "name",
    "legal_name",
    "tax_id",
    "type",
    "status",
    "level",
    "stage",
    "area",
    "website",
    "industry",
    "size",
    "source",
    "description",
    "background",
    "owner_id",
    "parent_id",
    "external_id",
];
const PERSON_FIELDS: &[&str] = &[
    "given_name",
    "family_name",
    "title",
    "birth_date",
    "language",
    "description",
    "background",
    "owner_id",
    "external_id",
];

fn shown(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn record(state: &AppState, viewer: &Viewer, kind: RecordKind, id: Uuid) -> Result<Value, UiError> {
    let actor = viewer.actor();
    Ok(match kind {
        RecordKind::Company => serde_json::to_value(companies::get(&state.app, actor, id).await?),
        RecordKind::Person => serde_json::to_value(people::get(&state.app, actor, id).await?),
    }
    .unwrap_or_default())
}

pub async fn merge_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<MergeQuery>,
) -> Result<Response, UiError> {
    let (kind, collection) = kind_of(query.kind.as_deref())?;
    let ids: Vec<Uuid> =
        query.ids.unwrap_or_default().split(',').filter(|s| !s.is_empty()).map(parse_id).collect::<Result<_, _>>()?;
    if ids.len() < 2 {
        return Err(UiError::not_found());
    }
    let l = l(&viewer.ctx);
    let mut records = Vec::new();
    for id in &ids {
        records.push(record(&state, &viewer, kind, *id).await?);
    }
    let title_of = |r: &Value| shown(&r[if kind == RecordKind::Company { "name" } else { "full_name" }]);
    let cards = records
        .iter()
        .enumerate()
        .map(|(i, r)| Card { id: shown(&r["id"]), title: title_of(r), version: shown(&r["version"]), survivor: i == 0 })
        .collect();
    let fields = if kind == RecordKind::Company { COMPANY_FIELDS } else { PERSON_FIELDS };
    let rows = fields
        .iter()
        .filter(|f| records.iter().any(|r| r[**f] != records[0][**f]))
        .map(|f| FieldRow {
            name: (*f).to_string(),
            label: l.maybe("field", f),
            values: records.iter().enumerate().map(|(i, r)| (shown(&r[*f]), i == 0)).collect(),
        })
        .collect();
    let page =
        MergePage { shell: Shell::new(&viewer.ctx, l.t("merge-title"), "duplicates"), l, collection, cards, rows };
    Ok(page.into_response())
}

/// The merge form's answer: `survivor`, `card` (every card's id), `version.ID`, and
/// `field.NAME` (the id whose value stays).
pub async fn merge(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let (_, collection) = kind_of(Some(form.get("kind")))?;
    let survivor = parse_id(form.get("survivor"))?;
    let cards: Vec<Uuid> =
        form.0.iter().filter(|(k, _)| k == "card").map(|(_, v)| parse_id(v)).collect::<Result<_, _>>()?;
    let mut fields = BTreeMap::new();
    let mut versions = BTreeMap::new();
    for (key, value) in &form.0 {
        if let Some(field) = key.strip_prefix("field.") {
            let chosen = parse_id(value)?;
            if chosen != survivor {
                fields.insert(field.to_string(), chosen);
            }
        } else if let Some(id) = key.strip_prefix("version.") {
            versions.insert(id.to_string(), value.parse::<i64>().unwrap_or_default());
        }
    }
    let body = json!({
        "kind": collection,
        "survivor_id": survivor,
        "merged_ids": cards.iter().filter(|id| **id != survivor).collect::<Vec<_>>(),
        "fields": fields,
        "versions": versions,
    });
    merges::merge(&state.app, viewer.actor(), body, None).await?;
    Ok(Redirect::to(&format!("/{collection}/{survivor}")).into_response())
}
