//! Activities over HTTP, on SQLite and PostgreSQL: logging a call against a company and
//! its person, field errors as problem+json, If-Match, archiving, the cards' timelines
//! with their filters and cursor, replies that make a thread read back as a tree,
//! Markdown bodies that cannot carry script, kinds an administrator adds, and who sees
//! which activities.

mod firm;
mod support;

use firm::{Firm, error, errors, id_of, ids, items};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;

async fn log(s: &TestServer, body: Value) -> Value {
    s.create("activities", body).await
}

both_engines!(a_call_is_logged_read_changed_and_archived, |s: TestServer| async move {
    let me = id_of(&s.get("/api/v1/users/me").await.body);
    let company = id_of(&s.create("companies", json!({"name": "Łódź Textiles"})).await);
    let person = id_of(
        &s.create(
            "people",
            json!({"given_name": "Maria", "family_name": "Petrova", "employments": [{"company_id": company}]}),
        )
        .await,
    );
    let body = json!({"kind": "call", "subject": "Prices for spring", "occurred_at": "2026-03-23T09:00:00Z",
                      "company_id": company, "person_ids": [person], "direction": "outgoing",
                      "duration_minutes": 12, "outcome": "Sends an offer", "body": "They want **20%** off."});
    let answer = s.post("/api/v1/activities", body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let call = answer.body.clone();
    let path = format!("/api/v1/activities/{}", id_of(&call));
    assert_eq!(answer.header("location"), path);
    assert_eq!(answer.header("etag"), "\"1\"");
    assert_eq!(call["kind"], "call");
    assert_eq!(call["occurred_at"], "2026-03-23T09:00:00Z");
    assert_eq!(call["company_id"], json!(company));
    assert_eq!(call["person_ids"], json!([person]));
    assert_eq!(call["user_ids"], json!([me]), "the caller took part unless told otherwise");
    assert_eq!(call["body_html"], "<p>They want <strong>20%</strong> off.</p>\n");

    let stale = s.call(Method::PATCH, &path, Some(json!({"subject": "x"})), Some(7)).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let changed = s.call(Method::PATCH, &path, Some(json!({"outcome": "Offer sent"})), Some(1)).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!((changed.body["outcome"].as_str(), changed.body["version"].as_i64()), (Some("Offer sent"), Some(2)));
    assert_eq!(changed.body["person_ids"], json!([person]), "a patch keeps what it does not name");
    let read_only = s.call(Method::PATCH, &path, Some(json!({"version": 9})), None).await;
    assert_eq!(read_only.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", read_only.body);

    let history = s.get(&format!("{path}/history")).await;
    let actions: Vec<_> = items(&history).iter().map(|e| e["action"].as_str().unwrap_or("").to_string()).collect();
    assert_eq!(actions, ["update", "create"]);

    let deleted = s.call(Method::DELETE, &path, None, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert!(s.get(&path).await.body["archived_at"].is_string(), "archived, not gone");
    assert!(ids(&s.get(&format!("/api/v1/companies/{company}/timeline")).await).is_empty());
    assert_eq!(ids(&s.get("/api/v1/activities?archived=true").await), [id_of(&call)]);
    let company_gone = s.call(Method::DELETE, &format!("/api/v1/companies/{company}"), None, None).await;
    assert_eq!(company_gone.status, StatusCode::CONFLICT, "activities keep their company: {}", company_gone.body);
});

both_engines!(bad_activities_get_every_field_error_at_once, |s: TestServer| async move {
    let answer = s
        .post(
            "/api/v1/activities",
            json!({"kind": "telegram", "subject": "", "direction": "up", "occurred_at": "soon",
                   "company_id": "01900000-0000-7000-8000-000000000000"}),
        )
        .await;
    assert_eq!(answer.header("content-type"), "application/problem+json");
    let mut found = errors(&answer);
    found.sort();
    assert_eq!(
        found,
        [
            ("direction".into(), "invalid_choice".into()),
            ("occurred_at".into(), "invalid_datetime".into()),
            ("subject".into(), "required".into()),
        ]
    );
    let unknown = s.post("/api/v1/activities", json!({"kind": "telegram", "subject": "Hi"})).await;
    assert_eq!(errors(&unknown), error("kind", "unknown_kind"));
    let company = s
        .post(
            "/api/v1/activities",
            json!({"kind": "note", "subject": "Hi", "company_id": "01900000-0000-7000-8000-000000000000"}),
        )
        .await;
    assert_eq!(errors(&company), error("company_id", "unknown_company"));
    let extra = s.post("/api/v1/activities", json!({"kind": "note", "subject": "Hi", "colour": "red"})).await;
    assert_eq!(extra.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", extra.body);
    let filter = s.get("/api/v1/activities?colour=red").await;
    assert_eq!(filter.status, StatusCode::BAD_REQUEST);
});

both_engines!(markdown_bodies_cannot_carry_script, |s: TestServer| async move {
    let note = log(
        &s,
        json!({"kind": "note", "subject": "Pasted", "body":
               "<script>alert('x')</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>"}),
    )
    .await;
    let html = note["body_html"].as_str().unwrap();
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("href=\"javascript"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "shown as text: {html}");
    assert_eq!(note["body"].as_str().map(|b| b.starts_with("<script>")), Some(true), "the source is kept as written");
});

both_engines!(a_timeline_pages_newest_first_with_filters, |s: TestServer| async move {
    let company = id_of(&s.create("companies", json!({"name": "Sofia Mills"})).await);
    let other = id_of(&s.create("companies", json!({"name": "Other"})).await);
    let maria = id_of(
        &s.create(
            "people",
            json!({"given_name": "Maria", "family_name": "Ivanova", "employments": [{"company_id": company}]}),
        )
        .await,
    );
    let mut logged = Vec::new();
    for day in 1..=5 {
        let kind = if day % 2 == 0 { "meeting" } else { "call" };
        let at = format!("2026-03-0{day}T10:00:00Z");
        logged.push(id_of(
            &log(&s, json!({"kind": kind, "subject": format!("Day {day}"), "occurred_at": at, "company_id": company}))
                .await,
        ));
    }
    // Only about Maria: on her company's timeline through her employment.
    let hers = id_of(
        &log(
            &s,
            json!({"kind": "note", "subject": "Maria", "occurred_at": "2026-03-06T10:00:00Z", "person_ids": [maria]}),
        )
        .await,
    );
    log(&s, json!({"kind": "note", "subject": "Elsewhere", "company_id": other})).await;

    let first = s.get(&format!("/api/v1/companies/{company}/timeline?limit=4")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(ids(&first), [hers.clone(), logged[4].clone(), logged[3].clone(), logged[2].clone()], "newest first");
    let cursor = first.body["next_cursor"].as_str().expect("more").to_string();
    let rest = s.get(&format!("/api/v1/companies/{company}/timeline?limit=4&cursor={cursor}")).await;
    assert_eq!(ids(&rest), [logged[1].clone(), logged[0].clone()]);
    assert!(rest.body["next_cursor"].is_null());

    let meetings = s.get(&format!("/api/v1/companies/{company}/timeline?kind=meeting")).await;
    assert_eq!(ids(&meetings), [logged[3].clone(), logged[1].clone()]);
    let of_maria = s.get(&format!("/api/v1/companies/{company}/timeline?person_id={maria}")).await;
    assert_eq!(ids(&of_maria), std::slice::from_ref(&hers));
    assert_eq!(ids(&s.get(&format!("/api/v1/people/{maria}/timeline")).await), [hers]);
    let bad = s.get(&format!("/api/v1/companies/{company}/timeline?sort=occurred_at")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let missing = s.get("/api/v1/companies/01900000-0000-7000-8000-000000000000/timeline").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
});

both_engines!(replies_make_a_thread_read_as_a_tree, |s: TestServer| async move {
    let company = id_of(&s.create("companies", json!({"name": "Kraków Steel"})).await);
    let email = log(
        &s,
        json!({"kind": "email", "subject": "Offer", "occurred_at": "2026-03-01T10:00:00Z", "company_id": company}),
    )
    .await;
    let reply = log(
        &s,
        json!({"kind": "call", "subject": "About the offer", "occurred_at": "2026-03-02T10:00:00Z",
                              "company_id": company, "reply_to_id": id_of(&email)}),
    )
    .await;
    let thread = reply["thread_id"].as_str().expect("a reply starts a thread").to_string();
    let again = log(
        &s,
        json!({"kind": "email", "subject": "Re: offer", "occurred_at": "2026-03-03T10:00:00Z",
                              "company_id": company, "reply_to_id": id_of(&reply)}),
    )
    .await;
    let second = log(
        &s,
        json!({"kind": "note", "subject": "Also", "occurred_at": "2026-03-04T10:00:00Z",
                               "company_id": company, "reply_to_id": id_of(&email)}),
    )
    .await;
    assert_eq!(again["thread_id"], json!(thread));
    assert_eq!(s.get(&format!("/api/v1/activities/{}", id_of(&email))).await.body["thread_id"], json!(thread));

    let tree = s.get(&format!("/api/v1/threads/{thread}")).await;
    assert_eq!(tree.status, StatusCode::OK, "{}", tree.body);
    assert_eq!(tree.body["subject"], "Offer");
    let top = tree.body["activities"].as_array().unwrap();
    assert_eq!(top.len(), 1);
    assert_eq!(top[0]["id"], email["id"]);
    let replies: Vec<_> = top[0]["replies"].as_array().unwrap().iter().map(id_of).collect();
    assert_eq!(replies, [id_of(&reply), id_of(&second)]);
    assert_eq!(top[0]["replies"][0]["replies"][0]["id"], again["id"]);

    let of_company = s.get(&format!("/api/v1/threads?record_id={company}")).await;
    assert_eq!(ids(&of_company), std::slice::from_ref(&thread));
    let in_thread = s.get(&format!("/api/v1/companies/{company}/timeline?thread_id={thread}")).await;
    assert_eq!(ids(&in_thread).len(), 4);

    let started = s.create("threads", json!({"subject": "Renewal 2027"})).await;
    let joined = log(&s, json!({"kind": "note", "subject": "Kick-off", "thread_id": id_of(&started)})).await;
    assert_eq!(joined["thread_id"], started["id"]);
    let wrong = s
        .post(
            "/api/v1/activities",
            json!({"kind": "note", "subject": "x", "reply_to_id": id_of(&email), "thread_id": id_of(&started)}),
        )
        .await;
    assert_eq!(errors(&wrong), error("thread_id", "not_the_reply_thread"));
    assert_eq!(errors(&s.post("/api/v1/threads", json!({"subject": " "})).await), error("subject", "required"));
});

both_engines!(administrators_add_kinds_of_activity, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let kinds = s.get("/api/v1/activity-kinds").await;
    let keys: Vec<_> = items(&kinds).iter().map(|k| k["key"].as_str().unwrap().to_string()).collect();
    assert_eq!(keys, ["call", "meeting", "email", "letter", "fax", "visit", "note"]);
    let added = s.post("/api/v1/activity-kinds", json!({"key": "site_visit", "name": "Site visit"})).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(
        s.post("/api/v1/activity-kinds", json!({"key": "site_visit", "name": "Again"})).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        errors(&s.post("/api/v1/activity-kinds", json!({"key": "Site Visit", "name": "x"})).await),
        error("key", "invalid_key")
    );
    let refused = firm.post(&s, "sales", "/api/v1/activity-kinds", json!({"key": "lunch", "name": "Lunch"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let used = log(&s, json!({"kind": "site_visit", "subject": "Plant tour"})).await;
    assert_eq!(used["kind"], "site_visit");
});

both_engines!(activities_are_seen_by_who_sees_their_card, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let eu = firm.company(&s, "sales", "Sofia Mills", json!({})).await;
    let us = firm.company(&s, "us_sales", "Boston Mills", json!({})).await;
    let logged = |login: &'static str, body: Value| {
        let (firm, s) = (&firm, &s);
        async move {
            let answer = firm.post(s, login, "/api/v1/activities", body).await;
            assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
            id_of(&answer.body)
        }
    };
    let about_eu = logged("sales", json!({"kind": "call", "subject": "EU", "company_id": eu})).await;
    let about_us = logged("us_sales", json!({"kind": "call", "subject": "US", "company_id": us})).await;
    let with_peer =
        logged("us_sales", json!({"kind": "meeting", "subject": "Joint", "user_ids": [firm.id("peer")]})).await;

    let seen = |login: &'static str| {
        let (firm, s) = (&firm, &s);
        async move {
            let mut found = ids(&firm.get(s, login, "/api/v1/activities?limit=100").await);
            found.sort();
            found
        }
    };
    assert_eq!(
        seen("peer").await,
        {
            let mut v = vec![about_eu.clone(), with_peer.clone()];
            v.sort();
            v
        },
        "the team's card, and one they took part in"
    );
    assert_eq!(seen("us_sales").await, {
        let mut v = vec![about_us.clone(), with_peer.clone()];
        v.sort();
        v
    });
    let path = format!("/api/v1/activities/{about_us}");
    assert_eq!(firm.get(&s, "sales", &path).await.status, StatusCode::NOT_FOUND, "a card they may not see");
    assert_eq!(firm.get(&s, "sales", &format!("/api/v1/companies/{us}/timeline")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(firm.get(&s, "admin", &path).await.status, StatusCode::OK);
    let by_peer =
        firm.patch(&s, "peer", &format!("/api/v1/activities/{about_eu}"), json!({"subject": "Mine now"})).await;
    assert_eq!(by_peer.status, StatusCode::FORBIDDEN, "seen through the card, not theirs to change");
    let cross =
        firm.post(&s, "sales", "/api/v1/activities", json!({"kind": "note", "subject": "x", "company_id": us})).await;
    assert_eq!(errors(&cross), error("company_id", "unknown_company"));
    let search_less = firm.get(&s, "sales", "/api/v1/activities?q=EU").await;
    assert_eq!(search_less.status, StatusCode::BAD_REQUEST);
});
