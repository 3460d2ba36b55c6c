//! Category kinds (relationship type, loyalty, size, ...) and their values. The kinds
//! `stage` and `level` are built in: they hold the choices for a company's relationship
//! stage and customer level.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Kind {
    pub id: Uuid,
    pub key: String,
    pub name: String,
    pub multiple: bool,
    pub system: bool,
    pub position: i32,
    pub values: Vec<CategoryValue>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct CategoryValue {
    pub id: Uuid,
    #[serde(skip)]
    pub kind_id: Uuid,
    pub key: String,
    pub name: String,
    pub position: i32,
}

#[derive(sqlx::FromRow)]
struct KindRow {
    id: Uuid,
    key: String,
    name: String,
    multiple: bool,
    is_system: bool,
    position: i32,
}

pub async fn list(ex: &mut impl Exec) -> Result<Vec<Kind>> {
    let kinds: Vec<KindRow> = ex
        .fetch_all(
            Query::select()
                .columns(["id", "key", "name", "multiple", "is_system", "position"])
                .from("category_kinds")
                .order_by("position", Order::Asc)
                .order_by("key", Order::Asc),
        )
        .await?;
    let values: Vec<CategoryValue> = ex
        .fetch_all(
            Query::select()
                .columns(["id", "kind_id", "key", "name", "position"])
                .from("category_values")
                .order_by("position", Order::Asc)
                .order_by("key", Order::Asc),
        )
        .await?;
    Ok(kinds
        .into_iter()
        .map(|k| Kind {
            values: values.iter().filter(|v| v.kind_id == k.id).cloned().collect(),
            id: k.id,
            key: k.key,
            name: k.name,
            multiple: k.multiple,
            system: k.is_system,
            position: k.position,
        })
        .collect())
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<Kind>> {
    Ok(list(ex).await?.into_iter().find(|k| k.id == id))
}

/// A category kind to create.
#[derive(Debug, Clone, Copy)]
pub struct NewKind<'a> {
    pub id: Uuid,
    pub key: &'a str,
    pub name: &'a str,
    pub multiple: bool,
    pub system: bool,
    pub position: i32,
}

pub async fn insert_kind(ex: &mut impl Exec, kind: NewKind<'_>, at: OffsetDateTime) -> Result<()> {
    let at = ex.ts(at);
    ex.execute(
        Query::insert()
            .into_table("category_kinds")
            .columns(["id", "key", "name", "multiple", "is_system", "position", "created_at"])
            .values_panic([
                kind.id.into(),
                kind.key.into(),
                kind.name.into(),
                kind.multiple.into(),
                kind.system.into(),
                kind.position.into(),
                at.into(),
            ]),
    )
    .await?;
    Ok(())
}

pub async fn update_kind(ex: &mut impl Exec, id: Uuid, name: &str, multiple: bool, position: i32) -> Result<()> {
    ex.execute(
        Query::update()
            .table("category_kinds")
            .values([("name", name.into()), ("multiple", multiple.into()), ("position", position.into())])
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}

pub async fn insert_value(ex: &mut impl Exec, kind_id: Uuid, key: &str, name: &str, position: i32) -> Result<Uuid> {
    let id = Uuid::now_v7();
    ex.execute(
        Query::insert()
            .into_table("category_values")
            .columns(["id", "kind_id", "key", "name", "position"])
            .values_panic([id.into(), kind_id.into(), key.into(), name.into(), position.into()]),
    )
    .await?;
    Ok(id)
}

pub async fn update_value(ex: &mut impl Exec, id: Uuid, name: &str, position: i32) -> Result<()> {
    ex.execute(
        Query::update()
            .table("category_values")
            .values([("name", name.into()), ("position", position.into())])
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}

pub async fn delete_value(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("category_values").and_where(Expr::col("id").eq(id))).await?;
    Ok(())
}

pub async fn delete_kind(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("category_values").and_where(Expr::col("kind_id").eq(id))).await?;
    ex.execute(Query::delete().from_table("category_kinds").and_where(Expr::col("id").eq(id))).await?;
    Ok(())
}

/// How many records use a value; a value in use cannot be removed.
pub async fn usage(ex: &mut impl Exec, value_ids: &[Uuid]) -> Result<i64> {
    if value_ids.is_empty() {
        return Ok(0);
    }
    let row: Option<(i64,)> = ex
        .fetch_optional(
            Query::select()
                .expr(Expr::col("record_id").count())
                .from("record_categories")
                .and_where(Expr::col("value_id").is_in(value_ids.iter().copied())),
        )
        .await?;
    Ok(row.map(|(n,)| n).unwrap_or(0))
}

/// How many companies use a stage or level key (those are stored by key, not by id).
pub async fn key_usage(ex: &mut impl Exec, column: &'static str, key: &str) -> Result<i64> {
    let row: Option<(i64,)> = ex
        .fetch_optional(
            Query::select().expr(Expr::col("id").count()).from("companies").and_where(Expr::col(column).eq(key)),
        )
        .await?;
    Ok(row.map(|(n,)| n).unwrap_or(0))
}
