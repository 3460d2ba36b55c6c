//! Undoing an import: the records it created are deleted, the records it changed get
//! back what they were before (kept with the batch when it changed them), in one
//! transaction. The rule: an undo is refused, whole, when any of those records was
//! changed by anyone after the import (its version moved on), or a company it created is
//! referred to since; an undo never throws away work done after the import.

use rapport_core::companies::CompanyDraft;
use rapport_core::people::PersonDraft;
use rapport_store::imports::{self as store, Linked};
use rapport_store::jobs::Job;
use rapport_store::{Exec, Tx, audit};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::jobs::{JobError, JobFuture, Progress};
use crate::{Actor, App, AppError, now, records};

const PAGE: u64 = 500;

fn refused(message: String) -> AppError {
    AppError::Conflict { message: format!("{message}; nothing was undone"), referrers: vec![] }
}

async fn undo_company(tx: &mut Tx, actor: &Actor, record: &Linked) -> Result<(), AppError> {
    let Some(current) = rapport_store::companies::get(tx, record.record_id).await? else { return Ok(()) };
    if current.version != record.version {
        return Err(refused(format!("{} ({}) was changed after the import", current.fields.name, current.code)));
    }
    let at = now();
    match &record.before {
        None => {
            if !rapport_store::companies::referrers(tx, current.id).await?.is_empty() {
                return Err(refused(format!(
                    "{} ({}) has people or subsidiaries now",
                    current.fields.name, current.code
                )));
            }
            rapport_store::companies::delete(tx, current.id).await?;
            let gone = records::changes(Some(&current.fields), &json!({}));
            audit::record(tx, "company", current.id, "delete", actor.user_id, at, &gone).await?;
        }
        Some(before) => {
            let draft: CompanyDraft =
                serde_json::from_value(before.0.clone()).map_err(|e| AppError::BadRequest(e.to_string()))?;
            let fields = draft.parse()?;
            let changes = records::changes(Some(&current.fields), &fields);
            rapport_store::companies::update(
                tx,
                current.id,
                current.version,
                &current.fields,
                &fields,
                actor.user_id,
                at,
            )
            .await?;
            audit::record(tx, "company", current.id, "update", actor.user_id, at, &changes).await?;
        }
    }
    Ok(())
}

async fn undo_person(tx: &mut Tx, actor: &Actor, record: &Linked) -> Result<(), AppError> {
    let Some(current) = rapport_store::people::get(tx, record.record_id).await? else { return Ok(()) };
    if current.version != record.version {
        return Err(refused(format!("{} was changed after the import", current.full_name)));
    }
    let at = now();
    match &record.before {
        None => {
            rapport_store::people::delete(tx, current.id).await?;
            let gone = records::changes(Some(&current.fields), &json!({}));
            audit::record(tx, "person", current.id, "delete", actor.user_id, at, &gone).await?;
        }
        Some(before) => {
            let draft: PersonDraft =
                serde_json::from_value(before.0.clone()).map_err(|e| AppError::BadRequest(e.to_string()))?;
            let fields = draft.parse()?;
            let changes = records::changes(Some(&current.fields), &fields);
            rapport_store::people::update(tx, current.id, current.version, &current.fields, &fields, actor.user_id, at)
                .await?;
            audit::record(tx, "person", current.id, "update", actor.user_id, at, &changes).await?;
        }
    }
    Ok(())
}

/// Undoes import `id` as `actor`; a refusal leaves everything as it was.
pub(crate) async fn undo_now(app: &App, actor: &Actor, id: Uuid) -> Result<u64, AppError> {
    let mut tx = app.db.begin().await?;
    let mut after = None;
    let mut count = 0;
    loop {
        let page = store::linked(&mut tx, id, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.record_id);
        for record in &page {
            match record.record_kind.as_str() {
                "company" => undo_company(&mut tx, actor, record).await?,
                _ => undo_person(&mut tx, actor, record).await?,
            }
            count += 1;
        }
    }
    let at = tx.ts(now());
    store::set(&mut tx, id, vec![("state", "undone".into()), ("undone_at", at), ("undone_by", actor.user_id.into())])
        .await?;
    tx.commit().await?;
    Ok(count)
}

pub(crate) fn run(app: App, job: Job, _progress: Progress) -> JobFuture {
    Box::pin(async move {
        let id = job.payload.get("import_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok());
        let id = id.ok_or_else(|| JobError::Fatal("the job names no import".into()))?;
        let import =
            store::get(&mut app.reader(), id).await?.ok_or_else(|| JobError::Fatal("the import is gone".into()))?;
        let actor = match import.created_by.zip(job.created_by) {
            Some((_, by)) => {
                let user = rapport_store::users::get(&mut app.reader(), by)
                    .await?
                    .ok_or_else(|| JobError::Fatal("the user is gone".into()))?;
                Actor::load(&app, &user).await?
            }
            None => Actor::system(),
        };
        match undo_now(&app, &actor, id).await {
            Ok(count) => Ok(json!({"undone": count})),
            Err(error) => {
                let message = error.to_string();
                let mut tx = app.db.begin().await?;
                store::set(&mut tx, id, vec![("state", "done".into()), ("error", message.clone().into())]).await?;
                tx.commit().await?;
                Err(JobError::Fatal(message))
            }
        }
    })
}
