//! The HTML interface: server-rendered pages over the same use cases as the API, with
//! the signed-in user as the actor. Every page works without JavaScript; the script only
//! adds conveniences.

mod activities;
mod admin;
mod assets;
mod auth;
mod bulk;
mod calendar;
mod card;
mod columns;
mod companies;
mod company_form;
mod context;
mod duplicates;
mod filters;
mod form_page;
mod forms;
mod i18n;
mod imports;
mod layout;
mod list;
mod list_filters;
mod lists;
pub(crate) mod notifications;
mod panels;
mod people;
mod person_form;
mod record_form;
mod search;
mod tasks;

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};

use crate::AppState;

pub use auth::SetupToken;

/// The pages' session cookie, for the API, which accepts it as a credential.
pub(crate) fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    context::cookie(headers, context::SESSION_COOKIE)
}

/// Compares two secrets in constant time.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    context::same(a, b)
}

/// Scripts and styles only from our own files: no inline code, no other origin, no frames.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub fn routes(state: AppState, setup_token: Option<String>) -> Router<AppState> {
    let pages = Router::new()
        .route("/", get(tasks::my_day))
        .route("/tasks", get(tasks::list).post(tasks::create))
        .route("/tasks/new", get(tasks::new_form))
        .route("/tasks/{id}", get(tasks::page))
        .route("/tasks/{id}/edit", get(tasks::edit_form).post(tasks::update))
        .route("/tasks/{id}/status", post(tasks::set_status))
        .route("/tasks/{id}/delete", post(tasks::delete))
        .route("/activities", post(activities::create))
        .route("/activities/new", get(activities::new_form))
        .route("/activities/{id}", get(activities::page))
        .route("/activities/{id}/edit", get(activities::edit_form).post(activities::update))
        .route("/activities/{id}/archive", post(activities::archive))
        .route("/companies/{id}/timeline", get(activities::company_timeline))
        .route("/people/{id}/timeline", get(activities::person_timeline))
        .route("/threads", get(activities::threads).post(activities::create_thread))
        .route("/threads/{id}", get(activities::thread))
        .route("/admin/activity-kinds", get(activities::kinds::list).post(activities::kinds::add))
        .route("/calendar", get(calendar::page))
        .route("/account/working-time", get(calendar::account::page).post(calendar::account::save))
        .route("/account/absences", post(calendar::account::add_absence))
        .route("/account/absences/{id}/delete", post(calendar::account::delete_absence))
        .route("/account/calendar-feed", post(calendar::account::feed))
        .route("/admin/holidays", get(calendar::holidays::list).post(calendar::holidays::add))
        .route("/admin/holidays/{id}/delete", post(calendar::holidays::delete))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/setup", get(auth::setup_form).post(auth::setup))
        .route("/account/password", get(auth::password_form).post(auth::change_password))
        .route("/language", post(auth::language))
        .route("/account/cards/{card}", get(panels::form).post(panels::save))
        .route("/companies", get(companies::list))
        .route("/companies/bulk", post(bulk::companies))
        .route("/people/bulk", post(bulk::people))
        .route("/companies/new", get(company_form::new_form).post(company_form::create))
        .route("/companies/{id}", get(companies::card))
        .route("/companies/{id}/edit", get(company_form::edit_form).post(company_form::update))
        .route("/filters", post(filters::save))
        .route("/filters/{id}/delete", post(filters::delete))
        .route("/lists", get(lists::index).post(lists::create))
        .route("/lists/add", post(lists::add))
        .route("/lists/{id}", get(lists::page).post(lists::update))
        .route("/lists/{id}/delete", post(lists::delete))
        .route("/lists/{id}/members/{record}/delete", post(lists::remove_member))
        .route(
            "/imports",
            get(imports::index).post(imports::upload).layer(axum::extract::DefaultBodyLimit::max(
                rapport_app::imports::read::MAX_FILE as usize + 1024 * 1024,
            )),
        )
        .route("/imports/{id}", get(imports::page))
        .route("/imports/{id}/start", post(imports::start))
        .route("/imports/{id}/undo", post(imports::undo))
        .route("/notifications", get(notifications::list))
        .route("/search", get(search::page))
        .route("/search/suggest", get(search::suggest))
        .route("/notifications/{id}/read", post(notifications::mark_read))
        .route("/notifications/read-all", post(notifications::mark_all_read))
        .route("/account/notifications", get(notifications::preferences::page).post(notifications::preferences::save))
        .route("/admin/users", get(admin::users::users))
        .route("/admin/users/new", get(admin::users::new_user).post(admin::users::create_user))
        .route("/admin/users/{id}", get(admin::users::edit_user).post(admin::users::update_user))
        .route("/admin/users/{id}/password", post(admin::users::reset_password))
        .route("/admin/custom-fields", get(admin::custom_fields::list))
        .route("/admin/custom-fields/new", get(admin::custom_fields::new_form).post(admin::custom_fields::create))
        .route("/admin/custom-fields/{id}", get(admin::custom_fields::edit_form).post(admin::custom_fields::update))
        .route("/admin/categories", get(admin::categories::list).post(admin::categories::create_kind))
        .route("/admin/categories/{id}", get(admin::categories::kind).post(admin::categories::update_kind))
        .route("/admin/categories/{id}/delete", post(admin::categories::delete_kind))
        .route("/admin/categories/{id}/values", post(admin::categories::add_value))
        .route("/admin/categories/{id}/values/{value}", post(admin::categories::rename_value))
        .route("/admin/categories/{id}/values/{value}/delete", post(admin::categories::delete_value))
        .route("/admin/lists", get(admin::lists))
        .route("/duplicates", get(duplicates::review))
        .route("/duplicates/scan", post(duplicates::scan))
        .route("/duplicates/{id}/dismiss", post(duplicates::dismiss))
        .route("/merges/new", get(duplicates::merge_form))
        .route("/merges", post(duplicates::merge))
        .route("/people", get(people::list))
        .route("/people/new", get(person_form::new_form).post(person_form::create))
        .route("/people/{id}", get(people::card))
        .route("/people/{id}/edit", get(person_form::edit_form).post(person_form::update))
        .layer(middleware::from_fn_with_state(state, context::middleware))
        .layer(Extension(SetupToken(setup_token.map(Arc::from))));
    Router::new().merge(pages).route("/assets/{*path}", get(assets::serve)).layer(middleware::from_fn(security_headers))
}

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        // Pages show one user's data: never keep them in a shared cache.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    response
}
