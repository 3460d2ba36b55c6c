//! Access control at the edges: custom link fields, bulk loads by users, leaving a team,
//! approving a request for a record that is gone.

mod firm;
mod support;

use firm::{Firm, errors, id_of};
use rapport_app::bulk::{self, BulkError};
use reqwest::StatusCode;
use serde_json::json;
use support::TestServer;

both_engines!(custom_links_to_invisible_records_are_refused_but_kept_ones_stay, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    s.create(
        "custom-fields",
        json!({"record_kind": "company", "key": "supplier", "label": "Supplier", "type": "link", "target": "company"}),
    )
    .await;
    let hidden = firm.company(&s, "us_sales", "Hidden Supplier", json!({})).await;
    let visible = firm.company(&s, "sales", "Visible Supplier", json!({})).await;

    let refused =
        firm.post(&s, "sales", "/api/v1/companies", json!({"name": "Probe", "custom": {"supplier": hidden}})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert_eq!(errors(&refused), [("custom.supplier".to_string(), "unknown_record".to_string())]);
    let linked =
        firm.post(&s, "sales", "/api/v1/companies", json!({"name": "Buyer", "custom": {"supplier": visible}})).await;
    assert_eq!(linked.status, StatusCode::CREATED, "{}", linked.body);

    // An administrator links the sales user's company to a supplier the user cannot see;
    // the user can still edit the company without being told to drop the link.
    let buyer = id_of(&linked.body);
    let path = format!("/api/v1/companies/{buyer}");
    let relinked = s.call(reqwest::Method::PATCH, &path, Some(json!({"custom": {"supplier": hidden}})), None).await;
    assert_eq!(relinked.status, StatusCode::OK, "{}", relinked.body);
    let renamed = firm.patch(&s, "sales", &path, json!({"name": "Buyer Renamed"})).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
});

both_engines!(bulk_loads_follow_the_callers_rights, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let viewer = rapport_app::Actor::load(&s.app, &user(&s, &firm, "viewer").await).await.unwrap();
    let refused = bulk::create_companies(&s.app, &viewer, vec![json!({"name": "Not allowed"})]).await;
    assert!(matches!(refused, Err(BulkError::App(rapport_app::AppError::Forbidden(_)))), "{refused:?}");

    let sales = rapport_app::Actor::load(&s.app, &user(&s, &firm, "sales").await).await.unwrap();
    let drafts = vec![json!({"name": "Mine"}), json!({"name": "Given away", "owner_id": firm.id("us_sales")})];
    match bulk::create_companies(&s.app, &sales, drafts).await {
        Err(BulkError::Invalid(problems)) => {
            assert_eq!(problems.len(), 1);
            assert_eq!((problems[0].0, problems[0].1.errors[0].field.as_str()), (1, "owner_id"));
        }
        other => panic!("expected the batch to be refused, got {other:?}"),
    }
});

both_engines!(an_administrator_takes_a_user_out_of_their_team, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let path = format!("/api/v1/users/{}", firm.id("peer"));
    let out = s.call(reqwest::Method::PATCH, &path, Some(json!({"team_id": null})), None).await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    assert!(out.body["team_id"].is_null());
    let history = s.get(&format!("{path}/history")).await;
    let change = &history.body["items"][0]["changes"][0];
    assert_eq!((change["field"].as_str(), change["new"].is_null()), (Some("team_id"), true));
});

both_engines!(approving_a_request_for_a_record_that_is_gone_is_a_conflict, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let company = firm.company(&s, "sales", "Short Lived", json!({})).await;
    let filed = firm
        .post(
            &s,
            "sales",
            "/api/v1/deletion-requests",
            json!({"kind": "company", "id": company, "reason": "duplicate"}),
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let deleted = s.call(reqwest::Method::DELETE, &format!("/api/v1/companies/{company}"), None, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let approve =
        firm.post(&s, "mgr_eu", &format!("/api/v1/deletion-requests/{}/approve", id_of(&filed.body)), json!({})).await;
    assert_eq!(approve.status, StatusCode::CONFLICT, "{}", approve.body);
});

async fn user(s: &TestServer, firm: &Firm, login: &str) -> rapport_app::User {
    let found = s.get(&format!("/api/v1/users/{}", firm.id(login))).await;
    assert_eq!(found.status, StatusCode::OK);
    rapport_app::users::get(&s.app, &rapport_app::Actor::system(), uuid::Uuid::parse_str(&firm.id(login)).unwrap())
        .await
        .unwrap()
        .user
}
