//! `GET /tasks`: the tasks the actor may see, by due time (undated last), keyset-paged,
//! with filters for whose they are, their status, what they are about and when they are due.

use rapport_core::tasks::{Task, TaskStatus, parse_date};
use rapport_store::listing::SortValue;
use rapport_store::tasks::{self as store, TaskFilter};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::listing::{self, Listed, Params, SortKey};
use crate::{Actor, App, AppError, calendar, now};

const SORT_KEYS: [SortKey; 1] = [SortKey { api: "due_at", column: "due_key", time: true }];

fn statuses(value: &str) -> Result<Vec<TaskStatus>, AppError> {
    value
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            TaskStatus::parse(s)
                .ok_or_else(|| AppError::BadRequest(format!("status must be one or more of {}", TaskStatus::names())))
        })
        .collect()
}

/// An instant, or a date read as its start in `zone_of` the user the list is about.
fn instant(name: &str, value: &str, zone: &rapport_core::zone::Zone) -> Result<OffsetDateTime, AppError> {
    if let Ok(at) = OffsetDateTime::parse(value.trim(), &Rfc3339) {
        return Ok(at);
    }
    parse_date(value)
        .map(|day| zone.start_of_day(day))
        .ok_or_else(|| AppError::BadRequest(format!("{name} must be a date (2026-03-23) or an instant (RFC 3339)")))
}

pub async fn list(app: &App, actor: &Actor, params: Params) -> Result<Listed<Task>, AppError> {
    let request = listing::parse_request(params, &SORT_KEYS, "due_at")?;
    if !request.search.is_empty() {
        return Err(AppError::BadRequest("tasks are filtered, not searched: q is not taken here".into()));
    }
    let me = actor.user_id;
    let mut filter = TaskFilter { visibility: super::visibility(actor), ..Default::default() };
    let zone = match me {
        Some(me) => calendar::zone_of(&mut app.reader(), me).await?,
        None => rapport_core::zone::Zone::utc(),
    };
    let me_or = |value: &str| -> Result<Uuid, AppError> {
        if value == "me" {
            me.ok_or_else(|| AppError::BadRequest("`me` needs a signed-in user".into()))
        } else {
            listing::parse_uuid("assignee_id", value)
        }
    };
    let mut related = (None, None);
    for (name, value) in request.rest {
        match name.as_str() {
            "assignee_id" => filter.assignees = Some(vec![me_or(&value)?]),
            "scope" => match value.as_str() {
                "mine" => filter.assignees = Some(vec![me_or("me")?]),
                "team" => filter.assignees = Some(actor.team_users().to_vec()),
                "watching" => filter.watcher = Some(me_or("me")?),
                "created" => filter.created_by = Some(me_or("me")?),
                "all" => {}
                _ => return Err(AppError::BadRequest("scope must be mine, team, watching, created or all".into())),
            },
            "status" => filter.statuses = statuses(&value)?,
            "overdue" => match value.as_str() {
                "true" => {
                    filter.statuses = vec![TaskStatus::Open, TaskStatus::InProgress];
                    filter.overdue_at = Some(now());
                }
                "false" => {}
                _ => return Err(AppError::BadRequest("overdue must be true or false".into())),
            },
            "company_id" => filter.company_id = Some(listing::parse_uuid(&name, &value)?),
            "person_id" => filter.person_id = Some(listing::parse_uuid(&name, &value)?),
            "related_kind" => related.0 = Some(value),
            "related_id" => related.1 = Some(listing::parse_uuid(&name, &value)?),
            "due_from" => filter.due_from = Some(instant(&name, &value, &zone)?),
            // A date is the last day included.
            "due_to" => {
                let end = instant(&name, &value, &zone)?;
                let whole_day = parse_date(&value).is_some();
                filter.due_before = Some(if whole_day { end + Duration::days(1) } else { end });
            }
            _ => return Err(AppError::BadRequest(format!("unknown query parameter {name:?}"))),
        }
    }
    match related {
        (Some(kind), Some(id)) => filter.related = Some((kind, id)),
        (None, None) => {}
        _ => return Err(AppError::BadRequest("related_kind and related_id go together".into())),
    }
    let (items, more) = store::list(&mut app.reader(), &filter, &request.page).await?;
    let next_cursor =
        listing::next_cursor(&items, more, &request.sort, |t: &Task| (SortValue::Time(store::due_key(t)), t.id));
    Ok(Listed { items, next_cursor })
}
