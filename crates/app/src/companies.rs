//! Company use cases: create, read, change, list, archive and delete, with history.

use rapport_core::Invalid;
use rapport_core::access::Action;
use rapport_core::companies::{Company, CompanyDraft, CompanyFields};
use rapport_core::custom_fields::RecordKind;
use rapport_core::merge_patch;
use rapport_core::search::SearchQuery;
use rapport_store::audit::{self, Entry};
use rapport_store::companies::{self as store, Filter};
use rapport_store::listing::{Page, SortValue};
use rapport_store::lists::Within;
use rapport_store::{Exec, sequences};
use serde_json::Value;
use uuid::Uuid;

use crate::access::{self, Guarded, Shown};
use crate::error::Referrer;
use crate::listing::{self, Listed, Params, SortKey};
use crate::records::Lookups;
use crate::search::{self, Found};
use crate::{Actor, App, AppError, input, now, records};

const KIND: &str = "company";

const SORT_KEYS: [SortKey; 4] = [
    SortKey { api: "name", column: "name", time: false },
    SortKey { api: "code", column: "code", time: false },
    SortKey { api: "created_at", column: "created_at", time: true },
    SortKey { api: "updated_at", column: "updated_at", time: true },
];

/// Fields that `q=field=value` and `?field=value` filter on exactly.
const FIELD_FILTERS: [&str; 5] = ["status", "type", "level", "stage", "area"];

/// What a search text's `key=value` and `key:value` filter as a column of its own; other
/// pairs are attribute pairs, found through the search index.
const QUERY_COLUMNS: [&str; 7] = ["status", "type", "level", "stage", "area", "category", "kind"];

pub(crate) fn guard(company: &Company) -> Guarded {
    Guarded {
        kind: KIND,
        id: company.id,
        owner_id: company.fields.owner_id,
        security_level: company.fields.security_level,
    }
}

fn shown(actor: &Actor, company: Company) -> Shown<Company> {
    Shown::new(company, actor.hidden_fields(KIND))
}

/// The access facts of a record, for checks made elsewhere (shares, deletion requests).
pub(crate) async fn guarded(ex: &mut impl Exec, id: Uuid) -> Result<Option<(Guarded, String)>, AppError> {
    Ok(store::get(ex, id).await?.map(|r| (guard(&r), r.fields.name.clone())))
}

/// Loads a company the actor may do `action` on: 404 when they may not see it, 403 when
/// they may see it but not do this.
async fn load(ex: &mut impl Exec, actor: &Actor, id: Uuid, action: Action) -> Result<Company, AppError> {
    let company = store::get(ex, id).await?.ok_or(AppError::NotFound)?;
    access::check(ex, actor, &guard(&company), action).await?;
    Ok(company)
}

/// Whether the actor may see the company (for references to it from other records).
pub(crate) async fn visible(ex: &mut impl Exec, actor: &Actor, id: Uuid) -> Result<bool, AppError> {
    match load(ex, actor, id, Action::Read).await {
        Ok(_) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(other) => Err(other),
    }
}

pub async fn create(app: &App, actor: &Actor, mut body: Value) -> Result<Shown<Company>, AppError> {
    actor.require(KIND, Action::Create)?;
    input::object_body(&body)?;
    let confirmed = crate::duplicates::take_confirmation(&mut body)?;
    actor.check_writable(KIND, &records::touched_fields(&body))?;
    let draft: CompanyDraft = input::draft(body)?;
    let mut fields = draft.parse()?;
    if fields.owner_id.is_none() {
        fields.owner_id = actor.user_id;
    }
    records::check_owner(actor, KIND, fields.owner_id)?;
    // References are checked on a reader, before the write: SQLite has one writer, and
    // every statement it runs for one create is a statement every other create waits for.
    let mut reader = app.reader();
    let mut lookups = Lookups::load(&mut reader).await?;
    check(&mut reader, actor, &mut lookups, None, None, &mut fields).await?;
    crate::duplicates::refuse_company(&mut reader, actor, &fields, confirmed).await?;
    let mut tx = app.db.begin().await?;
    let id = Uuid::now_v7();
    let number = sequences::next(&mut tx, "company_code").await?;
    let code = format!("{}{number:06}", app.settings.company_code_prefix);
    let at = now();
    store::insert(&mut tx, id, &code, &fields, actor.user_id, at).await?;
    audit::record(&mut tx, KIND, id, "create", actor.user_id, at, &records::changes(None::<&CompanyFields>, &fields))
        .await?;
    tx.commit().await?;
    let company = store::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)?;
    Ok(shown(actor, company))
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<Shown<Company>, AppError> {
    let mut reader = app.reader();
    match load(&mut reader, actor, id, Action::Read).await {
        Ok(found) => Ok(shown(actor, found)),
        Err(error) => Err(crate::merges::redirect(&mut reader, RecordKind::Company, id, error).await),
    }
}

