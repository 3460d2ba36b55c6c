//! `/admin/users`: the users, adding one (so a new install needs no command line after
//! set-up), changing one, and giving one a new password.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::users::{self, UserDraft, UserView};
use rapport_app::{AppError, roles, teams};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{checked, field_errors, kept, notice};
use crate::AppState;
use crate::ui::companies::parse_id;
use crate::ui::context::{FormData, Viewer};
use crate::ui::forms::FieldErrors;
use crate::ui::i18n::L;
use crate::ui::layout::{Shell, UiError, l};
use crate::ui::list::{SelectOption, parse_query};

pub struct Row {
    pub href: String,
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
    notice: String,
    rows: Vec<Row>,
    /// After adding a user: who, and the password made for them (shown this once).
    created: String,
    password: String,
}

async fn users_page(
    state: &AppState,
    viewer: &Viewer,
    notice: String,
    created: String,
    password: String,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let rows = users::list(&state.app, viewer.actor())
        .await?
        .into_iter()
        .map(|u| Row {
            href: format!("/admin/users/{}", u.user.id),
            login: u.user.login,
            name: u.user.name,
            email: u.user.email.unwrap_or_default(),
            role: u.user.role,
            disabled: u.user.disabled_at.map(|at| l.datetime(at)).unwrap_or_default(),
        })
        .collect();
    let shell = Shell::new(&viewer.ctx, l.t("admin-users-title"), "admin");
    Ok(UsersPage { shell, l, tab: "users", notice, rows, created, password }.into_response())
}

pub async fn users(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let done = notice(&l(&viewer.ctx), &parse_query(raw.as_deref()));
    users_page(&state, &viewer, done, String::new(), String::new()).await
}

/// The roles to choose from, with `current` selected.
async fn role_options(state: &AppState, viewer: &Viewer, current: &str) -> Result<Vec<SelectOption>, UiError> {
    Ok(roles::list(&state.app, viewer.actor())
        .await?
        .into_iter()
        .map(|r| SelectOption { selected: r.key == current, value: r.key, label: r.name })
        .collect())
}

