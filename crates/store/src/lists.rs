//! Distribution lists in storage: the lists themselves and the members of static lists.
//! A dynamic list has no member rows: its saved filter decides.

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query, SelectStatement};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::contacts::CHUNK;
use crate::filters::Seen;
use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct List {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    /// `static` or `dynamic`.
    pub kind: String,
    /// `companies` or `people`.
    pub collection: String,
    /// The saved filter of a dynamic list.
    pub filter_id: Option<Uuid>,
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

const COLUMNS: [&str; 13] = [
    "id",
    "name",
    "description",
    "kind",
    "collection",
    "filter_id",
    "owner_id",
    "shared_with_team_id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

/// Records a list query is limited to, on top of its filters.
#[derive(Debug, Clone)]
pub enum Within {
    /// These records (a few, e.g. the ones a request names).
    Ids(Vec<Uuid>),
    /// The members of this static list.
    Members(Uuid),
}

impl Within {
    pub(crate) fn condition(&self, table: &'static str) -> Expr {
        let id = Expr::col((table, "id"));
        match self {
            Within::Ids(ids) => id.is_in(ids.iter().copied()),
            Within::Members(list) => id.in_subquery(
                Query::select()
                    .column("record_id")
                    .from("list_members")
                    .and_where(Expr::col("list_id").eq(*list))
                    .take(),
            ),
        }
    }
}

pub async fn insert(ex: &mut impl Exec, list: &List) -> Result<()> {
    let (created, updated) = (ex.ts(list.created_at), ex.ts(list.updated_at));
    ex.execute(Query::insert().into_table("lists").columns(COLUMNS).values_panic([
        list.id.into(),
        list.name.clone().into(),
        list.description.clone().into(),
        list.kind.clone().into(),
        list.collection.clone().into(),
        list.filter_id.into(),
        list.owner_id.into(),
        list.shared_with_team_id.into(),
        list.version.into(),
        created.into(),
        list.created_by.into(),
        updated.into(),
        list.updated_by.into(),
    ]))
    .await?;
    Ok(())
}

/// Saves name, description, filter and team if the list is still at `list.version - 1`.
pub async fn update(ex: &mut impl Exec, list: &List) -> Result<bool> {
    let updated = ex.ts(list.updated_at);
    let changed = ex
        .execute(
            Query::update()
                .table("lists")
                .values([
                    ("name", Expr::val(list.name.clone())),
                    ("description", Expr::val(list.description.clone())),
                    ("filter_id", Expr::val(list.filter_id)),
                    ("shared_with_team_id", Expr::val(list.shared_with_team_id)),
                    ("version", Expr::val(list.version)),
                    ("updated_at", Expr::val(updated)),
                    ("updated_by", Expr::val(list.updated_by)),
                ])
                .and_where(Expr::col("id").eq(list.id))
                .and_where(Expr::col("version").eq(list.version - 1)),
        )
        .await?;
    Ok(changed == 1)
}

/// Deletes a list with its members.
pub async fn delete(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("list_members").and_where(Expr::col("list_id").eq(id))).await?;
    ex.execute(Query::delete().from_table("lists").and_where(Expr::col("id").eq(id))).await?;
    Ok(())
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<List>> {
    ex.fetch_optional(Query::select().columns(COLUMNS).from("lists").and_where(Expr::col("id").eq(id))).await
}

fn seen_lists(seen: &Seen, collection: Option<&str>) -> SelectStatement {
    let mut select = Query::select();
    select.columns(COLUMNS).from("lists");
    seen.apply(&mut select);
    if let Some(collection) = collection {
        select.and_where(Expr::col("collection").eq(collection));
    }
    select.order_by("name", Order::Asc).order_by("id", Order::Asc).limit(1000);
    select
}

/// The lists `seen` covers, of one collection or all, by name.
pub async fn list(ex: &mut impl Exec, seen: &Seen, collection: Option<&str>) -> Result<Vec<List>> {
    ex.fetch_all(&seen_lists(seen, collection)).await
}

/// The lists `seen` covers that could hold the record: the static ones it is a member
/// of, and every dynamic one of its collection (whose filter must still be asked).
pub async fn candidates(ex: &mut impl Exec, seen: &Seen, collection: &str, record_id: Uuid) -> Result<Vec<List>> {
    let mut select = seen_lists(seen, Some(collection));
    let member =
        Query::select().column("list_id").from("list_members").and_where(Expr::col("record_id").eq(record_id)).take();
    select.and_where(Expr::col("kind").eq("dynamic").or(Expr::col("id").in_subquery(member)));
    ex.fetch_all(&select).await
}

/// The lists built on a saved filter (which keep it from being deleted).
pub async fn using_filter(ex: &mut impl Exec, filter_id: Uuid) -> Result<Vec<(Uuid, String)>> {
    ex.fetch_all(
        Query::select().columns(["id", "name"]).from("lists").and_where(Expr::col("filter_id").eq(filter_id)).limit(50),
    )
    .await
}

/// Adds records to a static list; those already in it stay as they were. Returns how
/// many were new.
pub async fn add_members(
    ex: &mut impl Exec,
    list_id: Uuid,
    record_ids: &[Uuid],
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<u64> {
    let mut added = 0;
    for chunk in record_ids.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("list_members").columns(["list_id", "record_id", "added_at", "added_by"]);
        for id in chunk {
            insert.values_panic([list_id.into(), (*id).into(), ex.ts(at).into(), actor.into()]);
        }
        insert.on_conflict(OnConflict::columns(["list_id", "record_id"]).do_nothing().to_owned());
        added += ex.execute(&insert).await?;
    }
    Ok(added)
}

/// Removes a record from a list; false when it was not a member.
pub async fn remove_member(ex: &mut impl Exec, list_id: Uuid, record_id: Uuid) -> Result<bool> {
    let removed = ex
        .execute(
            Query::delete()
                .from_table("list_members")
                .and_where(Expr::col("list_id").eq(list_id))
                .and_where(Expr::col("record_id").eq(record_id)),
        )
        .await?;
    Ok(removed == 1)
}

/// Drops a deleted record from every list, in the transaction that deletes it.
pub async fn forget_record(ex: &mut impl Exec, record_id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("list_members").and_where(Expr::col("record_id").eq(record_id))).await?;
    Ok(())
}
