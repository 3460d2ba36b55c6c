//! Distribution lists of companies or people: static lists whose members are added by
//! hand (one by one, or a filter's result at once), and dynamic lists whose members are
//! whatever their saved filter finds now. Lists are private or shared with a team, as
//! saved filters are, and only the owner (or an administrator) changes one.

mod members;

pub use members::{Added, Members, add_members, lists_of, members, remove_member};
pub use rapport_store::lists::List;

use rapport_core::Invalid;
use rapport_core::merge_patch;
use rapport_store::filters as stored_filters;
use rapport_store::lists as store;
use rapport_store::{Exec, audit};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::filters::{check_change, check_collection, check_name, check_team, may_see, seen};
use crate::{Actor, App, AppError, input, now, records};

const KIND: &str = "list";

/// A list as a client writes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Draft {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    collection: String,
    #[serde(default)]
    filter_id: Option<Uuid>,
    #[serde(default)]
    shared_with_team_id: Option<Uuid>,
}

impl Draft {
    fn of(list: &List) -> Draft {
        Draft {
            name: list.name.clone(),
            description: list.description.clone(),
            kind: list.kind.clone(),
            collection: list.collection.clone(),
            filter_id: list.filter_id,
            shared_with_team_id: list.shared_with_team_id,
        }
    }
}

async fn check(ex: &mut impl Exec, actor: &Actor, draft: &mut Draft) -> Result<(), AppError> {
    let mut invalid = Invalid::default();
    check_name(&draft.name, &mut invalid);
    draft.name = draft.name.trim().to_string();
    draft.description = draft.description.take().map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
    if draft.description.as_ref().is_some_and(|d| d.chars().count() > 2000) {
        invalid.push("description", "too_long", "at most 2000 characters");
    }
    check_collection(&draft.collection, &mut invalid);
    match (draft.kind.as_str(), draft.filter_id) {
        ("static", None) => {}
        ("static", Some(_)) => invalid.push(
            "filter_id",
            "not_allowed",
            "a static list keeps its members; only a dynamic list has a filter",
        ),
        ("dynamic", None) => invalid.push("filter_id", "required", "a dynamic list needs the saved filter it shows"),
        ("dynamic", Some(id)) => match stored_filters::get(ex, id).await? {
            Some(f) if may_see(actor, f.owner_id, f.shared_with_team_id) => {
                if f.collection != draft.collection {
                    invalid.push("filter_id", "wrong_collection", format!("this filter is for {}", f.collection));
                }
            }
            _ => invalid.push("filter_id", "unknown_filter", "no saved filter has this id"),
        },
        _ => invalid.push("kind", "invalid_choice", "kind must be static or dynamic"),
    }
    check_team(ex, actor, draft.shared_with_team_id, &mut invalid).await?;
    invalid.into_result(()).map_err(AppError::from)
}

pub async fn create(app: &App, actor: &Actor, body: Value) -> Result<List, AppError> {
    let owner_id =
        actor.user_id.ok_or_else(|| AppError::Forbidden("filters and lists belong to a signed-in user".into()))?;
    input::object_body(&body)?;
    let mut draft: Draft = input::draft(body)?;
    let mut tx = app.db.begin().await?;
    check(&mut tx, actor, &mut draft).await?;
    let at = now();
    let list = List {
        id: Uuid::now_v7(),
        name: draft.name.clone(),
        description: draft.description.clone(),
        kind: draft.kind.clone(),
        collection: draft.collection.clone(),
        filter_id: draft.filter_id,
        owner_id,
        shared_with_team_id: draft.shared_with_team_id,
        version: 1,
        created_at: at,
        created_by: actor.user_id,
        updated_at: at,
        updated_by: actor.user_id,
    };
    store::insert(&mut tx, &list).await?;
    audit::record(&mut tx, KIND, list.id, "create", actor.user_id, at, &records::changes(None::<&Draft>, &draft))
        .await?;
    tx.commit().await?;
    Ok(list)
}

/// A list the actor may see; 404 for any other.
pub(crate) async fn load(ex: &mut impl Exec, actor: &Actor, id: Uuid) -> Result<List, AppError> {
    let list = store::get(ex, id).await?.ok_or(AppError::NotFound)?;
    if may_see(actor, list.owner_id, list.shared_with_team_id) { Ok(list) } else { Err(AppError::NotFound) }
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<List, AppError> {
    load(&mut app.reader(), actor, id).await
}

/// The lists the actor sees, of one collection (`companies`, `people`) or all.
pub async fn list(app: &App, actor: &Actor, collection: Option<&str>) -> Result<Vec<List>, AppError> {
    Ok(store::list(&mut app.reader(), &seen(actor), collection).await?)
}

/// Applies a JSON merge patch (name, description, filter_id, shared_with_team_id); kind
/// and collection stay what they were.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<List, AppError> {
    input::object_body(&patch)?;
    let mut tx = app.db.begin().await?;
    tx.lock_row("lists", id).await?;
    let current = load(&mut tx, actor, id).await?;
    check_change(actor, current.owner_id)?;
    records::check_version(expected_version, current.version)?;
    let before = Draft::of(&current);
    let mut merged = serde_json::to_value(&before).map_err(|e| AppError::BadRequest(e.to_string()))?;
    merge_patch::apply(&mut merged, &patch);
    let mut draft: Draft = input::draft(merged)?;
    let mut invalid = Invalid::default();
    for (field, old, new) in
        [("kind", &current.kind, &draft.kind), ("collection", &current.collection, &draft.collection)]
    {
        if old != new {
            invalid.push(field, "read_only", "a list keeps its kind and collection; create a new one");
        }
    }
    invalid.into_result(()).map_err(AppError::from)?;
    check(&mut tx, actor, &mut draft).await?;
    let changes = records::changes(Some(&before), &draft);
    if changes.is_empty() {
        return Ok(current);
    }
    let at = now();
    let list = List {
        name: draft.name,
        description: draft.description,
        filter_id: draft.filter_id,
        shared_with_team_id: draft.shared_with_team_id,
        version: current.version + 1,
        updated_at: at,
        updated_by: actor.user_id,
        ..current
    };
    if !store::update(&mut tx, &list).await? {
        return Err(AppError::Stale { current: list.version });
    }
    audit::record(&mut tx, KIND, id, "update", actor.user_id, at, &changes).await?;
    tx.commit().await?;
    Ok(list)
}

/// Deletes a list and its memberships; the records themselves stay.
pub async fn delete(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    tx.lock_row("lists", id).await?;
    let current = load(&mut tx, actor, id).await?;
    check_change(actor, current.owner_id)?;
    store::delete(&mut tx, id).await?;
    let gone = records::changes(Some(&Draft::of(&current)), &serde_json::json!({}));
    audit::record(&mut tx, KIND, id, "delete", actor.user_id, now(), &gone).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn history(app: &App, actor: &Actor, id: Uuid) -> Result<Vec<audit::Entry>, AppError> {
    let mut db = app.reader();
    load(&mut db, actor, id).await?;
    records::history(&mut db, actor, KIND, id).await
}
