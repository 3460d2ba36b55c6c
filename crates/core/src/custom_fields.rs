//! Custom fields: administrator-defined typed fields on companies and people, whose
//! values live in the record's `custom` object and are checked against the definition.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;
use uuid::Uuid;

use crate::invalid::Invalid;
use crate::money::{self, Currency};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    Number,
    Money,
    Date,
    Choice,
    MultiChoice,
    Boolean,
    Link,
}

impl FieldType {
    pub const ALL: [FieldType; 8] =
        [Self::Text, Self::Number, Self::Money, Self::Date, Self::Choice, Self::MultiChoice, Self::Boolean, Self::Link];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Money => "money",
            Self::Date => "date",
            Self::Choice => "choice",
            Self::MultiChoice => "multi_choice",
            Self::Boolean => "boolean",
            Self::Link => "link",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }
}

/// The kinds of record that carry custom fields (and can be the target of a link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Company,
    Person,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Company => "company",
            Self::Person => "person",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "company" | "companies" => Some(Self::Company),
            "person" | "people" => Some(Self::Person),
            _ => None,
        }
    }
}

/// A custom field definition as the administrator sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomFieldDraft {
    pub record_kind: Option<String>,
    pub key: Option<String>,
    pub label: Option<String>,
    #[serde(rename = "type")]
    pub field_type: Option<String>,
    pub required: Option<bool>,
    pub choices: Option<Vec<String>>,
    pub currency: Option<String>,
    pub target: Option<String>,
    pub position: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomFieldSpec {
    pub record_kind: RecordKind,
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub field_type: FieldType,
    pub required: bool,
    pub choices: Vec<String>,
    /// The default currency of a money field.
    pub currency: Option<Currency>,
    /// The kind of record a link field points to.
    pub target: Option<RecordKind>,
    pub position: i32,
}

impl CustomFieldDraft {
    pub fn parse(&self) -> Result<CustomFieldSpec, Invalid> {
        let mut invalid = Invalid::default();
        let record_kind = match self.record_kind.as_deref().map(RecordKind::parse) {
            Some(Some(kind)) => Some(kind),
            _ => {
                invalid.push("record_kind", "invalid_choice", "must be company or person");
                None
            }
        };
        let key = self.key.as_deref().map(str::trim).unwrap_or("");
        let key_ok = key.len() <= 64
            && key.starts_with(|c: char| c.is_ascii_lowercase())
            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !key_ok {
            invalid.push("key", "invalid_key", "a key is lower-case letters, digits and '_', starting with a letter");
        }
        let label = invalid.take("label", text::required(self.label.as_deref(), 100));
        let field_type = self.field_type.as_deref().and_then(FieldType::parse);
        if field_type.is_none() {
            invalid.push(
                "type",
                "invalid_choice",
                "must be one of text, number, money, date, choice, multi_choice, boolean, link",
            );
        }
        let mut choices: Vec<String> = Vec::new();
        for (i, choice) in self.choices.iter().flatten().enumerate() {
            match text::required(Some(choice), 100) {
                Ok(c) if !choices.contains(&c) => choices.push(c),
                Ok(_) => invalid.push(format!("choices[{i}]"), "duplicate", "is listed twice"),
                Err(_) => invalid.push(format!("choices[{i}]"), "invalid_choice", "a choice is 1 to 100 characters"),
            }
        }
        let needs_choices = matches!(field_type, Some(FieldType::Choice | FieldType::MultiChoice));
        if needs_choices && choices.is_empty() {
            invalid.push("choices", "required", "a choice field needs at least one choice");
        }
        let currency = match self.currency.as_deref() {
            Some(raw) => invalid.take("currency", Currency::parse(raw)),
            None => None,
        };
        let target = match (field_type, self.target.as_deref()) {
            (Some(FieldType::Link), Some(raw)) => {
                let target = RecordKind::parse(raw);
                if target.is_none() {
                    invalid.push("target", "invalid_choice", "must be company or person");
                }
                target
            }
            (Some(FieldType::Link), None) => {
                invalid.push("target", "required", "a link field needs a target: company or person");
                None
            }
            _ => None,
        };
        match (record_kind, label, field_type) {
            (Some(record_kind), Some(label), Some(field_type)) if invalid.is_empty() => Ok(CustomFieldSpec {
                record_kind,
                key: key.to_string(),
                label,
                field_type,
                required: self.required.unwrap_or(false),
                choices,
                currency,
                target,
                position: self.position.unwrap_or(0),
            }),
            _ => Err(invalid),
        }
    }
}

