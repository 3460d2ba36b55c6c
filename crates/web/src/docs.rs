//! The API description: OpenAPI 3.1 at `/api/v1/openapi.json` and a readable page at
//! `/api/docs`, both built from one table of operations and served with no network.

use axum::Router;
use axum::response::{Html, IntoResponse, Json};
use axum::routing::get;
use serde_json::{Map, Value, json};

use crate::AppState;

/// Method, path, summary, group, and whether it takes a JSON body.
const OPERATIONS: &[(&str, &str, &str, &str, bool)] = &[
    ("post", "/api/v1/auth/tokens", "Sign in with login and password; returns a bearer token", "auth", true),
    ("delete", "/api/v1/auth/tokens/current", "Revoke the token used for this request", "auth", false),
    (
        "get",
        "/api/v1/search",
        "Search every kind of record: q (words as prefixes, \"phrases\", key=value, city:Sofia, owner:me, -word), limit per kind (1-50, default 8), kinds (company,person); results grouped by kind, best first",
        "search",
        false,
    ),
    ("get", "/api/v1/users", "List users (administrators)", "users", false),
    ("post", "/api/v1/users", "Create a user: login, name, email, password, role, team_id, clearance", "users", true),
    ("get", "/api/v1/users/me", "The caller's own user record", "users", false),
    ("get", "/api/v1/users/{id}", "One user", "users", false),
    (
        "patch",
        "/api/v1/users/{id}",
        "Change a user (name, email, password; role, team_id, clearance and disabled by another administrator)",
        "users",
        true,
    ),
    (
        "get",
        "/api/v1/companies",
        "List companies: limit, cursor, sort (name, code, created_at, updated_at; - for descending), q, status, type, level, stage, area, owner_id, parent_id, category, archived, attr.KEY",
        "companies",
        false,
    ),
    (
        "post",
        "/api/v1/companies",
        "Create a company (only name is required); 409 duplicate_suspected with candidates when it looks like an existing one, unless confirm_duplicate=true (query or body)",
        "companies",
        true,
    ),
    ("get", "/api/v1/companies/{id}", "One company, with ETag", "companies", false),
    (
        "patch",
        "/api/v1/companies/{id}",
        "Change a company with a JSON merge patch; If-Match guards against lost updates",
        "companies",
        true,
    ),
    (
        "delete",
        "/api/v1/companies/{id}",
        "Delete a company nothing refers to (409 lists the referrers)",
        "companies",
        false,
    ),
    ("get", "/api/v1/companies/{id}/history", "Every change: who, when, field, old and new value", "companies", false),
    ("post", "/api/v1/companies/{id}/archive", "Archive: hidden from lists, nothing lost", "companies", false),
    ("post", "/api/v1/companies/{id}/unarchive", "Bring an archived company back", "companies", false),
    (
        "get",
        "/api/v1/people",
        "List people: limit, cursor, sort (name, created_at, updated_at), q, owner_id, company_id, category, archived, attr.KEY",
        "people",
        false,
    ),
    (
        "post",
        "/api/v1/people",
        "Create a person (a given or family name is required); 409 duplicate_suspected with candidates when they look like an existing one, unless confirm_duplicate=true",
        "people",
        true,
    ),
    ("get", "/api/v1/people/{id}", "One person, with ETag", "people", false),
    ("patch", "/api/v1/people/{id}", "Change a person with a JSON merge patch", "people", true),
    ("delete", "/api/v1/people/{id}", "Delete a person", "people", false),
    ("get", "/api/v1/people/{id}/history", "Every change to the person", "people", false),
    ("post", "/api/v1/people/{id}/archive", "Archive a person", "people", false),
    ("post", "/api/v1/people/{id}/unarchive", "Bring an archived person back", "people", false),
    ("get", "/api/v1/companies/{id}/shares", "Who a company is shared with", "sharing", false),
    (
        "post",
        "/api/v1/companies/{id}/shares",
        "Share a company with a user or team: user_id or team_id, access (read or edit)",
        "sharing",
        true,
    ),
    ("delete", "/api/v1/companies/{id}/shares/{share_id}", "Stop sharing a company", "sharing", false),
    ("get", "/api/v1/people/{id}/shares", "Who a person is shared with", "sharing", false),
    ("post", "/api/v1/people/{id}/shares", "Share a person with a user or team", "sharing", true),
    ("delete", "/api/v1/people/{id}/shares/{share_id}", "Stop sharing a person", "sharing", false),
    (
        "get",
        "/api/v1/filters",
        "Saved filters the caller sees (their own and their teams'): collection (companies or people)",
        "lists",
        false,
    ),
    (
        "post",
        "/api/v1/filters",
        "Save a filter: name, collection, query (the list's query parameters, checked as the list checks them), shared_with_team_id",
        "lists",
        true,
    ),
    (
        "get",
        "/api/v1/filters/{id}",
        "One saved filter; apply it with GET /companies?filter={id} (or /people)",
        "lists",
        false,
    ),
    (
        "patch",
        "/api/v1/filters/{id}",
        "Change a filter's name, query or team (its owner or an administrator)",
        "lists",
        true,
    ),
    ("delete", "/api/v1/filters/{id}", "Delete a filter no dynamic list is built on (409 names them)", "lists", false),
    ("get", "/api/v1/filters/{id}/history", "Every change to a saved filter", "lists", false),
    ("get", "/api/v1/lists", "Distribution lists the caller sees: collection (companies or people)", "lists", false),
    (
        "post",
        "/api/v1/lists",
        "Create a list: name, kind (static or dynamic), collection, filter_id (dynamic), description, shared_with_team_id",
        "lists",
        true,
    ),
    ("get", "/api/v1/lists/{id}", "One list", "lists", false),
    ("patch", "/api/v1/lists/{id}", "Change a list's name, description, filter or team", "lists", true),
    ("delete", "/api/v1/lists/{id}", "Delete a list (its members stay in the customer base)", "lists", false),
    ("get", "/api/v1/lists/{id}/history", "Every change to a list, its members added and removed", "lists", false),
    (
        "get",
        "/api/v1/lists/{id}/members",
        "The members as the company or people list shows them: limit, cursor, sort (a dynamic list: its filter's result now)",
        "lists",
        false,
    ),
    (
        "post",
        "/api/v1/lists/{id}/members",
        "Add to a static list: record_ids, or every visible record of filter (list query) or filter_id",
        "lists",
        true,
    ),
    ("delete", "/api/v1/lists/{id}/members/{record_id}", "Take a record off a static list", "lists", false),
    ("get", "/api/v1/lists/{id}/members/export", "The members as CSV: format=csv", "lists", false),
    (
        "get",
        "/api/v1/companies/export",
        "Export the company list as format=csv or xlsx, with the list's own filters, q and filter=ID (read page by page; formula-like CSV cells get a leading ')",
        "imports",
        false,
    ),
    (
        "get",
        "/api/v1/people/export",
        "Export the people list as format=csv, xlsx or vcf (vCard 4.0), with the list's own filters, q and filter=ID",
        "imports",
        false,
    ),
    (
        "post",
        "/api/v1/imports",
        "Import a file (multipart/form-data): file (CSV, XLSX, XLS, ODS, vCard), kind (companies|people), mapping (JSON header to field) or mapping_id, mode (all_or_nothing|valid_rows), dry_run, encoding, delimiter, upsert (auto|none|code|external_id); 202 with the queued import",
        "imports",
        false,
    ),
    (
        "get",
        "/api/v1/imports",
        "The caller's imports, newest first (every import for administrators)",
        "imports",
        false,
    ),
    (
        "get",
        "/api/v1/imports/{id}",
        "An import: state, progress {done, total, percent}, summary (rows, created, updated, unchanged, rejected, duplicates, preview) and the report link",
        "imports",
        false,
    ),
    (
        "get",
        "/api/v1/imports/{id}/columns",
        "The uploaded file's headers, each with its suggested field, and the first rows",
        "imports",
        false,
    ),
    (
        "get",
        "/api/v1/imports/{id}/report",
        "Every refused row as CSV: line, column, reason, code, existing_id",
        "imports",
        false,
    ),
    (
        "post",
        "/api/v1/imports/{id}/run",
        "Run an uploaded or checked import again with these options (JSON)",
        "imports",
        true,
    ),
    (
        "post",
        "/api/v1/imports/{id}/undo",
        "Undo a finished import (deletes what it created, restores what it changed; refused when a record changed since); 202",
        "imports",
        false,
    ),
    ("get", "/api/v1/import-mappings", "The caller's saved column mappings: kind filters", "imports", false),
    (
        "post",
        "/api/v1/import-mappings",
        "Save a mapping under a name: name, kind, columns {header: field}",
        "imports",
        true,
    ),
    ("delete", "/api/v1/import-mappings/{id}", "Delete a saved mapping", "imports", false),
    ("get", "/api/v1/companies/{id}/lists", "The lists a company is in (static and dynamic)", "lists", false),
    ("get", "/api/v1/people/{id}/lists", "The lists a person is in", "lists", false),
    (
        "get",
        "/api/v1/activities",
        "Activities the caller may see, newest first: limit, cursor, sort (occurred_at, -occurred_at), kind, company_id, person_id, thread_id, user_id, created_by, from, to (instants), archived",
        "activities",
        false,
    ),
    (
        "post",
        "/api/v1/activities",
        "Log an activity: kind (call, meeting, email, letter, fax, visit, note or an added kind), subject, occurred_at (an instant or a wall-clock time in the caller's zone; default now), direction (incoming, outgoing), duration_minutes, outcome, body (Markdown; answers carry body_html, rendered safely), company_id, person_ids, user_ids (default: the caller), thread_id, reply_to_id (a reply joins the thread of what it answers)",
        "activities",
        true,
    ),
    ("get", "/api/v1/activities/{id}", "One activity, with ETag", "activities", false),
    ("patch", "/api/v1/activities/{id}", "Change an activity with a JSON merge patch (If-Match)", "activities", true),
    (
        "delete",
        "/api/v1/activities/{id}",
        "Archive an activity (it leaves timelines and lists, keeps its history); 204",
        "activities",
        false,
    ),
    ("post", "/api/v1/activities/{id}/unarchive", "Restore an archived activity", "activities", false),
    ("get", "/api/v1/activities/{id}/history", "Every change to an activity", "activities", false),
    (
        "get",
        "/api/v1/companies/{id}/timeline",
        "The company's timeline: its activities and its people's, newest first; limit, cursor, kind, person_id, thread_id",
        "activities",
        false,
    ),
    (
        "get",
        "/api/v1/people/{id}/timeline",
        "The person's timeline, newest first; limit, cursor, kind, thread_id",
        "activities",
        false,
    ),
    (
        "get",
        "/api/v1/threads",
        "Threads with an activity about record_id, or those the caller started; limit",
        "activities",
        false,
    ),
    ("post", "/api/v1/threads", "Start a thread: subject", "activities", true),
    ("get", "/api/v1/threads/{id}", "A thread with its activities as a tree of replies", "activities", false),
    ("get", "/api/v1/activity-kinds", "The kinds of activity", "activities", false),
    ("post", "/api/v1/activity-kinds", "Add a kind of activity (administrators): key, name", "activities", true),
    (
        "get",
        "/api/v1/tasks",
        "Tasks the caller may see, by due time (undated last): limit, cursor, sort (due_at, -due_at), scope (mine, team, watching, created, all), assignee_id (or me), status (comma-separated), overdue=true, company_id, person_id, related_kind with related_id, due_from, due_to (dates in the caller's zone or instants)",
        "tasks",
        false,
    ),
    (
        "post",
        "/api/v1/tasks",
        "Create a task: title, description, assignee_id (default: the caller), status (open, in_progress, done, cancelled), priority (low, normal, high, urgent), due_at (a wall-clock time read in time_zone, or an instant) or due_date, time_zone (IANA; default: the assignee's), duration_minutes, remind_before_minutes, recurrence (RFC 5545 RRULE: FREQ DAILY/WEEKLY/MONTHLY/YEARLY, INTERVAL, COUNT or UNTIL, BYDAY incl. 2TU/-1FR, BYMONTHDAY, BYMONTH, WKST), company_id, person_id, related {kind, id}, watchers; or \"schedule\": \"next_free_slot\" with duration_minutes (and not_before) to place it in the assignee's next free working time",
        "tasks",
        true,
    ),
    (
        "get",
        "/api/v1/tasks/{id}",
        "One task, with ETag: due_at in UTC, due_local in its time_zone, remind_at",
        "tasks",
        false,
    ),
    (
        "patch",
        "/api/v1/tasks/{id}",
        "Change a task with a JSON merge patch; {\"status\": \"done\"} on a recurring task makes its next occurrence (next_occurrence_id)",
        "tasks",
        true,
    ),
    ("delete", "/api/v1/tasks/{id}", "Delete a task", "tasks", false),
    ("get", "/api/v1/tasks/{id}/history", "Every change to a task", "tasks", false),
    (
        "get",
        "/api/v1/calendar",
        "A user's calendar: user_id (default: the caller), from and to (dates in the user's zone, to included, at most 62 days); working hours, absences, holidays and the entries (tasks) on those days",
        "calendar",
        false,
    ),
    (
        "get",
        "/api/v1/calendar/free-slot",
        "Where a task would be scheduled: user_id, duration_minutes, not_before; {start, end} (null when nothing is free within a year)",
        "calendar",
        false,
    ),
    ("get", "/api/v1/users/{id}/working-time", "A user's time zone and working hours per weekday", "calendar", false),
    (
        "patch",
        "/api/v1/users/{id}/working-time",
        "Change a user's time_zone and working_hours ({\"mon\": [\"09:00-12:00\", \"13:00-17:00\"], ...}) with a JSON merge patch (the user or an administrator)",
        "calendar",
        true,
    ),
    ("get", "/api/v1/users/{id}/absences", "A user's absences", "calendar", false),
    (
        "post",
        "/api/v1/users/{id}/absences",
        "Record an absence: starts_on, ends_on (both included), note",
        "calendar",
        true,
    ),
    ("delete", "/api/v1/users/{id}/absences/{absence_id}", "Remove an absence", "calendar", false),
    ("get", "/api/v1/holidays", "The company's holidays: from, to (dates)", "calendar", false),
    ("post", "/api/v1/holidays", "Add a holiday: day, name (administrators)", "calendar", true),
    ("delete", "/api/v1/holidays/{id}", "Remove a holiday (administrators)", "calendar", false),
    (
        "get",
        "/api/v1/users/me/calendar-feed",
        "{url} of the caller's iCalendar feed (tasks as VTODO), a secret address made on first use",
        "calendar",
        false,
    ),
    (
        "post",
        "/api/v1/users/me/calendar-feed",
        "Revoke the feed's address and make a new one ({url}); the old one answers 404 (also POST .../revoke)",
        "calendar",
        false,
    ),
    (
        "delete",
        "/api/v1/users/me/calendar-feed",
        "Turn the feed off until its address is asked for again",
        "calendar",
        false,
    ),
    (
        "get",
        "/feeds/{file}",
        "A calendar feed (text/calendar, RFC 5545): file is the secret of the feed's address followed by .ics; no sign-in",
        "calendar",
        false,
    ),
    ("get", "/api/v1/roles", "Roles and what they grant (administrators)", "access", false),
    (
        "post",
        "/api/v1/roles",
        "Create a role: key, name, grants {kind: {action: scope}}, fields {kind: {field: hidden|read_only}}",
        "access",
        true,
    ),
    ("get", "/api/v1/roles/{id}", "One role", "access", false),
    ("patch", "/api/v1/roles/{id}", "Change a role's name, grants or field rules (not admin)", "access", true),
    ("get", "/api/v1/roles/{id}/history", "Changes to a role", "access", false),
    ("get", "/api/v1/teams", "Teams", "access", false),
    ("post", "/api/v1/teams", "Create a team: name, parent_id, manager_id", "access", true),
    ("get", "/api/v1/teams/{id}", "One team", "access", false),
    ("patch", "/api/v1/teams/{id}", "Change a team", "access", true),
    ("get", "/api/v1/teams/{id}/history", "Changes to a team", "access", false),
    (
        "get",
        "/api/v1/deletion-requests",
        "Deletion requests the caller filed or decides (all, for administrators)",
        "access",
        false,
    ),
    (
        "post",
        "/api/v1/deletion-requests",
        "Ask for a customer to be deleted: kind (company or person), id, reason",
        "access",
        true,
    ),
    ("get", "/api/v1/deletion-requests/{id}", "One deletion request", "access", false),
    (
        "post",
        "/api/v1/deletion-requests/{id}/approve",
        "Approve: deletes the record, or archives it when others refer to it",
        "access",
        false,
    ),
    ("post", "/api/v1/deletion-requests/{id}/reject", "Reject a deletion request", "access", false),
    ("get", "/api/v1/notifications", "The caller's notifications", "notifications", false),
    ("post", "/api/v1/notifications/{id}/read", "Mark a notification read", "notifications", false),
    ("post", "/api/v1/notifications/read-all", "Mark every notification of the caller read", "notifications", false),
    (
        "get",
        "/api/v1/notifications/email-failures",
        "Notifications whose email could not be sent (administrators)",
        "notifications",
        false,
    ),
    (
        "get",
        "/api/v1/users/me/notification-preferences",
        "How the caller hears of each kind of event",
        "notifications",
        false,
    ),
    (
        "put",
        "/api/v1/users/me/notification-preferences",
        "Choose in-app and email per kind of event",
        "notifications",
        true,
    ),
    ("get", "/api/v1/custom-fields", "Custom field definitions (record_kind=company|person)", "custom fields", false),
    (
        "post",
        "/api/v1/custom-fields",
        "Define a custom field: record_kind, key, label, type (text, number, money, date, choice, multi_choice, boolean, link), required, choices, currency, target",
        "custom fields",
        true,
    ),
    ("get", "/api/v1/custom-fields/{id}", "One custom field definition", "custom fields", false),
    ("patch", "/api/v1/custom-fields/{id}", "Change label, choices, required or position", "custom fields", true),
    (
        "get",
        "/api/v1/categories",
        "Category kinds with their values, including the built-in stage and level lists",
        "categories",
        false,
    ),
    ("post", "/api/v1/categories", "Create a category kind: key, name, multiple, values", "categories", true),
    ("get", "/api/v1/categories/{id}", "One category kind", "categories", false),
    ("patch", "/api/v1/categories/{id}", "Rename or reorder a category kind", "categories", true),
    ("delete", "/api/v1/categories/{id}", "Delete a kind whose values nobody uses", "categories", false),
    (
        "get",
        "/api/v1/categories/{id}/history",
        "Changes to a category kind and its values (administrators)",
        "categories",
        false,
    ),
    ("post", "/api/v1/categories/{id}/values", "Add a value: key, name, position", "categories", true),
    ("patch", "/api/v1/categories/{id}/values/{value_id}", "Rename or reorder a value", "categories", true),
    ("delete", "/api/v1/categories/{id}/values/{value_id}", "Delete a value nobody uses", "categories", false),
    (
        "post",
        "/api/v1/duplicates/check",
        "The existing records a draft may repeat: kind (companies or people), record (the draft), except (an id to leave out); answers candidates with id, name, score (0-1) and reasons",
        "duplicates",
        true,
    ),
    (
        "post",
        "/api/v1/duplicates/scan",
        "Start a batch scan of a kind (companies or people) in the background; answers 202 with job_id",
        "duplicates",
        true,
    ),
    ("get", "/api/v1/duplicates/scans/{id}", "A duplicate scan job: state, progress and result", "duplicates", false),
    (
        "get",
        "/api/v1/duplicates",
        "What the last scan of a kind found: kind (required), limit, cursor; items with id, records, names, score and reasons, best first",
        "duplicates",
        false,
    ),
    ("post", "/api/v1/duplicates/{id}/dismiss", "Mark a found group as not duplicates", "duplicates", false),
    (
        "post",
        "/api/v1/merges",
        "Merge records into a survivor: kind, survivor_id, merged_ids, fields ({field: id of the record whose value stays}), versions ({id: version seen}); answers the survivor",
        "duplicates",
        true,
    ),
    ("get", "/healthz", "The process is alive", "operations", false),
    ("get", "/readyz", "The database answers", "operations", false),
    ("get", "/metrics", "Prometheus metrics", "operations", false),
];

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(openapi)).route("/api/docs", get(page))
}

