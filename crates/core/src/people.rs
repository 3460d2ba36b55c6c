//! People (FEATURES A2): contact persons of companies, or customers on their own.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::attributes::{self, Attributes};
use crate::contacts::{self, Address, AddressDraft, ContactMethod, ContactMethodDraft};
use crate::invalid::Invalid;
use crate::search::{Document, Field};
use crate::text;

const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmploymentDraft {
    pub company_id: Option<Uuid>,
    pub position: Option<String>,
    pub department: Option<String>,
    pub responsibilities: Option<String>,
    /// When the person can be reached there, e.g. "Mon–Fri 9:00–13:00".
    pub availability: Option<String>,
    pub current: Option<bool>,
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Employment {
    pub company_id: Uuid,
    pub position: Option<String>,
    pub department: Option<String>,
    pub responsibilities: Option<String>,
    pub availability: Option<String>,
    pub current: bool,
    #[serde(serialize_with = "iso_date")]
    pub started_on: Option<Date>,
    #[serde(serialize_with = "iso_date")]
    pub ended_on: Option<Date>,
}

/// A date as the API writes dates, `YYYY-MM-DD` (time's own form is a tuple).
fn iso_date<S: serde::Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.serialize_str(&date.to_string()),
        None => serializer.serialize_none(),
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonDraft {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub title: Option<String>,
    pub birth_date: Option<String>,
    pub language: Option<String>,
    pub background: Option<String>,
    pub description: Option<String>,
    pub owner_id: Option<Uuid>,
    pub contact_methods: Option<Vec<ContactMethodDraft>>,
    pub addresses: Option<Vec<AddressDraft>>,
    pub employments: Option<Vec<EmploymentDraft>>,
    pub attributes: Option<BTreeMap<String, String>>,
    pub custom: Option<Map<String, Value>>,
    pub categories: Option<Vec<Uuid>>,
    /// The person's id in another system (unique when present); imports update by it.
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonFields {
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub title: Option<String>,
    #[serde(serialize_with = "iso_date")]
    pub birth_date: Option<Date>,
    pub language: Option<String>,
    pub background: Option<String>,
    pub description: Option<String>,
    pub owner_id: Option<Uuid>,
    pub contact_methods: Vec<ContactMethod>,
    pub addresses: Vec<Address>,
    pub employments: Vec<Employment>,
    pub attributes: Attributes,
    pub custom: Map<String, Value>,
    pub categories: Vec<Uuid>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub id: Uuid,
    /// Given and family name as one, the way lists show and sort a person.
    pub full_name: String,
    #[serde(flatten)]
    pub fields: PersonFields,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub updated_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub archived_at: Option<OffsetDateTime>,
}

pub fn parse_date(raw: &str) -> Option<Date> {
    Date::parse(raw.trim(), DATE).ok()
}

fn take_date(raw: &Option<String>, field: &str, invalid: &mut Invalid) -> Option<Date> {
    let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    let date = parse_date(raw);
    if date.is_none() {
        invalid.push(field, "invalid_date", "must be a date like 1984-03-09");
    }
    date
}

impl PersonDraft {
    pub fn parse(&self) -> Result<PersonFields, Invalid> {
        let mut invalid = Invalid::default();
        let mut line = |field: &str, raw: &Option<String>, max: usize| {
            invalid.take(field, text::optional(raw.as_deref(), max, false)).flatten()
        };
        let given_name = line("given_name", &self.given_name, 100);
        let family_name = line("family_name", &self.family_name, 100);
        let title = line("title", &self.title, 50);
        let language = line("language", &self.language, 35);
        let external_id = line("external_id", &self.external_id, 100);
        if given_name.is_none() && family_name.is_none() && !invalid.errors.iter().any(|e| e.field.ends_with("_name")) {
            invalid.push("family_name", "required", "a person needs a given name or a family name");
        }
        let background = invalid.take("background", text::optional(self.background.as_deref(), 10_000, true)).flatten();
        let description =
            invalid.take("description", text::optional(self.description.as_deref(), 10_000, true)).flatten();
        let birth_date = take_date(&self.birth_date, "birth_date", &mut invalid);
        let addresses = contacts::parse_addresses(self.addresses.as_deref().unwrap_or_default(), &mut invalid);
        let country = contacts::home_country(&addresses);
        let contact_methods =
            contacts::parse_contact_methods(self.contact_methods.as_deref().unwrap_or_default(), country, &mut invalid);
        let employments = parse_employments(self.employments.as_deref().unwrap_or_default(), &mut invalid);
        let attributes = attributes::parse(&self.attributes.clone().unwrap_or_default(), &mut invalid);
        let mut categories = self.categories.clone().unwrap_or_default();
        categories.dedup();
        invalid.into_result(PersonFields {
            given_name,
            family_name,
            title,
            birth_date,
            language,
            background,
            description,
            owner_id: self.owner_id,
            contact_methods,
            addresses,
            employments,
            attributes,
            custom: self.custom.clone().unwrap_or_default(),
            categories,
            external_id,
        })
    }
}

fn parse_employments(drafts: &[EmploymentDraft], invalid: &mut Invalid) -> Vec<Employment> {
    let mut employments = Vec::with_capacity(drafts.len());
    for (i, draft) in drafts.iter().enumerate() {
        let at = |field: &str| format!("employments[{i}].{field}");
        let mut line = |field: &str, raw: &Option<String>, max: usize| {
            invalid.take(&at(field), text::optional(raw.as_deref(), max, false)).flatten()
        };
        let position = line("position", &draft.position, 100);
        let department = line("department", &draft.department, 100);
        let availability = line("availability", &draft.availability, 200);
        let responsibilities = invalid
            .take(&at("responsibilities"), text::optional(draft.responsibilities.as_deref(), 2000, true))
            .flatten();
        let started_on = take_date(&draft.started_on, &at("started_on"), invalid);
        let ended_on = take_date(&draft.ended_on, &at("ended_on"), invalid);
        if let (Some(start), Some(end)) = (started_on, ended_on)
            && end < start
        {
            invalid.push(at("ended_on"), "before_start", "cannot be before the start");
        }
        let Some(company_id) = draft.company_id else {
            invalid.push(at("company_id"), "required", "is required");
            continue;
        };
        if employments.iter().any(|e: &Employment| e.company_id == company_id) {
            invalid.push(at("company_id"), "duplicate", "the person is already listed at this company");
            continue;
        }
        employments.push(Employment {
            company_id,
            position,
            department,
            responsibilities,
            availability,
            current: draft.current.unwrap_or(ended_on.is_none()),
            started_on,
            ended_on,
        });
    }
    employments
}

impl PersonFields {
    /// What of a person search finds: names, contact methods, addresses, positions and
    /// departments, and attribute pairs.
    pub fn search_document(&self) -> Document {
        let mut doc = Document::new();
        doc.add(Field::Name, self.given_name.as_deref())
            .add(Field::Code, self.external_id.as_deref())
            .add(Field::Name, self.family_name.as_deref())
            .add_contact_methods(&self.contact_methods)
            .add_addresses(&self.addresses)
            .add_attributes(&self.attributes);
        for employment in &self.employments {
            doc.add(Field::Text, employment.position.as_deref()).add(Field::Text, employment.department.as_deref());
        }
        doc
    }

    pub fn full_name(&self) -> String {
        [self.given_name.as_deref(), self.family_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ")
    }

    pub fn to_draft(&self) -> PersonDraft {
        PersonDraft {
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            title: self.title.clone(),
            birth_date: self.birth_date.map(|d| d.to_string()),
            language: self.language.clone(),
            background: self.background.clone(),
            description: self.description.clone(),
            owner_id: self.owner_id,
            contact_methods: Some(self.contact_methods.iter().map(ContactMethod::to_draft).collect()),
            addresses: Some(self.addresses.iter().map(Address::to_draft).collect()),
            employments: Some(
                self.employments
                    .iter()
                    .map(|e| EmploymentDraft {
                        company_id: Some(e.company_id),
                        position: e.position.clone(),
                        department: e.department.clone(),
                        responsibilities: e.responsibilities.clone(),
                        availability: e.availability.clone(),
                        current: Some(e.current),
                        started_on: e.started_on.map(|d| d.to_string()),
                        ended_on: e.ended_on.map(|d| d.to_string()),
                    })
                    .collect(),
            ),
            attributes: Some(self.attributes.clone()),
            custom: Some(self.custom.clone()),
            categories: Some(self.categories.clone()),
            external_id: self.external_id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_person_in_cyrillic_parses_and_round_trips() {
        let company = Uuid::now_v7();
        let draft: PersonDraft = serde_json::from_value(json!({
            "given_name": "Мария", "family_name": "Петрова", "birth_date": "1984-03-09",
            "contact_methods": [{"kind": "mobile", "value": "+359 88 123 4567"}],
            "employments": [{"company_id": company, "position": "Purchasing manager", "department": "Procurement"}]
        }))
        .unwrap();
        let fields = draft.parse().unwrap();
        assert_eq!(fields.full_name(), "Мария Петрова");
        assert!(fields.employments[0].current);
        assert_eq!(fields.to_draft().parse().unwrap(), fields);
    }

    #[test]
    fn a_person_needs_a_name_and_real_dates() {
        let draft = PersonDraft {
            birth_date: Some("1984-13-01".into()),
            employments: Some(vec![EmploymentDraft::default()]),
            ..Default::default()
        };
        let fields: Vec<_> = draft.parse().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["family_name", "birth_date", "employments[0].company_id"]);
    }
}
