//! Checks shared by companies and people: the references a record makes must point at
//! records that exist, and custom values must fit their definitions.

use rapport_core::Invalid;
use rapport_core::audit::{self, Change};
use rapport_core::custom_fields::{self, RecordKind};
use rapport_store::{Exec, categories, companies, custom_fields as stored_fields, people, users};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::AppError;

/// Checks owner, categories and custom values; returns the custom values to store.
pub(crate) async fn check_common(
    ex: &mut impl Exec,
    kind: RecordKind,
    owner_id: Option<Uuid>,
    categories: &[Uuid],
    custom: &Map<String, Value>,
    invalid: &mut Invalid,
) -> Result<Map<String, Value>, AppError> {
    if let Some(owner) = owner_id
        && users::get(ex, owner).await?.is_none()
    {
        invalid.push("owner_id", "unknown_user", "no user has this id");
    }
    if !categories.is_empty() {
        let known: Vec<Uuid> = categories::list(ex).await?.into_iter().flat_map(|k| k.values).map(|v| v.id).collect();
        for (i, id) in categories.iter().enumerate() {
            if !known.contains(id) {
                invalid.push(format!("categories[{i}]"), "unknown_category", "no category value has this id");
            }
        }
    }
    let specs: Vec<_> = stored_fields::list(ex, Some(kind)).await?.into_iter().map(|f| f.spec).collect();
    let (stored, links) = custom_fields::validate(custom, &specs, invalid);
    for link in links {
        let found = match link.target {
            RecordKind::Company => companies::exists(ex, link.id).await?,
            RecordKind::Person => people::exists(ex, link.id).await?,
        };
        if !found {
            invalid.push(link.field, "unknown_record", format!("no {} has this id", link.target.as_str()));
        }
    }
    Ok(stored)
}

/// The field-level changes between two versions of a record, as the history keeps them.
pub(crate) fn changes<A: Serialize, B: Serialize>(before: Option<&A>, after: &B) -> Vec<Change> {
    fn as_map<T: Serialize>(value: Option<&T>) -> Map<String, Value> {
        match value.map(serde_json::to_value) {
            Some(Ok(Value::Object(map))) => map,
            _ => Map::new(),
        }
    }
    audit::diff(&as_map(before), &as_map(Some(after)))
}

/// Checks `If-Match` against the stored version.
pub(crate) fn check_version(expected: Option<i64>, current: i64) -> Result<(), AppError> {
    match expected {
        Some(expected) if expected != current => Err(AppError::Stale { current }),
        _ => Ok(()),
    }
}
