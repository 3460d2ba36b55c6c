//! List requests: limit, sort, cursor and the search text, parsed the same way for every
//! collection. Cursors carry the last row's sort value and id, with a checksum so a
//! tampered cursor is refused instead of silently paging from somewhere else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rapport_core::search::SearchQuery;
use rapport_store::companies::Archived;
use rapport_store::listing::{Page, SortValue};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::AppError;

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 500;

/// A page of records and the cursor of the next page, if any.
#[derive(Debug, Clone, Serialize)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A sortable column: its name in the API, in the table, and whether it is a time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SortKey {
    pub api: &'static str,
    pub column: &'static str,
    pub time: bool,
}

#[derive(Serialize, Deserialize)]
struct CursorBody {
    s: String,
    v: String,
    i: Uuid,
}

fn checksum(payload: &[u8]) -> String {
    let digest = Sha256::digest([b"rapport-cursor-v1:".as_slice(), payload].concat());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn encode_cursor(sort: &str, value: &SortValue, id: Uuid) -> String {
    let v = match value {
        SortValue::Text(text) => text.clone(),
        SortValue::Time(at) => at.format(&Rfc3339).unwrap_or_default(),
    };
    let payload = serde_json::to_vec(&CursorBody { s: sort.to_string(), v, i: id }).unwrap_or_default();
    format!("{}.{}", URL_SAFE_NO_PAD.encode(&payload), checksum(&payload))
}

fn bad_cursor() -> AppError {
    AppError::BadRequest("the cursor is not valid: use the next_cursor of a previous page unchanged".into())
}

fn decode_cursor(cursor: &str, sort: &str, key: SortKey) -> Result<(SortValue, Uuid), AppError> {
    let (body, sum) = cursor.split_once('.').ok_or_else(bad_cursor)?;
    let payload = URL_SAFE_NO_PAD.decode(body).map_err(|_| bad_cursor())?;
    if checksum(&payload) != sum {
        return Err(bad_cursor());
    }
    let body: CursorBody = serde_json::from_slice(&payload).map_err(|_| bad_cursor())?;
    if body.s != sort {
        return Err(AppError::BadRequest("the cursor belongs to another sort order".into()));
    }
    let value = if key.time {
        SortValue::Time(OffsetDateTime::parse(&body.v, &Rfc3339).map_err(|_| bad_cursor())?)
    } else {
        SortValue::Text(body.v)
    };
    Ok((value, body.i))
}

/// The query parameters of a list request, as name/value pairs.
pub type Params = Vec<(String, String)>;

/// The common part of a list request, parsed; the rest is left to the collection.
pub(crate) struct ListRequest {
    pub page: Page,
    pub sort: String,
    pub search: SearchQuery,
    /// Parameters the collection must understand (filters), unknown ones refused there.
    pub rest: Params,
}

pub(crate) fn parse_request(params: Params, keys: &[SortKey], default_sort: &str) -> Result<ListRequest, AppError> {
    let mut limit = DEFAULT_LIMIT;
    let mut sort = default_sort.to_string();
    let mut cursor = None;
    let mut q = String::new();
    let mut rest = Vec::new();
    for (name, value) in params {
        match name.as_str() {
            "limit" => {
                limit = value.parse::<u64>().ok().filter(|l| (1..=MAX_LIMIT).contains(l)).ok_or_else(|| {
                    AppError::BadRequest(format!("limit must be a whole number from 1 to {MAX_LIMIT}"))
                })?;
            }
            "sort" => sort = value,
            "cursor" => cursor = Some(value),
            "q" => q = value,
            _ => rest.push((name, value)),
        }
    }
    let descending = sort.starts_with('-');
    let name = sort.trim_start_matches('-');
    let key = *keys.iter().find(|k| k.api == name).ok_or_else(|| {
        let names: Vec<_> = keys.iter().map(|k| k.api).collect();
        AppError::BadRequest(format!("sort must be one of {} (with - for descending)", names.join(", ")))
    })?;
    let after = match cursor.as_deref() {
        Some(c) if !c.is_empty() => Some(decode_cursor(c, &sort, key)?),
        _ => None,
    };
    Ok(ListRequest {
        page: Page { limit, column: key.column, descending, after },
        sort,
        search: SearchQuery::parse(&q),
        rest,
    })
}

pub(crate) fn parse_archived(value: &str) -> Result<Archived, AppError> {
    match value {
        "false" => Ok(Archived::Exclude),
        "true" => Ok(Archived::Only),
        "any" => Ok(Archived::Include),
        _ => Err(AppError::BadRequest("archived must be true, false or any".into())),
    }
}

pub(crate) fn parse_uuid(name: &str, value: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(value.trim()).map_err(|_| AppError::BadRequest(format!("{name} must be a UUID")))
}

/// The cursor for the page after `items`, when there is one.
pub(crate) fn next_cursor<T>(
    items: &[T],
    more: bool,
    sort: &str,
    value_of: impl Fn(&T) -> (SortValue, Uuid),
) -> Option<String> {
    if !more {
        return None;
    }
    items.last().map(|last| {
        let (value, id) = value_of(last);
        encode_cursor(sort, &value, id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: [SortKey; 2] = [
        SortKey { api: "name", column: "name", time: false },
        SortKey { api: "updated_at", column: "updated_at", time: true },
    ];

    #[test]
    fn cursors_round_trip_and_tampering_is_refused() {
        let id = Uuid::now_v7();
        let cursor = encode_cursor("-updated_at", &SortValue::Time(OffsetDateTime::UNIX_EPOCH), id);
        let params = vec![("sort".into(), "-updated_at".into()), ("cursor".into(), cursor.clone())];
        let request = parse_request(params, &KEYS, "name").unwrap();
        assert_eq!(request.page.after, Some((SortValue::Time(OffsetDateTime::UNIX_EPOCH), id)));
        assert!(request.page.descending);
        let mut tampered = cursor.clone();
        tampered.replace_range(0..1, if cursor.starts_with('A') { "B" } else { "A" });
        let params = vec![("sort".into(), "-updated_at".into()), ("cursor".into(), tampered)];
        assert!(matches!(parse_request(params, &KEYS, "name"), Err(AppError::BadRequest(_))));
        let params = vec![("cursor".into(), cursor)];
        assert!(matches!(parse_request(params, &KEYS, "name"), Err(AppError::BadRequest(_))));
    }

    #[test]
    fn limits_and_sorts_are_checked() {
        for (name, value) in [("limit", "100000"), ("limit", "0"), ("limit", "x"), ("sort", "colour")] {
            let params = vec![(name.to_string(), value.to_string())];
            assert!(parse_request(params, &KEYS, "name").is_err(), "{name}={value}");
        }
    }
}
