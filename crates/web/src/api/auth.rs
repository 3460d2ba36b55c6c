//! `/api/v1/auth/tokens`: sign in for a bearer token; revoke the current one.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rapport_app::auth;
use rapport_core::Invalid;
use serde::Deserialize;

use crate::AppState;
use crate::api::{Caller, Credential, JsonBody};
use crate::problem::Problem;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    login: String,
    password: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    JsonBody(body): JsonBody,
) -> Result<Response, Problem> {
    let sign_in: SignIn = serde_json::from_value(body).map_err(|e| {
        rapport_app::AppError::Invalid(Invalid::one(
            "",
            "invalid_type",
            format!("expected {{\"login\", \"password\"}}: {e}"),
        ))
    })?;
    let issued = auth::sign_in(&state.app, &sign_in.login, &sign_in.password, &peer.ip().to_string()).await?;
    Ok((StatusCode::CREATED, Json(issued)).into_response())
}

pub async fn revoke_current(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, Problem> {
    match caller.credential {
        Credential::Token(id) => auth::revoke(&state.app, id).await?,
        // Revoking the credential of a cookie caller signs that browser out.
        Credential::Session(id) => rapport_app::sessions::sign_out(&state.app, id).await?,
    }
    Ok(StatusCode::NO_CONTENT)
}
