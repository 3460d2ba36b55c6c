//! The form page shared by companies and people: scalar inputs described by [`Field`],
//! rows of contact methods, addresses and (for people) employments, messages per input,
//! and the version conflict notice.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
    pub name: String,
    pub label: String,
    /// `text`, `date`, `textarea` or `select`.
    pub kind: &'static str,
    pub value: String,
    pub options: Vec<SelectOption>,
    pub required: bool,
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
    pub errors: FieldErrors,
    /// Messages about no single input on the page.
    pub others: Vec<String>,
    /// Where to reload after a version conflict; empty when there is none.
    pub conflict: String,
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
            Field {
                name: spec.name.into(),
                label: l.t(&format!("field-{}", spec.name)),
                kind,
                value,
                options,
                required: spec.required,
            }
        })
        .collect()
}

/// The JSON body for the use case: scalar fields (blank ones as `null` when `blank_as_null`,
/// left out otherwise) and the non-blank rows.
pub fn body(
    fields: &[Field],
    contacts: &[ContactRow],
    addresses: &[AddressRow],
    blank_as_null: bool,
    kept: &mut Kept,
) -> Map<String, Value> {
    let mut body = Map::new();
    for field in fields {
        let value = field.value.trim();
        if !value.is_empty() {
            body.insert(field.name.clone(), Value::String(value.to_string()));
        } else if blank_as_null {
            body.insert(field.name.clone(), Value::Null);
        }
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
    move |name| text(record, name)
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
    errors.others(&shown)
}
