//! What a search result shows of a record: its title and a few details, read for a page
//! of hits in one statement, without the record's full children (which a card needs and a
//! result line does not).

use rapport_core::custom_fields::RecordKind;
use sea_query::{Expr, ExprTrait, Order, Query, QueryStatementBuilder, SelectStatement};
use uuid::Uuid;

use crate::{Exec, Result};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Summary {
    pub id: Uuid,
    pub title: String,
    /// A company's customer code.
    pub code: Option<String>,
    /// A company's area.
    pub area: Option<String>,
    /// The first address's city.
    pub city: Option<String>,
    /// The primary email.
    pub email: Option<String>,
    /// A person's position in their current (first) employment.
    pub position: Option<String>,
}

/// The first value of `column` among the `child` rows whose `link` is the record's id,
/// with `filter`, in `order`.
fn first_of(
    (child, link, column): (&'static str, &'static str, &'static str),
    table: &'static str,
    filter: Expr,
    order: &[(&'static str, Order)],
) -> Expr {
    let mut select: SelectStatement = Query::select();
    select
        .column((child, column))
        .from(child)
        .and_where(Expr::col((child, link)).equals((table, "id")))
        .and_where(filter);
    for (by, direction) in order {
        select.order_by((child, *by), direction.clone());
    }
    select.limit(1);
    Expr::from(select.into_sub_query_statement())
}

pub async fn summaries(ex: &mut impl Exec, kind: RecordKind, ids: &[Uuid]) -> Result<Vec<Summary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let table = match kind {
        RecordKind::Company => "companies",
        RecordKind::Person => "people",
    };
    let none = || Expr::val(Option::<String>::None);
    let city = first_of(
        ("addresses", "record_id", "city"),
        table,
        Expr::col(("addresses", "city")).is_not_null(),
        &[("sort_order", Order::Asc)],
    );
    let email = first_of(
        ("contact_methods", "record_id", "value"),
        table,
        Expr::col(("contact_methods", "kind")).eq("email"),
        &[("is_primary", Order::Desc), ("sort_order", Order::Asc)],
    );
    let mut select = Query::select();
    select.expr_as(Expr::col((table, "id")), "id");
    match kind {
        RecordKind::Company => {
            select
                .expr_as(Expr::col((table, "name")), "title")
                .expr_as(Expr::col((table, "code")), "code")
                .expr_as(Expr::col((table, "area")), "area")
                .expr_as(none(), "position");
        }
        RecordKind::Person => {
            let position = first_of(
                ("employments", "person_id", "position"),
                table,
                Expr::col(("employments", "position")).is_not_null(),
                &[("is_current", Order::Desc), ("sort_order", Order::Asc)],
            );
            select
                .expr_as(Expr::col((table, "full_name")), "title")
                .expr_as(none(), "code")
                .expr_as(none(), "area")
                .expr_as(position, "position");
        }
    }
    select
        .expr_as(city, "city")
        .expr_as(email, "email")
        .from(table)
        .and_where(Expr::col((table, "id")).is_in(ids.iter().copied()));
    ex.fetch_all(&select).await
}
