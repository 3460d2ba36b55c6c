//! The task form (`/tasks/new`, `/tasks/{id}/edit`): recurrence chosen with plain
//! controls (how often, every how many, which weekdays, how it ends) that become an
//! RFC 5545 rule, and, for a new task, the choice to place it in the assignee's next
//! free slot. A refused form comes back as it was typed, with a message at each field.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rapport_app::{AppError, tasks};
use rapport_core::tasks::repeat::{Ends, MonthlyBy, Repeat};
use rapport_core::tasks::rrule::{Freq, WEEKDAY_CODES};
use rapport_core::tasks::{Due, Task, parse_date};
use rapport_core::zone::Zone;
use serde_json::{Value, json};
use uuid::Uuid;

use super::super::companies::parse_id;
use super::super::context::{FormData, Viewer};
use super::super::forms::FieldErrors;
use super::super::i18n::L;
use super::super::layout::{Shell, UiError, l};
use super::super::list::{self, SelectOption, param};
use crate::AppState;

pub struct Check {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "task_form.html")]
struct FormPage {
    shell: Shell,
    l: L,
    action: String,
    editing: bool,
    version: String,
    title: String,
    description: String,
    assignees: Vec<SelectOption>,
    priorities: Vec<SelectOption>,
    statuses: Vec<SelectOption>,
    due_date: String,
    due_time: String,
    zones: Vec<SelectOption>,
    duration: String,
    reminders: Vec<SelectOption>,
    repeats: Vec<SelectOption>,
    interval: String,
    weekdays: Vec<Check>,
    monthly: Vec<SelectOption>,
    ends: Vec<SelectOption>,
    count: String,
    until: String,
    custom_rule: String,
    watchers: Vec<Check>,
    company_id: String,
    person_id: String,
    about: String,
    schedule: bool,
    cancel: String,
    errors: FieldErrors,
    conflict: bool,
}

/// Reminder choices, in minutes ahead.
const REMINDERS: [u32; 7] = [0, 5, 15, 30, 60, 120, 1440];

fn select(values: Vec<(String, String)>, current: &str) -> Vec<SelectOption> {
    values.into_iter().map(|(value, label)| SelectOption { selected: value == current, value, label }).collect()
}

/// The form's values of a stored task.
fn from_task(task: &Task) -> FormData {
    let f = &task.fields;
    let mut pairs: Vec<(String, String)> = vec![
        ("title".into(), f.title.clone()),
        ("description".into(), f.description.clone().unwrap_or_default()),
        ("assignee_id".into(), f.assignee_id.map(|a| a.to_string()).unwrap_or_default()),
        ("priority".into(), f.priority.as_str().into()),
        ("status".into(), f.status.as_str().into()),
        ("time_zone".into(), f.time_zone.name().into()),
        ("duration_minutes".into(), f.duration_minutes.map(|m| m.to_string()).unwrap_or_default()),
        ("remind_before_minutes".into(), f.remind_before_minutes.map(|m| m.to_string()).unwrap_or_default()),
        ("company_id".into(), f.company_id.map(|c| c.to_string()).unwrap_or_default()),
        ("person_id".into(), f.person_id.map(|p| p.to_string()).unwrap_or_default()),
        ("version".into(), task.version.to_string()),
    ];
    match f.due {
        Some(Due::At(local)) => {
            pairs.push(("due_date".into(), local.date().to_string()));
            pairs.push(("due_time".into(), format!("{:02}:{:02}", local.hour(), local.minute())));
        }
        Some(Due::Date(day)) => pairs.push(("due_date".into(), day.to_string())),
        None => {}
    }
    if let (Some(rule), Some(local)) = (&f.recurrence, f.due_local()) {
        match Repeat::from_rule(rule, local.date()) {
            Some(repeat) => {
                pairs.push(("repeat".into(), repeat.freq.as_str().to_lowercase()));
                pairs.push(("repeat_interval".into(), repeat.interval.to_string()));
                for day in &repeat.weekdays {
                    pairs.push(("repeat_day".into(), rapport_core::tasks::rrule::weekday_code(*day).into()));
                }
                let monthly = if repeat.monthly == MonthlyBy::Weekday { "weekday" } else { "day" };
                pairs.push(("repeat_monthly".into(), monthly.into()));
                match repeat.ends {
                    Ends::Never => pairs.push(("repeat_end".into(), "never".into())),
                    Ends::After(n) => {
                        pairs.extend([("repeat_end".into(), "count".into()), ("repeat_count".into(), n.to_string())])
                    }
                    Ends::On(day) => {
                        pairs.extend([("repeat_end".into(), "until".into()), ("repeat_until".into(), day.to_string())])
                    }
                }
            }
            None => pairs.extend([("repeat".into(), "custom".into()), ("recurrence".into(), rule.to_string())]),
        }
    }
    pairs.extend(f.watchers.iter().map(|w| ("watchers".to_string(), w.to_string())));
    FormData(pairs)
}

