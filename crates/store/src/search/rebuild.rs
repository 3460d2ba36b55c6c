//! Rebuilding the whole index: after an upgrade whose tokenizer differs from the one that
//! wrote the index (`search_state.version`), or on request (`rapport reindex`).
//!
//! Terms are first appended to a staging table without any index (cheap at any size), then
//! moved into `search_terms` in key order with its secondary index dropped and built again
//! afterwards: a B-tree filled in order, and an index built by one sort, are far cheaper
//! than tens of millions of inserts at random places. Records changed while the rebuild
//! ran are indexed again at the end, through the ordinary path.

use std::collections::BTreeSet;

use rapport_core::custom_fields::RecordKind;
use rapport_core::search::typos;
use sea_query::{Expr, ExprTrait, Query};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{TERM_CHUNK, kind_code};
use crate::{Backend, Db, Exec, Result, companies, people};

/// The tokenizer's version: raise it whenever `rapport_core::search` changes what terms
/// a record gets, and every database rebuilds its index at the next start.
pub const INDEX_VERSION: i32 = 1;

/// Records per batch read.
const BATCH: u64 = 2000;

const STAGING: &str = "search_terms_staging";

/// Whether the index was written by another tokenizer version (or never).
pub async fn needs_rebuild(ex: &mut impl Exec) -> Result<bool> {
    let row: Option<(i32,)> = ex
        .fetch_optional(Query::select().column("version").from("search_state").and_where(Expr::col("id").eq(1)))
        .await?;
    Ok(row.is_none_or(|(version,)| version != INDEX_VERSION))
}

