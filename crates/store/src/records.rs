//! What companies and people share in storage: saving a new version, archiving, and the
//! list filters both offer (visibility, archive state, owner, category, attribute pairs,
//! search words).

use sea_query::{Alias, Expr, ExprTrait, LikeExpr, Query, SelectStatement, UnionType, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::access::Visibility;
use crate::companies::Archived;
use crate::listing;
use crate::{Backend, Exec, Result};

/// Writes `values` as the next version of row `id` in `table` if it is still at
/// `version`; false when someone else saved first.
pub(crate) async fn save_version(
    ex: &mut impl Exec,
    table: &'static str,
    id: Uuid,
    version: i64,
    mut values: Vec<(&'static str, Value)>,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<bool> {
    values.extend([("updated_at", ex.ts(at)), ("updated_by", actor.into()), ("version", (version + 1).into())]);
    let changed = ex
        .execute(
            Query::update()
                .table(table)
                .values(values.into_iter().map(|(c, v)| (c, Expr::val(v))))
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("version").eq(version)),
        )
        .await?;
    Ok(changed == 1)
}

pub(crate) async fn set_archived(
    ex: &mut impl Exec,
    table: &'static str,
    id: Uuid,
    archived: bool,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    let archived_at = if archived { ex.ts(at) } else { Option::<OffsetDateTime>::None.into() };
    let updated_at = ex.ts(at);
    ex.execute(
        Query::update()
            .table(table)
            .values([
                ("archived_at", Expr::val(archived_at)),
                ("updated_at", Expr::val(updated_at)),
                ("updated_by", Expr::val(actor)),
                ("version", Expr::col("version").add(1)),
            ])
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}

/// The filters every record list offers.
#[derive(Debug, Clone, Default)]
pub struct CommonFilter {
    pub owner_id: Option<Uuid>,
    pub category: Option<Uuid>,
    pub archived: Archived,
    /// What the user may see; the default sees everything.
    pub visibility: Visibility,
    pub attributes: Vec<(String, String)>,
    /// Custom field key and value pairs, compared as the values are indexed (see
    /// `contacts::custom_terms`).
    pub custom: Vec<(String, String)>,
}

/// `EXISTS (SELECT 1 FROM child WHERE child.link = table.id AND ...)`.
fn exists_child(child: &'static str, link: &'static str, table: &'static str, conditions: Vec<Expr>) -> Expr {
    let mut select = Query::select();
    select.expr(Expr::val(1)).from(child).and_where(Expr::col((child, link)).equals((table, "id")));
    for condition in conditions {
        select.and_where(condition);
    }
    Expr::exists(select.take())
}

pub(crate) fn apply_common(select: &mut SelectStatement, table: &'static str, filter: &CommonFilter) {
    let col = |c: &'static str| Expr::col((table, c));
    if let Some(visible) = filter.visibility.condition(table) {
        select.and_where(visible);
    }
    if let Some(owner) = filter.owner_id {
        select.and_where(col("owner_id").eq(owner));
    }
    match filter.archived {
        Archived::Exclude => select.and_where(col("archived_at").is_null()),
        Archived::Only => select.and_where(col("archived_at").is_not_null()),
        Archived::Include => select,
    };
    if let Some(category) = filter.category {
        let value = Expr::col(("record_categories", "value_id")).eq(category);
        select.and_where(exists_child("record_categories", "record_id", table, vec![value]));
    }
    for (key, value) in &filter.attributes {
        let pair = vec![
            Expr::col(("record_attributes", "key")).eq(key.clone()),
            Expr::col(("record_attributes", "value")).eq(value.clone()),
        ];
        select.and_where(exists_child("record_attributes", "record_id", table, pair));
    }
    for (key, value) in &filter.custom {
        let pair = vec![
            Expr::col(("record_custom_values", "key")).eq(key.clone()),
            Expr::col(("record_custom_values", "value")).eq(crate::contacts::indexed_term(value)),
        ];
        select.and_where(exists_child("record_custom_values", "record_id", table, pair));
    }
}

/// How many rows `filtered` (a select with its filters but no paging) matches, counting
/// no further than `cap`, so a count costs at most `cap` rows however large the table.
pub(crate) async fn count_up_to(ex: &mut impl Exec, mut filtered: SelectStatement, cap: u64) -> Result<u64> {
    filtered.clear_selects().expr(Expr::val(1)).limit(cap);
    let count = Query::select()
        .expr(Expr::col(sea_query::Asterisk).count())
        .from_subquery(filtered, sea_query::Alias::new("matched"))
        .take();
    let row: Option<(i64,)> = ex.fetch_optional(&count).await?;
    Ok(row.map_or(0, |(n,)| u64::try_from(n).unwrap_or(0)))
}

/// A search word matches the folded name anywhere, or the start of an email or of a
/// phone's digits; `code` adds a record-specific exact match (a company's code).
///
/// Written as `id IN (ids by name UNION ids by contact ...)`: each part is computed once,
/// where an `OR` of correlated conditions re-runs the contact lookup for every row.
/// Each part has an index: names a trigram index (SQLite FTS5, PostgreSQL pg_trgm),
/// contact values a B-tree read as a range of prefixes.
pub(crate) fn word_matches(
    backend: Backend,
    table: &'static str,
    word: &str,
    code: Option<(&'static str, String)>,
) -> Expr {
    let folded = rapport_core::text::fold(word);
    let digits: String = word.chars().filter(char::is_ascii_digit).collect();
    let mut contact = prefix_of(backend, &word.to_lowercase());
    if digits.len() >= 3 && digits.len() * 2 >= word.len() {
        contact = contact.or(prefix_of(backend, &digits));
    }
    let mut ids = by_name(backend, table, &folded);
    if let Some((column, value)) = code {
        ids.union(
            UnionType::Distinct,
            Query::select().column("id").from(table).and_where(Expr::col(column).eq(value)).take(),
        );
    }
    ids.union(
        UnionType::Distinct,
        Query::select().column("record_id").from("contact_methods").and_where(contact).take(),
    );
    Expr::col((table, "id")).in_subquery(ids.take())
}

/// Ids of `table` whose folded name contains `folded`.
fn by_name(backend: Backend, table: &'static str, folded: &str) -> SelectStatement {
    let pattern = LikeExpr::new(listing::contains_pattern(folded)).escape('\\');
    let mut ids = Query::select();
    // SQLite hands `LIKE` to the FTS5 table only without an ESCAPE clause, so a word with
    // a wildcard character in it reads the names themselves.
    if backend == Backend::Sqlite && !folded.contains(['%', '_', '\\']) {
        // Migration 0005 names each table's trigram index and its row numbers after it.
        let (rows, trigrams) = (format!("{table}_name_trigram_rows"), format!("{table}_name_trigrams"));
        let matching = Query::select()
            .column(Alias::new("rowid"))
            .from(Alias::new(trigrams))
            .and_where(Expr::col("name_folded").like(format!("%{folded}%")))
            .take();
        ids.column("record_id").from(Alias::new(rows)).and_where(Expr::col("n").in_subquery(matching));
    } else {
        ids.column("id").from(table).and_where(Expr::col("name_folded").like(pattern));
    }
    ids
}

/// Contact values starting with `prefix`. SQLite's `LIKE` ignores case, so it cannot read
/// the (case-sensitive) index; values are stored lower-case, and a range of the index
/// finds the same rows. PostgreSQL reads `LIKE 'prefix%'` from a `text_pattern_ops` index.
fn prefix_of(backend: Backend, prefix: &str) -> Expr {
    let normalized = || Expr::col(("contact_methods", "normalized"));
    match (backend, next_prefix(prefix)) {
        (Backend::Sqlite, Some(upper)) => normalized().gte(prefix.to_string()).and(normalized().lt(upper)),
        _ => normalized().like(LikeExpr::new(listing::prefix_pattern(prefix)).escape('\\')),
    }
}

/// The smallest text above every text that starts with `prefix`, in code point order.
fn next_prefix(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut code = last as u32 + 1;
        if (0xD800..=0xDFFF).contains(&code) {
            code = 0xE000;
        }
        if let Some(next) = char::from_u32(code) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::next_prefix;

    #[test]
    fn the_next_prefix_bounds_every_text_with_the_prefix() {
        assert_eq!(next_prefix("ana@").as_deref(), Some("anaA"));
        assert_eq!(next_prefix("łódź").as_deref(), Some("łódŻ"));
        assert_eq!(next_prefix("\u{10FFFF}").as_deref(), None);
        assert_eq!(next_prefix("a\u{10FFFF}").as_deref(), Some("b"));
        for text in ["ana@example.com", "ana@", "ana@\u{10FFFF}x"] {
            assert!(text >= "ana@" && text < next_prefix("ana@").unwrap().as_str(), "{text}");
        }
        assert!("anb" >= next_prefix("ana").unwrap().as_str());
    }
}
