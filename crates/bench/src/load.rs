//! The benchmark's data: Rapport's deterministic demo generator (companies and people in
//! Bulgaria, Poland, China and English-speaking countries, each in its own script), given
//! owners and categories, loaded through the bulk path imports use.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use rapport_app::bulk::{self, BulkError};
use rapport_app::demo_data::{self, DemoCompany, DemoPerson};
use rapport_app::users::UserDraft;
use rapport_app::{Actor, App, AppError, DbOptions, Settings};
use rapport_core::Invalid;
use serde_json::{Value, json};
use uuid::Uuid;

/// The administrator the benchmark signs in as.
pub const ADMIN_LOGIN: &str = "bench";
/// Every benchmark user's password (the data is synthetic and the server is on loopback).
pub const PASSWORD: &str = "bench-password-2026";
/// Sales users own the companies round-robin: `sales01` ... `sales20`.
pub const SALES_PREFIX: &str = "sales";
const SALES_USERS: usize = 20;
/// Companies per call of the generator: bounds memory at any scale.
const GENERATE_BATCH: usize = 10_000;
/// Records per bulk call (one transaction each).
const BULK_BATCH: usize = 5_000;
/// Category values, matching the demo data's `segment` attribute.
const SEGMENTS: [&str; 3] = ["small", "mid-market", "enterprise"];

/// What the load wrote and how long it took.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub companies: usize,
    pub people: usize,
    pub companies_time: Duration,
    pub people_time: Duration,
    pub tasks: usize,
    pub tasks_time: Duration,
    pub activities: usize,
    pub activities_time: Duration,
    pub total_time: Duration,
}

/// Users, one category kind, then `scale` companies and about as many people.
pub async fn load(url: &str, scale: usize, seed: u64) -> Result<Loaded> {
    let started = Instant::now();
    let app = App::open(url, &DbOptions::default(), Settings::default()).await.context("cannot open the database")?;
    let system = Actor::system();
    create_user(&app, ADMIN_LOGIN, "Benchmark", Some("admin")).await?;
    let mut owners = Vec::with_capacity(SALES_USERS);
    for n in 1..=SALES_USERS {
        // No role: the default one for ordinary users.
        owners.push(create_user(&app, &format!("{SALES_PREFIX}{n:02}"), &format!("Sales {n:02}"), None).await?);
    }
    let values: Vec<Value> = SEGMENTS.iter().map(|key| json!({"key": key, "name": key})).collect();
    let kind = rapport_app::categories::create_kind(
        &app,
        &system,
        json!({"key": "segment", "name": "Segment", "multiple": false, "values": values}),
    )
    .await
    .context("cannot create the category kind `segment`")?;
    let segment_ids: Vec<(String, Uuid)> = kind.values.iter().map(|v| (v.key.clone(), v.id)).collect();

    let mut loaded = Loaded::default();
    let mut batch = 0u64;
    // Companies tasks are about: the first ones loaded (a sales team's current accounts).
    let mut about: Vec<Uuid> = Vec::new();
    while loaded.companies < scale {
        let count = GENERATE_BATCH.min(scale - loaded.companies);
        let (companies, people) = demo_data::generate(seed.wrapping_add(batch), count, 1);
        let first = loaded.companies;
        let drafts = company_drafts(companies, first, &owners, &segment_ids);
        let t = Instant::now();
        let mut ids = Vec::with_capacity(drafts.len());
        for chunk in chunked(drafts) {
            ids.extend(bulk::create_companies(&app, &system, chunk).await.map_err(explain)?);
        }
        loaded.companies_time += t.elapsed();
        about.extend(ids.iter().take(TASK_COMPANIES.saturating_sub(about.len())));
        let drafts = person_drafts(people, &ids, first, &owners);
        let t = Instant::now();
        for chunk in chunked(drafts) {
            loaded.people += bulk::create_people(&app, &system, chunk).await.map_err(explain)?.len();
        }
        loaded.people_time += t.elapsed();
        loaded.companies += ids.len();
        batch += 1;
        let seconds = started.elapsed().as_secs_f64();
        eprintln!(
            "  loaded {} / {scale} companies, {} people ({seconds:.0} s, {:.0} records/s)",
            loaded.companies,
            loaded.people,
            (loaded.companies + loaded.people) as f64 / seconds.max(0.001)
        );
    }
    let t = Instant::now();
    let drafts = task_drafts(scale, seed, &owners, &about, time::OffsetDateTime::now_utc().date());
    for chunk in chunked(drafts) {
        loaded.tasks += rapport_app::tasks::create_many(&app, &system, chunk).await.map_err(explain)?.len();
    }
    loaded.tasks_time = t.elapsed();
    eprintln!("  loaded {} tasks ({:.0} s)", loaded.tasks, loaded.tasks_time.as_secs_f64());
    if let Some(busiest) = about.first() {
        let t = Instant::now();
        let now = time::OffsetDateTime::now_utc();
        for chunk in chunked(activity_drafts(TIMELINE_ACTIVITIES, seed, *busiest, &owners, now)) {
            loaded.activities +=
                rapport_app::activities::create_many(&app, &system, chunk).await.map_err(explain)?.len();
        }
        loaded.activities_time = t.elapsed();
        eprintln!("  loaded {} activities ({:.0} s)", loaded.activities, loaded.activities_time.as_secs_f64());
    }
    app.db.close().await;
    loaded.total_time = started.elapsed();
    Ok(loaded)
}

