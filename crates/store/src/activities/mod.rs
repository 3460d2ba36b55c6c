//! Activities in storage: the `activities` table, the records they are about
//! (`activity_links`), the users who took part (`activity_users`), their kinds and
//! threads. Timelines and lists read here; see `timeline` for the walk a card's timeline
//! takes.

mod threads;
mod timeline;

pub use threads::{Thread, get_thread, insert_thread, thread_activities, threads_of_creator, threads_of_record};
pub use timeline::{TimelineFilter, timeline};

use std::collections::HashMap;

use rapport_core::activities::{Activity, ActivityFields, ActivityKind, BUILTIN_KINDS, Direction, KindKey};
use sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::access::Visibility;
use crate::contacts::CHUNK;
use crate::listing::{self, Page};
use crate::{Exec, Result, StoreError};

const COLUMNS: [&str; 16] = [
    "id",
    "kind",
    "direction",
    "subject",
    "occurred_at",
    "duration_minutes",
    "outcome",
    "body",
    "thread_id",
    "reply_to_id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "archived_at",
];

/// A link's `record_kind`: a company or person named on the activity, or a company
/// reached through one of its people (so the company's timeline shows it).
pub const COMPANY: &str = "company";
pub const PERSON: &str = "person";
pub const EMPLOYER: &str = "employer";

#[derive(sqlx::FromRow)]
pub(crate) struct ActivityRow {
    id: Uuid,
    kind: String,
    direction: Option<String>,
    subject: String,
    occurred_at: OffsetDateTime,
    duration_minutes: Option<i32>,
    outcome: Option<String>,
    body: Option<String>,
    thread_id: Option<Uuid>,
    reply_to_id: Option<Uuid>,
    version: i64,
    created_at: OffsetDateTime,
    created_by: Option<Uuid>,
    updated_at: OffsetDateTime,
    updated_by: Option<Uuid>,
    archived_at: Option<OffsetDateTime>,
}

/// An activity to insert, with the companies its people work for (linked as employers).
#[derive(Debug, Clone, Copy)]
pub struct NewActivity<'a> {
    pub id: Uuid,
    pub fields: &'a ActivityFields,
    pub employers: &'a [Uuid],
}

fn field_values(ex: &impl Exec, fields: &ActivityFields) -> Vec<(&'static str, sea_query::Value)> {
    vec![
        ("kind", fields.kind.as_str().into()),
        ("direction", fields.direction.map(Direction::as_str).into()),
        ("subject", fields.subject.clone().into()),
        ("occurred_at", ex.ts(fields.occurred_at)),
        ("duration_minutes", fields.duration_minutes.map(|m| m as i32).into()),
        ("outcome", fields.outcome.clone().into()),
        ("body", fields.body.clone().into()),
        ("thread_id", fields.thread_id.into()),
        ("reply_to_id", fields.reply_to_id.into()),
    ]
}

