//! Activity use cases: log one (by hand or as a reply, which puts it in a thread), read,
//! change, archive and list them, a card's timeline, threads and the kinds of activity.
//! Every change is written with its history in one transaction.

mod access;
mod bulk;
mod kinds;
mod list;
mod notices;
mod threads;

pub use bulk::create_many;
pub use kinds::{create_kind, kinds};
pub use list::{Card, list, timeline};
pub use threads::{ThreadNode, ThreadTree, create_thread, get_thread, list_threads};

pub(crate) use access::visibility;

use rapport_core::Invalid;
use rapport_core::access::Action;
use rapport_core::activities::{Activity, ActivityDraft, ActivityFields};
use rapport_core::merge_patch;
use rapport_store::activities::{self as store, NewActivity};
use rapport_store::audit::{self, Entry};
use rapport_store::{Exec, Tx, users};
use serde_json::Value;
use uuid::Uuid;

use crate::{Actor, App, AppError, calendar, companies, input, now, people, records};

const KIND: &str = "activity";

async fn load(ex: &mut impl Exec, actor: &Actor, id: Uuid, action: Action) -> Result<Activity, AppError> {
    let activity = store::get(ex, id).await?.ok_or(AppError::NotFound)?;
    access::check(ex, actor, &activity, action).await?;
    Ok(activity)
}

/// Parses a draft and checks what the database must confirm: a known kind, records the
/// actor may see (one already there may stay), active users, a thread and an activity
/// replied to that exist. A reply joins the thread of what it answers. `before` is the
/// stored activity when changing one. Returns the fields and their people's employers.
pub(crate) async fn prepare(
    ex: &mut impl Exec,
    actor: &Actor,
    draft: &ActivityDraft,
    before: Option<&Activity>,
) -> Result<(ActivityFields, Vec<Uuid>), AppError> {
    let zone = match actor.user_id {
        Some(me) => calendar::zone_of(ex, me).await?,
        None => rapport_core::zone::Zone::utc(),
    };
    let mut fields = draft.parse(now(), &zone)?;
    if draft.user_ids.is_none() && before.is_none() {
        fields.user_ids = actor.user_id.into_iter().collect();
    }
    let mut invalid = Invalid::default();
    let kept_kind = before.is_some_and(|b| b.fields.kind == fields.kind);
    if !kept_kind && !store::kinds(ex).await?.iter().any(|k| k.key == fields.kind) {
        invalid.push("kind", "unknown_kind", "no kind of activity has this key");
    }
    let had = |id: Uuid| before.is_some_and(|b| b.fields.company_id == Some(id) || b.fields.person_ids.contains(&id));
    if let Some(company) = fields.company_id
        && !had(company)
        && !companies::visible(ex, actor, company).await?
    {
        invalid.push("company_id", "unknown_company", "no company has this id");
    }
    for (i, person) in fields.person_ids.iter().enumerate() {
        if !had(*person) && !people::visible(ex, actor, *person).await? {
            invalid.push(format!("person_ids[{i}]"), "unknown_person", "no person has this id");
        }
    }
    for (i, user) in fields.user_ids.iter().enumerate() {
        let kept = before.is_some_and(|b| b.fields.user_ids.contains(user));
        if users::get(ex, *user).await?.is_none_or(|u| u.disabled_at.is_some() && !kept) {
            invalid.push(format!("user_ids[{i}]"), "unknown_user", "no active user has this id");
        }
    }
    if let Some(parent) = fields.reply_to_id {
        match store::get(ex, parent).await? {
            Some(p) if Some(p.id) != before.map(|b| b.id) && access::may_see(ex, actor, &p).await? => {
                match (fields.thread_id, p.fields.thread_id) {
                    (Some(given), Some(its)) if given != its => invalid.push(
                        "thread_id",
                        "not_the_reply_thread",
                        "a reply is in the thread of the activity it answers",
                    ),
                    (None, its) => fields.thread_id = its,
                    _ => {}
                }
            }
            _ => invalid.push("reply_to_id", "unknown_activity", "no activity has this id"),
        }
    }
    if let Some(thread) = fields.thread_id
        && before.is_none_or(|b| b.fields.thread_id != Some(thread))
        && store::get_thread(ex, thread).await?.is_none()
    {
        invalid.push("thread_id", "unknown_thread", "no thread has this id");
    }
    let fields = invalid.into_result(fields)?;
    let employers = store::employers(ex, &fields.person_ids).await?;
    Ok((fields, employers))
}

