//! `GET /activities` (what the actor may see, filtered) and a card's timeline
//! (`GET /companies/{id}/timeline`, `GET /people/{id}/timeline`), both newest first and
//! keyset-paged.

use rapport_core::activities::{Activity, KindKey, parse_instant};
use rapport_core::zone::Zone;
use rapport_store::activities::{self as store, ActivityFilter, TimelineFilter};
use rapport_store::listing::SortValue;
use uuid::Uuid;

use crate::listing::{self, Listed, Params, SortKey};
use crate::{Actor, App, AppError, companies, people};

const SORT_KEYS: [SortKey; 1] = [SortKey { api: "occurred_at", column: "occurred_at", time: true }];

fn kind(value: &str) -> Result<KindKey, AppError> {
    KindKey::parse(value).ok_or_else(|| AppError::BadRequest("kind must be the key of a kind of activity".into()))
}

fn instant(name: &str, value: &str) -> Result<time::OffsetDateTime, AppError> {
    parse_instant(value, &Zone::utc())
        .ok_or_else(|| AppError::BadRequest(format!("{name} must be an instant (RFC 3339) like 2026-03-23T09:00:00Z")))
}

fn no_search(request: &listing::ListRequest) -> Result<(), AppError> {
    if request.search.is_empty() {
        Ok(())
    } else {
        Err(AppError::BadRequest("activities are filtered here, not searched: q is not taken (see /search)".into()))
    }
}

fn cursor_of(activity: &Activity) -> (SortValue, Uuid) {
    (SortValue::Time(activity.fields.occurred_at), activity.id)
}

pub async fn list(app: &App, actor: &Actor, params: Params) -> Result<Listed<Activity>, AppError> {
    let request = listing::parse_request(params, &SORT_KEYS, "-occurred_at")?;
    no_search(&request)?;
    let mut filter = ActivityFilter { visibility: super::visibility(actor), ..Default::default() };
    for (name, value) in &request.rest {
        match name.as_str() {
            "kind" => filter.kind = Some(kind(value)?),
            "company_id" | "person_id" => filter.record_id = Some(listing::parse_uuid(name, value)?),
            "thread_id" => filter.thread_id = Some(listing::parse_uuid(name, value)?),
            "created_by" => filter.created_by = Some(listing::parse_uuid(name, value)?),
            "user_id" => filter.user_id = Some(listing::parse_uuid(name, value)?),
            "from" => filter.from = Some(instant(name, value)?),
            "to" => filter.before = Some(instant(name, value)?),
            "archived" => {
                filter.archived = match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(AppError::BadRequest("archived must be true or false".into())),
                }
            }
            _ => return Err(AppError::BadRequest(format!("unknown query parameter {name:?}"))),
        }
    }
    let (items, more) = store::list(&mut app.reader(), &filter, &request.page).await?;
    let next_cursor = listing::next_cursor(&items, more, &request.sort, cursor_of);
    Ok(Listed { items, next_cursor })
}

/// Whose timeline: a company's (with its people's activities) or a person's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Card {
    Company(Uuid),
    Person(Uuid),
}

/// A card's timeline, newest first; `kind`, `person_id` and `thread_id` filter it.
pub async fn timeline(app: &App, actor: &Actor, card: Card, params: Params) -> Result<Listed<Activity>, AppError> {
    let mut db = app.reader();
    let (record, seen) = match card {
        Card::Company(id) => (id, companies::visible(&mut db, actor, id).await?),
        Card::Person(id) => (id, people::visible(&mut db, actor, id).await?),
    };
    if !seen {
        return Err(AppError::NotFound);
    }
    let request = listing::parse_request(params, &SORT_KEYS, "-occurred_at")?;
    no_search(&request)?;
    if request.sort != "-occurred_at" {
        return Err(AppError::BadRequest("a timeline is newest first: sort is -occurred_at only".into()));
    }
    let mut filter = TimelineFilter { limit: request.page.limit, ..Default::default() };
    filter.after = match request.page.after {
        Some((SortValue::Time(at), id)) => Some((at, id)),
        _ => None,
    };
    for (name, value) in &request.rest {
        match name.as_str() {
            "kind" => filter.kind = Some(kind(value)?),
            "person_id" => filter.person_id = Some(listing::parse_uuid(name, value)?),
            "thread_id" => filter.thread_id = Some(listing::parse_uuid(name, value)?),
            _ => return Err(AppError::BadRequest(format!("unknown query parameter {name:?}"))),
        }
    }
    let (items, more) = store::timeline(&mut db, record, &filter).await?;
    let next_cursor = listing::next_cursor(&items, more, &request.sort, cursor_of);
    Ok(Listed { items, next_cursor })
}