/// The link rows of an activity: its company, its people, then their employers (each
/// record once, the named kind first).
fn links(activity: &NewActivity) -> Vec<(Uuid, &'static str)> {
    let f = activity.fields;
    let mut rows: Vec<(Uuid, &'static str)> = f.company_id.map(|c| (c, COMPANY)).into_iter().collect();
    rows.extend(f.person_ids.iter().map(|p| (*p, PERSON)));
    for employer in activity.employers {
        if !rows.iter().any(|(id, _)| id == employer) {
            rows.push((*employer, EMPLOYER));
        }
    }
    rows
}

async fn insert_links(ex: &mut impl Exec, activities: &[NewActivity<'_>]) -> Result<()> {
    let rows: Vec<(Uuid, &'static str, &NewActivity)> =
        activities.iter().flat_map(|a| links(a).into_iter().map(move |(id, kind)| (id, kind, a))).collect();
    for chunk in rows.chunks(CHUNK / 2) {
        let mut insert = Query::insert();
        insert.into_table("activity_links").columns(["record_id", "activity_id", "record_kind", "occurred_at", "kind"]);
        for (record, record_kind, a) in chunk {
            insert.values_panic([
                (*record).into(),
                a.id.into(),
                (*record_kind).into(),
                Expr::val(ex.ts(a.fields.occurred_at)),
                a.fields.kind.as_str().into(),
            ]);
        }
        ex.execute(&insert).await?;
    }
    let users: Vec<(Uuid, &NewActivity)> =
        activities.iter().flat_map(|a| a.fields.user_ids.iter().map(move |u| (*u, a))).collect();
    for chunk in users.chunks(CHUNK / 2) {
        let mut insert = Query::insert();
        insert.into_table("activity_users").columns(["user_id", "activity_id", "occurred_at", "kind"]);
        for (user, a) in chunk {
            insert.values_panic([
                (*user).into(),
                a.id.into(),
                Expr::val(ex.ts(a.fields.occurred_at)),
                a.fields.kind.as_str().into(),
            ]);
        }
        ex.execute(&insert).await?;
    }
    Ok(())
}

/// Inserts activities with their links and participants in a few multi-row statements:
/// the bulk path.
pub async fn insert_many(
    ex: &mut impl Exec,
    activities: &[NewActivity<'_>],
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    for chunk in activities.chunks(CHUNK / 2) {
        let mut insert = Query::insert();
        insert.into_table("activities");
        for (i, activity) in chunk.iter().enumerate() {
            let mut values = field_values(ex, activity.fields);
            values.extend([
                ("id", activity.id.into()),
                ("version", 1i64.into()),
                ("created_at", ex.ts(at)),
                ("created_by", actor.into()),
                ("updated_at", ex.ts(at)),
                ("updated_by", actor.into()),
            ]);
            let (columns, values): (Vec<_>, Vec<_>) = values.into_iter().unzip();
            if i == 0 {
                insert.columns(columns);
            }
            insert.values_panic(values.into_iter().map(Expr::val));
        }
        ex.execute(&insert).await?;
    }
    insert_links(ex, activities).await
}

/// Saves new fields if the activity is still at `version`; false when someone else saved
/// first. Its links and participants are written anew.
pub async fn update(
    ex: &mut impl Exec,
    current: &Activity,
    fields: &ActivityFields,
    employers: &[Uuid],
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<bool> {
    let values = field_values(ex, fields);
    if !crate::records::save_version(ex, "activities", current.id, current.version, values, actor, at).await? {
        return Ok(false);
    }
    for table in ["activity_links", "activity_users"] {
        ex.execute(Query::delete().from_table(table).and_where(Expr::col("activity_id").eq(current.id))).await?;
    }
    insert_links(ex, &[NewActivity { id: current.id, fields, employers }]).await?;
    Ok(true)
}

pub async fn set_archived(
    ex: &mut impl Exec,
    id: Uuid,
    archived: bool,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    crate::records::set_archived(ex, "activities", id, archived, actor, at).await
}

/// Puts an activity into a thread (a reply starts one for the activity it answers).
pub async fn set_thread(
    ex: &mut impl Exec,
    id: Uuid,
    thread: Uuid,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    ex.execute(
        Query::update()
            .table("activities")
            .values([
                ("thread_id", Expr::val(thread)),
                ("updated_at", Expr::val(ex.ts(at))),
                ("updated_by", Expr::val(actor)),
                ("version", Expr::col("version").add(1)),
            ])
            .and_where(Expr::col("id").eq(id)),
    )
    .await?;
    Ok(())
}

/// The companies these people currently work for.
pub async fn employers(ex: &mut impl Exec, people: &[Uuid]) -> Result<Vec<Uuid>> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Uuid,)> = ex
        .fetch_all(
            Query::select()
                .distinct()
                .column("company_id")
                .from("employments")
                .and_where(Expr::col("person_id").is_in(people.iter().copied()))
                .and_where(Expr::col("is_current").eq(true)),
        )
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

pub(crate) fn select() -> SelectStatement {
    let mut select = Query::select();
    select.columns(COLUMNS.iter().map(|c| ("activities", *c))).from("activities");
    select
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<Activity>> {
    let rows: Vec<ActivityRow> = ex.fetch_all(select().and_where(Expr::col(("activities", "id")).eq(id))).await?;
    Ok(assemble(ex, rows).await?.pop())
}

/// Who may see which activities, as a predicate the list query carries: those about a
/// company or person the rules let them see, those they logged and those they took part in.
#[derive(Debug, Clone, Default)]
pub struct ActivityVisibility {
    pub all: bool,
    pub user_id: Option<Uuid>,
    pub companies: Option<Visibility>,
    pub people: Option<Visibility>,
}

fn linked_visible(table: &'static str, kinds: &[&'static str], visibility: &Visibility) -> Expr {
    let mut record = Query::select();
    record.expr(Expr::val(1)).from(table).and_where(Expr::col((table, "id")).equals(("activity_links", "record_id")));
    if let Some(condition) = visibility.condition(table) {
        record.and_where(condition);
    }
    if let (Some(max), "companies") = (visibility.max_security, table) {
        record.and_where(Expr::col((table, "security_level")).lte(i32::from(max)));
    }
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from("activity_links")
            .and_where(Expr::col(("activity_links", "activity_id")).equals(("activities", "id")))
            .and_where(Expr::col(("activity_links", "record_kind")).is_in(kinds.iter().copied()))
            .and_where(Expr::exists(record.take()))
            .take(),
    )
}

impl ActivityVisibility {
    pub(crate) fn condition(&self) -> Option<Expr> {
        if self.all {
            return None;
        }
        let me = self.user_id.unwrap_or_else(Uuid::nil);
        let took_part = Query::select()
            .expr(Expr::val(1))
            .from("activity_users")
            .and_where(Expr::col(("activity_users", "activity_id")).equals(("activities", "id")))
            .and_where(Expr::col(("activity_users", "user_id")).eq(me))
            .take();
        let mut visible = Expr::col(("activities", "created_by")).eq(me).or(Expr::exists(took_part));
        if let Some(companies) = &self.companies {
            visible = visible.or(linked_visible("companies", &[COMPANY, EMPLOYER], companies));
        }
        if let Some(people) = &self.people {
            visible = visible.or(linked_visible("people", &[PERSON], people));
        }
        Some(visible)
    }
}

/// Which activities `GET /activities` shows. Empty filters match everything visible.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub visibility: ActivityVisibility,
    pub kind: Option<KindKey>,
    /// About this company or person (an employer's link counts).
    pub record_id: Option<Uuid>,
    pub thread_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub from: Option<OffsetDateTime>,
    pub before: Option<OffsetDateTime>,
    pub archived: bool,
}

/// A page of activities, newest first by default, keyset-paged on (`occurred_at`, id).
pub async fn list(ex: &mut impl Exec, filter: &ActivityFilter, page: &Page) -> Result<(Vec<Activity>, bool)> {
    let mut select = select();
    let col = |c: &'static str| Expr::col(("activities", c));
    if let Some(visible) = filter.visibility.condition() {
        select.and_where(visible);
    }
    select.and_where(if filter.archived { col("archived_at").is_not_null() } else { col("archived_at").is_null() });
    if let Some(kind) = &filter.kind {
        select.and_where(col("kind").eq(kind.as_str()));
    }
    if let Some(record) = filter.record_id {
        let linked = Query::select()
            .column("activity_id")
            .from("activity_links")
            .and_where(Expr::col("record_id").eq(record))
            .take();
        select.and_where(col("id").in_subquery(linked));
    }
    if let Some(user) = filter.user_id {
        let took_part = Query::select()
            .column("activity_id")
            .from("activity_users")
            .and_where(Expr::col("user_id").eq(user))
            .take();
        select.and_where(col("id").in_subquery(took_part));
    }
    if let Some(thread) = filter.thread_id {
        select.and_where(col("thread_id").eq(thread));
    }
    if let Some(creator) = filter.created_by {
        select.and_where(col("created_by").eq(creator));
    }
    if let Some(from) = filter.from {
        select.and_where(col("occurred_at").gte(Expr::val(ex.ts(from))));
    }
    if let Some(before) = filter.before {
        select.and_where(col("occurred_at").lt(Expr::val(ex.ts(before))));
    }
    listing::apply(ex, "activities", page, &mut select);
    let rows: Vec<ActivityRow> = ex.fetch_all(&select).await?;
    let (rows, more) = listing::split(rows, page.limit);
    Ok((assemble(ex, rows).await?, more))
}

/// The meetings a user takes part in that may overlap `from`..`to`, by start time (a
/// meeting lasts at most a week, so those starting up to a week before are read too).
pub async fn meetings(
    ex: &mut impl Exec,
    user: Uuid,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<Activity>> {
    let mut select = select();
    select
        .inner_join("activity_users", Expr::col(("activity_users", "activity_id")).equals(("activities", "id")))
        .and_where(Expr::col(("activity_users", "user_id")).eq(user))
        .and_where(Expr::col(("activity_users", "kind")).eq(rapport_core::activities::MEETING))
        .and_where(Expr::col(("activity_users", "occurred_at")).gte(Expr::val(ex.ts(from - Duration::weeks(1)))))
        .and_where(Expr::col(("activity_users", "occurred_at")).lt(Expr::val(ex.ts(to))))
        .and_where(Expr::col(("activities", "archived_at")).is_null())
        .order_by(("activity_users", "occurred_at"), Order::Asc)
        .limit(2000);
    let rows: Vec<ActivityRow> = ex.fetch_all(&select).await?;
    let found = assemble(ex, rows).await?;
    Ok(found.into_iter().filter(|a| a.fields.busy().is_some_and(|b| b.end > from)).collect())
}

/// Activities about a company or person (at most 50), which keep it from being deleted.
pub async fn about(ex: &mut impl Exec, record: Uuid) -> Result<Vec<(Uuid, String)>> {
    ex.fetch_all(
        Query::select()
            .columns([("activities", "id"), ("activities", "subject")])
            .from("activity_links")
            .inner_join("activities", Expr::col(("activities", "id")).equals(("activity_links", "activity_id")))
            .and_where(Expr::col(("activity_links", "record_id")).eq(record))
            .and_where(Expr::col(("activity_links", "record_kind")).ne(EMPLOYER))
            .limit(50),
    )
    .await
}

/// Drops the links that reach a deleted company through its former employees.
pub async fn forget_employer(ex: &mut impl Exec, company: Uuid) -> Result<()> {
    ex.execute(
        Query::delete()
            .from_table("activity_links")
            .and_where(Expr::col("record_id").eq(company))
            .and_where(Expr::col("record_kind").eq(EMPLOYER)),
    )
    .await?;
    Ok(())
}

pub async fn kinds(ex: &mut impl Exec) -> Result<Vec<ActivityKind>> {
    let rows: Vec<(String, String, bool)> = ex
        .fetch_all(
            Query::select()
                .columns(["key", "name", "is_builtin"])
                .from("activity_kinds")
                .order_by("is_builtin", Order::Desc)
                .order_by("created_at", Order::Asc)
                .order_by("key", Order::Asc),
        )
        .await?;
    let mut kinds = rows
        .into_iter()
        .map(|(key, name, builtin)| {
            let key = KindKey::parse(&key).ok_or_else(|| StoreError::Corrupt(format!("activity kind {key:?}")))?;
            Ok(ActivityKind { key, name, builtin })
        })
        .collect::<Result<Vec<_>>>()?;
    // The built-in ones in their own order (the commonest first), the added ones after.
    kinds.sort_by_key(|k| BUILTIN_KINDS.iter().position(|b| *b == k.key.as_str()).unwrap_or(usize::MAX));
    Ok(kinds)
}

pub async fn insert_kind(
    ex: &mut impl Exec,
    kind: &ActivityKind,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    ex.execute(
        Query::insert()
            .into_table("activity_kinds")
            .columns(["key", "name", "is_builtin", "created_at", "created_by"])
            .values_panic([
                kind.key.as_str().into(),
                kind.name.clone().into(),
                false.into(),
                Expr::val(ex.ts(at)),
                actor.into(),
            ]),
    )
    .await?;
    Ok(())
}

pub(crate) async fn assemble(ex: &mut impl Exec, rows: Vec<ActivityRow>) -> Result<Vec<Activity>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut records: HashMap<Uuid, Vec<(Uuid, String)>> = HashMap::new();
    let mut users: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if !ids.is_empty() {
        let linked: Vec<(Uuid, Uuid, String)> = ex
            .fetch_all(
                Query::select()
                    .columns(["activity_id", "record_id", "record_kind"])
                    .from("activity_links")
                    .and_where(Expr::col("activity_id").is_in(ids.iter().copied()))
                    .and_where(Expr::col("record_kind").ne(EMPLOYER)),
            )
            .await?;
        for (activity, record, kind) in linked {
            records.entry(activity).or_default().push((record, kind));
        }
        let took_part: Vec<(Uuid, Uuid)> = ex
            .fetch_all(
                Query::select()
                    .columns(["activity_id", "user_id"])
                    .from("activity_users")
                    .and_where(Expr::col("activity_id").is_in(ids.iter().copied())),
            )
            .await?;
        for (activity, user) in took_part {
            users.entry(activity).or_default().push(user);
        }
    }
    rows.into_iter()
        .map(|row| {
            let corrupt = |what: &str| StoreError::Corrupt(format!("activity {} {what}", row.id));
            let kind = KindKey::parse(&row.kind).ok_or_else(|| corrupt("kind"))?;
            let direction = match &row.direction {
                Some(d) => Some(Direction::parse(d).ok_or_else(|| corrupt("direction"))?),
                None => None,
            };
            let linked = records.remove(&row.id).unwrap_or_default();
            let company_id = linked.iter().find(|(_, k)| k == COMPANY).map(|(id, _)| *id);
            let mut person_ids: Vec<Uuid> = linked.iter().filter(|(_, k)| k == PERSON).map(|(id, _)| *id).collect();
            person_ids.sort();
            let mut user_ids = users.remove(&row.id).unwrap_or_default();
            user_ids.sort();
            let fields = ActivityFields {
                kind,
                direction,
                subject: row.subject,
                occurred_at: row.occurred_at,
                duration_minutes: row.duration_minutes.map(|m| Ord::max(m, 0) as u32),
                outcome: row.outcome,
                body: row.body,
                company_id,
                person_ids,
                user_ids,
                thread_id: row.thread_id,
                reply_to_id: row.reply_to_id,
            };
            Ok(Activity {
                id: row.id,
                fields,
                version: row.version,
                created_at: row.created_at,
                created_by: row.created_by,
                updated_at: row.updated_at,
                updated_by: row.updated_by,
                archived_at: row.archived_at,
            })
        })
        .collect()
}

/// Every record the activity is linked to, with its link kind (employers too).
pub async fn records_of(ex: &mut impl Exec, id: Uuid) -> Result<Vec<(Uuid, String)>> {
    ex.fetch_all(
        Query::select()
            .columns(["record_id", "record_kind"])
            .from("activity_links")
            .and_where(Expr::col("activity_id").eq(id)),
    )
    .await
}
