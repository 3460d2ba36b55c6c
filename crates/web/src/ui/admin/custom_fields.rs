//! `/admin/custom-fields`: the typed fields administrators add to companies and people.
//! The record kind, key and type are fixed once a field exists (stored values were
//! checked against them), so the edit form shows them as text.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::AppError;
use rapport_app::custom_fields::{self, CustomField};
use rapport_core::custom_fields::{FieldType, RecordKind};
use serde_json::{Map, Value};

use super::{checked, field_errors, kept, notice};
use crate::AppState;
use crate::ui::companies::parse_id;
use crate::ui::context::{FormData, Viewer};
use crate::ui::forms::FieldErrors;
use crate::ui::i18n::L;
use crate::ui::layout::{Shell, UiError, l};
use crate::ui::list::{SelectOption, parse_query};

const KINDS: [RecordKind; 2] = [RecordKind::Company, RecordKind::Person];

pub struct FieldRow {
    pub href: String,
    pub key: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    pub choices: String,
}

pub struct Group {
    pub id: &'static str,
    pub heading: String,
    pub new_href: String,
    pub new_label: String,
    pub rows: Vec<FieldRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_fields.html")]
struct ListPage {
    shell: Shell,
    l: L,
    tab: &'static str,
    notice: String,
    groups: Vec<Group>,
}

fn type_name(l: &L, field_type: FieldType) -> String {
    l.t(&format!("admin-type-{}", field_type.as_str()))
}

fn kind_name(l: &L, kind: RecordKind) -> String {
    l.t(&format!("admin-record-{}", kind.as_str()))
}

pub async fn list(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Result<Response, UiError> {
    viewer.actor().require_admin()?;
    let l = l(&viewer.ctx);
    let fields = custom_fields::list(&state.app, None).await?;
    let groups = KINDS
        .into_iter()
        .map(|kind| Group {
            id: kind.as_str(),
            heading: l.t(&format!("admin-fields-of-{}", kind.as_str())),
            new_href: format!("/admin/custom-fields/new?record_kind={}", kind.as_str()),
            new_label: l.t(&format!("admin-field-new-{}", kind.as_str())),
            rows: fields
                .iter()
                .filter(|f| f.spec.record_kind == kind)
                .map(|f| FieldRow {
                    href: format!("/admin/custom-fields/{}", f.id),
                    key: f.spec.key.clone(),
                    label: f.spec.label.clone(),
                    kind: type_name(&l, f.spec.field_type),
                    required: f.spec.required,
                    choices: f.spec.choices.join(", "),
                })
                .collect(),
        })
        .collect();
    let done = notice(&l, &parse_query(raw.as_deref()));
    let shell = Shell::new(&viewer.ctx, l.t("admin-fields-title"), "admin");
    Ok(ListPage { shell, l, tab: "fields", notice: done, groups }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_field_form.html")]
struct FormPage {
    shell: Shell,
    l: L,
    tab: &'static str,
    notice: String,
    heading: String,
    action: String,
    /// Empty on the form that creates a field.
    version: String,
    /// On the edit form, the fixed parts as text: record kind, key, type.
    fixed: Vec<(String, String)>,
    record_kinds: Vec<SelectOption>,
    key: String,
    types: Vec<SelectOption>,
    field_label: String,
    required: bool,
    show_choices: bool,
    choices: String,
    show_currency: bool,
    currency: String,
    targets: Vec<SelectOption>,
    position: String,
    errors: FieldErrors,
    conflict: String,
}

fn select(values: Vec<(String, String)>, current: &str) -> Vec<SelectOption> {
    values.into_iter().map(|(value, label)| SelectOption { selected: value == current, value, label }).collect()
}

fn targets(l: &L, current: &str) -> Vec<SelectOption> {
    let mut values = vec![(String::new(), l.t("field-none"))];
    values.extend(KINDS.iter().map(|k| (k.as_str().to_string(), kind_name(l, *k))));
    select(values, current)
}

fn new_page(viewer: &Viewer, form: &FormData, errors: FieldErrors) -> FormPage {
    let l = l(&viewer.ctx);
    let kind = match form.get("record_kind") {
        "" => "company",
        kind => kind,
    };
    let field_type = match form.get("type") {
        "" => "text",
        t => t,
    };
    let kinds = KINDS.iter().map(|k| (k.as_str().to_string(), kind_name(&l, *k))).collect();
    let types = FieldType::ALL.iter().map(|t| (t.as_str().to_string(), type_name(&l, *t))).collect();
    FormPage {
        shell: Shell::new(&viewer.ctx, l.t("admin-field-new"), "admin"),
        heading: l.t("admin-field-new"),
        action: "/admin/custom-fields/new".into(),
        version: String::new(),
        fixed: Vec::new(),
        record_kinds: select(kinds, kind),
        key: form.get("key").to_string(),
        types: select(types, field_type),
        field_label: form.get("label").to_string(),
        required: form.get("required") == "true",
        show_choices: true,
        choices: form.get("choices").to_string(),
        show_currency: true,
        currency: form.get("currency").to_string(),
        targets: targets(&l, form.get("target")),
        position: form.get("position").to_string(),
        errors,
        conflict: String::new(),
        tab: "fields",
        notice: String::new(),
        l,
    }
}

pub async fn new_form(viewer: Viewer, RawQuery(raw): RawQuery) -> Result<Response, UiError> {
    viewer.actor().require_admin()?;
    // The list's "new company field" link chooses the record kind.
    let form = FormData(parse_query(raw.as_deref()).into_iter().filter(|(n, _)| n == "record_kind").collect());
    Ok(new_page(&viewer, &form, FieldErrors::default()).into_response())
}

fn lines(raw: &str) -> Vec<Value> {
    raw.lines().map(str::trim).filter(|c| !c.is_empty()).map(Value::from).collect()
}

/// The position as typed, or the message for the input when it is no whole number.
fn position(l: &L, form: &FormData) -> Result<Option<i32>, FieldErrors> {
    match form.get("position").trim() {
        "" => Ok(None),
        raw => raw.parse().map(Some).map_err(|_| FieldErrors::one("position", l.t("invalid-not_a_number"))),
    }
}

pub async fn create(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let refused = |errors| Ok((StatusCode::UNPROCESSABLE_ENTITY, new_page(&viewer, &form, errors)).into_response());
    let position = match position(&l, &form) {
        Ok(p) => p,
        Err(errors) => return refused(errors),
    };
    let field_type = FieldType::parse(form.get("type"));
    let mut body = Map::new();
    for name in ["record_kind", "key", "label", "type"] {
        body.insert(name.into(), Value::from(form.get(name)));
    }
    body.insert("required".into(), Value::Bool(form.get("required") == "true"));
    // The boxes for the other types stay on the form for the one chosen; what was typed
    // into one that does not belong to the chosen type is not sent.
    if matches!(field_type, Some(FieldType::Choice | FieldType::MultiChoice)) {
        body.insert("choices".into(), Value::Array(lines(form.get("choices"))));
    }
    if field_type == Some(FieldType::Money) && !form.get("currency").trim().is_empty() {
        body.insert("currency".into(), Value::from(form.get("currency").trim()));
    }
    if field_type == Some(FieldType::Link) && !form.get("target").is_empty() {
        body.insert("target".into(), Value::from(form.get("target")));
    }
    if let Some(position) = position {
        body.insert("position".into(), Value::from(position));
    }
    match custom_fields::create(&state.app, viewer.actor(), Value::Object(body)).await {
        Ok(_) => Ok(Redirect::to("/admin/custom-fields?done=field-created").into_response()),
        Err(error) => refused(field_errors(&l, error, "field", &[])?),
    }
}

fn edit_page(
    viewer: &Viewer,
    field: &CustomField,
    form: Option<&FormData>,
    errors: FieldErrors,
    conflict: bool,
) -> FormPage {
    let l = l(&viewer.ctx);
    let spec = &field.spec;
    let action = format!("/admin/custom-fields/{}", field.id);
    let currency = spec.currency.as_ref().map(|c| c.as_str()).unwrap_or_default();
    let target = spec.target.map(|t| t.as_str()).unwrap_or_default();
    let heading = l.t1("admin-field-edit", "label", &spec.label);
    FormPage {
        shell: Shell::new(&viewer.ctx, heading.clone(), "admin"),
        heading,
        conflict: if conflict { action.clone() } else { String::new() },
        action,
        version: kept(form, "version", &field.version.to_string()),
        fixed: vec![
            (l.t("admin-record"), kind_name(&l, spec.record_kind)),
            (l.t("admin-field-key"), spec.key.clone()),
            (l.t("column-type"), type_name(&l, spec.field_type)),
        ],
        record_kinds: Vec::new(),
        key: spec.key.clone(),
        types: Vec::new(),
        field_label: kept(form, "label", &spec.label),
        required: checked(form, "required", spec.required),
        show_choices: matches!(spec.field_type, FieldType::Choice | FieldType::MultiChoice),
        choices: kept(form, "choices", &spec.choices.join("\n")),
        show_currency: spec.field_type == FieldType::Money,
        currency: kept(form, "currency", currency),
        targets: if spec.field_type == FieldType::Link {
            targets(&l, &kept(form, "target", target))
        } else {
            Vec::new()
        },
        position: kept(form, "position", &spec.position.to_string()),
        errors,
        tab: "fields",
        notice: String::new(),
        l,
    }
}

async fn load(state: &AppState, viewer: &Viewer, id: &str) -> Result<CustomField, UiError> {
    viewer.actor().require_admin()?;
    Ok(custom_fields::get(&state.app, parse_id(id)?).await?)
}

pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let field = load(&state, &viewer, &id).await?;
    Ok(edit_page(&viewer, &field, None, FieldErrors::default(), false).into_response())
}

pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let field = load(&state, &viewer, &id).await?;
    let l = l(&viewer.ctx);
    let refused = |errors, status| Ok((status, edit_page(&viewer, &field, Some(&form), errors, false)).into_response());
    // Without the version the form was made from, a save could overwrite someone else's.
    let version = form
        .get("version")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("the form lacks the version it was made from; reload it".into()))?;
    let position = match position(&l, &form) {
        Ok(p) => p,
        Err(errors) => return refused(errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let mut patch = Map::new();
    patch.insert("label".into(), Value::from(form.get("label")));
    patch.insert("required".into(), Value::Bool(form.get("required") == "true"));
    if let Some(position) = position {
        patch.insert("position".into(), Value::from(position));
    }
    let empty_as_null = |raw: &str| if raw.trim().is_empty() { Value::Null } else { Value::from(raw.trim()) };
    match field.spec.field_type {
        FieldType::Choice | FieldType::MultiChoice => {
            patch.insert("choices".into(), Value::Array(lines(form.get("choices"))));
        }
        FieldType::Money => {
            patch.insert("currency".into(), empty_as_null(form.get("currency")));
        }
        FieldType::Link => {
            patch.insert("target".into(), empty_as_null(form.get("target")));
        }
        _ => {}
    }
    match custom_fields::update(&state.app, viewer.actor(), field.id, Value::Object(patch), Some(version)).await {
        Ok(_) => Ok(Redirect::to("/admin/custom-fields?done=field-saved").into_response()),
        Err(AppError::Stale { .. }) => {
            Ok((StatusCode::CONFLICT, edit_page(&viewer, &field, Some(&form), FieldErrors::default(), true))
                .into_response())
        }
        Err(error) => refused(field_errors(&l, error, "field", &[])?, StatusCode::UNPROCESSABLE_ENTITY),
    }
}
