//! Requests to delete a customer, filed by users who may not delete, decided by the
//! owner's manager.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct DeletionRequest {
    pub id: Uuid,
    #[serde(rename = "kind")]
    pub record_kind: String,
    pub record_id: Uuid,
    pub record_name: String,
    pub reason: String,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub requested_by: Uuid,
    /// Who is asked to decide (the owner's manager); `None` leaves it to administrators.
    pub approver_id: Option<Uuid>,
    pub decided_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
    /// What the approval did: `deleted` or `archived`.
    pub outcome: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

const COLUMNS: [&str; 12] = [
    "id",
    "record_kind",
    "record_id",
    "record_name",
    "reason",
    "status",
    "requested_by",
    "approver_id",
    "decided_by",
    "decided_at",
    "outcome",
    "created_at",
];

pub async fn insert(ex: &mut impl Exec, request: &DeletionRequest) -> Result<()> {
    let at = ex.ts(request.created_at);
    ex.execute(Query::insert().into_table("deletion_requests").columns(COLUMNS).values_panic([
        request.id.into(),
        request.record_kind.clone().into(),
        request.record_id.into(),
        request.record_name.clone().into(),
        request.reason.clone().into(),
        request.status.clone().into(),
        request.requested_by.into(),
        request.approver_id.into(),
        Option::<Uuid>::None.into(),
        Option::<OffsetDateTime>::None.into(),
        Option::<String>::None.into(),
        at.into(),
    ]))
    .await?;
    Ok(())
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<DeletionRequest>> {
    ex.fetch_optional(Query::select().columns(COLUMNS).from("deletion_requests").and_where(Expr::col("id").eq(id)))
        .await
}

/// Requests the user filed or is asked to decide (all of them for `None`), newest first.
pub async fn list(ex: &mut impl Exec, involving: Option<Uuid>, limit: u64) -> Result<Vec<DeletionRequest>> {
    let mut select = Query::select();
    select.columns(COLUMNS).from("deletion_requests").order_by("id", Order::Desc).limit(limit);
    if let Some(user) = involving {
        select.and_where(Expr::col("requested_by").eq(user).or(Expr::col("approver_id").eq(user)));
    }
    ex.fetch_all(&select).await
}

pub async fn pending_for_record(ex: &mut impl Exec, record_id: Uuid) -> Result<Option<DeletionRequest>> {
    ex.fetch_optional(
        Query::select()
            .columns(COLUMNS)
            .from("deletion_requests")
            .and_where(Expr::col("record_id").eq(record_id))
            .and_where(Expr::col("status").eq("pending")),
    )
    .await
}

/// Records the decision if the request is still pending; false when someone decided first.
pub async fn decide(
    ex: &mut impl Exec,
    id: Uuid,
    status: &str,
    outcome: Option<&str>,
    by: Uuid,
    at: OffsetDateTime,
) -> Result<bool> {
    let changed = ex
        .execute(
            Query::update()
                .table("deletion_requests")
                .values([
                    ("status", Expr::val(status)),
                    ("outcome", Expr::val(outcome.map(str::to_string))),
                    ("decided_by", Expr::val(by)),
                    ("decided_at", Expr::val(ex.ts(at))),
                ])
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("status").eq("pending")),
        )
        .await?;
    Ok(changed == 1)
}
