//! Duplicates and merges over HTTP, on SQLite and PostgreSQL: a create that looks like an
//! existing customer is refused with its candidates until confirmed; a draft is checked;
//! a merge keeps the chosen values, moves what referred to the merged cards, keeps their
//! ids leading to the survivor and tells the whole story in the history; bad merges are
//! problem+json.

mod firm;
mod support;

use firm::{errors, id_of};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;

fn candidate_ids(answer: &Value) -> Vec<String> {
    answer["candidates"].as_array().map(|c| c.iter().map(id_of).collect()).unwrap_or_default()
}

both_engines!(a_similar_company_is_refused_until_confirmed, |s: TestServer| async move {
    let first = s
        .create(
            "companies",
            json!({"name": "Петров Трейд ООД", "contact_methods": [{"kind": "email", "value": "office@petrov.example"}]}),
        )
        .await;
    let again = s.post("/api/v1/companies", json!({"name": "Petrov Treyd Ltd"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(again.header("content-type"), "application/problem+json");
    assert_eq!(again.body["type"], "/problems/duplicate_suspected");
    let candidate = &again.body["candidates"][0];
    assert_eq!(candidate["id"], first["id"]);
    assert_eq!(candidate["name"], "Петров Трейд ООД");
    assert!(candidate["score"].as_f64().unwrap() >= 0.6, "{candidate}");
    assert_eq!(candidate["reasons"], json!(["same_name"]));

    let by_email = s
        .post(
            "/api/v1/companies",
            json!({"name": "Something Else", "contact_methods": [{"kind": "email", "value": "Office@Petrov.example"}]}),
        )
        .await;
    assert_eq!(by_email.status, StatusCode::CONFLICT, "{}", by_email.body);
    assert!(by_email.body["candidates"][0]["reasons"].as_array().unwrap().contains(&json!("same_email")));

    let confirmed = s.post("/api/v1/companies?confirm_duplicate=true", json!({"name": "Petrov Treyd Ltd"})).await;
    assert_eq!(confirmed.status, StatusCode::CREATED, "{}", confirmed.body);
    let flagged = s.post("/api/v1/companies", json!({"name": "Petrov Treyd", "confirm_duplicate": true})).await;
    assert_eq!(flagged.status, StatusCode::CREATED, "{}", flagged.body);

    let unrelated = s.post("/api/v1/companies", json!({"name": "Vitosha Build"})).await;
    assert_eq!(unrelated.status, StatusCode::CREATED, "{}", unrelated.body);
    let unknown = s.post("/api/v1/companies?confirm=yes", json!({"name": "Z"})).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
});

both_engines!(a_draft_person_is_checked_with_swapped_names_and_scripts, |s: TestServer| async move {
    let maria = s
        .create(
            "people",
            json!({"given_name": "Мария", "family_name": "Петрова",
                   "contact_methods": [{"kind": "mobile", "value": "+359 88 123 4567"}]}),
        )
        .await;
    let check = s
        .post(
            "/api/v1/duplicates/check",
            json!({"kind": "people", "record": {"given_name": "Petrova", "family_name": "Mariya",
                   "contact_methods": [{"kind": "phone", "value": "0881234567"}]}}),
        )
        .await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert_eq!(candidate_ids(&check.body), [id_of(&maria)]);
    assert_eq!(check.body["candidates"][0]["reasons"], json!(["same_phone", "same_name"]), "{}", check.body);
    let except = s
        .post(
            "/api/v1/duplicates/check",
            json!({"kind": "people", "except": id_of(&maria), "record": {"given_name": "Мария", "family_name": "Петрова"}}),
        )
        .await;
    assert!(candidate_ids(&except.body).is_empty(), "{}", except.body);
    let bad = s.post("/api/v1/duplicates/check", json!({"kind": "deals", "record": {}})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors(&bad), [("kind".to_string(), "invalid_choice".to_string())]);
});

both_engines!(a_merge_keeps_chosen_values_moves_links_and_redirects, |s: TestServer| async move {
    let survivor = s
        .create(
            "companies",
            json!({"name": "Acme", "area": "North", "attributes": {"tier": "gold"},
                                    "contact_methods": [{"kind": "email", "value": "info@acme.example"}]}),
        )
        .await;
    let merged = s
        .post(
            "/api/v1/companies?confirm_duplicate=true",
            json!({"name": "ACME Ltd", "area": "South", "website": "acme.example", "attributes": {"since": "2020"},
                   "contact_methods": [{"kind": "phone", "value": "+359 2 123 4567"}]}),
        )
        .await
        .body;
    let (sid, mid) = (id_of(&survivor), id_of(&merged));
    let person = s
        .create("people", json!({"given_name": "Ivan", "family_name": "Petrov", "employments": [{"company_id": mid}]}))
        .await;
    let me = id_of(&s.get("/api/v1/users/me").await.body);
    let task = s.create("tasks", json!({"title": "Call", "assignee_id": me, "company_id": mid})).await;
    let call = s.create("activities", json!({"kind": "call", "subject": "Pricing", "company_id": mid})).await;
    // About the survivor, and about the merged card through its employee: one entry after.
    let visit = s
        .create(
            "activities",
            json!({"kind": "visit", "subject": "Site visit", "company_id": sid, "person_ids": [id_of(&person)]}),
        )
        .await;

    let answer = s
        .post(
            "/api/v1/merges",
            json!({"kind": "companies", "survivor_id": sid, "merged_ids": [mid], "fields": {"area": mid}}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let body = &answer.body;
    assert_eq!((body["id"].as_str(), body["name"].as_str()), (Some(sid.as_str()), Some("Acme")));
    assert_eq!(body["area"], "South", "the chosen value");
    assert_eq!(body["website"], "acme.example", "a gap filled from the merged card");
    assert_eq!(body["attributes"], json!({"tier": "gold", "since": "2020"}));
    assert_eq!(body["contact_methods"].as_array().map(Vec::len), Some(2), "{body}");

    let employee = s.get(&format!("/api/v1/people/{}", id_of(&person))).await.body;
    assert_eq!(employee["employments"][0]["company_id"], json!(sid));
    let task = s.get(&format!("/api/v1/tasks/{}", id_of(&task))).await.body;
    assert_eq!(task["company_id"], json!(sid));
    let timeline = s.get(&format!("/api/v1/companies/{sid}/timeline")).await.body;
    let mut shown: Vec<String> =
        timeline["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect();
    shown.sort();
    let mut expected = vec![id_of(&call), id_of(&visit)];
    expected.sort();
    assert_eq!(shown, expected, "both activities on the survivor's timeline, once each: {timeline}");

    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let gone = plain.get(format!("{}/api/v1/companies/{mid}", s.base)).bearer_auth(&s.token).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(gone.headers()["location"], format!("/api/v1/companies/{sid}").as_str());
    assert_eq!(id_of(&s.get(&format!("/api/v1/companies/{mid}")).await.body), sid, "followed to the survivor");

    let history = s.get(&format!("/api/v1/companies/{sid}/history")).await.body;
    let merge = &history["items"][0];
    assert_eq!(merge["action"], "merge");
    let fields: Vec<&str> = merge["changes"].as_array().unwrap().iter().filter_map(|c| c["field"].as_str()).collect();
    assert!(fields.contains(&"merged_ids") && fields.contains(&"area"), "{merge}");
    let merged_history: Vec<(String,)> =
        s.app.db.fetch_raw("SELECT action FROM audit_log WHERE action = 'merged'").await.unwrap();
    assert_eq!(merged_history.len(), 1, "the merged card's own history ends with the merge");
});

both_engines!(bad_merges_are_problems, |s: TestServer| async move {
    let a = id_of(&s.create("companies", json!({"name": "Alpha Works"})).await);
    let b = id_of(&s.create("companies", json!({"name": "Beta Tools"})).await);
    let p = id_of(&s.create("people", json!({"given_name": "Ivan", "family_name": "Petrov"})).await);
    let merge = |body: Value| {
        let s = &s;
        async move { s.call(Method::POST, "/api/v1/merges", Some(body), None).await }
    };
    let itself = merge(json!({"kind": "companies", "survivor_id": a, "merged_ids": [a]})).await;
    assert_eq!(itself.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(errors(&itself), [("merged_ids[0]".to_string(), "survivor_merged".to_string())]);
    let kinds = merge(json!({"kind": "companies", "survivor_id": a, "merged_ids": [p]})).await;
    assert_eq!(errors(&kinds), [("merged_ids[0]".to_string(), "different_kind".to_string())]);
    let unknown =
        merge(json!({"kind": "companies", "survivor_id": a, "merged_ids": ["01900000-0000-7000-8000-000000000000"]}))
            .await;
    assert_eq!(errors(&unknown), [("merged_ids[0]".to_string(), "unknown_record".to_string())]);
    let field = merge(json!({"kind": "companies", "survivor_id": a, "merged_ids": [b], "fields": {"colour": b}})).await;
    assert_eq!(errors(&field), [("fields.colour".to_string(), "unknown_field".to_string())]);
    let stale = s
        .call(
            Method::POST,
            "/api/v1/merges",
            Some(json!({"kind": "companies", "survivor_id": a, "merged_ids": [b]})),
            Some(7),
        )
        .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);
    let mut versions = serde_json::Map::new();
    versions.insert(b.clone(), json!(3));
    let stale_merged =
        merge(json!({"kind": "companies", "survivor_id": a, "merged_ids": [b], "versions": versions})).await;
    assert_eq!(stale_merged.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale_merged.header("content-type"), "application/problem+json");
    // Nothing was written by the refused merges.
    assert_eq!(s.get(&format!("/api/v1/companies/{b}")).await.status, StatusCode::OK);
});

both_engines!(a_scan_groups_people_and_a_dismissal_keeps_them_apart, |s: TestServer| async move {
    let anna = s.create("people", json!({"given_name": "Anna", "family_name": "Nowak"})).await;
    let typo =
        s.post("/api/v1/people?confirm_duplicate=true", json!({"given_name": "Nowak", "family_name": "Ana"})).await;
    assert_eq!(typo.status, StatusCode::CREATED);
    s.create("people", json!({"given_name": "Jan", "family_name": "Kowalski"})).await;

    let started = s.post("/api/v1/duplicates/scan", json!({"kind": "people"})).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.body);
    let job = started.body["job_id"].as_str().unwrap().to_string();
    assert_eq!(started.header("location"), format!("/api/v1/duplicates/scans/{job}"));
    let runner = rapport_app::jobs::Runner::new(s.app.clone(), rapport_app::jobs::kinds().into());
    runner.run_due().await.unwrap();
    let state = s.get(&format!("/api/v1/duplicates/scans/{job}")).await.body;
    assert_eq!(state["state"], "done", "{state}");

    let found = s.get("/api/v1/duplicates?kind=people").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let items = found.body["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "{}", found.body);
    let mut records: Vec<String> =
        items[0]["records"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    records.sort();
    let mut expected = vec![id_of(&anna), id_of(&typo.body)];
    expected.sort();
    assert_eq!(records, expected);
    assert!(items[0]["reasons"].as_array().unwrap().contains(&json!("similar_name")), "{}", items[0]);
    assert_eq!(found.body["next_cursor"], Value::Null);
    assert_eq!(s.get("/api/v1/duplicates?kind=people&colour=red").await.status, StatusCode::BAD_REQUEST);

    let group = items[0]["id"].as_str().unwrap();
    let dismissed = s.call(Method::POST, &format!("/api/v1/duplicates/{group}/dismiss"), None, None).await;
    assert_eq!(dismissed.status, StatusCode::NO_CONTENT);
    assert!(s.get("/api/v1/duplicates?kind=people").await.body["items"].as_array().unwrap().is_empty());
    let again = s.post("/api/v1/duplicates/scan", json!({"kind": "people"})).await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    runner.run_due().await.unwrap();
    assert!(
        s.get("/api/v1/duplicates?kind=people").await.body["items"].as_array().unwrap().is_empty(),
        "a dismissed pair is not found again"
    );
});
