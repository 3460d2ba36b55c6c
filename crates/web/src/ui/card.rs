//! What the company and person cards share: panels of addresses, contact methods,
//! attributes, categories, custom fields and history, built from the record as the
//! actor may see it.

use rapport_app::{App, AppError, custom_fields};
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::i18n::L;
use super::list::{Lists, text};

pub struct Line {
    pub label: String,
    pub value: String,
}

pub struct HistoryItem {
    pub summary: String,
    pub changes: Vec<String>,
}

/// The panels every card has, in the order they show.
pub struct Panels {
    pub contacts: Vec<Line>,
    pub addresses: Vec<String>,
    pub attributes: Vec<Line>,
    pub categories: Vec<Line>,
    pub custom: Vec<Line>,
    pub history: Vec<HistoryItem>,
}

/// A stored value as a person reads it: text as is, money with its currency, lists joined.
pub fn show_value(l: &L, value: &Value) -> String {
    let shown = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(true) => l.t("value-yes"),
        Value::Bool(false) => l.t("value-no"),
        Value::Number(n) => l.number(&n.to_string()),
        Value::Object(o) if o.contains_key("amount") => {
            format!("{} {}", l.number(&text(value, "amount")), text(value, "currency"))
        }
        Value::Array(items) => {
            items.iter().map(|i| show_value(l, i)).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")
        }
        Value::Object(o) => o
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{k}: {}", show_value(l, v)))
            .collect::<Vec<_>>()
            .join(", "),
    };
    // The history keeps whole lists; a card shows the start of a long one.
    if shown.chars().count() > 160 { format!("{}…", shown.chars().take(160).collect::<String>()) } else { shown }
}

pub fn address_line(a: &Value) -> String {
    ["line1", "line2", "postcode", "city", "region", "country"]
        .iter()
        .map(|f| text(a, f))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn panels(
    app: &App,
    l: &L,
    record: &Value,
    kind: &str,
    history: &[impl Serialize],
) -> Result<Panels, AppError> {
    let list = |field: &str| record.get(field).and_then(Value::as_array).cloned().unwrap_or_default();
    let contacts = list("contact_methods")
        .iter()
        .map(|m| {
            let mut label = l.maybe("contact", &text(m, "kind"));
            let extra = text(m, "label");
            if !extra.is_empty() {
                label = format!("{label} ({extra})");
            }
            if m.get("primary") == Some(&Value::Bool(true)) {
                label = format!("{label} · {}", l.t("contact-primary"));
            }
            Line { label, value: text(m, "value") }
        })
        .collect();
    let addresses = list("addresses")
        .iter()
        .map(|a| format!("{}: {}", l.maybe("purpose", &text(a, "purpose")), address_line(a)))
        .collect();
    let attributes = record
        .get("attributes")
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| Line { label: k.clone(), value: show_value(l, v) }).collect())
        .unwrap_or_default();
    let lists = Lists::load(app).await?;
    let categories = list("categories")
        .iter()
        .filter_map(|id| lists.category(id.as_str()?))
        .map(|(label, value)| Line { label, value })
        .collect();
    let definitions = custom_fields::list(app, Some(kind)).await?;
    let custom = record
        .get("custom")
        .and_then(Value::as_object)
        .map(|values| {
            definitions
                .iter()
                .filter_map(|d| {
                    let value = values.get(&d.spec.key)?;
                    Some(Line { label: d.spec.label.clone(), value: show_value(l, value) })
                })
                .collect()
        })
        .unwrap_or_default();
    let history = history_lines(l, &definitions, history);
    Ok(Panels { contacts, addresses, attributes, categories, custom, history })
}

/// A record's history as lines: when, what and who, then each changed field (custom
/// fields by their labels).
fn history_lines(l: &L, definitions: &[custom_fields::CustomField], history: &[impl Serialize]) -> Vec<HistoryItem> {
    history
        .iter()
        .filter_map(|entry| serde_json::to_value(entry).ok())
        .map(|entry| {
            let who = match text(&entry, "actor_name") {
                name if name.is_empty() => l.t("history-system"),
                name => name,
            };
            let action = text(&entry, "action");
            let at = OffsetDateTime::parse(&text(&entry, "at"), &Rfc3339).map(|at| l.datetime(at)).unwrap_or_default();
            let summary = format!("{at} · {} · {who}", l.maybe("history-action", &action));
            let changes = entry.get("changes").and_then(Value::as_array).cloned().unwrap_or_default();
            let changes = if action == "create" {
                Vec::new()
            } else {
                changes
                    .iter()
                    .map(|c| {
                        let old = show_value(l, c.get("old").unwrap_or(&Value::Null));
                        let new = show_value(l, c.get("new").unwrap_or(&Value::Null));
                        let raw = text(c, "field");
                        let field = match raw.strip_prefix("custom.") {
                            Some(key) => definitions
                                .iter()
                                .find(|d| d.spec.key == key)
                                .map_or_else(|| raw.clone(), |d| d.spec.label.clone()),
                            None => l.maybe("field", &raw),
                        };
                        match (old.is_empty(), new.is_empty()) {
                            (true, _) => format!("{field}: {new}"),
                            (false, true) => format!("{field}: {old} → {}", l.t("history-removed")),
                            _ => format!("{field}: {old} → {new}"),
                        }
                    })
                    .collect()
            };
            HistoryItem { summary, changes }
        })
        .collect()
}

/// The history of a record without custom fields (a task), as lines.
pub fn history_items(l: &L, history: &[impl Serialize]) -> Vec<HistoryItem> {
    history_lines(l, &[], history)
}
