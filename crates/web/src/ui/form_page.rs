//! The form page shared by companies and people: scalar inputs described by [`Field`],
//! rows of contact methods, addresses and (for people) employments, messages per input,
//! and the version conflict notice.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_core::custom_fields::FieldType;
use serde_json::{Map, Value};

use super::context::FormData;
use super::forms::FieldErrors;
use super::i18n::L;
use super::list::{SelectOption, text};
use super::record_form::{AddressRow, ContactRow, Kept, rows_json};

pub enum Input {
    Text,
    Date,
    LongText,
    /// A choice; the first option may be "(none)".
    Choice(Vec<(String, String)>),
}

/// A scalar input: its API name, label, and kind.
pub struct Spec {
    pub name: &'static str,
    pub input: Input,
    pub required: bool,
}

pub struct Field {
    /// The API's name; custom fields are `custom.KEY`.
    pub name: String,
    pub label: String,
    /// `text`, `date`, `textarea` or `select`.
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<SelectOption>,
    pub required: bool,
    /// The type of a custom field, which decides the JSON its text becomes.
    pub custom: Option<FieldType>,
}

/// Inputs for the custom fields of a kind of record the actor may see. Multiple choices
/// are typed separated by commas.
pub async fn custom_fields(
    app: &rapport_app::App,
    l: &L,
    kind: &str,
    hidden: &[String],
    value_of: &(dyn Fn(&str) -> String + Sync),
) -> Result<Vec<Field>, rapport_app::AppError> {
    let specs = rapport_app::custom_fields::list(app, Some(kind)).await?;
    Ok(specs
        .into_iter()
        .map(|f| f.spec)
        .filter(|spec| !hidden.contains(&format!("custom.{}", spec.key)))
        .map(|spec| {
            let name = format!("custom.{}", spec.key);
            let value = value_of(&name);
            let none = || SelectOption { value: String::new(), label: l.t("field-none"), selected: value.is_empty() };
            let option = |v: &str, label: String| SelectOption { selected: value == v, value: v.to_string(), label };
            let (kind, options) = match spec.field_type {
                FieldType::Date => ("date", Vec::new()),
                FieldType::Choice => (
                    "select",
                    std::iter::once(none()).chain(spec.choices.iter().map(|c| option(c, c.clone()))).collect(),
                ),
                FieldType::Boolean => {
                    ("select", vec![none(), option("true", l.t("value-yes")), option("false", l.t("value-no"))])
                }
                _ => ("text", Vec::new()),
            };
            let label = match spec.field_type {
                FieldType::MultiChoice => format!("{} ({})", spec.label, spec.choices.join(", ")),
                FieldType::Money => {
                    format!("{} ({})", spec.label, spec.currency.as_ref().map(|c| c.as_str()).unwrap_or_default())
                }
                _ => spec.label.clone(),
            };
            Field { name, label, kind, value, options, required: spec.required, custom: Some(spec.field_type) }
        })
        .collect())
}

/// A custom field's text as the JSON value the API takes.
fn custom_value(kind: FieldType, text: &str) -> Value {
    match kind {
        FieldType::Boolean => Value::Bool(text == "true"),
        FieldType::MultiChoice => Value::Array(
            text.split(',').map(str::trim).filter(|c| !c.is_empty()).map(|c| Value::String(c.into())).collect(),
        ),
        _ => Value::String(text.to_string()),
    }
}

/// The values of one category kind, as checkboxes.
pub struct CategoryGroup {
    pub name: String,
    pub options: Vec<SelectOption>,
}

/// The administrators' category kinds with `chosen` (value ids) ticked.
pub fn category_groups(lists: &super::list::Lists, chosen: &[String]) -> Vec<CategoryGroup> {
    lists
        .groups()
        .into_iter()
        .map(|(name, values)| CategoryGroup {
            name,
            options: values
                .into_iter()
                .map(|(id, label)| SelectOption { selected: chosen.contains(&id), value: id, label })
                .collect(),
        })
        .collect()
}

