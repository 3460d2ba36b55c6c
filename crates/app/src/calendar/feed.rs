//! Each user's iCalendar feed at a secret URL, for the calendar programs people already
//! use. The secret is kept as it is (not hashed, unlike passwords and tokens): the user
//! must be able to see their URL again to subscribe another program, and it opens
//! nothing but a read-only view of their own tasks and meetings. Revoking it makes a new one; the old
//! URL then answers 404.

use rapport_core::calendar::WorkingHours;
use rapport_core::calendar::ical::{self, Event, Todo};
use rapport_store::calendar as store;
use rapport_store::listing::Page;
use rapport_store::tasks::{self as stored_tasks, TaskFilter, TaskVisibility};
use rapport_store::{Tx, audit, users};
use time::Duration;

use crate::{Actor, App, AppError, auth, now};

/// How far back the feed reaches: older tasks are history, not plans.
const FEED_PAST_DAYS: i64 = 90;
const FEED_TASKS: u64 = 2000;
/// How far ahead the feed lists meetings.
const FEED_FUTURE_DAYS: i64 = 730;

fn me(actor: &Actor) -> Result<uuid::Uuid, AppError> {
    actor.user_id.ok_or_else(|| AppError::Forbidden("a calendar feed belongs to a signed-in user".into()))
}

async fn store_token(tx: &mut Tx, actor: &Actor, token: Option<&str>, action: &str) -> Result<(), AppError> {
    let user = me(actor)?;
    let defaults = WorkingHours::default().to_map();
    store::set_feed_token(tx, user, token, (super::DEFAULT_ZONE, &defaults), now()).await?;
    audit::record(tx, "calendar_feed", user, action, actor.user_id, now(), &[]).await?;
    Ok(())
}

/// The secret of the actor's feed, if they have one.
pub async fn current_feed_token(app: &App, actor: &Actor) -> Result<Option<String>, AppError> {
    Ok(store::settings(&mut app.reader(), me(actor)?).await?.and_then(|s| s.feed_token))
}

/// The secret of the actor's feed, made on first use.
pub async fn feed_token(app: &App, actor: &Actor) -> Result<String, AppError> {
    let user = me(actor)?;
    if let Some(token) = store::settings(&mut app.reader(), user).await?.and_then(|s| s.feed_token) {
        return Ok(token);
    }
    let mut tx = app.db.begin().await?;
    tx.lock_row("users", user).await?;
    // Another request may have made it meanwhile: keep theirs.
    if let Some(token) = store::settings(&mut tx, user).await?.and_then(|s| s.feed_token) {
        return Ok(token);
    }
    let token = auth::random_secret();
    store_token(&mut tx, actor, Some(&token), "create").await?;
    tx.commit().await?;
    Ok(token)
}

/// A new secret for the actor's feed; the old URL stops working.
pub async fn rotate_feed(app: &App, actor: &Actor) -> Result<String, AppError> {
    let mut tx = app.db.begin().await?;
    let token = auth::random_secret();
    store_token(&mut tx, actor, Some(&token), "rotate").await?;
    tx.commit().await?;
    Ok(token)
}

/// Turns the actor's feed off; asking for its URL again makes a new one.
pub async fn revoke_feed(app: &App, actor: &Actor) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    store_token(&mut tx, actor, None, "revoke").await?;
    tx.commit().await?;
    Ok(())
}

/// The feed a secret opens, as iCalendar text: the owner's tasks from three months back
/// on, undated ones too, as VTODO, and the meetings they take part in from then to two
/// years ahead as VEVENT in their zone; each links to its page under `base_url`.
pub async fn render_feed(app: &App, token: &str, base_url: &str) -> Result<String, AppError> {
    if token.is_empty() || token.len() > 100 {
        return Err(AppError::NotFound);
    }
    let mut db = app.reader();
    let user_id = store::feed_owner(&mut db, token).await?.ok_or(AppError::NotFound)?;
    let user = users::get(&mut db, user_id).await?.ok_or(AppError::NotFound)?;
    if user.disabled_at.is_some() {
        return Err(AppError::NotFound);
    }
    let at = now();
    let filter = TaskFilter {
        visibility: TaskVisibility { all: true, ..Default::default() },
        assignees: Some(vec![user_id]),
        due_from: Some(at - Duration::days(FEED_PAST_DAYS)),
        ..Default::default()
    };
    let page = Page { limit: FEED_TASKS, column: "due_key", descending: false, after: None };
    let (tasks, _) = stored_tasks::list(&mut db, &filter, &page).await?;
    let base = base_url.trim_end_matches('/');
    let todos: Vec<Todo> = tasks
        .into_iter()
        .map(|task| Todo {
            id: task.id,
            url: format!("{base}/tasks/{}", task.id),
            summary: task.fields.title,
            description: task.fields.description,
            due: task.fields.due,
            zone: task.fields.time_zone,
            status: task.fields.status,
            priority: task.fields.priority,
            created: task.created_at,
            modified: task.updated_at,
            completed: task.completed_at,
            version: task.version,
        })
        .collect();
    let zone = super::zone_of(&mut db, user_id).await?;
    let meetings = rapport_store::activities::meetings(
        &mut db,
        user_id,
        at - Duration::days(FEED_PAST_DAYS),
        at + Duration::days(FEED_FUTURE_DAYS),
    )
    .await?;
    let events: Vec<Event> = meetings
        .into_iter()
        .filter_map(|meeting| {
            let busy = meeting.fields.busy()?;
            Some(Event {
                id: meeting.id,
                url: format!("{base}/activities/{}", meeting.id),
                summary: meeting.fields.subject,
                description: meeting.fields.body,
                start: zone.local(busy.start),
                end: zone.local(busy.end),
                zone: zone.clone(),
                modified: meeting.updated_at,
                version: meeting.version,
            })
        })
        .collect();
    Ok(ical::write(&format!("Rapport: {}", user.name), &todos, &events, at))
}