/// A link value that app must check exists: the field, the target kind and the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLink {
    pub field: String,
    pub target: RecordKind,
    pub id: Uuid,
}

/// Checks and normalises a record's custom values against the definitions. Returns the
/// values to store and the links whose targets must exist.
pub fn validate(
    values: &Map<String, Value>,
    specs: &[CustomFieldSpec],
    invalid: &mut Invalid,
) -> (Map<String, Value>, Vec<PendingLink>) {
    let mut stored = Map::new();
    let mut links = Vec::new();
    for (key, value) in values {
        let field = format!("custom.{key}");
        let Some(spec) = specs.iter().find(|s| &s.key == key) else {
            invalid.push(field, "unknown_field", "no custom field has this key");
            continue;
        };
        if value.is_null() {
            continue;
        }
        match normalise(value, spec) {
            Ok(normalised) => {
                if spec.field_type == FieldType::Link
                    && let (Some(target), Some(id)) =
                        (spec.target, normalised.as_str().and_then(|s| Uuid::parse_str(s).ok()))
                {
                    links.push(PendingLink { field: field.clone(), target, id });
                }
                stored.insert(key.clone(), normalised);
            }
            Err((code, message)) => invalid.push(field, code, message),
        }
    }
    for spec in specs.iter().filter(|s| s.required) {
        if !stored.contains_key(&spec.key) {
            invalid.push(format!("custom.{}", spec.key), "required", format!("{} is required", spec.label));
        }
    }
    (stored, links)
}

