//! Handlers for the record collections that share one shape (companies, people):
//! list, create, get, merge-patch, delete, archive, unarchive and history.

/// Generates the handlers of a record collection over the use-case module `$app` whose
/// records are `$record`, served under `/api/v1/$path`.
macro_rules! record_handlers {
    ($app:path, $record:ty, $path:literal) => {
        use axum::Json;
        use axum::extract::State;
        use axum::http::StatusCode;
        use axum::response::{IntoResponse, Response};
        use $app as cases;

        use crate::AppState;
        use crate::api::extract::record;
        use crate::api::{Caller, IdPath, IfMatch, JsonBody, QueryPairs};
        use crate::problem::Problem;

        pub async fn list(State(state): State<AppState>, caller: Caller, QueryPairs(params): QueryPairs) -> Result<Response, Problem> {
            // `filter=ID` applies a saved filter, with the request's other parameters added.
            let params = rapport_app::filters::expand(&state.app, &caller.actor, $path, params).await?;
            Ok(Json(cases::list(&state.app, &caller.actor, params).await?).into_response())
        }

        /// `?confirm_duplicate=true` creates the record even when it looks like existing ones.
        pub async fn create(
            State(state): State<AppState>,
            caller: Caller,
            QueryPairs(params): QueryPairs,
            JsonBody(mut body): JsonBody,
        ) -> Result<Response, Problem> {
            let flag = rapport_app::duplicates::CONFIRM_FLAG;
            for (key, value) in params {
                if key != flag {
                    return Err(Problem::bad_request(format!("unknown parameter {key:?}")));
                }
                if let Some(object) = body.as_object_mut() {
                    object.insert(flag.to_string(), serde_json::Value::Bool(value == "true" || value == "1"));
                }
            }
            let created: rapport_app::access::Shown<$record> = cases::create(&state.app, &caller.actor, body).await?;
            let location = format!("/api/v1/{}/{}", $path, created.id);
            Ok(record(StatusCode::CREATED, created.version, &created, Some(location)))
        }

        pub async fn get(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
            let found: rapport_app::access::Shown<$record> = cases::get(&state.app, &caller.actor, id).await?;
            Ok(record(StatusCode::OK, found.version, &found, None))
        }

        pub async fn update(
            State(state): State<AppState>,
            caller: Caller,
            IdPath(id): IdPath,
            IfMatch(version): IfMatch,
            JsonBody(patch): JsonBody,
        ) -> Result<Response, Problem> {
            let updated: rapport_app::access::Shown<$record> = cases::update(&state.app, &caller.actor, id, patch, version).await?;
            Ok(record(StatusCode::OK, updated.version, &updated, None))
        }

        pub async fn delete(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<StatusCode, Problem> {
            cases::delete(&state.app, &caller.actor, id).await?;
            Ok(StatusCode::NO_CONTENT)
        }

        pub async fn archive(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
            let archived: rapport_app::access::Shown<$record> = cases::set_archived(&state.app, &caller.actor, id, true).await?;
            Ok(record(StatusCode::OK, archived.version, &archived, None))
        }

        pub async fn unarchive(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
            let restored: rapport_app::access::Shown<$record> = cases::set_archived(&state.app, &caller.actor, id, false).await?;
            Ok(record(StatusCode::OK, restored.version, &restored, None))
        }

        pub async fn shares(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
            let kind = rapport_app::shares::kind_of($path).unwrap_or_default();
            let items = rapport_app::shares::list(&state.app, &caller.actor, kind, id).await?;
            Ok(Json(serde_json::json!({ "items": items })).into_response())
        }

        pub async fn share(
            State(state): State<AppState>,
            caller: Caller,
            IdPath(id): IdPath,
            JsonBody(body): JsonBody,
        ) -> Result<Response, Problem> {
            let kind = rapport_app::shares::kind_of($path).unwrap_or_default();
            let share = rapport_app::shares::create(&state.app, &caller.actor, kind, id, body).await?;
            Ok((StatusCode::CREATED, Json(share)).into_response())
        }

        pub async fn unshare(
            State(state): State<AppState>,
            caller: Caller,
            crate::api::IdPair(id, share_id): crate::api::IdPair,
        ) -> Result<StatusCode, Problem> {
            let kind = rapport_app::shares::kind_of($path).unwrap_or_default();
            rapport_app::shares::delete(&state.app, &caller.actor, kind, id, share_id).await?;
            Ok(StatusCode::NO_CONTENT)
        }

        pub async fn history(State(state): State<AppState>, caller: Caller, IdPath(id): IdPath) -> Result<Response, Problem> {
            let entries = cases::history(&state.app, &caller.actor, id).await?;
            Ok(Json(serde_json::json!({ "items": entries })).into_response())
        }
    };
}

pub(crate) use record_handlers;
