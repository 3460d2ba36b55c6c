//! The members of a list: paged through the company or people list use case (so every
//! access rule of those lists holds), added one by one or a filter's result at once,
//! removed, and the lists a record is in.

use rapport_core::Invalid;
use rapport_core::audit::Change;
use rapport_core::companies::Company;
use rapport_core::people::Person;
use rapport_store::filters as stored_filters;
use rapport_store::lists::{self as store, List, Within};
use rapport_store::{Tx, audit};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{KIND, load};
use crate::access::Shown;
use crate::filters::{self, check_change, seen};
use crate::listing::{Listed, Params};
use crate::{Actor, App, AppError, companies, input, now, people};

/// Records one request may name.
const MAX_IDS: usize = 1000;
/// Records one filter may add at once: the transaction that adds them holds the writer.
const MAX_FROM_FILTER: usize = 100_000;
/// Rows read per page while adding a filter's result.
const CHUNK: u64 = 500;

/// A page of a list's members, as the company or people list shows them.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Members {
    Companies(Listed<Shown<Company>>),
    People(Listed<Shown<Person>>),
}

impl Members {
    pub fn next_cursor(&self) -> Option<&str> {
        match self {
            Members::Companies(page) => page.next_cursor.as_deref(),
            Members::People(page) => page.next_cursor.as_deref(),
        }
    }

    /// The members as the API shows them (hidden fields already left out).
    pub fn values(&self) -> Vec<Value> {
        let values = match self {
            Members::Companies(page) => page.items.iter().map(serde_json::to_value).collect::<Result<Vec<_>, _>>(),
            Members::People(page) => page.items.iter().map(serde_json::to_value).collect(),
        };
        values.unwrap_or_default()
    }

    fn ids(&self) -> Vec<Uuid> {
        match self {
            Members::Companies(page) => page.items.iter().map(|c| c.id).collect(),
            Members::People(page) => page.items.iter().map(|p| p.id).collect(),
        }
    }
}

/// How many records an addition put into the list (those already there not counted).
#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub added: u64,
}

/// One page of the company or people list, for `collection`.
async fn page(app: &App, actor: &Actor, collection: &str, params: Params) -> Result<Members, AppError> {
    Ok(match collection {
        "companies" => Members::Companies(companies::list(app, actor, params).await?),
        _ => Members::People(people::list(app, actor, params).await?),
    })
}

async fn page_within(
    app: &App,
    actor: &Actor,
    collection: &str,
    params: Params,
    within: &Within,
) -> Result<Members, AppError> {
    Ok(match collection {
        "companies" => Members::Companies(companies::list_within(app, actor, params, within).await?),
        _ => Members::People(people::list_within(app, actor, params, within).await?),
    })
}

async fn matching(
    app: &App,
    actor: &Actor,
    collection: &str,
    params: Params,
    within: &Within,
) -> Result<Vec<Uuid>, AppError> {
    match collection {
        "companies" => companies::matching_ids(app, actor, params, within).await,
        _ => people::matching_ids(app, actor, params, within).await,
    }
}

/// A dynamic list's filter, as list parameters.
async fn filter_params(app: &App, list: &List) -> Result<Params, AppError> {
    let id = list.filter_id.ok_or(AppError::NotFound)?;
    // Seeing the list is enough: its owner chose to show this filter's result with it.
    let filter = stored_filters::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)?;
    Ok(filters::pairs(&filter.query))
}

