//! Turning a JSON body into a draft: wrong types, unknown and read-only fields become
//! field errors with their JSON path, never a panic or a silent drop.

use rapport_core::Invalid;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::AppError;

/// Fields the server sets; a client that sends them gets 422 rather than having them ignored.
pub(crate) const READ_ONLY: [&str; 9] =
    ["id", "code", "version", "created_at", "created_by", "updated_at", "updated_by", "archived_at", "full_name"];

pub(crate) fn object_body(body: &Value) -> Result<(), AppError> {
    let Value::Object(fields) = body else {
        return Err(Invalid::one("", "invalid_type", "the body must be a JSON object").into());
    };
    let mut invalid = Invalid::default();
    for key in fields.keys().filter(|k| READ_ONLY.contains(&k.as_str())) {
        invalid.push(key.clone(), "read_only", "is set by the server and cannot be changed");
    }
    invalid.into_result(()).map_err(AppError::from)
}

pub(crate) fn draft<T: DeserializeOwned>(body: Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(body).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        // The path already ends with the unknown field's own name.
        let field = if path == "." { String::new() } else { path };
        let code = if message.starts_with("unknown field") { "unknown_field" } else { "invalid_type" };
        let message = match code {
            "unknown_field" => "is not a field of this record".to_string(),
            _ => message.split(" at line").next().unwrap_or(&message).to_string(),
        };
        AppError::Invalid(Invalid::one(field, code, message))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_core::companies::CompanyDraft;
    use serde_json::json;

    fn error_of(body: Value) -> (String, &'static str) {
        match draft::<CompanyDraft>(body) {
            Err(AppError::Invalid(invalid)) => (invalid.errors[0].field.clone(), invalid.errors[0].code),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn wrong_types_and_unknown_fields_name_their_path() {
        assert_eq!(error_of(json!({"name": 5})), ("name".into(), "invalid_type"));
        assert_eq!(error_of(json!({"name": "A", "colour": "red"})), ("colour".into(), "unknown_field"));
        assert_eq!(
            error_of(json!({"name": "A", "contact_methods": [{"kind": "email", "valu": "x"}]})),
            ("contact_methods[0].valu".into(), "unknown_field")
        );
        assert!(matches!(object_body(&json!({"id": "x"})), Err(AppError::Invalid(_))));
        assert!(matches!(object_body(&json!([1])), Err(AppError::Invalid(_))));
    }
}
