//! Merging records in storage: everything that refers to a merged company or person moves
//! to the survivor, and the merged id is remembered (`merged_records`) so that it keeps
//! leading to the survivor. The use case (rapport-app `merges`) decides the survivor's
//! fields and writes the history; this module moves rows, in the caller's transaction.
//!
//! [`REFERENCES`] names every column that may hold a company's or a person's id and what
//! a merge does with it; a test reads the schema and fails when a column is missing here,
//! so a new reference cannot be forgotten.

use rapport_core::custom_fields::RecordKind;
use sea_query::{Expr, ExprTrait, Query};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Exec, Result, companies, people};

/// What a merge does with a column that refers to records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// Rows of the merged record are moved to the survivor (dropped where the survivor
    /// already has the same row).
    Moved,
    /// Rows describe the record's own data (contact methods, addresses...): the survivor's
    /// are rewritten from the merged fields, the merged record's are removed with it.
    Rewritten,
    /// Rows are questions the merge answers (a scan's group of duplicates): removed.
    Resolved,
    /// Rows stay as they were and keep naming the merged id, which resolves to the
    /// survivor (history, events, decided requests).
    Kept,
}

/// Every column that holds a company's or person's id, and how a merge treats it.
pub const REFERENCES: &[(&str, &str, Handling)] = &[
    ("activity_links", "record_id", Handling::Moved),
    ("addresses", "company_id", Handling::Rewritten),
    ("addresses", "person_id", Handling::Rewritten),
    ("addresses", "record_id", Handling::Rewritten),
    ("audit_log", "record_id", Handling::Kept),
    ("companies", "parent_id", Handling::Moved),
    ("contact_methods", "company_id", Handling::Rewritten),
    ("contact_methods", "person_id", Handling::Rewritten),
    ("contact_methods", "record_id", Handling::Rewritten),
    ("deletion_requests", "record_id", Handling::Kept),
    ("duplicate_dismissals", "other_id", Handling::Kept),
    ("duplicate_dismissals", "record_id", Handling::Kept),
    ("duplicate_group_members", "record_id", Handling::Resolved),
    ("duplicate_keys", "record_id", Handling::Rewritten),
    ("employments", "company_id", Handling::Moved),
    ("employments", "person_id", Handling::Rewritten),
    ("import_records", "record_id", Handling::Moved),
    ("list_members", "record_id", Handling::Moved),
    ("merged_records", "survivor_id", Handling::Moved),
    ("outbox", "record_id", Handling::Kept),
    ("record_attributes", "record_id", Handling::Rewritten),
    ("record_categories", "record_id", Handling::Rewritten),
    ("record_custom_values", "record_id", Handling::Rewritten),
    ("record_shares", "record_id", Handling::Moved),
    ("search_terms", "record_id", Handling::Rewritten),
    ("tasks", "company_id", Handling::Moved),
    ("tasks", "person_id", Handling::Moved),
];

/// Rows keyed by (`group`, `column`) that move from `from` to `to`, except those whose
/// `group` value already has a row for `to` (a list the survivor is in already).
async fn move_unique(
    ex: &mut impl Exec,
    table: &'static str,
    column: &'static str,
    group: &'static str,
    from: Uuid,
    to: Uuid,
) -> Result<()> {
    ex.execute(
        Query::delete().from_table(table).and_where(Expr::col(column).eq(from)).and_where(
            Expr::col(group)
                .in_subquery(Query::select().column(group).from(table).and_where(Expr::col(column).eq(to)).to_owned()),
        ),
    )
    .await?;
    move_all(ex, table, column, from, to).await
}

async fn move_all(ex: &mut impl Exec, table: &'static str, column: &'static str, from: Uuid, to: Uuid) -> Result<()> {
    ex.execute(Query::update().table(table).value(column, to).and_where(Expr::col(column).eq(from))).await?;
    Ok(())
}

/// Moves what refers to `merged` over to `survivor`, removes `merged` and remembers where
/// it went. The survivor's own fields and children are the use case's to save first.
pub async fn absorb(
    ex: &mut impl Exec,
    kind: RecordKind,
    survivor: Uuid,
    merged: Uuid,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    crate::duplicates::forget_groups_of(ex, &[survivor, merged]).await?;
    move_unique(ex, "list_members", "record_id", "list_id", merged, survivor).await?;
    move_unique(ex, "import_records", "record_id", "import_id", merged, survivor).await?;
    move_all(ex, "record_shares", "record_id", merged, survivor).await?;
    // Activities about either card (or, for companies, about their people) stay on the
    // survivor's timeline once, whatever way they reached it.
    move_unique(ex, "activity_links", "record_id", "activity_id", merged, survivor).await?;
    match kind {
        RecordKind::Company => {
            move_unique(ex, "employments", "company_id", "person_id", merged, survivor).await?;
            move_all(ex, "tasks", "company_id", merged, survivor).await?;
            move_all(ex, "companies", "parent_id", merged, survivor).await?;
            // A survivor that was below the merged company would now be its own parent.
            ex.execute(
                Query::update()
                    .table("companies")
                    .value("parent_id", Option::<Uuid>::None)
                    .and_where(Expr::col("id").eq(survivor))
                    .and_where(Expr::col("parent_id").eq(survivor)),
            )
            .await?;
            companies::delete(ex, merged).await?;
        }
        RecordKind::Person => {
            move_all(ex, "tasks", "person_id", merged, survivor).await?;
            people::delete(ex, merged).await?;
        }
    }
    move_all(ex, "merged_records", "survivor_id", merged, survivor).await?;
    ex.execute(
        Query::insert()
            .into_table("merged_records")
            .columns(["id", "kind", "survivor_id", "merged_at", "merged_by"])
            .values_panic([
                merged.into(),
                crate::search::kind_code(kind).into(),
                survivor.into(),
                ex.ts(at).into(),
                actor.into(),
            ]),
    )
    .await?;
    Ok(())
}

/// The record a merged id now lives on, if `id` was merged into another of `kind`.
pub async fn survivor_of(ex: &mut impl Exec, kind: RecordKind, id: Uuid) -> Result<Option<Uuid>> {
    let row: Option<(Uuid,)> = ex
        .fetch_optional(
            Query::select()
                .column("survivor_id")
                .from("merged_records")
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("kind").eq(crate::search::kind_code(kind))),
        )
        .await?;
    Ok(row.map(|(id,)| id))
}