/// A page of the list's members: `limit`, `cursor` and `sort` as the lists take them.
pub async fn members(app: &App, actor: &Actor, id: Uuid, paging: Params) -> Result<Members, AppError> {
    if let Some((name, _)) = paging.iter().find(|(n, _)| !["limit", "cursor", "sort"].contains(&n.as_str())) {
        return Err(AppError::BadRequest(format!(
            "unknown query parameter {name:?}: a list's members take limit, cursor and sort"
        )));
    }
    let list = load(&mut app.reader(), actor, id).await?;
    if list.kind == "dynamic" {
        let mut params = filter_params(app, &list).await?;
        params.extend(paging);
        return page(app, actor, &list.collection, params).await;
    }
    // Archiving a member does not take it off a list someone built by hand.
    let mut params: Params = vec![("archived".into(), "any".into())];
    params.extend(paging);
    page_within(app, actor, &list.collection, params, &Within::Members(id)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AddDraft {
    record_ids: Option<Vec<Uuid>>,
    filter: Option<String>,
    filter_id: Option<Uuid>,
}

/// Loads the static list the actor may change, in the transaction that changes it.
async fn changeable(tx: &mut Tx, actor: &Actor, id: Uuid) -> Result<List, AppError> {
    tx.lock_row("lists", id).await?;
    let list = load(tx, actor, id).await?;
    check_change(actor, list.owner_id)?;
    if list.kind != "static" {
        return Err(AppError::Conflict {
            message: "the members of a dynamic list are its filter's result; change the filter instead".into(),
            referrers: vec![],
        });
    }
    Ok(list)
}

/// Adds `{"record_ids": [...]}`, or every record of `{"filter": "<list query>"}` or
/// `{"filter_id": ID}` the actor can see, in one transaction. A named record the actor
/// cannot see is answered 404, and nothing is added.
pub async fn add_members(app: &App, actor: &Actor, id: Uuid, body: Value) -> Result<Added, AppError> {
    input::object_body(&body)?;
    let draft: AddDraft = input::draft(body)?;
    let mut tx = app.db.begin().await?;
    let list = changeable(&mut tx, actor, id).await?;
    let collection = list.collection.as_str();
    let at = now();
    let (added, change) = match (draft.record_ids, draft.filter, draft.filter_id) {
        (Some(mut ids), None, None) => {
            if ids.is_empty() || ids.len() > MAX_IDS {
                return Err(Invalid::one("record_ids", "invalid_length", format!("send 1 to {MAX_IDS} ids")).into());
            }
            ids.sort();
            ids.dedup();
            let any: Params = vec![("archived".into(), "any".into())];
            let seen = matching(app, actor, collection, any, &Within::Ids(ids.clone())).await?;
            if seen.len() != ids.len() {
                return Err(AppError::NotFound);
            }
            let added = store::add_members(&mut tx, id, &ids, actor.user_id, at).await?;
            (added, json!({ "record_ids": ids }))
        }
        (None, Some(query), None) => {
            let mut invalid = Invalid::default();
            let query = filters::check_query(actor, collection, &query, "filter", &mut invalid);
            invalid.into_result(()).map_err(AppError::from)?;
            let added = add_result(app, &mut tx, actor, &list, filters::pairs(&query)).await?;
            (added, json!({ "filter": query }))
        }
        (None, None, Some(filter_id)) => {
            let filter = match filters::load(&mut app.reader(), actor, filter_id).await {
                Err(AppError::NotFound) => {
                    return Err(Invalid::one("filter_id", "unknown_filter", "no saved filter has this id").into());
                }
                other => other?,
            };
            if filter.collection != list.collection {
                let message = format!("this filter is for {}", filter.collection);
                return Err(Invalid::one("filter_id", "wrong_collection", message).into());
            }
            let added = add_result(app, &mut tx, actor, &list, filters::pairs(&filter.query)).await?;
            (added, json!({ "filter_id": filter_id, "filter": filter.query }))
        }
        _ => {
            let message = "send exactly one of record_ids, filter or filter_id";
            return Err(Invalid::one("record_ids", "required", message).into());
        }
    };
    let change = Change { field: "members".into(), old: Value::Null, new: json!({ "added": added, "by": change }) };
    audit::record(&mut tx, KIND, id, "add_members", actor.user_id, at, &[change]).await?;
    tx.commit().await?;
    Ok(Added { added })
}

/// Adds a filter's whole result page by page, through the list use case (so only what
/// the actor can see), into the open transaction.
async fn add_result(app: &App, tx: &mut Tx, actor: &Actor, list: &List, params: Params) -> Result<u64, AppError> {
    let (mut added, mut seen, mut cursor) = (0, 0usize, None::<String>);
    loop {
        let mut request = params.clone();
        request.push(("limit".into(), CHUNK.to_string()));
        if let Some(cursor) = cursor.take() {
            request.push(("cursor".into(), cursor));
        }
        let found = page(app, actor, &list.collection, request).await?;
        let ids = found.ids();
        seen += ids.len();
        if seen > MAX_FROM_FILTER {
            let message = format!("the filter finds more than {MAX_FROM_FILTER} records; narrow it down");
            return Err(Invalid::one("filter", "too_many", message).into());
        }
        added += store::add_members(tx, list.id, &ids, actor.user_id, now()).await?;
        match found.next_cursor() {
            Some(next) => cursor = Some(next.to_string()),
            None => return Ok(added),
        }
    }
}

/// Takes a record off a static list. A record the actor cannot see is answered 404, as
/// one that is not in the list.
pub async fn remove_member(app: &App, actor: &Actor, id: Uuid, record_id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let list = changeable(&mut tx, actor, id).await?;
    let any: Params = vec![("archived".into(), "any".into())];
    if matching(app, actor, &list.collection, any, &Within::Ids(vec![record_id])).await?.is_empty() {
        return Err(AppError::NotFound);
    }
    if !store::remove_member(&mut tx, id, record_id).await? {
        return Err(AppError::NotFound);
    }
    let change = Change { field: "members".into(), old: json!({ "record_id": record_id }), new: Value::Null };
    audit::record(&mut tx, KIND, id, "remove_member", actor.user_id, now(), &[change]).await?;
    tx.commit().await?;
    Ok(())
}

/// The lists the actor sees that hold the record: static lists it was added to, and
/// dynamic lists whose filter finds it now (one query each, limited to this record).
pub async fn lists_of(app: &App, actor: &Actor, collection: &str, record_id: Uuid) -> Result<Vec<List>, AppError> {
    match collection {
        "companies" => drop(companies::get(app, actor, record_id).await?),
        "people" => drop(people::get(app, actor, record_id).await?),
        _ => return Err(AppError::NotFound),
    }
    let candidates = store::candidates(&mut app.reader(), &seen(actor), collection, record_id).await?;
    let mut found = Vec::with_capacity(candidates.len());
    let within = Within::Ids(vec![record_id]);
    for list in candidates {
        if list.kind == "static" {
            found.push(list);
            continue;
        }
        let params = filter_params(app, &list).await?;
        match matching(app, actor, collection, params, &within).await {
            Ok(ids) if !ids.is_empty() => found.push(list),
            // A filter the list no longer takes (a custom field gone) finds nothing.
            Ok(_) | Err(AppError::BadRequest(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(found)
}
