//! `/`: "my day", the page a user lands on after signing in: today's working hours, the
//! tasks overdue and due today, the unread notifications, and the week ahead. Today's
//! meetings take a section of their own here once that area exists.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use rapport_app::{calendar, notifications, tasks};
use time::{Duration, OffsetDateTime};

use super::super::context::Viewer;
use super::super::i18n::L;
use super::super::layout::{Shell, UiError, l};
use super::{Row, context, row};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "my_day.html")]
struct MyDay {
    shell: Shell,
    l: L,
    today: String,
    hours: String,
    overdue: Vec<Row>,
    due_today: Vec<Row>,
    ahead: Vec<Row>,
    notices: Vec<super::super::notifications::Item>,
    back: String,
}

async fn rows(state: &AppState, viewer: &Viewer, params: Vec<(&str, String)>) -> Result<Vec<Row>, UiError> {
    let (zone, names) = context(&state.app, viewer).await?;
    let mut all = vec![("scope".to_string(), "mine".to_string()), ("limit".to_string(), "50".to_string())];
    all.extend(params.into_iter().map(|(n, v)| (n.to_string(), v)));
    let listed = tasks::list(&state.app, viewer.actor(), all).await?;
    let now = OffsetDateTime::now_utc();
    let l = super::super::layout::l(&viewer.ctx);
    Ok(listed.items.iter().map(|t| row(&l, &names, &zone, t, now)).collect())
}

pub async fn page(State(state): State<AppState>, viewer: Viewer) -> Result<Response, UiError> {
    let l = l(&viewer.ctx);
    let (zone, _) = context(&state.app, &viewer).await?;
    let today = zone.local(OffsetDateTime::now_utc()).date();
    let open = || ("status", "open,in_progress".to_string());
    let overdue = rows(&state, &viewer, vec![("overdue", "true".into())]).await?;
    let due_today = rows(&state, &viewer, vec![open(), ("due_from", today.to_string()), ("due_to", today.to_string())])
        .await?
        .into_iter()
        .filter(|r| !r.overdue)
        .collect();
    let (tomorrow, week_end) = (today + Duration::days(1), today + Duration::days(7));
    let ahead =
        rows(&state, &viewer, vec![open(), ("due_from", tomorrow.to_string()), ("due_to", week_end.to_string())])
            .await?;
    let notices = notifications::page(&state.app, viewer.actor(), true, None, 10)
        .await?
        .items
        .iter()
        .map(|n| super::super::notifications::item(&l, n))
        .collect();
    let hours = match viewer.actor().user_id {
        Some(me) => {
            let params = vec![
                ("from".to_string(), today.to_string()),
                ("to".to_string(), today.to_string()),
                ("user_id".to_string(), me.to_string()),
            ];
            let view = calendar::view(&state.app, viewer.actor(), params).await?;
            super::super::calendar::day_hours(&l, &view, today)
        }
        None => String::new(),
    };
    let page = MyDay {
        shell: Shell::new(&viewer.ctx, l.t("my-day-title"), "home"),
        today: format!("{} {}", l.weekday(today.weekday()), l.date(today)),
        hours,
        overdue,
        due_today,
        ahead,
        notices,
        back: viewer.ctx.here.clone(),
        l,
    };
    Ok(page.into_response())
}
