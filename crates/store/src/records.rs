//! What companies and people share in storage: saving a new version, archiving, and the
//! list filters both offer (visibility, archive state, owner, category, attribute pairs,
//! search words).

use rapport_core::custom_fields::RecordKind;
use rapport_core::search::Clause;
use sea_query::{Expr, ExprTrait, Query, SelectStatement, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::access::Visibility;
use crate::companies::Archived;
use crate::listing::{self, Page};
use crate::search::TextPlan;
use crate::{Backend, Exec, Result, search};

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
    /// What the search text asks of the search index.
    pub text: TextFilter,
    /// Only these records (a distribution list's members, or a few named ones).
    pub within: Option<crate::lists::Within>,
}

/// The search index part of a filter: every clause must hold (or, negated, must not),
/// and the name must hold every phrase.
#[derive(Debug, Clone, Default)]
pub struct TextFilter {
    pub clauses: Vec<Clause>,
    pub phrases: Vec<String>,
    /// How the list reads the clauses' matches (see [`search::plan`]).
    pub plan: search::TextPlan,
}

impl TextFilter {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.phrases.is_empty()
    }
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

pub(crate) fn apply_common(select: &mut SelectStatement, kind: RecordKind, table: &'static str, filter: &CommonFilter) {
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
    for clause in &filter.text.clauses {
        select.and_where(search::clause_condition(kind, table, clause, filter.text.plan));
    }
    for phrase in &filter.text.phrases {
        select.and_where(search::phrase_condition(table, phrase));
    }
    if let Some(within) = &filter.within {
        select.and_where(within.condition(table));
    }
}

/// The query of one page of `filtered` (a select of `table` with its filters); `base` is
/// the table's plain select. Walking a list in its own order on PostgreSQL reads the
/// page's ids first, from the sort index alone, then their rows: an index scan there
/// reads the table row of every entry the walk passes, matching or not, where SQLite
/// reads the row only for entries that match.
pub(crate) fn page_query(
    ex: &impl Exec,
    table: &'static str,
    base: SelectStatement,
    mut filtered: SelectStatement,
    page: &Page,
    plan: TextPlan,
) -> SelectStatement {
    listing::apply(ex, table, page, &mut filtered);
    if plan != TextPlan::InListOrder || ex.backend() != Backend::Postgres {
        return filtered;
    }
    filtered.clear_selects().column((table, "id"));
    let mut rows = base;
    rows.and_where(Expr::col((table, "id")).in_subquery(filtered));
    listing::apply(ex, table, &Page { after: None, ..page.clone() }, &mut rows);
    rows
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
