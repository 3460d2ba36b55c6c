//! Roles: what each kind of user may do. Built-in roles can be adjusted, except `admin`,
//! which keeps every right so the firm can never lock itself out.

use rapport_core::Invalid;
use rapport_core::access::Grants;
use rapport_core::text;
use rapport_store::access::{self as store, Role};
use rapport_store::{StoreError, audit};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::{Actor, App, AppError, input, now, records};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleDraft {
    key: Option<String>,
    name: Option<String>,
    #[serde(default)]
    grants: Option<serde_json::Map<String, Value>>,
    #[serde(default)]
    fields: Option<serde_json::Map<String, Value>>,
}

fn parse_grants(draft: &RoleDraft) -> Result<Grants, AppError> {
    let value = serde_json::json!({"grants": draft.grants.clone().unwrap_or_default(), "fields": draft.fields.clone().unwrap_or_default()});
    let grants: Grants = input::draft(value)?;
    grants.check()?;
    Ok(grants)
}

pub async fn list(app: &App, actor: &Actor) -> Result<Vec<Role>, AppError> {
    actor.require_admin()?;
    Ok(store::roles(&mut app.reader()).await?)
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<Role, AppError> {
    actor.require_admin()?;
    store::role_by_id(&mut app.reader(), id).await?.ok_or(AppError::NotFound)
}

pub async fn create(app: &App, actor: &Actor, body: Value) -> Result<Role, AppError> {
    actor.require_admin()?;
    input::object_body(&body)?;
    let draft: RoleDraft = input::draft(body)?;
    let key = draft.key.as_deref().map(str::trim).unwrap_or_default().to_string();
    if key.is_empty()
        || key.len() > 50
        || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(Invalid::one("key", "invalid_key", "a role key is lower-case letters, digits and '_'").into());
    }
    let name =
        text::required(draft.name.as_deref(), 100).map_err(|e| Invalid::one("name", "required", e.to_string()))?;
    let grants = parse_grants(&draft)?;
    let mut tx = app.db.begin().await?;
    let id = store::insert_role(&mut tx, &key, &name, false, &grants, now()).await.map_err(|e| match e {
        StoreError::Unique(_) => Invalid::one("key", "taken", "another role has this key").into(),
        other => AppError::from(other),
    })?;
    let snapshot = serde_json::json!({"key": key, "name": name, "rights": grants});
    audit::record(&mut tx, "role", id, "create", actor.user_id, now(), &records::changes(None::<&Value>, &snapshot))
        .await?;
    tx.commit().await?;
    app.callers.clear();
    get(app, actor, id).await
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<Role, AppError> {
    actor.require_admin()?;
    input::object_body(&patch)?;
    let current = get(app, actor, id).await?;
    records::check_version(expected_version, current.version)?;
    if current.key == "admin" {
        return Err(AppError::Forbidden("the admin role always keeps every right".into()));
    }
    let draft: RoleDraft = input::draft(patch)?;
    if draft.key.is_some() {
        return Err(Invalid::one("key", "read_only", "a role's key cannot change").into());
    }
    let mut role = current.clone();
    if let Some(name) = draft.name.as_deref() {
        role.name = text::required(Some(name), 100).map_err(|e| Invalid::one("name", "required", e.to_string()))?;
    }
    if draft.grants.is_some() || draft.fields.is_some() {
        let merged = RoleDraft {
            key: None,
            name: None,
            grants: draft.grants.clone().or_else(|| as_map(&current.grants.grants)),
            fields: draft.fields.clone().or_else(|| as_map(&current.grants.fields)),
        };
        role.grants = parse_grants(&merged)?;
    }
    let mut tx = app.db.begin().await?;
    if !store::update_role(&mut tx, &role, now()).await? {
        return Err(AppError::Stale { current: current.version + 1 });
    }
    let before = serde_json::json!({"name": current.name, "rights": current.grants});
    let after = serde_json::json!({"name": role.name, "rights": role.grants});
    audit::record(&mut tx, "role", id, "update", actor.user_id, now(), &records::changes(Some(&before), &after))
        .await?;
    tx.commit().await?;
    app.callers.clear();
    get(app, actor, id).await
}

fn as_map<T: serde::Serialize>(value: &T) -> Option<serde_json::Map<String, Value>> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}
