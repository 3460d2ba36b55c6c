//! What every page request carries: the language, the browser session (if any), and the
//! CSRF token its forms must send back. Every POST is checked here, before any handler
//! runs, so no form can forget the check.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::sessions::{self, Session};
use rapport_app::{AppError, auth, notifications};

use super::i18n::Lang;
use super::layout::UiError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "rapport_session";
pub const LANG_COOKIE: &str = "rapport_lang";
/// Before signing in there is no session to bind the CSRF token to; this cookie holds it.
pub const CSRF_COOKIE: &str = "rapport_csrf";
pub const CSRF_FIELD: &str = "_csrf";

/// Pages that take a file (multipart); every other POST is a plain form.
const UPLOADS: [&str; 1] = ["/imports"];

/// The largest form accepted.
const FORM_LIMIT: usize = 256 * 1024;

#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub session: Option<Arc<Session>>,
    /// The token to put into forms.
    pub csrf: String,
    /// The path and query of this request, to come back to after signing in.
    pub here: String,
    /// The client's address, for the sign-in failure limits.
    pub address: String,
    /// Whether the browser reached us over HTTPS (directly or through a proxy), so
    /// cookies may be marked `Secure`; plain HTTP on loopback keeps working.
    pub secure: bool,
    /// The signed-in user's unread notifications (up to 100), for the bell on every page.
    pub unread: i64,
}

/// The fields of a submitted form, in order.
#[derive(Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value: never readable by scripts, sent on top-level navigation only.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=; Max-Age=0"))
}

pub(crate) fn same(a: &str, b: &str) -> bool {
    // Compare in constant time so the token cannot be guessed byte by byte.
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let headers = &parts.headers;
    let chosen = cookie(headers, LANG_COOKIE).and_then(|c| Lang::parse(&c));
    let accepted =
        headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language);
    let mut drop_session_cookie = false;
    let session = match cookie(headers, SESSION_COOKIE) {
        None => None,
        Some(token) => match sessions::resume(&state.app, &token).await {
            Ok(session) => Some(Arc::new(session)),
            Err(AppError::Unauthenticated) => {
                drop_session_cookie = true;
                None
            }
            Err(other) => return without_context(chosen.or(accepted).unwrap_or(Lang::En), other.into()),
        },
    };
    // The language chosen in this browser, else the one the user chose anywhere, else
    // the browser's preference.
    let lang = chosen
        .or_else(|| session.as_ref().and_then(|s| s.preferences.language.as_deref()).and_then(Lang::parse))
        .or(accepted)
        .unwrap_or(Lang::En);
    let anon_cookie = cookie(headers, CSRF_COOKIE);
    let mut new_anon = None;
    let csrf = match (&session, &anon_cookie) {
        (Some(session), _) => session.csrf_token.clone(),
        (None, Some(token)) => token.clone(),
        (None, None) => {
            let token = auth::random_secret();
            new_anon = Some(token.clone());
            token
        }
    };
    let secure = headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let address = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let here = parts.uri.path_and_query().map(|pq| pq.as_str().to_string()).unwrap_or_else(|| "/".into());
    // One read of the unread index per page shown; posts redirect to a page that counts.
    let unread = match (&session, &parts.method) {
        (Some(session), &Method::GET) => match session.actor.user_id {
            Some(user) => notifications::unread_count(&state.app, user).await.unwrap_or_default(),
            None => 0,
        },
        _ => 0,
    };
    let ctx = Ctx { lang, session: session.clone(), csrf: csrf.clone(), here, address, secure, unread };

    let is_upload = parts.method == Method::POST
        && UPLOADS.contains(&parts.uri.path())
        && parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("multipart/form-data"));
    let body = if is_upload {
        // A file upload is streamed to its handler, never buffered here, so its CSRF
        // token comes in the form's address (`?_csrf=`) rather than in the body.
        let query = parts.uri.query().unwrap_or("");
        let sent = form_urlencoded::parse(query.as_bytes()).find(|(n, _)| n == CSRF_FIELD).map(|(_, v)| v.into_owned());
        let expected = if new_anon.is_some() { None } else { Some(csrf.as_str()) };
        if !expected.is_some_and(|e| same(e, sent.as_deref().unwrap_or(""))) {
            return UiError::new(StatusCode::FORBIDDEN, "error-form-expired").page(&ctx);
        }
        body
    } else if parts.method == Method::POST {
        let is_form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return UiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "error-not-a-form").page(&ctx);
        }
        let Ok(bytes) = to_bytes(body, FORM_LIMIT).await else {
            return UiError::new(StatusCode::PAYLOAD_TOO_LARGE, "error-too-large").page(&ctx);
        };
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(&bytes).map(|(n, v)| (n.into_owned(), v.into_owned())).collect();
        let form = FormData(pairs);
        // A token minted for this very request proves nothing: the form must carry one
        // the browser already had.
        let expected = if new_anon.is_some() { None } else { Some(csrf.as_str()) };
        if !expected.is_some_and(|e| same(e, form.get(CSRF_FIELD))) {
            let mut response = UiError::new(StatusCode::FORBIDDEN, "error-form-expired").page(&ctx);
            if let Some(token) = &new_anon {
                response.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, token, 86_400, secure));
            }
            return response;
        }
        parts.extensions.insert(form);
        Body::from(bytes)
    } else {
        body
    };
    parts.extensions.insert(ctx.clone());
    let mut response = next.run(Request::from_parts(parts, body)).await;
    if let Some(error) = response.extensions_mut().remove::<UiError>() {
        response = error.render(&ctx, response.status());
    }
    let headers = response.headers_mut();
    if let Some(token) = new_anon {
        headers.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &token, 86_400, secure));
    }
    if drop_session_cookie {
        headers.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, secure));
    }
    response
}

/// A failure met before the page's context exists (the session could not be read): the
/// error page in the request's language, without the signed-in frame.
fn without_context(lang: Lang, error: UiError) -> Response {
    let ctx = Ctx {
        lang,
        session: None,
        csrf: String::new(),
        here: "/".into(),
        address: String::new(),
        secure: false,
        unread: 0,
    };
    error.page(&ctx)
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for FormData {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<FormData>().cloned().unwrap_or_default())
    }
}

/// A signed-in user; without a session the browser is sent to sign in and brought back.
pub struct Viewer {
    pub ctx: Ctx,
    pub session: Arc<Session>,
}

impl Viewer {
    pub fn actor(&self) -> &rapport_app::Actor {
        &self.session.actor
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.session.clone() {
            Some(session) => Ok(Viewer { ctx, session }),
            None => {
                let next: String = form_urlencoded::byte_serialize(ctx.here.as_bytes()).collect();
                Err(Redirect::to(&format!("/login?next={next}")).into_response())
            }
        }
    }
}
