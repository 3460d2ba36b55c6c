//! What a change to an activity tells people: the users its body newly mentions, when
//! they may see the activity (a mention must not leak a conversation they cannot open).

use rapport_core::activities::Activity;
use rapport_store::Tx;

use crate::notifications::mentions::{self, Mentioned};
use crate::{Actor, AppError};

/// Runs in the change's transaction; `before` is the activity as it was (none: just logged).
pub(super) async fn after_change(
    tx: &mut Tx,
    mail: bool,
    actor: &Actor,
    before: Option<&Activity>,
    activity: &Activity,
) -> Result<(), AppError> {
    let after = activity.fields.body.as_deref().unwrap_or("");
    let old = before.and_then(|b| b.fields.body.as_deref());
    let target =
        Mentioned { title: &activity.fields.subject, record: "activity", link: format!("/activities/{}", activity.id) };
    for user in mentions::newly_mentioned(tx, actor, old, after).await? {
        let them = Actor::load_in(tx, &user).await?;
        if super::access::may_see(tx, &them, activity).await? {
            mentions::tell(tx, mail, actor, &user, &target).await?;
        }
    }
    Ok(())
}
