//! Duplicate detection use cases: the check a new company or person goes through before
//! it is created, the same check for a draft (`POST /duplicates/check`), and the batch
//! scan of a whole kind (see [`scan`]).
//!
//! Candidates come from the blocking-key index (rapport_store::duplicates), are scored
//! by rapport_core::duplicates, and only records the caller may see are named: a
//! candidate nobody may see is never revealed by a 409.

use std::cmp::Ordering;

use rapport_core::companies::{CompanyDraft, CompanyFields};
use rapport_core::custom_fields::RecordKind;
use rapport_core::duplicates::{self as rules, Profile, Reason};
use rapport_core::people::{PersonDraft, PersonFields};
use rapport_store::Exec;
pub mod scan;

use rapport_store::duplicates as store;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use rapport_core::access::Action;

use crate::access::{self, Guarded};
use crate::{Actor, App, AppError, input};

/// The body flag (and API query parameter) by which a client says it creates the record
/// knowing that it looks like an existing one.
pub const CONFIRM_FLAG: &str = "confirm_duplicate";

/// Candidates named at most in one answer, best first.
const SHOWN: usize = 10;

/// An existing record that a new or given one may repeat.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub id: Uuid,
    pub kind: &'static str,
    pub name: String,
    pub score: f64,
    pub reasons: Vec<Reason>,
    pub archived: bool,
}

/// Which kind of record: its collection name in the API (`companies`, `people`).
pub fn kind_of(collection: &str) -> Result<RecordKind, AppError> {
    match collection {
        "companies" | "company" => Ok(RecordKind::Company),
        "people" | "person" => Ok(RecordKind::Person),
        other => {
            Err(rapport_core::Invalid::one("kind", "invalid_choice", format!("{other:?} is not companies or people"))
                .into())
        }
    }
}

pub(crate) fn kind_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Company => "company",
        RecordKind::Person => "person",
    }
}

/// Takes the confirmation flag out of a create body: true when the client confirmed.
pub(crate) fn take_confirmation(body: &mut Value) -> Result<bool, AppError> {
    let Some(object) = body.as_object_mut() else { return Ok(false) };
    match object.remove(CONFIRM_FLAG) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(confirmed)) => Ok(confirmed),
        Some(_) => Err(rapport_core::Invalid::one(CONFIRM_FLAG, "invalid_type", "must be true or false").into()),
    }
}

/// A record found under a key, as far as scoring and access need it.
pub(crate) struct Found {
    pub guard: Guarded,
    pub name: String,
    pub profile: Profile,
    pub archived: bool,
}

/// Loads records found by the index, whatever their kind.
pub(crate) async fn load(ex: &mut impl Exec, kind: RecordKind, ids: &[Uuid]) -> Result<Vec<Found>, AppError> {
    Ok(match kind {
        RecordKind::Company => rapport_store::companies::get_many(ex, ids)
            .await?
            .into_iter()
            .map(|c| Found {
                guard: crate::companies::guard(&c),
                name: c.fields.name.clone(),
                profile: Profile::company(&c.fields, Some(&c.code)),
                archived: c.archived_at.is_some(),
            })
            .collect(),
        RecordKind::Person => rapport_store::people::get_many(ex, ids)
            .await?
            .into_iter()
            .map(|p| Found {
                guard: crate::people::guard(&p),
                name: p.full_name.clone(),
                profile: Profile::person(&p.fields),
                archived: p.archived_at.is_some(),
            })
            .collect(),
    })
}

/// The records the actor may see that `profile` may repeat, best first.
pub(crate) async fn candidates(
    ex: &mut impl Exec,
    actor: &Actor,
    kind: RecordKind,
    profile: &Profile,
    except: &[Uuid],
) -> Result<Vec<Candidate>, AppError> {
    let ids = store::candidates(ex, kind, profile, except).await?;
    let mut scored: Vec<(Found, rules::Match)> = load(ex, kind, &ids)
        .await?
        .into_iter()
        .filter_map(|found| rules::score(profile, &found.profile).map(|m| (found, m)))
        .filter(|(_, m)| m.score >= rules::THRESHOLD)
        .collect();
    scored.sort_by(|a, b| b.1.score.partial_cmp(&a.1.score).unwrap_or(Ordering::Equal));
    let mut out = Vec::new();
    for (found, matched) in scored {
        if out.len() == SHOWN {
            break;
        }
        match access::check(ex, actor, &found.guard, Action::Read).await {
            Ok(()) => out.push(Candidate {
                id: found.guard.id,
                kind: kind_name(kind),
                name: found.name,
                score: matched.score,
                reasons: matched.reasons,
                archived: found.archived,
            }),
            Err(AppError::NotFound | AppError::Forbidden(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(out)
}

/// Refuses a new company that looks like an existing one, unless confirmed.
pub(crate) async fn refuse_company(
    ex: &mut impl Exec,
    actor: &Actor,
    fields: &CompanyFields,
    confirmed: bool,
) -> Result<(), AppError> {
    if confirmed {
        return Ok(());
    }
    let found = candidates(ex, actor, RecordKind::Company, &Profile::company(fields, None), &[]).await?;
    if found.is_empty() { Ok(()) } else { Err(AppError::DuplicateSuspected(found)) }
}

/// Refuses a new person who looks like an existing one, unless confirmed.
pub(crate) async fn refuse_person(
    ex: &mut impl Exec,
    actor: &Actor,
    fields: &PersonFields,
    confirmed: bool,
) -> Result<(), AppError> {
    if confirmed {
        return Ok(());
    }
    let found = candidates(ex, actor, RecordKind::Person, &Profile::person(fields), &[]).await?;
    if found.is_empty() { Ok(()) } else { Err(AppError::DuplicateSuspected(found)) }
}

/// The records a draft may repeat: `{"kind": "companies" | "people", "record": {...}}`,
/// the record as it would be created. `except` leaves a record out (the one being edited).
pub async fn check(app: &App, actor: &Actor, body: Value) -> Result<Vec<Candidate>, AppError> {
    input::object_body(&body)?;
    let kind = kind_of(body.get("kind").and_then(Value::as_str).unwrap_or_default())?;
    actor.require(kind_name(kind), Action::Read)?;
    let except: Vec<Uuid> =
        body.get("except").and_then(Value::as_str).and_then(|s| s.parse().ok()).into_iter().collect();
    let record = body.get("record").cloned().unwrap_or(Value::Object(Default::default()));
    let profile = match kind {
        RecordKind::Company => {
            let draft: CompanyDraft = input::draft(record)?;
            Profile::company(&draft.parse()?, None)
        }
        RecordKind::Person => {
            let draft: PersonDraft = input::draft(record)?;
            Profile::person(&draft.parse()?)
        }
    };
    candidates(&mut app.reader(), actor, kind, &profile, &except).await
}