/// The teams to choose from ("none" first), with `current` selected.
async fn team_options(state: &AppState, viewer: &Viewer, l: &L, current: &str) -> Result<Vec<SelectOption>, UiError> {
    let mut out = vec![SelectOption { value: String::new(), label: l.t("field-none"), selected: current.is_empty() }];
    out.extend(teams::list(&state.app, viewer.actor()).await?.into_iter().map(|t| SelectOption {
        selected: t.id.to_string() == current,
        value: t.id.to_string(),
        label: t.name,
    }));
    Ok(out)
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_user_form.html")]
struct UserForm {
    shell: Shell,
    l: L,
    tab: &'static str,
    notice: String,
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
    let get = |name: &str| form.map(|f| f.get(name).to_string()).unwrap_or_default();
    let role = match get("role") {
        r if r.is_empty() => "sales".to_string(),
        r => r,
    };
    let roles = role_options(state, viewer, &role).await?;
    let teams = team_options(state, viewer, &l, &get("team_id")).await?;
    Ok(UserForm {
        shell: Shell::new(&viewer.ctx, l.t("admin-user-new"), "admin"),
        l,
        tab: "users",
        notice: String::new(),
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
            // Shown on the answer itself, not after a redirect: the generated password
            // must not travel in an address, where history and logs would keep it.
            let password = created.generated_password.unwrap_or_default();
            users_page(&state, &viewer, String::new(), who, password).await
        }
        Err(error) => {
            let errors = field_errors(&l, error, "user", &[])?;
            let page = user_form(&state, &viewer, Some(&form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_user_edit.html")]
struct UserEdit {
    shell: Shell,
    l: L,
    tab: &'static str,
    notice: String,
    action: String,
    version: String,
    login: String,
    full_name: String,
    email: String,
    /// One's own role, team and access are changed by another administrator.
    own: bool,
    role: String,
    team: String,
    roles: Vec<SelectOption>,
    teams: Vec<SelectOption>,
    disabled: bool,
    errors: FieldErrors,
    /// The address to reload from after someone else saved meanwhile.
    conflict: String,
    /// After a reset: the new password, shown this once.
    password: String,
}

struct Edit<'a> {
    user: UserView,
    form: Option<&'a FormData>,
    errors: FieldErrors,
    conflict: bool,
    notice: String,
    password: String,
}

async fn edit_page(state: &AppState, viewer: &Viewer, edit: Edit<'_>) -> Result<UserEdit, UiError> {
    let l = l(&viewer.ctx);
    let user = edit.user.user;
    let form = edit.form;
    let stored_team = user.team_id.map(|t| t.to_string()).unwrap_or_default();
    let role = kept(form, "role", &user.role);
    let team = kept(form, "team_id", &stored_team);
    let roles = role_options(state, viewer, &role).await?;
    let teams = team_options(state, viewer, &l, &team).await?;
    let role_name = roles.iter().find(|r| r.selected).map(|r| r.label.clone()).unwrap_or(role);
    let team_name = teams.iter().find(|t| t.selected).map(|t| t.label.clone()).unwrap_or_default();
    let action = format!("/admin/users/{}", user.id);
    Ok(UserEdit {
        shell: Shell::new(&viewer.ctx, l.t1("admin-user-edit", "login", &user.login), "admin"),
        l,
        tab: "users",
        notice: edit.notice,
        conflict: if edit.conflict { action.clone() } else { String::new() },
        action,
        version: kept(form, "version", &user.version.to_string()),
        own: viewer.actor().user_id == Some(user.id),
        full_name: kept(form, "name", &user.name),
        email: kept(form, "email", user.email.as_deref().unwrap_or_default()),
        disabled: checked(form, "disabled", user.disabled_at.is_some()),
        login: user.login,
        role: role_name,
        team: team_name,
        roles,
        teams,
        errors: edit.errors,
        password: edit.password,
    })
}

async fn load(state: &AppState, viewer: &Viewer, id: &str) -> Result<UserView, UiError> {
    viewer.actor().require_admin()?;
    let id = parse_id(id)?;
    Ok(users::get(&state.app, viewer.actor(), id).await?)
}

pub async fn edit_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let user = load(&state, &viewer, &id).await?;
    let done = notice(&l(&viewer.ctx), &parse_query(raw.as_deref()));
    let edit = Edit {
        user,
        form: None,
        errors: FieldErrors::default(),
        conflict: false,
        notice: done,
        password: String::new(),
    };
    Ok(edit_page(&state, &viewer, edit).await?.into_response())
}

pub async fn update_user(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let user = load(&state, &viewer, &id).await?;
    let l = l(&viewer.ctx);
    let id = user.user.id;
    // Without the version the form was made from, a save could overwrite someone else's.
    let version = form
        .get("version")
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest("the form lacks the version it was made from; reload it".into()))?;
    let mut patch = Map::new();
    patch.insert("name".into(), Value::from(form.get("name")));
    patch.insert("email".into(), Value::from(form.get("email").trim()));
    if viewer.actor().user_id != Some(id) {
        patch.insert("role".into(), Value::from(form.get("role")));
        patch.insert("disabled".into(), Value::Bool(form.get("disabled") == "true"));
        let team = match form.get("team_id") {
            "" => Some(Value::Null),
            raw => Uuid::parse_str(raw).ok().map(|t| Value::from(t.to_string())),
        };
        match team {
            Some(team) => {
                patch.insert("team_id".into(), team);
            }
            None => {
                let errors = FieldErrors::one("team_id", l.t("invalid-unknown_team"));
                return again(&state, &viewer, user, &form, errors, false).await;
            }
        }
    }
    match users::update(&state.app, viewer.actor(), id, Value::Object(patch), Some(version)).await {
        Ok(_) => Ok(Redirect::to("/admin/users?done=user-saved").into_response()),
        Err(AppError::Stale { .. }) => again(&state, &viewer, user, &form, FieldErrors::default(), true).await,
        Err(error) => {
            let errors = field_errors(&l, error, "user", &[])?;
            again(&state, &viewer, user, &form, errors, false).await
        }
    }
}

/// The form again with what was typed, its messages, or the notice that someone else
/// saved first; nothing was saved.
async fn again(
    state: &AppState,
    viewer: &Viewer,
    user: UserView,
    form: &FormData,
    errors: FieldErrors,
    conflict: bool,
) -> Result<Response, UiError> {
    let status = if conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    let edit = Edit { user, form: Some(form), errors, conflict, notice: String::new(), password: String::new() };
    Ok((status, edit_page(state, viewer, edit).await?).into_response())
}

pub async fn reset_password(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let user = load(&state, &viewer, &id).await?;
    let l = l(&viewer.ctx);
    let (user, password) = users::reset_password(&state.app, viewer.actor(), user.user.id).await?;
    let done = l.t1("admin-password-reset-done", "login", &user.user.login);
    // Answered with the page, not a redirect, for the reason given at `create_user`.
    let edit = Edit { user, form: None, errors: FieldErrors::default(), conflict: false, notice: done, password };
    Ok(edit_page(&state, &viewer, edit).await?.into_response())
}
