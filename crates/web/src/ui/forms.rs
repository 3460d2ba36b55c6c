//! Field-level messages for forms: the use cases name each invalid input by its API path
//! (`name`, `contact_methods[0].value`), which is also the input's name in the form, so a
//! message lands next to the field it is about.

use rapport_app::AppError;
use rapport_core::Invalid;

use super::i18n::L;

/// The messages of one submitted form, by input name.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors {
    pub items: Vec<(String, String)>,
}

impl FieldErrors {
    /// Messages in the page's language where the catalogue knows the error's code; the
    /// use case's own (English) words otherwise.
    pub fn from_invalid(l: &L, invalid: &Invalid) -> FieldErrors {
        let items = invalid
            .errors
            .iter()
            .map(|e| {
                let message = l.find(&format!("invalid-{}", e.code)).unwrap_or_else(|| e.message.clone());
                (e.field.clone(), message)
            })
            .collect();
        FieldErrors { items }
    }

    pub fn one(field: &str, message: String) -> FieldErrors {
        FieldErrors { items: vec![(field.to_string(), message)] }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The message for an input, or an empty string.
    pub fn get(&self, field: &str) -> String {
        self.items.iter().filter(|(f, _)| f == field).map(|(_, m)| m.as_str()).collect::<Vec<_>>().join("; ")
    }

    pub fn has(&self, field: &str) -> bool {
        self.items.iter().any(|(f, _)| f == field)
    }

    /// Messages about no input on the form (e.g. the whole list of addresses).
    pub fn others(&self, shown: &[String]) -> Vec<String> {
        self.items.iter().filter(|(f, _)| !shown.contains(f)).map(|(f, m)| format!("{f}: {m}")).collect()
    }
}

/// Splits a use case's answer into field messages (shown on the form) and everything
/// else (shown as a page).
pub fn field_errors(l: &L, error: AppError) -> Result<FieldErrors, AppError> {
    match error {
        AppError::Invalid(invalid) => Ok(FieldErrors::from_invalid(l, &invalid)),
        other => Err(other),
    }
}
