//! Users, their API tokens and browser sessions, and the sign-in failure counters.
//! Tokens are stored only as hashes: a copy of the database gives no one a way in.

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    pub login: String,
    pub name: String,
    pub email: Option<String>,
    /// The key of the user's role (`admin`, `sales`, ...).
    pub role: String,
    pub team_id: Option<Uuid>,
    /// The highest company security level the user may see.
    pub clearance: i32,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub disabled_at: Option<OffsetDateTime>,
}

const USER_COLUMNS: [&str; 11] = [
    "id",
    "login",
    "name",
    "email",
    "role",
    "team_id",
    "clearance",
    "version",
    "created_at",
    "updated_at",
    "disabled_at",
];

/// A user to create.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    pub id: Uuid,
    pub login: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub team_id: Option<Uuid>,
    pub clearance: i32,
}

pub async fn insert(ex: &mut impl Exec, user: NewUser<'_>, at: OffsetDateTime) -> Result<()> {
    let at = ex.ts(at);
    ex.execute(
        Query::insert()
            .into_table("users")
            .columns([
                "id",
                "login",
                "name",
                "email",
                "password_hash",
                "role",
                "team_id",
                "clearance",
                "version",
                "created_at",
                "updated_at",
            ])
            .values_panic([
                user.id.into(),
                user.login.into(),
                user.name.into(),
                user.email.map(str::to_string).into(),
                user.password_hash.into(),
                user.role.into(),
                user.team_id.into(),
                user.clearance.into(),
                1i64.into(),
                at.clone().into(),
                at.into(),
            ]),
    )
    .await?;
    Ok(())
}

