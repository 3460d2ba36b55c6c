//! The history of administrative records (users, custom field definitions, category
//! kinds): who changed what and when, for administrators.

use rapport_store::audit::{self, Entry};
use uuid::Uuid;

use crate::{Actor, App, AppError};

pub async fn of_admin_record(app: &App, actor: &Actor, id: Uuid) -> Result<Vec<Entry>, AppError> {
    actor.require_admin()?;
    let entries = audit::history(&mut app.reader(), id, 1000).await?;
    if entries.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(entries)
}