async fn render(
    state: &AppState,
    viewer: &Viewer,
    values: &FormData,
    task: Option<&Task>,
    errors: FieldErrors,
    conflict: bool,
) -> Result<FormPage, UiError> {
    let app = &state.app;
    let l = l(&viewer.ctx);
    let get = |name: &str| values.get(name).to_string();
    let all =
        |name: &str| -> Vec<String> { values.0.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect() };
    let me = viewer.actor().user_id.map(|u| u.to_string()).unwrap_or_default();
    let people = tasks::assignable(app).await?;
    let assignee = match get("assignee_id") {
        a if a.is_empty() => me.clone(),
        a => a,
    };
    let default_zone = match Uuid::parse_str(&assignee) {
        Ok(user) => tasks::default_zone(app, user).await?,
        Err(_) => Zone::utc(),
    };
    let zone = match get("time_zone") {
        z if z.is_empty() => default_zone.name().to_string(),
        z => z,
    };
    let watching = all("watchers");
    let days = all("repeat_day");
    let about = match (get("company_id"), get("person_id")) {
        (c, _) if !c.is_empty() => super::super::people::company_name(state, viewer, &c).await?.unwrap_or_default(),
        (_, p) if !p.is_empty() => match Uuid::parse_str(&p) {
            Ok(id) => match rapport_app::people::get(app, viewer.actor(), id).await {
                Ok(person) => person.full_name.clone(),
                Err(AppError::NotFound) => String::new(),
                Err(other) => return Err(other.into()),
            },
            Err(_) => String::new(),
        },
        _ => String::new(),
    };
    let or = |name: &str, default: &str| match get(name) {
        x if x.is_empty() => default.to_string(),
        x => x,
    };
    let editing = task.is_some();
    let page = FormPage {
        shell: Shell::new(&viewer.ctx, l.t(if editing { "task-edit-title" } else { "task-new-title" }), "tasks"),
        action: task.map(|t| format!("/tasks/{}/edit", t.id)).unwrap_or_else(|| "/tasks".into()),
        editing,
        version: get("version"),
        title: get("title"),
        description: get("description"),
        assignees: select(people.iter().map(|(id, name)| (id.to_string(), name.clone())).collect(), &assignee),
        priorities: select(
            ["low", "normal", "high", "urgent"]
                .iter()
                .map(|p| (p.to_string(), l.t(&format!("task-priority-{p}"))))
                .collect(),
            &or("priority", "normal"),
        ),
        statuses: select(
            ["open", "in_progress", "done", "cancelled"]
                .iter()
                .map(|s| (s.to_string(), l.t(&format!("task-status-{s}"))))
                .collect(),
            &or("status", "open"),
        ),
        due_date: get("due_date"),
        due_time: get("due_time"),
        zones: select(Zone::names().into_iter().map(|z| (z.clone(), z)).collect(), &zone),
        duration: get("duration_minutes"),
        reminders: select(
            std::iter::once((String::new(), l.t("task-remind-none")))
                .chain(REMINDERS.iter().map(|m| (m.to_string(), l.count("task-remind-minutes", *m as usize))))
                .collect(),
            &get("remind_before_minutes"),
        ),
        repeats: {
            let mut keys = vec!["", "daily", "weekly", "monthly", "yearly"];
            if get("repeat") == "custom" {
                keys.push("custom");
            }
            select(
                keys.iter()
                    .map(|k| (k.to_string(), l.t(&format!("repeat-choice-{}", if k.is_empty() { "none" } else { k }))))
                    .collect(),
                &get("repeat"),
            )
        },
        interval: or("repeat_interval", "1"),
        weekdays: WEEKDAY_CODES
            .iter()
            .map(|(code, day)| Check {
                value: code.to_string(),
                label: l.weekday(*day),
                checked: days.iter().any(|d| d == code),
            })
            .collect(),
        monthly: select(
            vec![("day".into(), l.t("repeat-monthly-day")), ("weekday".into(), l.t("repeat-monthly-weekday"))],
            &or("repeat_monthly", "day"),
        ),
        ends: select(
            ["never", "count", "until"].iter().map(|e| (e.to_string(), l.t(&format!("repeat-end-{e}")))).collect(),
            &or("repeat_end", "never"),
        ),
        count: get("repeat_count"),
        until: get("repeat_until"),
        custom_rule: if get("repeat") == "custom" { get("recurrence") } else { String::new() },
        watchers: people
            .iter()
            .map(|(id, name)| Check {
                value: id.to_string(),
                label: name.clone(),
                checked: watching.contains(&id.to_string()),
            })
            .collect(),
        company_id: get("company_id"),
        person_id: get("person_id"),
        about,
        schedule: get("schedule") == "true",
        cancel: task.map(|t| format!("/tasks/{}", t.id)).unwrap_or_else(|| "/tasks".into()),
        errors,
        conflict,
        l,
    };
    Ok(page)
}

pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
    RawQuery(raw): RawQuery,
) -> Result<Response, UiError> {
    let pairs = list::parse_query(raw.as_deref());
    let mut values = Vec::new();
    for name in ["company_id", "person_id", "due_date"] {
        let value = param(&pairs, name);
        if !value.is_empty() {
            values.push((name.to_string(), value.to_string()));
        }
    }
    let page = render(&state, &viewer, &FormData(values), None, FieldErrors::default(), false).await?;
    Ok(page.into_response())
}

/// The API body a sent form stands for, or the messages of inputs the form itself can
/// tell are wrong.
fn body(form: &FormData, creating: bool) -> Result<Value, FieldErrors> {
    let text = |name: &str| form.get(name).trim().to_string();
    let id = |name: &str| Uuid::parse_str(form.get(name)).map(|u| json!(u)).unwrap_or(Value::Null);
    let number = |name: &str| match text(name) {
        t if t.is_empty() => Ok(Value::Null),
        t => t.parse::<i64>().map(|n| json!(n)).map_err(|_| name.to_string()),
    };
    let mut wrong: Vec<String> = Vec::new();
    let mut body = json!({
        "title": text("title"),
        "description": text("description"),
        "assignee_id": id("assignee_id"),
        "priority": text("priority"),
        "time_zone": text("time_zone"),
        "remind_before_minutes": number("remind_before_minutes").unwrap_or_else(|n| { wrong.push(n); Value::Null }),
        "duration_minutes": number("duration_minutes").unwrap_or_else(|n| { wrong.push(n); Value::Null }),
        "watchers": form.0.iter().filter(|(n, _)| n == "watchers").filter_map(|(_, v)| Uuid::parse_str(v).ok()).collect::<Vec<_>>(),
        "company_id": id("company_id"),
        "person_id": id("person_id"),
    });
    if !creating {
        body["status"] = json!(text("status"));
    }
    let (date, clock) = (text("due_date"), text("due_time"));
    let scheduled = creating && form.get("schedule") == "true";
    if scheduled {
        body["schedule"] = json!("next_free_slot");
    } else {
        body["due_at"] =
            if !date.is_empty() && !clock.is_empty() { json!(format!("{date}T{clock}")) } else { Value::Null };
        body["due_date"] = if !date.is_empty() && clock.is_empty() { json!(date) } else { Value::Null };
    }
    body["recurrence"] = match form.get("repeat") {
        "" => Value::Null,
        "custom" => json!(text("recurrence")),
        choice => {
            let freq = match choice {
                "daily" => Freq::Daily,
                "weekly" => Freq::Weekly,
                "monthly" => Freq::Monthly,
                _ => Freq::Yearly,
            };
            let interval = text("repeat_interval").parse::<u32>().ok().filter(|n| (1..=999).contains(n));
            if interval.is_none() {
                wrong.push("repeat_interval".into());
            }
            let ends = match form.get("repeat_end") {
                "count" => match text("repeat_count").parse::<u32>().ok().filter(|n| (1..=10_000).contains(n)) {
                    Some(n) => Ends::After(n),
                    None => {
                        wrong.push("repeat_count".into());
                        Ends::Never
                    }
                },
                "until" => match parse_date(&text("repeat_until")) {
                    Some(day) => Ends::On(day),
                    None => {
                        wrong.push("repeat_until".into());
                        Ends::Never
                    }
                },
                _ => Ends::Never,
            };
            let weekdays = form
                .0
                .iter()
                .filter(|(n, _)| n == "repeat_day")
                .filter_map(|(_, v)| WEEKDAY_CODES.iter().find(|(c, _)| c == v).map(|(_, d)| *d))
                .collect();
            let monthly =
                if form.get("repeat_monthly") == "weekday" { MonthlyBy::Weekday } else { MonthlyBy::DayOfMonth };
            let repeat = Repeat { freq, interval: interval.unwrap_or(1), weekdays, monthly, ends };
            // The rule's dates follow the due date; without one the use case says so.
            match parse_date(&date) {
                Some(due) => json!(repeat.to_rule(due).to_string()),
                None => json!(
                    Repeat { weekdays: vec![], ..repeat }.to_rule(time::macros::date!(2000 - 01 - 03)).to_string()
                ),
            }
        }
    };
    if wrong.is_empty() {
        Ok(body)
    } else {
        Err(FieldErrors { items: wrong.into_iter().map(|name| (name, String::new())).collect() })
    }
}

