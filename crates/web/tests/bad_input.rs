//! Bad input is answered with the right 4xx problem+json, and nothing is written.

mod support;

use reqwest::Method;
use serde_json::json;
use support::TestServer;

both_engines!(every_kind_of_bad_input_gets_a_problem_and_writes_nothing, |s: TestServer| async move {
    let good = s.create("companies", json!({"name": "Existing Ltd"})).await;
    let good_path = format!("/api/v1/companies/{}", good["id"].as_str().unwrap());
    let many: Vec<_> =
        (0..3).map(|_| s.create("companies", json!({"name": "Filler", "confirm_duplicate": true}))).collect();
    for filler in many {
        filler.await;
    }
    let page = s.get("/api/v1/companies?limit=2").await;
    let cursor = page.body["next_cursor"].as_str().unwrap().to_string();
    let mut tampered = cursor.clone();
    tampered.insert(3, 'x');

    let big = format!(r#"{{"name": "{}"}}"#, "a".repeat(1024 * 1024 + 10)).into_bytes();
    let cases: Vec<(&str, reqwest::Response, u16, Option<&str>)> = vec![
        (
            "malformed JSON",
            raw(&s, Method::POST, "/api/v1/companies", "application/json", b"{\"name\": ".to_vec()).await,
            400,
            None,
        ),
        ("wrong type", post(&s, json!({"name": 42})).await, 422, Some("name")),
        ("unknown field", post(&s, json!({"name": "A", "colour": "red"})).await, 422, Some("colour")),
        ("read-only field", post(&s, json!({"name": "A", "version": 7})).await, 422, Some("version")),
        (
            "invalid email",
            post(&s, json!({"name": "A", "contact_methods": [{"kind": "email", "value": "not-an-email"}]})).await,
            422,
            Some("contact_methods[0].value"),
        ),
        (
            "invalid phone",
            post(&s, json!({"name": "A", "contact_methods": [{"kind": "phone", "value": "call me maybe"}]})).await,
            422,
            Some("contact_methods[0].value"),
        ),
        (
            "invalid country",
            post(&s, json!({"name": "A", "addresses": [{"city": "X", "country": "XX"}]})).await,
            422,
            Some("addresses[0].country"),
        ),
        ("body over the limit", raw(&s, Method::POST, "/api/v1/companies", "application/json", big).await, 413, None),
        (
            "wrong content type",
            raw(&s, Method::POST, "/api/v1/companies", "text/plain", b"name=A".to_vec()).await,
            415,
            None,
        ),
        (
            "not an object",
            raw(&s, Method::POST, "/api/v1/companies", "application/json", b"[1,2]".to_vec()).await,
            422,
            None,
        ),
        ("unknown id", get(&s, &format!("/api/v1/companies/{}", uuid::Uuid::now_v7())).await, 404, None),
        ("id that is not a UUID", get(&s, "/api/v1/companies/12345").await, 400, None),
        ("limit of 100000", get(&s, "/api/v1/companies?limit=100000").await, 400, None),
        ("tampered cursor", get(&s, &format!("/api/v1/companies?limit=2&cursor={tampered}")).await, 400, None),
        ("unknown parameter", get(&s, "/api/v1/companies?colour=red").await, 400, None),
        ("unknown sort", get(&s, "/api/v1/companies?sort=colour").await, 400, None),
        ("bad If-Match", patch_with(&s, &good_path, "soon").await, 400, None),
        (
            "patching the id",
            raw(&s, Method::PATCH, &good_path, "application/merge-patch+json", br#"{"id": "x"}"#.to_vec()).await,
            422,
            Some("id"),
        ),
        ("unknown address", get(&s, "/api/v1/nothing-here").await, 404, None),
        (
            "wrong method",
            raw(&s, Method::PUT, "/api/v1/companies", "application/json", b"{}".to_vec()).await,
            405,
            None,
        ),
    ];
    for (what, response, status, field) in cases {
        assert_eq!(response.status().as_u16(), status, "{what}");
        assert_eq!(
            response.headers().get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{what}"
        );
        let body: serde_json::Value = response.json().await.expect("a problem body");
        assert_eq!(body["status"], status, "{what}: {body}");
        assert!(body["title"].is_string() && body["detail"].is_string(), "{what}: {body}");
        if let Some(field) = field {
            assert_eq!(body["errors"][0]["field"], field, "{what}: {body}");
        }
    }
    let after = s.get("/api/v1/companies?limit=500").await;
    assert_eq!(after.body["items"].as_array().unwrap().len(), 4, "no bad request wrote anything");
    assert_eq!(s.get(&good_path).await.body["version"], 1);
});

async fn raw(s: &TestServer, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
    s.client
        .request(method, format!("{}{path}", s.base))
        .bearer_auth(&s.token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn post(s: &TestServer, body: serde_json::Value) -> reqwest::Response {
    s.client.post(format!("{}/api/v1/companies", s.base)).bearer_auth(&s.token).json(&body).send().await.unwrap()
}

async fn get(s: &TestServer, path: &str) -> reqwest::Response {
    s.client.get(format!("{}{path}", s.base)).bearer_auth(&s.token).send().await.unwrap()
}

async fn patch_with(s: &TestServer, path: &str, if_match: &str) -> reqwest::Response {
    s.client
        .patch(format!("{}{path}", s.base))
        .bearer_auth(&s.token)
        .header("if-match", if_match)
        .json(&json!({"name": "B"}))
        .send()
        .await
        .unwrap()
}
