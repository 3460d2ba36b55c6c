//! Each user's working time (time zone and hours), their absences and calendar feed
//! secret, and the company's holidays.

use std::collections::BTreeMap;

use sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use serde::Serialize;
use sqlx::types::Json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Exec, Result};

/// A user's stored working time; `None` from [`settings`] means the defaults.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Settings {
    pub user_id: Uuid,
    pub time_zone: String,
    pub working_hours: Json<BTreeMap<String, Vec<String>>>,
    pub feed_token: Option<String>,
    pub version: i64,
    pub updated_at: OffsetDateTime,
    pub updated_by: Option<Uuid>,
}

const SETTINGS: [&str; 7] =
    ["user_id", "time_zone", "working_hours", "feed_token", "version", "updated_at", "updated_by"];

pub async fn settings(ex: &mut impl Exec, user_id: Uuid) -> Result<Option<Settings>> {
    ex.fetch_optional(
        Query::select().columns(SETTINGS).from("user_calendars").and_where(Expr::col("user_id").eq(user_id)),
    )
    .await
}

/// The settings of several users at once (a team's calendars).
pub async fn settings_of(ex: &mut impl Exec, users: &[Uuid]) -> Result<Vec<Settings>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    ex.fetch_all(
        Query::select()
            .columns(SETTINGS)
            .from("user_calendars")
            .and_where(Expr::col("user_id").is_in(users.iter().copied())),
    )
    .await
}

