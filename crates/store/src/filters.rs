//! Saved filters in storage: a name, the collection it filters and the list's query
//! parameters, private to the owner or shared with a team.

use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SavedFilter {
    pub id: Uuid,
    pub name: String,
    /// `companies` or `people`.
    pub collection: String,
    /// The list's query parameters, URL-encoded, exactly as the list endpoint takes them.
    pub query: String,
    pub owner_id: Uuid,
    pub shared_with_team_id: Option<Uuid>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub updated_by: Option<Uuid>,
}

const COLUMNS: [&str; 11] = [
    "id",
    "name",
    "collection",
    "query",
    "owner_id",
    "shared_with_team_id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// Who sees what: their own, those shared with their teams, or everything.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub owner_id: Option<Uuid>,
    pub team_ids: Vec<Uuid>,
    pub all: bool,
}

impl Seen {
    pub(crate) fn apply(&self, select: &mut SelectStatement) {
        if self.all {
            return;
        }
        let mut seen = Expr::col("owner_id").eq(self.owner_id.unwrap_or_else(Uuid::nil));
        if !self.team_ids.is_empty() {
            seen = seen.or(Expr::col("shared_with_team_id").is_in(self.team_ids.iter().copied()));
        }
        select.and_where(seen);
    }
}

pub async fn insert(ex: &mut impl Exec, filter: &SavedFilter) -> Result<()> {
    let (created, updated) = (ex.ts(filter.created_at), ex.ts(filter.updated_at));
    ex.execute(Query::insert().into_table("saved_filters").columns(COLUMNS).values_panic([
        filter.id.into(),
        filter.name.clone().into(),
        filter.collection.clone().into(),
        filter.query.clone().into(),
        filter.owner_id.into(),
        filter.shared_with_team_id.into(),
        filter.version.into(),
        created.into(),
        filter.created_by.into(),
        updated.into(),
        filter.updated_by.into(),
    ]))
    .await?;
    Ok(())
}

/// Saves the filter's name, query and team if it is still at `filter.version - 1`.
pub async fn update(ex: &mut impl Exec, filter: &SavedFilter) -> Result<bool> {
    let updated = ex.ts(filter.updated_at);
    let changed = ex
        .execute(
            Query::update()
                .table("saved_filters")
                .values([
                    ("name", Expr::val(filter.name.clone())),
                    ("query", Expr::val(filter.query.clone())),
                    ("shared_with_team_id", Expr::val(filter.shared_with_team_id)),
                    ("version", Expr::val(filter.version)),
                    ("updated_at", Expr::val(updated)),
                    ("updated_by", Expr::val(filter.updated_by)),
                ])
                .and_where(Expr::col("id").eq(filter.id))
                .and_where(Expr::col("version").eq(filter.version - 1)),
        )
        .await?;
    Ok(changed == 1)
}

pub async fn delete(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("saved_filters").and_where(Expr::col("id").eq(id))).await?;
    Ok(())
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<SavedFilter>> {
    ex.fetch_optional(Query::select().columns(COLUMNS).from("saved_filters").and_where(Expr::col("id").eq(id))).await
}

/// The filters `seen` covers, of one collection or all, by name. A user keeps a handful,
/// so the answer is one page.
pub async fn list(ex: &mut impl Exec, seen: &Seen, collection: Option<&str>) -> Result<Vec<SavedFilter>> {
    let mut select = Query::select();
    select.columns(COLUMNS).from("saved_filters");
    seen.apply(&mut select);
    if let Some(collection) = collection {
        select.and_where(Expr::col("collection").eq(collection));
    }
    select.order_by("name", Order::Asc).order_by("id", Order::Asc).limit(1000);
    ex.fetch_all(&select).await
}
