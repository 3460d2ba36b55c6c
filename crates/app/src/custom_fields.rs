//! Custom field definitions: administrators add typed fields to companies and people.

use rapport_core::Invalid;
use rapport_core::custom_fields::{CustomFieldDraft, RecordKind};
use rapport_store::StoreError;
use rapport_store::custom_fields as store;
pub use rapport_store::custom_fields::CustomField;
use serde_json::Value;
use uuid::Uuid;

use rapport_store::audit;

use crate::{Actor, App, AppError, input, now, records};

/// The kind of record custom field definitions are in the history as.
const KIND: &str = "custom_field";

pub async fn list(app: &App, kind: Option<&str>) -> Result<Vec<CustomField>, AppError> {
    let kind = match kind {
        Some(raw) => Some(
            RecordKind::parse(raw)
                .ok_or_else(|| AppError::BadRequest("record_kind must be company or person".into()))?,
        ),
        None => None,
    };
    Ok(store::list(&mut app.reader(), kind).await?)
}

pub async fn get(app: &App, id: Uuid) -> Result<CustomField, AppError> {
    store::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)
}

pub async fn create(app: &App, actor: &Actor, body: Value) -> Result<CustomField, AppError> {
    actor.require_admin()?;
    input::object_body(&body)?;
    let draft: CustomFieldDraft = input::draft(body)?;
    let spec = draft.parse()?;
    let id = Uuid::now_v7();
    let mut tx = app.db.begin().await?;
    store::insert(&mut tx, id, &spec, now()).await.map_err(|e| match e {
        StoreError::Unique(_) => {
            Invalid::one("key", "taken", "this record kind already has a field with this key").into()
        }
        other => AppError::from(other),
    })?;
    audit::record(&mut tx, KIND, id, "create", actor.user_id, now(), &records::changes(None::<&Value>, &spec)).await?;
    tx.commit().await?;
    get(app, id).await
}

/// Changes label, choices, requirement or position. The key, type and record kind stay:
/// stored values were checked against them.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<CustomField, AppError> {
    actor.require_admin()?;
    input::object_body(&patch)?;
    let current = get(app, id).await?;
    records::check_version(expected_version, current.version)?;
    let mut invalid = Invalid::default();
    if let Value::Object(fields) = &patch {
        for fixed in ["key", "type", "record_kind"] {
            if fields.contains_key(fixed) {
                invalid.push(fixed, "read_only", "cannot change once values may exist; add a new field instead");
            }
        }
    }
    invalid.into_result(()).map_err(AppError::from)?;
    let spec = &current.spec;
    let mut merged = serde_json::json!({
        "record_kind": spec.record_kind.as_str(), "key": spec.key, "label": spec.label,
        "type": spec.field_type.as_str(), "required": spec.required, "choices": spec.choices,
        "currency": spec.currency.as_ref().map(|c| c.as_str()), "target": spec.target.map(|t| t.as_str()),
        "position": spec.position,
    });
    rapport_core::merge_patch::apply(&mut merged, &patch);
    let draft: CustomFieldDraft = input::draft(merged)?;
    let new_spec = draft.parse()?;
    let mut tx = app.db.begin().await?;
    if !store::update(&mut tx, id, current.version, &new_spec, now()).await? {
        return Err(AppError::Stale { current: current.version + 1 });
    }
    let changes = records::changes(Some(&current.spec), &new_spec);
    audit::record(&mut tx, KIND, id, "update", actor.user_id, now(), &changes).await?;
    tx.commit().await?;
    get(app, id).await
}