/// Applies a JSON merge patch. `expected_version` comes from `If-Match`.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<Shown<Company>, AppError> {
    input::object_body(&patch)?;
    let mut tx = app.db.begin().await?;
    tx.lock_row("companies", id).await?;
    let current = load(&mut tx, actor, id, Action::Update).await?;
    actor.check_writable(KIND, &records::touched_fields(&patch))?;
    records::check_version(expected_version, current.version)?;
    let mut merged =
        serde_json::to_value(current.fields.to_draft()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    merge_patch::apply(&mut merged, &patch);
    let draft: CompanyDraft = input::draft(merged)?;
    let mut fields = draft.parse()?;
    if fields.owner_id != current.fields.owner_id {
        records::check_owner(actor, KIND, fields.owner_id)?;
    }
    let mut lookups = Lookups::load(&mut tx).await?;
    check(&mut tx, actor, &mut lookups, Some(id), Some(&current.fields), &mut fields).await?;
    let changes = records::changes(Some(&current.fields), &fields);
    if changes.is_empty() {
        return Ok(shown(actor, current));
    }
    let at = now();
    if !store::update(&mut tx, id, current.version, &current.fields, &fields, actor.user_id, at).await? {
        return Err(AppError::Stale { current: current.version + 1 });
    }
    audit::record(&mut tx, KIND, id, "update", actor.user_id, at, &changes).await?;
    let company = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(shown(actor, company))
}

/// Checks what the database must confirm: owner, parent, level, stage, categories, custom values.
/// `before` is the stored version when changing a company: a parent it already has may stay
/// even when the actor cannot see that company (only new references must be visible).
pub(crate) async fn check(
    ex: &mut impl Exec,
    actor: &Actor,
    lookups: &mut Lookups,
    id: Option<Uuid>,
    before: Option<&CompanyFields>,
    fields: &mut CompanyFields,
) -> Result<(), AppError> {
    let mut invalid = Invalid::default();
    if fields.security_level > actor.clearance {
        invalid.push("security_level", "above_clearance", "cannot be above your own clearance");
    }
    let common = records::Common {
        kind: RecordKind::Company,
        owner_id: fields.owner_id,
        categories: &fields.categories,
        custom: &fields.custom,
        before_custom: before.map(|b| &b.custom),
    };
    fields.custom = records::check_common(ex, actor, lookups, common, &mut invalid).await?;
    if let Some(parent) = fields.parent_id {
        if Some(parent) == id {
            invalid.push("parent_id", "cycle", "a company cannot be its own parent");
        } else if before.is_none_or(|b| b.parent_id != Some(parent)) && !visible(ex, actor, parent).await? {
            invalid.push("parent_id", "unknown_company", "no company has this id");
        } else if let Some(id) = id
            && store::ancestors(ex, parent).await?.contains(&id)
        {
            invalid.push("parent_id", "cycle", "this company is already above the chosen parent");
        }
    }
    for (field, value) in [("level", &fields.level), ("stage", &fields.stage)] {
        let Some(value) = value else { continue };
        let choices = lookups.choices(field);
        if !choices.contains(&value.as_str()) {
            invalid.push(field, "invalid_choice", format!("{field} must be one of {}", choices.join(", ")));
        }
    }
    invalid.into_result(()).map_err(AppError::from)
}

