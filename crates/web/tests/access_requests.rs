//! Deletion approval and the history of rights over HTTP, on SQLite and PostgreSQL: a
//! user who may not delete a customer asks the owner's manager, who approves (deleting,
//! or archiving what others refer to) or rejects; and every change of rights (users'
//! roles, teams, roles' grants) is in the history.

mod firm;
mod support;

use firm::{Firm, id_of, items};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;

/// The actions of a record's history, as `login` may read it.
async fn actions(s: &TestServer, firm: &Firm, login: &str, path: &str) -> Vec<String> {
    let history = firm.get(s, login, &format!("{path}/history")).await;
    assert_eq!(history.status, StatusCode::OK, "{path}: {}", history.body);
    items(&history).iter().filter_map(|e| e["action"].as_str()).map(str::to_string).collect()
}

/// The notifications of `login` of `kind`.
async fn notifications(s: &TestServer, firm: &Firm, login: &str, kind: &str) -> Vec<Value> {
    let answer = firm.get(s, login, "/api/v1/notifications").await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    items(&answer).iter().filter(|n| n["kind"] == kind).cloned().collect()
}

async fn request_deletion(s: &TestServer, firm: &Firm, login: &str, kind: &str, id: &str) -> Value {
    let body = json!({"kind": kind, "id": id, "reason": "duplicate of another customer"});
    let filed = firm.post(s, login, "/api/v1/deletion-requests", body).await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    filed.body
}

both_engines!(the_owners_manager_approves_a_deletion_that_deletes_or_archives, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let lonely = firm.company(&s, "sales", "Sofia Soft", json!({})).await;
    let busy = firm.company(&s, "sales", "Łódź Textiles", json!({})).await;
    firm.person(&s, "sales", "Maria", json!({"employments": [{"company_id": busy}]})).await;

    for id in [&lonely, &busy] {
        let path = format!("/api/v1/companies/{id}");
        let refused = firm.delete(&s, "sales", &path).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(refused.body["detail"].as_str().unwrap().contains("deletion-requests"), "{}", refused.body);

        let request = request_deletion(&s, &firm, "sales", "company", id).await;
        assert_eq!(request["status"], "pending");
        assert_eq!(request["approver_id"], firm.id("mgr_eu").as_str(), "the owner's team manager decides");
        assert_eq!(request["requested_by"], firm.id("sales").as_str());
        let request_path = format!("/api/v1/deletion-requests/{}", id_of(&request));

        // One pending request per record.
        let again = json!({"kind": "company", "id": id, "reason": "asking twice"});
        let twice = firm.post(&s, "peer", "/api/v1/deletion-requests", again).await;
        assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);

        // The manager is told; nobody else decides.
        let told = notifications(&s, &firm, "mgr_eu", "deletion_request").await;
        assert!(told.iter().any(|n| n["link"] == request_path.as_str()), "{told:?}");
        assert!(notifications(&s, &firm, "peer", "deletion_request").await.is_empty());
        let own = firm.post(&s, "sales", &format!("{request_path}/approve"), json!({})).await;
        assert_eq!(own.status, StatusCode::FORBIDDEN, "the requester: {}", own.body);
        for login in ["peer", "mgr_pl"] {
            // Not involved, so the request does not exist for them.
            let other = firm.post(&s, login, &format!("{request_path}/approve"), json!({})).await;
            assert_eq!(other.status, StatusCode::NOT_FOUND, "{login}: {}", other.body);
        }
        assert_eq!(firm.get(&s, "sales", &path).await.status, StatusCode::OK, "still there");

        let approved = firm.post(&s, "mgr_eu", &format!("{request_path}/approve"), json!({})).await;
        assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
        assert_eq!(approved.body["status"], "approved");
        assert_eq!(approved.body["decided_by"], firm.id("mgr_eu").as_str());
        let decided_again = firm.post(&s, "mgr_eu", &format!("{request_path}/reject"), json!({})).await;
        assert_eq!(decided_again.status, StatusCode::CONFLICT, "{}", decided_again.body);
    }

    // Nothing referred to the first: it is gone, for the administrator too.
    assert_eq!(s.get(&format!("/api/v1/companies/{lonely}")).await.status, StatusCode::NOT_FOUND);
    assert!(s.get("/api/v1/companies?archived=any").await.body.to_string().contains(&busy));
    // Someone works at the second: it is archived instead, with every step in its history.
    let busy_path = format!("/api/v1/companies/{busy}");
    let archived = s.get(&busy_path).await;
    assert!(archived.body["archived_at"].is_string(), "{}", archived.body);
    let steps = actions(&s, &firm, "admin", &busy_path).await;
    for step in ["deletion_requested", "archive", "deletion_approved"] {
        assert!(steps.iter().any(|a| a == step), "{step} in {steps:?}");
    }

    // The requester hears the outcome of both.
    let outcomes = notifications(&s, &firm, "sales", "deletion_decided").await;
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    let messages: Vec<&str> = outcomes.iter().filter_map(|n| n["message"].as_str()).collect();
    assert!(messages.iter().any(|m| m.contains("Sofia Soft") && m.contains("deleted")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("Łódź Textiles") && m.contains("archived")), "{messages:?}");

    // The requests list shows each user what involves them.
    let listed = firm.get(&s, "sales", "/api/v1/deletion-requests").await;
    assert_eq!(items(&listed).len(), 2, "{}", listed.body);
    assert!(items(&firm.get(&s, "peer", "/api/v1/deletion-requests").await).is_empty());
});

