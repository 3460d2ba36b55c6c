//! Merging customer cards: several companies (or people) become one, the survivor. Per
//! field the user picks whose value stays (rapport_core::duplicates::merge has the
//! rules); everything that referred to a merged record moves to the survivor
//! (rapport_store::merges); the merged ids keep leading to it; the history of the
//! survivor and of every merged record tells the whole merge. One transaction.

use std::collections::BTreeMap;

use rapport_core::Invalid;
use rapport_core::access::Action;
use rapport_core::audit::Change;
use rapport_core::companies::{CompanyDraft, CompanyFields};
use rapport_core::custom_fields::RecordKind;
use rapport_core::duplicates::merge::combine;
use rapport_core::people::{PersonDraft, PersonFields};
use rapport_store::{Exec, Tx, audit, companies as stored_companies, merges as store, people as stored_people};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::duplicates::{kind_name, kind_of};
use crate::records::Lookups;
use crate::{Actor, App, AppError, access, input, now, records};

/// Records merged into one survivor at most at once.
const MAX_MERGED: usize = 20;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    kind: String,
    survivor_id: Uuid,
    merged_ids: Vec<Uuid>,
    #[serde(default)]
    fields: BTreeMap<String, Uuid>,
    /// The versions the client saw, by record id: a record changed since is a 412.
    #[serde(default)]
    versions: BTreeMap<Uuid, i64>,
}

/// A record taking part in a merge, as loaded.
struct Card {
    id: Uuid,
    version: i64,
    draft: Map<String, Value>,
    snapshot: Value,
}

fn draft_map<T: serde::Serialize>(draft: &T) -> Result<Map<String, Value>, AppError> {
    match serde_json::to_value(draft) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(AppError::BadRequest("a record could not be read as a draft".into())),
    }
}

/// Loads one record of the merge for `action`; `field` names it in errors.
async fn card(tx: &mut Tx, actor: &Actor, kind: RecordKind, id: Uuid, field: &str) -> Result<Card, AppError> {
    let table = match kind {
        RecordKind::Company => "companies",
        RecordKind::Person => "people",
    };
    tx.lock_row(table, id).await?;
    let found = match kind {
        RecordKind::Company => stored_companies::get(tx, id).await?.map(|c| {
            let guard = crate::companies::guard(&c);
            (guard, c.version, draft_map(&c.fields.to_draft()), serde_json::to_value(&c.fields))
        }),
        RecordKind::Person => stored_people::get(tx, id).await?.map(|p| {
            let guard = crate::people::guard(&p);
            (guard, p.version, draft_map(&p.fields.to_draft()), serde_json::to_value(&p.fields))
        }),
    };
    let unknown = || -> AppError { Invalid::one(field, "unknown_record", "no record of this kind has this id").into() };
    let Some((guard, version, draft, snapshot)) = found else {
        let other = match kind {
            RecordKind::Company => stored_people::exists(tx, id).await?,
            RecordKind::Person => stored_companies::exists(tx, id).await?,
        };
        return Err(if other {
            Invalid::one(field, "different_kind", "only records of one kind can be merged").into()
        } else {
            unknown()
        });
    };
    match access::check(tx, actor, &guard, Action::Update).await {
        Err(AppError::NotFound) => return Err(unknown()),
        other => other?,
    }
    Ok(Card { id, version, draft: draft?, snapshot: snapshot.unwrap_or(Value::Null) })
}

fn check_request(request: &Request) -> Result<(), AppError> {
    let mut invalid = Invalid::default();
    if request.merged_ids.is_empty() {
        invalid.push("merged_ids", "required", "name at least one record to merge into the survivor");
    }
    if request.merged_ids.len() > MAX_MERGED {
        invalid.push("merged_ids", "too_many", format!("at most {MAX_MERGED} records can be merged at once"));
    }
    for (i, id) in request.merged_ids.iter().enumerate() {
        if *id == request.survivor_id {
            invalid.push(format!("merged_ids[{i}]"), "survivor_merged", "the survivor cannot be merged into itself");
        } else if request.merged_ids[..i].contains(id) {
            invalid.push(format!("merged_ids[{i}]"), "repeated", "this record is named twice");
        }
    }
    invalid.into_result(()).map_err(AppError::from)
}

