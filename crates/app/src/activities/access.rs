//! Who sees and changes which activities.
//!
//! An activity is visible to whoever may see a company or person it is about (a company
//! it reaches through one of its people counts, so a visible card's whole timeline is
//! visible), to the user who logged it and to the users who took part; administrators
//! see all. Its author, its participants and administrators change it.

use rapport_core::access::{Action, Scope};
use rapport_core::activities::Activity;
use rapport_store::Exec;
use rapport_store::activities::{self as store, ActivityVisibility, COMPANY, EMPLOYER, PERSON};

use crate::{Actor, AppError, companies, people};

/// The activities the actor may see, as a predicate the list query carries.
pub(crate) fn visibility(actor: &Actor) -> ActivityVisibility {
    if actor.is_admin() {
        return ActivityVisibility { all: true, ..Default::default() };
    }
    let readable = |kind: &str| (actor.scope(kind, Action::Read) != Scope::None).then(|| actor.visibility(kind));
    ActivityVisibility {
        all: false,
        user_id: actor.user_id,
        companies: readable("company"),
        people: readable("person"),
    }
}

fn own(actor: &Actor, activity: &Activity) -> bool {
    actor.user_id.is_some_and(|me| activity.created_by == Some(me) || activity.fields.user_ids.contains(&me))
}

/// Whether the actor may see the activity (the rules of [`visibility`], for one).
pub(crate) async fn may_see(ex: &mut impl Exec, actor: &Actor, activity: &Activity) -> Result<bool, AppError> {
    if actor.is_admin() || own(actor, activity) {
        return Ok(true);
    }
    for (record, kind) in store::records_of(ex, activity.id).await? {
        let seen = match kind.as_str() {
            COMPANY | EMPLOYER => companies::visible(ex, actor, record).await?,
            PERSON => people::visible(ex, actor, record).await?,
            _ => false,
        };
        if seen {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether the actor may change the activity (having seen it).
pub(crate) fn may_change(actor: &Actor, activity: &Activity) -> bool {
    actor.is_admin() || own(actor, activity)
}

/// Fails with 404 when the actor may not see the activity, 403 when they may see it but
/// not change it.
pub(crate) async fn check(
    ex: &mut impl Exec,
    actor: &Actor,
    activity: &Activity,
    action: Action,
) -> Result<(), AppError> {
    if !may_see(ex, actor, activity).await? {
        return Err(AppError::NotFound);
    }
    if action == Action::Read || may_change(actor, activity) {
        return Ok(());
    }
    Err(AppError::Forbidden(format!(
        "only the author, the participants or an administrator may {} this activity",
        action.as_str()
    )))
}