both_engines!(a_rejected_deletion_leaves_the_record_as_it_was, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let id = firm.person(&s, "peer", "Jan", json!({})).await;
    let path = format!("/api/v1/people/{id}");
    assert_eq!(firm.delete(&s, "support", &path).await.status, StatusCode::FORBIDDEN);
    // The body names a record and a reason, nothing else: a request cannot decide itself.
    for body in [json!([id]), json!({"kind": "person", "id": id, "reason": "x", "status": "approved"})] {
        let refused = firm.post(&s, "support", "/api/v1/deletion-requests", body).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    }
    let request = request_deletion(&s, &firm, "support", "person", &id).await;
    assert_eq!(request["approver_id"], firm.id("mgr_eu").as_str());
    let request_path = format!("/api/v1/deletion-requests/{}", id_of(&request));
    assert_eq!(firm.get(&s, "mgr_eu", &request_path).await.body["status"], "pending");

    let rejected = firm.post(&s, "mgr_eu", &format!("{request_path}/reject"), json!({})).await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    assert_eq!(rejected.body["status"], "rejected");
    let person = s.get(&path).await;
    assert_eq!(person.status, StatusCode::OK);
    assert_eq!((person.body["version"].as_i64(), &person.body["archived_at"]), (Some(1), &Value::Null));
    let steps = actions(&s, &firm, "support", &path).await;
    for step in ["deletion_requested", "deletion_rejected"] {
        assert!(steps.iter().any(|a| a == step), "{step} in {steps:?}");
    }
    let outcome = notifications(&s, &firm, "support", "deletion_decided").await;
    assert!(outcome[0]["message"].as_str().unwrap().contains("rejected"), "{outcome:?}");

    // Once decided, the record may be asked for again; a record one cannot see may not.
    request_deletion(&s, &firm, "support", "person", &id).await;
    let theirs = firm.company(&s, "us_sales", "Boston Beans", json!({})).await;
    let body = json!({"kind": "company", "id": theirs, "reason": "never seen it"});
    let hidden = firm.post(&s, "sales", "/api/v1/deletion-requests", body).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.body);

    // Without a manager on the owner's team, administrators decide.
    let request = request_deletion(&s, &firm, "viewer", "company", &theirs).await;
    assert_eq!(request["approver_id"], Value::Null);
    let link = format!("/api/v1/deletion-requests/{}", id_of(&request));
    let told = notifications(&s, &firm, "admin", "deletion_request").await;
    assert!(told.iter().any(|n| n["link"] == link.as_str()), "{told:?}");
    let approved = s.post(&format!("{link}/approve"), json!({})).await;
    assert_eq!((approved.status, &approved.body["outcome"]), (StatusCode::OK, &json!("deleted")), "{}", approved.body);
});

