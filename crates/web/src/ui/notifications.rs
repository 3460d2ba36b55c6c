//! `/notifications`: what waits for the user (approvals, decisions), and marking it read.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::notifications;

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
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    shell: Shell,
    l: L,
    items: Vec<Item>,
}

pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let items = notifications::list(&state.app, viewer.actor())
        .await?
        .into_iter()
        .map(|n| Item {
            id: n.id.to_string(),
            message: n.message,
            at: l.datetime(n.created_at),
            // Links name API addresses; only those of records that have a page here are offered.
            link: n
                .link
                .and_then(|link| link.strip_prefix("/api/v1").map(str::to_string))
                .filter(|link| link.starts_with("/companies/") || link.starts_with("/people/"))
                .unwrap_or_default(),
            unread: n.read_at.is_none(),
        })
        .collect();
    let page =
        NotificationsPage { shell: Shell::new(&viewer.ctx, l.t("notifications-title"), "notifications"), l, items };
    Ok(page.into_response())
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
