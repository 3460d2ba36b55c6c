//! People use cases: contact persons of companies and customers on their own.

use rapport_core::Invalid;
use rapport_core::access::Action;
use rapport_core::custom_fields::RecordKind;
use rapport_core::merge_patch;
use rapport_core::people::{Person, PersonDraft, PersonFields};
use rapport_core::search::SearchQuery;
use rapport_store::Exec;
use rapport_store::audit::{self, Entry};
use rapport_store::listing::{Page, SortValue};
use rapport_store::lists::Within;
use rapport_store::people::{self as store, Filter};
use serde_json::Value;
use uuid::Uuid;

use crate::access::{self, Guarded, Shown};
use crate::listing::{self, Listed, Params, SortKey};
use crate::records::Lookups;
use crate::search::{self, Found};
use crate::{Actor, App, AppError, companies, input, now, records};

const KIND: &str = "person";

const SORT_KEYS: [SortKey; 3] = [
    SortKey { api: "name", column: "full_name", time: false },
    SortKey { api: "created_at", column: "created_at", time: true },
    SortKey { api: "updated_at", column: "updated_at", time: true },
];

pub(crate) fn guard(person: &Person) -> Guarded {
    Guarded { kind: KIND, id: person.id, owner_id: person.fields.owner_id, security_level: 0 }
}

fn shown(actor: &Actor, person: Person) -> Shown<Person> {
    Shown::new(person, actor.hidden_fields(KIND))
}

/// The access facts of a record, for checks made elsewhere (shares, deletion requests).
pub(crate) async fn guarded(ex: &mut impl Exec, id: Uuid) -> Result<Option<(Guarded, String)>, AppError> {
    Ok(store::get(ex, id).await?.map(|r| (guard(&r), r.full_name.clone())))
}

/// Whether the actor may see the person (for references to them from other records).
pub(crate) async fn visible(ex: &mut impl Exec, actor: &Actor, id: Uuid) -> Result<bool, AppError> {
    match load(ex, actor, id, Action::Read).await {
        Ok(_) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(other) => Err(other),
    }
}

/// Loads a person the actor may do `action` on (404 unseen, 403 not allowed).
async fn load(ex: &mut impl Exec, actor: &Actor, id: Uuid, action: Action) -> Result<Person, AppError> {
    let person = store::get(ex, id).await?.ok_or(AppError::NotFound)?;
    access::check(ex, actor, &guard(&person), action).await?;
    Ok(person)
}