fn spec() -> Value {
    let mut paths = Map::new();
    for (method, path, summary, tag, body) in OPERATIONS {
        let mut operation = json!({
            "summary": summary,
            "tags": [tag],
            "responses": {
                "default": {"description": "An error as application/problem+json",
                            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
                "2XX": {"description": "Success", "content": {"application/json": {}}}
            }
        });
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                let schema = if name == "file" {
                    json!({"type": "string"})
                } else {
                    json!({"type": "string", "format": "uuid"})
                };
                json!({"name": name, "in": "path", "required": true, "schema": schema})
            })
            .collect();
        if let Some(object) = operation.as_object_mut() {
            if !params.is_empty() {
                object.insert("parameters".into(), Value::from(params));
            }
            if *body {
                object.insert(
                    "requestBody".into(),
                    json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}}),
                );
            }
            if path.starts_with("/api/v1/") && *path != "/api/v1/auth/tokens" {
                object.insert("security".into(), json!([{"bearer": []}, {"session": []}]));
            }
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        if let Some(entry) = entry.as_object_mut() {
            entry.insert(method.to_string(), operation);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Rapport API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "The customer base of Rapport. Errors are application/problem+json; lists are keyset-paginated with next_cursor."},
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "rapport_session",
                            "description": "A signed-in page's session; requests that change something also send the page's CSRF token (meta csrf-token) as X-CSRF-Token."}
            },
            "schemas": {"Problem": {"type": "object", "properties": {
                "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                "detail": {"type": "string"}, "errors": {"type": "array", "items": {"type": "object", "properties": {
                    "field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}}}}}}}
        }
    })
}

