//! In-app notifications (reminders, assignments, mentions, approvals), the state of the
//! email sent for each, and each user's choice of how to hear of each kind of event.

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use serde::Serialize;
use serde_json::Value;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: String,
    /// The English wording; pages and emails word it from `kind` and `params` instead.
    pub message: String,
    pub params: Option<Value>,
    pub link: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub read_at: Option<OffsetDateTime>,
    /// `queued`, `sent` or `failed` when an email goes with the notification.
    pub email_state: Option<String>,
    /// Why the email could not be sent (the last try's reason while it is retried).
    pub email_error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    user_id: Uuid,
    kind: String,
    message: String,
    params: Option<Json<Value>>,
    link: Option<String>,
    created_at: OffsetDateTime,
    read_at: Option<OffsetDateTime>,
    email_state: Option<String>,
    email_error: Option<String>,
}

impl From<Row> for Notification {
    fn from(row: Row) -> Notification {
        Notification {
            id: row.id,
            user_id: row.user_id,
            kind: row.kind,
            message: row.message,
            params: row.params.map(|p| p.0),
            link: row.link,
            created_at: row.created_at,
            read_at: row.read_at,
            email_state: row.email_state,
            email_error: row.email_error,
        }
    }
}

const COLUMNS: [&str; 10] =
    ["id", "user_id", "kind", "message", "params", "link", "created_at", "read_at", "email_state", "email_error"];

/// A notification to write.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub user_id: Uuid,
    pub kind: &'a str,
    pub message: &'a str,
    pub params: Option<Value>,
    pub link: Option<&'a str>,
    /// Written already read: the user chose email only, and the row keeps the email's state.
    pub read: bool,
    pub email_state: Option<&'a str>,
}

/// Writes a notification in the caller's transaction and returns its id.
pub async fn insert(ex: &mut impl Exec, new: &NewNotification<'_>, at: OffsetDateTime) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let read_at = if new.read { ex.ts(at) } else { Option::<OffsetDateTime>::None.into() };
    ex.execute(Query::insert().into_table("notifications").columns(COLUMNS).values_panic([
        id.into(),
        new.user_id.into(),
        new.kind.into(),
        new.message.into(),
        new.params.clone().into(),
        new.link.map(str::to_string).into(),
        ex.ts(at).into(),
        read_at.into(),
        new.email_state.map(str::to_string).into(),
        Option::<String>::None.into(),
    ]))
    .await?;
    Ok(id)
}

/// A plain notification in the app (the approvals' own wording, no email).
pub async fn notify(
    ex: &mut impl Exec,
    user_id: Uuid,
    kind: &str,
    message: &str,
    link: Option<&str>,
    at: OffsetDateTime,
) -> Result<()> {
    let new = NewNotification { user_id, kind, message, params: None, link, read: false, email_state: None };
    insert(ex, &new, at).await?;
    Ok(())
}

