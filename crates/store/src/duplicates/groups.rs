//! What a batch scan found (`duplicate_groups` and their members), and the pairs users
//! dismissed as not duplicates (`duplicate_dismissals`).

use std::collections::BTreeSet;

use rapport_core::custom_fields::RecordKind;
use sea_query::{Expr, ExprTrait, Order, Query};
use time::OffsetDateTime;
use uuid::Uuid;

use super::kind_code;
use crate::{Exec, Result};

/// Groups written per statement.
const CHUNK: usize = 500;

/// A group of records that look like one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: Uuid,
    pub kind: RecordKind,
    pub records: Vec<Uuid>,
    /// Thousandths: 1000 is certain.
    pub score: i32,
    /// Reason codes, space-separated.
    pub reasons: String,
}

/// Replaces the groups of `kind` with those of a finished scan.
pub async fn replace_groups(ex: &mut impl Exec, kind: RecordKind, found: &[Group], at: OffsetDateTime) -> Result<()> {
    let code = kind_code(kind);
    let old = Query::select().column("id").from("duplicate_groups").and_where(Expr::col("kind").eq(code)).to_owned();
    ex.execute(Query::delete().from_table("duplicate_group_members").and_where(Expr::col("group_id").in_subquery(old)))
        .await?;
    ex.execute(Query::delete().from_table("duplicate_groups").and_where(Expr::col("kind").eq(code))).await?;
    for chunk in found.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("duplicate_groups").columns(["id", "kind", "score", "reasons", "found_at"]);
        let mut members = Query::insert();
        members.into_table("duplicate_group_members").columns(["group_id", "record_id"]);
        for group in chunk {
            insert.values_panic([
                group.id.into(),
                code.into(),
                group.score.into(),
                group.reasons.clone().into(),
                Expr::val(ex.ts(at)),
            ]);
            for record in &group.records {
                members.values_panic([group.id.into(), (*record).into()]);
            }
        }
        ex.execute(&insert).await?;
        ex.execute(&members).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    id: Uuid,
    kind: i16,
    score: i32,
    reasons: String,
}

async fn with_members(ex: &mut impl Exec, rows: Vec<GroupRow>) -> Result<Vec<Group>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let members: Vec<(Uuid, Uuid)> = if ids.is_empty() {
        Vec::new()
    } else {
        ex.fetch_all(
            Query::select()
                .columns(["group_id", "record_id"])
                .from("duplicate_group_members")
                .and_where(Expr::col("group_id").is_in(ids))
                .order_by("record_id", Order::Asc),
        )
        .await?
    };
    Ok(rows
        .into_iter()
        .map(|row| Group {
            records: members.iter().filter(|(g, _)| *g == row.id).map(|(_, r)| *r).collect(),
            id: row.id,
            kind: if row.kind == kind_code(RecordKind::Company) { RecordKind::Company } else { RecordKind::Person },
            score: row.score,
            reasons: row.reasons,
        })
        .collect())
}

/// The groups of `kind`, best first, after `after` (score, id) for the next page.
pub async fn groups(
    ex: &mut impl Exec,
    kind: RecordKind,
    after: Option<(i32, Uuid)>,
    limit: u64,
) -> Result<Vec<Group>> {
    let mut select = Query::select();
    select
        .columns(["id", "kind", "score", "reasons"])
        .from("duplicate_groups")
        .and_where(Expr::col("kind").eq(kind_code(kind)))
        .order_by("score", Order::Desc)
        .order_by("id", Order::Desc)
        .limit(limit);
    if let Some((score, id)) = after {
        select.and_where(Expr::col("score").lt(score).or(Expr::col("score").eq(score).and(Expr::col("id").lt(id))));
    }
    let rows: Vec<GroupRow> = ex.fetch_all(&select).await?;
    with_members(ex, rows).await
}

pub async fn group(ex: &mut impl Exec, id: Uuid) -> Result<Option<Group>> {
    let rows: Vec<GroupRow> = ex
        .fetch_all(
            Query::select()
                .columns(["id", "kind", "score", "reasons"])
                .from("duplicate_groups")
                .and_where(Expr::col("id").eq(id)),
        )
        .await?;
    Ok(with_members(ex, rows).await?.pop())
}

/// Removes the groups any of `records` is in (a merge or a dismissal answered them).
pub async fn forget_groups_of(ex: &mut impl Exec, records: &[Uuid]) -> Result<()> {
    let groups = Query::select()
        .column("group_id")
        .from("duplicate_group_members")
        .and_where(Expr::col("record_id").is_in(records.iter().copied()))
        .to_owned();
    let ids: Vec<(Uuid,)> = ex.fetch_all(&groups).await?;
    let ids: Vec<Uuid> = ids.into_iter().map(|(id,)| id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    ex.execute(
        Query::delete().from_table("duplicate_group_members").and_where(Expr::col("group_id").is_in(ids.clone())),
    )
    .await?;
    ex.execute(Query::delete().from_table("duplicate_groups").and_where(Expr::col("id").is_in(ids))).await?;
    Ok(())
}

fn ordered(a: Uuid, b: Uuid) -> (Uuid, Uuid) {
    if a < b { (a, b) } else { (b, a) }
}

/// Remembers that every pair of `records` is not a duplicate.
pub async fn dismiss(ex: &mut impl Exec, records: &[Uuid], actor: Option<Uuid>, at: OffsetDateTime) -> Result<()> {
    let mut insert = Query::insert();
    insert.into_table("duplicate_dismissals").columns(["record_id", "other_id", "dismissed_by", "dismissed_at"]);
    let mut any = false;
    for (i, a) in records.iter().enumerate() {
        for b in &records[i + 1..] {
            let (first, second) = ordered(*a, *b);
            insert.values_panic([first.into(), second.into(), actor.into(), Expr::val(ex.ts(at))]);
            any = true;
        }
    }
    if any {
        insert.on_conflict(sea_query::OnConflict::columns(["record_id", "other_id"]).do_nothing().to_owned());
        ex.execute(&insert).await?;
    }
    Ok(())
}

/// The dismissed pairs among `records`.
pub async fn dismissed_among(ex: &mut impl Exec, records: &[Uuid]) -> Result<BTreeSet<(Uuid, Uuid)>> {
    let mut out = BTreeSet::new();
    for chunk in records.chunks(CHUNK) {
        let rows: Vec<(Uuid, Uuid)> = ex
            .fetch_all(
                Query::select()
                    .columns(["record_id", "other_id"])
                    .from("duplicate_dismissals")
                    .and_where(Expr::col("record_id").is_in(chunk.iter().copied())),
            )
            .await?;
        out.extend(rows);
    }
    Ok(out)
}
