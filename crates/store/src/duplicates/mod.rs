//! Duplicate detection in storage: every record's blocking keys (`duplicate_keys`,
//! migration 0016), written in the same transaction as the record by the companies and
//! people modules, and read by index lookups to find the records a new one may repeat.
//! What the keys are is `rapport_core::duplicates`; this module only stores and reads them.

use std::collections::BTreeSet;

use rapport_core::custom_fields::RecordKind;
use rapport_core::duplicates::Profile;
use sea_query::{Expr, ExprTrait, OnConflict, Query};
use uuid::Uuid;

use crate::search::TERM_CHUNK;
use crate::{Db, Exec, Result, companies, people};

/// The key rules' version: raise it when `Profile::keys` changes, and every database
/// computes its keys again at the next start.
pub const KEYS_VERSION: i32 = 1;

/// Records read per key on a lookup: a key shared by more records than this (a common
/// name's pair of word starts) says little, and the other keys find the real duplicates.
pub const BLOCK_CAP: u64 = 100;

pub(crate) fn kind_code(kind: RecordKind) -> i16 {
    crate::search::kind_code(kind)
}

/// Writes the keys of records that have none yet (new records, or a rebuild's batch).
pub async fn index_new(ex: &mut impl Exec, kind: RecordKind, profiles: &[(Uuid, Profile)]) -> Result<()> {
    let mut rows: Vec<(String, Uuid)> =
        profiles.iter().flat_map(|(id, p)| p.keys().into_iter().map(move |key| (key, *id))).collect();
    rows.sort_unstable();
    insert_keys(ex, kind, &rows).await
}

async fn insert_keys(ex: &mut impl Exec, kind: RecordKind, rows: &[(String, Uuid)]) -> Result<()> {
    let code = kind_code(kind);
    for chunk in rows.chunks(TERM_CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("duplicate_keys").columns(["kind", "key", "record_id"]);
        for (key, id) in chunk {
            insert.values_panic([code.into(), key.clone().into(), (*id).into()]);
        }
        insert.on_conflict(OnConflict::columns(["kind", "key", "record_id"]).do_nothing().to_owned());
        ex.execute(&insert).await?;
    }
    Ok(())
}

/// Brings a record's keys from `before`'s to `after`'s, touching only those that differ.
pub async fn update(ex: &mut impl Exec, kind: RecordKind, id: Uuid, before: &Profile, after: &Profile) -> Result<()> {
    let (old, new) = (before.keys(), after.keys());
    let gone: Vec<String> = old.iter().filter(|k| !new.contains(k)).cloned().collect();
    if !gone.is_empty() {
        ex.execute(
            Query::delete()
                .from_table("duplicate_keys")
                .and_where(Expr::col("kind").eq(kind_code(kind)))
                .and_where(Expr::col("key").is_in(gone))
                .and_where(Expr::col("record_id").eq(id)),
        )
        .await?;
    }
    let added: Vec<(String, Uuid)> = new.into_iter().filter(|k| !old.contains(k)).map(|k| (k, id)).collect();
    insert_keys(ex, kind, &added).await
}

pub async fn remove(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("duplicate_keys").and_where(Expr::col("record_id").eq(id))).await?;
    Ok(())
}

/// The records (other than `except`) that share a key with `profile`: one index range
/// per key, at most [`BLOCK_CAP`] records each.
pub async fn candidates(ex: &mut impl Exec, kind: RecordKind, profile: &Profile, except: &[Uuid]) -> Result<Vec<Uuid>> {
    let mut found = BTreeSet::new();
    for key in profile.keys() {
        let rows: Vec<(Uuid,)> = ex
            .fetch_all(
                Query::select()
                    .column("record_id")
                    .from("duplicate_keys")
                    .and_where(Expr::col("kind").eq(kind_code(kind)))
                    .and_where(Expr::col("key").eq(key))
                    .limit(BLOCK_CAP),
            )
            .await?;
        found.extend(rows.into_iter().map(|(id,)| id).filter(|id| !except.contains(id)));
    }
    Ok(found.into_iter().collect())
}

/// One block of a scan: a key and the records under it (at most `cap`).
#[derive(Debug, Clone)]
pub struct Block {
    pub key: String,
    pub records: Vec<Uuid>,
}

/// The blocks after `after` in key order, up to `limit` key rows read: a scan walks the
/// whole key index this way, one range at a time. A block cut by the row limit is
/// finished by the next call, which starts at its key again.
pub async fn blocks(ex: &mut impl Exec, kind: RecordKind, after: Option<&str>, limit: u64) -> Result<Vec<Block>> {
    let mut select = Query::select();
    select
        .columns(["key", "record_id"])
        .from("duplicate_keys")
        .and_where(Expr::col("kind").eq(kind_code(kind)))
        .order_by("key", sea_query::Order::Asc)
        .order_by("record_id", sea_query::Order::Asc)
        .limit(limit);
    if let Some(after) = after {
        select.and_where(Expr::col("key").gt(after.to_string()));
    }
    let rows: Vec<(String, Uuid)> = ex.fetch_all(&select).await?;
    let full = rows.len() as u64 == limit;
    let mut blocks: Vec<Block> = Vec::new();
    for (key, id) in rows {
        match blocks.last_mut() {
            Some(block) if block.key == key => block.records.push(id),
            _ => blocks.push(Block { key, records: vec![id] }),
        }
    }
    if full && blocks.len() > 1 {
        blocks.pop();
    }
    Ok(blocks)
}

/// Whether the keys were written by other key rules (or never).
pub async fn needs_rebuild(ex: &mut impl Exec) -> Result<bool> {
    let row: Option<(i32,)> = ex
        .fetch_optional(Query::select().column("version").from("duplicate_state").and_where(Expr::col("id").eq(1)))
        .await?;
    Ok(row.is_none_or(|(version,)| version != KEYS_VERSION))
}

/// Computes every record's keys again, in batches; returns the number of records.
pub async fn rebuild(db: &Db) -> Result<u64> {
    const BATCH: u64 = 2000;
    let mut done = 0;
    db.clone().execute(Query::delete().from_table("duplicate_keys")).await?;
    let mut after = None;
    loop {
        let batch = companies::batch(&mut db.clone(), after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        let profiles: Vec<_> = batch.iter().map(|c| (c.id, Profile::company(&c.fields, Some(&c.code)))).collect();
        let mut tx = db.begin().await?;
        index_new(&mut tx, RecordKind::Company, &profiles).await?;
        tx.commit().await?;
        done += profiles.len() as u64;
    }
    let mut after = None;
    loop {
        let batch = people::batch(&mut db.clone(), after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        let profiles: Vec<_> = batch.iter().map(|p| (p.id, Profile::person(&p.fields))).collect();
        let mut tx = db.begin().await?;
        index_new(&mut tx, RecordKind::Person, &profiles).await?;
        tx.commit().await?;
        done += profiles.len() as u64;
    }
    let mut tx = db.begin().await?;
    tx.execute(Query::delete().from_table("duplicate_state")).await?;
    tx.execute(
        Query::insert()
            .into_table("duplicate_state")
            .columns(["id", "version"])
            .values_panic([1.into(), KEYS_VERSION.into()]),
    )
    .await?;
    tx.commit().await?;
    Ok(done)
}

mod groups;

pub use groups::{Group, dismiss, dismissed_among, forget_groups_of, group, groups, replace_groups};
