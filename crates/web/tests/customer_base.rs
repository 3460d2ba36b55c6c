//! The customer base over HTTP, end to end, on SQLite and PostgreSQL.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::TestServer;

fn lodz_textiles() -> serde_json::Value {
    json!({
        "name": "Łódź Textiles Sp. z o.o.", "legal_name": "Łódź Textiles Spółka z o.o.",
        "tax_id": "PL7250012345", "type": "customer", "status": "active", "level": "A",
        "stage": "mature", "area": "Łódź", "website": "https://lodz-textiles.example",
        "contact_methods": [
            {"kind": "email", "value": "office@lodz-textiles.example", "label": "office", "primary": true},
            {"kind": "phone", "value": "42 123 45 67", "label": "reception"}
        ],
        "addresses": [
            {"purpose": "billing", "line1": "ul. Piotrkowska 100", "city": "Łódź", "postcode": "90-001", "country": "PL", "default": true},
            {"purpose": "delivery", "line1": "ul. Magazynowa 5", "city": "Pabianice", "postcode": "95-200", "country": "PL"}
        ],
        "attributes": {"loyalty": "gold"},
        "custom": {"credit_limit": "50000"}
    })
}

both_engines!(the_whole_flow_from_creation_to_archive, |s: TestServer| async move {
    let field = s
        .create("custom-fields", json!({"record_kind": "company", "key": "credit_limit", "label": "Credit limit", "type": "money", "currency": "PLN"}))
        .await;
    assert_eq!(field["type"], "money");

    let company = s.create("companies", lodz_textiles()).await;
    let id = company["id"].as_str().unwrap().to_string();
    assert!(company["code"].as_str().unwrap().starts_with("C-"), "{company}");
    assert_eq!(company["version"], 1);
    assert_eq!(
        company["contact_methods"][1]["e164"], "+48421234567",
        "national phone gets E.164 from the billing country"
    );
    assert_eq!(company["custom"]["credit_limit"], json!({"amount": "50000", "currency": "PLN"}));
    assert_eq!(company["owner_id"], s.get("/api/v1/users/me").await.body["id"]);

    let person = s
        .create(
            "people",
            json!({"given_name": "Мария", "family_name": "Петрова", "birth_date": "1984-03-09",
            "contact_methods": [{"kind": "mobile", "value": "+359 88 123 4567"}],
            "employments": [{"company_id": id, "position": "Purchasing manager", "department": "Procurement"}]}),
        )
        .await;
    assert_eq!(person["full_name"], "Мария Петрова");
    let employed = s.get(&format!("/api/v1/people?company_id={id}")).await;
    assert_eq!(employed.body["items"][0]["id"], person["id"]);

    let other = s.create("companies", json!({"name": "Sofia Soft", "status": "inactive", "stage": "growing"})).await;
    let owner = company["owner_id"].as_str().unwrap();
    for (query, expected) in [
        ("status=active", vec![&company]),
        ("status=inactive", vec![&other]),
        (&format!("owner_id={owner}&attr.loyalty=gold") as &str, vec![&company]),
        ("q=stage%3Dmature", vec![&company]),
        ("q=lodz", vec![&company]),
        ("q=%2B48%2042%20123", vec![&company]),
        ("attr.loyalty=silver", vec![]),
        ("custom.credit_limit=50000", vec![&company]),
        ("custom.credit_limit=5000", vec![]),
    ] {
        let listed = s.get(&format!("/api/v1/companies?{query}")).await;
        assert_eq!(listed.status, StatusCode::OK, "{query}: {}", listed.body);
        let ids: Vec<_> = listed.body["items"].as_array().unwrap().iter().map(|c| c["id"].clone()).collect();
        let wanted: Vec<_> = expected.iter().map(|c| c["id"].clone()).collect();
        assert_eq!(ids, wanted, "filter {query}");
    }

    let path = format!("/api/v1/companies/{id}");
    let fetched = s.get(&path).await;
    assert_eq!(fetched.header("etag"), "\"1\"");
    let changed = s
        .call(Method::PATCH, &path, Some(json!({"stage": "declining", "attributes": {"loyalty": null}})), Some(1))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["version"], 2);
    assert_eq!(changed.body["attributes"], json!({}));
    assert_eq!(changed.body["contact_methods"].as_array().unwrap().len(), 2, "a patch keeps what it does not name");

    let stale = s.call(Method::PATCH, &path, Some(json!({"stage": "growing"})), Some(1)).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED, "{}", stale.body);
    assert_eq!(s.get(&path).await.body["stage"], "declining", "the stale change was not applied");

    let history = s.get(&format!("{path}/history")).await;
    let entries = history.body["items"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["action"], "update");
    assert_eq!(entries[0]["actor_name"], "Ada Admin");
    let stage = entries[0]["changes"].as_array().unwrap().iter().find(|c| c["field"] == "stage").unwrap();
    assert_eq!((stage["old"].as_str(), stage["new"].as_str()), (Some("mature"), Some("declining")));

    let refused = s.call(Method::DELETE, &path, None, None).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["referrers"][0]["id"], person["id"]);
    assert_eq!(s.get(&path).await.status, StatusCode::OK, "nothing was deleted");

    let archived = s.post(&format!("{path}/archive"), json!({})).await;
    assert_eq!(archived.status, StatusCode::OK);
    assert!(archived.body["archived_at"].is_string());
    let active = s.get("/api/v1/companies").await;
    assert_eq!(active.body["items"].as_array().unwrap().len(), 1, "archived companies leave the list");
    let only_archived = s.get("/api/v1/companies?archived=true").await;
    assert_eq!(only_archived.body["items"][0]["id"], json!(id));
    let restored = s.post(&format!("{path}/unarchive"), json!({})).await;
    assert!(restored.body["archived_at"].is_null());

    let deleted =
        s.call(Method::DELETE, &format!("/api/v1/companies/{}", other["id"].as_str().unwrap()), None, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
});

