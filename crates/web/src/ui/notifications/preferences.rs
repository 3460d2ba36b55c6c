//! `/account/notifications`: how the user hears of each kind of event, in the app and by
//! email (the same choices as `/api/v1/users/me/notification-preferences`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::notifications::{self, Event};
use serde_json::{Map, json};

use super::super::context::{FormData, Viewer};
use super::super::i18n::L;
use super::super::layout::{Shell, UiError, l};
use crate::AppState;

pub struct Choice {
    pub key: &'static str,
    pub label: String,
    pub in_app: bool,
    pub email: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notification_preferences.html")]
struct PreferencesPage {
    shell: Shell,
    l: L,
    choices: Vec<Choice>,
    saved: bool,
    has_email: bool,
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(query): RawQuery,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let choices = notifications::preferences(&state.app, viewer.actor())
        .await?
        .into_iter()
        .map(|c| Choice {
            key: c.event.as_str(),
            label: l.t(&format!("prefs-event-{}", c.event.as_str())),
            in_app: c.in_app,
            email: c.email,
        })
        .collect();
    let page = PreferencesPage {
        shell: Shell::new(&viewer.ctx, l.t("prefs-title"), "notifications"),
        l,
        choices,
        saved: query.as_deref() == Some("saved=1"),
        has_email: viewer.session.user.email.is_some(),
    };
    Ok(page.into_response())
}

pub async fn save(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let mut body = Map::new();
    for event in Event::ALL {
        let on = |channel: &str| form.get(&format!("{}_{channel}", event.as_str())) == "on";
        body.insert(event.as_str().into(), json!({"in_app": on("in_app"), "email": on("email")}));
    }
    notifications::set_preferences(&state.app, viewer.actor(), body.into()).await?;
    Ok(Redirect::to("/account/notifications?saved=1").into_response())
}
