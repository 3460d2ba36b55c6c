//! Deletion approval (FEATURES A10): a user who may not delete a customer asks; the
//! owner's manager (or an administrator) approves or rejects. Approval deletes the
//! record when nothing refers to it and archives it otherwise. Every step is in the
//! record's history and reaches the people involved as a notification.

use rapport_core::Invalid;
use rapport_core::access::Action;
use rapport_core::text;
use rapport_store::access as stored_access;
use rapport_store::deletion_requests::{self as store, DeletionRequest};
use rapport_store::{Exec, Tx, audit, companies as stored_companies, people as stored_people, users};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::notifications::{Event, Notice, deliver};
use crate::{Actor, App, AppError, access, input, now, shares};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RequestDraft {
    kind: Option<String>,
    id: Option<Uuid>,
    reason: Option<String>,
}

/// The manager of the team the owner belongs to; `None` leaves the decision to administrators.
async fn approver_for(ex: &mut impl Exec, owner: Option<Uuid>) -> Result<Option<Uuid>, AppError> {
    let Some(owner) = owner else { return Ok(None) };
    let Some(team) = users::get(ex, owner).await?.and_then(|u| u.team_id) else { return Ok(None) };
    let manager = stored_access::teams(ex).await?.into_iter().find(|t| t.id == team).and_then(|t| t.manager_id);
    Ok(manager)
}

async fn notify_deciders(
    tx: &mut Tx,
    mail: bool,
    approver: Option<Uuid>,
    message: &str,
    link: &str,
) -> Result<(), AppError> {
    let deciders: Vec<Uuid> = match approver {
        Some(user) => vec![user],
        None => users::list(tx)
            .await?
            .into_iter()
            .filter(|u| u.role == "admin" && u.disabled_at.is_none())
            .map(|u| u.id)
            .collect(),
    };
    for user in deciders {
        deliver(tx, mail, &approval(user, "deletion_request", message, Some(link))).await?;
    }
    Ok(())
}

/// An approval's notification: its own English wording, no parts to word it otherwise.
fn approval(user_id: Uuid, kind: &'static str, message: &str, link: Option<&str>) -> Notice {
    Notice {
        user_id,
        event: Event::Approval,
        kind,
        message: message.to_string(),
        params: serde_json::json!({}),
        link: link.map(str::to_string),
    }
}

