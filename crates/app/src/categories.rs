//! Category kinds and values, administered by administrators. The built-in kinds `stage`
//! (relationship stages) and `level` (customer levels) are seeded on first start.

use rapport_core::Invalid;
use rapport_core::text;
use rapport_store::categories::{self as store, NewKind};
pub use rapport_store::categories::{CategoryValue, Kind};
use rapport_store::{StoreError, audit};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::{Actor, App, AppError, input, now};

/// A built-in list: its key, its name, and its values as (key, name).
type BuiltIn = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

const DEFAULTS: [BuiltIn; 2] = [
    (
        "stage",
        "Relationship stage",
        &[("growing", "Growing"), ("mature", "Mature"), ("declining", "Declining"), ("closed", "Closed")],
    ),
    ("level", "Customer level", &[("A", "A"), ("B", "B"), ("C", "C")]),
];

/// Seeds the built-in lists when they are missing. Safe when two servers start at once:
/// the loser of the race meets the unique key and leaves the winner's rows alone.
pub async fn ensure_defaults(app: &App) -> Result<(), AppError> {
    let existing = store::list(&mut app.reader()).await?;
    for (position, (key, name, values)) in DEFAULTS.iter().enumerate() {
        if existing.iter().any(|k| k.key == *key) {
            continue;
        }
        let mut tx = app.db.begin().await?;
        let id = Uuid::now_v7();
        match store::insert_kind(
            &mut tx,
            NewKind { id, key, name, multiple: false, system: true, position: position as i32 },
            now(),
        )
        .await
        {
            Err(StoreError::Unique(_)) => continue,
            other => other?,
        }
        for (i, (value_key, value_name)) in values.iter().enumerate() {
            store::insert_value(&mut tx, id, value_key, value_name, i as i32).await?;
        }
        match tx.commit().await {
            Err(StoreError::Unique(_)) => continue,
            other => other?,
        }
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDraft {
    pub key: Option<String>,
    pub name: Option<String>,
    pub multiple: Option<bool>,
    pub position: Option<i32>,
    pub values: Option<Vec<ValueDraft>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueDraft {
    pub key: Option<String>,
    pub name: Option<String>,
    pub position: Option<i32>,
}

fn valid_key(key: &str) -> bool {
    (1..=64).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn parse_key(raw: Option<&str>, field: &str, invalid: &mut Invalid) -> String {
    let key = raw.map(str::trim).unwrap_or_default().to_string();
    if !valid_key(&key) {
        invalid.push(field, "invalid_key", "a key is 1 to 64 letters, digits, '_' or '-'");
    }
    key
}

/// Records a change to a category kind (or its values) in the history.
async fn record(
    tx: &mut rapport_store::Tx,
    actor: &Actor,
    id: Uuid,
    action: &str,
    detail: Value,
) -> Result<(), AppError> {
    let changes = crate::records::changes(None::<&Value>, &detail);
    audit::record(tx, "category", id, action, actor.user_id, now(), &changes).await?;
    Ok(())
}

pub async fn list(app: &App) -> Result<Vec<Kind>, AppError> {
    Ok(store::list(&mut app.reader()).await?)
}

pub async fn get(app: &App, id: Uuid) -> Result<Kind, AppError> {
    store::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)
}

pub async fn create_kind(app: &App, actor: &Actor, body: Value) -> Result<Kind, AppError> {
    actor.require_admin()?;
    let draft: KindDraft = input::draft(body)?;
    let mut invalid = Invalid::default();
    let key = parse_key(draft.key.as_deref(), "key", &mut invalid);
    let name = invalid.take("name", text::required(draft.name.as_deref(), 100));
    let mut values = Vec::new();
    for (i, value) in draft.values.iter().flatten().enumerate() {
        let value_key = parse_key(value.key.as_deref(), &format!("values[{i}].key"), &mut invalid);
        let value_name = invalid
            .take(&format!("values[{i}].name"), text::required(value.name.as_deref().or(value.key.as_deref()), 100));
        if values.iter().any(|(k, _, _)| *k == value_key) {
            invalid.push(format!("values[{i}].key"), "duplicate", "is listed twice");
        }
        values.push((value_key, value_name.unwrap_or_default(), value.position.unwrap_or(i as i32)));
    }
    let Some(name) = name else { return Err(invalid.into()) };
    invalid.into_result(()).map_err(AppError::from)?;
    let id = Uuid::now_v7();
    let mut tx = app.db.begin().await?;
    store::insert_kind(
        &mut tx,
        NewKind {
            id,
            key: &key,
            name: &name,
            multiple: draft.multiple.unwrap_or(true),
            system: false,
            position: draft.position.unwrap_or(100),
        },
        now(),
    )
    .await
    .map_err(|e| match e {
        StoreError::Unique(_) => Invalid::one("key", "taken", "another category kind has this key").into(),
        other => AppError::from(other),
    })?;
    for (key, name, position) in &values {
        store::insert_value(&mut tx, id, key, name, *position).await?;
    }
    let value_keys: Vec<&str> = values.iter().map(|(k, _, _)| k.as_str()).collect();
    record(&mut tx, actor, id, "create", serde_json::json!({"key": key, "name": name, "values": value_keys})).await?;
    tx.commit().await?;
    get(app, id).await
}

pub async fn update_kind(app: &App, actor: &Actor, id: Uuid, body: Value) -> Result<Kind, AppError> {
    actor.require_admin()?;
    let draft: KindDraft = input::draft(body)?;
    if draft.key.is_some() || draft.values.is_some() {
        return Err(Invalid::one("key", "read_only", "change the key or the values through their own endpoints").into());
    }
    let kind = get(app, id).await?;
    let mut invalid = Invalid::default();
    let name = match draft.name.as_deref() {
        Some(raw) => invalid.take("name", text::required(Some(raw), 100)),
        None => Some(kind.name.clone()),
    };
    let Some(name) = name else { return Err(invalid.into()) };
    let mut tx = app.db.begin().await?;
    let (multiple, position) = (draft.multiple.unwrap_or(kind.multiple), draft.position.unwrap_or(kind.position));
    store::update_kind(&mut tx, id, &name, multiple, position).await?;
    record(&mut tx, actor, id, "update", serde_json::json!({"name": name, "multiple": multiple, "position": position}))
        .await?;
    tx.commit().await?;
    get(app, id).await
}

pub async fn delete_kind(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    actor.require_admin()?;
    let kind = get(app, id).await?;
    if kind.system {
        return Err(AppError::Forbidden(format!("{} is built in; its values can be changed but it stays", kind.key)));
    }
    let mut tx = app.db.begin().await?;
    let ids: Vec<Uuid> = kind.values.iter().map(|v| v.id).collect();
    let used = store::usage(&mut tx, &ids).await?;
    if used > 0 {
        return Err(AppError::Conflict {
            message: format!("{used} record(s) use values of {}", kind.name),
            referrers: vec![],
        });
    }
    store::delete_kind(&mut tx, id).await?;
    record(&mut tx, actor, id, "delete", serde_json::json!({"key": kind.key})).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_value(app: &App, actor: &Actor, kind_id: Uuid, body: Value) -> Result<Kind, AppError> {
    actor.require_admin()?;
    let draft: ValueDraft = input::draft(body)?;
    let kind = get(app, kind_id).await?;
    let mut invalid = Invalid::default();
    let key = parse_key(draft.key.as_deref(), "key", &mut invalid);
    let name = invalid.take("name", text::required(draft.name.as_deref().or(draft.key.as_deref()), 100));
    if kind.values.iter().any(|v| v.key == key) {
        invalid.push("key", "taken", "this kind already has a value with this key");
    }
    let Some(name) = name else { return Err(invalid.into()) };
    invalid.into_result(()).map_err(AppError::from)?;
    let mut tx = app.db.begin().await?;
    store::insert_value(&mut tx, kind_id, &key, &name, draft.position.unwrap_or(kind.values.len() as i32)).await?;
    record(&mut tx, actor, kind_id, "add_value", serde_json::json!({"key": key, "name": name})).await?;
    tx.commit().await?;
    get(app, kind_id).await
}

pub async fn update_value(
    app: &App,
    actor: &Actor,
    kind_id: Uuid,
    value_id: Uuid,
    body: Value,
) -> Result<Kind, AppError> {
    actor.require_admin()?;
    let draft: ValueDraft = input::draft(body)?;
    if draft.key.is_some() {
        return Err(Invalid::one("key", "read_only", "a value's key cannot change; add a new value instead").into());
    }
    let kind = get(app, kind_id).await?;
    let value = kind.values.iter().find(|v| v.id == value_id).ok_or(AppError::NotFound)?;
    let mut invalid = Invalid::default();
    let name = match draft.name.as_deref() {
        Some(raw) => invalid.take("name", text::required(Some(raw), 100)),
        None => Some(value.name.clone()),
    };
    let Some(name) = name else { return Err(invalid.into()) };
    let mut tx = app.db.begin().await?;
    store::update_value(&mut tx, value_id, &name, draft.position.unwrap_or(value.position)).await?;
    record(&mut tx, actor, kind_id, "update_value", serde_json::json!({"key": value.key, "name": name})).await?;
    tx.commit().await?;
    get(app, kind_id).await
}

pub async fn delete_value(app: &App, actor: &Actor, kind_id: Uuid, value_id: Uuid) -> Result<(), AppError> {
    actor.require_admin()?;
    let kind = get(app, kind_id).await?;
    let value = kind.values.iter().find(|v| v.id == value_id).ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    let used = match kind.key.as_str() {
        "stage" | "level" if kind.system => {
            store::key_usage(&mut tx, if kind.key == "stage" { "stage" } else { "level" }, &value.key).await?
        }
        _ => store::usage(&mut tx, &[value_id]).await?,
    };
    if used > 0 {
        return Err(AppError::Conflict { message: format!("{used} record(s) use {}", value.name), referrers: vec![] });
    }
    store::delete_value(&mut tx, value_id).await?;
    record(&mut tx, actor, kind_id, "delete_value", serde_json::json!({"key": value.key})).await?;
    tx.commit().await?;
    Ok(())
}
