//! The search engine's rules, apart from storage: what of a record is searchable
//! ([`Document`]), how it becomes index terms ([`Document::terms`]), and how a search box
//! text becomes conditions on those terms ([`query`]).
//!
//! Every kind of record declares its searchable fields by building a `Document`; the
//! store keeps one row per distinct term of a record (term, class, which fields it came
//! from), so one index answers global search, list searches and field filters for every
//! kind, and both database engines read it with the same queries.

pub mod query;
pub mod tokens;
pub mod typos;

use std::collections::BTreeMap;

use crate::attributes::Attributes;
use crate::contacts::{Address, ContactKind, ContactMethod};

pub use query::{Clause, Matcher, SearchQuery};

/// A searchable field. Each is one bit of a term's field mask, so `city:Sofia` can ask for
/// terms that came from a city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Code,
    Email,
    Phone,
    TaxId,
    Name,
    City,
    Area,
    Attribute,
    Web,
    Text,
    /// A `key=value` term alone, without the value's words (stored as an attribute).
    Pair,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Code,
        Field::Email,
        Field::Phone,
        Field::TaxId,
        Field::Name,
        Field::City,
        Field::Area,
        Field::Attribute,
        Field::Web,
        Field::Text,
    ];

    pub fn bit(self) -> i32 {
        1 << (self as i32)
    }

    /// How a match in this field ranks: identifiers first, then names, then the rest.
    pub fn class(self) -> Class {
        match self {
            Field::Code | Field::Email | Field::Phone | Field::TaxId => Class::Identifier,
            Field::Name => Class::Name,
            _ => Class::Other,
        }
    }

    /// The field a `field:value` filter of the search box names.
    pub fn from_filter(name: &str) -> Option<Field> {
        Some(match name {
            "code" => Field::Code,
            "email" => Field::Email,
            "phone" => Field::Phone,
            "tax" | "tax_id" => Field::TaxId,
            "name" => Field::Name,
            "city" => Field::City,
            "area" => Field::Area,
            "attr" | "attribute" => Field::Attribute,
            "web" | "website" => Field::Web,
            _ => return None,
        })
    }

    /// The name a result shows for the field that matched.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Code => "code",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::TaxId => "tax_id",
            Field::Name => "name",
            Field::City => "city",
            Field::Area => "area",
            Field::Attribute => "attribute",
            Field::Web => "website",
            Field::Text => "text",
            Field::Pair => "attribute",
        }
    }

    /// The fields a mask names, best class first.
    pub fn of_mask(mask: i32) -> impl Iterator<Item = Field> {
        Field::ALL.into_iter().filter(move |f| mask & f.bit() != 0)
    }
}

/// Every field's bit.
pub const ALL_FIELDS: i32 = (1 << Field::ALL.len()) - 1;

/// Ranking classes, best first; stored as a small number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Identifier = 0,
    Name = 1,
    Other = 2,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Identifier, Class::Name, Class::Other];

    pub fn code(self) -> i16 {
        self as i16
    }
}

/// One index row of a record: a term, the class it ranks in, the fields it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub term: String,
    pub class: Class,
    pub mask: i32,
}

/// Longest identifier kept as one term (emails and web addresses can be long).
const MAX_IDENTIFIER_CHARS: usize = 120;

/// What of one record is searchable, field by field.
#[derive(Debug, Clone, Default)]
pub struct Document {
    entries: Vec<(Field, String)>,
}

