//! Counters for human-readable codes (`C-000123`), taken inside the writing transaction
//! so a code is never handed out twice, on either engine. They take a `Tx`, not any
//! `Exec`: outside a transaction SQLite would send the `UPDATE` to a read-only reader.

use sea_query::{Expr, ExprTrait, OnConflict, Query};

use crate::{Exec, Result, StoreError, Tx};

pub async fn next(tx: &mut Tx, name: &str) -> Result<i64> {
    next_block(tx, name, 1).await
}

/// Takes `count` numbers at once and returns the first; the block is `first..first + count`.
pub async fn next_block(tx: &mut Tx, name: &str, count: i64) -> Result<i64> {
    tx.execute(
        Query::insert()
            .into_table("sequences")
            .columns(["name", "value"])
            .values_panic([name.into(), 0i64.into()])
            .on_conflict(OnConflict::column("name").do_nothing().to_owned()),
    )
    .await?;
    let row: Option<(i64,)> = tx
        .fetch_optional(
            Query::update()
                .table("sequences")
                .value("value", Expr::col("value").add(count))
                .and_where(Expr::col("name").eq(name))
                .returning_col("value"),
        )
        .await?;
    row.map(|(last,)| last - count + 1).ok_or_else(|| StoreError::Corrupt(format!("sequence {name} vanished")))
}
