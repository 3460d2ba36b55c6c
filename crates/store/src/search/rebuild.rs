//! Rebuilding the whole index: after an upgrade whose tokenizer differs from the one that
//! wrote the index (`search_state.version`), or on request (`rapport search-index rebuild`).
//! Records are read in id order in batches, each batch indexed in a transaction of its own,
//! so a server that keeps writing meanwhile only waits for one batch at a time.

use rapport_core::custom_fields::RecordKind;
use sea_query::{Expr, ExprTrait, Query};
use uuid::Uuid;

use crate::{Backend, Db, Exec, Result, companies, people};

/// The tokenizer's version: raise it whenever `rapport_core::search` changes what terms
/// a record gets, and every database rebuilds its index at the next start.
pub const INDEX_VERSION: i32 = 1;

/// Records per batch: large enough for multi-row statements, small enough that a write
/// waiting behind a batch waits well under a second.
const BATCH: u64 = 2000;

/// Whether the index was written by another tokenizer version (or never).
pub async fn needs_rebuild(ex: &mut impl Exec) -> Result<bool> {
    let row: Option<(i32,)> = ex
        .fetch_optional(Query::select().column("version").from("search_state").and_where(Expr::col("id").eq(1)))
        .await?;
    Ok(row.is_none_or(|(version,)| version != INDEX_VERSION))
}

/// Empties the index and indexes every company and person again; `progress` hears the
/// number of records indexed so far. Returns that number.
pub async fn rebuild(db: &Db, mut progress: impl FnMut(u64)) -> Result<u64> {
    let clear = match db.backend() {
        Backend::Postgres => "TRUNCATE search_terms, search_words, search_typos",
        Backend::Sqlite => "DELETE FROM search_terms; DELETE FROM search_words; DELETE FROM search_typos",
    };
    db.execute_raw(clear).await?;
    let mut done = 0;
    let mut after: Option<Uuid> = None;
    loop {
        let mut tx = db.begin().await?;
        let batch = companies::batch(&mut tx, after, BATCH).await?;
        let Some(last) = batch.last().map(|c| c.id) else { break };
        let docs: Vec<_> = batch.iter().map(|c| (c.id, c.fields.search_document(&c.code))).collect();
        super::index_new(&mut tx, RecordKind::Company, &docs).await?;
        tx.commit().await?;
        done += batch.len() as u64;
        after = Some(last);
        progress(done);
    }
    after = None;
    loop {
        let mut tx = db.begin().await?;
        let batch = people::batch(&mut tx, after, BATCH).await?;
        let Some(last) = batch.last().map(|p| p.id) else { break };
        let docs: Vec<_> = batch.iter().map(|p| (p.id, p.fields.search_document())).collect();
        super::index_new(&mut tx, RecordKind::Person, &docs).await?;
        tx.commit().await?;
        done += batch.len() as u64;
        after = Some(last);
        progress(done);
    }
    let mut tx = db.begin().await?;
    let at = tx.ts(time::OffsetDateTime::now_utc());
    tx.execute(
        Query::update()
            .table("search_state")
            .values([("version", Expr::val(INDEX_VERSION)), ("rebuilt_at", Expr::val(at))])
            .and_where(Expr::col("id").eq(1)),
    )
    .await?;
    tx.commit().await?;
    db.optimize().await?;
    Ok(done)
}
