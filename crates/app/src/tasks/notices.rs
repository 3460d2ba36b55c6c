//! What a change to a task tells people: the assignee that it was given to them (unless
//! they gave it to themselves), and the users its description newly mentions who may see it.

use rapport_core::tasks::Task;
use rapport_store::Tx;

use crate::notifications::mentions::{self, Mentioned};
use crate::notifications::{Event, actor_name, deliver, task_notice};
use crate::{Actor, AppError};

/// Runs in the change's transaction; `before` is the task as it was (none: just created).
pub(super) async fn after_change(
    tx: &mut Tx,
    mail: bool,
    actor: &Actor,
    before: Option<&Task>,
    task: &Task,
) -> Result<(), AppError> {
    let assignee = task.fields.assignee_id;
    let reassigned = before.is_none_or(|b| b.fields.assignee_id != assignee);
    if let Some(assignee) = assignee.filter(|a| reassigned && Some(*a) != actor.user_id) {
        let by = actor_name(tx, actor).await?;
        deliver(tx, mail, &task_notice(assignee, Event::Assignment, task, by.as_deref())).await?;
    }
    let after = task.fields.description.as_deref().unwrap_or("");
    let old = before.and_then(|b| b.fields.description.as_deref());
    let target = Mentioned { title: &task.fields.title, record: "task", link: format!("/tasks/{}", task.id) };
    for user in mentions::newly_mentioned(tx, actor, old, after).await? {
        let them = Actor::load_in(tx, &user).await?;
        if super::access::may_see(tx, &them, task).await? {
            mentions::tell(tx, mail, actor, &user, &target).await?;
        }
    }
    Ok(())
}
