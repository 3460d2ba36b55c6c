//! Signing in, tokens, and who may do what for now (administrators or not).

mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{ADMIN_PASSWORD, TestServer};

both_engines!(tokens_open_the_api_and_revoked_ones_do_not, |s: TestServer| async move {
    let anonymous = s.call_as("", Method::GET, "/api/v1/companies", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.header("www-authenticate"), "Bearer");
    let forged = s.call_as("rpt_forged", Method::GET, "/api/v1/companies", None, None).await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);

    let me = s.get("/api/v1/users/me").await;
    assert_eq!(me.body["login"], "admin");
    assert_eq!(me.body["role"], "admin");
    assert!(me.body.get("password_hash").is_none());

    let second = s.sign_in("ADMIN", ADMIN_PASSWORD).await;
    let revoked = s.call_as(&second, Method::DELETE, "/api/v1/auth/tokens/current", None, None).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = s.call_as(&second, Method::GET, "/api/v1/users/me", None, None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get("/api/v1/users/me").await.status, StatusCode::OK, "other tokens still work");
});

both_engines!(repeated_failed_sign_ins_are_slowed_down, |s: TestServer| async move {
    let attempt = |password: &'static str| {
        s.call_as("", Method::POST, "/api/v1/auth/tokens", Some(json!({"login": "admin", "password": password})), None)
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong password").await.status, StatusCode::UNAUTHORIZED);
    }
    let limited = attempt(ADMIN_PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    assert!(limited.header("retry-after").parse::<u64>().unwrap() > 0);
});

both_engines!(only_administrators_manage_users_and_definitions, |s: TestServer| async move {
    let created = s
        .create("users", json!({"login": "sam", "name": "Sam Sales", "password": "sales person 1", "role": "sales"}))
        .await;
    assert_eq!(created["role"], "sales");
    let duplicate =
        s.post("/api/v1/users", json!({"login": "Sam", "name": "Again", "password": "sales person 2"})).await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(duplicate.body["errors"][0]["field"], "login");

    let sam = s.sign_in("sam", "sales person 1").await;
    let denied = s
        .call_as(
            &sam,
            Method::POST,
            "/api/v1/users",
            Some(json!({"login": "eve", "name": "Eve", "password": "0123456789"})),
            None,
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let field = json!({"record_kind": "company", "key": "x", "label": "X", "type": "text"});
    let denied = s.call_as(&sam, Method::POST, "/api/v1/custom-fields", Some(field), None).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let own = s
        .call_as(
            &sam,
            Method::PATCH,
            &format!("/api/v1/users/{}", created["id"].as_str().unwrap()),
            Some(json!({"role": "admin"})),
            None,
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "nobody raises their own role");
    let company =
        s.call_as(&sam, Method::POST, "/api/v1/companies", Some(json!({"name": "Sam's customer"})), None).await;
    assert_eq!(company.status, StatusCode::CREATED);
    assert_eq!(company.body["owner_id"], created["id"]);
});

both_engines!(operations_endpoints_answer, |s: TestServer| async move {
    assert_eq!(s.call_as("", Method::GET, "/healthz", None, None).await.status, StatusCode::OK);
    assert_eq!(s.call_as("", Method::GET, "/readyz", None, None).await.status, StatusCode::OK);
    let spec = s.call_as("", Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(spec.body["openapi"], "3.1.0");
    assert!(spec.body["paths"]["/api/v1/companies/{id}"]["patch"].is_object());
    let docs = s.client.get(format!("{}/api/docs", s.base)).send().await.unwrap().text().await.unwrap();
    assert!(docs.contains("/api/v1/companies/{id}/history"));
    let metrics = s.client.get(format!("{}/metrics", s.base)).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("rapport_http_requests_total{class=\"2xx\"}"), "{metrics}");
});

both_engines!(changing_ones_own_password_needs_the_current_one, |s: TestServer| async move {
    let created = s.create("users", json!({"login": "sam", "name": "Sam", "password": "sales person 1"})).await;
    let path = format!("/api/v1/users/{}", created["id"].as_str().unwrap());
    let sam = s.sign_in("sam", "sales person 1").await;
    let change = |body: serde_json::Value| s.call_as(&sam, Method::PATCH, &path, Some(body), None);

    let bare = change(json!({"password": "taken over 2026"})).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bare.body);
    assert_eq!(bare.body["errors"][0]["field"], "current_password");
    let wrong = change(json!({"password": "taken over 2026", "current_password": "guess"})).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert_eq!(wrong.body["errors"][0]["code"], "wrong_password");
    let refused = s.call_as(
        "",
        Method::POST,
        "/api/v1/auth/tokens",
        Some(json!({"login": "sam", "password": "taken over 2026"})),
        None,
    );
    assert_eq!(refused.await.status, StatusCode::UNAUTHORIZED, "a refused change leaves the password alone");

    let right = change(json!({"password": "sales person 2", "current_password": "sales person 1"})).await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    s.sign_in("sam", "sales person 2").await;
    // An administrator resets someone else's password without knowing it.
    let reset = s.call(Method::PATCH, &path, Some(json!({"password": "reset by admin 1"})), None).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    s.sign_in("sam", "reset by admin 1").await;
});
