//! The kinds of activity: the built-in ones and those an administrator adds.

use rapport_core::activities::{ActivityKind, KindDraft};
use rapport_core::audit::Change;
use rapport_store::activities as store;
use rapport_store::audit;
use serde_json::{Value, json};

use crate::{Actor, App, AppError, input, now};

pub async fn kinds(app: &App) -> Result<Vec<ActivityKind>, AppError> {
    Ok(store::kinds(&mut app.reader()).await?)
}

/// `POST /activity-kinds {"key", "name"}`, for administrators; a key already taken is a
/// conflict.
pub async fn create_kind(app: &App, actor: &Actor, body: Value) -> Result<ActivityKind, AppError> {
    actor.require_admin()?;
    input::object_body(&body)?;
    let draft: KindDraft = input::draft(body)?;
    let kind = draft.parse()?;
    let mut tx = app.db.begin().await?;
    let at = now();
    if store::kinds(&mut tx).await?.iter().any(|k| k.key == kind.key) {
        return Err(AppError::Conflict {
            message: "a kind of activity with this key exists".into(),
            referrers: vec![],
        });
    }
    store::insert_kind(&mut tx, &kind, actor.user_id, at).await?;
    let changes = [
        Change { field: "key".into(), old: Value::Null, new: json!(kind.key) },
        Change { field: "name".into(), old: Value::Null, new: json!(kind.name) },
    ];
    audit::record(&mut tx, "activity_kind", uuid::Uuid::now_v7(), "create", actor.user_id, at, &changes).await?;
    tx.commit().await?;
    Ok(kind)
}
