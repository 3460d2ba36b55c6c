//! Notifications: what happened that a user should hear of (a reminder came due, a task
//! was given to them, someone mentioned them, an approval waits), in the app and by
//! email, as each user chose for each kind of event.
//!
//! A use case calls [`deliver`] in its own transaction: the notification, and the job
//! that emails it, exist exactly when the change does. The email job (see [`mail`]) is
//! retried with the queue's backoff; after its last attempt the failure is kept on the
//! notification, for its user and for administrators to see.

pub mod mail;
pub mod mentions;
pub mod reminders;

pub use rapport_store::notifications::Notification;
use rapport_store::notifications::{self as store, NewNotification, Preference};
use rapport_store::{Exec, Tx, users};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{Actor, App, AppError, now};

/// The kinds of event a user chooses how to hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Reminder,
    Assignment,
    Mention,
    Approval,
}

impl Event {
    pub const ALL: [Event; 4] = [Event::Reminder, Event::Assignment, Event::Mention, Event::Approval];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Reminder => "reminder",
            Event::Assignment => "assignment",
            Event::Mention => "mention",
            Event::Approval => "approval",
        }
    }

    pub fn parse(text: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == text)
    }
}

/// How a user hears of one kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Channels {
    pub event: Event,
    pub in_app: bool,
    pub email: bool,
}

/// Without a choice of their own, a user hears of everything in the app and by email.
fn channels(stored: &[Preference], event: Event) -> Channels {
    stored
        .iter()
        .find(|p| p.kind == event.as_str())
        .map(|p| Channels { event, in_app: p.in_app, email: p.email })
        .unwrap_or(Channels { event, in_app: true, email: true })
}

/// One notification to deliver.
#[derive(Debug, Clone)]
pub struct Notice {
    pub user_id: Uuid,
    pub event: Event,
    /// The notification's own kind (`reminder`, `deletion_request`, ...).
    pub kind: &'static str,
    /// The English wording, for API clients and as the fallback of every catalogue.
    pub message: String,
    /// What pages and emails word the message from, in the reader's language.
    pub params: Value,
    /// The page of the record, e.g. `/tasks/{id}`.
    pub link: Option<String>,
}

/// Writes `notice` as its user chose (in the app, by email, both or neither), queuing the
/// email job in the same transaction. `mail` says whether this server sends email at all.
pub async fn deliver(tx: &mut Tx, mail: bool, notice: &Notice) -> Result<Option<Uuid>, AppError> {
    let chosen = channels(&store::preferences(tx, notice.user_id).await?, notice.event);
    let address = if mail && chosen.email {
        users::get(tx, notice.user_id).await?.and_then(|u| u.email.filter(|_| u.disabled_at.is_none()))
    } else {
        None
    };
    if !chosen.in_app && address.is_none() {
        return Ok(None);
    }
    let new = NewNotification {
        user_id: notice.user_id,
        kind: notice.kind,
        message: &notice.message,
        params: Some(notice.params.clone()),
        link: notice.link.as_deref(),
        read: !chosen.in_app,
        email_state: address.is_some().then_some("queued"),
    };
    let at = now();
    let id = store::insert(tx, &new, at).await?;
    if address.is_some() {
        mail::queue(tx, id).await?;
    }
    Ok(Some(id))
}

/// A page of the caller's notifications, newest first.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub items: Vec<Notification>,
    pub next_cursor: Option<String>,
    pub unread_count: i64,
}

pub const MAX_PAGE: u64 = 500;
/// The bell counts up to this many; more shows as "99+".
pub const COUNT_CAP: u64 = 100;

fn me(actor: &Actor) -> Result<Uuid, AppError> {
    actor.user_id.ok_or(AppError::NotFound)
}

/// The caller's notifications, newest first, `limit` at a time after `cursor`.
pub async fn page(
    app: &App,
    actor: &Actor,
    unread_only: bool,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page, AppError> {
    let user = me(actor)?;
    let before = match cursor {
        Some(text) => Some(Uuid::parse_str(text).map_err(|_| AppError::BadRequest("cursor is not valid".into()))?),
        None => None,
    };
    let limit = limit.clamp(1, MAX_PAGE);
    let mut db = app.reader();
    let mut items = store::page(&mut db, user, unread_only, before, limit + 1).await?;
    let more = items.len() as u64 > limit;
    items.truncate(limit as usize);
    let next_cursor = if more { items.last().map(|n| n.id.to_string()) } else { None };
    let unread_count = store::unread_count(&mut db, user, COUNT_CAP).await?;
    Ok(Page { items, next_cursor, unread_count })
}

/// The caller's notifications for the page: the unread ones first, then the latest read.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Notification>, AppError> {
    let user = me(actor)?;
    let mut db = app.reader();
    let mut items = store::page(&mut db, user, true, None, 200).await?;
    let read = store::page(&mut db, user, false, None, 100).await?;
    items.extend(read.into_iter().filter(|n| n.read_at.is_some()));
    Ok(items)
}

/// How many notifications wait unread (up to [`COUNT_CAP`]): the bell's figure.
pub async fn unread_count(app: &App, user: Uuid) -> Result<i64, AppError> {
    Ok(store::unread_count(&mut app.reader(), user, COUNT_CAP).await?)
}