/// Merges `merged_ids` into `survivor_id` and returns the survivor as the API shows it.
/// `expected_version` (from `If-Match`) is the survivor's version the client saw.
pub async fn merge(app: &App, actor: &Actor, body: Value, expected_version: Option<i64>) -> Result<Value, AppError> {
    input::object_body(&body)?;
    let request: Request = input::draft(body)?;
    let kind = kind_of(&request.kind)?;
    let kind_str = kind_name(kind);
    actor.require(kind_str, Action::Merge)?;
    check_request(&request)?;
    let mut tx = app.db.begin().await?;
    let survivor = card(&mut tx, actor, kind, request.survivor_id, "survivor_id").await?;
    let mut merged = Vec::new();
    for (i, id) in request.merged_ids.iter().enumerate() {
        merged.push(card(&mut tx, actor, kind, *id, &format!("merged_ids[{i}]")).await?);
    }
    records::check_version(expected_version, survivor.version)?;
    for card in std::iter::once(&survivor).chain(&merged) {
        if let Some(seen) = request.versions.get(&card.id) {
            records::check_version(Some(*seen), card.version)?;
        }
    }
    let others: Vec<(Uuid, Map<String, Value>)> = merged.iter().map(|c| (c.id, c.draft.clone())).collect();
    let combined = combine((survivor.id, &survivor.draft), &others, &request.fields)?;
    let mut lookups = Lookups::load(&mut tx).await?;
    let at = now();
    let merged_ids: Vec<Uuid> = merged.iter().map(|c| c.id).collect();
    for card in &merged {
        store::absorb(&mut tx, kind, survivor.id, card.id, actor.user_id, at).await?;
        let mut gone = records::changes(Some(&card.snapshot), &json!({}));
        gone.push(Change { field: "merged_into".into(), old: Value::Null, new: json!(survivor.id) });
        audit::record(&mut tx, kind_str, card.id, "merged", actor.user_id, at, &gone).await?;
    }
    let mut changes = match kind {
        RecordKind::Company => {
            let before: CompanyFields = input::draft::<CompanyDraft>(Value::Object(survivor.draft.clone()))?.parse()?;
            let mut fields: CompanyFields = input::draft::<CompanyDraft>(Value::Object(combined))?.parse()?;
            if fields.parent_id.is_some_and(|p| p == survivor.id || merged_ids.contains(&p)) {
                fields.parent_id = None;
            }
            crate::companies::check(&mut tx, actor, &mut lookups, Some(survivor.id), Some(&before), &mut fields)
                .await?;
            let saved =
                stored_companies::update(&mut tx, survivor.id, survivor.version, &before, &fields, actor.user_id, at);
            if !saved.await? {
                return Err(AppError::Stale { current: survivor.version + 1 });
            }
            records::changes(Some(&before), &fields)
        }
        RecordKind::Person => {
            let before: PersonFields = input::draft::<PersonDraft>(Value::Object(survivor.draft.clone()))?.parse()?;
            let mut fields: PersonFields = input::draft::<PersonDraft>(Value::Object(combined))?.parse()?;
            crate::people::check(&mut tx, actor, &mut lookups, Some(&before), &mut fields, &Default::default()).await?;
            let saved =
                stored_people::update(&mut tx, survivor.id, survivor.version, &before, &fields, actor.user_id, at);
            if !saved.await? {
                return Err(AppError::Stale { current: survivor.version + 1 });
            }
            records::changes(Some(&before), &fields)
        }
    };
    changes.push(Change { field: "merged_ids".into(), old: Value::Null, new: json!(merged_ids) });
    audit::record(&mut tx, kind_str, survivor.id, "merge", actor.user_id, at, &changes).await?;
    tx.commit().await?;
    Ok(match kind {
        RecordKind::Company => serde_json::to_value(crate::companies::get(app, actor, survivor.id).await?),
        RecordKind::Person => serde_json::to_value(crate::people::get(app, actor, survivor.id).await?),
    }
    .unwrap_or(Value::Null))
}

/// The record a merged id now lives on: `Merged` (the web layer redirects) when `id` was
/// merged, the given error otherwise.
pub(crate) async fn redirect(ex: &mut impl Exec, kind: RecordKind, id: Uuid, error: AppError) -> AppError {
    if !matches!(error, AppError::NotFound) {
        return error;
    }
    match store::survivor_of(ex, kind, id).await {
        Ok(Some(survivor)) => AppError::Merged { kind: kind_name(kind), survivor },
        Ok(None) => error,
        Err(store) => store.into(),
    }
}
