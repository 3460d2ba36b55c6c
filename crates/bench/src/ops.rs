//! The measured operations: each runs over HTTP against the server, then (where there is
//! one) as its raw-database equivalent at the same concurrency and count.

use std::sync::Arc;

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::driver::{self, Limits, Stats, mix};
use crate::http::{Api, DeepPage, encode};
use crate::raw::{Filtered, Raw};
use crate::report::OpResult;
use crate::server::RssSampler;

/// Everything the operations need, shared by their load tasks.
pub struct Plan {
    pub api: Arc<Api>,
    /// Signed in as the first sales user, whose role sees only the companies they own.
    pub sales: Arc<Api>,
    /// Signed in to the HTML pages (a session cookie) as the administrator.
    pub pages: Arc<Api>,
    pub raw: Raw,
    /// Every company the load wrote.
    pub ids: Arc<Vec<Uuid>>,
    /// The sales users who own them.
    pub owners: Arc<Vec<Uuid>>,
    pub deep: Option<DeepPage>,
    /// Name fragments that find companies.
    pub words: Arc<Vec<String>>,
    pub limits: Limits,
    pub seed: u64,
    /// Tasks in the database (for the calendar's note).
    pub tasks: i64,
    /// Tells this run's new records apart from an earlier run's (with `--reuse`).
    pub tag: String,
    /// The operations to run; empty runs them all.
    pub only: Vec<String>,
}

impl Plan {
    pub fn wants(&self, op: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == op)
    }
}

/// Every operation, in the order they run.
pub const NAMES: &[&str] = &[
    "get_by_id",
    "list_first_page",
    "list_deep_page",
    "list_filtered",
    "list_filtered_as_sales",
    "search_q",
    "search_global",
    "search_prefix",
    "page_company_list",
    "page_company_card",
    "page_people_list",
    "calendar_week",
    "timeline",
    "create",
    "patch",
    "duplicate_check",
    "duplicate_scan",
    "reindex",
    "import_people_csv",
    "export_people_csv",
];

/// Requests in flight for global search: the concurrency its targets are set at (people
/// typing in the box at the same moment), unless `--concurrency` asks for fewer.
pub const SEARCH_CONCURRENCY: usize = 8;

/// What a user has typed of `word` after three keystrokes (one for CJK, whose characters
/// are words of their own).
pub fn typed_prefix(word: &str) -> String {
    let cjk = word.chars().next().is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    word.chars().take(if cjk { 1 } else { 3 }).collect()
}

pub const FILTER_STATUS: &str = "active";
pub const FILTER_ATTRIBUTE: (&str, &str) = ("loyalty", "gold");

/// The query of `list_filtered` for one owner.
pub fn filtered_query(owner: Uuid) -> String {
    format!("owner_id={owner}&{}", sales_query())
}

/// The query of `list_filtered_as_sales`: no owner, as the role limits the list to the
/// sales user's own companies inside the SQL.
pub fn sales_query() -> String {
    format!("status={FILTER_STATUS}&attr.{}={}", FILTER_ATTRIBUTE.0, FILTER_ATTRIBUTE.1)
}

fn pick(ids: &[Uuid], seed: u64, n: usize) -> Uuid {
    ids[(mix(seed ^ n as u64) % ids.len() as u64) as usize]
}