async fn openapi() -> impl IntoResponse {
    Json(spec())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

async fn page() -> Html<String> {
    let mut rows = String::new();
    let mut group = "";
    for (method, path, summary, tag, _) in OPERATIONS {
        if *tag != group {
            group = tag;
            rows.push_str(&format!("<tr><th colspan=\"3\">{}</th></tr>", escape(tag)));
        }
        rows.push_str(&format!(
            "<tr><td class=\"m {m}\">{M}</td><td><code>{p}</code></td><td>{s}</td></tr>",
            m = method,
            M = method.to_uppercase(),
            p = escape(path),
            s = escape(summary)
        ));
    }
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>Rapport API</title><style>body{{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2330}}\
table{{border-collapse:collapse;width:100%}}td,th{{padding:.35rem .6rem;border-bottom:1px solid #dde1e8;text-align:left;vertical-align:top}}\
th{{background:#f3f5f9;padding-top:1rem}}.m{{font-weight:600;width:5rem}}.get{{color:#0b6b35}}.post{{color:#0a4fa3}}.patch{{color:#8a5300}}.delete{{color:#a3231a}}</style></head>\
<body><h1>Rapport API</h1><p>Send <code>Authorization: Bearer &lt;token&gt;</code> (from <code>POST /api/v1/auth/tokens</code>), \
or, from a signed-in page, its session cookie with the page's CSRF token in <code>X-CSRF-Token</code> on changes. \
Bodies are JSON; changes are JSON merge patches guarded by <code>If-Match</code>; every error is <code>application/problem+json</code>. \
The machine-readable description is <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p><table>{rows}</table></body></html>"
    ))
}