pub async fn file(app: &App, actor: &Actor, body: Value) -> Result<DeletionRequest, AppError> {
    // Not `input::object_body`: here `id` names the record to delete, it is no server-set field
    // (anything else but kind, id and reason is refused as an unknown field).
    let draft: RequestDraft = input::draft(body)?;
    let requester =
        actor.user_id.ok_or_else(|| AppError::Forbidden("a deletion request needs a signed-in user".into()))?;
    let mut invalid = Invalid::default();
    let kind = draft.kind.as_deref().and_then(shares::kind_of);
    if kind.is_none() {
        invalid.push("kind", "invalid_choice", "kind must be company or person");
    }
    if draft.id.is_none() {
        invalid.push("id", "required", "is required");
    }
    let reason = invalid.take("reason", text::required(draft.reason.as_deref(), 2000));
    let (Some(kind), Some(id), Some(reason)) = (kind, draft.id, reason) else { return Err(invalid.into()) };
    let mut tx = app.db.begin().await?;
    let (record, name) = shares::guarded(&mut tx, kind, id).await?;
    access::check(&mut tx, actor, &record, Action::Read).await?;
    if store::pending_for_record(&mut tx, id).await?.is_some() {
        return Err(AppError::Conflict {
            message: "a deletion request for this record is already pending".into(),
            referrers: vec![],
        });
    }
    let approver = approver_for(&mut tx, record.owner_id).await?;
    let request = DeletionRequest {
        id: Uuid::now_v7(),
        record_kind: kind.to_string(),
        record_id: id,
        record_name: name.clone(),
        reason: reason.clone(),
        status: "pending".into(),
        requested_by: requester,
        approver_id: approver,
        decided_by: None,
        decided_at: None,
        outcome: None,
        created_at: now(),
    };
    store::insert(&mut tx, &request).await?;
    let change =
        rapport_core::audit::Change { field: "deletion_request".into(), old: Value::Null, new: Value::from(reason) };
    audit::record(&mut tx, kind, id, "deletion_requested", actor.user_id, request.created_at, &[change]).await?;
    let link = format!("/api/v1/deletion-requests/{}", request.id);
    notify_deciders(
        &mut tx,
        app.settings.mail_enabled(),
        approver,
        &format!("Deletion of {name} was requested"),
        &link,
    )
    .await?;
    tx.commit().await?;
    Ok(request)
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<DeletionRequest>, AppError> {
    let involving = if actor.is_admin() { None } else { actor.user_id };
    Ok(store::list(&mut app.reader(), involving, 500).await?)
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<DeletionRequest, AppError> {
    let request = store::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)?;
    let involved = actor.user_id.is_some_and(|u| u == request.requested_by || Some(u) == request.approver_id);
    if involved || actor.is_admin() { Ok(request) } else { Err(AppError::NotFound) }
}

/// Approves (`true`) or rejects a pending request; only its approver or an administrator may.
pub async fn decide(app: &App, actor: &Actor, id: Uuid, approve: bool) -> Result<DeletionRequest, AppError> {
    let request = get(app, actor, id).await?;
    let decider = actor.user_id.filter(|u| Some(*u) == request.approver_id || actor.is_admin());
    let Some(decider) = decider else {
        return Err(AppError::Forbidden("only the owner's manager or an administrator decides this request".into()));
    };
    if request.status != "pending" {
        return Err(AppError::Conflict {
            message: format!("the request was already {}", request.status),
            referrers: vec![],
        });
    }
    let mut tx = app.db.begin().await?;
    let at = now();
    let kind = request.record_kind.as_str();
    if approve && shares::guarded(&mut tx, kind, request.record_id).await.is_err() {
        return Err(AppError::Conflict {
            message: format!("{} no longer exists", request.record_name),
            referrers: vec![],
        });
    }
    let outcome = if approve { Some(remove(&mut tx, kind, request.record_id, decider).await?) } else { None };
    if !store::decide(&mut tx, id, if approve { "approved" } else { "rejected" }, outcome, decider, at).await? {
        return Err(AppError::Conflict { message: "someone decided this request first".into(), referrers: vec![] });
    }
    let action = if approve { "deletion_approved" } else { "deletion_rejected" };
    audit::record(&mut tx, kind, request.record_id, action, Some(decider), at, &[]).await?;
    let verdict = match outcome {
        Some("deleted") => "approved: the record was deleted",
        Some(_) => "approved: the record is referred to by others, so it was archived",
        None => "rejected",
    };
    let message = format!("Your request to delete {} was {verdict}", request.record_name);
    let notice = approval(request.requested_by, "deletion_decided", &message, None);
    deliver(&mut tx, app.settings.mail_enabled(), &notice).await?;
    tx.commit().await?;
    get(app, actor, id).await
}

/// Deletes the record when nothing refers to it, else archives it; says which.
async fn remove(tx: &mut Tx, kind: &str, id: Uuid, by: Uuid) -> Result<&'static str, AppError> {
    let at = now();
    let referred = match kind {
        "company" => !stored_companies::referrers(tx, id).await?.is_empty(),
        _ => !stored_people::referrers(tx, id).await?.is_empty(),
    };
    if referred {
        match kind {
            "company" => stored_companies::set_archived(tx, id, true, Some(by), at).await?,
            _ => stored_people::set_archived(tx, id, true, Some(by), at).await?,
        }
        audit::record(tx, kind, id, "archive", Some(by), at, &[]).await?;
        return Ok("archived");
    }
    match kind {
        "company" => stored_companies::delete(tx, id).await?,
        _ => stored_people::delete(tx, id).await?,
    }
    audit::record(tx, kind, id, "delete", Some(by), at, &[]).await?;
    Ok("deleted")
}