pub async fn set_archived(app: &App, actor: &Actor, id: Uuid, archived: bool) -> Result<Shown<Company>, AppError> {
    let mut tx = app.db.begin().await?;
    tx.lock_row("companies", id).await?;
    let current = load(&mut tx, actor, id, Action::Update).await?;
    if current.archived_at.is_some() == archived {
        return Ok(shown(actor, current));
    }
    let at = now();
    store::set_archived(&mut tx, id, archived, actor.user_id, at).await?;
    let action = if archived { "archive" } else { "unarchive" };
    audit::record(&mut tx, KIND, id, action, actor.user_id, at, &[]).await?;
    let company = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(shown(actor, company))
}

/// Deletes a company nothing refers to; otherwise a conflict that lists the referrers.
pub async fn delete(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    tx.lock_row("companies", id).await?;
    let current = match load(&mut tx, actor, id, Action::Delete).await {
        Err(AppError::Forbidden(_)) => return Err(AppError::Forbidden(
            "your role may not delete this company; file a deletion request (POST /api/v1/deletion-requests) instead"
                .into(),
        )),
        other => other?,
    };
    let referrers = store::referrers(&mut tx, id).await?;
    if !referrers.is_empty() {
        return Err(AppError::Conflict {
            message: format!(
                "{} is referred to by {} record(s); archive it instead",
                current.fields.name,
                referrers.len()
            ),
            referrers: referrers
                .into_iter()
                .map(|r| Referrer { kind: r.kind.to_string(), id: r.id, name: r.name })
                .collect(),
        });
    }
    store::delete(&mut tx, id).await?;
    let gone = records::changes(Some(&current.fields), &serde_json::json!({}));
    audit::record(&mut tx, KIND, id, "delete", actor.user_id, now(), &gone).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn history(app: &App, actor: &Actor, id: Uuid) -> Result<Vec<Entry>, AppError> {
    let mut db = app.reader();
    load(&mut db, actor, id, Action::Read).await?;
    records::history(&mut db, actor, KIND, id).await
}

pub async fn list(app: &App, actor: &Actor, params: Params) -> Result<Listed<Shown<Company>>, AppError> {
    list_in(app, actor, params, None).await
}

/// The list request limited to `within` (a distribution list's members), paged like the list.
pub(crate) async fn list_within(
    app: &App,
    actor: &Actor,
    params: Params,
    within: &Within,
) -> Result<Listed<Shown<Company>>, AppError> {
    list_in(app, actor, params, Some(within.clone())).await
}

async fn list_in(
    app: &App,
    actor: &Actor,
    params: Params,
    within: Option<Within>,
) -> Result<Listed<Shown<Company>>, AppError> {
    let (request, filter) = prepare(app, actor, params, within).await?;
    let turn = app.search_slot(!filter.common.text.is_empty()).await;
    let (items, more) = store::list(&mut app.reader(), &filter, &request.page).await?;
    drop(turn);
    let column = request.page.column;
    let next_cursor = listing::next_cursor(&items, more, &request.sort, |c: &Company| {
        let value = match column {
            "code" => SortValue::Text(c.code.clone()),
            "created_at" => SortValue::Time(c.created_at),
            "updated_at" => SortValue::Time(c.updated_at),
            _ => SortValue::Text(c.fields.name.clone()),
        };
        (value, c.id)
    });
    Ok(Listed { items: items.into_iter().map(|r| shown(actor, r)).collect(), next_cursor })
}

/// A list request parsed into its page and its filter, typo corrections looked up.
async fn prepare(
    app: &App,
    actor: &Actor,
    params: Params,
    within: Option<Within>,
) -> Result<(listing::ListRequest, Filter), AppError> {
    let mut request = listing::parse_request(params, &SORT_KEYS, "name")?;
    let mut filter = filter_of(actor, std::mem::take(&mut request.rest), &request.search)?;
    filter.common.within = within;
    search::resolve(&mut app.reader(), &mut filter.common.text).await?;
    Ok((request, filter))
}

/// The filters of a list request: its field, owner, category, attribute and custom field
/// parameters, and what its search text asks (words, pairs, field filters).
fn filter_of(actor: &Actor, rest: Params, query: &SearchQuery) -> Result<Filter, AppError> {
    let mut filter = Filter::default();
    filter.common.visibility = actor.visibility(KIND);
    let set_field = |filter: &mut Filter, name: &str, value: String| match name {
        "status" => filter.status = Some(value),
        "type" => filter.kind = Some(value),
        "level" => filter.level = Some(value),
        "stage" => filter.stage = Some(value),
        _ => filter.area = Some(value),
    };
    for (name, value) in rest {
        match name.as_str() {
            n if FIELD_FILTERS.contains(&n) => set_field(&mut filter, n, value),
            "owner_id" => filter.common.owner_id = Some(listing::parse_uuid(&name, &value)?),
            "parent_id" => filter.parent_id = Some(listing::parse_uuid(&name, &value)?),
            "category" => filter.common.category = Some(listing::parse_uuid(&name, &value)?),
            "archived" => filter.common.archived = listing::parse_archived(&value)?,
            n if n.starts_with("attr.") && n.len() > 5 => filter.common.attributes.push((n[5..].to_lowercase(), value)),
            n if n.starts_with("custom.") && n.len() > 7 => filter.common.custom.push((n[7..].to_string(), value)),
            _ => return Err(AppError::BadRequest(format!("unknown query parameter {name:?}"))),
        }
    }
    for pair in search::column_pairs(query, &QUERY_COLUMNS) {
        match pair.key.as_str() {
            "category" => filter.common.category = Some(listing::parse_uuid("category", &pair.value)?),
            "kind" => filter.kind = Some(pair.value.clone()),
            key => set_field(&mut filter, key, pair.value.clone()),
        }
    }
    if let Some(owner) = search::owner_of(actor, query)? {
        filter.common.owner_id = Some(owner);
    }
    filter.common.text = search::text_filter(actor, KIND, query, &QUERY_COLUMNS);
    Ok(filter)
}

/// The companies global search finds for `query`, best first.
pub(crate) async fn search(
    ex: &mut impl Exec,
    actor: &Actor,
    query: &SearchQuery,
    limit: u64,
) -> Result<Vec<Found>, AppError> {
    let mut filter = filter_of(actor, Vec::new(), query)?;
    search::resolve(ex, &mut filter.common.text).await?;
    let hits: Vec<(Uuid, i32)> = if search::ranks(query) {
        store::search(ex, &filter, limit).await?.into_iter().map(|hit| (hit.id, hit.mask)).collect()
    } else {
        let page = Page { limit, column: "name", descending: false, after: None };
        store::list(ex, &filter, &page).await?.0.into_iter().map(|r| (r.id, 0)).collect()
    };
    search::found(ex, actor, RecordKind::Company, &hits).await
}

/// How many records the list request matches, counting no further than `cap`.
pub async fn count(app: &App, actor: &Actor, params: Params, cap: u64) -> Result<u64, AppError> {
    let (_, filter) = prepare(app, actor, params, None).await?;
    let _turn = app.search_slot(!filter.common.text.is_empty()).await;
    Ok(store::count(&mut app.reader(), &filter, cap).await?)
}

/// Checks a list request's parameters as the list would, without running it (a saved
/// filter is checked this way before it is kept).
pub fn check_params(actor: &Actor, params: Params) -> Result<(), AppError> {
    let request = listing::parse_request(params, &SORT_KEYS, "name")?;
    filter_of(actor, request.rest, &request.search).map(drop)
}

/// The ids among `within` that the list request matches (its paging aside): one query
/// that loads no records, for asking whether a record is in a dynamic list.
pub(crate) async fn matching_ids(
    app: &App,
    actor: &Actor,
    params: Params,
    within: &Within,
) -> Result<Vec<Uuid>, AppError> {
    let (_, filter) = prepare(app, actor, params, Some(within.clone())).await?;
    let _turn = app.search_slot(!filter.common.text.is_empty()).await;
    Ok(store::matching_ids(&mut app.reader(), &filter).await?)
}
