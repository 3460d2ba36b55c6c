//! The columns of the company and people lists: which there are, which show until the
//! user chooses (on the same arranging page as the card panels), and what a cell holds.
//! The name column always shows: it is the link to the card.

use std::collections::HashMap;

use rapport_app::custom_fields::CustomField;
use rapport_app::sessions::Session;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::card::show_value;
use super::i18n::L;
use super::list::{self, Lists, SortHeader, text};

/// A built-in column: its key, the message naming it, the API sort it offers (if any), and
/// whether it shows before the user arranges the list.
struct Builtin {
    key: &'static str,
    label: &'static str,
    sort: Option<&'static str>,
    shown: bool,
}

const fn col(key: &'static str, label: &'static str, sort: Option<&'static str>, shown: bool) -> Builtin {
    Builtin { key, label, sort, shown }
}

const COMPANIES: [Builtin; 12] = [
    col("code", "column-code", Some("code"), true),
    col("type", "column-type", None, true),
    col("status", "column-status", None, true),
    col("level", "column-level", None, true),
    col("stage", "column-stage", None, true),
    col("area", "column-area", None, true),
    col("owner", "column-owner", None, true),
    col("email", "card-main-email", None, false),
    col("phone", "card-main-phone", None, false),
    col("city", "column-city", None, false),
    col("created", "column-created", Some("created_at"), false),
    col("updated", "column-updated", Some("updated_at"), false),
];

const PEOPLE: [Builtin; 8] = [
    col("title", "field-title", None, true),
    col("email", "card-main-email", None, true),
    col("phone", "card-main-phone", None, true),
    col("owner", "column-owner", None, true),
    col("city", "column-city", None, false),
    col("birth_date", "field-birth_date", None, false),
    col("created", "column-created", Some("created_at"), false),
    col("updated", "column-updated", Some("updated_at"), false),
];

fn builtins(list: &str) -> &'static [Builtin] {
    match list {
        "companies" => &COMPANIES,
        "people" => &PEOPLE,
        _ => &[],
    }
}

/// The record kind whose custom fields a list can show.
pub fn record_kind(list: &str) -> Option<&'static str> {
    match list {
        "companies" => Some("company"),
        "people" => Some("person"),
        _ => None,
    }
}

/// Every column a list offers, as (key, label, shown until arranged); custom fields
/// come last and start hidden.
pub fn offered(l: &L, list: &str, fields: &[CustomField]) -> Vec<(String, String, bool)> {
    let mut out: Vec<_> = builtins(list).iter().map(|c| (c.key.to_string(), l.t(c.label), c.shown)).collect();
    out.extend(fields.iter().map(|f| (format!("custom.{}", f.spec.key), f.spec.label.clone(), false)));
    out
}

/// A column as the list page draws it.
pub struct Column {
    pub key: String,
    pub label: String,
    /// Set when the column sorts the list.
    pub sort: Option<SortHeader>,
}

/// The columns the user shows, in their order.
pub fn chosen(
    l: &L,
    session: &Session,
    list_name: &str,
    fields: &[CustomField],
    base: &str,
    pairs: &[(String, String)],
) -> Vec<Column> {
    let offered = offered(l, list_name, fields);
    super::panels::arrangement(session, list_name, &offered)
        .into_iter()
        .filter(|(_, shown)| *shown)
        .filter_map(|(key, _)| {
            let (_, label, _) = offered.iter().find(|(k, _, _)| *k == key)?;
            let sort = builtins(list_name)
                .iter()
                .find(|c| c.key == key)
                .and_then(|c| c.sort)
                .map(|sort| list::sort_header(base, pairs, sort, label));
            Some(Column { key, label: label.clone(), sort })
        })
        .collect()
}

/// A cell: its column's key (for styling), its text, and the badge class when it shows
/// as a badge.
pub struct Cell {
    pub key: String,
    pub text: String,
    pub badge: String,
}

/// What the cells need besides the record.
pub struct CellContext<'a> {
    pub l: &'a L,
    pub names: &'a HashMap<Uuid, String>,
    pub lists: &'a Lists,
    /// People are reached on their mobile first, companies on their landline.
    pub person: bool,
}

fn date_of(l: &L, record: &Value, field: &str) -> String {
    OffsetDateTime::parse(&text(record, field), &Rfc3339).map(|at| l.datetime(at)).unwrap_or_default()
}

fn default_city(record: &Value) -> String {
    let addresses = record.get("addresses").and_then(Value::as_array).cloned().unwrap_or_default();
    let default = addresses.iter().find(|a| a.get("default") == Some(&Value::Bool(true)));
    default.or(addresses.first()).map(|a| text(a, "city")).unwrap_or_default()
}

fn cells(ctx: &CellContext<'_>, columns: &[Column], record: &Value) -> Vec<Cell> {
    columns.iter().map(|c| Cell { key: c.key.clone(), ..cell(ctx, &c.key, record) }).collect()
}

fn cell(ctx: &CellContext<'_>, key: &str, record: &Value) -> Cell {
    let l = ctx.l;
    let plain = |text: String| Cell { key: String::new(), text, badge: String::new() };
    if let Some(custom) = key.strip_prefix("custom.") {
        let value = record.get("custom").and_then(|c| c.get(custom)).cloned().unwrap_or(Value::Null);
        return plain(show_value(l, &value));
    }
    match key {
        "code" | "area" | "title" | "birth_date" => plain(text(record, key)),
        "type" => plain(l.maybe("type", &text(record, "type"))),
        "status" => Cell { badge: text(record, "status"), ..plain(l.maybe("status", &text(record, "status"))) },
        "level" | "stage" => plain(ctx.lists.name_of(key, &text(record, key))),
        "owner" => plain(list::owner_name(ctx.names, record)),
        "email" => plain(list::main_contact(record, &["email"])),
        "phone" if ctx.person => plain(list::main_contact(record, &["mobile", "phone"])),
        "phone" => plain(list::main_contact(record, &["phone", "mobile"])),
        "city" => plain(default_city(record)),
        "created" => plain(date_of(l, record, "created_at")),
        "updated" => plain(date_of(l, record, "updated_at")),
        _ => plain(String::new()),
    }
}

/// A row of a list: the record's link and name, and the chosen columns' cells.
pub struct Row {
    pub id: String,
    pub name: String,
    pub archived: bool,
    pub cells: Vec<Cell>,
}

/// The rows of a page of records; `name_field` is the field the name column shows.
pub fn rows<T: serde::Serialize>(ctx: &CellContext<'_>, columns: &[Column], items: &[T], name_field: &str) -> Vec<Row> {
    items
        .iter()
        .filter_map(|item| serde_json::to_value(item).ok())
        .map(|record| Row {
            id: text(&record, "id"),
            name: text(&record, name_field),
            archived: !record.get("archived_at").is_none_or(Value::is_null),
            cells: cells(ctx, columns, &record),
        })
        .collect()
}