/// Saves a user's zone and hours: the first save inserts the row, later ones need the
/// stored `version` (0 when there was no row) and bump it. False when someone saved first.
pub async fn save_settings(
    ex: &mut impl Exec,
    user_id: Uuid,
    time_zone: &str,
    hours: &BTreeMap<String, Vec<String>>,
    version: i64,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<bool> {
    let hours = serde_json::to_value(hours).unwrap_or_default();
    if version == 0 {
        let inserted = ex
            .execute(
                Query::insert()
                    .into_table("user_calendars")
                    .columns(["user_id", "time_zone", "working_hours", "version", "updated_at", "updated_by"])
                    .values_panic([
                        user_id.into(),
                        time_zone.into(),
                        hours.into(),
                        1i64.into(),
                        ex.ts(at).into(),
                        actor.into(),
                    ])
                    .on_conflict(OnConflict::column("user_id").do_nothing().to_owned()),
            )
            .await?;
        return Ok(inserted == 1);
    }
    let changed = ex
        .execute(
            Query::update()
                .table("user_calendars")
                .values([
                    ("time_zone", Expr::val(time_zone)),
                    ("working_hours", Expr::val(hours)),
                    ("version", Expr::val(version + 1)),
                    ("updated_at", Expr::val(ex.ts(at))),
                    ("updated_by", Expr::val(actor)),
                ])
                .and_where(Expr::col("user_id").eq(user_id))
                .and_where(Expr::col("version").eq(version)),
        )
        .await?;
    Ok(changed == 1)
}

/// Sets (or, with `None`, clears) the secret of the user's feed, making the row with the
/// defaults when there is none yet.
pub async fn set_feed_token(
    ex: &mut impl Exec,
    user_id: Uuid,
    token: Option<&str>,
    defaults: (&str, &BTreeMap<String, Vec<String>>),
    at: OffsetDateTime,
) -> Result<()> {
    let hours = serde_json::to_value(defaults.1).unwrap_or_default();
    ex.execute(
        Query::insert()
            .into_table("user_calendars")
            .columns(["user_id", "time_zone", "working_hours", "feed_token", "version", "updated_at"])
            .values_panic([
                user_id.into(),
                defaults.0.into(),
                hours.into(),
                token.map(str::to_string).into(),
                1i64.into(),
                ex.ts(at).into(),
            ])
            .on_conflict(OnConflict::column("user_id").update_column("feed_token").to_owned()),
    )
    .await?;
    Ok(())
}

/// The user whose feed this secret opens.
pub async fn feed_owner(ex: &mut impl Exec, token: &str) -> Result<Option<Uuid>> {
    let row: Option<(Uuid,)> = ex
        .fetch_optional(
            Query::select().column("user_id").from("user_calendars").and_where(Expr::col("feed_token").eq(token)),
        )
        .await?;
    Ok(row.map(|(id,)| id))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Absence {
    pub id: Uuid,
    pub user_id: Uuid,
    #[serde(serialize_with = "rapport_core::tasks::serialize_date")]
    pub starts_on: Date,
    #[serde(serialize_with = "rapport_core::tasks::serialize_date")]
    pub ends_on: Date,
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

const ABSENCE: [&str; 7] = ["id", "user_id", "starts_on", "ends_on", "note", "created_at", "created_by"];

pub async fn insert_absence(ex: &mut impl Exec, absence: &Absence) -> Result<()> {
    ex.execute(Query::insert().into_table("absences").columns(ABSENCE).values_panic([
        absence.id.into(),
        absence.user_id.into(),
        absence.starts_on.into(),
        absence.ends_on.into(),
        absence.note.clone().into(),
        ex.ts(absence.created_at).into(),
        absence.created_by.into(),
    ]))
    .await?;
    Ok(())
}

pub async fn delete_absence(ex: &mut impl Exec, user_id: Uuid, id: Uuid) -> Result<bool> {
    let deleted = ex
        .execute(
            Query::delete()
                .from_table("absences")
                .and_where(Expr::col("id").eq(id))
                .and_where(Expr::col("user_id").eq(user_id)),
        )
        .await?;
    Ok(deleted == 1)
}

/// A user's absences that end on or after `from` (all of them without), by start.
pub async fn absences(ex: &mut impl Exec, user_id: Uuid, from: Option<Date>) -> Result<Vec<Absence>> {
    let mut select = Query::select();
    select.columns(ABSENCE).from("absences").and_where(Expr::col("user_id").eq(user_id));
    if let Some(from) = from {
        select.and_where(Expr::col("ends_on").gte(from));
    }
    select.order_by("starts_on", Order::Asc).limit(1000);
    ex.fetch_all(&select).await
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Holiday {
    pub id: Uuid,
    #[serde(serialize_with = "rapport_core::tasks::serialize_date")]
    pub day: Date,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub created_by: Option<Uuid>,
}

const HOLIDAY: [&str; 5] = ["id", "day", "name", "created_at", "created_by"];

pub async fn insert_holiday(ex: &mut impl Exec, holiday: &Holiday) -> Result<()> {
    ex.execute(Query::insert().into_table("holidays").columns(HOLIDAY).values_panic([
        holiday.id.into(),
        holiday.day.into(),
        holiday.name.clone().into(),
        ex.ts(holiday.created_at).into(),
        holiday.created_by.into(),
    ]))
    .await?;
    Ok(())
}

pub async fn delete_holiday(ex: &mut impl Exec, id: Uuid) -> Result<Option<Holiday>> {
    let found: Option<Holiday> =
        ex.fetch_optional(Query::select().columns(HOLIDAY).from("holidays").and_where(Expr::col("id").eq(id))).await?;
    if found.is_some() {
        ex.execute(Query::delete().from_table("holidays").and_where(Expr::col("id").eq(id))).await?;
    }
    Ok(found)
}

/// Holidays from `from` on (all without), by day.
pub async fn holidays(ex: &mut impl Exec, from: Option<Date>, to: Option<Date>) -> Result<Vec<Holiday>> {
    let mut select = Query::select();
    select.columns(HOLIDAY).from("holidays");
    if let Some(from) = from {
        select.and_where(Expr::col("day").gte(from));
    }
    if let Some(to) = to {
        select.and_where(Expr::col("day").lte(to));
    }
    select.order_by("day", Order::Asc).limit(2000);
    ex.fetch_all(&select).await
}
