//! What a column of an imported file can become, and the suggestion of a field for a
//! column from its header, in English, Bulgarian, Polish and Chinese.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::contacts::{AddressPurpose, ContactKind};
use crate::text::fold;

/// What is imported: companies or people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Companies,
    People,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Companies => "companies",
            ImportKind::People => "people",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "companies" | "company" => Some(ImportKind::Companies),
            "people" | "person" => Some(ImportKind::People),
            _ => None,
        }
    }

    /// The record kind as access control and the history name it.
    pub fn record_kind(self) -> &'static str {
        match self {
            ImportKind::Companies => "company",
            ImportKind::People => "person",
        }
    }
}

/// A part of an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressPart {
    Line1,
    Line2,
    City,
    Region,
    Postcode,
    Country,
}

impl AddressPart {
    pub const ALL: [AddressPart; 6] =
        [Self::Line1, Self::Line2, Self::City, Self::Region, Self::Postcode, Self::Country];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Line1 => "line1",
            Self::Line2 => "line2",
            Self::City => "city",
            Self::Region => "region",
            Self::Postcode => "postcode",
            Self::Country => "country",
        }
    }
}

/// The field a column is imported into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One of the record's own text fields, by its API name (`name`, `tax_id`, ...).
    Field(&'static str),
    /// A contact method; a cell may hold several, separated by `;`.
    Contact(ContactKind),
    Address(AddressPurpose, AddressPart),
    /// A person's company, found by its customer code, its external id or its exact name.
    Employer,
    Position,
    Department,
    /// The owner, by login or email.
    Owner,
    /// Category values by name, separated by `;` or `,`.
    Categories,
    /// `key=value` pairs separated by `;` (what the export writes).
    Attributes,
    /// One attribute pair, the column's value under this key.
    Attribute(String),
    Custom(String),
}

/// The record fields a column can fill, for each kind, by their API names.
const COMPANY_FIELDS: [&str; 17] = [
    "external_id",
    "code",
    "name",
    "legal_name",
    "tax_id",
    "website",
    "industry",
    "size",
    "area",
    "type",
    "status",
    "level",
    "stage",
    "source",
    "description",
    "background",
    "security_level",
];
const PERSON_FIELDS: [&str; 10] = [
    "external_id",
    "given_name",
    "family_name",
    "full_name",
    "title",
    "birth_date",
    "language",
    "description",
    "background",
    "code",
];

impl Target {
    /// The target's key, as mappings store it and forms send it.
    pub fn key(&self) -> String {
        match self {
            Target::Field(name) => (*name).to_string(),
            Target::Contact(kind) => kind.as_str().to_string(),
            Target::Address(AddressPurpose::Office, part) => format!("address.{}", part.as_str()),
            Target::Address(purpose, part) => format!("{}.{}", purpose.as_str(), part.as_str()),
            Target::Employer => "employer".into(),
            Target::Position => "position".into(),
            Target::Department => "department".into(),
            Target::Owner => "owner".into(),
            Target::Categories => "categories".into(),
            Target::Attributes => "attributes".into(),
            Target::Attribute(key) => format!("attr.{key}"),
            Target::Custom(key) => format!("custom.{key}"),
        }
    }

    /// Parses a key for `kind`; `None` for a key that kind has no use for.
    pub fn parse(raw: &str, kind: ImportKind) -> Option<Target> {
        let raw = raw.trim();
        let fields: &[&'static str] = match kind {
            ImportKind::Companies => &COMPANY_FIELDS,
            ImportKind::People => &PERSON_FIELDS,
        };
        if let Some(name) = fields.iter().find(|f| **f == raw) {
            // A person's `code` is the customer code of their company.
            return Some(if kind == ImportKind::People && *name == "code" {
                Target::Employer
            } else {
                Target::Field(name)
            });
        }
        if let Some(kind) = ContactKind::parse(raw) {
            return Some(Target::Contact(kind));
        }
        if let Some((prefix, part)) = raw.split_once('.') {
            let part = AddressPart::ALL.into_iter().find(|p| p.as_str() == part);
            let purpose = match prefix {
                "address" => Some(AddressPurpose::Office),
                other => AddressPurpose::parse(other),
            };
            if let (Some(purpose), Some(part)) = (purpose, part) {
                return Some(Target::Address(purpose, part));
            }
            let key = raw[prefix.len() + 1..].trim();
            if key.is_empty() {
                return None;
            }
            return match prefix {
                "attr" if crate::attributes::valid_key(&key.to_lowercase()) => {
                    Some(Target::Attribute(key.to_lowercase()))
                }
                "custom" => Some(Target::Custom(key.to_string())),
                _ => None,
            };
        }
        let people_only = matches!(raw, "employer" | "position" | "department");
        if people_only && kind == ImportKind::Companies {
            return None;
        }
        match raw {
            "employer" => Some(Target::Employer),
            "position" => Some(Target::Position),
            "department" => Some(Target::Department),
            "owner" => Some(Target::Owner),
            "categories" => Some(Target::Categories),
            "attributes" => Some(Target::Attributes),
            _ => None,
        }
    }