/// A page of a user's notifications, newest first, after `before` (the last id of the
/// previous page): one range of `notifications_user` (or `notifications_unread`).
pub async fn page(
    ex: &mut impl Exec,
    user_id: Uuid,
    unread_only: bool,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Notification>> {
    let mut select = Query::select();
    select.columns(COLUMNS).from("notifications").and_where(Expr::col("user_id").eq(user_id));
    if unread_only {
        select.and_where(Expr::col("read_at").is_null());
    }
    if let Some(before) = before {
        select.and_where(Expr::col("id").lt(before));
    }
    select.order_by("id", Order::Desc).limit(limit);
    let rows: Vec<Row> = ex.fetch_all(&select).await?;
    Ok(rows.into_iter().map(Notification::from).collect())
}

/// How many notifications the user has not read, counting no further than `cap` (the bell
/// shows "99+"), from the partial index of unread ones.
pub async fn unread_count(ex: &mut impl Exec, user_id: Uuid, cap: u64) -> Result<i64> {
    let unread = Query::select()
        .expr(Expr::val(1))
        .from("notifications")
        .and_where(Expr::col("user_id").eq(user_id))
        .and_where(Expr::col("read_at").is_null())
        .limit(cap)
        .take();
    let row: Option<(i64,)> =
        ex.fetch_optional(Query::select().expr(Expr::cust("COUNT(*)")).from_subquery(unread, "unread")).await?;
    Ok(row.map_or(0, |(n,)| n))
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<Notification>> {
    let row: Option<Row> = ex
        .fetch_optional(Query::select().columns(COLUMNS).from("notifications").and_where(Expr::col("id").eq(id)))
        .await?;
    Ok(row.map(Notification::from))
}

/// Marks one of the user's notifications read; false when the user has no such notification.
pub async fn mark_read(ex: &mut impl Exec, user_id: Uuid, id: Uuid, at: OffsetDateTime) -> Result<bool> {
    let owned = get(ex, id).await?.is_some_and(|n| n.user_id == user_id);
    if !owned {
        return Ok(false);
    }
    let at = ex.ts(at);
    ex.execute(
        Query::update()
            .table("notifications")
            .value("read_at", at)
            .and_where(Expr::col("id").eq(id))
            .and_where(Expr::col("read_at").is_null()),
    )
    .await?;
    Ok(true)
}

/// Marks every unread notification of the user read; how many there were.
pub async fn mark_all_read(ex: &mut impl Exec, user_id: Uuid, at: OffsetDateTime) -> Result<u64> {
    let at = ex.ts(at);
    ex.execute(
        Query::update()
            .table("notifications")
            .value("read_at", at)
            .and_where(Expr::col("user_id").eq(user_id))
            .and_where(Expr::col("read_at").is_null()),
    )
    .await
}

/// Records how the notification's email fared.
pub async fn set_email(ex: &mut impl Exec, id: Uuid, state: &str, error: Option<&str>) -> Result<()> {
    ex.execute(
        Query::update()
            .table("notifications")
            .values([("email_state", Expr::val(state)), ("email_error", Expr::val(error.map(str::to_string)))])
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}

/// Notifications whose email could not be sent, newest first, for administrators.
pub async fn email_failures(ex: &mut impl Exec, before: Option<Uuid>, limit: u64) -> Result<Vec<Notification>> {
    let mut select = Query::select();
    select.columns(COLUMNS).from("notifications").and_where(Expr::col("email_state").eq("failed"));
    if let Some(before) = before {
        select.and_where(Expr::col("id").lt(before));
    }
    select.order_by("id", Order::Desc).limit(limit);
    let rows: Vec<Row> = ex.fetch_all(&select).await?;
    Ok(rows.into_iter().map(Notification::from).collect())
}

/// One user's stored choice for one kind of event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Preference {
    pub kind: String,
    pub in_app: bool,
    pub email: bool,
}

pub async fn preferences(ex: &mut impl Exec, user_id: Uuid) -> Result<Vec<Preference>> {
    ex.fetch_all(
        Query::select()
            .columns(["kind", "in_app", "email"])
            .from("notification_preferences")
            .and_where(Expr::col("user_id").eq(user_id))
            .order_by("kind", Order::Asc),
    )
    .await
}

pub async fn save_preference(ex: &mut impl Exec, user_id: Uuid, choice: &Preference, at: OffsetDateTime) -> Result<()> {
    let at = ex.ts(at);
    ex.execute(
        Query::insert()
            .into_table("notification_preferences")
            .columns(["user_id", "kind", "in_app", "email", "updated_at"])
            .values_panic([
                user_id.into(),
                choice.kind.clone().into(),
                choice.in_app.into(),
                choice.email.into(),
                at.into(),
            ])
            .on_conflict(
                OnConflict::columns(["user_id", "kind"]).update_columns(["in_app", "email", "updated_at"]).to_owned(),
            ),
    )
    .await?;
    Ok(())
}
