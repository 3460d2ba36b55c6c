//! `/healthz`, `/readyz` and `/metrics` (Prometheus text format).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::problem::Problem;

/// Request counters by status class, and the total time spent answering.
#[derive(Debug, Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    micros_total: AtomicU64,
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Result<&'static str, Problem> {
    state.app.db.ping().await.map_err(|error| {
        tracing::warn!(%error, "database not ready");
        Problem::new(StatusCode::SERVICE_UNAVAILABLE, "not-ready", "Not ready", "the database does not answer")
    })?;
    Ok("ready")
}

async fn metrics(State(state): State<AppState>) -> Response {
    let m = &state.metrics;
    let mut text = String::from(
        "# HELP rapport_http_requests_total HTTP requests answered, by status class.\n# TYPE rapport_http_requests_total counter\n",
    );
    for (i, counter) in m.by_class.iter().enumerate() {
        text.push_str(&format!(
            "rapport_http_requests_total{{class=\"{}xx\"}} {}\n",
            i + 1,
            counter.load(Ordering::Relaxed)
        ));
    }
    text.push_str("# HELP rapport_http_request_seconds_total Time spent answering requests.\n# TYPE rapport_http_request_seconds_total counter\n");
    text.push_str(&format!(
        "rapport_http_request_seconds_total {:.6}\n",
        m.micros_total.load(Ordering::Relaxed) as f64 / 1e6
    ));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    let class = (response.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    state.metrics.by_class[class].fetch_add(1, Ordering::Relaxed);
    state.metrics.micros_total.fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
    response
}
