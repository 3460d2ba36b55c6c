//! One row of an imported file turned into the draft the API would receive, with the
//! references the use case resolves (a person's company, categories, owner) and every
//! problem placed at its column.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::dates;
use super::fields::{AddressPart, ImportKind, Target};
use crate::companies::CompanyDraft;
use crate::contacts::{AddressDraft, AddressPurpose, ContactMethodDraft};
use crate::custom_fields::{CustomFieldSpec, FieldType};
use crate::people::{EmploymentDraft, PersonDraft};

/// A problem of a row, at a column (its header; empty for the row as a whole).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub column: String,
    pub code: &'static str,
    pub reason: String,
}

/// The draft of the record a row becomes.
#[derive(Debug, Clone)]
pub enum RowDraft {
    Company(Box<CompanyDraft>),
    Person(Box<PersonDraft>),
}

/// A row, read and mapped; references still by their text.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The line of the file (or the row of the sheet) the record starts on.
    pub line: u64,
    pub draft: RowDraft,
    /// The customer code a company row names (to update by, or to refuse as taken).
    pub code: Option<String>,
    /// A person's company: its customer code, external id or exact name.
    pub employer: Option<String>,
    pub position: Option<String>,
    pub department: Option<String>,
    pub owner: Option<String>,
    pub categories: Vec<String>,
    pub problems: Vec<Problem>,
    /// Which column each part of the draft came from: (field path prefix, header).
    pub origins: Vec<(String, String)>,
    /// References that find nothing are left out rather than refused: a phone's groups
    /// and a card's organisation are not the CRM's categories and companies. The
    /// organisation is kept as the attribute `organization`.
    pub lenient: bool,
}

impl ImportRow {
    fn new(line: u64, kind: ImportKind) -> ImportRow {
        let draft = match kind {
            ImportKind::Companies => RowDraft::Company(Box::default()),
            ImportKind::People => RowDraft::Person(Box::default()),
        };
        ImportRow {
            line,
            draft,
            code: None,
            employer: None,
            position: None,
            department: None,
            owner: None,
            categories: Vec::new(),
            problems: Vec::new(),
            origins: Vec::new(),
            lenient: false,
        }
    }

    /// The header of the column a draft field (`contact_methods[1].value`) came from.
    pub fn column_of(&self, field: &str) -> String {
        self.origins
            .iter()
            .filter(|(prefix, _)| {
                field == prefix || field.starts_with(&format!("{prefix}.")) || field.starts_with(&format!("{prefix}["))
            })
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, header)| header.clone())
            .unwrap_or_default()
    }

    pub fn problem(&mut self, column: &str, code: &'static str, reason: impl Into<String>) {
        self.problems.push(Problem { column: column.to_string(), code, reason: reason.into() });
    }

    pub fn external_id(&self) -> Option<&str> {
        match &self.draft {
            RowDraft::Company(d) => d.external_id.as_deref(),
            RowDraft::Person(d) => d.external_id.as_deref(),
        }
    }
}

/// A cell as written before an export neutralised it: `'=1+2` was `=1+2` (the quote
/// only keeps a spreadsheet from running it).
fn unquote(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

/// Splits a cell that holds several values (`a@x.com; b@x.com`).
pub fn split_list(cell: &str, separators: &[char]) -> Vec<String> {
    cell.split(separators).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string).collect()
}

/// "Мария Петрова" → ("Мария", "Петрова"); a name of one word is the family name.
fn split_name(full: &str) -> (Option<String>, Option<String>) {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.split_last() {
        None => (None, None),
        Some((last, [])) => (None, Some(last.to_string())),
        Some((last, rest)) => (Some(rest.join(" ")), Some(last.to_string())),
    }
}

fn truthy(raw: &str) -> Option<bool> {
    match crate::text::fold(raw.trim()).as_str() {
        "true" | "yes" | "y" | "1" | "x" | "да" | "tak" | "是" | "真" => Some(true),
        "false" | "no" | "n" | "0" | "не" | "nie" | "否" | "假" => Some(false),
        _ => None,
    }
}

/// A custom field's cell as the JSON value the custom field rules check.
fn custom_value(raw: &str, spec: Option<&CustomFieldSpec>) -> Result<Value, (&'static str, String)> {
    let Some(spec) = spec else { return Ok(Value::String(raw.to_string())) };
    Ok(match spec.field_type {
        FieldType::Boolean => Value::Bool(truthy(raw).ok_or(("invalid_type", format!("{raw:?} is not yes or no")))?),
        FieldType::Date => Value::String(dates::parse(raw).map_err(|e| (e.code(), e.to_string()))?.to_string()),
        FieldType::MultiChoice => Value::Array(split_list(raw, &[';']).into_iter().map(Value::String).collect()),
        _ => Value::String(raw.to_string()),
    })
}

