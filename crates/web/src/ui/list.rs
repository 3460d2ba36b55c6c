//! What the company and people lists share: reading the query, choices for the filters,
//! sortable column headers, and keyset paging with a way back.
//!
//! The use cases page forward only (a cursor names the last row seen). To go back, each
//! page's address carries the cursors of the pages before it (`trail`), so "previous"
//! is a plain link and every page can be bookmarked.

use std::collections::HashMap;

use rapport_app::listing::Params;
use serde_json::Value;
use uuid::Uuid;

use super::i18n::L;
use super::layout::query;

/// Pages remembered for "previous"; further back, "first page" still works.
const TRAIL_LIMIT: usize = 20;

pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options for a filter: "any" first, then the given values with their labels.
pub fn options(any: String, values: Vec<(String, String)>, current: &str) -> Vec<SelectOption> {
    let mut out = vec![SelectOption { value: String::new(), label: any, selected: current.is_empty() }];
    out.extend(values.into_iter().map(|(value, label)| SelectOption { selected: value == current, value, label }));
    out
}

/// The request's query, as pairs.
pub fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes()).map(|(n, v)| (n.into_owned(), v.into_owned())).collect()
}

pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// The filters, sort and cursor to hand to the use case: empty inputs mean "not
/// filtered", and the trail of earlier pages is ours alone.
pub fn use_case_params(pairs: &[(String, String)]) -> Params {
    pairs.iter().filter(|(n, v)| !v.is_empty() && !OURS.contains(&n.as_str())).cloned().collect()
}

/// Parameters the pages use for themselves: the trail of earlier pages and the outcome
/// of a bulk action.
const OURS: [&str; 3] = ["trail", "done", "refused"];