type Problem = (&'static str, String);

fn normalise(value: &Value, spec: &CustomFieldSpec) -> Result<Value, Problem> {
    let wrong = |what: &str| ("invalid_type", format!("must be {what}"));
    match spec.field_type {
        FieldType::Text => match value {
            Value::String(s) => text::optional(Some(s), 2000, true)
                .map(|t| Value::String(t.unwrap_or_default()))
                .map_err(|e| ("too_long", e.to_string())),
            _ => Err(wrong("text")),
        },
        FieldType::Number => {
            let raw = match value {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                _ => return Err(wrong("a number")),
            };
            money::parse_amount(&raw).map(|d| Value::String(d.to_string())).map_err(|_| wrong("a number"))
        }
        FieldType::Money => {
            let (amount, currency) = match value {
                Value::String(s) => (s.clone(), spec.currency.clone()),
                Value::Number(n) => (n.to_string(), spec.currency.clone()),
                Value::Object(o) => {
                    let amount = o.get("amount").map(|a| match a {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    });
                    let currency = o.get("currency").and_then(Value::as_str).map(Currency::parse);
                    let currency = match currency {
                        Some(Ok(c)) => Some(c),
                        Some(Err(_)) => return Err(("invalid_currency", "is not a currency code".into())),
                        None => spec.currency.clone(),
                    };
                    (amount.unwrap_or_default(), currency)
                }
                _ => return Err(wrong("money like {\"amount\": \"10.50\", \"currency\": \"EUR\"}")),
            };
            let amount =
                money::parse_amount(&amount).map_err(|_| ("invalid_amount", "is not an amount".to_string()))?;
            let currency = currency.ok_or(("invalid_currency", "needs a currency".to_string()))?;
            Ok(serde_json::json!({"amount": amount.to_string(), "currency": currency.as_str()}))
        }
        FieldType::Date => {
            let format = time::macros::format_description!("[year]-[month]-[day]");
            value
                .as_str()
                .and_then(|s| Date::parse(s.trim(), &format).ok())
                .map(|d| Value::String(d.to_string()))
                .ok_or_else(|| wrong("a date like 2026-03-31"))
        }
        FieldType::Choice => match value.as_str() {
            Some(s) if spec.choices.iter().any(|c| c == s) => Ok(value.clone()),
            _ => Err(("invalid_choice", format!("must be one of: {}", spec.choices.join(", ")))),
        },
        FieldType::MultiChoice => {
            let items = value.as_array().ok_or_else(|| wrong("a list of choices"))?;
            let mut picked: Vec<&str> = Vec::new();
            for item in items {
                match item.as_str() {
                    Some(s) if spec.choices.iter().any(|c| c == s) => {
                        if !picked.contains(&s) {
                            picked.push(s);
                        }
                    }
                    _ => return Err(("invalid_choice", format!("each must be one of: {}", spec.choices.join(", ")))),
                }
            }
            Ok(Value::from(picked))
        }
        FieldType::Boolean => match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => Err(wrong("true or false")),
        },
        FieldType::Link => value
            .as_str()
            .and_then(|s| Uuid::parse_str(s.trim()).ok())
            .map(|id| Value::String(id.to_string()))
            .ok_or_else(|| ("invalid_id", "must be the id of a record".to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(key: &str, field_type: FieldType) -> CustomFieldSpec {
        CustomFieldSpec {
            record_kind: RecordKind::Company,
            key: key.into(),
            label: key.into(),
            field_type,
            required: false,
            choices: vec!["red".into(), "blue".into()],
            currency: Currency::parse("EUR").ok(),
            target: Some(RecordKind::Person),
            position: 0,
        }
    }

    #[test]
    fn values_are_normalised_by_type() {
        let specs = [
            spec("credit_limit", FieldType::Money),
            spec("employees", FieldType::Number),
            spec("since", FieldType::Date),
            spec("colour", FieldType::MultiChoice),
            spec("contact", FieldType::Link),
        ];
        let id = Uuid::now_v7();
        let values = json!({"credit_limit": "50000", "employees": 12, "since": "2020-01-31",
                            "colour": ["red", "red", "blue"], "contact": id.to_string()});
        let mut invalid = Invalid::default();
        let (stored, links) = validate(values.as_object().unwrap(), &specs, &mut invalid);
        assert!(invalid.is_empty(), "{invalid:?}");
        assert_eq!(stored["credit_limit"], json!({"amount": "50000", "currency": "EUR"}));
        assert_eq!(stored["employees"], json!("12"));
        assert_eq!(stored["colour"], json!(["red", "blue"]));
        assert_eq!(links, [PendingLink { field: "custom.contact".into(), target: RecordKind::Person, id }]);
    }

    #[test]
    fn wrong_values_unknown_keys_and_missing_required_fields_are_reported() {
        let mut required = spec("since", FieldType::Date);
        required.required = true;
        let specs = [spec("vip", FieldType::Boolean), spec("colour", FieldType::Choice), required];
        let values = json!({"vip": "yes", "colour": "green", "nope": 1});
        let mut invalid = Invalid::default();
        validate(values.as_object().unwrap(), &specs, &mut invalid);
        let fields: Vec<_> = invalid.errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("custom.colour", "invalid_choice"),
                ("custom.nope", "unknown_field"),
                ("custom.vip", "invalid_type"),
                ("custom.since", "required")
            ]
        );
    }

    #[test]
    fn definitions_need_a_key_a_label_and_choices_where_they_choose() {
        let draft = CustomFieldDraft {
            record_kind: Some("company".into()),
            key: Some("Bad Key".into()),
            field_type: Some("choice".into()),
            ..Default::default()
        };
        let fields: Vec<_> = draft.parse().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["key", "label", "choices"]);
    }
}