/// Builds the row of `kind` from its cells. `headers` and `mapping` are by column; a
/// column mapped to nothing is left out. `specs` are the custom fields of the kind.
pub fn build(
    kind: ImportKind,
    line: u64,
    headers: &[String],
    mapping: &[Option<Target>],
    cells: &[String],
    specs: &[CustomFieldSpec],
) -> ImportRow {
    let mut row = ImportRow::new(line, kind);
    let mut methods: Vec<ContactMethodDraft> = Vec::new();
    let mut addresses: BTreeMap<u8, (AddressPurpose, AddressDraft, String)> = BTreeMap::new();
    let mut attributes: BTreeMap<String, String> = BTreeMap::new();
    let mut custom = Map::new();
    let mut fields: BTreeMap<&'static str, (String, String)> = BTreeMap::new();
    for (i, target) in mapping.iter().enumerate() {
        let Some(target) = target else { continue };
        let cell = unquote(cells.get(i).map(|c| c.trim()).unwrap_or(""));
        if cell.is_empty() {
            continue;
        }
        let header = headers.get(i).cloned().unwrap_or_default();
        match target {
            Target::Field(name) => {
                fields.insert(name, (cell.to_string(), header));
            }
            Target::Contact(contact) => {
                for value in split_list(cell, &[';', '\n']) {
                    row.origins.push((format!("contact_methods[{}]", methods.len()), header.clone()));
                    methods.push(ContactMethodDraft {
                        kind: Some(contact.as_str().to_string()),
                        value: Some(value),
                        ..Default::default()
                    });
                }
            }
            Target::Address(purpose, part) => {
                let slot = AddressPurpose::ALL.iter().position(|p| p == purpose).unwrap_or(0) as u8;
                let entry = addresses.entry(slot).or_insert_with(|| {
                    let draft = AddressDraft { purpose: Some(purpose.as_str().to_string()), ..Default::default() };
                    (*purpose, draft, header.clone())
                });
                let value = Some(cell.to_string());
                match part {
                    AddressPart::Line1 => entry.1.line1 = value,
                    AddressPart::Line2 => entry.1.line2 = value,
                    AddressPart::City => entry.1.city = value,
                    AddressPart::Region => entry.1.region = value,
                    AddressPart::Postcode => entry.1.postcode = value,
                    AddressPart::Country => entry.1.country = value,
                }
            }
            Target::Employer => {
                row.origins.push(("employer".into(), header.clone()));
                row.employer = Some(cell.to_string());
            }
            Target::Position => row.position = Some(cell.to_string()),
            Target::Department => row.department = Some(cell.to_string()),
            Target::Owner => {
                row.origins.push(("owner".into(), header.clone()));
                row.owner = Some(cell.to_string());
            }
            Target::Categories => {
                row.origins.push(("categories".into(), header.clone()));
                row.categories.extend(split_list(cell, &[';', ',']));
            }
            Target::Attributes => {
                for pair in split_list(cell, &[';', '\n']) {
                    match crate::attributes::split_pair(&pair) {
                        Some((key, value)) => {
                            row.origins.push((format!("attributes.{key}"), header.clone()));
                            attributes.insert(key, value);
                        }
                        None => row.problem(&header, "invalid_attribute", format!("{pair:?} is not key=value")),
                    }
                }
            }
            Target::Attribute(key) => {
                row.origins.push((format!("attributes.{key}"), header.clone()));
                attributes.insert(key.clone(), cell.to_string());
            }
            Target::Custom(key) => {
                row.origins.push((format!("custom.{key}"), header.clone()));
                match custom_value(cell, specs.iter().find(|s| &s.key == key)) {
                    Ok(value) => {
                        custom.insert(key.clone(), value);
                    }
                    Err((code, reason)) => row.problem(&header, code, reason),
                }
            }
        }
    }
    let mut address_list = Vec::new();
    for (_, (_, draft, header)) in addresses {
        row.origins.push((format!("addresses[{}]", address_list.len()), header));
        address_list.push(draft);
    }
    let mut take = |name: &str, row: &mut ImportRow| {
        fields.remove(name).map(|(value, header)| {
            row.origins.push((name.to_string(), header));
            value
        })
    };
    let external_id = take("external_id", &mut row);
    let code = take("code", &mut row);
    row.code = code;
    let description = take("description", &mut row);
    let background = take("background", &mut row);
    match kind {
        ImportKind::Companies => {
            let mut draft = CompanyDraft {
                name: take("name", &mut row),
                legal_name: take("legal_name", &mut row),
                tax_id: take("tax_id", &mut row),
                website: take("website", &mut row),
                industry: take("industry", &mut row),
                size: take("size", &mut row),
                area: take("area", &mut row),
                kind: take("type", &mut row).map(|t| t.to_lowercase()),
                status: take("status", &mut row).map(|s| s.to_lowercase()),
                level: take("level", &mut row),
                stage: take("stage", &mut row),
                source: take("source", &mut row),
                description,
                background,
                external_id,
                ..Default::default()
            };
            if let Some(level) = take("security_level", &mut row) {
                match level.trim().parse::<i16>() {
                    Ok(n) => draft.security_level = Some(n),
                    Err(_) => {
                        row.problem(&row.column_of("security_level"), "invalid_number", "must be a number from 0 to 9")
                    }
                }
            }
            draft.contact_methods = Some(methods);
            draft.addresses = Some(address_list);
            draft.attributes = Some(attributes);
            draft.custom = Some(custom);
            row.draft = RowDraft::Company(Box::new(draft));
        }
        ImportKind::People => {
            let mut draft = PersonDraft {
                given_name: take("given_name", &mut row),
                family_name: take("family_name", &mut row),
                title: take("title", &mut row),
                language: take("language", &mut row),
                description,
                background,
                external_id,
                ..Default::default()
            };
            if let Some(full) = take("full_name", &mut row)
                && draft.given_name.is_none()
                && draft.family_name.is_none()
            {
                let column = row.column_of("full_name");
                row.origins.push(("given_name".into(), column.clone()));
                row.origins.push(("family_name".into(), column));
                (draft.given_name, draft.family_name) = split_name(&full);
            }
            if let Some(birth) = take("birth_date", &mut row) {
                match dates::parse(&birth) {
                    Ok(date) => draft.birth_date = Some(date.to_string()),
                    Err(error) => row.problem(&row.column_of("birth_date"), error.code(), error.to_string()),
                }
            }
            draft.contact_methods = Some(methods);
            draft.addresses = Some(address_list);
            draft.attributes = Some(attributes);
            draft.custom = Some(custom);
            row.draft = RowDraft::Person(Box::new(draft));
        }
    }
    row
}

