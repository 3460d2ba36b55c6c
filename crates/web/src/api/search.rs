//! `GET /api/v1/search`: global search over every kind of record, grouped by kind.

use axum::Json;
use axum::extract::State;

use crate::AppState;
use crate::api::{Caller, QueryPairs};
use crate::problem::Problem;

pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(params): QueryPairs,
) -> Result<Json<rapport_app::search::Results>, Problem> {
    let (q, kinds, limit) = rapport_app::search::parse_request(params)?;
    Ok(Json(rapport_app::search::search(&state.app, &caller.actor, &q, &kinds, limit).await?))
}
