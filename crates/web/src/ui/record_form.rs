//! The parts of the company and person forms that repeat: contact methods and addresses
//! as rows of inputs named after the API (`contact_methods[0].value`), turned into the
//! JSON the use cases take, and back from a stored record into rows to edit.
//!
//! Blank rows are dropped before the use case sees them, so the error paths it returns
//! count only the kept rows; `Kept` maps them back to the rows on the page.

use rapport_core::contacts::{AddressPurpose, ContactKind};
use serde_json::{Map, Value, json};

use super::context::FormData;
use super::form_page::custom_text;
use super::forms::FieldErrors;
use super::i18n::L;
use super::list::{SelectOption, text};

/// Rows the form offers beyond the stored ones, for adding without JavaScript.
const BLANK_CONTACTS: usize = 2;
const BLANK_ADDRESSES: usize = 1;
/// More rows than anyone types by hand; a larger index is ignored.
const MAX_ROWS: usize = 50;

pub struct ContactRow {
    pub index: usize,
    pub kind: String,
    pub value: String,
    pub label: String,
    pub primary: bool,
    pub kinds: Vec<SelectOption>,
}

impl ContactRow {
    pub fn name(&self, field: &str) -> String {
        format!("contact_methods[{}].{field}", self.index)
    }
}

pub struct AddressRow {
    pub index: usize,
    pub purpose: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postcode: String,
    pub country: String,
    pub default: bool,
    pub purposes: Vec<SelectOption>,
}

impl AddressRow {
    pub fn name(&self, field: &str) -> String {
        format!("addresses[{}].{field}", self.index)
    }
}

fn kind_options(l: &L, current: &str) -> Vec<SelectOption> {
    ContactKind::ALL
        .into_iter()
        .map(|k| SelectOption {
            value: k.as_str().into(),
            label: l.maybe("contact", k.as_str()),
            selected: k.as_str() == current,
        })
        .collect()
}

fn purpose_options(l: &L, current: &str) -> Vec<SelectOption> {
    AddressPurpose::ALL
        .iter()
        .map(|p| SelectOption {
            value: p.as_str().into(),
            label: l.maybe("purpose", p.as_str()),
            selected: p.as_str() == current,
        })
        .collect()
}

fn contact_row(l: &L, index: usize, kind: &str, value: &str, label: &str, primary: bool) -> ContactRow {
    let kind = if kind.is_empty() { if index.is_multiple_of(2) { "email" } else { "phone" } } else { kind };
    ContactRow {
        index,
        kind: kind.into(),
        value: value.into(),
        label: label.into(),
        primary,
        kinds: kind_options(l, kind),
    }
}

fn address_row(l: &L, index: usize, fields: &dyn Fn(&str) -> String, default: bool) -> AddressRow {
    let purpose = match fields("purpose") {
        p if p.is_empty() => "office".to_string(),
        p => p,
    };
    AddressRow {
        index,
        purposes: purpose_options(l, &purpose),
        purpose,
        line1: fields("line1"),
        line2: fields("line2"),
        city: fields("city"),
        region: fields("region"),
        postcode: fields("postcode"),
        country: fields("country"),
        default,
    }
}

/// Rows for a stored record (plus blank ones), or blank rows for a new one.
pub fn rows_from_record(l: &L, record: Option<&Value>) -> (Vec<ContactRow>, Vec<AddressRow>) {
    let list = |field: &str| record.and_then(|r| r.get(field)).and_then(Value::as_array).cloned().unwrap_or_default();
    let mut contacts: Vec<ContactRow> = list("contact_methods")
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let primary = m.get("primary") == Some(&Value::Bool(true));
            contact_row(l, i, &text(m, "kind"), &text(m, "value"), &text(m, "label"), primary)
        })
        .collect();
    for _ in 0..BLANK_CONTACTS {
        contacts.push(contact_row(l, contacts.len(), "", "", "", false));
    }
    let mut addresses: Vec<AddressRow> = list("addresses")
        .iter()
        .enumerate()
        .map(|(i, a)| address_row(l, i, &|f| text(a, f), a.get("default") == Some(&Value::Bool(true))))
        .collect();
    for _ in 0..BLANK_ADDRESSES {
        addresses.push(address_row(l, addresses.len(), &|_| String::new(), false));
    }
    (contacts, addresses)
}

/// The rows as submitted, so a form with errors shows exactly what was typed.
pub fn rows_from_form(l: &L, form: &FormData) -> (Vec<ContactRow>, Vec<AddressRow>) {
    let count = |prefix: &str| {
        (0..MAX_ROWS)
            .rev()
            .find(|i| form.0.iter().any(|(n, _)| n.starts_with(&format!("{prefix}[{i}]."))))
            .map_or(0, |i| i + 1)
    };
    let contacts = (0..count("contact_methods"))
        .map(|i| {
            let get = |f: &str| form.get(&format!("contact_methods[{i}].{f}")).to_string();
            contact_row(l, i, &get("kind"), &get("value"), &get("label"), get("primary") == "true")
        })
        .collect();
    let addresses = (0..count("addresses"))
        .map(|i| {
            let get = |f: &str| form.get(&format!("addresses[{i}].{f}")).to_string();
            address_row(l, i, &get, get("default") == "true")
        })
        .collect();
    (contacts, addresses)
}

/// Which page row each row sent to the use case came from.
#[derive(Default)]
pub struct Kept {
    contacts: Vec<usize>,
    addresses: Vec<usize>,
}

