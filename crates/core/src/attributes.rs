//! Attribute pairs (`loyalty=gold`): free key=value remarks on companies and people.

use std::collections::BTreeMap;

use crate::invalid::Invalid;

pub type Attributes = BTreeMap<String, String>;

pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= 64
        && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Keys are lower-cased so `Loyalty=gold` and `loyalty=gold` are one attribute.
pub fn parse(raw: &BTreeMap<String, String>, invalid: &mut Invalid) -> Attributes {
    let mut attributes = Attributes::new();
    for (key, value) in raw {
        let field = format!("attributes.{key}");
        let normalized = key.trim().to_lowercase();
        if !valid_key(&normalized) {
            invalid.push(field, "invalid_key", "attribute names are letters, digits, '_', '-' or '.', at most 64");
            continue;
        }
        let value = value.trim();
        if value.is_empty() || value.chars().count() > 500 || value.chars().any(char::is_control) {
            invalid.push(field, "invalid_value", "an attribute value is 1 to 500 characters on one line");
            continue;
        }
        attributes.insert(normalized, value.to_string());
    }
    attributes
}

/// Splits `key=value` as typed in a search box; `None` when it is not a pair.
pub fn split_pair(term: &str) -> Option<(String, String)> {
    let (key, value) = term.split_once('=')?;
    let key = key.trim().to_lowercase();
    let value = value.trim();
    (valid_key(&key) && !value.is_empty()).then(|| (key, value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_trimmed_and_keys_lower_cased() {
        let mut invalid = Invalid::default();
        let raw = BTreeMap::from([("Loyalty".to_string(), " gold ".to_string()), ("bad key".into(), "x".into())]);
        let parsed = parse(&raw, &mut invalid);
        assert_eq!(parsed.get("loyalty").map(String::as_str), Some("gold"));
        assert_eq!(invalid.errors[0].field, "attributes.bad key");
        assert_eq!(split_pair("stage=mature"), Some(("stage".into(), "mature".into())));
        assert_eq!(split_pair("sofia"), None);
        assert_eq!(split_pair("=x"), None);
    }
}