/// The category ids a stored record has.
pub fn categories_of_record(record: Option<&Value>) -> Vec<String> {
    let ids = record.and_then(|r| r.get("categories")).and_then(Value::as_array).cloned().unwrap_or_default();
    ids.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
}

/// The category ids ticked on a submitted form.
pub fn categories_of_form(form: &FormData) -> Vec<String> {
    form.0.iter().filter(|(n, _)| n == "categories").map(|(_, v)| v.clone()).collect()
}

/// Attributes typed one `key=value` per line, as the API's object. A line without `=`
/// becomes a key without a value, which the use case reports.
fn attributes_of(text: &str) -> Value {
    let pairs = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|line| match line.split_once('=') {
        Some((key, value)) => (key.trim().to_string(), Value::String(value.trim().to_string())),
        None => (line.to_string(), Value::String(String::new())),
    });
    Value::Object(pairs.collect())
}

pub struct EmploymentRow {
    pub index: usize,
    pub company_id: String,
    pub company_name: String,
    pub position: String,
    pub department: String,
}

impl EmploymentRow {
    pub fn name(&self, field: &str) -> String {
        format!("employments[{}].{field}", self.index)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "record_form.html")]
pub struct FormPage {
    pub shell: super::layout::Shell,
    pub l: L,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub version: String,
    pub fields: Vec<Field>,
    pub contacts: Vec<ContactRow>,
    pub addresses: Vec<AddressRow>,
    pub employments: Vec<EmploymentRow>,
    /// Empty when the actor may not see the record's categories, or none are defined.
    pub categories: Vec<CategoryGroup>,
    pub errors: FieldErrors,
    /// Messages about no single input on the page.
    pub others: Vec<String>,
    /// Where to reload after a version conflict; empty when there is none.
    pub conflict: String,
    /// Existing records the new one looks like (a create refused as a likely duplicate).
    pub duplicates: Vec<DuplicateRow>,
    /// The collection the form creates in (`companies`, `people`), for the links.
    pub collection: &'static str,
}

/// An existing record a new one looks like, beside the form.
pub struct DuplicateRow {
    pub id: String,
    pub name: String,
    pub score: String,
    pub reasons: String,
}

impl DuplicateRow {
    pub fn of(l: &L, found: Vec<rapport_app::duplicates::Candidate>) -> Vec<DuplicateRow> {
        found
            .into_iter()
            .map(|c| {
                let codes: Vec<String> = c.reasons.iter().map(|r| r.as_str().to_string()).collect();
                DuplicateRow {
                    id: c.id.to_string(),
                    name: c.name,
                    score: format!("{:.0} %", c.score * 100.0),
                    reasons: super::duplicates::reasons(l, &codes),
                }
            })
            .collect()
    }
}

impl FormPage {
    pub fn into_response_with(self, status: StatusCode) -> Response {
        (status, self).into_response()
    }
}

/// The inputs for the specs the actor may see, with values from `value_of`.
pub fn fields(l: &L, specs: &[Spec], hidden: &[String], value_of: &(dyn Fn(&str) -> String + Sync)) -> Vec<Field> {
    specs
        .iter()
        .filter(|s| !hidden.iter().any(|h| h == s.name))
        .map(|spec| {
            let value = value_of(spec.name);
            let (kind, options) = match &spec.input {
                Input::Text => ("text", Vec::new()),
                Input::Date => ("date", Vec::new()),
                Input::LongText => ("textarea", Vec::new()),
                Input::Choice(choices) => (
                    "select",
                    choices
                        .iter()
                        .map(|(v, label)| SelectOption {
                            value: v.clone(),
                            label: label.clone(),
                            selected: *v == value,
                        })
                        .collect(),
                ),
            };
            let label =
                if spec.name == "attributes" { l.t("form-attributes") } else { l.t(&format!("field-{}", spec.name)) };
            Field { name: spec.name.into(), label, kind, value, options, required: spec.required, custom: None }
        })
        .collect()
}

