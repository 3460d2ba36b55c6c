//! The batch scan of a whole kind, as a background job: the key index is read in key
//! order, one range at a time; the records of each block (at most [`BLOCK_CAP`]) are
//! compared pair by pair; pairs over the threshold are joined into groups, which replace
//! the kind's previous findings. Pairs users dismissed stay apart.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rapport_core::access::Action;
use rapport_core::custom_fields::RecordKind;
use rapport_core::duplicates::{self as rules, Profile, Reason};
use rapport_store::duplicates::{self as store, Group};
use rapport_store::jobs::Job;
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{kind_name, kind_of, load};
use crate::jobs::{self, JobError, JobFuture, JobKind, Progress};
use crate::{Actor, App, AppError, access, now};

pub const SCAN: JobKind = JobKind { name: "duplicate_scan", run, max_attempts: 2, every: None };

/// Key rows read per step of the scan.
const STEP: u64 = 20_000;

/// Records of one block compared at most: a key shared by more says little (a common
/// name's word starts), and comparing all of them would cost the square of their number.
pub const BLOCK_CAP: usize = 40;

/// Records loaded per query while scoring.
const LOAD: usize = 500;

/// Queues a scan of `{"kind": "companies" | "people"}`; the job's id.
pub async fn start(app: &App, actor: &Actor, body: Value) -> Result<Uuid, AppError> {
    let kind = kind_of(body.get("kind").and_then(Value::as_str).unwrap_or_default())?;
    actor.require(kind_name(kind), Action::Merge)?;
    let mut tx = app.db.begin().await?;
    let queued =
        jobs::queue(&mut tx, &SCAN, json!({"kind": kind_name(kind)}), actor, Some(format!("scan:{}", kind_name(kind))))
            .await?;
    tx.commit().await?;
    let Some(id) = queued else {
        return Err(AppError::Conflict {
            message: "a scan of this kind is already queued or running".into(),
            referrers: vec![],
        });
    };
    jobs::wake(app);
    Ok(id)
}

fn run(app: App, job: Job, progress: Progress) -> JobFuture {
    Box::pin(async move { scan(&app, &job, &progress).await })
}

fn pair(a: Uuid, b: Uuid) -> (Uuid, Uuid) {
    if a < b { (a, b) } else { (b, a) }
}

async fn scan(app: &App, job: &Job, progress: &Progress) -> Result<Value, JobError> {
    let kind = kind_of(job.payload.get("kind").and_then(Value::as_str).unwrap_or_default())?;
    let mut reader = app.reader();
    let mut after: Option<String> = None;
    let mut found: HashMap<(Uuid, Uuid), rules::Match> = HashMap::new();
    let (mut keys_read, mut compared) = (0i64, 0u64);
    loop {
        let blocks = store::blocks(&mut reader, kind, after.as_deref(), STEP).await?;
        let Some(last) = blocks.last() else { break };
        after = Some(last.key.clone());
        keys_read += blocks.iter().map(|b| b.records.len() as i64).sum::<i64>();
        let mut pairs = BTreeSet::new();
        for block in blocks.iter().filter(|b| b.records.len() > 1) {
            let members = &block.records[..block.records.len().min(BLOCK_CAP)];
            for (i, a) in members.iter().enumerate() {
                for b in &members[i + 1..] {
                    let key = pair(*a, *b);
                    if !found.contains_key(&key) {
                        pairs.insert(key);
                    }
                }
            }
        }
        let ids: Vec<Uuid> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect::<BTreeSet<_>>().into_iter().collect();
        let mut profiles: HashMap<Uuid, Profile> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(LOAD) {
            profiles.extend(load(&mut reader, kind, chunk).await?.into_iter().map(|f| (f.guard.id, f.profile)));
        }
        for (a, b) in pairs {
            let (Some(x), Some(y)) = (profiles.get(&a), profiles.get(&b)) else { continue };
            compared += 1;
            if let Some(matched) = rules::score(x, y).filter(|m| m.score >= rules::THRESHOLD) {
                found.insert((a, b), matched);
            }
        }
        progress.report(keys_read, None).await?;
    }
    let records: Vec<Uuid> = found.keys().flat_map(|(a, b)| [*a, *b]).collect::<BTreeSet<_>>().into_iter().collect();
    let dismissed = store::dismissed_among(&mut reader, &records).await?;
    found.retain(|key, _| !dismissed.contains(key));
    let groups = group(kind, found);
    let mut tx = app.db.begin().await?;
    store::replace_groups(&mut tx, kind, &groups, now()).await?;
    tx.commit().await?;
    Ok(json!({"kind": kind_name(kind), "keys": keys_read, "compared": compared, "groups": groups.len()}))
}

