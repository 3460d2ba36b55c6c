//! A user's in-app notifications.

use rapport_store::notifications::{self as store, Notification};
use uuid::Uuid;

use crate::{Actor, App, AppError, now};

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Notification>, AppError> {
    let user = actor.user_id.ok_or(AppError::NotFound)?;
    Ok(store::for_user(&mut app.reader(), user, 200).await?)
}

pub async fn mark_read(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let user = actor.user_id.ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    if !store::mark_read(&mut tx, user, id, now()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
