//! Search: the search box's text turned into list filters (shared by every list's `q`),
//! and global search, which asks every kind of record for its best matches and returns
//! them grouped by kind. What the caller may not see is never found: records through the
//! lists' visibility rules, hidden fields by leaving them out of every clause's fields.

use rapport_core::access::{Action, Scope};
use std::collections::HashMap;

use rapport_core::custom_fields::RecordKind;
use rapport_core::search::{ALL_FIELDS, Field, SearchQuery, query::Pair};
use rapport_store::Exec;
use rapport_store::records::TextFilter;
use rapport_store::search::Summary;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, App, AppError, companies, listing, people};

/// Results per kind, unless the caller asks for fewer.
pub const DEFAULT_LIMIT: u64 = 8;
pub const MAX_LIMIT: u64 = 50;

/// The fields a hidden field of a role takes out of search.
fn fields_of(hidden: &str) -> i32 {
    let bits = |fields: &[Field]| fields.iter().fold(0, |mask, f| mask | f.bit());
    match hidden {
        "code" => bits(&[Field::Code]),
        "tax_id" => bits(&[Field::TaxId]),
        "name" | "legal_name" | "given_name" | "family_name" => bits(&[Field::Name]),
        "website" => bits(&[Field::Web]),
        "area" => bits(&[Field::Area]),
        "contact_methods" => bits(&[Field::Email, Field::Phone, Field::Web]),
        "addresses" => bits(&[Field::City, Field::Text]),
        "attributes" | "status" | "type" | "level" | "stage" => bits(&[Field::Attribute]),
        "industry" | "employments" => bits(&[Field::Text]),
        _ => 0,
    }
}

/// The search index part of a list filter: the query's clauses restricted to the fields
/// the actor may see, and the `key=value` pairs that `columns` does not take (attribute
/// pairs, and every negated pair) as clauses on their `key=value` terms.
pub(crate) fn text_filter(actor: &Actor, kind: &str, query: &SearchQuery, columns: &[&str]) -> TextFilter {
    let hidden = actor.hidden_fields(kind).iter().fold(0, |mask, field| mask | fields_of(field));
    let pairs = query.pairs.iter().chain(&query.filters).filter(|p| p.key != "owner");
    let pair_clauses = pairs.filter(|p| p.negated || !columns.contains(&p.key.as_str())).map(Pair::clause);
    let clauses = query
        .clauses
        .iter()
        .cloned()
        .chain(pair_clauses)
        .map(|mut clause| {
            clause.mask &= ALL_FIELDS & !hidden;
            clause
        })
        .collect();
    TextFilter { clauses, phrases: query.phrases.clone(), plan: Default::default() }
}

/// Positive `key=value` pairs and `name:value` filters on the record's own `columns`.
pub(crate) fn column_pairs<'q>(query: &'q SearchQuery, columns: &[&str]) -> Vec<&'q Pair> {
    query.pairs.iter().chain(&query.filters).filter(|p| !p.negated && columns.contains(&p.key.as_str())).collect()
}

/// The owner named by `owner:me` or `owner:<id>`, if the query names one.
pub(crate) fn owner_of(actor: &Actor, query: &SearchQuery) -> Result<Option<Uuid>, AppError> {
    let Some(pair) = query.filters.iter().find(|p| p.key == "owner") else { return Ok(None) };
    if pair.negated {
        return Err(AppError::BadRequest("owner: cannot be negated; filter by another owner instead".into()));
    }
    if pair.value.eq_ignore_ascii_case("me") {
        return actor.user_id.map(Some).ok_or_else(|| AppError::BadRequest("owner:me needs a signed-in user".into()));
    }
    listing::parse_uuid("owner", &pair.value)
        .map(Some)
        .map_err(|_| AppError::BadRequest(format!("owner:{} must be owner:me or owner:<user id>", pair.value)))
}

/// Looks up the typo corrections of the clauses that allow one.
pub(crate) async fn resolve(ex: &mut impl Exec, text: &mut TextFilter) -> Result<(), AppError> {
    for clause in &mut text.clauses {
        if let Some(word) = clause.fuzzy.clone() {
            clause.corrections = rapport_store::search::corrections(ex, &word).await?;
        }
    }
    Ok(())
}

/// One record found by global search, as a result list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub id: Uuid,
    pub title: String,
    /// A second line: code, place, main email or position, as far as the caller may see them.
    pub subtitle: Option<String>,
    /// The fields the leading word matched in (`name`, `email`, `city`...).
    pub matched: Vec<&'static str>,
    /// The record's page in the web interface.
    pub url: String,
}

/// The results of one kind of record, best first.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub kind: &'static str,
    pub items: Vec<Found>,
    /// Whether more records of this kind match than are listed.
    pub more: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub groups: Vec<Group>,
}

/// A kind of record global search looks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    Company,
    Person,
}

