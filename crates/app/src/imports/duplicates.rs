//! Duplicates: a row whose email, phone or tax number is already in the base, or on an
//! earlier row of the file, is refused with the line or record it repeats. The base is
//! asked once per batch; the file's earlier rows are remembered as 8-byte hashes.

use std::collections::HashMap;

use rapport_core::contacts::ContactKind;
use rapport_core::imports::{ImportKind, ImportRow};
use rapport_store::Exec;
use rapport_store::imports as store;
use uuid::Uuid;

use super::batch::{Existing, Fields, Writer, key};
use crate::AppError;

impl Writer<'_> {
    /// The keys a record must not share with another: emails, phones, tax number.
    pub(super) fn keys(fields: &Fields) -> Vec<(String, String, String)> {
        let (methods, tax) = match fields {
            Fields::Company(f) => (&f.contact_methods, f.tax_id.clone()),
            Fields::Person(f) => (&f.contact_methods, None),
        };
        let mut keys: Vec<(String, String, String)> = methods
            .iter()
            .enumerate()
            .filter(|(_, m)| matches!(m.kind, ContactKind::Email | ContactKind::Phone | ContactKind::Mobile))
            .map(|(i, m)| ("contact".to_string(), m.normalized.clone(), format!("contact_methods[{i}].value")))
            .collect();
        if let Some(tax) = tax {
            keys.push(("tax".into(), tax, "tax_id".into()));
        }
        keys
    }

    /// For each row, the duplicate it is (column, reason, the existing record), if any.
    #[allow(clippy::type_complexity)]
    pub(super) async fn duplicates(
        &self,
        ex: &mut impl Exec,
        pending: &[(ImportRow, Fields, Option<Existing>)],
    ) -> Result<Vec<Option<(String, String, Option<Uuid>)>>, AppError> {
        let keys: Vec<Vec<(String, String, String)>> = pending.iter().map(|(_, f, _)| Self::keys(f)).collect();
        let contacts: Vec<String> = keys.iter().flatten().filter(|k| k.0 == "contact").map(|k| k.1.clone()).collect();
        let taxes: Vec<String> = keys.iter().flatten().filter(|k| k.0 == "tax").map(|k| k.1.clone()).collect();
        let mut existing: HashMap<(String, String), Uuid> = HashMap::new();
        for (value, id) in store::existing_contacts(ex, self.kind.record_kind(), &contacts).await? {
            existing.entry(("contact".into(), value)).or_insert(id);
        }
        if self.kind == ImportKind::Companies {
            for (value, id) in store::existing_values(ex, "companies", "tax_id", &taxes).await? {
                existing.entry(("tax".into(), value)).or_insert(id);
            }
        }
        let mut out = Vec::with_capacity(pending.len());
        let mut batch_seen: HashMap<u64, u64> = HashMap::new();
        for ((row, _, target), keys) in pending.iter().zip(keys) {
            let own = target.as_ref().map(Existing::id);
            let mut found = None;
            for (kind, value, field) in keys {
                let hashed = key(&kind, &value);
                let column = row.column_of(&field);
                let what = if kind == "tax" { "tax number" } else { "email or phone" };
                if let Some(line) = self.seen.get(&hashed).or_else(|| batch_seen.get(&hashed)) {
                    found = Some((column, format!("the {what} {value:?} is on line {line} too"), None));
                    break;
                }
                if let Some(id) = existing.get(&(kind.clone(), value.clone())).filter(|id| Some(**id) != own) {
                    let record = if self.kind == ImportKind::Companies { "company" } else { "person" };
                    found = Some((column, format!("a {record} with the {what} {value:?} exists already"), Some(*id)));
                    break;
                }
                batch_seen.insert(hashed, row.line);
            }
            out.push(found);
        }
        Ok(out)
    }

    /// Remembers an accepted row's keys, so a later row with one of them is a duplicate.
    pub(super) fn remember(&mut self, row: &ImportRow, fields: &Fields) {
        for (kind, value, _) in Self::keys(fields) {
            self.seen.entry(key(&kind, &value)).or_insert(row.line);
        }
        if let Some(external) = row.external_id() {
            self.seen.entry(key("external", external)).or_insert(row.line);
        }
    }
}