/// The changes of the latest history entry of an administrative record, as field → (old, new).
async fn last_changes(s: &TestServer, path: &str) -> (String, Vec<(String, Value, Value)>) {
    let history = s.get(&format!("{path}/history")).await;
    assert_eq!(history.status, StatusCode::OK, "{path}: {}", history.body);
    let latest = &items(&history)[0];
    let changes = latest["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].as_str().unwrap().to_string(), c["old"].clone(), c["new"].clone()))
        .collect();
    (latest["action"].as_str().unwrap().to_string(), changes)
}

fn change(field: &str, old: Value, new: Value) -> (String, Value, Value) {
    (field.to_string(), old, new)
}

both_engines!(every_change_of_rights_is_in_the_history, |s: TestServer| async move {
    let mut firm = Firm::build(&s).await;
    let admin = firm.id("admin");

    // A user's role, team and clearance.
    let user = format!("/api/v1/users/{}", firm.id("sales"));
    let body = json!({"role": "support", "team_id": firm.us, "clearance": 3});
    let changed = s.call(Method::PATCH, &user, Some(body), None).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let (action, changes) = last_changes(&s, &user).await;
    assert_eq!(action, "update");
    for expected in [
        change("role", json!("sales"), json!("support")),
        change("team_id", json!(firm.eu), json!(firm.us)),
        change("clearance", json!(0), json!(3)),
    ] {
        assert!(changes.contains(&expected), "{expected:?} in {changes:?}");
    }
    let history = s.get(&format!("{user}/history")).await;
    assert_eq!(items(&history)[0]["actor_id"], admin.as_str());
    let history = firm.get(&s, "sales", &format!("{user}/history")).await;
    assert_eq!(history.status, StatusCode::FORBIDDEN, "for administrators: {}", history.body);

    // Teams: creation and every change of parent or manager.
    let team = s.create("teams", json!({"name": "Sales DE", "parent_id": firm.eu})).await;
    let team = format!("/api/v1/teams/{}", id_of(&team));
    let (action, changes) = last_changes(&s, &team).await;
    assert_eq!(action, "create");
    assert!(changes.contains(&change("name", Value::Null, json!("Sales DE"))), "{changes:?}");
    assert!(changes.contains(&change("parent_id", Value::Null, json!(firm.eu))), "{changes:?}");
    let body = json!({"manager_id": firm.id("peer"), "parent_id": null});
    let moved = s.call(Method::PATCH, &team, Some(body), Some(1)).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let (action, changes) = last_changes(&s, &team).await;
    assert_eq!(action, "update");
    assert!(changes.contains(&change("manager_id", Value::Null, json!(firm.id("peer")))), "{changes:?}");
    assert!(changes.contains(&change("parent_id", json!(firm.eu), Value::Null)), "{changes:?}");
    let refused = firm.post(&s, "mgr_eu", "/api/v1/teams", json!({"name": "Mine"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    // Roles: changing a built-in role's grants is recorded; the admin role never changes.
    let roles = s.get("/api/v1/roles").await;
    let role_id =
        |key: &str| items(&roles).iter().find(|r| r["key"] == key).map(id_of).unwrap_or_else(|| panic!("a role {key}"));
    let viewer = format!("/api/v1/roles/{}", role_id("viewer"));
    let body = json!({"grants": {"company": {"read": "team"}, "person": {"read": "team"}}});
    let narrowed = s.call(Method::PATCH, &viewer, Some(body), None).await;
    assert_eq!(narrowed.status, StatusCode::OK, "{}", narrowed.body);
    let (action, changes) = last_changes(&s, &viewer).await;
    assert_eq!(action, "update");
    let fields: Vec<&str> = changes.iter().map(|(f, _, _)| f.as_str()).collect();
    assert!(fields.iter().any(|f| f.starts_with("rights")), "{changes:?}");
    assert_eq!(s.get(&format!("{viewer}/history")).await.body["items"][0]["actor_id"], admin.as_str());
    // The change applies at once: the viewer no longer sees another team's records.
    let theirs = firm.company(&s, "us_sales", "Boston Beans", json!({})).await;
    assert_eq!(firm.get(&s, "viewer", &format!("/api/v1/companies/{theirs}")).await.status, StatusCode::NOT_FOUND);

    let admin_role = format!("/api/v1/roles/{}", role_id("admin"));
    let before = s.get(&admin_role).await.body;
    for body in [json!({"grants": {"company": {"read": "own"}}}), json!({"name": "Almost admin"})] {
        let refused = s.call(Method::PATCH, &admin_role, Some(body), None).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    }
    assert_eq!(s.get(&admin_role).await.body, before, "the admin role is unchanged");
    let created =
        s.create("roles", json!({"key": "auditor", "name": "Auditor", "grants": {"company": {"read": "all"}}})).await;
    let (action, _) = last_changes(&s, &format!("/api/v1/roles/{}", id_of(&created))).await;
    assert_eq!(action, "create");
    // A role grants exactly what it says: nothing is granted on people here.
    let user = json!({"login": "auditor", "name": "Audrey", "password": firm::PASSWORD, "role": "auditor"});
    let user = s.create("users", user).await;
    firm.join(&s, &user).await;
    firm.person(&s, "auditor", "Nobody sees me", json!({})).await;
    let people = firm.get(&s, "auditor", "/api/v1/people").await;
    assert_eq!((people.status, items(&people).len()), (StatusCode::OK, 0), "{}", people.body);
    assert_eq!(items(&firm.get(&s, "auditor", "/api/v1/companies").await).len(), 1);
    let created = firm.post(&s, "auditor", "/api/v1/companies", json!({"name": "Mine"})).await;
    assert_eq!(created.status, StatusCode::FORBIDDEN, "{}", created.body);
    let refused = firm.patch(&s, "mgr_eu", &viewer, json!({"name": "Watcher"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
});