/// Messages for the form: the use case names `due_at`, `recurrence`, `watchers[2]`; the
/// form shows them at its date, repeat and watchers inputs.
fn messages(l: &L, errors: FieldErrors) -> FieldErrors {
    let items = errors
        .items
        .into_iter()
        .map(|(field, message)| {
            let base = field.split('[').next().unwrap_or(&field).to_string();
            let field = match base.as_str() {
                "due_at" => "due_date".to_string(),
                "recurrence" | "repeat_interval" | "repeat_count" | "repeat_until" => "repeat".to_string(),
                "schedule" => "schedule".to_string(),
                _ => base,
            };
            let message = if message.is_empty() { l.t("invalid-number") } else { message };
            (field, message)
        })
        .collect();
    FieldErrors { items }
}

async fn refused(
    state: &AppState,
    viewer: &Viewer,
    form: &FormData,
    task: Option<&Task>,
    error: AppError,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let (errors, conflict) = match error {
        AppError::Stale { .. } => (FieldErrors::default(), true),
        other => (messages(&l, super::super::forms::field_errors(&l, other)?), false),
    };
    let page = render(state, viewer, form, task, errors, conflict).await?;
    let status = if conflict { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, page).into_response())
}

pub async fn create(State(state): State<AppState>, viewer: Viewer, form: FormData) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let body = match body(&form, true) {
        Ok(body) => body,
        Err(wrong) => {
            let page = render(&state, &viewer, &form, None, messages(&l, wrong), false).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match tasks::create(&state.app, viewer.actor(), body).await {
        Ok(task) => Ok(Redirect::to(&format!("/tasks/{}", task.id)).into_response()),
        Err(error) => refused(&state, &viewer, &form, None, error).await,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, UiError> {
    let task = tasks::get(&state.app, viewer.actor(), parse_id(&id)?).await?;
    let page = render(&state, &viewer, &from_task(&task), Some(&task), FieldErrors::default(), false).await?;
    Ok(page.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let task = tasks::get(&state.app, viewer.actor(), parse_id(&id)?).await?;
    let body = match body(&form, false) {
        Ok(body) => body,
        Err(wrong) => {
            let page = render(&state, &viewer, &form, Some(&task), messages(&l, wrong), false).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let version = form.get("version").parse::<i64>().ok();
    match tasks::update(&state.app, viewer.actor(), task.id, body, version).await {
        Ok(updated) => Ok(Redirect::to(&format!("/tasks/{}", updated.task.id)).into_response()),
        Err(error) => refused(&state, &viewer, &form, Some(&task), error).await,
    }
}