both_engines!(pages_follow_the_cursor_without_gaps_or_repeats, |s: TestServer| async move {
    let mut created = Vec::new();
    for i in 0..7 {
        created.push(s.create("companies", json!({"name": format!("Company {i}")})).await["id"].clone());
    }
    for sort in ["name", "-name", "created_at", "-updated_at", "code"] {
        let mut seen = Vec::new();
        let mut path = format!("/api/v1/companies?limit=3&sort={sort}");
        loop {
            let page = s.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{sort}: {}", page.body);
            seen.extend(page.body["items"].as_array().unwrap().iter().map(|c| c["id"].clone()));
            match page.body["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/companies?limit=3&sort={sort}&cursor={cursor}"),
                None => break,
            }
        }
        let mut expected = created.clone();
        if sort.starts_with('-') {
            expected.reverse();
        }
        assert_eq!(seen, expected, "sort {sort}");
    }
});

both_engines!(companies_form_a_hierarchy_without_cycles, |s: TestServer| async move {
    let parent = s.create("companies", json!({"name": "Holding"})).await;
    let child = s.create("companies", json!({"name": "Subsidiary", "parent_id": parent["id"]})).await;
    let cycle = s
        .call(
            Method::PATCH,
            &format!("/api/v1/companies/{}", parent["id"].as_str().unwrap()),
            Some(json!({"parent_id": child["id"]})),
            None,
        )
        .await;
    assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(cycle.body["errors"][0]["code"], "cycle");
    let refused =
        s.call(Method::DELETE, &format!("/api/v1/companies/{}", parent["id"].as_str().unwrap()), None, None).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.body["referrers"][0]["kind"], "company");
});

