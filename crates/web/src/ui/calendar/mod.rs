//! `/calendar`: a user's day, week or month (their own, or for a manager a team
//! member's), with the working hours, days off, holidays and absences, and the tasks on
//! each day. Rendered on the server; the days stack on a phone.

pub mod account;
pub mod holidays;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use rapport_app::calendar::{self, CalendarView};
use rapport_app::tasks;
use rapport_core::calendar::DAYS;
use rapport_core::tasks::{TaskStatus, parse_date};
use time::{Date, Duration, OffsetDateTime, Weekday};

use super::context::Viewer;
use super::i18n::L;
use super::layout::{Shell, UiError, l, query};
use super::list::{self, SelectOption, param};
use crate::AppState;

/// What a day of a user's calendar says about their working time.
pub fn day_hours(l: &L, view: &CalendarView, day: Date) -> String {
    if let Some(holiday) = view.holidays.iter().find(|h| h.day == day) {
        return l.t1("calendar-holiday", "name", &holiday.name);
    }
    if view.absences.iter().any(|a| a.starts_on <= day && day <= a.ends_on) {
        return l.t("calendar-absent");
    }
    let key = DAYS.iter().find(|(_, d)| *d == day.weekday()).map(|(k, _)| *k).unwrap_or("mon");
    match view.working_hours.get(key) {
        Some(periods) if !periods.is_empty() => l.t1("calendar-hours", "hours", &periods.join(", ").replace('-', "–")),
        _ => l.t("calendar-day-off"),
    }
}

pub struct EntryLine {
    pub time: String,
    pub title: String,
    pub href: String,
    pub overdue: bool,
    pub closed: bool,
}

pub struct DayCell {
    pub id: String,
    pub heading: String,
    /// The day of the month, as a month's grid shows it under the weekday names.
    pub number: String,
    pub today: bool,
    /// A day of the weeks around the month shown.
    pub outside: bool,
    pub hours: String,
    pub off: bool,
    pub entries: Vec<EntryLine>,
    /// Where "add a task on this day" goes.
    pub new_task: String,
}

pub struct Link {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "calendar.html")]
struct CalendarPage {
    shell: Shell,
    l: L,
    heading: String,
    view: String,
    days: Vec<DayCell>,
    weekdays: Vec<String>,
    views: Vec<Link>,
    previous: String,
    next: String,
    today: String,
    people: Vec<SelectOption>,
    date: String,
    mine: bool,
    zone: String,
}

fn monday(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

fn add_months(day: Date, months: i32) -> Date {
    let index = day.year() * 12 + i32::from(u8::from(day.month())) - 1 + months;
    let month = time::Month::try_from((index.rem_euclid(12) + 1) as u8).unwrap_or(time::Month::January);
    Date::from_calendar_date(index.div_euclid(12), month, 1).unwrap_or(day)
}

/// The days a view of `date` shows, and the dates its "previous" and "next" go to.
fn range(view: &str, date: Date) -> (Date, Date, Date, Date) {
    match view {
        "day" => (date, date, date - Duration::days(1), date + Duration::days(1)),
        "month" => {
            let first = date.replace_day(1).unwrap_or(date);
            let last = add_months(first, 1) - Duration::days(1);
            let end = monday(last) + Duration::days(6);
            (monday(first), end, add_months(first, -1), add_months(first, 1))
        }
        _ => {
            let start = monday(date);
            (start, start + Duration::days(6), start - Duration::days(7), start + Duration::days(7))
        }
    }
}

pub async fn page(State(state): State<AppState>, viewer: Viewer, RawQuery(raw): RawQuery) -> Result<Response, UiError> {
    let app = &state.app;
    let l = l(&viewer.ctx);
    let actor = viewer.actor();
    let pairs = list::parse_query(raw.as_deref());
    let view = match param(&pairs, "view") {
        v @ ("day" | "month") => v.to_string(),
        _ => "week".to_string(),
    };
    let me = actor.user_id;
    let user = match param(&pairs, "user") {
        "" => me,
        raw => Some(super::companies::parse_id(raw)?),
    };
    let Some(user) = user else { return Err(UiError::not_found()) };
    let zone = tasks::default_zone(app, user).await?;
    let today = zone.local(OffsetDateTime::now_utc()).date();
    let date = parse_date(param(&pairs, "date")).unwrap_or(today);
    let (from, to, previous, next) = range(&view, date);
    let params =
        vec![("user_id".into(), user.to_string()), ("from".into(), from.to_string()), ("to".into(), to.to_string())];
    let shown = calendar::view(app, actor, params).await?;
    let mut days = Vec::new();
    let mut day = from;
    while day <= to {
        let hours = day_hours(&l, &shown, day);
        let key = DAYS.iter().find(|(_, d)| *d == day.weekday()).map(|(k, _)| *k).unwrap_or("mon");
        let off = shown.working_hours.get(key).is_none_or(Vec::is_empty)
            || shown.holidays.iter().any(|h| h.day == day)
            || shown.absences.iter().any(|a| a.starts_on <= day && day <= a.ends_on);
        let entries = shown
            .items
            .iter()
            .filter(|e| e.date == day)
            .map(|e| EntryLine {
                time: match (&e.local_start, &e.local_end) {
                    (Some(start), Some(end)) => format!("{start}–{end}"),
                    _ => l.t("calendar-all-day"),
                },
                title: e.title.clone(),
                href: e.url.clone(),
                overdue: e.overdue,
                closed: matches!(e.status, Some(TaskStatus::Done | TaskStatus::Cancelled)),
            })
            .collect();
        days.push(DayCell {
            id: format!("day-{day}"),
            heading: format!("{} {}", l.weekday(day.weekday()), l.date(day)),
            number: day.day().to_string(),
            today: day == today,
            outside: view == "month" && day.month() != date.month(),
            hours,
            off,
            entries,
            new_task: format!("/tasks/new?{}", query(&[("due_date", &day.to_string())])),
        });
        day += Duration::days(1);
    }
    let link = |v: &str, d: Date| {
        let user = if Some(user) == me { String::new() } else { user.to_string() };
        format!("/calendar?{}", query(&[("view", v), ("date", &d.to_string()), ("user", &user)]))
    };
    let views = ["day", "week", "month"]
        .iter()
        .map(|v| Link { label: l.t(&format!("calendar-view-{v}")), href: link(v, date), current: *v == view })
        .collect();
    let heading = match view.as_str() {
        "day" => format!("{} {}", l.weekday(date.weekday()), l.date(date)),
        "month" => format!("{} {}", l.t(&format!("month-long-{}", u8::from(date.month()))), date.year()),
        _ => format!("{} – {}", l.date(from), l.date(to)),
    };
    let names = tasks::assignable(app).await?;
    let mut people: Vec<SelectOption> = names
        .into_iter()
        .filter(|(id, _)| actor.is_admin() || Some(*id) == me || actor.team_users().contains(id))
        .map(|(id, name)| SelectOption { selected: id == user, value: id.to_string(), label: name })
        .collect();
    if people.len() < 2 {
        people.clear();
    }
    let weekdays = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ]
    .iter()
    .map(|d| l.weekday(*d))
    .collect();
    let page = CalendarPage {
        shell: Shell::new(&viewer.ctx, l.t("calendar-title"), "calendar"),
        heading,
        previous: link(&view, previous),
        next: link(&view, next),
        today: link(&view, today),
        view,
        days,
        weekdays,
        views,
        people,
        date: date.to_string(),
        mine: Some(user) == me,
        zone: shown.time_zone.clone(),
        l,
    };
    Ok(page.into_response())
}
