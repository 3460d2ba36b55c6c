//! Users mentioned (`@login`) in a text a user wrote: a task's description now, an
//! activity's body later. The words are parsed in `rapport_core::mentions`; here they
//! become users, and notifications for those who may see the record.
//!
//! An area whose records carry text calls, in the transaction of the change:
//!
//! ```ignore
//! let mail = app.settings.mail_enabled();
//! let target = Mentioned { title: &subject, record: "activity", link: format!("/activities/{id}") };
//! for user in mentions::newly_mentioned(&mut tx, actor, old_body, &new_body).await? {
//!     let them = Actor::load_in(&mut tx, &user).await?;
//!     if activities::may_see(&mut tx, &them, &activity).await? {
//!         mentions::tell(&mut tx, mail, actor, &user, &target).await?;
//!     }
//! }
//! ```

use rapport_core::mentions::new_mentions;
use rapport_store::users::{self, User};
use rapport_store::{Exec, Tx};
use serde_json::json;
use uuid::Uuid;

use super::{Event, Notice, actor_name, deliver};
use crate::{Actor, AppError};

/// The record a text belongs to, as the notification names and links it.
#[derive(Debug, Clone)]
pub struct Mentioned<'a> {
    pub title: &'a str,
    /// The kind of record (`task`, `activity`), for the wording.
    pub record: &'a str,
    /// Its page, e.g. `/tasks/{id}`.
    pub link: String,
}

/// The active users that `after` mentions and `before` did not, other than the actor.
pub async fn newly_mentioned(
    ex: &mut impl Exec,
    actor: &Actor,
    before: Option<&str>,
    after: &str,
) -> Result<Vec<User>, AppError> {
    let logins: Vec<String> = new_mentions(before, after).into_iter().map(|m| m.login().to_string()).collect();
    let found = users::active_by_logins(ex, &logins).await?;
    Ok(found.into_iter().filter(|u| Some(u.id) != actor.user_id).collect())
}

/// The notification telling `user` that `by` mentioned them in `target`.
pub fn notice(user: Uuid, by: Option<&str>, target: &Mentioned<'_>) -> Notice {
    let by = by.unwrap_or("Rapport");
    Notice {
        user_id: user,
        event: Event::Mention,
        kind: "mention",
        message: format!("{by} mentioned you in the {} {}", target.record, target.title),
        params: json!({"title": target.title, "actor": by, "record": target.record}),
        link: Some(target.link.clone()),
    }
}

/// Notifies `user`, mentioned by the actor, of `target` (the caller checked that they
/// may see it, e.g. with `Actor::load_in(tx, &user)` and the area's own visibility rule).
pub async fn tell(tx: &mut Tx, mail: bool, actor: &Actor, user: &User, target: &Mentioned<'_>) -> Result<(), AppError> {
    let by = actor_name(tx, actor).await?;
    deliver(tx, mail, &notice(user.id, by.as_deref(), target)).await?;
    Ok(())
}
