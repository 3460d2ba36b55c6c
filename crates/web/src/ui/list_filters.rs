//! The list filters beyond the record's own fields: an attribute pair and each custom
//! field, and the results count shown above a list.

use std::future::Future;

use rapport_app::AppError;
use rapport_app::custom_fields::CustomField;
use rapport_core::custom_fields::FieldType;

use super::i18n::L;
use super::list::{SelectOption, options, param};

/// Lists count their matches up to this many; beyond it they say "more than".
pub const COUNT_CAP: u64 = 1000;

/// The query names of the attribute filter's two inputs, read back into `attr.<key>`.
pub const ATTRIBUTE_KEY: &str = "attr_key";
pub const ATTRIBUTE_VALUE: &str = "attr_value";

/// The pairs to hand the use case: the attribute inputs become one `attr.<key>` filter
/// (a key without a value, or a value without a key, filters nothing).
pub fn translate(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let key = param(&pairs, ATTRIBUTE_KEY).trim().to_lowercase();
    let value = param(&pairs, ATTRIBUTE_VALUE).trim().to_string();
    let mut out: Vec<(String, String)> =
        pairs.into_iter().filter(|(n, _)| n != ATTRIBUTE_KEY && n != ATTRIBUTE_VALUE).collect();
    if !key.is_empty() && !value.is_empty() {
        out.push((format!("attr.{key}"), value));
    }
    out
}

/// A custom field's filter control: a choice list when the field has choices (or is
/// yes/no), a typed input otherwise.
pub struct CustomFilter {
    pub name: String,
    pub label: String,
    pub value: String,
    pub choices: Vec<SelectOption>,
    pub input_type: &'static str,
}

pub fn custom_filters(l: &L, fields: &[CustomField], pairs: &[(String, String)]) -> Vec<CustomFilter> {
    fields
        .iter()
        .filter(|f| f.spec.field_type != FieldType::Link)
        .map(|f| {
            let name = format!("custom.{}", f.spec.key);
            let value = param(pairs, &name).to_string();
            let choices = match f.spec.field_type {
                FieldType::Boolean => {
                    let values = vec![("true".into(), l.t("value-yes")), ("false".into(), l.t("value-no"))];
                    options(l.t("filter-any"), values, &value)
                }
                FieldType::Choice | FieldType::MultiChoice => {
                    let values = f.spec.choices.iter().map(|c| (c.clone(), c.clone())).collect();
                    options(l.t("filter-any"), values, &value)
                }
                _ => Vec::new(),
            };
            let input_type = if f.spec.field_type == FieldType::Date { "date" } else { "text" };
            CustomFilter { name, label: f.spec.label.clone(), value, choices, input_type }
        })
        .collect()
}

/// How many records the list matches, where that is cheap: a first page that holds the
/// whole list counts itself; otherwise `count` runs, capped at [`COUNT_CAP`] rows, except
/// for a text search, whose count would run the whole search again (`None`).
pub async fn matches<F, Fut>(
    pairs: &[(String, String)],
    shown: usize,
    more: bool,
    count: F,
) -> Result<Option<u64>, AppError>
where
    F: FnOnce(u64) -> Fut,
    Fut: Future<Output = Result<u64, AppError>>,
{
    if !more && param(pairs, "cursor").is_empty() {
        return Ok(Some(shown as u64));
    }
    if !param(pairs, "q").trim().is_empty() {
        return Ok(None);
    }
    count(COUNT_CAP).await.map(Some)
}

/// "12 records", "more than 1000 records" when the count reached the cap, or nothing when
/// the list was not counted.
pub fn count_line(l: &L, counted: Option<u64>) -> String {
    let Some(counted) = counted else { return String::new() };
    if counted >= COUNT_CAP {
        l.count("list-count-at-least", COUNT_CAP as usize)
    } else {
        l.count("list-count", counted as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(raw: &[(&str, &str)]) -> Vec<(String, String)> {
        raw.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_attribute_inputs_become_one_filter_only_when_both_are_given() {
        let both = translate(pairs(&[("status", "active"), (ATTRIBUTE_KEY, " Loyalty "), (ATTRIBUTE_VALUE, "gold")]));
        assert_eq!(both, pairs(&[("status", "active"), ("attr.loyalty", "gold")]));
        let key_only = translate(pairs(&[(ATTRIBUTE_KEY, "loyalty"), (ATTRIBUTE_VALUE, "")]));
        assert!(key_only.is_empty(), "a key alone filters nothing: {key_only:?}");
    }
}