/// A person row from a vCard: names, birthday, phones, emails, addresses, organisation
/// (the company, found by name, and the department), job title, categories, note, UID.
pub fn from_vcard(card: &super::vcard::Card) -> ImportRow {
    let mut row = ImportRow::new(card.line, ImportKind::People);
    row.lenient = true;
    let mut draft = PersonDraft::default();
    let text = |name: &str| card.first(name).map(|p| p.text()).filter(|t| !t.trim().is_empty());
    if let Some(n) = card.first("N") {
        let parts = n.components();
        let part = |i: usize| parts.get(i).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        draft.family_name = part(0);
        draft.given_name = part(1);
        draft.title = part(3);
        row.origins.extend([
            ("given_name".into(), "N".into()),
            ("family_name".into(), "N".into()),
            ("title".into(), "N".into()),
        ]);
    }
    if draft.given_name.is_none()
        && draft.family_name.is_none()
        && let Some(full) = text("FN")
    {
        (draft.given_name, draft.family_name) = split_name(&full);
        row.origins.extend([("given_name".into(), "FN".into()), ("family_name".into(), "FN".into())]);
    }
    if let Some(birth) = text("BDAY") {
        match dates::parse(&birth) {
            Ok(date) => draft.birth_date = Some(date.to_string()),
            Err(error) => row.problem("BDAY", error.code(), error.to_string()),
        }
    }
    let mut methods = Vec::new();
    for property in card.properties.iter().filter(|p| matches!(p.name.as_str(), "TEL" | "EMAIL" | "URL" | "IMPP")) {
        let types = property.types();
        let value = property.text();
        let value = value.trim().trim_start_matches("tel:").trim_start_matches("mailto:").to_string();
        if value.is_empty() {
            continue;
        }
        let kind = match property.name.as_str() {
            "EMAIL" => "email",
            "URL" => "web",
            "IMPP" => "messenger",
            _ if types.iter().any(|t| t == "fax") => "fax",
            _ if types.iter().any(|t| t == "cell" || t == "mobile" || t == "iphone") => "mobile",
            _ => "phone",
        };
        let label = ["work", "home"].into_iter().find(|l| types.iter().any(|t| t == l)).map(str::to_string);
        row.origins.push((format!("contact_methods[{}]", methods.len()), property.name.clone()));
        methods.push(ContactMethodDraft {
            kind: Some(kind.into()),
            value: Some(value),
            label,
            primary: types.iter().any(|t| t == "pref").then_some(true),
        });
    }
    // Only one method of a kind can be primary; a card marking two keeps the first.
    for kind in ["email", "phone", "mobile", "fax", "web", "messenger"] {
        let mut seen = false;
        for method in methods.iter_mut().filter(|m| m.kind.as_deref() == Some(kind) && m.primary == Some(true)) {
            if seen {
                method.primary = None;
            }
            seen = true;
        }
    }
    let mut addresses = Vec::new();
    let mut purposes_seen: Vec<bool> = Vec::new();
    for adr in card.all("ADR") {
        let parts = adr.components();
        let part = |i: usize| parts.get(i).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let street: Vec<String> = [part(0), part(1), part(2)].into_iter().flatten().collect();
        let street = street.join(", ");
        let mut lines = street.lines().map(str::trim).filter(|l| !l.is_empty());
        let (line1, line2) = (lines.next().map(str::to_string), lines.next().map(str::to_string));
        let types = adr.types();
        let purpose = if types.iter().any(|t| t == "work") { "office" } else { "postal" };
        row.origins.push((format!("addresses[{}]", addresses.len()), "ADR".into()));
        purposes_seen.push(true);
        addresses.push(AddressDraft {
            purpose: Some(purpose.into()),
            line1,
            line2,
            city: part(3),
            region: part(4),
            postcode: part(5),
            country: part(6).and_then(|c| crate::country::Country::parse(&c).ok()).map(|c| c.to_string()),
            default: None,
        });
    }
    if let Some(org) = card.first("ORG") {
        let parts = org.components();
        row.employer = parts.first().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        row.origins.push(("employer".into(), "ORG".into()));
        row.department = parts.get(1).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    }
    row.position = text("TITLE");
    row.origins.push(("categories".into(), "CATEGORIES".into()));
    if let Some(categories) = card.first("CATEGORIES") {
        row.categories = categories
            .value
            .split(',')
            .map(super::vcard::unescape)
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
    }
    draft.description = text("NOTE");
    row.origins.push(("description".into(), "NOTE".into()));
    draft.external_id = text("UID");
    row.origins.push(("external_id".into(), "UID".into()));
    draft.contact_methods = Some(methods);
    draft.addresses = Some(addresses);
    row.draft = RowDraft::Person(Box::new(draft));
    row
}

