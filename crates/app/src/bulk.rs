//! The bulk path: many companies or people checked like single writes, then written in
//! one transaction with multi-row statements. All or nothing: when any record is
//! invalid, nothing is written and every problem is reported with the record's position
//! (an import turns positions into line numbers).

use rapport_core::Invalid;
use rapport_core::access::Action;
use rapport_core::audit::Change;
use rapport_core::companies::{CompanyDraft, CompanyFields};
use rapport_core::people::{PersonDraft, PersonFields};
use rapport_store::audit::{self, Event};
use rapport_store::companies::{self as stored_companies, NewCompany};
use rapport_store::{people as stored_people, sequences};
use serde_json::Value;
use uuid::Uuid;

use crate::records::{self, Lookups};
use crate::{Actor, App, AppError, companies, input, now, people};

/// Why a bulk load was refused: each invalid record's position and problems.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    #[error("{} record(s) are invalid; nothing was written", .0.len())]
    Invalid(Vec<(usize, Invalid)>),
    #[error(transparent)]
    App(#[from] AppError),
}

/// Records that parsed, and the problems of those that did not, each with its position.
type Parsed<F> = (Vec<(usize, F)>, Vec<(usize, Invalid)>);

fn parse_all<D: serde::de::DeserializeOwned, F>(
    actor: &Actor,
    kind: &str,
    drafts: Vec<Value>,
    parse: impl Fn(&D) -> Result<F, Invalid>,
) -> Parsed<F> {
    let mut parsed = Vec::with_capacity(drafts.len());
    let mut problems = Vec::new();
    for (i, body) in drafts.into_iter().enumerate() {
        let result = input::object_body(&body)
            .and_then(|()| actor.check_writable(kind, &records::touched_fields(&body)))
            .and_then(|()| input::draft::<D>(body));
        match result.map(|draft| parse(&draft)) {
            Ok(Ok(fields)) => parsed.push((i, fields)),
            Ok(Err(invalid)) | Err(AppError::Invalid(invalid)) => problems.push((i, invalid)),
            Err(other) => problems.push((i, Invalid::one("", "invalid", other.to_string()))),
        }
    }
    (parsed, problems)
}

/// Creates many companies at once; returns their ids in the order given.
pub async fn create_companies(app: &App, actor: &Actor, drafts: Vec<Value>) -> Result<Vec<Uuid>, BulkError> {
    actor.require("company", Action::Create)?;
    let (mut parsed, mut problems) = parse_all(actor, "company", drafts, CompanyDraft::parse);
    let mut tx = app.db.begin().await.map_err(AppError::from)?;
    let mut lookups = Lookups::load(&mut tx).await?;
    for (i, fields) in parsed.iter_mut() {
        fields.owner_id = fields.owner_id.or(actor.user_id);
        let owner = records::check_owner(actor, "company", fields.owner_id);
        match owner.and(companies::check(&mut tx, actor, &mut lookups, None, None, fields).await) {
            Ok(()) => {}
            Err(AppError::Invalid(invalid)) => problems.push((*i, invalid)),
            Err(other) => return Err(other.into()),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|(i, _)| *i);
        return Err(BulkError::Invalid(problems));
    }
    let parsed: Vec<CompanyFields> = parsed.into_iter().map(|(_, fields)| fields).collect();
    let written = write_companies(&mut tx, app, actor, &parsed, now()).await?;
    tx.commit().await.map_err(AppError::from)?;
    app.db.optimize().await.map_err(AppError::from)?;
    Ok(written.into_iter().map(|(id, _)| id).collect())
}

/// Writes new companies and their history in the caller's transaction: codes from the
/// sequence, multi-row inserts. Returns each one's id and code, in the order given.
pub(crate) async fn write_companies(
    tx: &mut rapport_store::Tx,
    app: &App,
    actor: &Actor,
    parsed: &[CompanyFields],
    at: time::OffsetDateTime,
) -> Result<Vec<(Uuid, String)>, AppError> {
    if parsed.is_empty() {
        return Ok(Vec::new());
    }
    let count = parsed.len() as i64;
    let first = sequences::next_block(tx, "company_code", count).await?;
    let prefix = &app.settings.company_code_prefix;
    let ids: Vec<Uuid> = parsed.iter().map(|_| Uuid::now_v7()).collect();
    let codes: Vec<String> = (0..count).map(|n| format!("{prefix}{:06}", first + n)).collect();
    let rows: Vec<NewCompany<'_>> =
        parsed.iter().zip(&ids).zip(&codes).map(|((fields, id), code)| NewCompany { id: *id, code, fields }).collect();
    stored_companies::insert_many(tx, &rows, actor.user_id, at).await?;
    let changes: Vec<Vec<Change>> = parsed.iter().map(|f| records::changes(None::<&CompanyFields>, f)).collect();
    record_creations(tx, "company", &ids, &changes, actor, at).await?;
    Ok(ids.into_iter().zip(codes).collect())
}

/// Creates many people at once; returns their ids in the order given.
pub async fn create_people(app: &App, actor: &Actor, drafts: Vec<Value>) -> Result<Vec<Uuid>, BulkError> {
    actor.require("person", Action::Create)?;
    let (mut parsed, mut problems) = parse_all(actor, "person", drafts, PersonDraft::parse);
    let mut tx = app.db.begin().await.map_err(AppError::from)?;
    let mut lookups = Lookups::load(&mut tx).await?;
    for (i, fields) in parsed.iter_mut() {
        fields.owner_id = fields.owner_id.or(actor.user_id);
        let owner = records::check_owner(actor, "person", fields.owner_id);
        match owner.and(people::check(&mut tx, actor, &mut lookups, None, fields, &Default::default()).await) {
            Ok(()) => {}
            Err(AppError::Invalid(invalid)) => problems.push((*i, invalid)),
            Err(other) => return Err(other.into()),
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|(i, _)| *i);
        return Err(BulkError::Invalid(problems));
    }
    let parsed: Vec<PersonFields> = parsed.into_iter().map(|(_, fields)| fields).collect();
    let ids = write_people(&mut tx, actor, &parsed, now()).await?;
    tx.commit().await.map_err(AppError::from)?;
    app.db.optimize().await.map_err(AppError::from)?;
    Ok(ids)
}

/// Writes new people and their history in the caller's transaction with multi-row
/// inserts. Returns their ids, in the order given.
pub(crate) async fn write_people(
    tx: &mut rapport_store::Tx,
    actor: &Actor,
    parsed: &[PersonFields],
    at: time::OffsetDateTime,
) -> Result<Vec<Uuid>, AppError> {
    if parsed.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = parsed.iter().map(|_| Uuid::now_v7()).collect();
    let rows: Vec<(Uuid, &PersonFields)> = ids.iter().copied().zip(parsed.iter()).collect();
    stored_people::insert_many(tx, &rows, actor.user_id, at).await?;
    let changes: Vec<Vec<Change>> = parsed.iter().map(|f| records::changes(None::<&PersonFields>, f)).collect();
    record_creations(tx, "person", &ids, &changes, actor, at).await?;
    Ok(ids)
}

async fn record_creations(
    tx: &mut rapport_store::Tx,
    kind: &str,
    ids: &[Uuid],
    changes: &[Vec<Change>],
    actor: &Actor,
    at: time::OffsetDateTime,
) -> Result<(), AppError> {
    let events: Vec<Event<'_>> = ids
        .iter()
        .zip(changes)
        .map(|(id, changes)| Event { record_kind: kind, record_id: *id, action: "create", changes })
        .collect();
    audit::record_many(tx, &events, actor.user_id, at).await?;
    Ok(())
}