/// Companies the loaded tasks may be about.
const TASK_COMPANIES: usize = 2_000;

/// `count` tasks for the sales users, due over the year around `today` (about ten a week
/// each at 10,000): most at a time in working hours in Sofia, the rest for a whole day;
/// those past mostly done; a quarter about a company.
pub fn task_drafts(count: usize, seed: u64, owners: &[Uuid], about: &[Uuid], today: time::Date) -> Vec<Value> {
    const TITLES: [&str; 6] = [
        "Call back about the offer",
        "Send the signed contract",
        "Prepare the quarterly review",
        "Visit the warehouse",
        "Follow up on the invoice",
        "Present the new catalogue",
    ];
    const PRIORITIES: [&str; 4] = ["normal", "normal", "high", "low"];
    (0..count)
        .map(|n| {
            let r = crate::driver::mix(seed ^ 0x7a5c ^ n as u64);
            let day = today + time::Duration::days((r % 365) as i64 - 182);
            let mut draft = json!({
                "title": format!("{} #{n}", TITLES[(r >> 9) as usize % TITLES.len()]),
                "assignee_id": owners[n % owners.len()],
                "time_zone": "Europe/Sofia",
                "priority": PRIORITIES[(r >> 13) as usize % PRIORITIES.len()],
            });
            if (r >> 17) % 10 < 7 {
                let (hour, minute) = (8 + (r >> 21) % 10, ((r >> 25) % 4) * 15);
                draft["due_at"] = json!(format!("{day}T{hour:02}:{minute:02}"));
                draft["duration_minutes"] = json!(15 + ((r >> 29) % 6) * 15);
                draft["remind_before_minutes"] = json!(15);
            } else {
                draft["due_date"] = json!(day.to_string());
            }
            if day < today && (r >> 33) % 10 < 8 {
                draft["status"] = json!("done");
            }
            if !about.is_empty() && (r >> 37).is_multiple_of(4) {
                draft["company_id"] = json!(about[(r >> 41) as usize % about.len()]);
            }
            draft
        })
        .collect()
}

/// Activities on the first company's timeline (the busiest account), for `timeline`.
pub const TIMELINE_ACTIVITIES: usize = 10_000;

/// `count` activities about `company`, over the three years before `now`: calls, emails,
/// meetings and notes by the sales users, a few with a Markdown body.
pub fn activity_drafts(
    count: usize,
    seed: u64,
    company: Uuid,
    owners: &[Uuid],
    now: time::OffsetDateTime,
) -> Vec<Value> {
    const KINDS: [&str; 5] = ["call", "email", "meeting", "note", "call"];
    const SUBJECTS: [&str; 5] =
        ["Prices for next season", "The signed contract", "Quarterly review", "Delivery delay", "New catalogue"];
    (0..count)
        .map(|n| {
            let r = crate::driver::mix(seed ^ 0xac71 ^ n as u64);
            let at = now - time::Duration::minutes((r % (3 * 365 * 24 * 60)) as i64);
            let at = at.replace_nanosecond(0).unwrap_or(at);
            let mut draft = json!({
                "kind": KINDS[(r >> 30) as usize % KINDS.len()],
                "subject": format!("{} #{n}", SUBJECTS[(r >> 34) as usize % SUBJECTS.len()]),
                "occurred_at": at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
                "company_id": company,
                "user_ids": [owners[n % owners.len()]],
            });
            if (r >> 38).is_multiple_of(4) {
                draft["body"] =
                    json!("They asked for **10%** off; we offered *5%*.\n\n- samples by Friday\n- call back");
            }
            draft
        })
        .collect()
}

async fn create_user(app: &App, login: &str, name: &str, role: Option<&str>) -> Result<Uuid> {
    let draft = UserDraft {
        login: Some(login.into()),
        name: Some(name.into()),
        password: Some(PASSWORD.into()),
        role: role.map(String::from),
        ..UserDraft::default()
    };
    match rapport_app::users::create(app, &Actor::system(), draft).await {
        Ok(created) => Ok(created.user.user.id),
        Err(AppError::Invalid(invalid)) => Err(anyhow!("cannot create the user {login}: {}", fields(&invalid))),
        Err(other) => Err(anyhow!("cannot create the user {login}: {other}")),
    }
}