both_engines!(categories_stages_and_custom_fields_are_administered, |s: TestServer| async move {
    let lists = s.get("/api/v1/categories").await;
    let stage = lists.body["items"].as_array().unwrap().iter().find(|k| k["key"] == "stage").unwrap().clone();
    let stages: Vec<_> =
        stage["values"].as_array().unwrap().iter().map(|v| v["key"].as_str().unwrap().to_string()).collect();
    assert_eq!(stages, ["growing", "mature", "declining", "closed"]);

    let size = s
        .create("categories", json!({"key": "size", "name": "Size", "values": [{"key": "small", "name": "Small"}, {"key": "large", "name": "Large"}]}))
        .await;
    let small = size["values"][0]["id"].clone();
    let company = s.create("companies", json!({"name": "Tiny Ltd", "categories": [small]})).await;
    assert_eq!(company["categories"], json!([small]));
    let listed = s.get(&format!("/api/v1/companies?category={}", small.as_str().unwrap())).await;
    assert_eq!(listed.body["items"][0]["id"], company["id"]);
    let in_use = s
        .call(
            Method::DELETE,
            &format!("/api/v1/categories/{}/values/{}", size["id"].as_str().unwrap(), small.as_str().unwrap()),
            None,
            None,
        )
        .await;
    assert_eq!(in_use.status, StatusCode::CONFLICT, "a value in use stays");

    let tier = s
        .create("custom-fields", json!({"record_kind": "company", "key": "tier", "label": "Tier", "type": "choice", "choices": ["gold", "silver"]}))
        .await;
    let relabel = s
        .call(
            Method::PATCH,
            &format!("/api/v1/custom-fields/{}", tier["id"].as_str().unwrap()),
            Some(json!({"label": "Customer tier"})),
            Some(1),
        )
        .await;
    assert_eq!(relabel.status, StatusCode::OK, "{}", relabel.body);
    let history = s.get(&format!("/api/v1/custom-fields/{}/history", tier["id"].as_str().unwrap())).await;
    let actions: Vec<_> =
        history.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect();
    assert_eq!(actions, ["update", "create"]);
    let size_history = s.get(&format!("/api/v1/categories/{}/history", size["id"].as_str().unwrap())).await;
    assert_eq!(size_history.body["items"][0]["action"], "create");
    let wrong = s.post("/api/v1/companies", json!({"name": "X", "custom": {"tier": "bronze"}, "stage": "ripe"})).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> =
        wrong.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["custom.tier", "stage"]);
});

both_engines!(custom_field_filters_follow_every_edit_of_the_values, |s: TestServer| async move {
    s.create(
        "custom-fields",
        json!({"record_kind": "person", "key": "channels", "label": "Channels", "type": "multi_choice", "choices": ["email", "phone", "post"]}),
    )
    .await;
    let ada = s.create("people", json!({"given_name": "Ada", "custom": {"channels": ["email", "phone"]}})).await;
    let bob = s.create("people", json!({"given_name": "Bob", "custom": {"channels": ["post"]}})).await;
    let server = &s;
    let named = |query: &'static str| async move {
        let s = server;
        let listed = s.get(&format!("/api/v1/people?{query}")).await;
        assert_eq!(listed.status, StatusCode::OK, "{query}: {}", listed.body);
        listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["given_name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(named("custom.channels=phone").await, ["Ada"]);
    assert_eq!(named("custom.channels=post").await, ["Bob"]);
    let path = format!("/api/v1/people/{}", ada["id"].as_str().unwrap());
    let changed = s.call(Method::PATCH, &path, Some(json!({"custom": {"channels": ["post"]}})), None).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(named("custom.channels=phone").await.is_empty(), "the old choice no longer matches");
    assert_eq!(named("custom.channels=post").await, ["Ada", "Bob"]);
    let deleted = s.call(Method::DELETE, &format!("/api/v1/people/{}", bob["id"].as_str().unwrap()), None, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(named("custom.channels=post").await, ["Ada"], "a deleted person leaves the index");
});
