//! Browser sessions: like API tokens, only the hash of the cookie's secret is stored, next
//! to the CSRF token that every form of the session must carry back. Also what each user
//! chose for the pages (language, card layout).

use sea_query::{Expr, ExprTrait, OnConflict, Query};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

/// A session to store.
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    pub id: Uuid,
    pub user_id: Uuid,
    pub token_hash: &'a str,
    pub csrf_token: &'a str,
    pub expires_at: OffsetDateTime,
}

pub async fn insert(ex: &mut impl Exec, session: NewSession<'_>, at: OffsetDateTime) -> Result<()> {
    let (expires_at, at) = (ex.ts(session.expires_at), ex.ts(at));
    ex.execute(
        Query::insert()
            .into_table("sessions")
            .columns(["id", "user_id", "token_hash", "csrf_token", "created_at", "expires_at"])
            .values_panic([
                session.id.into(),
                session.user_id.into(),
                session.token_hash.into(),
                session.csrf_token.into(),
                at.into(),
                expires_at.into(),
            ]),
    )
    .await?;
    Ok(())
}

/// A live session: its id, user and CSRF token.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Live {
    pub id: Uuid,
    pub user_id: Uuid,
    pub csrf_token: String,
}

/// The session with this hash, unless it was revoked or has expired.
pub async fn find(ex: &mut impl Exec, token_hash: &str, now: OffsetDateTime) -> Result<Option<Live>> {
    let now = ex.ts(now);
    ex.fetch_optional(
        Query::select()
            .columns(["id", "user_id", "csrf_token"])
            .from("sessions")
            .and_where(Expr::col("token_hash").eq(token_hash))
            .and_where(Expr::col("revoked_at").is_null())
            .and_where(Expr::col("expires_at").gt(Expr::val(now))),
    )
    .await
}

pub async fn revoke(ex: &mut impl Exec, id: Uuid, at: OffsetDateTime) -> Result<()> {
    let at = ex.ts(at);
    ex.execute(Query::update().table("sessions").value("revoked_at", at).and_where(Expr::col("id").eq(id))).await?;
    Ok(())
}

/// Ends every other session of a user (after a password change).
pub async fn revoke_others(ex: &mut impl Exec, user_id: Uuid, keep: Uuid, at: OffsetDateTime) -> Result<u64> {
    let at = ex.ts(at);
    ex.execute(
        Query::update()
            .table("sessions")
            .value("revoked_at", at)
            .and_where(Expr::col("user_id").eq(user_id))
            .and_where(Expr::col("id").ne(keep))
            .and_where(Expr::col("revoked_at").is_null()),
    )
    .await
}

/// A user's choices for the pages: language and card layout (JSON), as stored.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Preferences {
    pub language: Option<String>,
    pub card_panels: Option<String>,
}

pub async fn preferences(ex: &mut impl Exec, user_id: Uuid) -> Result<Preferences> {
    let row: Option<Preferences> = ex
        .fetch_optional(
            Query::select()
                .columns(["language", "card_panels"])
                .from("user_preferences")
                .and_where(Expr::col("user_id").eq(user_id)),
        )
        .await?;
    Ok(row.unwrap_or_default())
}

pub async fn save_preferences(
    ex: &mut impl Exec,
    user_id: Uuid,
    prefs: &Preferences,
    at: OffsetDateTime,
) -> Result<()> {
    let at = ex.ts(at);
    ex.execute(
        Query::insert()
            .into_table("user_preferences")
            .columns(["user_id", "language", "card_panels", "updated_at"])
            .values_panic([user_id.into(), prefs.language.clone().into(), prefs.card_panels.clone().into(), at.into()])
            .on_conflict(
                OnConflict::column("user_id").update_columns(["language", "card_panels", "updated_at"]).to_owned(),
            ),
    )
    .await?;
    Ok(())
}
