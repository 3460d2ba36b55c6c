//! Companies (FEATURES A1): the draft a client sends and the fields it parses into.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::attributes::{self, Attributes};
use crate::contacts::{self, Address, AddressDraft, ContactMethod, ContactMethodDraft};
use crate::invalid::Invalid;
use crate::search::{Document, Field};
use crate::text;

macro_rules! choice_enum {
    ($name:ident, $what:literal, $($variant:ident => $text:literal),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw.trim())
            }

            pub fn names() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }

            /// Parses an optional choice, recording a field error for an unknown one.
            pub fn take(raw: Option<&str>, field: &str, default: Self, invalid: &mut Invalid) -> Self {
                match raw.map(str::trim) {
                    None | Some("") => default,
                    Some(raw) => Self::parse(raw).unwrap_or_else(|| {
                        invalid.push(field, "invalid_choice", format!("{} must be one of {}", $what, Self::names()));
                        default
                    }),
                }
            }
        }
    };
}

pub(crate) use choice_enum;

choice_enum!(CompanyType, "type",
    Customer => "customer", Prospect => "prospect", Partner => "partner", Supplier => "supplier",
    Distributor => "distributor", Bank => "bank", Authority => "authority", Competitor => "competitor",
    Other => "other");

choice_enum!(CompanyStatus, "status", Active => "active", Inactive => "inactive", Suspended => "suspended");

/// A company as a client sends it; every field optional so a form can be half-filled
/// and still get every error at once.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyDraft {
    pub name: Option<String>,
    pub legal_name: Option<String>,
    pub tax_id: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub area: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<String>,
    pub level: Option<String>,
    pub stage: Option<String>,
    pub source: Option<String>,
    pub background: Option<String>,
    pub description: Option<String>,
    pub security_level: Option<i16>,
    pub owner_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub contact_methods: Option<Vec<ContactMethodDraft>>,
    pub addresses: Option<Vec<AddressDraft>>,
    pub attributes: Option<BTreeMap<String, String>>,
    pub custom: Option<Map<String, Value>>,
    pub categories: Option<Vec<Uuid>>,
    /// The company's id in another system (unique when present); imports update by it.
    pub external_id: Option<String>,
}

/// The writable fields of a company, parsed. `level`, `stage`, owner, parent, categories
/// and custom values are checked against the database by the use case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompanyFields {
    pub name: String,
    pub legal_name: Option<String>,
    pub tax_id: Option<String>,
    pub website: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub area: Option<String>,
    #[serde(rename = "type")]
    pub kind: CompanyType,
    pub status: CompanyStatus,
    pub level: Option<String>,
    pub stage: Option<String>,
    pub source: Option<String>,
    pub background: Option<String>,
    pub description: Option<String>,
    pub security_level: i16,
    pub owner_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub contact_methods: Vec<ContactMethod>,
    pub addresses: Vec<Address>,
    pub attributes: Attributes,
    pub custom: Map<String, Value>,
    pub categories: Vec<Uuid>,
    pub external_id: Option<String>,
}

/// A stored company with its identity and bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Company {
    pub id: Uuid,
    pub code: String,
    #[serde(flatten)]
    pub fields: CompanyFields,
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

impl CompanyDraft {
    pub fn parse(&self) -> Result<CompanyFields, Invalid> {
        let mut invalid = Invalid::default();
        let mut line = |field: &str, raw: &Option<String>, max: usize| {
            invalid.take(field, text::optional(raw.as_deref(), max, false)).flatten()
        };
        let legal_name = line("legal_name", &self.legal_name, 300);
        let tax_id = line("tax_id", &self.tax_id, 50);
        let website = line("website", &self.website, 300);
        let industry = line("industry", &self.industry, 100);
        let size = line("size", &self.size, 50);
        let area = line("area", &self.area, 100);
        let level = line("level", &self.level, 50);
        let stage = line("stage", &self.stage, 50);
        let source = line("source", &self.source, 100);
        let external_id = line("external_id", &self.external_id, 100);
        let name = invalid.take("name", text::required(self.name.as_deref(), 200));
        let background = invalid.take("background", text::optional(self.background.as_deref(), 10_000, true)).flatten();
        let description =
            invalid.take("description", text::optional(self.description.as_deref(), 10_000, true)).flatten();
        let kind = CompanyType::take(self.kind.as_deref(), "type", CompanyType::Customer, &mut invalid);
        let status = CompanyStatus::take(self.status.as_deref(), "status", CompanyStatus::Active, &mut invalid);
        let security_level = self.security_level.unwrap_or(0);
        if !(0..=9).contains(&security_level) {
            invalid.push("security_level", "out_of_range", "must be from 0 to 9");
        }
        let addresses = contacts::parse_addresses(self.addresses.as_deref().unwrap_or_default(), &mut invalid);
        let country = contacts::home_country(&addresses);
        let contact_methods =
            contacts::parse_contact_methods(self.contact_methods.as_deref().unwrap_or_default(), country, &mut invalid);
        let attributes = attributes::parse(&self.attributes.clone().unwrap_or_default(), &mut invalid);
        let mut categories = self.categories.clone().unwrap_or_default();
        categories.dedup();
        let Some(name) = name else { return Err(invalid) };
        invalid.into_result(CompanyFields {
            name,
            legal_name,
            tax_id,
            website,
            industry,
            size,
            area,
            kind,
            status,
            level,
            stage,
            source,
            background,
            description,
            security_level,
            owner_id: self.owner_id,
            parent_id: self.parent_id,
            contact_methods,
            addresses,
            attributes,
            custom: self.custom.clone().unwrap_or_default(),
            categories,
            external_id,
        })
    }
}

