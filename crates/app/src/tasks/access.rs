//! Who sees and changes which tasks.
//!
//! A user sees the tasks assigned to them, those they created or watch, those assigned to
//! their team (see `Actor::team_users`), and those about a company or person they may
//! see. They change a task assigned to them or created by them, or one of their team's
//! when their role may change the team's companies; administrators see and change all.

use rapport_core::access::{Action, Scope};
use rapport_core::tasks::Task;
use rapport_store::Exec;
use rapport_store::tasks::TaskVisibility;

use crate::{Actor, AppError, companies, people};

/// The tasks the actor may see, as a predicate the list query carries.
pub(crate) fn visibility(actor: &Actor) -> TaskVisibility {
    if actor.is_admin() {
        return TaskVisibility { all: true, ..Default::default() };
    }
    let readable = |kind: &str| (actor.scope(kind, Action::Read) != Scope::None).then(|| actor.visibility(kind));
    TaskVisibility {
        all: false,
        user_id: actor.user_id,
        assignees: actor.team_users().to_vec(),
        companies: readable("company"),
        people: readable("person"),
    }
}

fn own(actor: &Actor, task: &Task) -> bool {
    actor.user_id.is_some_and(|me| task.fields.assignee_id == Some(me) || task.created_by == Some(me))
}

fn team_covers(actor: &Actor, task: &Task, action: Action) -> bool {
    let team = task.fields.assignee_id.is_some_and(|a| actor.team_users().contains(&a));
    team && actor.scope("company", action) >= Scope::Team
}

/// Whether the actor may see the task (the same rules as [`visibility`], for one task).
pub(crate) async fn may_see(ex: &mut impl Exec, actor: &Actor, task: &Task) -> Result<bool, AppError> {
    if actor.is_admin() || own(actor, task) {
        return Ok(true);
    }
    if actor.user_id.is_some_and(|me| task.fields.watchers.contains(&me)) {
        return Ok(true);
    }
    if task.fields.assignee_id.is_some_and(|a| actor.team_users().contains(&a)) {
        return Ok(true);
    }
    if let Some(company) = task.fields.company_id
        && companies::visible(ex, actor, company).await?
    {
        return Ok(true);
    }
    if let Some(person) = task.fields.person_id
        && people::visible(ex, actor, person).await?
    {
        return Ok(true);
    }
    Ok(false)
}

/// Fails with 404 when the actor may not see the task, 403 when they may see it but not
/// change (`Update`) or delete it.
pub(crate) async fn check(ex: &mut impl Exec, actor: &Actor, task: &Task, action: Action) -> Result<(), AppError> {
    if !may_see(ex, actor, task).await? {
        return Err(AppError::NotFound);
    }
    if action == Action::Read || actor.is_admin() || own(actor, task) || team_covers(actor, task, action) {
        return Ok(());
    }
    Err(AppError::Forbidden(format!(
        "only the assignee, the creator, their manager or an administrator may {} this task",
        action.as_str()
    )))
}
