//! Task use cases: create (by hand, or placed in the assignee's next free slot), read,
//! change, complete (which makes the next occurrence of a recurring task), delete and
//! list, each change with its history in one transaction.

mod access;
mod bulk;
mod list;
mod notices;
mod recurring;
mod schedule;

pub use bulk::create_many;
pub use list::list;
pub use schedule::{Schedule, create_scheduled, create_scheduled_in};

pub(crate) use access::visibility;

use rapport_core::Invalid;
use rapport_core::access::Action;
use rapport_core::merge_patch;
use rapport_core::tasks::{Task, TaskDraft, TaskFields};
use rapport_core::zone::Zone;
use rapport_store::audit::{self, Entry};
use rapport_store::tasks::{self as store, NewTask};
use rapport_store::{Exec, Tx, users};
use serde_json::Value;
use uuid::Uuid;

use crate::{Actor, App, AppError, calendar, companies, input, now, people, records};

const KIND: &str = "task";

/// A change to a task, and the next occurrence its completion made, if any.
#[derive(Debug, Clone)]
pub struct Updated {
    pub task: Task,
    pub next: Option<Task>,
}

async fn load(ex: &mut impl Exec, actor: &Actor, id: Uuid, action: Action) -> Result<Task, AppError> {
    let task = store::get(ex, id).await?.ok_or(AppError::NotFound)?;
    access::check(ex, actor, &task, action).await?;
    Ok(task)
}

/// The assignee a draft names, else the actor.
fn assignee_of(actor: &Actor, draft: &TaskDraft) -> Result<Uuid, AppError> {
    draft.assignee_id.or(actor.user_id).ok_or_else(|| {
        Invalid::one("assignee_id", "required", "a task needs an assignee (the user who is to do it)").into()
    })
}

/// Parses a draft in the assignee's zone (unless it names one) and checks what the
/// database must confirm: an active assignee and watchers, related records the actor may
/// see (one already there may stay), a rule that repeats. `before` is the stored task
/// when changing one.
pub(crate) async fn prepare(
    ex: &mut impl Exec,
    actor: &Actor,
    draft: &TaskDraft,
    before: Option<&Task>,
) -> Result<TaskFields, AppError> {
    let assignee = assignee_of(actor, draft)?;
    let zone = calendar::zone_of(ex, assignee).await?;
    let mut fields = draft.parse(&zone)?;
    fields.assignee_id = Some(assignee);
    let mut invalid = Invalid::default();
    match users::get(ex, assignee).await? {
        None => invalid.push("assignee_id", "unknown_user", "no user has this id"),
        Some(user) if user.disabled_at.is_some() && before.is_none_or(|b| b.fields.assignee_id != Some(assignee)) => {
            invalid.push("assignee_id", "inactive_user", "this user is disabled and cannot be given tasks")
        }
        Some(_) => {}
    }
    for (i, watcher) in fields.watchers.iter().enumerate() {
        if users::get(ex, *watcher).await?.is_none_or(|u| u.disabled_at.is_some()) {
            invalid.push(format!("watchers[{i}]"), "unknown_user", "no active user has this id");
        }
    }
    let kept = |get: fn(&TaskFields) -> Option<Uuid>, id: Uuid| before.is_some_and(|b| get(&b.fields) == Some(id));
    if let Some(company) = fields.company_id
        && !kept(|f| f.company_id, company)
        && !companies::visible(ex, actor, company).await?
    {
        invalid.push("company_id", "unknown_company", "no company has this id");
    }
    if let Some(person) = fields.person_id
        && !kept(|f| f.person_id, person)
        && !people::visible(ex, actor, person).await?
    {
        invalid.push("person_id", "unknown_person", "no person has this id");
    }
    if let (Some(rule), Some(start)) = (&fields.recurrence, fields.due_local())
        && rule.without_end().nth(start, &fields.time_zone, 2).is_none()
    {
        invalid.push("recurrence", "never_repeats", "this rule gives no date after the task's own");
    }
    invalid.into_result(fields).map_err(AppError::from)
}

/// Writes a new task and its history in the caller's transaction, and reads it back.
pub(crate) async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    fields: &TaskFields,
    series: Option<(Uuid, u32)>,
    created_by: Option<Uuid>,
) -> Result<Task, AppError> {
    let id = Uuid::now_v7();
    let (series_id, occurrence) = match series {
        Some((series, n)) => (Some(series), n),
        None if fields.recurrence.is_some() => (Some(id), 1),
        None => (None, 1),
    };
    let at = now();
    let new = NewTask { id, fields, series_id, occurrence };
    store::insert_many(tx, &[new], created_by.or(actor.user_id), at).await?;
    let changes = records::changes(None::<&TaskFields>, fields);
    audit::record(tx, KIND, id, "create", actor.user_id, at, &changes).await?;
    store::get(tx, id).await?.ok_or(AppError::NotFound)
}

