//! Tasks in storage: the `tasks` table and their watchers, the lists and calendar ranges
//! read from them, and the ranges a reminder job and the free-slot search read.

use std::collections::HashMap;

use rapport_core::calendar::Interval;
use rapport_core::tasks::{Due, Priority, RRule, Related, Task, TaskFields, TaskStatus, UNDATED_KEY};
use rapport_core::zone::Zone;
use sea_query::{Expr, ExprTrait, LockBehavior, LockType, Order, Query, SelectStatement};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::access::Visibility;
use crate::contacts::CHUNK;
use crate::listing::{self, Page};
use crate::{Exec, Result, StoreError};

const COLUMNS: [&str; 26] = [
    "id",
    "title",
    "description",
    "assignee_id",
    "status",
    "priority",
    "due_key",
    "due_local",
    "all_day",
    "time_zone",
    "duration_minutes",
    "remind_before_minutes",
    "remind_at",
    "recurrence",
    "series_id",
    "occurrence",
    "company_id",
    "person_id",
    "related_kind",
    "related_id",
    "completed_at",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: Uuid,
    title: String,
    description: Option<String>,
    assignee_id: Uuid,
    status: String,
    priority: String,
    due_local: Option<String>,
    all_day: bool,
    time_zone: String,
    duration_minutes: Option<i32>,
    remind_before_minutes: Option<i32>,
    recurrence: Option<String>,
    series_id: Option<Uuid>,
    occurrence: i32,
    company_id: Option<Uuid>,
    person_id: Option<Uuid>,
    related_kind: Option<String>,
    related_id: Option<Uuid>,
    completed_at: Option<OffsetDateTime>,
    version: i64,
    created_at: OffsetDateTime,
    created_by: Option<Uuid>,
    updated_at: OffsetDateTime,
    updated_by: Option<Uuid>,
}

/// A task to insert.
#[derive(Debug, Clone, Copy)]
pub struct NewTask<'a> {
    pub id: Uuid,
    pub fields: &'a TaskFields,
    pub series_id: Option<Uuid>,
    pub occurrence: u32,
}

fn field_values(ex: &impl Exec, fields: &TaskFields) -> Vec<(&'static str, sea_query::Value)> {
    let (due_local, all_day) = match fields.due {
        Some(Due::At(local)) => (Some(rapport_core::tasks::format_local(local)), false),
        Some(Due::Date(day)) => (Some(rapport_core::tasks::format_date(day)), true),
        None => (None, false),
    };
    let remind_at = match fields.remind_at() {
        Some(at) => ex.ts(at),
        None => Option::<OffsetDateTime>::None.into(),
    };
    let (related_kind, related_id) = match &fields.related {
        Some(r) => (Some(r.kind.clone()), Some(r.id)),
        None => (None, None),
    };
    vec![
        ("title", fields.title.clone().into()),
        ("description", fields.description.clone().into()),
        ("assignee_id", fields.assignee_id.into()),
        ("status", fields.status.as_str().into()),
        ("priority", fields.priority.as_str().into()),
        ("due_key", ex.ts(fields.due_key())),
        ("due_local", due_local.into()),
        ("all_day", all_day.into()),
        ("time_zone", fields.time_zone.name().into()),
        ("duration_minutes", fields.duration_minutes.map(|m| m as i32).into()),
        ("remind_before_minutes", fields.remind_before_minutes.map(|m| m as i32).into()),
        ("remind_at", remind_at),
        ("recurrence", fields.recurrence.as_ref().map(RRule::to_string).into()),
        ("company_id", fields.company_id.into()),
        ("person_id", fields.person_id.into()),
        ("related_kind", related_kind.into()),
        ("related_id", related_id.into()),
    ]
}

