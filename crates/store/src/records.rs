//! What companies and people share in storage: saving a new version, archiving, and the
//! list filters both offer (visibility, archive state, owner, category, attribute pairs,
//! search words).

use sea_query::{Expr, ExprTrait, LikeExpr, Query, SelectStatement, UnionType, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::access::Visibility;
use crate::companies::Archived;
use crate::listing;
use crate::{Exec, Result};

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
}

/// A search word matches the folded name anywhere, or the start of an email or of a
/// phone's digits; `code` adds a record-specific exact match (a company's code).
///
/// Written as `id IN (ids by name UNION ids by contact ...)`: each part is computed once,
/// where an `OR` of correlated conditions re-runs the contact lookup for every row.
pub(crate) fn word_matches(table: &'static str, word: &str, code: Option<(&'static str, String)>) -> Expr {
    let folded = rapport_core::text::fold(word);
    let digits: String = word.chars().filter(char::is_ascii_digit).collect();
    let normalized = || Expr::col(("contact_methods", "normalized"));
    let mut contact = normalized().like(LikeExpr::new(listing::prefix_pattern(&word.to_lowercase())).escape('\\'));
    if digits.len() >= 3 && digits.len() * 2 >= word.len() {
        contact = contact.or(normalized().like(LikeExpr::new(listing::prefix_pattern(&digits))));
    }
    let mut ids = Query::select();
    ids.column("id")
        .from(table)
        .and_where(Expr::col("name_folded").like(LikeExpr::new(listing::contains_pattern(&folded)).escape('\\')));
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