/// Creates a task in the caller's transaction, for use cases that make tasks as part of
/// their own change (a campaign step, a workflow).
pub async fn create_in(tx: &mut Tx, actor: &Actor, draft: &TaskDraft) -> Result<Task, AppError> {
    let fields = prepare(tx, actor, draft, None).await?;
    insert(tx, actor, &fields, None, None).await
}

/// `POST /tasks`: a task from a JSON body. With `"schedule": "next_free_slot"` (and
/// `duration_minutes`, optionally `not_before`), it is placed in the assignee's next free
/// slot instead of at a given time.
pub async fn create(app: &App, actor: &Actor, body: Value) -> Result<Task, AppError> {
    input::object_body(&body)?;
    let (body, schedule) = schedule::take(body)?;
    let draft: TaskDraft = input::draft(body)?;
    if let Some(schedule) = schedule {
        return create_scheduled(app, actor, draft, schedule).await;
    }
    let mut tx = app.db.begin().await?;
    let task = create_in(&mut tx, actor, &draft).await?;
    notices::after_change(&mut tx, app.settings.mail_enabled(), actor, None, &task).await?;
    tx.commit().await?;
    Ok(task)
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<Task, AppError> {
    load(&mut app.reader(), actor, id, Action::Read).await
}

/// Applies a JSON merge patch. Setting `due_at` replaces a `due_date` and the other way
/// round; changing `time_zone` alone keeps the wall-clock time. Completing a recurring
/// task (`"status": "done"`) makes its next occurrence in the same transaction.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<Updated, AppError> {
    input::object_body(&patch)?;
    let mut tx = app.db.begin().await?;
    tx.lock_row("tasks", id).await?;
    let current = load(&mut tx, actor, id, Action::Update).await?;
    records::check_version(expected_version, current.version)?;
    let mut merged =
        serde_json::to_value(current.fields.to_draft()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    if let (Value::Object(base), Value::Object(changes)) = (&mut merged, &patch) {
        for (given, other) in [("due_at", "due_date"), ("due_date", "due_at")] {
            if changes.get(given).is_some_and(|v| !v.is_null()) && !changes.contains_key(other) {
                base.remove(other);
            }
        }
    }
    merge_patch::apply(&mut merged, &patch);
    let draft: TaskDraft = input::draft(merged)?;
    let fields = prepare(&mut tx, actor, &draft, Some(&current)).await?;
    let changes = records::changes(Some(&current.fields), &fields);
    if changes.is_empty() {
        return Ok(Updated { task: current, next: None });
    }
    let at = now();
    if !store::update(&mut tx, &current, &fields, actor.user_id, at).await? {
        return Err(AppError::Stale { current: current.version + 1 });
    }
    audit::record(&mut tx, KIND, id, "update", actor.user_id, at, &changes).await?;
    let next = recurring::after_update(&mut tx, actor, &current, &fields).await?;
    let task = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    notices::after_change(&mut tx, app.settings.mail_enabled(), actor, Some(&current), &task).await?;
    tx.commit().await?;
    Ok(Updated { task, next })
}

pub async fn delete(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    tx.lock_row("tasks", id).await?;
    let current = load(&mut tx, actor, id, Action::Delete).await?;
    store::delete(&mut tx, id).await?;
    let gone = records::changes(Some(&current.fields), &serde_json::json!({}));
    audit::record(&mut tx, KIND, id, "delete", actor.user_id, now(), &gone).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn history(app: &App, actor: &Actor, id: Uuid) -> Result<Vec<Entry>, AppError> {
    let mut db = app.reader();
    load(&mut db, actor, id, Action::Read).await?;
    records::history(&mut db, actor, KIND, id).await
}

/// Whether the actor may change the task (for showing the buttons that would).
pub async fn may_change(app: &App, actor: &Actor, task: &Task) -> Result<bool, AppError> {
    match access::check(&mut app.reader(), actor, task, Action::Update).await {
        Ok(()) => Ok(true),
        Err(AppError::Forbidden(_)) | Err(AppError::NotFound) => Ok(false),
        Err(other) => Err(other),
    }
}

/// The zone a new task of `user` is in by default: theirs, else UTC.
pub async fn default_zone(app: &App, user: Uuid) -> Result<Zone, AppError> {
    calendar::zone_of(&mut app.reader(), user).await
}

/// The users a task can be given to (the active ones), by name.
pub async fn assignable(app: &App) -> Result<Vec<(Uuid, String)>, AppError> {
    let mut found: Vec<(Uuid, String)> = users::list(&mut app.reader())
        .await?
        .into_iter()
        .filter(|u| u.disabled_at.is_none())
        .map(|u| (u.id, u.name))
        .collect();
    found.sort_by_key(|(_, name)| name.to_lowercase());
    Ok(found)
}
