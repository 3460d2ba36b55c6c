//! Threads: activities grouped by the matter they concern. A thread keeps only its
//! subject; which records it is about follows from its activities' links.

use rapport_core::activities::Activity;
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ActivityRow, assemble, select};
use crate::{Exec, Result};

#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Thread {
    pub id: Uuid,
    pub subject: String,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub updated_by: Option<Uuid>,
}

const COLUMNS: [&str; 7] = ["id", "subject", "version", "created_at", "created_by", "updated_at", "updated_by"];

fn threads() -> SelectStatement {
    let mut select = Query::select();
    select.columns(COLUMNS.iter().map(|c| ("threads", *c))).from("threads");
    select
}

pub async fn insert_thread(
    ex: &mut impl Exec,
    id: Uuid,
    subject: &str,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    ex.execute(Query::insert().into_table("threads").columns(COLUMNS).values_panic([
        id.into(),
        subject.into(),
        1i64.into(),
        Expr::val(ex.ts(at)),
        actor.into(),
        Expr::val(ex.ts(at)),
        actor.into(),
    ]))
    .await?;
    Ok(())
}

pub async fn get_thread(ex: &mut impl Exec, id: Uuid) -> Result<Option<Thread>> {
    ex.fetch_optional(threads().and_where(Expr::col(("threads", "id")).eq(id))).await
}

/// Up to `limit` threads with an activity about the record, newest first.
pub async fn threads_of_record(ex: &mut impl Exec, record: Uuid, limit: u64) -> Result<Vec<Thread>> {
    let of_record = Query::select()
        .column(("activities", "thread_id"))
        .from("activity_links")
        .inner_join("activities", Expr::col(("activities", "id")).equals(("activity_links", "activity_id")))
        .and_where(Expr::col(("activity_links", "record_id")).eq(record))
        .and_where(Expr::col(("activities", "thread_id")).is_not_null())
        .take();
    ex.fetch_all(
        threads()
            .and_where(Expr::col(("threads", "id")).in_subquery(of_record))
            .order_by(("threads", "created_at"), Order::Desc)
            .order_by(("threads", "id"), Order::Desc)
            .limit(limit),
    )
    .await
}

/// Up to `limit` threads the user started, newest first.
pub async fn threads_of_creator(ex: &mut impl Exec, user: Uuid, limit: u64) -> Result<Vec<Thread>> {
    ex.fetch_all(
        threads()
            .and_where(Expr::col(("threads", "created_by")).eq(user))
            .order_by(("threads", "created_at"), Order::Desc)
            .order_by(("threads", "id"), Order::Desc)
            .limit(limit),
    )
    .await
}

/// The thread's activities in the order they happened (at most 1,000: a thread is a
/// conversation, not a log).
pub async fn thread_activities(ex: &mut impl Exec, thread: Uuid) -> Result<Vec<Activity>> {
    let rows: Vec<ActivityRow> = ex
        .fetch_all(
            select()
                .and_where(Expr::col(("activities", "thread_id")).eq(thread))
                .and_where(Expr::col(("activities", "archived_at")).is_null())
                .order_by(("activities", "occurred_at"), Order::Asc)
                .order_by(("activities", "id"), Order::Asc)
                .limit(1000),
        )
        .await?;
    assemble(ex, rows).await
}