impl CompanyFields {
    /// What of a company search finds: its code, names, tax number, contact methods,
    /// addresses, area, industry and attribute pairs.
    pub fn search_document(&self, code: &str) -> Document {
        let mut doc = Document::new();
        doc.add(Field::Code, Some(code))
            .add(Field::Code, self.external_id.as_deref())
            .add(Field::Name, Some(&self.name))
            .add(Field::Name, self.legal_name.as_deref())
            .add(Field::TaxId, self.tax_id.as_deref())
            .add(Field::Web, self.website.as_deref())
            .add(Field::Area, self.area.as_deref())
            .add(Field::Text, self.industry.as_deref())
            .add_contact_methods(&self.contact_methods)
            .add_addresses(&self.addresses)
            .add_attributes(&self.attributes);
        // Status, type, level and stage as pairs only (their words, in nearly every
        // company, would find nothing a list filter does not), so `-stage=closed` can leave
        // companies out by them.
        for (key, value) in [
            ("status", Some(self.status.as_str())),
            ("type", Some(self.kind.as_str())),
            ("level", self.level.as_deref()),
            ("stage", self.stage.as_deref()),
        ] {
            if let Some(value) = value {
                doc.add(Field::Pair, Some(&format!("{key}={value}")));
            }
        }
        doc
    }

    /// The draft that parses back into these fields: the base a merge patch applies to.
    pub fn to_draft(&self) -> CompanyDraft {
        CompanyDraft {
            name: Some(self.name.clone()),
            legal_name: self.legal_name.clone(),
            tax_id: self.tax_id.clone(),
            website: self.website.clone(),
            industry: self.industry.clone(),
            size: self.size.clone(),
            area: self.area.clone(),
            kind: Some(self.kind.as_str().to_string()),
            status: Some(self.status.as_str().to_string()),
            level: self.level.clone(),
            stage: self.stage.clone(),
            source: self.source.clone(),
            background: self.background.clone(),
            description: self.description.clone(),
            security_level: Some(self.security_level),
            owner_id: self.owner_id,
            parent_id: self.parent_id,
            contact_methods: Some(self.contact_methods.iter().map(ContactMethod::to_draft).collect()),
            addresses: Some(self.addresses.iter().map(Address::to_draft).collect()),
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
    fn the_api_example_parses_and_round_trips_through_its_draft() {
        let draft: CompanyDraft = serde_json::from_value(json!({
            "name": "Łódź Textiles Sp. z o.o.", "tax_id": "PL7250012345", "type": "customer",
            "status": "active", "level": "A", "stage": "mature", "area": "Łódź",
            "contact_methods": [{"kind": "email", "value": "office@lodz-textiles.example", "primary": true},
                                {"kind": "phone", "value": "42 123 45 67", "label": "reception"}],
            "addresses": [{"purpose": "billing", "line1": "ul. Piotrkowska 100", "city": "Łódź",
                           "postcode": "90-001", "country": "PL", "default": true}],
            "attributes": {"loyalty": "gold"}, "custom": {"credit_limit": "50000"}
        }))
        .unwrap();
        let fields = draft.parse().unwrap();
        assert_eq!(fields.contact_methods[1].e164.as_deref(), Some("+48421234567"));
        assert_eq!(fields.kind, CompanyType::Customer);
        assert_eq!(fields.to_draft().parse().unwrap(), fields);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let draft = CompanyDraft {
            name: Some("  ".into()),
            kind: Some("friend".into()),
            security_level: Some(12),
            ..Default::default()
        };
        let fields: Vec<_> = draft.parse().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "type", "security_level"]);
    }
}
