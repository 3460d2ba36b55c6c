//! `/admin/activity-kinds`: the kinds of activity (the built-in ones and those added here).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::activities;
use serde_json::json;

use crate::AppState;
use crate::ui::admin::{field_errors, notice};
use crate::ui::context::{FormData, Viewer};
use crate::ui::forms::FieldErrors;
use crate::ui::i18n::L;
use crate::ui::layout::{Shell, UiError, l};
use crate::ui::list::parse_query;

pub struct KindLine {
    pub key: String,
    pub name: String,
    pub builtin: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_activity_kinds.html")]
struct KindsPage {
    shell: Shell,
    l: L,
    tab: &'static str,
    notice: String,
    kinds: Vec<KindLine>,
    key: String,
    kind_name: String,
    errors: FieldErrors,
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    notice: String,
    form: Option<&FormData>,
    errors: FieldErrors,
) -> Result<KindsPage, UiError> {
    viewer.actor().require_admin()?;
    let l = l(&viewer.ctx);
    let all = activities::kinds(&state.app).await?;
    let kinds = all
        .iter()
        .map(|k| KindLine {
            key: k.key.as_str().to_string(),
            name: super::kind_name(&l, &all, k.key.as_str()),
            builtin: k.builtin,
        })
        .collect();
    Ok(KindsPage {
        shell: Shell::new(&viewer.ctx, l.t("activity-kinds-title"), "admin"),
        tab: "activity-kinds",
        notice,
        kinds,
        key: form.map(|f| f.get("key").to_string()).unwrap_or_default(),
        kind_name: form.map(|f| f.get("name").to_string()).unwrap_or_default(),
        errors,
        l,
    })
}

pub async fn list(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let done = notice(&l, &parse_query(raw.as_deref()));
    Ok(render(&state, &viewer, done, None, FieldErrors::default()).await?.into_response())
}

pub async fn add(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let body = json!({"key": form.get("key"), "name": form.get("name")});
    match activities::create_kind(&state.app, viewer.actor(), body).await {
        Ok(_) => Ok(Redirect::to("/admin/activity-kinds?done=activity-kind-added").into_response()),
        Err(rapport_app::AppError::Conflict { .. }) => {
            let errors = FieldErrors::one("key", l.t("invalid-activity-kind-taken"));
            let page = render(&state, &viewer, String::new(), Some(&form), errors).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(error) => {
            let errors = field_errors(&l, error, "activity-kind", &[])?;
            let page = render(&state, &viewer, String::new(), Some(&form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