/// Every field error, for a message.
fn fields(invalid: &Invalid) -> String {
    let fields: Vec<String> = invalid.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
    fields.join("; ")
}

/// Owners round-robin by the company's position in the whole load; every other company
/// also gets the category of its size segment.
fn company_drafts(
    companies: Vec<DemoCompany>,
    first: usize,
    owners: &[Uuid],
    segments: &[(String, Uuid)],
) -> Vec<Value> {
    companies
        .into_iter()
        .enumerate()
        .map(|(i, company)| {
            let mut draft = company.draft;
            let n = first + i;
            draft["owner_id"] = json!(owners[n % owners.len()]);
            let segment = draft["attributes"]["segment"].as_str().unwrap_or_default().to_string();
            if n.is_multiple_of(2)
                && let Some((_, id)) = segments.iter().find(|(key, _)| *key == segment)
            {
                draft["categories"] = json!([id]);
            }
            draft
        })
        .collect()
}

/// People get their employer from `company_index` and its owner; people on their own are
/// owned round-robin.
fn person_drafts(people: Vec<DemoPerson>, company_ids: &[Uuid], first: usize, owners: &[Uuid]) -> Vec<Value> {
    people
        .into_iter()
        .enumerate()
        .map(|(i, person)| {
            let mut draft = person.draft;
            let owner = match person.company_index {
                Some(index) => {
                    if let Some(company_id) = company_ids.get(index) {
                        draft["employments"] = json!([{
                            "company_id": company_id,
                            "position": person.position,
                            "department": person.department,
                        }]);
                    }
                    owners[(first + index) % owners.len()]
                }
                None => owners[(first + i) % owners.len()],
            };
            draft["owner_id"] = json!(owner);
            draft
        })
        .collect()
}

fn chunked(mut drafts: Vec<Value>) -> Vec<Vec<Value>> {
    let mut chunks = Vec::with_capacity(drafts.len().div_ceil(BULK_BATCH));
    while drafts.len() > BULK_BATCH {
        let rest = drafts.split_off(BULK_BATCH);
        chunks.push(std::mem::replace(&mut drafts, rest));
    }
    if !drafts.is_empty() {
        chunks.push(drafts);
    }
    chunks
}

/// A refused batch is a bug in the generator or in Rapport: show where.
fn explain(error: BulkError) -> anyhow::Error {
    match error {
        BulkError::Invalid(problems) => {
            let shown: Vec<String> =
                problems.iter().take(5).map(|(i, invalid)| format!("record {i}: {}", fields(invalid))).collect();
            anyhow!("the bulk load refused {} generated record(s): {}", problems.len(), shown.join(" | "))
        }
        BulkError::App(error) => anyhow!("the bulk load failed: {error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_get_owners_categories_and_employers() {
        let owners = [Uuid::now_v7(), Uuid::now_v7()];
        let segments: Vec<(String, Uuid)> = SEGMENTS.iter().map(|s| (s.to_string(), Uuid::now_v7())).collect();
        let (companies, people) = demo_data::generate(1, 10, 1);
        let drafts = company_drafts(companies, 4, &owners, &segments);
        assert_eq!(drafts[0]["owner_id"], json!(owners[0]));
        assert_eq!(drafts[1]["owner_id"], json!(owners[1]));
        assert!(drafts[0]["categories"].is_array() && drafts[1].get("categories").is_none());
        let ids: Vec<Uuid> = (0..10).map(|_| Uuid::now_v7()).collect();
        let people = person_drafts(people, &ids, 0, &owners);
        assert!(people.len() >= 10);
        let employed = people.iter().filter(|p| p.get("employments").is_some()).count();
        assert_eq!(employed, 10);
        assert!(people.iter().all(|p| p["owner_id"].is_string()));
        let tasks = task_drafts(100, 7, &owners, &ids, time::macros::date!(2026 - 03 - 23));
        assert_eq!(tasks.len(), 100);
        assert!(tasks.iter().any(|t| t["due_at"].is_string()) && tasks.iter().any(|t| t["due_date"].is_string()));
        assert!(tasks.iter().all(|t| t["assignee_id"].is_string()));
        let activities = activity_drafts(50, 7, ids[0], &owners, time::OffsetDateTime::now_utc());
        assert_eq!(activities.len(), 50);
        assert!(activities.iter().all(|a| a["company_id"] == json!(ids[0]) && a["occurred_at"].is_string()));
        let sizes: Vec<usize> = chunked((0..12_001).map(|i| json!(i)).collect()).iter().map(Vec::len).collect();
        assert_eq!(sizes, [5_000, 5_000, 2_001]);
    }
}
