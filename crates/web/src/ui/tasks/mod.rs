//! `/tasks`: the task list (mine, my team's, watched, created; by status and due date,
//! overdue ones marked), a task's page with its history, quick status changes, and the
//! rows the "my day" page, the calendar and the cards' Tasks panel share.

mod form;
mod my_day;

pub use form::{create, edit_form, new_form, update};
pub use my_day::page as my_day;

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::{App, sessions, tasks};
use rapport_core::tasks::repeat::{Ends, MonthlyBy, Repeat};
use rapport_core::tasks::rrule::Freq;
use rapport_core::tasks::{Due, Task, TaskStatus};
use rapport_core::zone::Zone;
use serde_json::json;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::card::HistoryItem;
use super::companies::parse_id;
use super::context::{FormData, Viewer};
use super::i18n::L;
use super::layout::{Shell, UiError, l, query, safe_next};
use super::list::{self, Paging, SelectOption, param};
use crate::AppState;

/// A task as a line of a list.
pub struct Row {
    pub id: String,
    pub title: String,
    pub due: String,
    pub assignee: String,
    pub priority: String,
    pub priority_key: &'static str,
    pub status: String,
    pub overdue: bool,
    pub open: bool,
    pub recurring: bool,
}

/// When a task is due, for a person in `viewer_zone`: the wall-clock time in the task's
/// own zone, with the zone named when it is not the viewer's.
pub fn due_text(l: &L, task: &Task, viewer_zone: &Zone) -> String {
    match task.fields.due {
        Some(Due::At(local)) if task.fields.time_zone == *viewer_zone => l.local(local),
        Some(Due::At(local)) => format!("{} ({})", l.local(local), task.fields.time_zone.name()),
        Some(Due::Date(day)) => l.date(day),
        None => l.t("task-no-due"),
    }
}

pub fn row(l: &L, names: &HashMap<Uuid, String>, zone: &Zone, task: &Task, now: OffsetDateTime) -> Row {
    let f = &task.fields;
    Row {
        id: task.id.to_string(),
        due: due_text(l, task, zone),
        assignee: f.assignee_id.and_then(|a| names.get(&a).cloned()).unwrap_or_default(),
        priority: l.t(&format!("task-priority-{}", f.priority.as_str())),
        priority_key: f.priority.as_str(),
        status: l.t(&format!("task-status-{}", f.status.as_str())),
        overdue: task.is_overdue(now),
        open: f.status.is_open(),
        recurring: f.recurrence.is_some(),
        title: f.title.clone(),
    }
}

