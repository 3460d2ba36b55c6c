use serde::Serialize;

/// One problem with one input field, addressed by its JSON path (`addresses[1].country`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code, message: message.into() }
    }
}

/// Every problem found in one input, so a form can show them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{} field(s) are invalid", .errors.len())]
pub struct Invalid {
    pub errors: Vec<FieldError>,
}

impl Invalid {
    pub fn one(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { errors: vec![FieldError::new(field, code, message)] }
    }

    pub fn push(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, code, message));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Keeps the value when it parsed, records the problem under `field` when it did not.
    pub fn take<T, E: std::fmt::Display + Coded>(&mut self, field: &str, parsed: Result<T, E>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(field, error.code(), error.to_string());
                None
            }
        }
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Invalid> {
        if self.errors.is_empty() { Ok(value) } else { Err(self) }
    }
}

/// A machine-readable code for a parse error, shown to API clients next to the message.
pub trait Coded {
    fn code(&self) -> &'static str;
}
