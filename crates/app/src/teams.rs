//! Teams in a hierarchy, each with a manager who sees what the team owns.

use rapport_core::Invalid;
use rapport_core::text;
use rapport_store::access::{self as store, Team};
use rapport_store::{StoreError, audit, users};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::{Actor, App, AppError, input, now, records};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamDraft {
    name: Option<String>,
    parent_id: Option<Uuid>,
    manager_id: Option<Uuid>,
}

pub async fn list(app: &App, _actor: &Actor) -> Result<Vec<Team>, AppError> {
    Ok(store::teams(&mut app.reader()).await?)
}

pub async fn get(app: &App, _actor: &Actor, id: Uuid) -> Result<Team, AppError> {
    store::teams(&mut app.reader()).await?.into_iter().find(|t| t.id == id).ok_or(AppError::NotFound)
}

/// Checks name, parent (no cycles) and manager; `id` is the team being changed, if any.
async fn check(app: &App, team: &Team, id: Option<Uuid>) -> Result<(), AppError> {
    let mut db = app.reader();
    let teams = store::teams(&mut db).await?;
    let mut invalid = Invalid::default();
    if let Some(parent) = team.parent_id {
        let mut cursor = Some(parent);
        let mut steps = 0;
        while let Some(current) = cursor {
            if Some(current) == id {
                invalid.push("parent_id", "cycle", "a team cannot be below itself");
                break;
            }
            match teams.iter().find(|t| t.id == current) {
                Some(found) => cursor = found.parent_id,
                None => {
                    invalid.push("parent_id", "unknown_team", "no team has this id");
                    break;
                }
            }
            steps += 1;
            if steps > teams.len() {
                break;
            }
        }
    }
    if let Some(manager) = team.manager_id
        && users::get(&mut db, manager).await?.is_none()
    {
        invalid.push("manager_id", "unknown_user", "no user has this id");
    }
    invalid.into_result(()).map_err(AppError::from)
}

fn snapshot(team: &Team) -> Value {
    serde_json::json!({"name": team.name, "parent_id": team.parent_id, "manager_id": team.manager_id})
}

fn name_taken(error: StoreError) -> AppError {
    match error {
        StoreError::Unique(_) => Invalid::one("name", "taken", "another team has this name").into(),
        other => other.into(),
    }
}

pub async fn create(app: &App, actor: &Actor, body: Value) -> Result<Team, AppError> {
    actor.require_admin()?;
    input::object_body(&body)?;
    let draft: TeamDraft = input::draft(body)?;
    let name =
        text::required(draft.name.as_deref(), 100).map_err(|e| Invalid::one("name", "required", e.to_string()))?;
    let at = now();
    let team = Team {
        id: Uuid::now_v7(),
        name,
        parent_id: draft.parent_id,
        manager_id: draft.manager_id,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    check(app, &team, None).await?;
    let mut tx = app.db.begin().await?;
    store::insert_team(&mut tx, &team).await.map_err(name_taken)?;
    audit::record(
        &mut tx,
        "team",
        team.id,
        "create",
        actor.user_id,
        at,
        &records::changes(None::<&Value>, &snapshot(&team)),
    )
    .await?;
    tx.commit().await?;
    app.callers.clear();
    Ok(team)
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<Team, AppError> {
    actor.require_admin()?;
    input::object_body(&patch)?;
    let current = get(app, actor, id).await?;
    records::check_version(expected_version, current.version)?;
    let mut merged = snapshot(&current);
    rapport_core::merge_patch::apply(&mut merged, &patch);
    let draft: TeamDraft = input::draft(merged)?;
    let name =
        text::required(draft.name.as_deref(), 100).map_err(|e| Invalid::one("name", "required", e.to_string()))?;
    let team = Team { name, parent_id: draft.parent_id, manager_id: draft.manager_id, ..current.clone() };
    check(app, &team, Some(id)).await?;
    let at = now();
    let mut tx = app.db.begin().await?;
    if !store::update_team(&mut tx, &team, at).await.map_err(name_taken)? {
        return Err(AppError::Stale { current: current.version + 1 });
    }
    let changes = records::changes(Some(&snapshot(&current)), &snapshot(&team));
    audit::record(&mut tx, "team", id, "update", actor.user_id, at, &changes).await?;
    tx.commit().await?;
    app.callers.clear();
    get(app, actor, id).await
}
