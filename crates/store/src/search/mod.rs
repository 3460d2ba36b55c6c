//! The search index in storage (`search_terms`, `search_words`, `search_typos`; migration
//! 0007): written in the same transaction as every record write, read by global search
//! and by the `q` of every list. What a record offers to the index is its area's
//! `search_document` (rapport-core); this module only stores and reads terms, the same
//! way on both engines.

mod query;
mod rebuild;
mod summaries;

use std::collections::BTreeSet;

use rapport_core::custom_fields::RecordKind;
use rapport_core::search::{Class, Document, Term, typos};
use sea_query::{Expr, ExprTrait, OnConflict, Query};
use uuid::Uuid;

use crate::{Exec, Result};

pub use query::{Hit, TextPlan, clause_condition, corrections, phrase_condition, plan, ranked};
pub use rebuild::{INDEX_VERSION, needs_rebuild, rebuild};
pub use summaries::{Summary, summaries};

/// Rows per multi-row INSERT of terms (five values each): well under both engines'
/// limits on bound parameters.
pub(crate) const TERM_CHUNK: usize = 1000;

pub(crate) fn kind_code(kind: RecordKind) -> i16 {
    match kind {
        RecordKind::Company => 1,
        RecordKind::Person => 2,
    }
}

/// Writes the terms of records that have none yet (new records, or a rebuild's batch).
/// A term already there is left alone, so a rebuild may meet records indexed meanwhile.
pub async fn index_new(ex: &mut impl Exec, kind: RecordKind, docs: &[(Uuid, Document)]) -> Result<()> {
    let rows = docs.iter().flat_map(|(id, doc)| doc.terms().into_iter().map(move |term| (*id, term))).collect();
    insert_terms(ex, kind, rows).await
}

/// Inserts term rows (a term already there is left alone) and learns their words.
async fn insert_terms(ex: &mut impl Exec, kind: RecordKind, mut rows: Vec<(Uuid, Term)>) -> Result<()> {
    let kind = kind_code(kind);
    // In key order, neighbouring rows land on the same index pages: a bulk load of many
    // records touches each page once per statement instead of once per row.
    rows.sort_unstable_by(|(a_id, a), (b_id, b)| (a.class, &a.term, a_id).cmp(&(b.class, &b.term, b_id)));
    let words: BTreeSet<String> = rows
        .iter()
        .map(|(_, term)| term)
        .filter(|term| term.class != Class::Identifier && typos::eligible(&term.term, typos::MIN_INDEXED_CHARS))
        .map(|term| term.term.clone())
        .collect();
    for chunk in rows.chunks(TERM_CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("search_terms").columns(["kind", "class", "term", "record_id", "mask"]);
        for (id, term) in chunk {
            insert.values_panic([
                kind.into(),
                term.class.code().into(),
                term.term.clone().into(),
                (*id).into(),
                term.mask.into(),
            ]);
        }
        insert.on_conflict(OnConflict::columns(["kind", "class", "term", "record_id"]).do_nothing().to_owned());
        ex.execute(&insert).await?;
    }
    learn_words(ex, words).await
}

/// Brings a record's terms from what `before` gives to what `after` gives, touching only
/// the terms that differ: most edits change a word or two, or none that is searchable.
pub async fn update(ex: &mut impl Exec, kind: RecordKind, id: Uuid, before: &Document, after: &Document) -> Result<()> {
    let (old, new) = (before.terms(), after.terms());
    let gone: Vec<&Term> = old.iter().filter(|t| !new.contains(t)).collect();
    let code = kind_code(kind);
    for term in gone {
        ex.execute(
            Query::delete()
                .from_table("search_terms")
                .and_where(Expr::col("kind").eq(code))
                .and_where(Expr::col("class").eq(term.class.code()))
                .and_where(Expr::col("term").eq(term.term.clone()))
                .and_where(Expr::col("record_id").eq(id)),
        )
        .await?;
    }
    let added: Vec<Term> = new.into_iter().filter(|t| !old.contains(t)).collect();
    insert_terms(ex, kind, added.into_iter().map(|term| (id, term)).collect()).await
}

/// Removes a record from the index.
pub async fn remove(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("search_terms").and_where(Expr::col("record_id").eq(id))).await?;
    Ok(())
}

/// Adds the words the index did not know, with their deletion forms, for typo matching.
pub(crate) async fn learn_words(ex: &mut impl Exec, words: BTreeSet<String>) -> Result<()> {
    let words: Vec<String> = words.into_iter().collect();
    for chunk in words.chunks(TERM_CHUNK) {
        let known: Vec<(String,)> = ex
            .fetch_all(
                Query::select()
                    .column("word")
                    .from("search_words")
                    .and_where(Expr::col("word").is_in(chunk.iter().cloned())),
            )
            .await?;
        let known: BTreeSet<String> = known.into_iter().map(|(w,)| w).collect();
        let new: Vec<&String> = chunk.iter().filter(|w| !known.contains(*w)).collect();
        if new.is_empty() {
            continue;
        }
        let mut insert = Query::insert();
        insert.into_table("search_words").columns(["word"]);
        for word in &new {
            insert.values_panic([(*word).clone().into()]);
        }
        insert.on_conflict(OnConflict::column("word").do_nothing().to_owned());
        ex.execute(&insert).await?;
        let forms: Vec<(String, &String)> =
            new.iter().flat_map(|word| typos::forms(word).into_iter().map(move |form| (form, *word))).collect();
        for forms in forms.chunks(TERM_CHUNK) {
            let mut insert = Query::insert();
            insert.into_table("search_typos").columns(["form", "word"]);
            for (form, word) in forms {
                insert.values_panic([form.clone().into(), (*word).clone().into()]);
            }
            insert.on_conflict(OnConflict::columns(["form", "word"]).do_nothing().to_owned());
            ex.execute(&insert).await?;
        }
    }
    Ok(())
}