pub async fn mark_read(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let user = me(actor)?;
    let mut tx = app.db.begin().await?;
    if !store::mark_read(&mut tx, user, id, now()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Marks every unread notification of the caller read; how many there were.
pub async fn mark_all_read(app: &App, actor: &Actor) -> Result<u64, AppError> {
    let user = me(actor)?;
    let mut tx = app.db.begin().await?;
    let marked = store::mark_all_read(&mut tx, user, now()).await?;
    tx.commit().await?;
    Ok(marked)
}

/// The notifications whose email could not be sent, for administrators.
pub async fn email_failures(app: &App, actor: &Actor, cursor: Option<&str>) -> Result<Vec<Notification>, AppError> {
    actor.require_admin()?;
    let before = match cursor {
        Some(text) => Some(Uuid::parse_str(text).map_err(|_| AppError::BadRequest("cursor is not valid".into()))?),
        None => None,
    };
    Ok(store::email_failures(&mut app.reader(), before, 200).await?)
}

/// The caller's choice for every kind of event.
pub async fn preferences(app: &App, actor: &Actor) -> Result<Vec<Channels>, AppError> {
    let stored = store::preferences(&mut app.reader(), me(actor)?).await?;
    Ok(Event::ALL.into_iter().map(|e| channels(&stored, e)).collect())
}

/// Saves the caller's choices from `{"reminder": {"in_app": true, "email": false}, ...}`;
/// kinds left out keep their choice.
pub async fn set_preferences(app: &App, actor: &Actor, body: Value) -> Result<Vec<Channels>, AppError> {
    let user = me(actor)?;
    let Value::Object(fields) = &body else {
        return Err(AppError::BadRequest("the body must be a JSON object".into()));
    };
    let mut invalid = rapport_core::Invalid::default();
    let mut chosen = Vec::new();
    for (key, value) in fields {
        let Some(event) = Event::parse(key) else {
            invalid.push(
                key.clone(),
                "unknown_field",
                "not a kind of notification: reminder, assignment, mention or approval",
            );
            continue;
        };
        let flag = |name: &str| value.get(name).and_then(Value::as_bool);
        match (value.as_object(), flag("in_app"), flag("email")) {
            (Some(object), Some(in_app), Some(email)) if object.len() == 2 => {
                chosen.push(Preference { kind: event.as_str().into(), in_app, email })
            }
            _ => invalid.push(key.clone(), "invalid_type", "must be {\"in_app\": true|false, \"email\": true|false}"),
        }
    }
    invalid.into_result(())?;
    let mut tx = app.db.begin().await?;
    for choice in &chosen {
        store::save_preference(&mut tx, user, choice, now()).await?;
    }
    tx.commit().await?;
    preferences(app, actor).await
}

/// A task's reminder, assignment or mention, worded in English; `params` carry the parts.
pub(crate) fn task_notice(
    user_id: Uuid,
    event: Event,
    task: &rapport_core::tasks::Task,
    actor_name: Option<&str>,
) -> Notice {
    let title = task.fields.title.clone();
    let due = match task.fields.due {
        Some(rapport_core::tasks::Due::At(at)) => rapport_core::tasks::format_local(at).replace('T', " "),
        Some(rapport_core::tasks::Due::Date(day)) => rapport_core::tasks::format_date(day),
        None => String::new(),
    };
    let by = actor_name.unwrap_or("Rapport");
    let (kind, message) = match event {
        Event::Reminder if due.is_empty() => ("reminder", format!("Reminder: {title}")),
        Event::Reminder => ("reminder", format!("Reminder: {title} is due {due}")),
        Event::Assignment => ("assignment", format!("{by} gave you the task {title}")),
        Event::Mention => ("mention", format!("{by} mentioned you in the task {title}")),
        Event::Approval => ("approval", title.clone()),
    };
    Notice {
        user_id,
        event,
        kind,
        message,
        params: json!({"title": title, "due": due, "actor": by, "record": "task"}),
        link: Some(format!("/tasks/{}", task.id)),
    }
}

/// The name of the acting user, for wording what they did.
pub(crate) async fn actor_name(ex: &mut impl Exec, actor: &Actor) -> Result<Option<String>, AppError> {
    Ok(match actor.user_id {
        Some(id) => users::get(ex, id).await?.map(|u| u.name),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smtp_password_never_reaches_the_logs() {
        let settings =
            crate::Settings { smtp_url: Some("smtps://crm:s3cret@mail.example.com:465".into()), ..Default::default() };
        let shown = format!("{settings:?}");
        assert!(shown.contains("smtps://crm:***@mail.example.com:465") && !shown.contains("s3cret"), "{shown}");
    }

    #[test]
    fn without_a_choice_everything_is_on_and_a_choice_wins() {
        let stored = [Preference { kind: "mention".into(), in_app: false, email: true }];
        assert_eq!(channels(&stored, Event::Mention), Channels { event: Event::Mention, in_app: false, email: true });
        assert_eq!(channels(&stored, Event::Reminder), Channels { event: Event::Reminder, in_app: true, email: true });
        assert_eq!(Event::parse("approval"), Some(Event::Approval));
        assert_eq!(Event::parse("birthday"), None);
    }
}
