//! The bulk path for activities: many drafts checked as single creates are (replies
//! aside: a reply belongs to a conversation, logged one at a time), then written in one
//! transaction with multi-row statements and one history entry each. All or nothing,
//! with every problem reported at its record's position (for imports and loads).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rapport_core::Invalid;
use rapport_core::activities::{ActivityDraft, ActivityFields};
use rapport_store::activities::{self as store, NewActivity};
use rapport_store::audit::{self, Event};
use rapport_store::{Tx, users};
use serde_json::Value;
use uuid::Uuid;

use crate::bulk::BulkError;
use crate::{Actor, App, AppError, calendar, companies, input, now, people, records};

/// What the checks of many activities read once.
#[derive(Default)]
struct Seen {
    kinds: Vec<rapport_core::activities::KindKey>,
    records: HashMap<Uuid, bool>,
    users: HashMap<Uuid, bool>,
    threads: HashMap<Uuid, bool>,
}

/// Creates many activities at once; returns their ids in the order given.
pub async fn create_many(app: &App, actor: &Actor, drafts: Vec<Value>) -> Result<Vec<Uuid>, BulkError> {
    let mut tx = app.db.begin().await.map_err(AppError::from)?;
    let kinds = store::kinds(&mut tx).await.map_err(AppError::from)?;
    let mut seen = Seen { kinds: kinds.into_iter().map(|k| k.key).collect(), ..Default::default() };
    let zone = match actor.user_id {
        Some(me) => calendar::zone_of(&mut tx, me).await?,
        None => rapport_core::zone::Zone::utc(),
    };
    let mut parsed: Vec<(ActivityFields, Vec<Uuid>)> = Vec::with_capacity(drafts.len());
    let mut problems = Vec::new();
    for (i, body) in drafts.into_iter().enumerate() {
        match check(&mut tx, actor, &mut seen, &zone, body).await {
            Ok(fields) => parsed.push(fields),
            Err(AppError::Invalid(invalid)) => problems.push((i, invalid)),
            Err(other) => return Err(other.into()),
        }
    }
    if !problems.is_empty() {
        return Err(BulkError::Invalid(problems));
    }
    let ids: Vec<Uuid> = parsed.iter().map(|_| Uuid::now_v7()).collect();
    let rows: Vec<NewActivity<'_>> =
        parsed.iter().zip(&ids).map(|((fields, employers), id)| NewActivity { id: *id, fields, employers }).collect();
    let at = now();
    store::insert_many(&mut tx, &rows, actor.user_id, at).await.map_err(AppError::from)?;
    let changes: Vec<_> = parsed.iter().map(|(fields, _)| records::changes(None::<&ActivityFields>, fields)).collect();
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
    tx: &mut Tx,
    actor: &Actor,
    seen: &mut Seen,
    zone: &rapport_core::zone::Zone,
    body: Value,
) -> Result<(ActivityFields, Vec<Uuid>), AppError> {
    input::object_body(&body)?;
    let draft: ActivityDraft = input::draft(body)?;
    let mut fields = draft.parse(now(), zone)?;
    if draft.user_ids.is_none() {
        fields.user_ids = actor.user_id.into_iter().collect();
    }
    let mut invalid = Invalid::default();
    if !seen.kinds.contains(&fields.kind) {
        invalid.push("kind", "unknown_kind", "no kind of activity has this key");
    }
    if fields.reply_to_id.is_some() {
        invalid.push("reply_to_id", "not_in_bulk", "replies are logged one at a time");
    }
    if let Some(company) = fields.company_id {
        if let Entry::Vacant(slot) = seen.records.entry(company) {
            slot.insert(companies::visible(tx, actor, company).await?);
        }
        if !seen.records[&company] {
            invalid.push("company_id", "unknown_company", "no company has this id");
        }
    }
    for (i, person) in fields.person_ids.iter().enumerate() {
        if let Entry::Vacant(slot) = seen.records.entry(*person) {
            slot.insert(people::visible(tx, actor, *person).await?);
        }
        if !seen.records[person] {
            invalid.push(format!("person_ids[{i}]"), "unknown_person", "no person has this id");
        }
    }
    for (i, user) in fields.user_ids.iter().enumerate() {
        if let Entry::Vacant(slot) = seen.users.entry(*user) {
            slot.insert(users::get(tx, *user).await?.is_some_and(|u| u.disabled_at.is_none()));
        }
        if !seen.users[user] {
            invalid.push(format!("user_ids[{i}]"), "unknown_user", "no active user has this id");
        }
    }
    if let Some(thread) = fields.thread_id {
        if let Entry::Vacant(slot) = seen.threads.entry(thread) {
            slot.insert(store::get_thread(tx, thread).await?.is_some());
        }
        if !seen.threads[&thread] {
            invalid.push("thread_id", "unknown_thread", "no thread has this id");
        }
    }
    let fields = invalid.into_result(fields)?;
    let employers = store::employers(tx, &fields.person_ids).await?;
    Ok((fields, employers))
}