    /// Every target a column of `kind` can be mapped to (attributes and custom fields
    /// aside), in the order a form offers them.
    pub fn all(kind: ImportKind) -> Vec<Target> {
        let mut all: Vec<Target> = match kind {
            ImportKind::Companies => COMPANY_FIELDS.iter().map(|f| Target::Field(f)).collect(),
            ImportKind::People => PERSON_FIELDS[..9].iter().map(|f| Target::Field(f)).collect(),
        };
        all.extend(ContactKind::ALL.into_iter().map(Target::Contact));
        let purposes: &[AddressPurpose] = match kind {
            ImportKind::Companies => &AddressPurpose::ALL,
            ImportKind::People => &[AddressPurpose::Office],
        };
        for purpose in purposes {
            all.extend(AddressPart::ALL.into_iter().map(|part| Target::Address(*purpose, part)));
        }
        if kind == ImportKind::People {
            all.extend([Target::Employer, Target::Position, Target::Department]);
        }
        all.extend([Target::Owner, Target::Categories, Target::Attributes]);
        all
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.key())
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Without the kind, a key parses as it would for people or companies.
        let raw = String::deserialize(deserializer)?;
        Target::parse(&raw, ImportKind::Companies)
            .or_else(|| Target::parse(&raw, ImportKind::People))
            .ok_or_else(|| serde::de::Error::custom(format!("{raw:?} is not a field to import into")))
    }
}

/// A header in the form synonyms are written in: folded, with runs of spaces, `_` and
/// `-` between words as one space, and no trailing `:` or `*`.
pub fn header_key(header: &str) -> String {
    let folded = fold(header.trim().trim_end_matches([':', '*']).trim());
    let spaced: String = folded.chars().map(|c| if c == '_' { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The field a column with this header most likely holds, for `kind`. `custom` lists the
/// custom fields of the kind as (key, label): a header equal to either suggests it.
pub fn suggest(header: &str, kind: ImportKind, custom: &[(String, String)]) -> Option<Target> {
    let key = header_key(header);
    if key.is_empty() {
        return None;
    }
    if let Some(target) = Target::parse(header.trim(), kind).or_else(|| Target::parse(&key, kind)) {
        return Some(target);
    }
    for (field, label) in custom {
        if header_key(field) == key || header_key(label) == key {
            return Some(Target::Custom(field.clone()));
        }
    }
    let table = super::synonyms::synonyms(kind);
    let matched = |key: &str| table.iter().find(|(_, words)| words.contains(&key)).map(|(target, _)| *target);
    // "Email 2", "Телефон 2": a numbered repeat of a column is the same kind of field.
    let unnumbered = key.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '#');
    matched(&key)
        .or_else(|| matched(unnumbered).filter(|t| ContactKind::parse(t).is_some()))
        .and_then(|target| Target::parse(target, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_in_four_languages_are_recognised() {
        let people = ImportKind::People;
        let companies = ImportKind::Companies;
        let cases = [
            ("Имейл", people, "email"),
            ("E-mail", people, "email"),
            ("电子邮件", people, "email"),
            ("Nazwa firmy", companies, "name"),
            ("Nazwa firmy", people, "employer"),
            ("Име", companies, "name"),
            ("Фамилия", people, "family_name"),
            ("Imię", people, "given_name"),
            ("Data urodzenia", people, "birth_date"),
            ("手机", people, "mobile"),
            ("Email 2", people, "email"),
            ("External ID", companies, "external_id"),
            ("ЕИК", companies, "tax_id"),
            ("Kod pocztowy", companies, "address.postcode"),
            ("Billing city", companies, "billing.city"),
            ("custom.credit_limit", companies, "custom.credit_limit"),
            ("attr.loyalty", people, "attr.loyalty"),
            ("Company code", people, "employer"),
        ];
        for (header, kind, expected) in cases {
            assert_eq!(suggest(header, kind, &[]).map(|t| t.key()).as_deref(), Some(expected), "{header}");
        }
        assert_eq!(suggest("Shoe size", people, &[]), None);
        let custom = [("credit_limit".to_string(), "Credit limit".to_string())];
        assert_eq!(suggest("Credit Limit", companies, &custom), Some(Target::Custom("credit_limit".into())));
    }

    #[test]
    fn keys_round_trip_for_every_target() {
        for kind in [ImportKind::Companies, ImportKind::People] {
            for target in Target::all(kind) {
                assert_eq!(Target::parse(&target.key(), kind), Some(target.clone()), "{target}");
            }
        }
        assert_eq!(Target::parse("employer", ImportKind::Companies), None);
    }
}