/// Inserts tasks with their watchers in a few multi-row statements: the bulk path.
pub async fn insert_many(
    ex: &mut impl Exec,
    tasks: &[NewTask<'_>],
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<()> {
    for chunk in tasks.chunks(CHUNK / 2) {
        let mut insert = Query::insert();
        insert.into_table("tasks");
        for (i, task) in chunk.iter().enumerate() {
            let mut values = field_values(ex, task.fields);
            let completed =
                if task.fields.status == TaskStatus::Done { ex.ts(at) } else { Option::<OffsetDateTime>::None.into() };
            values.extend([
                ("id", task.id.into()),
                ("series_id", task.series_id.into()),
                ("occurrence", (task.occurrence as i32).into()),
                ("completed_at", completed),
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
    let watchers: Vec<(Uuid, Uuid)> =
        tasks.iter().flat_map(|t| t.fields.watchers.iter().map(move |w| (t.id, *w))).collect();
    insert_watchers(ex, &watchers).await
}

async fn insert_watchers(ex: &mut impl Exec, pairs: &[(Uuid, Uuid)]) -> Result<()> {
    for chunk in pairs.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table("task_watchers").columns(["task_id", "user_id"]);
        for (task, user) in chunk {
            insert.values_panic([(*task).into(), (*user).into()]);
        }
        ex.execute(&insert).await?;
    }
    Ok(())
}

/// Saves new fields if the task is still at `version`; false when someone else saved
/// first. `completed_at` is set when the task is done and cleared when it is not.
pub async fn update(
    ex: &mut impl Exec,
    current: &Task,
    fields: &TaskFields,
    actor: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<bool> {
    let mut values = field_values(ex, fields);
    let completed = match (fields.status, current.completed_at) {
        (TaskStatus::Done, Some(done)) => ex.ts(done),
        (TaskStatus::Done, None) => ex.ts(at),
        _ => Option::<OffsetDateTime>::None.into(),
    };
    values.push(("completed_at", completed));
    if !crate::records::save_version(ex, "tasks", current.id, current.version, values, actor, at).await? {
        return Ok(false);
    }
    // A reminder already delivered for this very instant is not armed again by an edit
    // that leaves it where it was.
    ex.execute(
        Query::update()
            .table("tasks")
            .value("remind_at", Option::<OffsetDateTime>::None)
            .and_where(Expr::col("id").eq(current.id))
            .and_where(Expr::col("remind_at").equals("reminded_for")),
    )
    .await?;
    if fields.watchers != current.fields.watchers {
        ex.execute(Query::delete().from_table("task_watchers").and_where(Expr::col("task_id").eq(current.id))).await?;
        let pairs: Vec<_> = fields.watchers.iter().map(|w| (current.id, *w)).collect();
        insert_watchers(ex, &pairs).await?;
    }
    Ok(true)
}

pub async fn delete(ex: &mut impl Exec, id: Uuid) -> Result<()> {
    ex.execute(Query::delete().from_table("task_watchers").and_where(Expr::col("task_id").eq(id))).await?;
    ex.execute(Query::delete().from_table("tasks").and_where(Expr::col("id").eq(id))).await?;
    Ok(())
}

fn select() -> SelectStatement {
    let mut select = Query::select();
    select.columns(COLUMNS.iter().map(|c| ("tasks", *c))).from("tasks");
    select
}

pub async fn get(ex: &mut impl Exec, id: Uuid) -> Result<Option<Task>> {
    let rows: Vec<TaskRow> = ex.fetch_all(select().and_where(Expr::col(("tasks", "id")).eq(id))).await?;
    Ok(assemble(ex, rows).await?.pop())
}

/// Whether the series already has its `occurrence`-th task (so completing one twice
/// makes the next one once).
pub async fn occurrence_exists(ex: &mut impl Exec, series_id: Uuid, occurrence: u32) -> Result<bool> {
    let row: Option<(Uuid,)> = ex
        .fetch_optional(
            Query::select()
                .column("id")
                .from("tasks")
                .and_where(Expr::col("series_id").eq(series_id))
                .and_where(Expr::col("occurrence").eq(occurrence as i32))
                .limit(1),
        )
        .await?;
    Ok(row.is_some())
}

/// Who may see which tasks, as a predicate the list query carries.
#[derive(Debug, Clone, Default)]
pub struct TaskVisibility {
    /// Every task (an administrator).
    pub all: bool,
    /// The user's own: assigned to them, created by them or watched by them.
    pub user_id: Option<Uuid>,
    /// Tasks assigned to these users (their team's, for a manager).
    pub assignees: Vec<Uuid>,
    /// Tasks about companies and people these rules let the user see.
    pub companies: Option<Visibility>,
    pub people: Option<Visibility>,
}

fn record_visible(table: &'static str, column: &'static str, visibility: &Visibility) -> Expr {
    let mut select = Query::select();
    select.expr(Expr::val(1)).from(table).and_where(Expr::col((table, "id")).equals(("tasks", column)));
    if let Some(condition) = visibility.condition(table) {
        select.and_where(condition);
    }
    if let (Some(max), "companies") = (visibility.max_security, table) {
        select.and_where(Expr::col((table, "security_level")).lte(i32::from(max)));
    }
    Expr::exists(select.take())
}

impl TaskVisibility {
    fn condition(&self) -> Option<Expr> {
        if self.all {
            return None;
        }
        let me = self.user_id.unwrap_or_else(Uuid::nil);
        let watched = Query::select()
            .expr(Expr::val(1))
            .from("task_watchers")
            .and_where(Expr::col(("task_watchers", "task_id")).equals(("tasks", "id")))
            .and_where(Expr::col(("task_watchers", "user_id")).eq(me))
            .take();
        let mut visible = Expr::col(("tasks", "assignee_id"))
            .eq(me)
            .or(Expr::col(("tasks", "created_by")).eq(me))
            .or(Expr::exists(watched));
        if !self.assignees.is_empty() {
            visible = visible.or(Expr::col(("tasks", "assignee_id")).is_in(self.assignees.iter().copied()));
        }
        if let Some(companies) = &self.companies {
            visible = visible.or(record_visible("companies", "company_id", companies));
        }
        if let Some(people) = &self.people {
            visible = visible.or(record_visible("people", "person_id", people));
        }
        Some(visible)
    }
}

/// Which tasks a list or calendar shows. Empty filters match everything visible.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub visibility: TaskVisibility,
    pub assignees: Option<Vec<Uuid>>,
    pub statuses: Vec<TaskStatus>,
    pub created_by: Option<Uuid>,
    pub watcher: Option<Uuid>,
    pub company_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub related: Option<(String, Uuid)>,
    /// Due at or after this instant.
    pub due_from: Option<OffsetDateTime>,
    /// Due before this instant.
    pub due_before: Option<OffsetDateTime>,
    /// Overdue at this instant: a timed task once its time has passed, a date-only one
    /// once its whole day has (its key is the start of the day in its own zone).
    pub overdue_at: Option<OffsetDateTime>,
}

fn filtered(ex: &impl Exec, filter: &TaskFilter) -> SelectStatement {
    let mut select = select();
    let col = |c: &'static str| Expr::col(("tasks", c));
    if let Some(visible) = filter.visibility.condition() {
        select.and_where(visible);
    }
    match filter.assignees.as_deref() {
        Some([one]) => {
            select.and_where(col("assignee_id").eq(*one));
        }
        Some(many) => {
            select.and_where(col("assignee_id").is_in(many.iter().copied()));
        }
        None => {}
    }
    match filter.statuses.as_slice() {
        [] => {}
        [one] => {
            select.and_where(col("status").eq(one.as_str()));
        }
        many => {
            select.and_where(col("status").is_in(many.iter().map(|s| s.as_str())));
        }
    }
    if let Some(creator) = filter.created_by {
        select.and_where(col("created_by").eq(creator));
    }
    if let Some(watcher) = filter.watcher {
        let watched =
            Query::select().column("task_id").from("task_watchers").and_where(Expr::col("user_id").eq(watcher)).take();
        select.and_where(col("id").in_subquery(watched));
    }
    for (column, value) in [("company_id", filter.company_id), ("person_id", filter.person_id)] {
        if let Some(id) = value {
            select.and_where(col(column).eq(id));
        }
    }
    if let Some((kind, id)) = &filter.related {
        select.and_where(col("related_kind").eq(kind.clone())).and_where(col("related_id").eq(*id));
    }
    if let Some(from) = filter.due_from {
        select.and_where(col("due_key").gte(Expr::val(ex.ts(from))));
    }
    if let Some(before) = filter.due_before {
        select.and_where(col("due_key").lt(Expr::val(ex.ts(before))));
    }
    if let Some(at) = filter.overdue_at {
        let timed = col("all_day").eq(false).and(col("due_key").lt(Expr::val(ex.ts(at))));
        let whole_day = col("all_day").eq(true).and(col("due_key").lte(Expr::val(ex.ts(at - Duration::days(1)))));
        select.and_where(col("due_key").lt(Expr::val(ex.ts(at)))).and_where(timed.or(whole_day));
    }
    select
}

/// A page of tasks by due time (undated last), keyset-paged on (`due_key`, id).
pub async fn list(ex: &mut impl Exec, filter: &TaskFilter, page: &Page) -> Result<(Vec<Task>, bool)> {
    let mut select = filtered(ex, filter);
    listing::apply(ex, "tasks", page, &mut select);
    let rows: Vec<TaskRow> = ex.fetch_all(&select).await?;
    let (rows, more) = listing::split(rows, page.limit);
    Ok((assemble(ex, rows).await?, more))
}

/// The busy time of a user's open timed tasks that may overlap `from`..`to` (a task
/// lasts at most a day, so those due up to a day before `from` are read too).
pub async fn busy(
    ex: &mut impl Exec,
    assignee: Uuid,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<Interval>> {
    let filter = TaskFilter {
        visibility: TaskVisibility { all: true, ..Default::default() },
        assignees: Some(vec![assignee]),
        statuses: vec![TaskStatus::Open, TaskStatus::InProgress],
        due_from: Some(from - Duration::days(1)),
        due_before: Some(to),
        ..Default::default()
    };
    let mut select = filtered(ex, &filter);
    select.and_where(Expr::col(("tasks", "all_day")).eq(false)).order_by(("tasks", "due_key"), Order::Asc).limit(5000);
    let rows: Vec<TaskRow> = ex.fetch_all(&select).await?;
    let tasks = assemble_fields(rows)?;
    Ok(tasks
        .iter()
        .filter_map(|(_, fields)| fields.busy())
        .map(|(start, end)| Interval { start, end })
        .filter(|i| i.end > from)
        .collect())
}

/// Tasks whose reminder falls in `after`..=`until`, in reminder order: one range of the
/// `tasks_remind` index, for the job that sends reminders.
pub async fn reminders_due(
    ex: &mut impl Exec,
    after: Option<(OffsetDateTime, Uuid)>,
    until: OffsetDateTime,
    limit: u64,
) -> Result<Vec<Task>> {
    let mut select = select();
    let key = Expr::tuple([Expr::col(("tasks", "remind_at")), Expr::col(("tasks", "id"))]);
    if let Some((at, id)) = after {
        select.and_where(key.gt(Expr::tuple([Expr::val(ex.ts(at)), Expr::val(id)])));
    } else {
        select.and_where(Expr::col(("tasks", "remind_at")).is_not_null());
    }
    select
        .and_where(Expr::col(("tasks", "remind_at")).lte(Expr::val(ex.ts(until))))
        .order_by(("tasks", "remind_at"), Order::Asc)
        .order_by(("tasks", "id"), Order::Asc)
        .limit(limit);
    let rows: Vec<TaskRow> = ex.fetch_all(&select).await?;
    assemble(ex, rows).await
}

/// Takes the due reminders of `ids` for delivery: clears their `remind_at` (keeping it in
/// `reminded_for`) where it is still set and due at `now`, and returns the ids it took.
/// Two workers that read the same due tasks split them: on PostgreSQL rows another
/// transaction holds are skipped (it delivers them, or they are due again if it fails),
/// and a row already taken no longer matches; SQLite has one writer.
pub async fn take_reminders(ex: &mut impl Exec, ids: &[Uuid], now: OffsetDateTime) -> Result<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let free = Query::select()
        .column("id")
        .from("tasks")
        .and_where(Expr::col("id").is_in(ids.iter().copied()))
        .and_where(Expr::col("remind_at").is_not_null())
        .and_where(Expr::col("remind_at").lte(Expr::val(ex.ts(now))))
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .take();
    let taken: Vec<(Uuid,)> = ex
        .fetch_all(
            &Query::update()
                .table("tasks")
                .values([
                    ("reminded_for", Expr::col("remind_at")),
                    ("remind_at", Expr::val(Option::<OffsetDateTime>::None)),
                ])
                .and_where(Expr::col("id").in_subquery(free))
                .returning(Query::returning().column("id"))
                .take(),
        )
        .await?;
    Ok(taken.into_iter().map(|(id,)| id).collect())
}

/// Tasks of a company or person (at most 50 of each), which keep it from being deleted.
pub async fn about(ex: &mut impl Exec, column: &'static str, id: Uuid) -> Result<Vec<(Uuid, String)>> {
    ex.fetch_all(Query::select().columns(["id", "title"]).from("tasks").and_where(Expr::col(column).eq(id)).limit(50))
        .await
}

fn assemble_fields(rows: Vec<TaskRow>) -> Result<Vec<(TaskRow, TaskFields)>> {
    rows.into_iter()
        .map(|row| {
            let corrupt = |what: &str| StoreError::Corrupt(format!("task {} {what}", row.id));
            let status = TaskStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?;
            let priority = Priority::parse(&row.priority).ok_or_else(|| corrupt("priority"))?;
            let time_zone = Zone::parse(&row.time_zone).map_err(|_| corrupt("time zone"))?;
            let due = match (&row.due_local, row.all_day) {
                (None, _) => None,
                (Some(text), true) => {
                    Some(Due::Date(rapport_core::tasks::parse_date(text).ok_or_else(|| corrupt("due date"))?))
                }
                (Some(text), false) => {
                    Some(Due::At(rapport_core::tasks::parse_local(text).ok_or_else(|| corrupt("due time"))?))
                }
            };
            let recurrence = match &row.recurrence {
                Some(text) => Some(RRule::parse(text).map_err(|_| corrupt("recurrence"))?),
                None => None,
            };
            let related = match (&row.related_kind, row.related_id) {
                (Some(kind), Some(id)) => Some(Related { kind: kind.clone(), id }),
                _ => None,
            };
            let fields = TaskFields {
                title: row.title.clone(),
                description: row.description.clone(),
                assignee_id: Some(row.assignee_id),
                status,
                priority,
                due,
                time_zone,
                duration_minutes: row.duration_minutes.map(|m| Ord::max(m, 0) as u32),
                remind_before_minutes: row.remind_before_minutes.map(|m| Ord::max(m, 0) as u32),
                recurrence,
                company_id: row.company_id,
                person_id: row.person_id,
                related,
                watchers: Vec::new(),
            };
            Ok((row, fields))
        })
        .collect()
}

async fn assemble(ex: &mut impl Exec, rows: Vec<TaskRow>) -> Result<Vec<Task>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut watchers: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if !ids.is_empty() {
        let pairs: Vec<(Uuid, Uuid)> = ex
            .fetch_all(
                Query::select()
                    .columns(["task_id", "user_id"])
                    .from("task_watchers")
                    .and_where(Expr::col("task_id").is_in(ids))
                    .order_by("user_id", Order::Asc),
            )
            .await?;
        for (task, user) in pairs {
            watchers.entry(task).or_default().push(user);
        }
    }
    Ok(assemble_fields(rows)?
        .into_iter()
        .map(|(row, mut fields)| {
            fields.watchers = watchers.remove(&row.id).unwrap_or_default();
            fields.watchers.sort();
            Task {
                id: row.id,
                fields,
                series_id: row.series_id,
                occurrence: Ord::max(row.occurrence, 1) as u32,
                completed_at: row.completed_at,
                version: row.version,
                created_at: row.created_at,
                created_by: row.created_by,
                updated_at: row.updated_at,
                updated_by: row.updated_by,
            }
        })
        .collect())
}

/// The key a list pages by, for building its cursor.
pub fn due_key(task: &Task) -> OffsetDateTime {
    task.fields.due_instant().unwrap_or(UNDATED_KEY)
}