pub async fn create(app: &App, actor: &Actor, mut body: Value) -> Result<Shown<Person>, AppError> {
    actor.require(KIND, Action::Create)?;
    input::object_body(&body)?;
    let confirmed = crate::duplicates::take_confirmation(&mut body)?;
    actor.check_writable(KIND, &records::touched_fields(&body))?;
    let draft: PersonDraft = input::draft(body)?;
    let mut fields = draft.parse()?;
    if fields.owner_id.is_none() {
        fields.owner_id = actor.user_id;
    }
    records::check_owner(actor, KIND, fields.owner_id)?;
    // References are checked on a reader, before the write (see companies::create).
    let mut reader = app.reader();
    let mut lookups = Lookups::load(&mut reader).await?;
    check(&mut reader, actor, &mut lookups, None, &mut fields, &Default::default()).await?;
    crate::duplicates::refuse_person(&mut reader, actor, &fields, confirmed).await?;
    let mut tx = app.db.begin().await?;
    let id = Uuid::now_v7();
    let at = now();
    store::insert(&mut tx, id, &fields, actor.user_id, at).await?;
    audit::record(&mut tx, KIND, id, "create", actor.user_id, at, &records::changes(None::<&PersonFields>, &fields))
        .await?;
    tx.commit().await?;
    let person = store::get(&mut app.reader(), id).await?.ok_or(AppError::NotFound)?;
    Ok(shown(actor, person))
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<Shown<Person>, AppError> {
    let mut reader = app.reader();
    match load(&mut reader, actor, id, Action::Read).await {
        Ok(found) => Ok(shown(actor, found)),
        Err(error) => Err(crate::merges::redirect(&mut reader, RecordKind::Person, id, error).await),
    }
}

pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<Shown<Person>, AppError> {
    input::object_body(&patch)?;
    let mut tx = app.db.begin().await?;
    tx.lock_row("people", id).await?;
    let current = load(&mut tx, actor, id, Action::Update).await?;
    actor.check_writable(KIND, &records::touched_fields(&patch))?;
    records::check_version(expected_version, current.version)?;
    let mut merged =
        serde_json::to_value(current.fields.to_draft()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    merge_patch::apply(&mut merged, &patch);
    let draft: PersonDraft = input::draft(merged)?;
    let mut fields = draft.parse()?;
    let mut lookups = Lookups::load(&mut tx).await?;
    check(&mut tx, actor, &mut lookups, Some(&current.fields), &mut fields, &Default::default()).await?;
    if fields.owner_id != current.fields.owner_id {
        records::check_owner(actor, KIND, fields.owner_id)?;
    }
    let changes = records::changes(Some(&current.fields), &fields);
    if changes.is_empty() {
        return Ok(shown(actor, current));
    }
    let at = now();
    if !store::update(&mut tx, id, current.version, &current.fields, &fields, actor.user_id, at).await? {
        return Err(AppError::Stale { current: current.version + 1 });
    }
    audit::record(&mut tx, KIND, id, "update", actor.user_id, at, &changes).await?;
    let person = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(shown(actor, person))
}

/// Checks owner, categories, custom values and employments (`known_companies` are
/// companies already found visible). `before` is the stored version
/// when changing a person: employments at companies they already have may stay even when
/// the actor cannot see those companies (only new references must be visible).
pub(crate) async fn check(
    ex: &mut impl Exec,
    actor: &Actor,
    lookups: &mut Lookups,
    before: Option<&PersonFields>,
    fields: &mut PersonFields,
    known_companies: &std::collections::HashSet<Uuid>,
) -> Result<(), AppError> {
    let mut invalid = Invalid::default();
    let common = records::Common {
        kind: RecordKind::Person,
        owner_id: fields.owner_id,
        categories: &fields.categories,
        custom: &fields.custom,
        before_custom: before.map(|b| &b.custom),
    };
    fields.custom = records::check_common(ex, actor, lookups, common, &mut invalid).await?;
    for (i, employment) in fields.employments.iter().enumerate() {
        // A company already checked as visible (an import resolves a whole batch's at once).
        let kept = known_companies.contains(&employment.company_id)
            || before.is_some_and(|b| b.employments.iter().any(|e| e.company_id == employment.company_id));
        if !kept && !companies::visible(ex, actor, employment.company_id).await? {
            invalid.push(format!("employments[{i}].company_id"), "unknown_company", "no company has this id");
        }
    }
    invalid.into_result(()).map_err(AppError::from)
}

pub async fn set_archived(app: &App, actor: &Actor, id: Uuid, archived: bool) -> Result<Shown<Person>, AppError> {
    let mut tx = app.db.begin().await?;
    tx.lock_row("people", id).await?;
    let current = load(&mut tx, actor, id, Action::Update).await?;
    if current.archived_at.is_some() == archived {
        return Ok(shown(actor, current));
    }
    let at = now();
    store::set_archived(&mut tx, id, archived, actor.user_id, at).await?;
    let action = if archived { "archive" } else { "unarchive" };
    audit::record(&mut tx, KIND, id, action, actor.user_id, at, &[]).await?;
    let person = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(shown(actor, person))
}

/// Deletes a person; their employments, contact methods and addresses go with them.
pub async fn delete(app: &App, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    tx.lock_row("people", id).await?;
    let current = match load(&mut tx, actor, id, Action::Delete).await {
        Err(AppError::Forbidden(_)) => {
            return Err(AppError::Forbidden(
                "your role may not delete this person; file a deletion request (POST /api/v1/deletion-requests) instead"
                    .into(),
            ));
        }
        other => other?,
    };
    let referrers = store::referrers(&mut tx, id).await?;
    if !referrers.is_empty() {
        return Err(AppError::Conflict {
            message: format!(
                "{} is referred to by {} record(s); archive them instead",
                current.full_name,
                referrers.len()
            ),
            referrers: referrers
                .into_iter()
                .map(|r| crate::error::Referrer { kind: r.kind.to_string(), id: r.id, name: r.name })
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

pub async fn list(app: &App, actor: &Actor, params: Params) -> Result<Listed<Shown<Person>>, AppError> {
    list_in(app, actor, params, None).await
}

/// The list request limited to `within` (a distribution list's members), paged like the list.
pub(crate) async fn list_within(
    app: &App,
    actor: &Actor,
    params: Params,
    within: &Within,
) -> Result<Listed<Shown<Person>>, AppError> {
    list_in(app, actor, params, Some(within.clone())).await
}

async fn list_in(
    app: &App,
    actor: &Actor,
    params: Params,
    within: Option<Within>,
) -> Result<Listed<Shown<Person>>, AppError> {
    let (request, filter) = prepare(app, actor, params, within).await?;
    let turn = app.search_slot(!filter.common.text.is_empty()).await;
    let (items, more) = store::list(&mut app.reader(), &filter, &request.page).await?;
    drop(turn);
    let column = request.page.column;
    let next_cursor = listing::next_cursor(&items, more, &request.sort, |p: &Person| {
        let value = match column {
            "created_at" => SortValue::Time(p.created_at),
            "updated_at" => SortValue::Time(p.updated_at),
            _ => SortValue::Text(p.full_name.clone()),
        };
        (value, p.id)
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

/// The filters of a list request: its owner, company, category, attribute and custom
/// field parameters, and what its search text asks (words, pairs, field filters).
fn filter_of(actor: &Actor, rest: Params, query: &SearchQuery) -> Result<Filter, AppError> {
    let mut filter = Filter::default();
    filter.common.visibility = actor.visibility(KIND);
    for (name, value) in rest {
        match name.as_str() {
            "owner_id" => filter.common.owner_id = Some(listing::parse_uuid(&name, &value)?),
            "company_id" => filter.company_id = Some(listing::parse_uuid(&name, &value)?),
            "category" => filter.common.category = Some(listing::parse_uuid(&name, &value)?),
            "archived" => filter.common.archived = listing::parse_archived(&value)?,
            n if n.starts_with("attr.") && n.len() > 5 => filter.common.attributes.push((n[5..].to_lowercase(), value)),
            n if n.starts_with("custom.") && n.len() > 7 => filter.common.custom.push((n[7..].to_string(), value)),
            _ => return Err(AppError::BadRequest(format!("unknown query parameter {name:?}"))),
        }
    }
    if let Some(pair) = query.filters.iter().find(|f| f.key != "owner" && f.key != "category") {
        return Err(AppError::BadRequest(format!("people have no {}", pair.key)));
    }
    for pair in search::column_pairs(query, &["category"]) {
        filter.common.category = Some(listing::parse_uuid("category", &pair.value)?);
    }
    if let Some(owner) = search::owner_of(actor, query)? {
        filter.common.owner_id = Some(owner);
    }
    filter.common.text = search::text_filter(actor, KIND, query, &["category"]);
    Ok(filter)
}

/// The people global search finds for `query`, best first.
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
        let page = Page { limit, column: "full_name", descending: false, after: None };
        store::list(ex, &filter, &page).await?.0.into_iter().map(|r| (r.id, 0)).collect()
    };
    search::found(ex, actor, RecordKind::Person, &hits).await
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