/// The JSON body for the use case: scalar fields (blank ones as `null` when `blank_as_null`,
/// left out otherwise) and the non-blank rows.
pub fn body(
    fields: &[Field],
    contacts: &[ContactRow],
    addresses: &[AddressRow],
    categories: Option<Vec<String>>,
    blank_as_null: bool,
    kept: &mut Kept,
) -> Map<String, Value> {
    let mut body = Map::new();
    let mut custom = Map::new();
    for field in fields {
        let value = field.value.trim();
        if let (Some(kind), Some(key)) = (field.custom, field.name.strip_prefix("custom.")) {
            if !value.is_empty() {
                custom.insert(key.to_string(), custom_value(kind, value));
            } else if blank_as_null {
                custom.insert(key.to_string(), Value::Null);
            }
        } else if field.name == "attributes" {
            if !value.is_empty() || blank_as_null {
                body.insert(field.name.clone(), attributes_of(value));
            }
        } else if !value.is_empty() {
            body.insert(field.name.clone(), Value::String(value.to_string()));
        } else if blank_as_null {
            body.insert(field.name.clone(), Value::Null);
        }
    }
    if !custom.is_empty() {
        body.insert("custom".into(), Value::Object(custom));
    }
    if let Some(ids) = categories.filter(|ids| !ids.is_empty() || blank_as_null) {
        body.insert("categories".into(), Value::Array(ids.into_iter().map(Value::String).collect()));
    }
    rows_json(contacts, addresses, &mut body, kept);
    body
}

/// The submitted value of each input, for re-showing the form as it was typed.
pub fn from_form(form: &FormData) -> impl Fn(&str) -> String + Sync + '_ {
    move |name| form.get(name).to_string()
}

/// A stored record's value of each input.
pub fn from_record(record: &Value) -> impl Fn(&str) -> String + Sync + '_ {
    move |name| match name.strip_prefix("custom.") {
        Some(key) => record.get("custom").and_then(|c| c.get(key)).map(custom_text).unwrap_or_default(),
        None => plain_text(record, name),
    }
}

/// A stored custom value as the form shows it: money by its amount, lists comma-separated.
pub fn custom_text(value: &Value) -> String {
    match value {
        Value::Object(o) if o.contains_key("amount") => text(value, "amount"),
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
        other => text(&serde_json::json!({ "v": other }), "v"),
    }
}

fn plain_text(record: &Value, name: &str) -> String {
    match record.get(name) {
        Some(Value::Object(pairs)) => {
            pairs.iter().map(|(k, v)| format!("{k}={}\n", text(&serde_json::json!({ "v": v }), "v"))).collect()
        }
        _ => text(record, name),
    }
}

/// Messages for inputs that are not on the page (e.g. a list as a whole).
pub fn others(
    errors: &FieldErrors,
    fields: &[Field],
    contacts: &[ContactRow],
    addresses: &[AddressRow],
) -> Vec<String> {
    let mut shown: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    for row in contacts {
        shown.extend(["kind", "value", "label"].iter().map(|f| row.name(f)));
    }
    for row in addresses {
        shown
            .extend(["purpose", "line1", "line2", "city", "region", "postcode", "country"].iter().map(|f| row.name(f)));
    }
    shown.extend(["attributes".to_string(), "categories".to_string()]);
    errors.others(&shown)
}

/// Reads the create form's answer to a duplicate warning: "create anyway" or "merge with
/// this one" both confirm; the latter gives the record to merge with.
pub fn confirm_duplicate(form: &FormData, body: &mut Map<String, Value>) -> Option<uuid::Uuid> {
    let merge_into = form.get("merge_into").parse::<uuid::Uuid>().ok();
    if form.get("confirm_duplicate") == "true" || merge_into.is_some() {
        body.insert(rapport_app::duplicates::CONFIRM_FLAG.into(), Value::Bool(true));
    }
    merge_into
}

/// Where a created record leads: its card, or the merge screen with the record the user
/// chose to merge it into.
pub fn created(collection: &str, id: uuid::Uuid, merge_into: Option<uuid::Uuid>) -> Response {
    let to = match merge_into {
        Some(target) => format!("/merges/new?kind={collection}&ids={target},{id}"),
        None => format!("/{collection}/{id}"),
    };
    axum::response::Redirect::to(&to).into_response()
}
