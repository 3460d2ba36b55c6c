//! The fields of a merged record: per field the value of the record the user chose, and
//! by default nothing lost. Works on drafts as JSON objects (`to_draft` of each record),
//! so companies and people combine alike.
//!
//! Without a choice, a field keeps the survivor's value, or when the survivor has none
//! the first merged record's; lists (contact methods, addresses, employments,
//! categories) are joined without repeats; attribute pairs and custom values are joined
//! key by key, `attributes.KEY` and `custom.KEY` choosing one record's value for a key.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::Invalid;

/// Lists joined from every record; the flags that may be set on one item only.
const LISTS: [(&str, &str); 4] =
    [("contact_methods", "primary"), ("addresses", "default"), ("employments", ""), ("categories", "")];

const MAPS: [&str; 2] = ["attributes", "custom"];

/// How two list items are the same: the fields that identify one.
fn same_item(list: &str, a: &Value, b: &Value) -> bool {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_lowercase);
    match list {
        "contact_methods" => text(a, "kind") == text(b, "kind") && text(a, "value") == text(b, "value"),
        "employments" => a.get("company_id") == b.get("company_id"),
        "addresses" => {
            let strip = |v: &Value| {
                let mut v = v.clone();
                if let Some(o) = v.as_object_mut() {
                    o.remove("default");
                }
                v
            };
            strip(a) == strip(b)
        }
        _ => a == b,
    }
}

fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => false,
    }
}

/// Combines the survivor's draft with the merged records' drafts. `choices` maps a field
/// (or `attributes.KEY`, `custom.KEY`) to the id of the record whose value it keeps.
pub fn combine(
    survivor: (Uuid, &Map<String, Value>),
    merged: &[(Uuid, Map<String, Value>)],
    choices: &BTreeMap<String, Uuid>,
) -> Result<Map<String, Value>, Invalid> {
    let mut invalid = Invalid::default();
    let source = |id: Uuid| -> Option<&Map<String, Value>> {
        if id == survivor.0 { Some(survivor.1) } else { merged.iter().find(|(m, _)| *m == id).map(|(_, d)| d) }
    };
    let mut out = survivor.1.clone();
    for (field, value) in out.iter_mut() {
        if let Some((_, flag)) = LISTS.iter().find(|(list, _)| list == field) {
            let mut items = value.as_array().cloned().unwrap_or_default();
            for (_, draft) in merged {
                for item in draft.get(field).and_then(Value::as_array).into_iter().flatten() {
                    if items.iter().any(|have| same_item(field, have, item)) {
                        continue;
                    }
                    let mut item = item.clone();
                    if let (false, Some(object)) = (flag.is_empty(), item.as_object_mut()) {
                        object.insert((*flag).to_string(), Value::Bool(false));
                    }
                    items.push(item);
                }
            }
            *value = Value::Array(items);
        } else if MAPS.contains(&field.as_str()) {
            let mut map = value.as_object().cloned().unwrap_or_default();
            for (_, draft) in merged {
                for (key, item) in draft.get(field).and_then(Value::as_object).into_iter().flatten() {
                    map.entry(key.clone()).or_insert_with(|| item.clone());
                }
            }
            *value = Value::Object(map);
        } else if is_empty(Some(value))
            && let Some(found) = merged.iter().map(|(_, d)| d.get(field)).find(|v| !is_empty(*v)).flatten()
        {
            *value = found.clone();
        }
    }
    for (field, id) in choices {
        let at = format!("fields.{field}");
        let Some(from) = source(*id) else {
            invalid.push(at, "unknown_source", "is not the id of a record in this merge");
            continue;
        };
        if let Some((map, key)) = field.split_once('.').filter(|(map, _)| MAPS.contains(map)) {
            let chosen = from.get(map).and_then(Value::as_object).and_then(|m| m.get(key)).cloned();
            if let Some(Value::Object(target)) = out.get_mut(map) {
                match chosen {
                    Some(value) => target.insert(key.to_string(), value),
                    None => target.remove(key),
                };
            }
        } else if out.contains_key(field.as_str()) {
            out.insert(field.clone(), from.get(field.as_str()).cloned().unwrap_or(Value::Null));
        } else {
            invalid.push(at, "unknown_field", "is not a field of this record");
        }
    }
    invalid.into_result(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn choices_win_gaps_fill_and_lists_join() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let survivor = map(json!({"name": "Acme", "website": null, "area": "North",
            "contact_methods": [{"kind": "email", "value": "a@x.example", "primary": true}],
            "attributes": {"tier": "gold"}}));
        let other = map(json!({"name": "ACME Ltd", "website": "acme.example", "area": "South",
            "contact_methods": [{"kind": "email", "value": "A@x.example", "primary": true},
                                {"kind": "phone", "value": "+359 2 123 456", "primary": true}],
            "attributes": {"tier": "silver", "since": "2020"}}));
        let choices = BTreeMap::from([("area".to_string(), b), ("attributes.tier".to_string(), b)]);
        let out = combine((a, &survivor), &[(b, other)], &choices).unwrap();
        assert_eq!(out["name"], "Acme");
        assert_eq!(out["website"], "acme.example");
        assert_eq!(out["area"], "South");
        assert_eq!(out["attributes"], json!({"tier": "silver", "since": "2020"}));
        let methods = out["contact_methods"].as_array().unwrap();
        assert_eq!(methods.len(), 2);
        assert_eq!(methods[1]["primary"], false);
    }

    #[test]
    fn unknown_fields_and_sources_are_refused() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let survivor = map(json!({"name": "Acme"}));
        let choices = BTreeMap::from([("nope".to_string(), a), ("name".to_string(), Uuid::now_v7())]);
        let errors = combine((a, &survivor), &[(b, map(json!({"name": "B"})))], &choices).unwrap_err();
        let codes: Vec<_> = errors.errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["unknown_source", "unknown_field"]);
    }
}
