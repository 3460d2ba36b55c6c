//! HTTP adapters over the use cases: the JSON API under `/api/v1`, its documentation,
//! the health and metrics endpoints, and the HTML pages (`ui`). No business rules live here.

pub mod api;
mod docs;
mod health;
mod problem;
pub mod ui;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use rapport_app::App;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use health::Metrics;

/// What every handler gets: the application and the process's counters.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub metrics: Arc<Metrics>,
}

/// The address this server is reached at, as the request names it (behind a proxy that
/// terminates TLS, `X-Forwarded-Proto` says https): for links that leave the page, such
/// as a calendar feed's.
pub(crate) fn origin(headers: &axum::http::HeaderMap) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("localhost");
    let https = headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

/// A calendar feed's address.
pub(crate) fn feed_url(headers: &axum::http::HeaderMap, token: &str) -> String {
    format!("{}/feeds/{token}.ics", origin(headers))
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Gives the application what it needs from this layer: the wording of notification
/// emails from the catalogues. `rapport serve` calls it before its workers start.
pub fn install(app: &App) {
    app.install_composer(ui::notifications::mail::compose);
}

pub fn router(app: App) -> Router {
    router_with_setup(app, None)
}

/// The router, with the secret of the one-time set-up link when there are no users yet
/// (without it, the first user is created from the command line).
pub fn router_with_setup(app: App, setup_token: Option<String>) -> Router {
    install(&app);
    let state = AppState { app, metrics: Arc::new(Metrics::default()) };
    Router::new()
        .nest("/api/v1", api::routes())
        .merge(api::feed_routes())
        .merge(ui::routes(state.clone(), setup_token))
        .merge(docs::routes())
        .merge(health::routes())
        .fallback(problem::not_found)
        .method_not_allowed_fallback(problem::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(state.clone(), health::count))
        .layer(CatchPanicLayer::custom(problem::panicked))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_setup(listener, app, None, shutdown).await
}

/// [`serve`] with the secret of the one-time set-up link (see [`router_with_setup`]).
pub async fn serve_with_setup(
    listener: TcpListener,
    app: App,
    setup_token: Option<String>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = router_with_setup(app, setup_token).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await
}
