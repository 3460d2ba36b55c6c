//! First run, signing in and out, changing one's password, and the language switch.

use std::sync::Arc;

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::sessions::{self, FirstAdmin, Issued};
use rapport_app::{AppError, users};
use serde::Deserialize;

use super::context::{Ctx, FormData, LANG_COOKIE, SESSION_COOKIE, Viewer, set_cookie};
use super::forms::{FieldErrors, field_errors};
use super::i18n::{L, Lang};
use super::layout::{Shell, UiError, l, safe_next};
use crate::AppState;

/// The secret of the one-time set-up link `rapport serve` prints on a fresh install.
/// Without one, set-up through the browser is off (users come from the command line).
#[derive(Clone, Default)]
pub struct SetupToken(pub Option<Arc<str>>);

fn signed_in(ctx: &Ctx, issued: &Issued, to: &str) -> Response {
    let max_age = (issued.expires_at - time::OffsetDateTime::now_utc()).whole_seconds().max(0);
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &issued.token, max_age, ctx.secure));
    response
}

/// Where signing in leads when no page asked for it: "my day".
fn landing(next: &str) -> &str {
    if next.is_empty() { "/" } else { safe_next(next) }
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    shell: Shell,
    l: L,
    login: String,
    next: String,
    /// A message about the last attempt (wrong password, too many tries).
    problem: String,
    /// A neutral notice (signed out, no users yet).
    notice: String,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    #[serde(default)]
    signed_out: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<LoginQuery>,
) -> Result<Response, UiError> {
    if ctx.session.is_some() {
        return Ok(Redirect::to(landing(&query.next)).into_response());
    }
    let l = l(&ctx);
    let notice = if !users::any(&state.app).await? {
        l.t("login-no-users")
    } else if query.signed_out.is_some() {
        l.t("login-signed-out")
    } else {
        String::new()
    };
    let page = LoginPage {
        shell: Shell::new(&ctx, l.t("login-title"), ""),
        l,
        login: String::new(),
        next: query.next,
        problem: String::new(),
        notice,
    };
    Ok(page.into_response())
}

pub async fn login(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, UiError> {
    let l = l(&ctx);
    let next = form.get("next").to_string();
    let (status, problem) =
        match sessions::sign_in(&state.app, form.get("login"), form.get("password"), &ctx.address).await {
            Ok(issued) => return Ok(signed_in(&ctx, &issued, landing(&next))),
            Err(AppError::Unauthenticated) => (StatusCode::UNAUTHORIZED, l.t("login-wrong")),
            Err(AppError::TooManyAttempts { .. }) => (StatusCode::TOO_MANY_REQUESTS, l.t("login-too-many")),
            Err(other) => return Err(other.into()),
        };
    let page = LoginPage {
        shell: Shell::new(&ctx, l.t("login-title"), ""),
        l,
        login: form.get("login").to_string(),
        next,
        problem,
        notice: String::new(),
    };
    Ok((status, page).into_response())
}

pub async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, UiError> {
    if let Some(session) = &ctx.session {
        sessions::sign_out(&state.app, session.id).await?;
    }
    let mut response = Redirect::to("/login?signed_out=1").into_response();
    response.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, ctx.secure));
    Ok(response)
}

#[derive(Template, WebTemplate)]
#[template(path = "setup.html")]
struct SetupPage {
    shell: Shell,
    l: L,
    token: String,
    login: String,
    full_name: String,
    email: String,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct SetupQuery {
    #[serde(default)]
    token: String,
}

/// Whether the set-up link is the one printed at start-up.
fn setup_allowed(setup: &SetupToken, given: &str) -> bool {
    setup.0.as_deref().is_some_and(|token| super::context::same(token, given))
}

pub async fn setup_form(
    State(state): State<AppState>,
    Extension(setup): Extension<SetupToken>,
    ctx: Ctx,
    Query(query): Query<SetupQuery>,
) -> Result<Response, UiError> {
    if users::any(&state.app).await? {
        return Ok(Redirect::to("/login").into_response());
    }
    if !setup_allowed(&setup, &query.token) {
        return Err(UiError::new(StatusCode::FORBIDDEN, "setup-bad-link"));
    }
    let l = l(&ctx);
    let page = SetupPage {
        shell: Shell::new(&ctx, l.t("setup-title"), ""),
        l,
        token: query.token,
        login: "admin".into(),
        full_name: String::new(),
        email: String::new(),
        errors: FieldErrors::default(),
    };
    Ok(page.into_response())
}

pub async fn setup(
    State(state): State<AppState>,
    Extension(setup): Extension<SetupToken>,
    ctx: Ctx,
    form: FormData,
) -> Result<Response, UiError> {
    if users::any(&state.app).await? {
        return Ok(Redirect::to("/login").into_response());
    }
    if !setup_allowed(&setup, form.get("token")) {
        return Err(UiError::new(StatusCode::FORBIDDEN, "setup-bad-link"));
    }
    let l = l(&ctx);
    let errors = if form.get("password") != form.get("password_confirm") {
        FieldErrors::one("password_confirm", l.t("password-mismatch"))
    } else {
        let first = FirstAdmin {
            login: form.get("login").into(),
            name: form.get("name").into(),
            email: form.get("email").into(),
            password: form.get("password").into(),
        };
        match sessions::set_up(&state.app, first).await {
            Ok(issued) => return Ok(signed_in(&ctx, &issued, "/")),
            Err(error) => field_errors(&l, error)?,
        }
    };
    let page = SetupPage {
        shell: Shell::new(&ctx, l.t("setup-title"), ""),
        l,
        token: form.get("token").into(),
        login: form.get("login").into(),
        full_name: form.get("name").into(),
        email: form.get("email").into(),
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
struct PasswordPage {
    shell: Shell,
    l: L,
    errors: FieldErrors,
    done: bool,
}

pub async fn password_form(viewer: Viewer) -> Response {
    let l = l(&viewer.ctx);
    let shell = Shell::new(&viewer.ctx, l.t("password-title"), "");
    PasswordPage { shell, l, errors: FieldErrors::default(), done: false }.into_response()
}

pub async fn change_password(
    State(state): State<AppState>,
    viewer: Viewer,
    form: FormData,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let errors = if form.get("password") != form.get("password_confirm") {
        FieldErrors::one("password_confirm", l.t("password-mismatch"))
    } else {
        let (current, new) = (form.get("current_password"), form.get("password"));
        match sessions::change_password(&state.app, &viewer.session, current, new, &viewer.ctx.address).await {
            Ok(()) => FieldErrors::default(),
            Err(AppError::TooManyAttempts { .. }) => FieldErrors::one("current_password", l.t("login-too-many")),
            Err(error) => field_errors(&l, error)?,
        }
    };
    let done = errors.is_empty();
    let status = if done { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let shell = Shell::new(&viewer.ctx, l.t("password-title"), "");
    Ok((status, PasswordPage { shell, l, errors, done }).into_response())
}

/// Remembers the chosen language (with the user when signed in, and in a cookie for a
/// year) and goes back to the page.
pub async fn language(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Result<Response, UiError> {
    let lang = Lang::parse(form.get("lang")).unwrap_or(ctx.lang);
    if let Some(session) = &ctx.session {
        sessions::set_language(&state.app, session, lang.code()).await?;
    }
    let mut response = Redirect::to(safe_next(form.get("back"))).into_response();
    response.headers_mut().append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.code(), 31_536_000, ctx.secure));
    Ok(response)
}
