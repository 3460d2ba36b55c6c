use super::*;
use crate::companies::CompanyDraft;
use crate::contacts::{AddressDraft, ContactMethodDraft};
use crate::people::PersonDraft;

pub(super) fn contact(kind: &str, value: &str) -> ContactMethodDraft {
    ContactMethodDraft { kind: Some(kind.into()), value: Some(value.into()), ..Default::default() }
}

fn person(given: &str, family: &str, contacts: &[(&str, &str)]) -> Profile {
    let draft = PersonDraft {
        given_name: Some(given.into()),
        family_name: Some(family.into()),
        contact_methods: Some(contacts.iter().map(|(k, v)| contact(k, v)).collect()),
        ..Default::default()
    };
    Profile::person(&draft.parse().expect("valid person"))
}

fn company(name: &str, tax_id: Option<&str>, city: Option<&str>) -> Profile {
    let draft = CompanyDraft {
        name: Some(name.into()),
        tax_id: tax_id.map(Into::into),
        addresses: city.map(|c| vec![AddressDraft { city: Some(c.into()), ..Default::default() }]),
        ..Default::default()
    };
    Profile::company(&draft.parse().expect("valid company"), None)
}

#[test]
fn the_same_tax_number_is_certain() {
    let found = score(&company("Acme Ltd", Some("BG 123456789"), None), &company("Other", Some("bg123456789"), None));
    assert_eq!(found, Some(Match { score: 1.0, reasons: vec![Reason::SameTaxId] }));
}

#[test]
fn an_email_in_other_case_or_a_phone_in_another_format_matches() {
    let a = person("Anna", "Nowak", &[("email", "Anna.Nowak@Example.com"), ("phone", "+48 42 123 45 67")]);
    let b = person("Ania", "Nowak", &[("email", "anna.nowak@example.com"), ("mobile", "0048421234567")]);
    let found = score(&a, &b).expect("a match");
    assert!(found.score >= 0.95, "{found:?}");
    assert!(found.reasons.contains(&Reason::SameEmail) && found.reasons.contains(&Reason::SamePhone));
}

#[test]
fn cyrillic_latin_and_legal_forms_do_not_hide_a_company() {
    let found =
        score(&company("Петров Трейд ООД", None, Some("София")), &company("Petrov Treyd Ltd", None, Some("Sofia")))
            .expect("a match");
    assert!(found.score >= THRESHOLD, "{found:?}");
    assert!(found.reasons.contains(&Reason::SameName), "{found:?}");
}

#[test]
fn a_different_tax_number_or_another_given_name_is_not_a_duplicate() {
    let differ = score(&company("Acme Ltd", Some("111"), None), &company("Acme Ltd", Some("222"), None));
    assert!(differ.as_ref().is_none_or(|m| m.score < THRESHOLD), "{differ:?}");
    let family = score(
        &person("Anna", "Petrova", &[("phone", "+359 88 123 4567")]),
        &person("Maria", "Petrova", &[("phone", "+359 88 123 4567")]),
    );
    assert!(family.as_ref().is_none_or(|m| m.score < THRESHOLD), "{family:?}");
}

#[test]
fn swapped_names_share_keys() {
    let a = person("Ivan", "Petrov", &[]).keys();
    let b = person("Petrov", "Ivan", &[]).keys();
    assert!(a.iter().any(|k| b.contains(k)), "{a:?} {b:?}");
    assert!(a.contains(&"n:ivan petrov".to_string()), "{a:?}");
    let typo = person("Ivan", "Petorv", &[]).keys();
    assert!(a.iter().any(|k| typo.contains(k)), "{a:?} {typo:?}");
}

mod quality;
