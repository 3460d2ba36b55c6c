//! Threads (FEATURES C2): activities grouped by the matter they concern, read as a tree
//! of replies.

use std::collections::HashMap;

use rapport_core::activities::Activity;
use rapport_core::text;
use rapport_core::{Invalid, audit::Change};
use rapport_store::activities::{self as store, ActivityFilter, Thread};
use rapport_store::audit;
use rapport_store::listing::Page;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::listing::{self, Params};
use crate::{Actor, App, AppError, companies, input, now, people};

/// An activity of a thread with the replies to it.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadNode {
    #[serde(flatten)]
    pub activity: Activity,
    pub replies: Vec<ThreadNode>,
}

/// A thread and its activities as a tree: those answering nothing (or something the
/// caller may not see) at the top, each reply under what it answers, in time order.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadTree {
    #[serde(flatten)]
    pub thread: Thread,
    pub activities: Vec<ThreadNode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThreadDraft {
    subject: Option<String>,
}

/// `POST /threads {"subject"}`.
pub async fn create_thread(app: &App, actor: &Actor, body: Value) -> Result<Thread, AppError> {
    input::object_body(&body)?;
    let draft: ThreadDraft = input::draft(body)?;
    let subject = text::required(draft.subject.as_deref(), 300)
        .map_err(|e| Invalid::one("subject", "required", e.to_string()))?;
    let mut tx = app.db.begin().await?;
    let (id, at) = (Uuid::now_v7(), now());
    store::insert_thread(&mut tx, id, &subject, actor.user_id, at).await?;
    let changes = [Change { field: "subject".into(), old: Value::Null, new: json!(subject) }];
    audit::record(&mut tx, "thread", id, "create", actor.user_id, at, &changes).await?;
    let thread = store::get_thread(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(thread)
}

/// `GET /threads?record_id=` (threads with an activity about a card the caller may see),
/// or without it the threads the caller started; newest first, at most `limit` (50).
pub async fn list_threads(app: &App, actor: &Actor, params: Params) -> Result<Vec<Thread>, AppError> {
    let mut db = app.reader();
    let (mut record, mut limit) = (None, 50);
    for (name, value) in &params {
        match name.as_str() {
            "record_id" => record = Some(listing::parse_uuid(name, value)?),
            "limit" => {
                limit = value
                    .parse::<u64>()
                    .ok()
                    .filter(|l| (1..=500).contains(l))
                    .ok_or_else(|| AppError::BadRequest("limit must be a whole number from 1 to 500".into()))?
            }
            _ => return Err(AppError::BadRequest(format!("unknown query parameter {name:?}"))),
        }
    }
    match record {
        Some(id) => {
            let seen = companies::visible(&mut db, actor, id).await? || people::visible(&mut db, actor, id).await?;
            if !seen {
                return Err(AppError::NotFound);
            }
            Ok(store::threads_of_record(&mut db, id, limit).await?)
        }
        None => match actor.user_id {
            Some(me) => Ok(store::threads_of_creator(&mut db, me, limit).await?),
            None => Ok(Vec::new()),
        },
    }
}

/// `GET /threads/{id}`: the thread with the activities the caller may see, as a tree.
/// A thread none of whose activities the caller may see exists only for its author.
pub async fn get_thread(app: &App, actor: &Actor, id: Uuid) -> Result<ThreadTree, AppError> {
    let mut db = app.reader();
    let thread = store::get_thread(&mut db, id).await?.ok_or(AppError::NotFound)?;
    let filter = ActivityFilter { visibility: super::visibility(actor), thread_id: Some(id), ..Default::default() };
    let page = Page { limit: 1000, column: "occurred_at", descending: false, after: None };
    let (activities, _) = store::list(&mut db, &filter, &page).await?;
    let author = actor.is_admin() || (actor.user_id.is_some() && thread.created_by == actor.user_id);
    if activities.is_empty() && !author {
        return Err(AppError::NotFound);
    }
    Ok(ThreadTree { thread, activities: tree(activities) })
}

/// Builds the reply tree from activities in time order.
fn tree(activities: Vec<Activity>) -> Vec<ThreadNode> {
    let present: std::collections::HashSet<Uuid> = activities.iter().map(|a| a.id).collect();
    let mut children: HashMap<Option<Uuid>, Vec<Activity>> = HashMap::new();
    for activity in activities {
        let parent = activity.fields.reply_to_id.filter(|p| present.contains(p));
        children.entry(parent).or_default().push(activity);
    }
    fn build(parent: Option<Uuid>, children: &mut HashMap<Option<Uuid>, Vec<Activity>>) -> Vec<ThreadNode> {
        let level = children.remove(&parent).unwrap_or_default();
        level
            .into_iter()
            .map(|activity| {
                let replies = build(Some(activity.id), children);
                ThreadNode { activity, replies }
            })
            .collect()
    }
    build(None, &mut children)
}
