//! Checks shared by companies and people: the references a record makes must point at
//! records that exist, and custom values must fit their definitions.

use rapport_core::Invalid;
use rapport_core::audit::{self, Change};
use std::collections::HashSet;

use rapport_core::custom_fields::{self, CustomFieldSpec, RecordKind};
use rapport_store::{Exec, categories, custom_fields as stored_fields, users};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use rapport_core::access::Action;
use rapport_store::audit::Entry;

use crate::access::EVERY_CUSTOM_FIELD;
use crate::{Actor, AppError};

/// What checking a record's references needs to know, read once per write (or once for
/// a whole bulk load): category lists, custom field definitions, users already seen.
pub(crate) struct Lookups {
    pub kinds: Vec<categories::Kind>,
    specs: Vec<CustomFieldSpec>,
    known_users: HashSet<Uuid>,
}

impl Lookups {
    pub async fn load(ex: &mut impl Exec) -> Result<Lookups, AppError> {
        Ok(Lookups {
            kinds: categories::list(ex).await?,
            specs: stored_fields::list(ex, None).await?.into_iter().map(|f| f.spec).collect(),
            known_users: HashSet::new(),
        })
    }

    async fn user_exists(&mut self, ex: &mut impl Exec, id: Uuid) -> Result<bool, AppError> {
        if self.known_users.contains(&id) {
            return Ok(true);
        }
        let found = users::get(ex, id).await?.is_some();
        if found {
            self.known_users.insert(id);
        }
        Ok(found)
    }

    /// The keys of a built-in list (`stage`, `level`).
    pub fn choices(&self, list: &str) -> Vec<&str> {
        self.kinds.iter().filter(|k| k.key == list).flat_map(|k| k.values.iter().map(|v| v.key.as_str())).collect()
    }
}

/// The references every record makes, for [`check_common`].
pub(crate) struct Common<'a> {
    pub kind: RecordKind,
    pub owner_id: Option<Uuid>,
    pub categories: &'a [Uuid],
    pub custom: &'a Map<String, Value>,
    /// The stored custom values when changing a record: a link it already has may stay
    /// even when the actor cannot see its target (only new links must be visible).
    pub before_custom: Option<&'a Map<String, Value>>,
}

/// Checks owner, categories and custom values (links must point at records the actor
/// can see); returns the custom values to store.
pub(crate) async fn check_common(
    ex: &mut impl Exec,
    actor: &Actor,
    lookups: &mut Lookups,
    common: Common<'_>,
    invalid: &mut Invalid,
) -> Result<Map<String, Value>, AppError> {
    if let Some(owner) = common.owner_id
        && !lookups.user_exists(ex, owner).await?
    {
        invalid.push("owner_id", "unknown_user", "no user has this id");
    }
    for (i, id) in common.categories.iter().enumerate() {
        if !lookups.kinds.iter().flat_map(|k| &k.values).any(|v| v.id == *id) {
            invalid.push(format!("categories[{i}]"), "unknown_category", "no category value has this id");
        }
    }
    let specs: Vec<CustomFieldSpec> = lookups.specs.iter().filter(|s| s.record_kind == common.kind).cloned().collect();
    let (stored, links) = custom_fields::validate(common.custom, &specs, invalid);
    for link in links {
        let key = link.field.trim_start_matches("custom.");
        let kept = common.before_custom.and_then(|b| b.get(key)) == stored.get(key);
        let found = kept
            || match link.target {
                RecordKind::Company => crate::companies::visible(ex, actor, link.id).await?,
                RecordKind::Person => crate::people::visible(ex, actor, link.id).await?,
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

/// The fields a body writes: its top-level keys and `custom.KEY` for each custom value
/// (or [`EVERY_CUSTOM_FIELD`] when `custom` is replaced as a whole, e.g. by `null`).
pub(crate) fn touched_fields(body: &Value) -> Vec<String> {
    let Value::Object(fields) = body else { return Vec::new() };
    let mut touched: Vec<String> = fields.keys().cloned().collect();
    match fields.get("custom") {
        Some(Value::Object(custom)) => touched.extend(custom.keys().map(|k| format!("custom.{k}"))),
        Some(_) => touched.push(EVERY_CUSTOM_FIELD.to_string()),
        None => {}
    }
    touched
}

/// A record may be given only to its creator or to users the actor may update records of;
/// nobody takes over other people's records through `owner_id`.
pub(crate) fn check_owner(actor: &Actor, kind: &str, owner: Option<Uuid>) -> Result<(), AppError> {
    if owner.is_none() || owner == actor.user_id {
        return Ok(());
    }
    if actor.covers(actor.scope(kind, Action::Update), owner) {
        Ok(())
    } else {
        Err(Invalid::one("owner_id", "not_allowed", "you may not give records to this user").into())
    }
}

/// A visible record's history without the fields the actor may not see. Callers have
/// loaded the record; one written into the database without Rapport (a restore, a
/// migration from another system) has an empty history, not a missing one.
pub(crate) async fn history(ex: &mut impl Exec, actor: &Actor, kind: &str, id: Uuid) -> Result<Vec<Entry>, AppError> {
    let hidden = actor.hidden_fields(kind);
    let mut entries = rapport_store::audit::history(ex, id, 1000).await?;
    for entry in &mut entries {
        entry.changes.retain(|c| !crate::access::is_hidden(&hidden, &c.field));
    }
    Ok(entries)
}