impl Document {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field's text (nothing for `None` or blank).
    pub fn add(&mut self, field: Field, text: Option<&str>) -> &mut Self {
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            self.entries.push((field, text.to_string()));
        }
        self
    }

    /// Emails, phones (by their E.164 form where known) and web addresses.
    pub fn add_contact_methods(&mut self, methods: &[ContactMethod]) -> &mut Self {
        for method in methods {
            let field = match method.kind {
                ContactKind::Email => Field::Email,
                ContactKind::Phone | ContactKind::Mobile | ContactKind::Fax => Field::Phone,
                ContactKind::Web => Field::Web,
                ContactKind::Messenger => Field::Text,
            };
            let value = if field == Field::Phone { method.e164.as_deref() } else { None };
            self.add(field, Some(value.unwrap_or(&method.value)));
        }
        self
    }

    /// Cities as cities; streets, regions and postcodes as other text.
    pub fn add_addresses(&mut self, addresses: &[Address]) -> &mut Self {
        for address in addresses {
            self.add(Field::City, address.city.as_deref());
            for part in [&address.line1, &address.line2, &address.region, &address.postcode] {
                self.add(Field::Text, part.as_deref());
            }
        }
        self
    }

    pub fn add_attributes(&mut self, attributes: &Attributes) -> &mut Self {
        for (key, value) in attributes {
            self.add(Field::Attribute, Some(&format!("{key}={value}")));
        }
        self
    }

    /// The record's index terms, one per distinct term and class.
    pub fn terms(&self) -> Vec<Term> {
        let mut terms: BTreeMap<(String, Class), i32> = BTreeMap::new();
        let mut put = |term: String, field: Field| {
            if !term.is_empty() {
                *terms.entry((term, field.class())).or_default() |= field.bit();
            }
        };
        for (field, text) in &self.entries {
            match field {
                Field::Email => {
                    let email = text.to_lowercase();
                    if let Some((_, domain)) = email.rsplit_once('@') {
                        put(identifier(domain), *field);
                    }
                    put(identifier(&email), *field);
                }
                Field::Phone => {
                    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                    if let Some(national) = crate::phone::national_digits(text) {
                        put(national.to_string(), *field);
                    }
                    put(digits, *field);
                }
                Field::Code | Field::TaxId => {
                    let compact = tokens::compact(text);
                    let digits = compact.trim_start_matches(|c: char| c.is_alphabetic());
                    if digits.len() != compact.len() && digits.chars().all(|c| c.is_ascii_digit()) {
                        put(digits.to_string(), *field);
                    }
                    put(compact, *field);
                }
                Field::Web => {
                    let lower = text.to_lowercase();
                    let host = lower.split("://").last().unwrap_or(&lower);
                    let host = host.strip_prefix("www.").unwrap_or(host);
                    let host = host.split(['/', '?', '#']).next().unwrap_or(host);
                    put(identifier(host), *field);
                }
                Field::Attribute | Field::Pair => {
                    if let Some((key, value)) = text.split_once('=') {
                        put(identifier(&format!("{key}={}", crate::text::fold(value))), Field::Attribute);
                        if *field == Field::Attribute {
                            for word in tokens::words(value) {
                                put(word, Field::Text);
                            }
                        }
                    }
                }
                Field::Name | Field::City | Field::Area | Field::Text => {
                    for word in tokens::words(text) {
                        put(word, *field);
                    }
                }
            }
        }
        terms.into_iter().map(|((term, class), mask)| Term { term, class, mask }).collect()
    }
}

fn identifier(text: &str) -> String {
    text.trim().chars().take(MAX_IDENTIFIER_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(doc: &Document) -> Vec<(String, Class)> {
        doc.terms().into_iter().map(|t| (t.term, t.class)).collect()
    }

    #[test]
    fn identifiers_names_and_other_fields_rank_apart() {
        let mut doc = Document::new();
        doc.add(Field::Code, Some("C-000123"))
            .add(Field::Name, Some("Sofia Trade"))
            .add(Field::City, Some("Sofia"))
            .add(Field::Email, Some("Office@Sofia-Trade.bg"));
        let terms = doc.terms();
        let sofia: Vec<_> = terms.iter().filter(|t| t.term == "sofia").collect();
        assert_eq!(sofia.len(), 2, "{terms:?}");
        assert_eq!((sofia[0].class, sofia[0].mask), (Class::Name, Field::Name.bit()));
        assert_eq!((sofia[1].class, sofia[1].mask), (Class::Other, Field::City.bit()));
        let listed = self::terms(&doc);
        for wanted in ["c000123", "000123", "office@sofia-trade.bg", "sofia-trade.bg"] {
            assert!(listed.contains(&(wanted.to_string(), Class::Identifier)), "{wanted} in {listed:?}");
        }
    }

    #[test]
    fn phones_are_indexed_with_and_without_the_country_prefix() {
        let mut doc = Document::new();
        doc.add(Field::Phone, Some("+359881234567"));
        let listed: Vec<_> = doc.terms().into_iter().map(|t| t.term).collect();
        assert_eq!(listed, ["359881234567", "881234567"]);
    }

    #[test]
    fn attribute_pairs_are_one_term_and_their_values_words() {
        let mut doc = Document::new();
        doc.add(Field::Attribute, Some("loyalty=Gold")).add(Field::Web, Some("https://www.Example.com/about"));
        let listed = terms(&doc);
        assert!(listed.contains(&("loyalty=gold".into(), Class::Other)), "{listed:?}");
        assert!(listed.contains(&("gold".into(), Class::Other)), "{listed:?}");
        assert!(listed.contains(&("example.com".into(), Class::Other)), "{listed:?}");
    }
}
