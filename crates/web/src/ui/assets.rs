//! The pages' CSS and JavaScript, embedded in the binary. Addresses carry a hash of the
//! file (`/assets/app.css?v=…`), so browsers may keep them for a year and still get a
//! changed file the moment a new version is deployed.

use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;
use serde::Deserialize;

#[derive(RustEmbed)]
#[folder = "assets/static/"]
struct Static;

fn version(path: &str) -> Option<String> {
    let file = Static::get(path)?;
    Some(file.metadata.sha256_hash()[..6].iter().map(|b| format!("{b:02x}")).collect())
}

/// The address of an embedded file, with its version.
pub fn url(path: &str) -> String {
    match version(path) {
        Some(v) => format!("/assets/{path}?v={v}"),
        None => format!("/assets/{path}"),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[derive(Deserialize)]
pub struct Version {
    v: Option<String>,
}

pub async fn serve(Path(path): Path<String>, Query(query): Query<Version>) -> Response {
    let Some(file) = Static::get(&path) else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found")
            .into_response();
    };
    // Only an address with the current hash may be cached for good; any other is revalidated.
    let cache =
        if query.v.is_some() && query.v == version(&path) { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut response = file.data.into_owned().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path)));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}