/// Indexes every company and person again; `progress` hears the number of records read
/// so far. Returns that number.
///
/// Records are read and cut into terms on the readers while the writer stages the terms
/// of the batch before: on two cores the one does not wait for the other.
pub async fn rebuild(db: &Db, mut progress: impl FnMut(u64)) -> Result<u64> {
    let started = OffsetDateTime::now_utc();
    let (table, uuid) = match db.backend() {
        // Staged terms are thrown away if anything goes wrong, so they need no journal:
        // PostgreSQL keeps them out of its WAL, SQLite in a temporary table of the writer
        // connection (outside the database file and its WAL).
        Backend::Postgres => ("UNLOGGED TABLE", "UUID"),
        Backend::Sqlite => ("TEMP TABLE", "BLOB"),
    };
    let collate = if db.backend() == Backend::Postgres { " COLLATE \"C\"" } else { "" };
    db.execute_raw(&format!("DROP TABLE IF EXISTS {STAGING}")).await?;
    db.execute_raw(&format!(
        "CREATE {table} {STAGING} (kind SMALLINT NOT NULL, class SMALLINT NOT NULL, \
         term TEXT{collate} NOT NULL, record_id {uuid} NOT NULL, mask INTEGER NOT NULL)"
    ))
    .await?;
    let (batches, mut staged) = tokio::sync::mpsc::channel::<Result<TermBatch>>(2);
    let reader = tokio::spawn(read_terms(db.clone(), batches));
    let mut done = 0;
    while let Some(batch) = staged.recv().await {
        let batch = batch?;
        let mut tx = db.begin().await?;
        for chunk in batch.rows.chunks(TERM_CHUNK) {
            let mut insert = Query::insert();
            insert.into_table(STAGING).columns(["kind", "class", "term", "record_id", "mask"]);
            for row in chunk {
                insert.values_panic([
                    row.kind.into(),
                    row.class.into(),
                    row.term.clone().into(),
                    row.record_id.into(),
                    row.mask.into(),
                ]);
            }
            tx.execute(&insert).await?;
        }
        tx.commit().await?;
        done += batch.records;
        progress(done);
    }
    // The reader ends after its last batch, or after sending the error that stopped it.
    let _ = reader.await;
    replace_terms(db).await?;
    learn_all_words(db).await?;
    reindex_changed_since(db, started).await?;
    let mut tx = db.begin().await?;
    let at = tx.ts(OffsetDateTime::now_utc());
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

/// The terms of one batch of records, ready to stage.
struct TermBatch {
    records: u64,
    rows: Vec<TermRow>,
}

struct TermRow {
    kind: i16,
    class: i16,
    term: String,
    record_id: Uuid,
    mask: i32,
}

/// Reads every record in id order, a batch at a time, and sends its terms, until done or
/// the receiver is gone.
async fn read_terms(db: Db, batches: tokio::sync::mpsc::Sender<Result<TermBatch>>) {
    for kind in [RecordKind::Company, RecordKind::Person] {
        let mut after: Option<Uuid> = None;
        loop {
            let docs = match documents(&db, kind, after).await {
                Ok(docs) => docs,
                Err(error) => {
                    let _ = batches.send(Err(error)).await;
                    return;
                }
            };
            let Some(last) = docs.last().map(|(id, _)| *id) else { break };
            let code = kind_code(kind);
            let rows = docs
                .iter()
                .flat_map(|(id, doc)| {
                    doc.terms().into_iter().map(move |t| TermRow {
                        kind: code,
                        class: t.class.code(),
                        term: t.term,
                        record_id: *id,
                        mask: t.mask,
                    })
                })
                .collect();
            if batches.send(Ok(TermBatch { records: docs.len() as u64, rows })).await.is_err() {
                return;
            }
            after = Some(last);
        }
    }
}

/// The search documents of the next batch of records of `kind` after `after`, read on
/// the readers.
async fn documents(
    db: &Db,
    kind: RecordKind,
    after: Option<Uuid>,
) -> Result<Vec<(Uuid, rapport_core::search::Document)>> {
    let mut reader = db.clone();
    Ok(match kind {
        RecordKind::Company => companies::batch(&mut reader, after, BATCH)
            .await?
            .into_iter()
            .map(|c| (c.id, c.fields.search_document(&c.code)))
            .collect(),
        RecordKind::Person => people::batch(&mut reader, after, BATCH)
            .await?
            .into_iter()
            .map(|p| (p.id, p.fields.search_document()))
            .collect(),
    })
}

/// Moves the staged terms into the index, in key order, and builds its secondary index.
async fn replace_terms(db: &Db) -> Result<()> {
    let columns = "kind, class, term, record_id, mask";
    let fill = format!("INSERT INTO search_terms ({columns}) SELECT {columns} FROM {STAGING}");
    let index = "CREATE INDEX search_terms_record ON search_terms (record_id, term)";
    let steps = match db.backend() {
        // PostgreSQL builds a key by sorting once: drop it while the table fills.
        Backend::Postgres => vec![
            "SET LOCAL maintenance_work_mem = '256MB'".to_string(),
            "TRUNCATE search_terms".to_string(),
            "DROP INDEX search_terms_record".to_string(),
            "ALTER TABLE search_terms DROP CONSTRAINT search_terms_pkey".to_string(),
            fill,
            "ALTER TABLE search_terms ADD PRIMARY KEY (kind, class, term, record_id)".to_string(),
            index.to_string(),
        ],
        // SQLite's table is its key (WITHOUT ROWID): fill it in key order.
        Backend::Sqlite => vec![
            "DROP INDEX search_terms_record".to_string(),
            "DELETE FROM search_terms".to_string(),
            format!("{fill} ORDER BY kind, class, term, record_id"),
            index.to_string(),
        ],
    };
    // One transaction: a reader sees the old index or the new one, never half of it.
    db.execute_raw(&format!("BEGIN; {}; DROP TABLE {STAGING}; COMMIT", steps.join("; "))).await?;
    Ok(())
}

/// The typo tables from every word the new index holds.
async fn learn_all_words(db: &Db) -> Result<()> {
    db.execute_raw("DELETE FROM search_typos; DELETE FROM search_words").await?;
    let terms: Vec<(String,)> = db.fetch_raw("SELECT DISTINCT term FROM search_terms WHERE class <> 0").await?;
    let words: BTreeSet<String> =
        terms.into_iter().map(|(t,)| t).filter(|t| typos::eligible(t, typos::MIN_INDEXED_CHARS)).collect();
    let words: Vec<String> = words.into_iter().collect();
    for chunk in words.chunks(TERM_CHUNK * 10) {
        let mut tx = db.begin().await?;
        super::learn_words(&mut tx, chunk.iter().cloned().collect()).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Indexes again, through the ordinary path, the records written since `since`: their
/// staged terms may be older than what they hold now.
async fn reindex_changed_since(db: &Db, since: OffsetDateTime) -> Result<()> {
    let mut tx = db.begin().await?;
    let at = tx.ts(since);
    for (table, kind) in [("companies", RecordKind::Company), ("people", RecordKind::Person)] {
        let changed: Vec<(Uuid,)> = tx
            .fetch_all(Query::select().column("id").from(table).and_where(Expr::col("updated_at").gte(at.clone())))
            .await?;
        let ids: Vec<Uuid> = changed.into_iter().map(|(id,)| id).collect();
        for id in &ids {
            super::remove(&mut tx, *id).await?;
        }
        let docs: Vec<_> = match kind {
            RecordKind::Company => companies::get_many(&mut tx, &ids)
                .await?
                .into_iter()
                .map(|c| (c.id, c.fields.search_document(&c.code)))
                .collect(),
            RecordKind::Person => {
                people::get_many(&mut tx, &ids).await?.into_iter().map(|p| (p.id, p.fields.search_document())).collect()
            }
        };
        super::index_new(&mut tx, kind, &docs).await?;
    }
    tx.commit().await?;
    Ok(())
}
