//! What an import row does to a record it updates (found by its customer code or
//! external id): the row's values replace the record's, and what the row adds to its
//! lists (contact methods, addresses, categories, employments) joins what is there. A
//! row re-imported changes nothing.

use crate::companies::CompanyDraft;
use crate::contacts::{AddressDraft, ContactMethodDraft};
use crate::people::PersonDraft;

fn set<T: Clone>(target: &mut Option<T>, value: &Option<T>) {
    if value.is_some() {
        target.clone_from(value);
    }
}

fn same_method(a: &ContactMethodDraft, b: &ContactMethodDraft) -> bool {
    let norm = |m: &ContactMethodDraft| {
        let value = m.value.as_deref().unwrap_or("").trim().to_lowercase();
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        (m.kind.clone(), if digits.len() >= 4 && !value.contains('@') { digits } else { value })
    };
    norm(a) == norm(b)
}

fn same_address(a: &AddressDraft, b: &AddressDraft) -> bool {
    let key = |d: &AddressDraft| {
        [&d.purpose, &d.line1, &d.city, &d.postcode].map(|v| v.as_deref().unwrap_or("").trim().to_lowercase())
    };
    key(a) == key(b)
}

fn add_all<T: Clone>(target: &mut Option<Vec<T>>, added: &Option<Vec<T>>, same: impl Fn(&T, &T) -> bool) {
    let Some(added) = added else { return };
    let list = target.get_or_insert_with(Vec::new);
    for item in added {
        if !list.iter().any(|existing| same(existing, item)) {
            list.push(item.clone());
        }
    }
}

fn merge_maps<V: Clone>(
    target: &mut Option<std::collections::BTreeMap<String, V>>,
    added: &Option<std::collections::BTreeMap<String, V>>,
) {
    if let Some(added) = added {
        let map = target.get_or_insert_with(Default::default);
        map.extend(added.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

fn merge_json(
    target: &mut Option<serde_json::Map<String, serde_json::Value>>,
    added: &Option<serde_json::Map<String, serde_json::Value>>,
) {
    if let Some(added) = added {
        let map = target.get_or_insert_with(Default::default);
        map.extend(added.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
}

fn union<T: Clone + PartialEq>(target: &mut Option<Vec<T>>, added: &Option<Vec<T>>) {
    add_all(target, added, |a, b| a == b);
}

pub fn company(stored: &CompanyDraft, row: &CompanyDraft) -> CompanyDraft {
    let mut out = stored.clone();
    set(&mut out.name, &row.name);
    set(&mut out.legal_name, &row.legal_name);
    set(&mut out.tax_id, &row.tax_id);
    set(&mut out.website, &row.website);
    set(&mut out.industry, &row.industry);
    set(&mut out.size, &row.size);
    set(&mut out.area, &row.area);
    set(&mut out.kind, &row.kind);
    set(&mut out.status, &row.status);
    set(&mut out.level, &row.level);
    set(&mut out.stage, &row.stage);
    set(&mut out.source, &row.source);
    set(&mut out.background, &row.background);
    set(&mut out.description, &row.description);
    set(&mut out.security_level, &row.security_level);
    set(&mut out.owner_id, &row.owner_id);
    set(&mut out.external_id, &row.external_id);
    add_all(&mut out.contact_methods, &row.contact_methods.as_ref().map(|m| unmarked_methods(m)), same_method);
    add_all(&mut out.addresses, &row.addresses.as_ref().map(|a| unmarked_addresses(a)), same_address);
    merge_maps(&mut out.attributes, &row.attributes);
    merge_json(&mut out.custom, &row.custom);
    union(&mut out.categories, &row.categories);
    out
}

pub fn person(stored: &PersonDraft, row: &PersonDraft) -> PersonDraft {
    let mut out = stored.clone();
    set(&mut out.given_name, &row.given_name);
    set(&mut out.family_name, &row.family_name);
    set(&mut out.title, &row.title);
    set(&mut out.birth_date, &row.birth_date);
    set(&mut out.language, &row.language);
    set(&mut out.background, &row.background);
    set(&mut out.description, &row.description);
    set(&mut out.owner_id, &row.owner_id);
    set(&mut out.external_id, &row.external_id);
    add_all(&mut out.contact_methods, &row.contact_methods.as_ref().map(|m| unmarked_methods(m)), same_method);
    add_all(&mut out.addresses, &row.addresses.as_ref().map(|a| unmarked_addresses(a)), same_address);
    add_all(&mut out.employments, &row.employments, |a, b| a.company_id == b.company_id);
    merge_maps(&mut out.attributes, &row.attributes);
    merge_json(&mut out.custom, &row.custom);
    union(&mut out.categories, &row.categories);
    out
}

/// An added method or address never takes the primary or default mark from the record's own.
fn unmarked_methods(methods: &[ContactMethodDraft]) -> Vec<ContactMethodDraft> {
    methods.iter().map(|m| ContactMethodDraft { primary: None, ..m.clone() }).collect()
}

fn unmarked_addresses(addresses: &[AddressDraft]) -> Vec<AddressDraft> {
    addresses.iter().map(|a| AddressDraft { default: None, ..a.clone() }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(kind: &str, value: &str) -> ContactMethodDraft {
        ContactMethodDraft { kind: Some(kind.into()), value: Some(value.into()), ..Default::default() }
    }

    #[test]
    fn a_row_replaces_values_and_adds_to_lists_once() {
        let stored = PersonDraft {
            given_name: Some("Maria".into()),
            family_name: Some("Petrova".into()),
            contact_methods: Some(vec![ContactMethodDraft { primary: Some(true), ..method("email", "maria@x.bg") }]),
            ..Default::default()
        };
        let row = PersonDraft {
            family_name: Some("Ivanova".into()),
            contact_methods: Some(vec![method("email", "MARIA@x.bg"), method("mobile", "+359 88 123 4567")]),
            ..Default::default()
        };
        let merged = person(&stored, &row);
        assert_eq!(merged.given_name.as_deref(), Some("Maria"));
        assert_eq!(merged.family_name.as_deref(), Some("Ivanova"));
        assert_eq!(merged.contact_methods.as_ref().unwrap().len(), 2);
        let again = person(&merged, &row);
        assert_eq!(format!("{again:?}"), format!("{merged:?}"), "a re-run changes nothing");
    }
}
