//! The history of every record (written in the same transaction as the change) and the
//! outbox of events that workers pick up after commit.

use rapport_core::audit::Change;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: Uuid,
    pub action: String,
    pub actor_id: Option<Uuid>,
    pub actor_name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub changes: Vec<Change>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: Uuid,
    action: String,
    actor_id: Option<Uuid>,
    actor_name: Option<String>,
    at: OffsetDateTime,
    changes: Json<Vec<Change>>,
}

/// One change to one record, for the history.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    pub record_kind: &'a str,
    pub record_id: Uuid,
    pub action: &'a str,
    pub changes: &'a [Change],
}

/// Records one change to a record and queues its event, in the caller's transaction.
pub async fn record(
    ex: &mut impl Exec,
    record_kind: &str,
    record_id: Uuid,
    action: &str,
    actor: Option<Uuid>,
    at: OffsetDateTime,
    changes: &[Change],
) -> Result<()> {
    record_many(ex, &[Event { record_kind, record_id, action, changes }], actor, at).await
}

/// Records many changes by one actor at one time with a few multi-row statements.
pub async fn record_many(
    ex: &mut impl Exec,
    events: &[Event<'_>],
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    let at_value = ex.ts(at);
    for chunk in events.chunks(crate::contacts::CHUNK) {
        let mut log = Query::insert();
        log.into_table("audit_log").columns(["id", "record_kind", "record_id", "action", "actor_id", "at", "changes"]);
        let mut outbox = Query::insert();
        outbox.into_table("outbox").columns(["id", "topic", "record_kind", "record_id", "payload", "created_at"]);
        for event in chunk {
            let changes = serde_json::to_value(event.changes).unwrap_or(Value::Null);
            log.values_panic([
                Uuid::now_v7().into(),
                event.record_kind.into(),
                event.record_id.into(),
                event.action.into(),
                actor.into(),
                at_value.clone().into(),
                changes.into(),
            ]);
            let payload = serde_json::json!({"action": event.action, "actor_id": actor});
            outbox.values_panic([
                Uuid::now_v7().into(),
                format!("{}.{}", event.record_kind, event.action).into(),
                event.record_kind.into(),
                event.record_id.into(),
                payload.into(),
                at_value.clone().into(),
            ]);
        }
        ex.execute(&log).await?;
        ex.execute(&outbox).await?;
    }
    Ok(())
}

/// A record's history, newest first, with the actors' names.
pub async fn history(ex: &mut impl Exec, record_id: Uuid, limit: u64) -> Result<Vec<Entry>> {
    let rows: Vec<EntryRow> = ex
        .fetch_all(
            Query::select()
                .columns([
                    ("audit_log", "id"),
                    ("audit_log", "action"),
                    ("audit_log", "actor_id"),
                    ("audit_log", "at"),
                    ("audit_log", "changes"),
                ])
                .expr_as(Expr::col(("users", "name")), "actor_name")
                .from("audit_log")
                .left_join("users", Expr::col(("users", "id")).equals(("audit_log", "actor_id")))
                .and_where(Expr::col(("audit_log", "record_id")).eq(record_id))
                .order_by(("audit_log", "id"), Order::Desc)
                .limit(limit),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            id: r.id,
            action: r.action,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            at: r.at,
            changes: r.changes.0,
        })
        .collect())
}