/// Fills a person draft's employment once the company is known.
pub fn employment(company_id: uuid::Uuid, row: &ImportRow) -> EmploymentDraft {
    EmploymentDraft {
        company_id: Some(company_id),
        position: row.position.clone(),
        department: row.department.clone(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_person_row_becomes_a_draft_with_its_columns_remembered() {
        let headers = headers(&["Name", "E-mail", "Mobile", "City", "Birth date", "Company", "loyalty"]);
        let mapping = vec![
            Target::parse("full_name", ImportKind::People),
            Target::parse("email", ImportKind::People),
            Target::parse("mobile", ImportKind::People),
            Target::parse("address.city", ImportKind::People),
            Target::parse("birth_date", ImportKind::People),
            Target::parse("employer", ImportKind::People),
            Target::parse("attr.loyalty", ImportKind::People),
        ];
        let cells: Vec<String> = [
            "Мария Петрова",
            "maria@example.bg; m.p@example.bg",
            "088 123 4567",
            "София",
            "09.03.1984",
            "C-000001",
            "gold",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let row = build(ImportKind::People, 2, &headers, &mapping, &cells, &[]);
        let RowDraft::Person(draft) = &row.draft else { panic!("a person") };
        assert_eq!((draft.given_name.as_deref(), draft.family_name.as_deref()), (Some("Мария"), Some("Петрова")));
        assert_eq!(draft.birth_date.as_deref(), Some("1984-03-09"));
        assert_eq!(draft.contact_methods.as_ref().unwrap().len(), 3);
        assert_eq!(row.employer.as_deref(), Some("C-000001"));
        assert_eq!(row.column_of("contact_methods[1].value"), "E-mail");
        assert_eq!(row.column_of("contact_methods[2].value"), "Mobile");
        assert_eq!(row.column_of("addresses[0].line1"), "City");
        assert_eq!(row.column_of("attributes.loyalty"), "loyalty");
        assert!(row.problems.is_empty());
    }

    #[test]
    fn an_ambiguous_date_is_a_problem_of_its_column() {
        let row = build(
            ImportKind::People,
            7,
            &headers(&["Last name", "DOB"]),
            &[Target::parse("family_name", ImportKind::People), Target::parse("birth_date", ImportKind::People)],
            &["Smith".into(), "03/04/1984".into()],
            &[],
        );
        assert_eq!(row.problems[0].column, "DOB");
        assert_eq!(row.problems[0].code, "ambiguous_date");
    }
}
