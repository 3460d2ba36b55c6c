//! Saved filters: the query of a company or people list kept under a name, private to
//! its owner or shared with a team. A filter is checked by the list's own parser when it
//! is saved, so one that the list would refuse is never kept.

use rapport_core::Invalid;
use rapport_core::merge_patch;
use rapport_store::filters::{self as store, SavedFilter, Seen};
use rapport_store::{Exec, access as stored_access, audit, lists as stored_lists};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::Referrer;
use crate::listing::Params;
use crate::{Actor, App, AppError, companies, input, now, people, records};

const KIND: &str = "saved_filter";

/// Parameters that belong to one page of a list, not to what it shows.
const PAGE_PARAMS: [&str; 3] = ["cursor", "limit", "filter"];

/// A filter as a client writes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Draft {
    #[serde(default)]
    name: String,
    #[serde(default)]
    collection: String,
    #[serde(default)]
    query: String,
    #[serde(default)]
    shared_with_team_id: Option<Uuid>,
}

impl Draft {
    fn of(filter: &SavedFilter) -> Draft {
        Draft {
            name: filter.name.clone(),
            collection: filter.collection.clone(),
            query: filter.query.clone(),
            shared_with_team_id: filter.shared_with_team_id,
        }
    }
}

/// The collections a filter or list can be about.
pub(crate) fn check_collection(collection: &str, invalid: &mut Invalid) {
    if collection != "companies" && collection != "people" {
        invalid.push("collection", "invalid_choice", "collection must be companies or people");
    }
}

/// What the actor sees of filters and lists: their own, their teams', or (an
/// administrator) everything.
pub(crate) fn seen(actor: &Actor) -> Seen {
    Seen { owner_id: actor.user_id, team_ids: actor.teams.clone(), all: actor.is_admin() }
}

pub(crate) fn may_see(actor: &Actor, owner: Uuid, team: Option<Uuid>) -> bool {
    actor.is_admin() || actor.user_id == Some(owner) || team.is_some_and(|t| actor.teams.contains(&t))
}

/// Only the owner or an administrator changes a filter or list.
pub(crate) fn check_change(actor: &Actor, owner: Uuid) -> Result<(), AppError> {
    if actor.is_admin() || actor.user_id == Some(owner) {
        Ok(())
    } else {
        Err(AppError::Forbidden("only its owner or an administrator may change this".into()))
    }
}

pub(crate) fn check_name(name: &str, invalid: &mut Invalid) {
    let length = name.trim().chars().count();
    if length == 0 {
        invalid.push("name", "required", "a name is required");
    } else if length > 200 {
        invalid.push("name", "too_long", "at most 200 characters");
    }
}

/// A team to share with: one that exists, and (unless an administrator chooses) the
/// actor's own team or one they manage.
pub(crate) async fn check_team(
    ex: &mut impl Exec,
    actor: &Actor,
    team: Option<Uuid>,
    invalid: &mut Invalid,
) -> Result<(), AppError> {
    let Some(team) = team else { return Ok(()) };
    if !stored_access::teams(ex).await?.iter().any(|t| t.id == team) {
        invalid.push("shared_with_team_id", "unknown_team", "no team has this id");
    } else if !actor.is_admin() && !actor.teams.contains(&team) {
        invalid.push("shared_with_team_id", "not_your_team", "you may share only with your own team or one you manage");
    }
    Ok(())
}

/// A query string as the list's parameters.
pub fn pairs(query: &str) -> Params {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes()).into_owned().collect()
}

/// Checks a list query for `collection` as its list would; `field` names the input in
/// the error. Returns the query re-encoded, so what is kept is what the list reads.
pub(crate) fn check_query(actor: &Actor, collection: &str, query: &str, field: &str, invalid: &mut Invalid) -> String {
    let params = pairs(query);
    if let Some((name, _)) = params.iter().find(|(n, _)| PAGE_PARAMS.contains(&n.as_str())) {
        invalid.push(field, "not_a_filter", format!("{name} belongs to one page of a list, not to a filter"));
        return String::new();
    }
    let checked = match collection {
        "companies" => companies::check_params(actor, params.clone()),
        "people" => people::check_params(actor, params.clone()),
        _ => return String::new(),
    };
    match checked {
        Ok(()) => {}
        Err(AppError::BadRequest(message)) => invalid.push(field, "invalid_filter", message),
        Err(AppError::Invalid(inner)) => {
            inner.errors.into_iter().for_each(|e| invalid.push(field, "invalid_filter", e.message));
        }
        Err(_) => invalid.push(field, "invalid_filter", "the list does not take this query"),
    }
    form_urlencoded::Serializer::new(String::new()).extend_pairs(params).finish()
}

async fn check(ex: &mut impl Exec, actor: &Actor, draft: &mut Draft) -> Result<(), AppError> {
    let mut invalid = Invalid::default();
    check_name(&draft.name, &mut invalid);
    draft.name = draft.name.trim().to_string();
    check_collection(&draft.collection, &mut invalid);
    draft.query = check_query(actor, &draft.collection, &draft.query, "query", &mut invalid);
    check_team(ex, actor, draft.shared_with_team_id, &mut invalid).await?;
    invalid.into_result(()).map_err(AppError::from)
}