impl SearchKind {
    pub const ALL: [SearchKind; 2] = [SearchKind::Company, SearchKind::Person];

    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Company => "company",
            SearchKind::Person => "person",
        }
    }

    pub fn parse(raw: &str) -> Option<SearchKind> {
        SearchKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// Searches every kind the caller may read (or those of `kinds`) for `q`; `limit` results
/// per kind. A query with a filter that a kind does not have (`status:` for people) finds
/// nothing of that kind.
pub async fn search(app: &App, actor: &Actor, q: &str, kinds: &[SearchKind], limit: u64) -> Result<Results, AppError> {
    let query = SearchQuery::parse(q);
    if query.is_empty() {
        return Ok(Results { groups: Vec::new() });
    }
    // A bad owner is the caller's mistake; a filter some kind lacks only leaves it out.
    owner_of(actor, &query)?;
    let limit = limit.clamp(1, MAX_LIMIT);
    let _turn = app.search_slot(true).await;
    let mut reader = app.reader();
    let mut groups = Vec::new();
    for kind in kinds.iter().copied().filter(|k| actor.scope(k.as_str(), Action::Read) != Scope::None) {
        let found = match kind {
            SearchKind::Company => companies::search(&mut reader, actor, &query, limit + 1).await,
            SearchKind::Person => people::search(&mut reader, actor, &query, limit + 1).await,
        };
        let mut items = match found {
            Ok(items) => items,
            Err(AppError::BadRequest(_)) => continue,
            Err(other) => return Err(other),
        };
        let more = items.len() as u64 > limit;
        items.truncate(limit as usize);
        groups.push(Group { kind: kind.as_str(), items, more });
    }
    Ok(Results { groups })
}

/// Writes the whole search index again (after an upgrade whose tokenizer changed, or when
/// asked), logging progress; returns the number of records indexed.
pub async fn rebuild_index(db: &rapport_store::Db) -> Result<u64, AppError> {
    tracing::info!("rebuilding the search index");
    let started = std::time::Instant::now();
    let mut reported = 0;
    let done = rapport_store::search::rebuild(db, |done| {
        if done >= reported + 100_000 {
            reported = done;
            tracing::info!(records = done, "search index: records indexed");
        }
    })
    .await?;
    tracing::info!(records = done, seconds = started.elapsed().as_secs_f64(), "search index rebuilt");
    Ok(done)
}

/// The administrator's request to rebuild the search index.
pub async fn rebuild(app: &App, actor: &Actor) -> Result<u64, AppError> {
    actor.require_admin()?;
    rebuild_index(&app.db).await
}

/// The field names of a match mask, for `Found::matched`.
pub(crate) fn matched_fields(mask: i32) -> Vec<&'static str> {
    Field::of_mask(mask).map(Field::as_str).collect()
}

/// The result lines of `hits` (ids with the fields they matched in), in their order,
/// showing only what the actor may see of each.
pub(crate) async fn found(
    ex: &mut impl Exec,
    actor: &Actor,
    kind: RecordKind,
    hits: &[(Uuid, i32)],
) -> Result<Vec<Found>, AppError> {
    let ids: Vec<Uuid> = hits.iter().map(|(id, _)| *id).collect();
    let mut summaries: HashMap<Uuid, Summary> =
        rapport_store::search::summaries(ex, kind, &ids).await?.into_iter().map(|s| (s.id, s)).collect();
    let (name, path) = match kind {
        RecordKind::Company => ("company", "companies"),
        RecordKind::Person => ("person", "people"),
    };
    let hidden = actor.hidden_fields(name);
    let sees = |field: &str| !hidden.iter().any(|h| h == field);
    Ok(hits
        .iter()
        .filter_map(|(id, mask)| summaries.remove(id).map(|summary| (summary, *mask)))
        .map(|(summary, mask)| {
            let place = summary.city.filter(|_| sees("addresses")).or(summary.area.filter(|_| sees("area")));
            let details = [
                summary.code.filter(|_| sees("code")),
                summary.position.filter(|_| sees("employments")),
                place,
                summary.email.filter(|_| sees("contact_methods")),
            ];
            let parts: Vec<String> = details.into_iter().flatten().collect();
            Found {
                id: summary.id,
                title: summary.title,
                subtitle: (!parts.is_empty()).then(|| parts.join(" · ")),
                matched: matched_fields(mask),
                url: format!("/{path}/{}", summary.id),
            }
        })
        .collect())
}

/// Whether the query has a word to rank by; without one (only pairs and filters), a kind
/// lists its matches in name order.
pub(crate) fn ranks(query: &SearchQuery) -> bool {
    query.clauses.iter().any(|c| !c.negated)
}

/// A global search request's parameters, checked: `q`, `limit` (per kind) and `kinds`
/// (comma-separated, all by default).
pub fn parse_request(params: listing::Params) -> Result<(String, Vec<SearchKind>, u64), AppError> {
    let (mut q, mut kinds, mut limit) = (String::new(), SearchKind::ALL.to_vec(), DEFAULT_LIMIT);
    for (name, value) in params {
        match name.as_str() {
            "q" => q = value,
            "limit" => {
                limit = value.parse().ok().filter(|l| (1..=MAX_LIMIT).contains(l)).ok_or_else(|| {
                    AppError::BadRequest(format!("limit must be a whole number from 1 to {MAX_LIMIT}"))
                })?;
            }
            "kinds" => {
                kinds = value
                    .split(',')
                    .map(|k| {
                        SearchKind::parse(k.trim())
                            .ok_or_else(|| AppError::BadRequest(format!("kinds: {k:?} is not one of company, person")))
                    })
                    .collect::<Result<_, _>>()?;
            }
            _ => return Err(AppError::BadRequest(format!("unknown query parameter {name:?}"))),
        }
    }
    if q.chars().count() > 500 {
        return Err(AppError::BadRequest("q is longer than 500 characters".into()));
    }
    Ok((q, kinds, limit))
}
