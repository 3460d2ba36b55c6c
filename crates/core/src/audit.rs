//! Field-level differences between two versions of a record, for the history.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// Compares two records field by field; nested objects (attributes, custom fields) are
/// compared key by key (`attributes.loyalty`), lists as a whole.
pub fn diff(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<Change> {
    let mut changes = Vec::new();
    diff_into("", before, after, &mut changes);
    changes
}

fn diff_into(prefix: &str, before: &Map<String, Value>, after: &Map<String, Value>, out: &mut Vec<Change>) {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let old = before.get(key).unwrap_or(&Value::Null);
        let new = after.get(key).unwrap_or(&Value::Null);
        if old == new {
            continue;
        }
        let field = format!("{prefix}{key}");
        match (old, new) {
            (Value::Object(o), Value::Object(n)) => diff_into(&format!("{field}."), o, n, out),
            _ => out.push(Change { field, old: old.clone(), new: new.clone() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_each_changed_field_once() {
        let before = json!({"name": "A", "stage": "growing", "attributes": {"loyalty": "gold", "size": "s"}});
        let after =
            json!({"name": "A", "stage": "mature", "attributes": {"loyalty": "silver", "size": "s"}, "area": "Sofia"});
        let changes = diff(before.as_object().unwrap(), after.as_object().unwrap());
        let fields: Vec<_> = changes.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["area", "attributes.loyalty", "stage"]);
        assert_eq!(changes[2].old, json!("growing"));
        assert_eq!(changes[2].new, json!("mature"));
    }
}