/// Runs every operation in turn: reads first, then writes, so the reads see the loaded
/// data only.
pub async fn run_all(plan: &Plan, sampler: &RssSampler) -> Vec<OpResult> {
    let mut results = Vec::new();
    let step = |name: &str| eprintln!("  measuring {name} ...");
    let limits = plan.limits;

    if plan.wants("get_by_id") {
        step("get_by_id");
        let (api, ids, seed) = (plan.api.clone(), plan.ids.clone(), plan.seed);
        let http = measure(sampler, &limits, move |n| {
            let (api, id) = (api.clone(), pick(&ids, seed, n));
            async move { api.send(api.request(Method::GET, &format!("/api/v1/companies/{id}"))).await }
        })
        .await;
        let (raw, ids) = (plan.raw.clone(), plan.ids.clone());
        let baseline = driver::run(&limits, move |n| {
            let (raw, id) = (raw.clone(), pick(&ids, seed, n));
            async move { raw.get_by_id(id).await }
        })
        .await;
        results.push(OpResult::new("get_by_id", &limits, http, Some(baseline), None));
    }

    if plan.wants("list_first_page") {
        step("list_first_page");
        let api = plan.api.clone();
        let http = measure(sampler, &limits, move |_| {
            let api = api.clone();
            async move { api.send(api.request(Method::GET, "/api/v1/companies?limit=50")).await }
        })
        .await;
        let raw = plan.raw.clone();
        let baseline = driver::run(&limits, move |_| {
            let raw = raw.clone();
            async move { raw.page(None).await }
        })
        .await;
        results.push(OpResult::new("list_first_page", &limits, http, Some(baseline), None));
    }

    if let Some(deep) = plan.deep.as_ref().filter(|_| plan.wants("list_deep_page")) {
        step("list_deep_page");
        let (api, path) =
            (plan.api.clone(), Arc::new(format!("/api/v1/companies?limit=50&cursor={}", encode(&deep.cursor))));
        let http = measure(sampler, &limits, move |_| {
            let (api, path) = (api.clone(), path.clone());
            async move { api.send(api.request(Method::GET, &path)).await }
        })
        .await;
        let (raw, after) = (plan.raw.clone(), Arc::new(deep.after.clone()));
        let baseline = driver::run(&limits, move |_| {
            let (raw, after) = (raw.clone(), after.clone());
            async move { raw.page(Some(&after)).await }
        })
        .await;
        let note = format!("page {} (after {} companies by name)", deep.depth + 1, deep.depth * 50);
        results.push(OpResult::new("list_deep_page", &limits, http, Some(baseline), Some(note)));
    }

    if plan.wants("list_filtered") {
        step("list_filtered");
        let (api, owners) = (plan.api.clone(), plan.owners.clone());
        let http =
            measure(sampler, &limits, move |n| {
                let (api, owner) = (api.clone(), owners[n % owners.len()]);
                async move {
                    api.send(api.request(Method::GET, &format!("/api/v1/companies?{}", filtered_query(owner)))).await
                }
            })
            .await;
        let (raw, owners) = (plan.raw.clone(), plan.owners.clone());
        let baseline = driver::run(&limits, move |n| {
            let (raw, owner) = (raw.clone(), owners[n % owners.len()]);
            async move {
                raw.filtered(&Filtered { owner_id: owner, status: FILTER_STATUS, attribute: FILTER_ATTRIBUTE }).await
            }
        })
        .await;
        let note = format!(
            "owner_id=<one of {} sales users>&status={FILTER_STATUS}&attr.{}={}",
            plan.owners.len(),
            FILTER_ATTRIBUTE.0,
            FILTER_ATTRIBUTE.1
        );
        results.push(OpResult::new("list_filtered", &limits, http, Some(baseline), Some(note)));
    }

    if plan.wants("list_filtered_as_sales") {
        step("list_filtered_as_sales");
        let (api, query) = (plan.sales.clone(), Arc::new(format!("/api/v1/companies?{}", sales_query())));
        let http = measure(sampler, &limits, move |_| {
            let (api, query) = (api.clone(), query.clone());
            async move { api.send(api.request(Method::GET, &query)).await }
        })
        .await;
        let (raw, owner) = (plan.raw.clone(), plan.owners[0]);
        let baseline = driver::run(&limits, move |_| {
            let raw = raw.clone();
            async move {
                raw.filtered(&Filtered { owner_id: owner, status: FILTER_STATUS, attribute: FILTER_ATTRIBUTE }).await
            }
        })
        .await;
        let note = format!("as sales01 (role sales, in no team: sees the companies it owns), {}", sales_query());
        results.push(OpResult::new("list_filtered_as_sales", &limits, http, Some(baseline), Some(note)));
    }

    if plan.wants("search_q") {
        step("search_q");
        let (api, words) = (plan.api.clone(), plan.words.clone());
        let http = measure(sampler, &limits, move |n| {
            let (api, word) = (api.clone(), encode(&words[n % words.len()]));
            async move { api.send(api.request(Method::GET, &format!("/api/v1/companies?q={word}"))).await }
        })
        .await;
        let note = format!("q rotates over {}", plan.words.join(", "));
        results.push(OpResult::new("search_q", &limits, http, None, Some(note)));
    }

    let search_limits = Limits { concurrency: limits.concurrency.min(SEARCH_CONCURRENCY), ..limits };
    if plan.wants("search_global") {
        step("search_global");
        let (api, words) = (plan.api.clone(), plan.words.clone());
        let http = measure(sampler, &search_limits, move |n| {
            let (api, word) = (api.clone(), encode(&words[n % words.len()]));
            async move { api.send(api.request(Method::GET, &format!("/api/v1/search?q={word}"))).await }
        })
        .await;
        let note =
            format!("GET /api/v1/search (companies and people, 8 each), q rotates over {}", plan.words.join(", "));
        results.push(OpResult::new("search_global", &search_limits, http, None, Some(note)));
    }

    if plan.wants("search_prefix") {
        step("search_prefix");
        let (api, words) = (plan.api.clone(), plan.words.clone());
        let prefixes: Arc<Vec<String>> = Arc::new(words.iter().map(|w| typed_prefix(w)).collect());
        let typed = prefixes.clone();
        let http = measure(sampler, &search_limits, move |n| {
            let (api, prefix) = (api.clone(), encode(&typed[n % typed.len()]));
            async move { api.send(api.request(Method::GET, &format!("/api/v1/search?q={prefix}&limit=5"))).await }
        })
        .await;
        let note = format!("as you type: GET /api/v1/search?limit=5, q rotates over {}", prefixes.join(", "));
        results.push(OpResult::new("search_prefix", &search_limits, http, None, Some(note)));
    }

    if plan.wants("page_company_list") {
        step("page_company_list");
        let api = plan.pages.clone();
        let http = measure(sampler, &limits, move |_| {
            let api = api.clone();
            async move { api.send(api.request(Method::GET, "/companies")).await }
        })
        .await;
        let note = "the HTML company list, first page (GET /companies)".to_string();
        results.push(OpResult::new("page_company_list", &limits, http, None, Some(note)));
    }

    if plan.wants("page_company_card") {
        step("page_company_card");
        let (api, ids, plan_seed) = (plan.pages.clone(), plan.ids.clone(), plan.seed);
        let http = measure(sampler, &limits, move |n| {
            let (api, id) = (api.clone(), pick(&ids, plan_seed, n));
            async move { api.send(api.request(Method::GET, &format!("/companies/{id}"))).await }
        })
        .await;
        let note = "the HTML customer card with its panels (GET /companies/{id})".to_string();
        results.push(OpResult::new("page_company_card", &limits, http, None, Some(note)));
    }

    if plan.wants("page_people_list") {
        step("page_people_list");
        let api = plan.pages.clone();
        let http = measure(sampler, &limits, move |_| {
            let api = api.clone();
            async move { api.send(api.request(Method::GET, "/people")).await }
        })
        .await;
        let note = "the HTML people list, first page, with its count (GET /people)".to_string();
        results.push(OpResult::new("page_people_list", &limits, http, None, Some(note)));
    }

    if plan.wants("calendar_week") {
        step("calendar_week");
        let monday = this_monday();
        let (api, owners) = (plan.api.clone(), plan.owners.clone());
        let http = measure(sampler, &limits, move |n| {
            let (api, owner, from) = (api.clone(), owners[n % owners.len()], week_of(monday, n, owners.len()));
            let path = format!("/api/v1/calendar?user_id={owner}&from={from}&to={}", from + time::Duration::days(6));
            async move { api.send(api.request(Method::GET, &path)).await }
        })
        .await;
        let (raw, owners) = (plan.raw.clone(), plan.owners.clone());
        let baseline = driver::run(&limits, move |n| {
            let (raw, owner, from) = (raw.clone(), owners[n % owners.len()], week_of(monday, n, owners.len()));
            // The range the calendar reads: the week, a day's margin each side for the
            // day-long tasks of other zones.
            let start = from.midnight().assume_utc() - time::Duration::days(1);
            async move { raw.calendar(owner, start, start + time::Duration::days(9)).await }
        })
        .await;
        let note = format!(
            "GET /api/v1/calendar?user_id=&from=&to= (a week of one of {} sales users, weeks around now; {} tasks loaded)",
            plan.owners.len(),
            plan.tasks
        );
        results.push(OpResult::new("calendar_week", &limits, http, Some(baseline), Some(note)));
    }

    if plan.wants("timeline") {
        step("timeline");
        // The first company loaded is the busiest: the load logs its 10,000 activities.
        let busiest = plan.ids[0];
        let api = plan.api.clone();
        let http = measure(sampler, &limits, move |_| {
            let api = api.clone();
            async move { api.send(api.request(Method::GET, &format!("/api/v1/companies/{busiest}/timeline"))).await }
        })
        .await;
        let raw = plan.raw.clone();
        let baseline = driver::run(&limits, move |_| {
            let raw = raw.clone();
            async move { raw.timeline(busiest).await }
        })
        .await;
        let note = format!(
            "GET /api/v1/companies/{{id}}/timeline, the first page of 50 of a company with {} activities",
            crate::load::TIMELINE_ACTIVITIES
        );
        results.push(OpResult::new("timeline", &limits, http, Some(baseline), Some(note)));
    }

    if plan.wants("create") {
        step("create");
        let (api, tag) = (plan.api.clone(), Arc::new(plan.tag.clone()));
        let http = measure(sampler, &limits, move |n| {
            let (api, name) = (api.clone(), format!("Bench Nowa Spółka {tag}-{n:07}"));
            async move { api.send(api.request(Method::POST, "/api/v1/companies").json(&json!({"name": name}))).await }
        })
        .await;
        let (raw, tag) = (plan.raw.clone(), Arc::new(plan.tag.clone()));
        let baseline = driver::run(&limits, move |n| {
            let (raw, code, name) = (raw.clone(), format!("RAW-{tag}-{n:07}"), format!("Raw Nowa Spółka {tag}-{n:07}"));
            async move { raw.insert(&code, &name).await }
        })
        .await;
        results.push(OpResult::new("create", &limits, http, Some(baseline), None));
    }

    if plan.wants("patch") {
        step("patch");
        // Distinct companies per request: a PATCH without If-Match on a company another
        // request is changing at the same moment is a different test.
        let (api, ids, tag) = (plan.api.clone(), plan.ids.clone(), Arc::new(plan.tag.clone()));
        let http = measure(sampler, &limits, move |n| {
            let (api, id) = (api.clone(), ids[(ids.len() / 2 + n) % ids.len()]);
            let body = json!({"description": format!("Benchmark change {tag}-{n}")});
            async move { api.send(api.request(Method::PATCH, &format!("/api/v1/companies/{id}")).json(&body)).await }
        })
        .await;
        let (raw, ids, tag) = (plan.raw.clone(), plan.ids.clone(), Arc::new(plan.tag.clone()));
        let baseline = driver::run(&limits, move |n| {
            let (raw, id, text) = (raw.clone(), ids[n % ids.len()], format!("Raw change {tag}-{n}"));
            async move { raw.update(id, &text).await }
        })
        .await;
        let note = "PATCH {\"description\"} without If-Match; raw: one UPDATE".to_string();
        results.push(OpResult::new("patch", &limits, http, Some(baseline), Some(note)));
    }
    if plan.wants("duplicate_check") {
        step("duplicate_check");
        // A draft named like loaded companies (two of their name words): the check reads
        // the key index and scores what it finds, as a create does before it writes.
        let (api, words) = (plan.api.clone(), plan.words.clone());
        let http = measure(sampler, &limits, move |n| {
            let name = format!("{} {}", words[n % words.len()], words[(n / words.len() + 1) % words.len()]);
            let body = json!({"kind": "companies", "record": {"name": name}});
            let api = api.clone();
            async move { api.send(api.request(Method::POST, "/api/v1/duplicates/check").json(&body)).await }
        })
        .await;
        let note = "POST /api/v1/duplicates/check with a name made of two loaded name words".to_string();
        results.push(OpResult::new("duplicate_check", &limits, http, None, Some(note)));
    }

    if plan.wants("duplicate_scan") {
        step("duplicate_scan");
        // One scan of every person (after one untimed scan): p50 is the whole base's time.
        let once = Limits { requests: 1, concurrency: 1, max_time: std::time::Duration::from_secs(3600) };
        let api = plan.api.clone();
        let http = measure(sampler, &once, move |_| {
            let api = api.clone();
            async move { crate::http::scan_people(&api).await }
        })
        .await;
        let note =
            "POST /api/v1/duplicates/scan {\"kind\": \"people\"} until the job is done: the whole base".to_string();
        results.push(OpResult::new("duplicate_scan", &once, http, None, Some(note)));
    }
    results
}

/// The Monday of this week (UTC).
fn this_monday() -> time::Date {
    let today = time::OffsetDateTime::now_utc().date();
    today - time::Duration::days(i64::from(today.weekday().number_days_from_monday()))
}

/// The week the `n`-th calendar request shows: each user in turn, each time another of
/// the nine weeks around this one.
fn week_of(monday: time::Date, n: usize, users: usize) -> time::Date {
    let week = ((n / users.max(1)) % 9) as i64 - 4;
    monday + time::Duration::weeks(week)
}

/// Runs an HTTP operation and notes the server's peak memory during it.
async fn measure<F, Fut>(sampler: &RssSampler, limits: &Limits, op: F) -> (Stats, u64)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    sampler.take_window();
    let stats = driver::run(limits, op).await;
    (stats, sampler.take_window())
}
