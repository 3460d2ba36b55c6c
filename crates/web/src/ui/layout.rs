//! The frame every page shares (navigation, search, user menu, language switch) and the
//! error page. Errors of the use cases are mapped to pages here, once.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::AppError;

use super::assets;
use super::context::Ctx;
use super::i18n::{L, Lang};

pub struct LangOption {
    pub code: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

/// What the frame of a page shows.
pub struct Shell {
    pub title: String,
    pub user_name: Option<String>,
    pub is_admin: bool,
    pub csrf: String,
    pub q: String,
    /// Which navigation entry is the current one.
    pub nav: &'static str,
    pub here: String,
    pub css: String,
    pub js: String,
    /// The header box's suggestions, a script of its own.
    pub search_js: String,
    pub langs: Vec<LangOption>,
    /// The bell's figure ("3", "99+"; empty when nothing is unread) and its spoken label.
    pub bell_count: String,
    pub bell_label: String,
}

impl Shell {
    pub fn new(ctx: &Ctx, title: String, nav: &'static str) -> Shell {
        Shell {
            title,
            user_name: ctx.session.as_ref().map(|s| s.user.name.clone()),
            is_admin: ctx.session.as_ref().is_some_and(|s| s.actor.is_admin()),
            csrf: ctx.csrf.clone(),
            q: String::new(),
            nav,
            here: ctx.here.clone(),
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            search_js: assets::url("search.js"),
            langs: Lang::ALL
                .into_iter()
                .map(|l| LangOption { code: l.code(), name: l.native_name(), selected: l == ctx.lang })
                .collect(),
            bell_count: match ctx.unread {
                0 => String::new(),
                n if n >= rapport_app::notifications::COUNT_CAP as i64 => "99+".into(),
                n => n.to_string(),
            },
            bell_label: if ctx.unread > 0 {
                l(ctx).count("notifications-bell-unread", ctx.unread as usize)
            } else {
                String::new()
            },
        }
    }

    pub fn current(&self, nav: &str) -> bool {
        self.nav == nav
    }
}

pub fn l(ctx: &Ctx) -> L {
    L::new(ctx.lang)
}

/// A failure to show as a page. Handlers return it as a marker; the context layer renders
/// it in the request's language with the frame.
#[derive(Debug, Clone)]
pub struct UiError {
    pub status: StatusCode,
    pub message_key: &'static str,
    pub detail: Option<String>,
}

impl UiError {
    pub fn new(status: StatusCode, message_key: &'static str) -> UiError {
        UiError { status, message_key, detail: None }
    }

    pub fn not_found() -> UiError {
        UiError::new(StatusCode::NOT_FOUND, "error-not-found")
    }

    /// The error page for this request, with its frame and working forms.
    pub fn page(&self, ctx: &Ctx) -> Response {
        self.render(ctx, self.status)
    }

    pub fn render(&self, ctx: &Ctx, status: StatusCode) -> Response {
        let l = l(ctx);
        let page = ErrorPage {
            shell: Shell::new(ctx, l.t("error-title"), ""),
            l,
            message: l.t(self.message_key),
            detail: self.detail.clone().unwrap_or_default(),
            signed_in: ctx.session.is_some(),
        };
        (status, page).into_response()
    }
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

impl From<AppError> for UiError {
    fn from(error: AppError) -> Self {
        let (status, key, detail) = match error {
            AppError::BadRequest(detail) => (StatusCode::BAD_REQUEST, "error-bad-request", Some(detail)),
            AppError::Invalid(invalid) => {
                let detail: Vec<String> =
                    invalid.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
                (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid", Some(detail.join("; ")))
            }
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "error-sign-in", None),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "error-forbidden", None),
            AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found", None),
            AppError::Conflict { message, .. } => (StatusCode::CONFLICT, "error-conflict", Some(message)),
            AppError::DuplicateSuspected(found) => {
                let names: Vec<String> = found.into_iter().map(|c| c.name).collect();
                (StatusCode::CONFLICT, "error-conflict", Some(names.join(", ")))
            }
            AppError::Merged { .. } => (StatusCode::NOT_FOUND, "error-not-found", None),
            AppError::Stale { .. } => (StatusCode::PRECONDITION_FAILED, "error-stale", None),
            AppError::TooManyAttempts { .. } => (StatusCode::TOO_MANY_REQUESTS, "error-too-many", None),
            AppError::Store(error) => {
                tracing::error!(%error, "storage failure");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal", None)
            }
        };
        UiError { status, message_key: key, detail }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    shell: Shell,
    l: L,
    message: String,
    detail: String,
    signed_in: bool,
}

/// Only a path on this site is a place to go back to: `//evil.example` is not.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") { next } else { "/companies" }
}

/// A query string from pairs, for links that keep the current filters.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        out.append_pair(name, value);
    }
    out.finish()
}
