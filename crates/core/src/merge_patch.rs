//! JSON merge patch (RFC 7396): objects merge, `null` removes, anything else replaces.

use serde_json::Value;

pub fn apply(target: &mut Value, patch: &Value) {
    let Value::Object(patch_fields) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    let Value::Object(target_fields) = target else { return };
    for (key, value) in patch_fields {
        if value.is_null() {
            target_fields.remove(key);
        } else {
            apply(target_fields.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn follows_the_rfc_examples() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}, "list": [1, 2]});
        apply(&mut doc, &json!({"a": "z", "c": {"f": null}, "list": [3]}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}, "list": [3]}));
        let mut scalar = json!("x");
        apply(&mut scalar, &json!({"a": {"b": null}}));
        assert_eq!(scalar, json!({"a": {}}));
    }
}
