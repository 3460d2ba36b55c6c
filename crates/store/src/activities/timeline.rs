//! A card's timeline: the activities about one company or person, newest first.
//!
//! The walk is one range of `activity_links` (`record_id`, `occurred_at`, `activity_id`),
//! read backwards and stopped after a page, so a company with 10,000 activities costs
//! what one with ten does. A kind filter walks the (`record_id`, `kind`, ...) index
//! instead; a person filter walks that person's links and keeps those also linked to the
//! record (a person has fewer than their company); a thread filter walks the thread.
//! Whoever may see the record sees its timeline, so no row needs a visibility check.

use rapport_core::activities::{Activity, KindKey};
use sea_query::{Expr, ExprTrait, Order, Query};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{ActivityRow, COLUMNS, assemble};
use crate::{Exec, Result};

#[derive(Debug, Clone, Default)]
pub struct TimelineFilter {
    pub kind: Option<KindKey>,
    pub person_id: Option<Uuid>,
    pub thread_id: Option<Uuid>,
    /// The (`occurred_at`, id) of the last activity already shown.
    pub after: Option<(OffsetDateTime, Uuid)>,
    pub limit: u64,
}

fn linked_to(record: Uuid, activity: (&'static str, &'static str)) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from_as("activity_links", "other")
            .and_where(Expr::col(("other", "record_id")).eq(record))
            .and_where(Expr::col(("other", "activity_id")).equals(activity))
            .take(),
    )
}

/// A page of the record's timeline and whether more follow.
pub async fn timeline(ex: &mut impl Exec, record: Uuid, filter: &TimelineFilter) -> Result<(Vec<Activity>, bool)> {
    let mut select = Query::select();
    select.columns(COLUMNS.iter().map(|c| ("activities", *c)));
    let (time, id): ((&str, &str), (&str, &str)) = if let Some(thread) = filter.thread_id {
        select
            .from("activities")
            .and_where(Expr::col(("activities", "thread_id")).eq(thread))
            .and_where(linked_to(record, ("activities", "id")));
        if let Some(kind) = &filter.kind {
            select.and_where(Expr::col(("activities", "kind")).eq(kind.as_str()));
        }
        if let Some(person) = filter.person_id {
            select.and_where(linked_to(person, ("activities", "id")));
        }
        (("activities", "occurred_at"), ("activities", "id"))
    } else {
        let walked = filter.person_id.unwrap_or(record);
        select
            .from("activity_links")
            .inner_join("activities", Expr::col(("activities", "id")).equals(("activity_links", "activity_id")))
            .and_where(Expr::col(("activity_links", "record_id")).eq(walked));
        if walked != record {
            select.and_where(linked_to(record, ("activity_links", "activity_id")));
        }
        if let Some(kind) = &filter.kind {
            select.and_where(Expr::col(("activity_links", "kind")).eq(kind.as_str()));
        }
        (("activity_links", "occurred_at"), ("activity_links", "activity_id"))
    };
    select.and_where(Expr::col(("activities", "archived_at")).is_null());
    if let Some((at, last)) = filter.after {
        let key = Expr::tuple([Expr::col(time), Expr::col(id)]);
        select.and_where(key.lt(Expr::tuple([Expr::val(ex.ts(at)), Expr::val(last)])));
    }
    select.order_by(time, Order::Desc).order_by(id, Order::Desc).limit(filter.limit + 1);
    let rows: Vec<ActivityRow> = ex.fetch_all(&select).await?;
    let more = rows.len() as u64 > filter.limit;
    let mut found = assemble(ex, rows).await?;
    found.truncate(filter.limit as usize);
    Ok((found, more))
}
