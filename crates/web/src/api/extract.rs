//! Request extractors that answer bad input with problem+json: the bearer token, JSON
//! bodies (type, size, syntax), query pairs, ids and `If-Match`.

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Path, Request};
use axum::http::Method;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_app::{Actor, AppError, User, auth, sessions};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::AppState;
use crate::problem::Problem;

/// The largest JSON body accepted.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// How the caller proved who they are.
pub enum Credential {
    /// A bearer token, by its id.
    Token(Uuid),
    /// The browser's session cookie, by the session's id.
    Session(Uuid),
}

/// The signed-in caller: by bearer token, or by the pages' session cookie (as a script
/// in a signed-in page calls the API), which must then carry the session's CSRF token
/// in `X-CSRF-Token` on every request that changes something.
pub struct Caller {
    pub actor: Actor,
    pub user: User,
    pub credential: Credential,
}

pub const CSRF_HEADER: &str = "x-csrf-token";

impl<S> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim);
        if let Some(token) = bearer {
            let (auth, actor) = auth::caller(&state.app, token).await?;
            return Ok(Caller { actor, user: auth.user, credential: Credential::Token(auth.token_id) });
        }
        let cookie = crate::ui::session_cookie(&parts.headers).ok_or(AppError::Unauthenticated)?;
        let session = sessions::resume(&state.app, &cookie).await?;
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !safe && !crate::ui::same_secret(sent, &session.csrf_token) {
            return Err(AppError::Forbidden(format!(
                "a change made with the session cookie needs the page's CSRF token in the {CSRF_HEADER} header"
            ))
            .into());
        }
        Ok(Caller { actor: session.actor, user: session.user, credential: Credential::Session(session.id) })
    }
}

/// A JSON body: `application/json` (or a `+json` type such as merge-patch), at most
/// [`BODY_LIMIT`] bytes, syntactically valid.
pub struct JsonBody(pub Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .unwrap_or_default();
        if content_type != "application/json"
            && !(content_type.starts_with("application/") && content_type.ends_with("+json"))
        {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported content type",
                "send the body as application/json",
            ));
        }
        let too_large = || {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Body too large",
                format!("the body is over the limit of {BODY_LIMIT} bytes"),
            )
        };
        let bytes = read_limited(request.into_body()).await.ok_or_else(too_large)?;
        let _ = state;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Reads the body up to [`BODY_LIMIT`]; `None` when it is larger. A larger body is still
/// read on (up to a bound) so the client, still sending, receives the 413 instead of a
/// broken connection.
async fn read_limited(body: axum::body::Body) -> Option<Bytes> {
    use futures_util::StreamExt;
    const DRAIN_LIMIT: usize = 16 * BODY_LIMIT;
    let mut stream = body.into_data_stream();
    let mut collected = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.ok()?;
        seen += chunk.len();
        if seen > DRAIN_LIMIT {
            return None;
        }
        if seen <= BODY_LIMIT {
            collected.extend_from_slice(&chunk);
        }
    }
    (seen <= BODY_LIMIT).then(|| Bytes::from(collected))
}

fn parse_json(bytes: &Bytes) -> Result<Value, Problem> {
    serde_json::from_slice(bytes).map_err(|e| Problem::bad_request(format!("the body is not valid JSON: {e}")))
}

/// The query string as name/value pairs, in order.
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        Ok(QueryPairs(form_urlencoded::parse(query.as_bytes()).into_owned().collect()))
    }
}

/// A record id from the path.
pub struct IdPath(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw): Path<Vec<String>> = Path::from_request_parts(parts, state)
            .await
            .map_err(|_| Problem::bad_request("the address is malformed"))?;
        let first = raw.first().map(String::as_str).unwrap_or("");
        Uuid::parse_str(first)
            .map(IdPath)
            .map_err(|_| Problem::bad_request(format!("{first:?} is not an id (ids are UUIDs)")))
    }
}

/// Two ids from the path (a record and one of its parts).
pub struct IdPair(pub Uuid, pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPair {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw): Path<Vec<String>> = Path::from_request_parts(parts, state)
            .await
            .map_err(|_| Problem::bad_request("the address is malformed"))?;
        let parse = |i: usize| {
            let text = raw.get(i).map(String::as_str).unwrap_or("");
            Uuid::parse_str(text).map_err(|_| Problem::bad_request(format!("{text:?} is not an id (ids are UUIDs)")))
        };
        Ok(IdPair(parse(0)?, parse(1)?))
    }
}

/// The version named by `If-Match: "<version>"`, if the header is there.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else { return Ok(IfMatch(None)) };
        let text = value.to_str().unwrap_or("").trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        let version = text.trim_start_matches("W/").trim_matches('"');
        version
            .parse::<i64>()
            .map(|v| IfMatch(Some(v)))
            .map_err(|_| Problem::bad_request("If-Match must be the ETag of the record, like \"3\""))
    }
}

/// A record response with its `ETag`.
pub fn record<T: Serialize>(status: StatusCode, version: i64, body: &T, location: Option<String>) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    let headers: &mut HeaderMap = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        headers.insert(header::ETAG, etag);
    }
    if let Some(location) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    response
}
