//! Sharing a company or person with a user or a team, for reading or editing.

use rapport_core::Invalid;
use rapport_core::access::Action;
use rapport_core::audit::Change;
use rapport_store::access::{self as store, Share};
use rapport_store::{Exec, audit, users};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::access::{self, Guarded};
use crate::{Actor, App, AppError, companies, input, now, people};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ShareDraft {
    user_id: Option<Uuid>,
    team_id: Option<Uuid>,
    access: Option<String>,
}

/// The record kinds that can be shared, as the API names their collections.
pub fn kind_of(collection: &str) -> Option<&'static str> {
    match collection {
        "companies" | "company" => Some("company"),
        "people" | "person" => Some("person"),
        _ => None,
    }
}

pub(crate) async fn guarded(ex: &mut impl Exec, kind: &str, id: Uuid) -> Result<(Guarded, String), AppError> {
    let found = match kind {
        "company" => companies::guarded(ex, id).await?,
        _ => people::guarded(ex, id).await?,
    };
    found.ok_or(AppError::NotFound)
}

pub async fn list(app: &App, actor: &Actor, kind: &str, id: Uuid) -> Result<Vec<Share>, AppError> {
    let mut db = app.reader();
    let (record, _) = guarded(&mut db, kind, id).await?;
    access::check(&mut db, actor, &record, Action::Read).await?;
    Ok(store::shares(&mut db, id).await?)
}

pub async fn create(app: &App, actor: &Actor, kind: &str, id: Uuid, body: Value) -> Result<Share, AppError> {
    input::object_body(&body)?;
    let draft: ShareDraft = input::draft(body)?;
    let mut tx = app.db.begin().await?;
    let (record, _) = guarded(&mut tx, kind, id).await?;
    access::check(&mut tx, actor, &record, Action::Update).await?;
    let mut invalid = Invalid::default();
    let access = draft.access.as_deref().unwrap_or("read");
    if access != "read" && access != "edit" {
        invalid.push("access", "invalid_choice", "access must be read or edit");
    }
    match (draft.user_id, draft.team_id) {
        (Some(user), None) => {
            if users::get(&mut tx, user).await?.is_none() {
                invalid.push("user_id", "unknown_user", "no user has this id");
            }
        }
        (None, Some(team)) => {
            if !store::teams(&mut tx).await?.iter().any(|t| t.id == team) {
                invalid.push("team_id", "unknown_team", "no team has this id");
            }
        }
        _ => invalid.push("user_id", "required", "share with exactly one of user_id or team_id"),
    }
    invalid.into_result(()).map_err(AppError::from)?;
    let share = Share {
        id: Uuid::now_v7(),
        record_id: id,
        record_kind: kind.to_string(),
        user_id: draft.user_id,
        team_id: draft.team_id,
        access: access.to_string(),
        created_at: now(),
        created_by: actor.user_id,
    };
    store::insert_share(&mut tx, &share).await?;
    let change = Change {
        field: "shares".into(),
        old: Value::Null,
        new: json!({"user_id": share.user_id, "team_id": share.team_id, "access": share.access}),
    };
    audit::record(&mut tx, kind, id, "share", actor.user_id, share.created_at, &[change]).await?;
    tx.commit().await?;
    // Whoever it is shared with now has shares to look for in their lists.
    app.callers.clear();
    Ok(share)
}

pub async fn delete(app: &App, actor: &Actor, kind: &str, id: Uuid, share_id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let (record, _) = guarded(&mut tx, kind, id).await?;
    access::check(&mut tx, actor, &record, Action::Update).await?;
    let share = store::shares(&mut tx, id).await?.into_iter().find(|s| s.id == share_id).ok_or(AppError::NotFound)?;
    store::delete_share(&mut tx, id, share_id).await?;
    let change = Change {
        field: "shares".into(),
        old: json!({"user_id": share.user_id, "team_id": share.team_id, "access": share.access}),
        new: Value::Null,
    };
    audit::record(&mut tx, kind, id, "unshare", actor.user_id, now(), &[change]).await?;
    tx.commit().await?;
    app.callers.clear();
    Ok(())
}
