//! `/admin/users`: the users of this Rapport, for administrators.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use rapport_app::users;

use super::context::Viewer;
use super::i18n::L;
use super::layout::{Shell, UiError, l};
use crate::AppState;

pub struct Row {
    pub login: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub disabled: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
struct UsersPage {
    shell: Shell,
    l: L,
    rows: Vec<Row>,
}

pub async fn users(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let rows = users::list(&state.app, viewer.actor())
        .await?
        .into_iter()
        .map(|u| Row {
            login: u.user.login,
            name: u.user.name,
            email: u.user.email.unwrap_or_default(),
            role: u.user.role,
            disabled: u.user.disabled_at.map(|at| l.datetime(at)).unwrap_or_default(),
        })
        .collect();
    let page = UsersPage { shell: Shell::new(&viewer.ctx, l.t("admin-users-title"), "admin"), l, rows };
    Ok(page.into_response())
}
