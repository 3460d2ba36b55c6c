//! In-app notifications: approvals waiting, decisions taken.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Notification {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    pub message: String,
    pub link: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub read_at: Option<OffsetDateTime>,
}

const COLUMNS: [&str; 7] = ["id", "user_id", "kind", "message", "link", "created_at", "read_at"];

pub async fn notify(
    ex: &mut impl Exec,
    user_id: Uuid,
    kind: &str,
    message: &str,
    link: Option<&str>,
    at: OffsetDateTime,
) -> Result<()> {
    let at = ex.ts(at);
    ex.execute(Query::insert().into_table("notifications").columns(COLUMNS).values_panic([
        Uuid::now_v7().into(),
        user_id.into(),
        kind.into(),
        message.into(),
        link.map(str::to_string).into(),
        at.into(),
        Option::<OffsetDateTime>::None.into(),
    ]))
    .await?;
    Ok(())
}

/// A user's notifications, newest first.
pub async fn for_user(ex: &mut impl Exec, user_id: Uuid, limit: u64) -> Result<Vec<Notification>> {
    ex.fetch_all(
        Query::select()
            .columns(COLUMNS)
            .from("notifications")
            .and_where(Expr::col("user_id").eq(user_id))
            .order_by("id", Order::Desc)
            .limit(limit),
    )
    .await
}

pub async fn mark_read(ex: &mut impl Exec, user_id: Uuid, id: Uuid, at: OffsetDateTime) -> Result<bool> {
    let at = ex.ts(at);
    let changed = ex
        .execute(
            Query::update()
                .table("notifications")
                .value("read_at", at)
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("user_id").eq(user_id)),
        )
        .await?;
    Ok(changed == 1)
}
