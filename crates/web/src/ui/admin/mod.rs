//! Administration: users, custom fields, and the category lists (the built-in customer
//! levels and relationship stages among them). Every change goes through the same use
//! cases as the API, so the access rules and the history hold; the pages only check
//! for an administrator up front so that a refused user sees no half-built form.

pub mod categories;
pub mod custom_fields;
pub mod users;

use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::AppError;
use rapport_core::Invalid;

use super::context::{FormData, Viewer};
use super::forms::FieldErrors;
use super::i18n::L;
use super::list::param;

/// `/admin/lists` was the read-only overview before the lists could be edited here;
/// old bookmarks land on the page that replaced it.
pub async fn lists(viewer: Viewer) -> Result<Response, super::layout::UiError> {
    viewer.actor().require_admin()?;
    Ok(Redirect::to("/admin/categories").into_response())
}

/// The success notice named in the address after a redirect (`?done=field-saved`). Only
/// messages of the catalogue are shown, so an address cannot put words on the page.
pub fn notice(l: &L, pairs: &[(String, String)]) -> String {
    match param(pairs, "done") {
        "" => String::new(),
        done if done.chars().all(|c| c.is_ascii_lowercase() || c == '-') => {
            l.find(&format!("admin-done-{done}")).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// Field messages for an administration form. The same code means different things on
/// different forms (`taken` is a login on one, a key on another), so the catalogue is
/// asked for the form's own wording (`invalid-field-taken`) before the general one.
/// `rename` maps the use case's field names onto the form's inputs.
pub fn field_errors(l: &L, error: AppError, scope: &str, rename: &[(&str, &str)]) -> Result<FieldErrors, AppError> {
    let AppError::Invalid(invalid) = error else { return Err(error) };
    Ok(messages(l, &invalid, scope, rename))
}

fn messages(l: &L, invalid: &Invalid, scope: &str, rename: &[(&str, &str)]) -> FieldErrors {
    let items = invalid
        .errors
        .iter()
        .map(|e| {
            let message = l
                .find(&format!("invalid-{scope}-{}", e.code))
                .or_else(|| l.find(&format!("invalid-{}", e.code)))
                .unwrap_or_else(|| e.message.clone());
            // `choices[2]` is a line of the one choices box.
            let base = e.field.split('[').next().unwrap_or(&e.field);
            let field = rename.iter().find(|(from, _)| *from == base).map(|(_, to)| *to).unwrap_or(base);
            (field.to_string(), message)
        })
        .collect();
    FieldErrors { items }
}

/// What a form sent for an input, or `stored` when the input was not on it.
pub fn kept(form: Option<&FormData>, name: &str, stored: &str) -> String {
    match form.and_then(|f| f.0.iter().find(|(n, _)| n == name)) {
        Some((_, value)) => value.clone(),
        None => stored.to_string(),
    }
}

/// A checkbox's state: as sent when a form came back, else as stored.
pub fn checked(form: Option<&FormData>, name: &str, stored: bool) -> bool {
    match form {
        Some(f) => f.get(name) == "true",
        None => stored,
    }
}
