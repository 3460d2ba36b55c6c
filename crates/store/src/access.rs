//! Roles, teams and record shares: the data access control is decided from.

use rapport_core::access::Grants;
use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Role {
    pub id: Uuid,
    pub key: String,
    pub name: String,
    #[serde(rename = "builtin")]
    pub is_builtin: bool,
    #[serde(flatten)]
    #[sqlx(json)]
    pub grants: Grants,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const ROLE_COLUMNS: [&str; 8] = ["id", "key", "name", "is_builtin", "grants", "version", "created_at", "updated_at"];

pub async fn roles(ex: &mut impl Exec) -> Result<Vec<Role>> {
    ex.fetch_all(Query::select().columns(ROLE_COLUMNS).from("roles").order_by("key", Order::Asc)).await
}

pub async fn role(ex: &mut impl Exec, key: &str) -> Result<Option<Role>> {
    ex.fetch_optional(Query::select().columns(ROLE_COLUMNS).from("roles").and_where(Expr::col("key").eq(key))).await
}

pub async fn role_by_id(ex: &mut impl Exec, id: Uuid) -> Result<Option<Role>> {
    ex.fetch_optional(Query::select().columns(ROLE_COLUMNS).from("roles").and_where(Expr::col("id").eq(id))).await
}

pub async fn insert_role(
    ex: &mut impl Exec,
    key: &str,
    name: &str,
    builtin: bool,
    grants: &Grants,
    at: OffsetDateTime,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let at = ex.ts(at);
    let grants = serde_json::to_value(grants).unwrap_or_default();
    ex.execute(Query::insert().into_table("roles").columns(ROLE_COLUMNS).values_panic([
        id.into(),
        key.into(),
        name.into(),
        builtin.into(),
        grants.into(),
        1i64.into(),
        at.clone().into(),
        at.into(),
    ]))
    .await?;
    Ok(id)
}

/// Saves a changed role if `version` is still current.
pub async fn update_role(ex: &mut impl Exec, role: &Role, at: OffsetDateTime) -> Result<bool> {
    let grants = serde_json::to_value(&role.grants).unwrap_or_default();
    let changed = ex
        .execute(
            Query::update()
                .table("roles")
                .values([
                    ("name", Expr::val(role.name.clone())),
                    ("grants", Expr::val(grants)),
                    ("version", Expr::val(role.version + 1)),
                    ("updated_at", Expr::val(ex.ts(at))),
                ])
                .and_where(Expr::col("id").eq(role.id))
                .and_where(Expr::col("version").eq(role.version)),
        )
        .await?;
    Ok(changed == 1)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Team {
    pub id: Uuid,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const TEAM_COLUMNS: [&str; 7] = ["id", "name", "parent_id", "manager_id", "version", "created_at", "updated_at"];

/// Every team: a firm has few, and the hierarchy is walked in memory.
pub async fn teams(ex: &mut impl Exec) -> Result<Vec<Team>> {
    ex.fetch_all(Query::select().columns(TEAM_COLUMNS).from("teams").order_by("name", Order::Asc)).await
}

pub async fn insert_team(ex: &mut impl Exec, team: &Team) -> Result<()> {
    let (created, updated) = (ex.ts(team.created_at), ex.ts(team.updated_at));
    ex.execute(Query::insert().into_table("teams").columns(TEAM_COLUMNS).values_panic([
        team.id.into(),
        team.name.clone().into(),
        team.parent_id.into(),
        team.manager_id.into(),
        1i64.into(),
        created.into(),
        updated.into(),
    ]))
    .await?;
    Ok(())
}

pub async fn update_team(ex: &mut impl Exec, team: &Team, at: OffsetDateTime) -> Result<bool> {
    let changed = ex
        .execute(
            Query::update()
                .table("teams")
                .values([
                    ("name", Expr::val(team.name.clone())),
                    ("parent_id", Expr::val(team.parent_id)),
                    ("manager_id", Expr::val(team.manager_id)),
                    ("version", Expr::val(team.version + 1)),
                    ("updated_at", Expr::val(ex.ts(at))),
                ])
                .and_where(Expr::col("id").eq(team.id))
                .and_where(Expr::col("version").eq(team.version)),
        )
        .await?;
    Ok(changed == 1)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Share {
    pub id: Uuid,
    pub record_id: Uuid,
    pub record_kind: String,
    pub user_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    /// `read` or `edit`.
    pub access: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

const SHARE_COLUMNS: [&str; 8] =
    ["id", "record_id", "record_kind", "user_id", "team_id", "access", "created_at", "created_by"];

pub async fn shares(ex: &mut impl Exec, record_id: Uuid) -> Result<Vec<Share>> {
    ex.fetch_all(
        Query::select()
            .columns(SHARE_COLUMNS)
            .from("record_shares")
            .and_where(Expr::col("record_id").eq(record_id))
            .order_by("created_at", Order::Asc),
    )
    .await
}

pub async fn insert_share(ex: &mut impl Exec, share: &Share) -> Result<()> {
    let at = ex.ts(share.created_at);
    ex.execute(Query::insert().into_table("record_shares").columns(SHARE_COLUMNS).values_panic([
        share.id.into(),
        share.record_id.into(),
        share.record_kind.clone().into(),
        share.user_id.into(),
        share.team_id.into(),
        share.access.clone().into(),
        at.into(),
        share.created_by.into(),
    ]))
    .await?;
    Ok(())
}

/// The kinds of record (`company`, `person`) anything is shared with this user or these
/// teams: list queries test shares only for those, so the usual user without any keeps
/// the owner index.
pub async fn shared_kinds(ex: &mut impl Exec, user_id: Uuid, team_ids: &[Uuid]) -> Result<Vec<String>> {
    let mut with = Expr::col("user_id").eq(user_id);
    if !team_ids.is_empty() {
        with = with.or(Expr::col("team_id").is_in(team_ids.iter().copied()));
    }
    let kinds: Vec<(String,)> =
        ex.fetch_all(Query::select().distinct().column("record_kind").from("record_shares").and_where(with)).await?;
    Ok(kinds.into_iter().map(|(kind,)| kind).collect())
}

pub async fn delete_share(ex: &mut impl Exec, record_id: Uuid, share_id: Uuid) -> Result<bool> {
    let deleted = ex
        .execute(
            Query::delete()
                .from_table("record_shares")
                .and_where(Expr::col("id").eq(share_id))
                .and_where(Expr::col("record_id").eq(record_id)),
        )
        .await?;
    Ok(deleted == 1)
}

/// Which records of a list a user may see, as a predicate the list query carries
/// (so a page is full of visible records, never filtered after reading).
#[derive(Debug, Clone, Default)]
pub struct Visibility {
    /// Owners whose records are visible; `None` means every owner.
    pub owners: Option<Vec<Uuid>>,
    /// Records shared with this user or these teams are visible too.
    pub user_id: Option<Uuid>,
    pub team_ids: Vec<Uuid>,
    /// Companies above this security level do not exist for the user.
    pub max_security: Option<i16>,
}

impl Visibility {
    /// The predicate on `table` (companies or people).
    pub(crate) fn condition(&self, table: &'static str) -> Option<Expr> {
        let owners = self.owners.as_ref()?;
        let mut visible = Expr::col((table, "owner_id")).is_in(owners.iter().copied());
        let mut shared_with = Vec::new();
        if let Some(user) = self.user_id {
            shared_with.push(Expr::col(("record_shares", "user_id")).eq(user));
        }
        if !self.team_ids.is_empty() {
            shared_with.push(Expr::col(("record_shares", "team_id")).is_in(self.team_ids.iter().copied()));
        }
        if let Some(first) = shared_with.pop() {
            let any = shared_with.into_iter().fold(first, |acc, e| acc.or(e));
            visible = visible.or(Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from("record_shares")
                    .and_where(Expr::col(("record_shares", "record_id")).equals((table, "id")))
                    .and_where(any)
                    .take(),
            ));
        }
        Some(visible)
    }
}
