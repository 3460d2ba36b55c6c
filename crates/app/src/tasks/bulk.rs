//! The bulk path for tasks: many drafts checked as single creates are, then written in
//! one transaction with multi-row statements and one history entry each. All or nothing,
//! with every problem reported at its record's position (for imports and loads).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rapport_core::Invalid;
use rapport_core::tasks::{TaskDraft, TaskFields};
use rapport_core::zone::Zone;
use rapport_store::audit::{self, Event};
use rapport_store::tasks::{self as store, NewTask};
use rapport_store::users;
use serde_json::Value;
use uuid::Uuid;

use crate::bulk::BulkError;
use crate::{Actor, App, AppError, calendar, companies, input, now, people, records};

/// What the checks of many tasks read once: assignees' zones and whether they may be
/// given tasks, and which related records the actor may see.
#[derive(Default)]
struct Seen {
    zones: HashMap<Uuid, Option<Zone>>,
    companies: HashMap<Uuid, bool>,
    people: HashMap<Uuid, bool>,
}

/// Creates many tasks at once; returns their ids in the order given.
pub async fn create_many(app: &App, actor: &Actor, drafts: Vec<Value>) -> Result<Vec<Uuid>, BulkError> {
    let mut tx = app.db.begin().await.map_err(AppError::from)?;
    let mut seen = Seen::default();
    let mut parsed: Vec<TaskFields> = Vec::with_capacity(drafts.len());
    let mut problems = Vec::new();
    for (i, body) in drafts.into_iter().enumerate() {
        match check(&mut tx, actor, &mut seen, body).await {
            Ok(fields) => parsed.push(fields),
            Err(AppError::Invalid(invalid)) => problems.push((i, invalid)),
            Err(other) => return Err(other.into()),
        }
    }
    if !problems.is_empty() {
        return Err(BulkError::Invalid(problems));
    }
    let ids: Vec<Uuid> = parsed.iter().map(|_| Uuid::now_v7()).collect();
    let rows: Vec<NewTask<'_>> = parsed
        .iter()
        .zip(&ids)
        .map(|(fields, id)| NewTask {
            id: *id,
            fields,
            series_id: fields.recurrence.as_ref().map(|_| *id),
            occurrence: 1,
        })
        .collect();
    let at = now();
    store::insert_many(&mut tx, &rows, actor.user_id, at).await.map_err(AppError::from)?;
    let changes: Vec<_> = parsed.iter().map(|fields| records::changes(None::<&TaskFields>, fields)).collect();
    let events: Vec<Event<'_>> = ids
        .iter()
        .zip(&changes)
        .map(|(id, changes)| Event { record_kind: super::KIND, record_id: *id, action: "create", changes })
        .collect();
    audit::record_many(&mut tx, &events, actor.user_id, at).await.map_err(AppError::from)?;
    tx.commit().await.map_err(AppError::from)?;
    Ok(ids)
}

async fn check(
    tx: &mut rapport_store::Tx,
    actor: &Actor,
    seen: &mut Seen,
    body: Value,
) -> Result<TaskFields, AppError> {
    input::object_body(&body)?;
    let draft: TaskDraft = input::draft(body)?;
    let assignee = super::assignee_of(actor, &draft)?;
    if let Entry::Vacant(slot) = seen.zones.entry(assignee) {
        let active = users::get(tx, assignee).await?.is_some_and(|u| u.disabled_at.is_none());
        slot.insert(if active { Some(calendar::zone_of(tx, assignee).await?) } else { None });
    }
    let Some(zone) = seen.zones[&assignee].clone() else {
        return Err(Invalid::one("assignee_id", "unknown_user", "no active user has this id").into());
    };
    let mut fields = draft.parse(&zone)?;
    fields.assignee_id = Some(assignee);
    let mut invalid = Invalid::default();
    if let Some(company) = fields.company_id {
        if let Entry::Vacant(slot) = seen.companies.entry(company) {
            slot.insert(companies::visible(tx, actor, company).await?);
        }
        if !seen.companies[&company] {
            invalid.push("company_id", "unknown_company", "no company has this id");
        }
    }
    if let Some(person) = fields.person_id {
        if let Entry::Vacant(slot) = seen.people.entry(person) {
            slot.insert(people::visible(tx, actor, person).await?);
        }
        if !seen.people[&person] {
            invalid.push("person_id", "unknown_person", "no person has this id");
        }
    }
    for (i, watcher) in fields.watchers.iter().enumerate() {
        let active = match seen.zones.get(watcher) {
            Some(zone) => zone.is_some(),
            None => users::get(tx, *watcher).await?.is_some_and(|u| u.disabled_at.is_none()),
        };
        if !active {
            invalid.push(format!("watchers[{i}]"), "unknown_user", "no active user has this id");
        }
    }
    invalid.into_result(fields).map_err(AppError::from)
}