fn owner(actor: &Actor) -> Result<Uuid, AppError> {
    actor.user_id.ok_or_else(|| AppError::Forbidden("filters and lists belong to a signed-in user".into()))
}

pub async fn create(app: &App, actor: &Actor, body: Value) -> Result<SavedFilter, AppError> {
    let owner_id = owner(actor)?;
    input::object_body(&body)?;
    let mut draft: Draft = input::draft(body)?;
    let mut tx = app.db.begin().await?;
    check(&mut tx, actor, &mut draft).await?;
    let at = now();
    let filter = SavedFilter {
        id: Uuid::now_v7(),
        name: draft.name.clone(),
        collection: draft.collection.clone(),
        query: draft.query.clone(),
        owner_id,
        shared_with_team_id: draft.shared_with_team_id,
        version: 1,
        created_at: at,
        created_by: actor.user_id,
        updated_at: at,
        updated_by: actor.user_id,
    };
    store::insert(&mut tx, &filter).await?;
    audit::record(&mut tx, KIND, filter.id, "create", actor.user_id, at, &records::changes(None::<&Draft>, &draft))
        .await?;
    tx.commit().await?;
    Ok(filter)
}

/// A filter the actor may see; 404 for any other.
pub(crate) async fn load(ex: &mut impl Exec, actor: &Actor, id: Uuid) -> Result<SavedFilter, AppError> {
    let filter = store::get(ex, id).await?.ok_or(AppError::NotFound)?;
    if may_see(actor, filter.owner_id, filter.shared_with_team_id) { Ok(filter) } else { Err(AppError::NotFound) }
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<SavedFilter, AppError> {
    load(&mut app.reader(), actor, id).await
}

/// The filters the actor sees, of one collection (`companies`, `people`) or all.
pub async fn list(app: &App, actor: &Actor, collection: Option<&str>) -> Result<Vec<SavedFilter>, AppError> {
    Ok(store::list(&mut app.reader(), &seen(actor), collection).await?)
}

/// Applies a JSON merge patch (name, query, shared_with_team_id); the collection stays.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<SavedFilter, AppError> {
    input::object_body(&patch)?;
    let mut tx = app.db.begin().await?;
    tx.lock_row("saved_filters", id).await?;
    let current = load(&mut tx, actor, id).await?;
    check_change(actor, current.owner_id)?;
    records::check_version(expected_version, current.version)?;
    let before = Draft::of(&current);
    let mut merged = serde_json::to_value(&before).map_err(|e| AppError::BadRequest(e.to_string()))?;
    merge_patch::apply(&mut merged, &patch);
    let mut draft: Draft = input::draft(merged)?;
    if draft.collection != current.collection {
        return Err(Invalid::one("collection", "read_only", "a filter keeps its collection; save a new one").into());
    }
    check(&mut tx, actor, &mut draft).await?;
    let changes = records::changes(Some(&before), &draft);
    if changes.is_empty() {
        return Ok(current);
    }
    let at = now();
    let filter = SavedFilter {
        name: draft.name,
        query: draft.query,
        shared_with_team_id: draft.shared_with_team_id,
        version: current.version + 1,
        updated_at: at,
        updated_by: actor.user_id,
        ..current
    };
    if !store::update(&mut tx, &filter).await? {
        return Err(AppError::Stale { current: filter.version });
    }
    audit::record(&mut tx, KIND, id, "update", actor.user_id, at, &changes).await?;
    tx.commit().await?;
    Ok(filter)
}

/// Deletes a filter no dynamic list is built on (those are named in the conflict).
pub async fn delete(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    tx.lock_row("saved_filters", id).await?;
    let current = load(&mut tx, actor, id).await?;
    check_change(actor, current.owner_id)?;
    let users = stored_lists::using_filter(&mut tx, id).await?;
    if !users.is_empty() {
        return Err(AppError::Conflict {
            message: format!("{} dynamic list(s) are built on this filter; delete or change them first", users.len()),
            referrers: users.into_iter().map(|(id, name)| Referrer { kind: "list".into(), id, name }).collect(),
        });
    }
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

/// A list request with `filter=ID` replaced by that saved filter's parameters, the
/// request's own ones after them (so they add to it, and a single-valued one such as
/// `sort` or `status` given again wins). Without `filter`, the request is unchanged.
pub async fn expand(app: &App, actor: &Actor, collection: &str, params: Params) -> Result<Params, AppError> {
    if !params.iter().any(|(n, _)| n == "filter") {
        return Ok(params);
    }
    let (chosen, rest): (Params, Params) = params.into_iter().partition(|(n, _)| n == "filter");
    if chosen.len() > 1 {
        return Err(AppError::BadRequest("apply one saved filter at a time".into()));
    }
    let id = crate::listing::parse_uuid("filter", &chosen[0].1)?;
    let unknown = || AppError::BadRequest(format!("filter: no saved filter of {collection} has this id"));
    let filter = match load(&mut app.reader(), actor, id).await {
        Err(AppError::NotFound) => return Err(unknown()),
        other => other?,
    };
    if filter.collection != collection {
        return Err(unknown());
    }
    let mut expanded = pairs(&filter.query);
    expanded.extend(rest);
    Ok(expanded)
}