/// The filters and sort of the current list (without paging), to build links from.
fn filters_only(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .filter(|(n, v)| !v.is_empty() && n != "cursor" && !OURS.contains(&n.as_str()))
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// The selection bar of a list: the owners one may give records to, and the outcome of
/// the last bulk action (`done`, `refused` in the address).
pub struct Bulk {
    pub owners: Vec<SelectOption>,
    /// The category values one may add rows to (empty when there are none).
    pub categories: Vec<SelectOption>,
    pub outcome: String,
    pub refused: bool,
}

pub fn bulk(l: &L, names: &HashMap<Uuid, String>, lists: &Lists, pairs: &[(String, String)]) -> Bulk {
    let mut owners: Vec<(String, String)> = names.iter().map(|(id, n)| (id.to_string(), n.clone())).collect();
    owners.sort_by_key(|(_, name)| name.to_lowercase());
    let count = |name| param(pairs, name).parse::<usize>().ok();
    let outcome = match (count("done"), count("refused")) {
        (Some(done), Some(0)) => l.count("bulk-done", done),
        (Some(done), Some(refused)) => format!("{} {}", l.count("bulk-done", done), l.count("bulk-refused", refused)),
        _ => String::new(),
    };
    Bulk {
        owners: owners.into_iter().map(|(value, label)| SelectOption { value, label, selected: false }).collect(),
        categories: lists
            .categories()
            .into_iter()
            .map(|(value, label)| SelectOption { value, label, selected: false })
            .collect(),
        outcome,
        refused: count("refused").is_some_and(|r| r > 0),
    }
}

pub struct Paging {
    pub first: String,
    pub previous: String,
    pub next: String,
}

pub fn paging(base: &str, pairs: &[(String, String)], next_cursor: Option<&str>) -> Paging {
    let filters = filters_only(pairs);
    let link = |cursor: &str, trail: &[&str]| {
        let joined = trail.join(",");
        let mut all = filters.clone();
        all.push(("cursor", cursor));
        all.push(("trail", &joined));
        let q = query(&all);
        if q.is_empty() { base.to_string() } else { format!("{base}?{q}") }
    };
    let cursor = param(pairs, "cursor");
    let trail: Vec<&str> = param(pairs, "trail").split(',').filter(|c| !c.is_empty()).collect();
    let first = link("", &[]);
    let previous = if cursor.is_empty() {
        String::new()
    } else {
        match trail.split_last() {
            Some((last, rest)) => link(last, rest),
            None => first.clone(),
        }
    };
    let next = match next_cursor {
        Some(next) => {
            let mut longer = trail.clone();
            if !cursor.is_empty() {
                longer.push(cursor);
            }
            let skip = longer.len().saturating_sub(TRAIL_LIMIT);
            link(next, &longer[skip..])
        }
        None => String::new(),
    };
    Paging { first, previous, next }
}

/// The export links of a list: its filters and search, without the page it is on.
pub fn exports(l: &L, actor: &rapport_app::Actor, collection: &str, params: &Params) -> Vec<(String, String)> {
    let kind = if collection == "people" { "person" } else { "company" };
    if actor.require(kind, rapport_core::access::Action::Export).is_err() {
        return Vec::new();
    }
    let filters: Vec<(&str, &str)> =
        params.iter().filter(|(n, _)| n != "cursor").map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let formats: &[&str] = if collection == "people" { &["csv", "xlsx", "vcf"] } else { &["csv", "xlsx"] };
    formats
        .iter()
        .map(|format| {
            let mut pairs = vec![("format", *format)];
            pairs.extend(filters.iter().copied());
            (l.t(&format!("export-{format}")), format!("/api/v1/{collection}/export?{}", query(&pairs)))
        })
        .collect()
}

/// A column header that sorts the list, and says how it is sorted now.
pub struct SortHeader {
    pub label: String,
    pub url: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub state: &'static str,
}

pub fn sort_header(base: &str, pairs: &[(String, String)], key: &str, label: &str) -> SortHeader {
    let current = match param(pairs, "sort") {
        "" => "name",
        sort => sort,
    };
    let state = if current == key {
        "ascending"
    } else if current.strip_prefix('-') == Some(key) {
        "descending"
    } else {
        "none"
    };
    let next = if state == "ascending" { format!("-{key}") } else { key.to_string() };
    let mut all: Vec<(&str, &str)> = filters_only(pairs).into_iter().filter(|(n, _)| *n != "sort").collect();
    all.push(("sort", &next));
    SortHeader { label: label.to_string(), url: format!("{base}?{}", query(&all)), state }
}

/// A text field of a record as the actor may see it (hidden fields are absent).
pub fn text(record: &Value, field: &str) -> String {
    match record.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// The first contact method of a kind (the primary one when marked).
pub fn main_contact(record: &Value, kinds: &[&str]) -> String {
    let methods = record.get("contact_methods").and_then(Value::as_array).cloned().unwrap_or_default();
    let of_kind = |m: &&Value| kinds.contains(&m.get("kind").and_then(Value::as_str).unwrap_or(""));
    let primary = methods.iter().filter(of_kind).find(|m| m.get("primary") == Some(&Value::Bool(true)));
    primary.or_else(|| methods.iter().find(of_kind)).map(|m| text(m, "value")).unwrap_or_default()
}

pub fn owner_name(names: &HashMap<Uuid, String>, record: &Value) -> String {
    let id = text(record, "owner_id");
    Uuid::parse_str(&id).ok().and_then(|id| names.get(&id).cloned()).unwrap_or_default()
}

/// The owners to filter by: "mine" first, then everyone else by name.
pub fn owner_options(l: &L, names: &HashMap<Uuid, String>, me: Option<Uuid>, current: &str) -> Vec<SelectOption> {
    let mut others: Vec<(String, String)> =
        names.iter().filter(|(id, _)| Some(**id) != me).map(|(id, name)| (id.to_string(), name.clone())).collect();
    others.sort_by_key(|(_, name)| name.to_lowercase());
    let mut values: Vec<(String, String)> = me.map(|id| (id.to_string(), l.t("filter-owner-me"))).into_iter().collect();
    values.extend(others);
    options(l.t("filter-any"), values, current)
}

pub fn archived_options(l: &L, current: &str) -> Vec<SelectOption> {
    let values =
        vec![("true".to_string(), l.t("filter-archived-only")), ("any".to_string(), l.t("filter-archived-any"))];
    options(l.t("filter-archived-no"), values, current)
}

/// The category kinds with their values, including the built-in `level` and `stage`.
pub struct Lists {
    kinds: Vec<Value>,
}

impl Lists {
    pub async fn load(app: &rapport_app::App) -> Result<Lists, rapport_app::AppError> {
        let kinds = rapport_app::categories::list(app).await?;
        Ok(Lists { kinds: kinds.iter().filter_map(|k| serde_json::to_value(k).ok()).collect() })
    }

    fn values(kind: &Value) -> Vec<Value> {
        kind.get("values").and_then(Value::as_array).cloned().unwrap_or_default()
    }

    /// The choices of a built-in list as (key, name).
    pub fn choices(&self, key: &str) -> Vec<(String, String)> {
        self.kinds
            .iter()
            .filter(|k| text(k, "key") == key)
            .flat_map(|k| Self::values(k).into_iter().map(|v| (text(&v, "key"), text(&v, "name"))))
            .collect()
    }

    /// The name of a built-in list's value, or the stored key when the list lost it.
    pub fn name_of(&self, list: &str, key: &str) -> String {
        if key.is_empty() {
            return String::new();
        }
        self.choices(list).into_iter().find(|(k, _)| k == key).map(|(_, n)| n).unwrap_or_else(|| key.to_string())
    }

    /// Every value of the administrators' own category kinds, as (id, "Kind: value").
    pub fn categories(&self) -> Vec<(String, String)> {
        self.kinds
            .iter()
            .filter(|k| k.get("system") != Some(&Value::Bool(true)))
            .flat_map(|k| {
                let kind = text(k, "name");
                Self::values(k).into_iter().map(move |v| (text(&v, "id"), format!("{kind}: {}", text(&v, "name"))))
            })
            .collect()
    }

    /// The administrators' own kinds with their values as (id, name), for choosing.
    pub fn groups(&self) -> Vec<(String, Vec<(String, String)>)> {
        self.kinds
            .iter()
            .filter(|k| k.get("system") != Some(&Value::Bool(true)))
            .map(|k| (text(k, "name"), Self::values(k).iter().map(|v| (text(v, "id"), text(v, "name"))).collect()))
            .collect()
    }

    /// A category value's kind and name, by its id.
    pub fn category(&self, id: &str) -> Option<(String, String)> {
        self.kinds.iter().find_map(|k| {
            Self::values(k).into_iter().find(|v| text(v, "id") == id).map(|v| (text(k, "name"), text(&v, "name")))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        parse_query(Some(q))
    }

    #[test]
    fn paging_goes_forward_and_back_through_the_trail() {
        let first = paging("/companies", &pairs("status=active"), Some("c1"));
        assert_eq!(first.previous, "");
        assert_eq!(first.next, "/companies?status=active&cursor=c1");
        let second = paging("/companies", &pairs("status=active&cursor=c1"), Some("c2"));
        assert_eq!(second.previous, "/companies?status=active");
        assert_eq!(second.next, "/companies?status=active&cursor=c2&trail=c1");
        let third = paging("/companies", &pairs("status=active&cursor=c2&trail=c1"), None);
        assert_eq!(third.previous, "/companies?status=active&cursor=c1");
        assert_eq!(third.next, "");
    }
}
