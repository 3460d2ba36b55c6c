//! The JSON API (`/api/v1`), as `shared/API.md` describes it.

mod access;
mod activities;
mod auth;
mod calendar;
mod categories;
mod companies;
mod custom_fields;
mod duplicates;
mod extract;
mod filters;
mod imports;
mod lists;
mod notifications;
mod people;
mod records;
mod search;
mod tasks;
mod users;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub use extract::{Caller, Credential, IdPair, IdPath, IfMatch, JsonBody, QueryPairs};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/tokens", post(auth::create_token))
        .route("/auth/tokens/current", axum::routing::delete(auth::revoke_current))
        .route("/search", get(search::search))
        .route("/users", get(users::list).post(users::create))
        .route("/users/me", get(users::me))
        .route(
            "/users/me/notification-preferences",
            get(notifications::preferences).put(notifications::set_preferences),
        )
        .route("/users/me/calendar-feed", get(calendar::feed).post(calendar::rotate_feed).delete(calendar::revoke_feed))
        .route("/users/me/calendar-feed/revoke", post(calendar::rotate_feed))
        .route("/users/{id}/working-time", get(calendar::working_time).patch(calendar::set_working_time))
        .route("/users/{id}/absences", get(calendar::absences).post(calendar::add_absence))
        .route("/users/{id}/absences/{absence_id}", axum::routing::delete(calendar::delete_absence))
        .route("/holidays", get(calendar::holidays).post(calendar::add_holiday))
        .route("/holidays/{id}", axum::routing::delete(calendar::delete_holiday))
        .route("/calendar", get(calendar::view))
        .route("/calendar/free-slot", get(calendar::free_slot))
        .route("/activities", get(activities::list).post(activities::create))
        .route("/activities/{id}", get(activities::get).patch(activities::update).delete(activities::archive))
        .route("/activities/{id}/unarchive", post(activities::unarchive))
        .route("/activities/{id}/history", get(activities::history))
        .route("/companies/{id}/timeline", get(activities::company_timeline))
        .route("/people/{id}/timeline", get(activities::person_timeline))
        .route("/threads", get(activities::threads).post(activities::create_thread))
        .route("/threads/{id}", get(activities::thread))
        .route("/activity-kinds", get(activities::kinds).post(activities::create_kind))
        .route("/tasks", get(tasks::list).post(tasks::create))
        .route("/tasks/{id}", get(tasks::get).patch(tasks::update).delete(tasks::delete))
        .route("/tasks/{id}/history", get(tasks::history))
        .route("/users/{id}", get(users::get).patch(users::update))
        .route("/users/{id}/history", get(admin_history))
        .route("/companies", get(companies::list).post(companies::create))
        .route("/companies/export", get(imports::export_companies))
        .route("/people/export", get(imports::export_people))
        .route(
            "/imports",
            get(imports::list).post(imports::create).layer(axum::extract::DefaultBodyLimit::max(
                rapport_app::imports::read::MAX_FILE as usize + 1024 * 1024,
            )),
        )
        .route("/imports/{id}", get(imports::get))
        .route("/imports/{id}/columns", get(imports::columns))
        .route("/imports/{id}/run", post(imports::run))
        .route("/imports/{id}/undo", post(imports::undo))
        .route("/imports/{id}/report", get(imports::report))
        .route("/import-mappings", get(imports::mappings).post(imports::save_mapping))
        .route("/import-mappings/{id}", axum::routing::delete(imports::delete_mapping))
        .route("/companies/{id}", get(companies::get).patch(companies::update).delete(companies::delete))
        .route("/companies/{id}/history", get(companies::history))
        .route("/companies/{id}/shares", get(companies::shares).post(companies::share))
        .route("/companies/{id}/shares/{share_id}", axum::routing::delete(companies::unshare))
        .route("/companies/{id}/lists", get(lists::of_company))
        .route("/companies/{id}/archive", post(companies::archive))
        .route("/companies/{id}/unarchive", post(companies::unarchive))
        .route("/people", get(people::list).post(people::create))
        .route("/duplicates", get(duplicates::findings))
        .route("/duplicates/check", post(duplicates::check))
        .route("/duplicates/scan", post(duplicates::scan))
        .route("/duplicates/scans/{id}", get(duplicates::scan_state))
        .route("/duplicates/{id}/dismiss", post(duplicates::dismiss))
        .route("/merges", post(duplicates::merge))
        .route("/people/{id}", get(people::get).patch(people::update).delete(people::delete))
        .route("/people/{id}/history", get(people::history))
        .route("/people/{id}/shares", get(people::shares).post(people::share))
        .route("/people/{id}/shares/{share_id}", axum::routing::delete(people::unshare))
        .route("/people/{id}/lists", get(lists::of_person))
        .route("/people/{id}/archive", post(people::archive))
        .route("/people/{id}/unarchive", post(people::unarchive))
        .route("/filters", get(filters::list).post(filters::create))
        .route("/filters/{id}", get(filters::get).patch(filters::update).delete(filters::delete))
        .route("/filters/{id}/history", get(filters::history))
        .route("/lists", get(lists::list).post(lists::create))
        .route("/lists/{id}", get(lists::get).patch(lists::update).delete(lists::delete))
        .route("/lists/{id}/history", get(lists::history))
        .route("/lists/{id}/members", get(lists::members).post(lists::add_members))
        .route("/lists/{id}/members/export", get(lists::export))
        .route("/lists/{id}/members/{record_id}", axum::routing::delete(lists::remove_member))
        .route("/roles", get(access::list_roles).post(access::create_role))
        .route("/roles/{id}", get(access::get_role).patch(access::update_role))
        .route("/roles/{id}/history", get(admin_history))
        .route("/teams", get(access::list_teams).post(access::create_team))
        .route("/teams/{id}", get(access::get_team).patch(access::update_team))
        .route("/teams/{id}/history", get(admin_history))
        .route("/deletion-requests", get(access::list_deletion_requests).post(access::file_deletion_request))
        .route("/deletion-requests/{id}", get(access::get_deletion_request))
        .route("/deletion-requests/{id}/approve", post(access::approve))
        .route("/deletion-requests/{id}/reject", post(access::reject))
        .route("/notifications", get(notifications::list))
        .route("/notifications/read-all", post(notifications::read_all))
        .route("/notifications/email-failures", get(notifications::email_failures))
        .route("/notifications/{id}/read", post(notifications::mark_read))
        .route("/custom-fields", get(custom_fields::list).post(custom_fields::create))
        .route("/custom-fields/{id}", get(custom_fields::get).patch(custom_fields::update))
        .route("/custom-fields/{id}/history", get(admin_history))
        .route("/categories", get(categories::list).post(categories::create))
        .route("/categories/{id}", get(categories::get).patch(categories::update).delete(categories::delete))
        .route("/categories/{id}/history", get(admin_history))
        .route("/categories/{id}/values", post(categories::add_value))
        .route(
            "/categories/{id}/values/{value_id}",
            axum::routing::patch(categories::update_value).delete(categories::delete_value),
        )
}

/// The calendar feeds, outside `/api/v1`: calendar programs fetch them with the secret in
/// the address and nothing else.
pub fn feed_routes() -> Router<AppState> {
    Router::new().route("/feeds/{file}", get(calendar::feed_file))
}

/// `GET /{users,custom-fields,categories}/{id}/history`, for administrators.
async fn admin_history(
    axum::extract::State(state): axum::extract::State<AppState>,
    caller: Caller,
    IdPath(id): IdPath,
) -> Result<axum::Json<serde_json::Value>, crate::problem::Problem> {
    let entries = rapport_app::history::of_admin_record(&state.app, &caller.actor, id).await?;
    Ok(axum::Json(serde_json::json!({ "items": entries })))
}
