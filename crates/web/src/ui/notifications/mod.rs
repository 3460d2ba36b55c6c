//! `/notifications`: what the user should hear of (reminders, tasks given to them,
//! mentions, approvals), unread first, with marking read; the words of notifications in
//! the reader's language, for pages and emails alike.

pub mod mail;
pub mod preferences;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::notifications::{self, Notification};
use serde_json::Value;

use super::companies::parse_id;
use super::context::Viewer;
use super::i18n::L;
use super::layout::{Shell, UiError, l};
use crate::AppState;

pub struct Item {
    pub id: String,
    pub message: String,
    pub at: String,
    /// A page of ours to open, when the notification points at one.
    pub link: String,
    pub unread: bool,
    /// What became of its email, worded for the reader; empty without one.
    pub email: String,
    pub email_failed: bool,
}

/// The notification's words in the reader's language: from its parts where it has them,
/// else its stored wording.
pub fn words(l: &L, n: &Notification) -> String {
    let param = |name: &str| n.params.as_ref().and_then(|p| p.get(name)).and_then(Value::as_str).unwrap_or("");
    let (title, due, actor) = (param("title"), param("due"), param("actor"));
    match n.kind.as_str() {
        "reminder" if due.is_empty() => l.args("notification-reminder-undated", &[("title", title)]),
        "reminder" => l.args("notification-reminder", &[("title", title), ("due", due)]),
        "assignment" => l.args("notification-assignment", &[("title", title), ("actor", actor)]),
        "mention" => l.args("notification-mention", &[("title", title), ("actor", actor)]),
        _ => n.message.clone(),
    }
}

/// A page of ours the notification links to: task, company and person pages (approvals
/// name the record's API address).
fn page_link(link: Option<&str>) -> String {
    let link = link.unwrap_or("");
    let link = link.strip_prefix("/api/v1").unwrap_or(link);
    let ours = ["/tasks/", "/companies/", "/people/", "/activities/"].iter().any(|p| link.starts_with(p));
    if ours { link.to_string() } else { String::new() }
}

pub fn item(l: &L, n: &Notification) -> Item {
    let email = match n.email_state.as_deref() {
        Some("sent") => l.t("notifications-email-sent"),
        Some("queued") => l.t("notifications-email-queued"),
        Some("failed") => l.args("notifications-email-failed", &[("error", n.email_error.as_deref().unwrap_or(""))]),
        _ => String::new(),
    };
    Item {
        id: n.id.to_string(),
        message: words(l, n),
        at: l.datetime(n.created_at),
        link: page_link(n.link.as_deref()),
        unread: n.read_at.is_none(),
        email,
        email_failed: n.email_state.as_deref() == Some("failed"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    shell: Shell,
    l: L,
    unread: Vec<Item>,
    read: Vec<Item>,
}

pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let (unread, read): (Vec<Item>, Vec<Item>) =
        notifications::list(&state.app, viewer.actor()).await?.iter().map(|n| item(&l, n)).partition(|i| i.unread);
    let shell = Shell::new(&viewer.ctx, l.t("notifications-title"), "notifications");
    Ok(NotificationsPage { shell, l, unread, read }.into_response())
}

pub async fn mark_read(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    notifications::mark_read(&state.app, viewer.actor(), id).await?;
    Ok(Redirect::to("/notifications").into_response())
}

pub async fn mark_all_read(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    notifications::mark_all_read(&state.app, viewer.actor()).await?;
    Ok(Redirect::to("/notifications").into_response())
}