impl Kept {
    /// Rewrites `contact_methods[k]…` and `addresses[k]…` paths to the rows on the page,
    /// and a single attribute or category to the one input that holds them all.
    pub fn remap(&self, errors: &mut FieldErrors) {
        for (field, _) in &mut errors.items {
            for whole in ["attributes", "categories"] {
                if field.starts_with(&format!("{whole}.")) || field.starts_with(&format!("{whole}[")) {
                    *field = whole.to_string();
                }
            }
            for (prefix, rows) in [("contact_methods[", &self.contacts), ("addresses[", &self.addresses)] {
                let Some(rest) = field.strip_prefix(prefix) else { continue };
                let Some((number, tail)) = rest.split_once(']') else { continue };
                if let Some(row) = number.parse::<usize>().ok().and_then(|k| rows.get(k)) {
                    *field = format!("{prefix}{row}]{tail}");
                }
            }
        }
    }
}

/// The non-blank rows as the API's `contact_methods` and `addresses` arrays.
pub fn rows_json(contacts: &[ContactRow], addresses: &[AddressRow], into: &mut Map<String, Value>, kept: &mut Kept) {
    let mut methods = Vec::new();
    for row in contacts.iter().filter(|r| !r.value.trim().is_empty() || !r.label.trim().is_empty()) {
        let mut method = json!({"kind": row.kind, "value": row.value});
        if !row.label.trim().is_empty() {
            method["label"] = json!(row.label);
        }
        if row.primary {
            method["primary"] = json!(true);
        }
        methods.push(method);
        kept.contacts.push(row.index);
    }
    let mut places = Vec::new();
    for row in addresses {
        let lines = [&row.line1, &row.line2, &row.city, &row.region, &row.postcode, &row.country];
        if lines.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        let mut address = json!({"purpose": row.purpose});
        for (field, value) in ["line1", "line2", "city", "region", "postcode", "country"].into_iter().zip(lines) {
            if !value.trim().is_empty() {
                address[field] = json!(value);
            }
        }
        if row.default {
            address["default"] = json!(true);
        }
        places.push(address);
        kept.addresses.push(row.index);
    }
    into.insert("contact_methods".into(), Value::Array(methods));
    into.insert("addresses".into(), Value::Array(places));
}

/// The fields of `submitted` that differ from the stored record: what an edit changes.
/// Lists are compared by what the form can express, so untouched rows are no change.
pub fn changed(submitted: &Map<String, Value>, stored: &Value) -> Map<String, Value> {
    let comparable = |field: &str, value: &Value| -> Value {
        match (field, value) {
            ("contact_methods", Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|m| {
                        json!([
                            text(m, "kind"),
                            text(m, "value"),
                            text(m, "label"),
                            m.get("primary") == Some(&Value::Bool(true))
                        ])
                    })
                    .collect(),
            ),
            ("addresses", Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|a| {
                        let mut row: Vec<Value> =
                            ["purpose", "line1", "line2", "city", "region", "postcode", "country"]
                                .iter()
                                .map(|f| json!(text(a, f)))
                                .collect();
                        row.push(json!(a.get("default") == Some(&Value::Bool(true))));
                        Value::Array(row)
                    })
                    .collect(),
            ),
            ("employments", Value::Array(items)) => Value::Array(
                items
                    .iter()
                    .map(|e| json!([text(e, "company_id"), text(e, "position"), text(e, "department")]))
                    .collect(),
            ),
            ("attributes", Value::Object(pairs)) => Value::Array(
                pairs
                    .iter()
                    .map(|(k, v)| json!([k.trim().to_lowercase(), text(&json!({ "v": v }), "v").trim()]))
                    .collect(),
            ),
            ("categories", Value::Array(ids)) => {
                let mut ids: Vec<String> = ids.iter().filter_map(|v| v.as_str().map(str::to_string)).collect();
                ids.sort();
                json!(ids)
            }
            ("attributes" | "categories", Value::Null) => json!([]),
            (_, Value::Null) => json!(""),
            (_, other) => json!(text(&json!({ "v": other }), "v")),
        }
    };
    let mut patch = Map::new();
    if let Some(Value::Object(new)) = submitted.get("custom") {
        // Custom values merge key by key: only the changed ones are sent.
        let old = stored.get("custom");
        let diff: Map<String, Value> = new
            .iter()
            .filter(|(key, value)| {
                let before = old.and_then(|o| o.get(key.as_str())).cloned().unwrap_or(Value::Null);
                custom_text(value) != custom_text(&before)
            })
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        if !diff.is_empty() {
            patch.insert("custom".into(), Value::Object(diff));
        }
    }
    patch.extend(
        submitted
            .iter()
            .filter(|(field, _)| *field != "custom")
            .filter(|(field, value)| {
                let before = stored.get(field.as_str()).cloned().unwrap_or(Value::Null);
                comparable(field, value) != comparable(field, &before)
            })
            .map(|(field, value)| (field.clone(), merge_value(field, value, stored))),
    );
    patch
}

/// The value to send in a merge patch: attributes merge key by key, so one the user
/// deleted must be sent as `null` to go away.
fn merge_value(field: &str, value: &Value, stored: &Value) -> Value {
    match (field, value, stored.get(field)) {
        ("attributes", Value::Object(new), Some(Value::Object(old))) => {
            let mut patch = new.clone();
            for key in old.keys().filter(|k| !new.keys().any(|n| n.trim().to_lowercase() == **k)) {
                patch.insert(key.clone(), Value::Null);
            }
            Value::Object(patch)
        }
        _ => value.clone(),
    }
}