/// Writes a new activity and its history in the caller's transaction, and reads it back.
/// A reply to an activity outside any thread starts a thread for both, named after it.
pub async fn create_in(tx: &mut Tx, actor: &Actor, draft: &ActivityDraft) -> Result<Activity, AppError> {
    let (mut fields, employers) = prepare(tx, actor, draft, None).await?;
    let at = now();
    if let (Some(parent), None) = (fields.reply_to_id, fields.thread_id) {
        let parent = store::get(tx, parent).await?.ok_or(AppError::NotFound)?;
        let thread = Uuid::now_v7();
        store::insert_thread(tx, thread, &parent.fields.subject, actor.user_id, at).await?;
        store::set_thread(tx, parent.id, thread, actor.user_id, at).await?;
        let moved = vec![rapport_core::audit::Change {
            field: "thread_id".into(),
            old: Value::Null,
            new: serde_json::json!(thread),
        }];
        audit::record(tx, KIND, parent.id, "update", actor.user_id, at, &moved).await?;
        fields.thread_id = Some(thread);
    }
    let id = Uuid::now_v7();
    store::insert_many(tx, &[NewActivity { id, fields: &fields, employers: &employers }], actor.user_id, at).await?;
    let changes = records::changes(None::<&ActivityFields>, &fields);
    audit::record(tx, KIND, id, "create", actor.user_id, at, &changes).await?;
    store::get(tx, id).await?.ok_or(AppError::NotFound)
}

/// `POST /activities`.
pub async fn create(app: &App, actor: &Actor, body: Value) -> Result<Activity, AppError> {
    input::object_body(&body)?;
    let draft: ActivityDraft = input::draft(body)?;
    let mut tx = app.db.begin().await?;
    let activity = create_in(&mut tx, actor, &draft).await?;
    notices::after_change(&mut tx, app.settings.mail_enabled(), actor, None, &activity).await?;
    tx.commit().await?;
    Ok(activity)
}

pub async fn get(app: &App, actor: &Actor, id: Uuid) -> Result<Activity, AppError> {
    load(&mut app.reader(), actor, id, Action::Read).await
}

/// Applies a JSON merge patch; `expected_version` comes from `If-Match`.
pub async fn update(
    app: &App,
    actor: &Actor,
    id: Uuid,
    patch: Value,
    expected_version: Option<i64>,
) -> Result<Activity, AppError> {
    input::object_body(&patch)?;
    let mut tx = app.db.begin().await?;
    tx.lock_row("activities", id).await?;
    let current = load(&mut tx, actor, id, Action::Update).await?;
    records::check_version(expected_version, current.version)?;
    let mut merged =
        serde_json::to_value(current.fields.to_draft()).map_err(|e| AppError::BadRequest(e.to_string()))?;
    merge_patch::apply(&mut merged, &patch);
    let draft: ActivityDraft = input::draft(merged)?;
    let (fields, employers) = prepare(&mut tx, actor, &draft, Some(&current)).await?;
    let changes = records::changes(Some(&current.fields), &fields);
    if changes.is_empty() {
        return Ok(current);
    }
    let at = now();
    if !store::update(&mut tx, &current, &fields, &employers, actor.user_id, at).await? {
        return Err(AppError::Stale { current: current.version + 1 });
    }
    audit::record(&mut tx, KIND, id, "update", actor.user_id, at, &changes).await?;
    let activity = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    notices::after_change(&mut tx, app.settings.mail_enabled(), actor, Some(&current), &activity).await?;
    tx.commit().await?;
    Ok(activity)
}

/// Archives (`DELETE /activities/{id}`) or restores an activity: it leaves the timelines
/// and lists but keeps its history.
pub async fn set_archived(app: &App, actor: &Actor, id: Uuid, archived: bool) -> Result<Activity, AppError> {
    let mut tx = app.db.begin().await?;
    tx.lock_row("activities", id).await?;
    let current = load(&mut tx, actor, id, Action::Update).await?;
    if current.archived_at.is_some() != archived {
        let at = now();
        store::set_archived(&mut tx, id, archived, actor.user_id, at).await?;
        let action = if archived { "archive" } else { "unarchive" };
        audit::record(&mut tx, KIND, id, action, actor.user_id, at, &[]).await?;
    }
    let activity = store::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(activity)
}

pub async fn history(app: &App, actor: &Actor, id: Uuid) -> Result<Vec<Entry>, AppError> {
    let mut db = app.reader();
    load(&mut db, actor, id, Action::Read).await?;
    records::history(&mut db, actor, KIND, id).await
}

/// Whether the actor may change the activity (for showing the buttons that would).
pub fn may_change(actor: &Actor, activity: &Activity) -> bool {
    access::may_change(actor, activity)
}