/// The ids of the users in any of `teams`.
pub async fn members(ex: &mut impl Exec, teams: &[Uuid]) -> Result<Vec<Uuid>> {
    if teams.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid,)> = ex
        .fetch_all(
            Query::select().column("id").from("users").and_where(Expr::col("team_id").is_in(teams.iter().copied())),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<User>> {
    ex.fetch_optional(Query::select().columns(USER_COLUMNS).from("users").and_where(Expr::col("id").eq(id))).await
}

pub async fn list(ex: &mut impl Exec) -> Result<Vec<User>> {
    ex.fetch_all(Query::select().columns(USER_COLUMNS).from("users").order_by("login", Order::Asc)).await
}

pub async fn count(ex: &mut impl Exec) -> Result<i64> {
    let row: Option<(i64,)> = ex.fetch_optional(Query::select().expr(Expr::col("id").count()).from("users")).await?;
    Ok(row.map(|(n,)| n).unwrap_or(0))
}

/// The user with this login and their password hash, for signing in.
pub async fn find_for_sign_in(ex: &mut impl Exec, login: &str) -> Result<Option<(User, String)>> {
    #[derive(sqlx::FromRow)]
    struct WithHash {
        #[sqlx(flatten)]
        user: User,
        password_hash: String,
    }
    let row: Option<WithHash> = ex
        .fetch_optional(
            Query::select()
                .columns(USER_COLUMNS)
                .column("password_hash")
                .from("users")
                .and_where(Expr::col("login").eq(login)),
        )
        .await?;
    Ok(row.map(|r| (r.user, r.password_hash)))
}

pub async fn update(ex: &mut impl Exec, user: &User, password_hash: Option<&str>, at: OffsetDateTime) -> Result<bool> {
    let disabled_at = match user.disabled_at {
        Some(d) => ex.ts(d),
        None => Option::<OffsetDateTime>::None.into(),
    };
    let mut update = Query::update();
    update
        .table("users")
        .values([
            ("name", user.name.clone().into()),
            ("email", user.email.clone().into()),
            ("role", user.role.clone().into()),
            ("team_id", Expr::val(user.team_id)),
            ("clearance", user.clearance.into()),
            ("disabled_at", Expr::val(disabled_at)),
            ("version", (user.version + 1).into()),
            ("updated_at", Expr::val(ex.ts(at))),
        ])
        .and_where(Expr::col("id").eq(user.id))
        .and_where(Expr::col("version").eq(user.version));
    if let Some(hash) = password_hash {
        update.value("password_hash", hash);
    }
    Ok(ex.execute(&update).await? == 1)
}

pub async fn insert_token(
    ex: &mut impl Exec,
    user_id: Uuid,
    token_hash: &str,
    expires_at: OffsetDateTime,
    at: OffsetDateTime,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let (expires_at, at) = (ex.ts(expires_at), ex.ts(at));
    ex.execute(
        Query::insert()
            .into_table("api_tokens")
            .columns(["id", "user_id", "token_hash", "created_at", "expires_at"])
            .values_panic([id.into(), user_id.into(), token_hash.into(), at.into(), expires_at.into()]),
    )
    .await?;
    Ok(id)
}

/// The live token with this hash and its (enabled) user.
pub async fn find_token(ex: &mut impl Exec, token_hash: &str, now: OffsetDateTime) -> Result<Option<(Uuid, User)>> {
    #[derive(sqlx::FromRow)]
    struct TokenUser {
        token_id: Uuid,
        #[sqlx(flatten)]
        user: User,
    }
    let now = ex.ts(now);
    let row: Option<TokenUser> = ex
        .fetch_optional(
            Query::select()
                .expr_as(Expr::col(("api_tokens", "id")), "token_id")
                .columns(USER_COLUMNS.map(|c| ("users", c)))
                .from("api_tokens")
                .inner_join("users", Expr::col(("users", "id")).equals(("api_tokens", "user_id")))
                .and_where(Expr::col(("api_tokens", "token_hash")).eq(token_hash))
                .and_where(Expr::col(("api_tokens", "revoked_at")).is_null())
                .and_where(Expr::col(("api_tokens", "expires_at")).gt(Expr::val(now)))
                .and_where(Expr::col(("users", "disabled_at")).is_null()),
        )
        .await?;
    Ok(row.map(|r| (r.token_id, r.user)))
}

pub async fn revoke_token(ex: &mut impl Exec, token_id: Uuid, at: OffsetDateTime) -> Result<()> {
    let at = ex.ts(at);
    ex.execute(Query::update().table("api_tokens").value("revoked_at", at).and_where(Expr::col("id").eq(token_id)))
        .await?;
    Ok(())
}

/// Counts a failed sign-in under `key` and returns the failures in the current window
/// (the window restarts once it is older than `window`).
pub async fn record_failure(ex: &mut impl Exec, key: &str, now: OffsetDateTime, window: time::Duration) -> Result<i64> {
    let current = failures(ex, key, now, window).await?;
    if current == 0 {
        let started = ex.ts(now);
        ex.execute(
            Query::insert()
                .into_table("sign_in_failures")
                .columns(["key", "failures", "window_started_at"])
                .values_panic([key.into(), 1i64.into(), started.into()])
                .on_conflict(OnConflict::column("key").update_columns(["failures", "window_started_at"]).to_owned()),
        )
        .await?;
    } else {
        ex.execute(
            Query::update()
                .table("sign_in_failures")
                .value("failures", Expr::col("failures").add(1))
                .and_where(Expr::col("key").eq(key)),
        )
        .await?;
    }
    Ok(current + 1)
}

/// Failures under `key` within the window, and when the window started.
pub async fn failures(ex: &mut impl Exec, key: &str, now: OffsetDateTime, window: time::Duration) -> Result<i64> {
    let since = ex.ts(now - window);
    let row: Option<(i64,)> = ex
        .fetch_optional(
            Query::select()
                .column("failures")
                .from("sign_in_failures")
                .and_where(Expr::col("key").eq(key))
                .and_where(Expr::col("window_started_at").gt(Expr::val(since))),
        )
        .await?;
    Ok(row.map(|(n,)| n).unwrap_or(0))
}

pub async fn clear_failures(ex: &mut impl Exec, key: &str) -> Result<()> {
    ex.execute(Query::delete().from_table("sign_in_failures").and_where(Expr::col("key").eq(key))).await?;
    Ok(())
}

/// The active users with these logins (mentioned in a text), in one query.
pub async fn active_by_logins(ex: &mut impl Exec, logins: &[String]) -> Result<Vec<User>> {
    if logins.is_empty() {
        return Ok(Vec::new());
    }
    ex.fetch_all(
        Query::select()
            .columns(USER_COLUMNS)
            .from("users")
            .and_where(Expr::col("login").is_in(logins.iter().cloned()))
            .and_where(Expr::col("disabled_at").is_null()),
    )
    .await
}
