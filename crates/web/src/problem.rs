//! Every error as `application/problem+json` (RFC 9457). App errors are mapped here
//! once; a 500 is logged with its cause and shown without it.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rapport_app::AppError;
use serde_json::{Value, json};

pub struct Problem {
    pub status: StatusCode,
    pub kind: &'static str,
    pub title: &'static str,
    pub detail: String,
    pub extra: Option<Box<(&'static str, Value)>>,
    pub headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl Problem {
    pub fn new(status: StatusCode, kind: &'static str, title: &'static str, detail: impl Into<String>) -> Self {
        Problem { status, kind, title, detail: detail.into(), extra: None, headers: Vec::new() }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Problem::new(StatusCode::BAD_REQUEST, "bad-request", "Malformed request", detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut body = json!({
            "type": format!("/problems/{}", self.kind),
            "title": self.title,
            "status": self.status.as_u16(),
            "detail": self.detail,
        });
        if let (Some(extra), Some(object)) = (self.extra, body.as_object_mut()) {
            let (name, value) = *extra;
            object.insert(name.to_string(), value);
        }
        let mut response = (self.status, Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        for (name, value) in self.headers {
            headers.insert(name, value);
        }
        response
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        match error {
            AppError::BadRequest(detail) => Problem::bad_request(detail),
            AppError::Invalid(invalid) => {
                let count = invalid.errors.len();
                let detail = if count == 1 {
                    let e = &invalid.errors[0];
                    if e.field.is_empty() { e.message.clone() } else { format!("{}: {}", e.field, e.message) }
                } else {
                    format!("{count} fields are invalid")
                };
                let mut problem = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", "Invalid input", detail);
                problem.extra = Some(Box::new(("errors", serde_json::to_value(&invalid.errors).unwrap_or_default())));
                problem
            }
            AppError::Unauthenticated => {
                let mut problem = Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "Sign-in required",
                    "valid credentials are required",
                );
                problem.headers.push((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
                problem
            }
            AppError::Forbidden(detail) => Problem::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail),
            AppError::NotFound => {
                Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", "there is no such record")
            }
            AppError::DuplicateSuspected(candidates) => {
                let mut problem = Problem::new(
                    StatusCode::CONFLICT,
                    "duplicate_suspected",
                    "Possible duplicate",
                    format!(
                        "the record looks like {} existing record(s); send confirm_duplicate=true to create it anyway",
                        candidates.len()
                    ),
                );
                problem.extra = Some(Box::new(("candidates", serde_json::to_value(candidates).unwrap_or_default())));
                problem
            }
            AppError::Merged { kind, survivor } => {
                let collection = if kind == "company" { "companies" } else { "people" };
                let location = format!("/api/v1/{collection}/{survivor}");
                let mut problem = Problem::new(
                    StatusCode::PERMANENT_REDIRECT,
                    "merged",
                    "Merged",
                    format!("the record was merged into {survivor}"),
                );
                if let Ok(value) = HeaderValue::from_str(&location) {
                    problem.headers.push((header::LOCATION, value));
                }
                problem.extra = Some(Box::new(("survivor_id", json!(survivor))));
                problem
            }
            AppError::Conflict { message, referrers } => {
                let mut problem = Problem::new(StatusCode::CONFLICT, "conflict", "Conflict", message);
                if !referrers.is_empty() {
                    problem.extra = Some(Box::new(("referrers", serde_json::to_value(referrers).unwrap_or_default())));
                }
                problem
            }
            AppError::Stale { current } => {
                let mut problem = Problem::new(
                    StatusCode::PRECONDITION_FAILED,
                    "stale-version",
                    "Changed by someone else",
                    format!("the record is now at version {current}; reload it and apply your change again"),
                );
                problem.extra = Some(Box::new(("current_version", json!(current))));
                problem
            }
            AppError::TooManyAttempts { retry_after_secs } => {
                let mut problem = Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too-many-requests",
                    "Too many attempts",
                    format!("too many failed sign-ins; try again in {retry_after_secs} seconds"),
                );
                if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    problem.headers.push((header::RETRY_AFTER, value));
                }
                problem
            }
            AppError::Store(error) => {
                tracing::error!(%error, "storage failure");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Internal error",
                    "the server failed; the error is logged",
                )
            }
        }
    }
}

pub async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "not-found", "Not found", "there is nothing at this address")
}

pub async fn method_not_allowed() -> Problem {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "Method not allowed",
        "this address does not take this method",
    )
}

pub fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Internal error",
        "the server failed; the error is logged",
    )
    .into_response()
}
