//! Counters for human-readable codes (`C-000123`), taken inside the writing transaction
//! so a code is never handed out twice, on either engine.

use sea_query::{Expr, ExprTrait, OnConflict, Query};

use crate::{Exec, Result, StoreError};

pub async fn next(ex: &mut impl Exec, name: &str) -> Result<i64> {
    ex.execute(
        Query::insert()
            .into_table("sequences")
            .columns(["name", "value"])
            .values_panic([name.into(), 0i64.into()])
            .on_conflict(OnConflict::column("name").do_nothing().to_owned()),
    )
    .await?;
    let row: Option<(i64,)> = ex
        .fetch_optional(
            Query::update()
                .table("sequences")
                .value("value", Expr::col("value").add(1))
                .and_where(Expr::col("name").eq(name))
                .returning_col("value"),
        )
        .await?;
    row.map(|(value,)| value).ok_or_else(|| StoreError::Corrupt(format!("sequence {name} vanished")))
}