/// Joins duplicate pairs into groups (records linked by any chain of pairs), best first.
fn group(kind: RecordKind, found: HashMap<(Uuid, Uuid), rules::Match>) -> Vec<Group> {
    let mut parent: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    fn root(parent: &mut BTreeMap<Uuid, Uuid>, id: Uuid) -> Uuid {
        let mut current = id;
        while let Some(&up) = parent.get(&current).filter(|up| **up != current) {
            current = up;
        }
        parent.insert(id, current);
        current
    }
    for (a, b) in found.keys() {
        let (ra, rb) = (root(&mut parent, *a), root(&mut parent, *b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut groups: BTreeMap<Uuid, (Vec<Uuid>, f64, BTreeSet<Reason>)> = BTreeMap::new();
    for ((a, _), matched) in &found {
        let entry = groups.entry(root(&mut parent, *a)).or_insert_with(|| (Vec::new(), 0.0, BTreeSet::new()));
        entry.1 = entry.1.max(matched.score);
        entry.2.extend(matched.reasons.iter().copied());
    }
    let ids: Vec<Uuid> = parent.keys().copied().collect();
    for id in ids {
        let top = root(&mut parent, id);
        if let Some(entry) = groups.get_mut(&top) {
            entry.0.push(id);
        }
    }
    let mut out: Vec<Group> = groups
        .into_values()
        .map(|(records, score, reasons)| Group {
            id: Uuid::now_v7(),
            kind,
            records,
            score: (score * 1000.0).round() as i32,
            reasons: reasons.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" "),
        })
        .collect();
    out.sort_by_key(|g| std::cmp::Reverse(g.score));
    out
}

/// One group of a scan as the API shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: Uuid,
    pub records: Vec<Uuid>,
    pub names: Vec<String>,
    pub score: f64,
    pub reasons: Vec<String>,
}

/// A page of what the last scan of `kind` found, as far as the actor may see: groups
/// with fewer than two visible records are left out. `cursor` is the last page's.
pub async fn findings(
    app: &App,
    actor: &Actor,
    kind: RecordKind,
    cursor: Option<&str>,
    limit: u64,
) -> Result<(Vec<Finding>, Option<String>), AppError> {
    actor.require(kind_name(kind), Action::Read)?;
    let after = match cursor {
        None => None,
        Some(raw) => Some(
            raw.split_once('.')
                .and_then(|(score, id)| Some((score.parse::<i32>().ok()?, id.parse::<Uuid>().ok()?)))
                .ok_or_else(|| AppError::BadRequest("cursor is not one this list gave".into()))?,
        ),
    };
    let mut reader = app.reader();
    let groups = store::groups(&mut reader, kind, after, limit + 1).await?;
    let more = groups.len() as u64 > limit;
    let groups: Vec<Group> = groups.into_iter().take(limit as usize).collect();
    let next = if more { groups.last().map(|g| format!("{}.{}", g.score, g.id)) } else { None };
    let ids: Vec<Uuid> = groups.iter().flat_map(|g| g.records.iter().copied()).collect();
    let mut names = HashMap::new();
    for found in load(&mut reader, kind, &ids).await? {
        match access::check(&mut reader, actor, &found.guard, Action::Read).await {
            Ok(()) => {
                names.insert(found.guard.id, found.name);
            }
            Err(AppError::NotFound | AppError::Forbidden(_)) => {}
            Err(other) => return Err(other),
        }
    }
    let items = groups
        .into_iter()
        .filter_map(|g| {
            let records: Vec<Uuid> = g.records.into_iter().filter(|id| names.contains_key(id)).collect();
            (records.len() > 1).then(|| Finding {
                id: g.id,
                names: records.iter().map(|id| names[id].clone()).collect(),
                records,
                score: f64::from(g.score) / 1000.0,
                reasons: g.reasons.split_whitespace().map(str::to_string).collect(),
            })
        })
        .collect();
    Ok((items, next))
}

/// Marks a group's records as not duplicates of each other; the group goes away.
pub async fn dismiss(app: &App, actor: &Actor, group_id: Uuid) -> Result<(), AppError> {
    let mut tx = app.db.begin().await?;
    let group = store::group(&mut tx, group_id).await?.ok_or(AppError::NotFound)?;
    actor.require(kind_name(group.kind), Action::Merge)?;
    store::dismiss(&mut tx, &group.records, actor.user_id, now()).await?;
    store::forget_groups_of(&mut tx, &group.records).await?;
    tx.commit().await?;
    Ok(())
}