/// The viewer's zone and everyone's names: what every list of tasks needs.
pub async fn context(app: &App, viewer: &Viewer) -> Result<(Zone, HashMap<Uuid, String>), UiError> {
    let zone = match viewer.actor().user_id {
        Some(me) => tasks::default_zone(app, me).await?,
        None => Zone::utc(),
    };
    let names = sessions::user_names(app).await?.into_iter().collect();
    Ok((zone, names))
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks.html")]
struct ListPage {
    shell: Shell,
    l: L,
    rows: Vec<Row>,
    scopes: Vec<SelectOption>,
    statuses: Vec<SelectOption>,
    dues: Vec<SelectOption>,
    paging: Paging,
    back: String,
    no_errors: super::forms::FieldErrors,
}

fn choices(l: &L, prefix: &str, keys: &[&str], current: &str) -> Vec<SelectOption> {
    keys.iter()
        .map(|k| SelectOption { value: k.to_string(), label: l.t(&format!("{prefix}-{k}")), selected: *k == current })
        .collect()
}

/// The list's own filters (`scope`, `state`, `due`) as the use case's parameters.
fn use_case_params(pairs: &[(String, String)], zone: &Zone) -> (Vec<(String, String)>, [String; 3]) {
    let or = |name: &str, default: &str| match param(pairs, name) {
        "" => default.to_string(),
        value => value.to_string(),
    };
    let (scope, state, due) = (or("scope", "mine"), or("state", "open"), or("due", "any"));
    let mut params = vec![("scope".to_string(), scope.clone())];
    match state.as_str() {
        "open" => params.push(("status".into(), "open,in_progress".into())),
        "done" => params.push(("status".into(), "done".into())),
        "cancelled" => params.push(("status".into(), "cancelled".into())),
        _ => {}
    }
    let today = zone.local(OffsetDateTime::now_utc()).date();
    match due.as_str() {
        "overdue" => params.push(("overdue".into(), "true".into())),
        "today" => params.extend([("due_from".into(), today.to_string()), ("due_to".into(), today.to_string())]),
        "week" => params.extend([
            ("due_from".into(), today.to_string()),
            ("due_to".into(), (today + Duration::days(6)).to_string()),
        ]),
        _ => {}
    }
    let cursor = param(pairs, "cursor");
    if !cursor.is_empty() {
        params.push(("cursor".into(), cursor.into()));
    }
    (params, [scope, state, due])
}

pub async fn list(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Result<Response, UiError> {
    let app = &state.app;
    let l = l(&viewer.ctx);
    let pairs = list::parse_query(raw.as_deref());
    let (zone, names) = context(app, &viewer).await?;
    let (params, [scope, status, due]) = use_case_params(&pairs, &zone);
    let listed = tasks::list(app, viewer.actor(), params).await?;
    let now = OffsetDateTime::now_utc();
    let page = ListPage {
        shell: Shell::new(&viewer.ctx, l.t("tasks-title"), "tasks"),
        rows: listed.items.iter().map(|t| row(&l, &names, &zone, t, now)).collect(),
        scopes: choices(&l, "tasks-scope", &["mine", "team", "watching", "created", "all"], &scope),
        statuses: choices(&l, "tasks-state", &["open", "done", "cancelled", "any"], &status),
        dues: choices(&l, "tasks-due", &["any", "overdue", "today", "week"], &due),
        paging: list::paging("/tasks", &pairs, listed.next_cursor.as_deref()),
        back: viewer.ctx.here.clone(),
        no_errors: Default::default(),
        l,
    };
    Ok(page.into_response())
}

/// How a rule reads, from the choices that make it when it has them.
pub fn describe_rule(l: &L, task: &Task) -> String {
    let Some(rule) = &task.fields.recurrence else { return String::new() };
    let due = task.fields.due_local().map(|d| d.date());
    let Some(repeat) = due.and_then(|d| Repeat::from_rule(rule, d)) else { return rule.to_string() };
    let every = match (repeat.freq, repeat.interval) {
        (freq, 1) => l.t(&format!("repeat-every-{}", freq.as_str().to_lowercase())),
        (freq, n) => {
            format!("{} {n} {}", l.t("repeat-every"), l.t(&format!("repeat-unit-{}", freq.as_str().to_lowercase())))
        }
    };
    let mut text = every;
    if repeat.freq == Freq::Weekly && !repeat.weekdays.is_empty() {
        let days: Vec<String> = repeat.weekdays.iter().map(|d| l.weekday(*d)).collect();
        text = format!("{text}: {}", days.join(", "));
    }
    if repeat.freq == Freq::Monthly && repeat.monthly == MonthlyBy::Weekday {
        text = format!("{text}, {}", l.t("repeat-monthly-weekday"));
    }
    match repeat.ends {
        Ends::Never => text,
        Ends::After(n) => format!("{text}, {}", l.count("repeat-times", n as usize)),
        Ends::On(day) => format!("{text}, {} {}", l.t("repeat-until"), l.date(day)),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "task.html")]
struct TaskPage {
    shell: Shell,
    l: L,
    id: String,
    title: String,
    description: String,
    facts: Vec<super::card::Line>,
    open: bool,
    overdue: bool,
    may_change: bool,
    status_key: &'static str,
    history: Vec<HistoryItem>,
    notice: String,
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let app = &state.app;
    let id = parse_id(&id)?;
    let l = l(&viewer.ctx);
    let actor = viewer.actor();
    let task = tasks::get(app, actor, id).await?;
    let (zone, names) = context(app, &viewer).await?;
    let history = tasks::history(app, actor, id).await?;
    let f = &task.fields;
    let name = |id: Option<Uuid>| id.and_then(|i| names.get(&i).cloned()).unwrap_or_default();
    let company = match f.company_id {
        Some(c) => super::people::company_name(&state, &viewer, &c.to_string()).await?.unwrap_or_default(),
        None => String::new(),
    };
    let person = match f.person_id {
        Some(p) => match rapport_app::people::get(app, actor, p).await {
            Ok(found) => found.full_name.clone(),
            Err(rapport_app::AppError::NotFound) => String::new(),
            Err(other) => return Err(other.into()),
        },
        None => String::new(),
    };
    let fact = |key: &str, value: String| super::card::Line { label: l.t(key), value };
    let watchers: Vec<String> = f.watchers.iter().filter_map(|w| names.get(w).cloned()).collect();
    let facts: Vec<_> = vec![
        fact("task-field-due", due_text(&l, &task, &zone)),
        fact("task-field-assignee", name(f.assignee_id)),
        fact("task-field-status", l.t(&format!("task-status-{}", f.status.as_str()))),
        fact("task-field-priority", l.t(&format!("task-priority-{}", f.priority.as_str()))),
        fact("task-field-repeat", describe_rule(&l, &task)),
        fact(
            "task-field-remind",
            f.remind_before_minutes.map(|m| l.count("task-remind-minutes", m as usize)).unwrap_or_default(),
        ),
        fact(
            "task-field-duration",
            f.duration_minutes.map(|m| l.count("task-minutes", m as usize)).unwrap_or_default(),
        ),
        fact("task-field-company", company),
        fact("task-field-person", person),
        fact("task-field-watchers", watchers.join(", ")),
        fact("task-field-created-by", name(task.created_by)),
    ]
    .into_iter()
    .filter(|f| !f.value.is_empty())
    .collect();
    let history = super::card::history_items(&l, &history);
    let pairs = list::parse_query(raw.as_deref());
    let notice = match param(&pairs, "done") {
        "next" => l.t("task-next-made"),
        _ => String::new(),
    };
    let page = TaskPage {
        shell: Shell::new(&viewer.ctx, f.title.clone(), "tasks"),
        id: id.to_string(),
        title: f.title.clone(),
        description: f.description.clone().unwrap_or_default(),
        facts,
        open: f.status.is_open(),
        overdue: task.is_overdue(OffsetDateTime::now_utc()),
        may_change: tasks::may_change(app, actor, &task).await?,
        status_key: f.status.as_str(),
        history,
        notice,
        l,
    };
    Ok(page.into_response())
}

/// `POST /tasks/{id}/status`: done, started, reopened or cancelled from a list or the
/// task's page; back to where it was pressed (to the next occurrence's page when
/// completing made one and the task's own page was where).
pub async fn set_status(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let id = parse_id(&id)?;
    let status = TaskStatus::parse(form.get("status")).ok_or_else(UiError::not_found)?;
    let updated = tasks::update(&state.app, viewer.actor(), id, json!({"status": status.as_str()}), None).await?;
    let back = safe_next(form.get("back"));
    let to = match &updated.next {
        Some(next) if back.starts_with(&format!("/tasks/{id}")) => {
            format!("/tasks/{}?{}", next.id, query(&[("done", "next")]))
        }
        _ => back.to_string(),
    };
    Ok(Redirect::to(&to).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    tasks::delete(&state.app, viewer.actor(), parse_id(&id)?).await?;
    Ok(Redirect::to("/tasks").into_response())
}

/// A card's "Tasks" panel: the record's open tasks first, then the latest others.
#[derive(Default)]
pub struct Panel {
    pub rows: Vec<Row>,
    pub new_task: String,
}

pub async fn panel(app: &App, viewer: &Viewer, l: &L, field: &str, id: Uuid) -> Result<Panel, UiError> {
    let card = if field == "person_id" { "person" } else { "company" };
    if !super::panels::shown(&viewer.session, card).iter().any(|k| k == "tasks") {
        return Ok(Panel::default());
    }
    let (zone, names) = context(app, viewer).await?;
    let params = vec![
        (field.to_string(), id.to_string()),
        ("status".into(), "open,in_progress".into()),
        ("limit".into(), "20".into()),
    ];
    let listed = tasks::list(app, viewer.actor(), params).await?;
    let now = OffsetDateTime::now_utc();
    Ok(Panel {
        rows: listed.items.iter().map(|t| row(l, &names, &zone, t, now)).collect(),
        new_task: format!("/tasks/new?{}", query(&[(field, &id.to_string())])),
    })
}
