//! Administration: the users (and adding one, so a new install needs no command line
//! after set-up), and overviews of the custom fields and categories.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::users::{self, UserDraft};
use rapport_app::{custom_fields, roles, teams};
use uuid::Uuid;

use super::context::{FormData, Viewer};
use super::forms::{FieldErrors, field_errors};
use super::i18n::L;
use super::layout::{Shell, UiError, l};
use super::list::{Lists, SelectOption, text};
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
    tab: &'static str,
    rows: Vec<Row>,
    /// After adding a user: who, and the password made for them (shown this once).
    created: String,
    password: String,
}

async fn users_page(state: &AppState, viewer: &Viewer, created: String, password: String) -> Result<Response, UiError> {
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
    let shell = Shell::new(&viewer.ctx, l.t("admin-users-title"), "admin");
    Ok(UsersPage { shell, l, tab: "users", rows, created, password }.into_response())
}

pub async fn users(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    users_page(&state, &viewer, String::new(), String::new()).await
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_user_form.html")]
struct UserForm {
    shell: Shell,
    l: L,
    tab: &'static str,
    login: String,
    full_name: String,
    email: String,
    roles: Vec<SelectOption>,
    teams: Vec<SelectOption>,
    errors: FieldErrors,
}

async fn user_form(
    state: &AppState,
    viewer: &Viewer,
    form: Option<&FormData>,
    errors: FieldErrors,
) -> Result<UserForm, UiError> {
    let l = l(&viewer.ctx);
    let actor = viewer.actor();
    let get = |name: &str| form.map(|f| f.get(name).to_string()).unwrap_or_default();
    let role = match get("role") {
        r if r.is_empty() => "sales".to_string(),
        r => r,
    };
    let roles = roles::list(&state.app, actor)
        .await?
        .into_iter()
        .map(|r| SelectOption { selected: r.key == role, value: r.key, label: r.name })
        .collect();
    let team = get("team_id");
    let mut teams: Vec<SelectOption> =
        vec![SelectOption { value: String::new(), label: l.t("field-none"), selected: team.is_empty() }];
    teams.extend(teams::list(&state.app, actor).await?.into_iter().map(|t| SelectOption {
        selected: t.id.to_string() == team,
        value: t.id.to_string(),
        label: t.name,
    }));
    Ok(UserForm {
        shell: Shell::new(&viewer.ctx, l.t("admin-user-new"), "admin"),
        l,
        tab: "users",
        login: get("login"),
        full_name: get("name"),
        email: get("email"),
        roles,
        teams,
        errors,
    })
}

pub async fn new_user(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    viewer.actor().require_admin()?;
    Ok(user_form(&state, &viewer, None, FieldErrors::default()).await?.into_response())
}

pub async fn create_user(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let optional = |name: &str| Some(form.get(name).trim().to_string()).filter(|v| !v.is_empty());
    let draft = UserDraft {
        login: Some(form.get("login").to_string()),
        name: Some(form.get("name").to_string()),
        email: optional("email"),
        password: optional("password"),
        role: optional("role"),
        team_id: optional("team_id").and_then(|t| Uuid::parse_str(&t).ok()),
        ..Default::default()
    };
    match users::create(&state.app, viewer.actor(), draft).await {
        Ok(created) => {
            let who = l.t1("admin-user-created", "login", &created.user.user.login);
            users_page(&state, &viewer, who, created.generated_password.unwrap_or_default()).await
        }
        Err(error) => {
            let errors = field_errors(&l, error)?;
            let page = user_form(&state, &viewer, Some(&form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

pub struct FieldRow {
    pub record: String,
    pub key: String,
    pub label: String,
    pub kind: String,
    pub required: bool,
    pub choices: String,
}

pub struct KindRow {
    pub name: String,
    pub values: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_lists.html")]
struct ListsPage {
    shell: Shell,
    l: L,
    tab: &'static str,
    fields: Vec<FieldRow>,
    kinds: Vec<KindRow>,
}

/// Custom fields and category lists at a glance (changed through the API for now).
pub async fn lists(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    viewer.actor().require_admin()?;
    let l = l(&viewer.ctx);
    let fields = custom_fields::list(&state.app, None)
        .await?
        .into_iter()
        .filter_map(|f| serde_json::to_value(&f).ok())
        .map(|f| FieldRow {
            record: l.t(&format!("admin-record-{}", text(&f, "record_kind"))),
            key: text(&f, "key"),
            label: text(&f, "label"),
            kind: text(&f, "type"),
            required: f.get("required") == Some(&serde_json::Value::Bool(true)),
            choices: f
                .get("choices")
                .and_then(|c| c.as_array())
                .map(|c| c.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", "))
                .unwrap_or_default(),
        })
        .collect();
    let lists = Lists::load(&state.app).await?;
    let kinds = lists.kinds().into_iter().map(|(name, values)| KindRow { name, values: values.join(", ") }).collect();
    let shell = Shell::new(&viewer.ctx, l.t("admin-lists-title"), "admin");
    Ok(ListsPage { shell, l, tab: "lists", fields, kinds }.into_response())
}
