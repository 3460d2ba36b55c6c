//! Access control on companies and people over HTTP, on SQLite and PostgreSQL: lists and
//! search show only visible records (and pages stay full), security levels, hidden and
//! read-only fields, attacks by id, and sharing.

mod firm;
mod support;

use firm::{Firm, error, errors, id_of, ids, items};
use rapport_app::Actor;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;
use uuid::Uuid;

/// Every company id `login`'s list shows, page after page of 50, and the size of each page.
async fn all_pages(s: &TestServer, firm: &Firm, login: &str, query: &str) -> (Vec<String>, Vec<usize>) {
    let (mut seen, mut sizes) = (Vec::new(), Vec::new());
    let mut cursor: Option<String> = None;
    loop {
        let after = cursor.as_deref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page = firm.get(s, login, &format!("/api/v1/companies?limit=50{query}{after}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        sizes.push(items(&page).len());
        seen.extend(ids(&page));
        cursor = page.body["next_cursor"].as_str().map(str::to_string);
        if cursor.is_none() {
            return (seen, sizes);
        }
    }
}

/// Whether `login`'s list of companies shows `id`.
async fn listed(s: &TestServer, firm: &Firm, login: &str, id: &str) -> bool {
    ids(&firm.get(s, login, "/api/v1/companies?limit=500").await).iter().any(|i| i == id)
}

both_engines!(lists_and_search_show_only_visible_records_and_pages_stay_full, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    // 120 companies in name order, alternately visible to `sales` (theirs or a team
    // mate's) and invisible (a sub-team's or another team's).
    let owners = ["sales", "pl_sales", "peer", "us_sales"];
    let drafts: Vec<Value> =
        (0..120).map(|i| json!({"name": format!("Acme {i:03}"), "owner_id": firm.id(owners[i % 4])})).collect();
    let created = rapport_app::bulk::create_companies(&s.app, &Actor::system(), drafts).await.expect("loaded");
    let visible: Vec<String> = created.iter().step_by(2).map(Uuid::to_string).collect();
    let invisible: Vec<String> = created.iter().skip(1).step_by(2).map(Uuid::to_string).collect();

    for query in ["", "&q=acme", "&sort=-updated_at"] {
        let (seen, sizes) = all_pages(&s, &firm, "sales", query).await;
        assert_eq!(sizes, [50, 10], "{query}: a page of 50 is full while 50 visible records remain");
        let mut seen_sorted = seen.clone();
        seen_sorted.sort();
        let mut wanted = visible.clone();
        wanted.sort();
        assert_eq!(seen_sorted, wanted, "{query}: exactly the visible companies");
    }
    let first = firm.get(&s, "sales", "/api/v1/companies?limit=50").await;
    assert_eq!(ids(&first), visible[..50], "name order, invisible ones skipped");

    // Searching for an invisible record finds nothing; the administrator finds it.
    let secret = "/api/v1/companies?q=%22Acme%20001%22";
    assert!(items(&firm.get(&s, "sales", secret).await).is_empty());
    assert_eq!(ids(&s.get(secret).await), [invisible[0].as_str()]);
    assert_eq!(ids(&firm.get(&s, "sales", "/api/v1/companies?q=%22Acme%20002%22").await), [visible[1].as_str()]);
    assert!(
        items(&firm.get(&s, "sales", &format!("/api/v1/companies?owner_id={}", firm.id("us_sales"))).await).is_empty()
    );
    assert_eq!(items(&firm.get(&s, "viewer", "/api/v1/companies?limit=500").await).len(), 120);
    assert_eq!(items(&firm.get(&s, "mgr_eu", "/api/v1/companies?limit=500").await).len(), 90, "all but Sales US");

    // People: the same rule.
    let mut expected_people = Vec::new();
    for (i, owner) in owners.iter().enumerate() {
        let id = firm.person(&s, owner, &format!("Zofia{i}"), json!({})).await;
        if i % 2 == 0 {
            expected_people.push(id);
        }
    }
    let people = firm.get(&s, "sales", "/api/v1/people?q=zofia&sort=created_at").await;
    assert_eq!(ids(&people), expected_people);

    // The history of an invisible record does not exist; of a visible one it does.
    let history = |id: &String| format!("/api/v1/companies/{id}/history");
    assert_eq!(firm.get(&s, "sales", &history(&invisible[0])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(firm.get(&s, "sales", &history(&visible[0])).await.status, StatusCode::OK);
});

both_engines!(security_levels_hide_companies_from_users_without_clearance, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let secret = firm.company(&s, "sales", "Ministry Supplies", json!({"security_level": 5})).await;
    let path = format!("/api/v1/companies/{secret}");
    // Clearance 0: the company does not exist, not even for its owner or through a share.
    let shared = s.post(&format!("{path}/shares"), json!({"user_id": firm.id("viewer")})).await;
    assert_eq!(shared.status, StatusCode::CREATED, "{}", shared.body);
    for login in ["viewer", "sales"] {
        assert_eq!(firm.get(&s, login, &path).await.status, StatusCode::NOT_FOUND, "{login}");
        assert_eq!(firm.get(&s, login, &format!("{path}/history")).await.status, StatusCode::NOT_FOUND);
        assert_eq!(firm.patch(&s, login, &path, json!({"stage": "mature"})).await.status, StatusCode::NOT_FOUND);
        assert!(!listed(&s, &firm, login, &secret).await, "{login}");
    }

    // Clearance 5: it is there.
    for login in ["viewer", "sales"] {
        let cleared = s
            .call(Method::PATCH, &format!("/api/v1/users/{}", firm.id(login)), Some(json!({"clearance": 5})), None)
            .await;
        assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    }
    assert_eq!(firm.get(&s, "viewer", &path).await.status, StatusCode::OK);
    assert_eq!(firm.get(&s, "viewer", &format!("{path}/history")).await.status, StatusCode::OK);
    assert!(listed(&s, &firm, "viewer", &secret).await);
    assert_eq!(firm.patch(&s, "sales", &path, json!({"stage": "mature"})).await.status, StatusCode::OK);

    // Nobody creates or raises a company above their own clearance.
    let refused = firm.post(&s, "sales", "/api/v1/companies", json!({"name": "Top Secret", "security_level": 6})).await;
    assert_eq!(errors(&refused), error("security_level", "above_clearance"));
    let own = firm.post(&s, "sales", "/api/v1/companies", json!({"name": "Secret", "security_level": 5})).await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    let own = format!("/api/v1/companies/{}", id_of(&own.body));
    let raised = firm.patch(&s, "sales", &own, json!({"security_level": 7})).await;
    assert_eq!(errors(&raised), error("security_level", "above_clearance"));
    assert_eq!(firm.patch(&s, "sales", &own, json!({"security_level": 2})).await.status, StatusCode::OK);
});

both_engines!(hidden_fields_are_never_shown_and_cannot_be_written, |s: TestServer| async move {
    let mut firm = Firm::build(&s).await;
    s.create(
        "custom-fields",
        json!({"record_kind": "company", "key": "credit_limit", "label": "Credit limit", "type": "money", "currency": "PLN"}),
    )
    .await;
    let role = s
        .create(
            "roles",
            json!({"key": "discreet_sales", "name": "Sales without tax ids",
                   "grants": {"company": {"read": "team", "create": "all", "update": "own"},
                              "person": {"read": "team", "create": "all", "update": "own"},
                              "settings": {"read": "all"}},
                   "fields": {"company": {"tax_id": "hidden", "custom.credit_limit": "read_only"}}}),
        )
        .await;
    assert_eq!(role["fields"]["company"]["tax_id"], "hidden", "{role}");
    let user = s
        .create(
            "users",
            json!({"login": "discreet", "name": "Dana Discreet", "password": firm::PASSWORD,
                                "role": "discreet_sales", "team_id": firm.eu}),
        )
        .await;
    firm.join(&s, &user).await;
    let extra = json!({"tax_id": "PL7250012345", "custom": {"credit_limit": "50000"}});
    let id = firm.company(&s, "discreet", "Łódź Textiles", extra).await;
    let path = format!("/api/v1/companies/{id}");
    let changed = s.call(Method::PATCH, &path, Some(json!({"tax_id": "PL7250099999"})), None).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);

    let shown = firm.get(&s, "discreet", &path).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert_eq!(shown.body["name"], "Łódź Textiles");
    assert!(shown.body.get("tax_id").is_none(), "GET hides tax_id: {}", shown.body);
    let listed = firm.get(&s, "discreet", "/api/v1/companies").await;
    assert_eq!(ids(&listed), [id.as_str()]);
    assert!(items(&listed)[0].get("tax_id").is_none(), "the list hides tax_id: {}", listed.body);
    let history = firm.get(&s, "discreet", &format!("{path}/history")).await;
    assert_eq!(items(&history).len(), 2, "{}", history.body);
    for entry in items(&history) {
        let fields: Vec<&str> =
            entry["changes"].as_array().unwrap().iter().filter_map(|c| c["field"].as_str()).collect();
        assert!(!fields.contains(&"tax_id"), "the history hides tax_id: {entry}");
    }
    let admin_history = s.get(&format!("{path}/history")).await;
    assert!(admin_history.body.to_string().contains("PL7250099999"), "the administrator sees it");

    // Writing the field is refused, on change and on creation; other fields still change.
    for value in [json!("PL0000000000"), Value::Null] {
        let refused = firm.patch(&s, "discreet", &path, json!({"tax_id": value})).await;
        assert_eq!(errors(&refused), error("tax_id", "read_only"));
    }
    let refused = firm.post(&s, "discreet", "/api/v1/companies", json!({"name": "Sofia Soft", "tax_id": "BG1"})).await;
    assert_eq!(errors(&refused), error("tax_id", "read_only"));
    let renamed = firm.patch(&s, "discreet", &path, json!({"name": "Łódź Textiles SA"})).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert!(renamed.body.get("tax_id").is_none(), "{}", renamed.body);
    assert_eq!(s.get(&path).await.body["tax_id"], "PL7250099999", "a hidden value survives other changes");

    // A read-only custom value is shown but cannot change, not even by replacing all custom values.
    let limit = json!({"amount": "50000", "currency": "PLN"});
    assert_eq!(renamed.body["custom"]["credit_limit"], limit);
    for custom in [json!({"credit_limit": "1"}), json!({"credit_limit": null}), Value::Null] {
        let refused = firm.patch(&s, "discreet", &path, json!({"custom": custom})).await;
        assert_eq!(errors(&refused), error("custom.credit_limit", "read_only"), "custom: {custom}");
    }
    assert_eq!(s.get(&path).await.body["custom"]["credit_limit"], limit);
});

both_engines!(ids_of_records_the_caller_may_not_see_lead_nowhere, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let theirs = firm.company(&s, "us_sales", "Boston Beans", json!({})).await;
    let their_person = firm.person(&s, "us_sales", "Amy", json!({})).await;
    let random = Uuid::now_v7().to_string();
    for path in [
        format!("/api/v1/companies/{theirs}"),
        format!("/api/v1/people/{their_person}"),
        format!("/api/v1/companies/{random}"),
        format!("/api/v1/people/{random}"),
    ] {
        for (method, body) in
            [(Method::GET, None), (Method::PATCH, Some(json!({"description": "mine now"}))), (Method::DELETE, None)]
        {
            let answer = firm.call(&s, "sales", method.clone(), &path, body).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{method} {path}: {}", answer.body);
        }
        for tail in ["history", "shares"] {
            assert_eq!(
                firm.get(&s, "sales", &format!("{path}/{tail}")).await.status,
                StatusCode::NOT_FOUND,
                "{path}/{tail}"
            );
        }
        let shared = firm.post(&s, "sales", &format!("{path}/shares"), json!({"user_id": firm.id("sales")})).await;
        assert_eq!(shared.status, StatusCode::NOT_FOUND, "{path}: {}", shared.body);
        let archived = firm.post(&s, "sales", &format!("{path}/archive"), json!({})).await;
        assert_eq!(archived.status, StatusCode::NOT_FOUND, "{path}: {}", archived.body);
    }
    assert_eq!(s.get(&format!("/api/v1/companies/{theirs}")).await.body["version"], 1, "untouched");

    // References to invisible companies are refused as if the company did not exist.
    let own = firm.company(&s, "sales", "Sofia Soft", json!({})).await;
    let own_person = firm.person(&s, "sales", "Maria", json!({})).await;
    let company_path = format!("/api/v1/companies/{own}");
    let person_path = format!("/api/v1/people/{own_person}");
    let employed = |company: &str| json!({"employments": [{"company_id": company, "position": "Buyer"}]});
    for company in [&theirs, &random] {
        let mut body = employed(company);
        body["given_name"] = json!("Jan");
        let created = firm.post(&s, "sales", "/api/v1/people", body).await;
        assert_eq!(errors(&created), error("employments[0].company_id", "unknown_company"));
        let patched = firm.patch(&s, "sales", &person_path, employed(company)).await;
        assert_eq!(errors(&patched), error("employments[0].company_id", "unknown_company"));
        let created = firm.post(&s, "sales", "/api/v1/companies", json!({"name": "Child", "parent_id": company})).await;
        assert_eq!(errors(&created), error("parent_id", "unknown_company"));
        let patched = firm.patch(&s, "sales", &company_path, json!({"parent_id": company})).await;
        assert_eq!(errors(&patched), error("parent_id", "unknown_company"));
    }
    let ok = firm.patch(&s, "sales", &person_path, employed(&own)).await;
    assert_eq!(ok.status, StatusCode::OK, "a visible company is fine: {}", ok.body);

    // Records cannot be handed to users outside one's reach.
    let stranger = json!({"owner_id": firm.id("us_sales")});
    for (collection, body, path) in [
        ("companies", json!({"name": "Gift", "owner_id": firm.id("us_sales")}), &company_path),
        ("people", json!({"given_name": "Gift", "owner_id": firm.id("us_sales")}), &person_path),
    ] {
        let created = firm.post(&s, "sales", &format!("/api/v1/{collection}"), body).await;
        assert_eq!(errors(&created), error("owner_id", "not_allowed"), "{collection}");
        let patched = firm.patch(&s, "sales", path, stranger.clone()).await;
        assert_eq!(errors(&patched), error("owner_id", "not_allowed"), "{collection}");
    }
    assert_eq!(s.get(&company_path).await.body["owner_id"], firm.id("sales").as_str());

    // Nobody raises their own rights; only administrators create users or touch others.
    let me = format!("/api/v1/users/{}", firm.id("sales"));
    for change in
        [json!({"role": "admin"}), json!({"clearance": 9}), json!({"team_id": firm.us}), json!({"disabled": false})]
    {
        let answer = firm.patch(&s, "sales", &me, change.clone()).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{change}: {}", answer.body);
    }
    let user = firm.get(&s, "sales", &me).await.body;
    assert_eq!((user["role"].as_str(), user["clearance"].as_i64()), (Some("sales"), Some(0)));
    assert_eq!(firm.patch(&s, "sales", &me, json!({"name": "Sam Sales"})).await.status, StatusCode::OK);
    for login in ["sales", "mgr_eu", "support"] {
        let body =
            json!({"login": format!("{login}_friend"), "name": "Friend", "password": firm::PASSWORD, "role": "admin"});
        let created = firm.post(&s, login, "/api/v1/users", body).await;
        assert_eq!(created.status, StatusCode::FORBIDDEN, "{login}: {}", created.body);
    }
    let other = format!("/api/v1/users/{}", firm.id("peer"));
    assert_eq!(firm.get(&s, "sales", &other).await.status, StatusCode::NOT_FOUND);
    assert_eq!(firm.patch(&s, "sales", &other, json!({"role": "sales"})).await.status, StatusCode::NOT_FOUND);
    let admin = format!("/api/v1/users/{}", firm.id("admin"));
    let demoted = s.call(Method::PATCH, &admin, Some(json!({"role": "sales"})), None).await;
    assert_eq!(demoted.status, StatusCode::FORBIDDEN, "{}", demoted.body);
    assert_eq!(s.get(&admin).await.body["role"], "admin");
});

both_engines!(keeping_a_reference_to_an_invisible_company_is_not_an_attack, |s: TestServer| async move {
    // The administrator links a sales user's records to a company of another team; the
    // owner can still change their records without touching those links.
    let firm = Firm::build(&s).await;
    let theirs = firm.company(&s, "us_sales", "Boston Beans", json!({})).await;
    let child = firm.company(&s, "sales", "Beans EU", json!({"parent_id": theirs})).await;
    let person = firm.person(&s, "sales", "Maria", json!({"employments": [{"company_id": theirs}]})).await;
    for path in [format!("/api/v1/companies/{child}"), format!("/api/v1/people/{person}")] {
        let changed = firm.patch(&s, "sales", &path, json!({"description": "still mine"})).await;
        assert_eq!(changed.status, StatusCode::OK, "{path}: {}", changed.body);
    }
    // Adding another one is still refused.
    let other = firm.company(&s, "us_sales", "Boston Tea", json!({})).await;
    let both = json!({"employments": [{"company_id": theirs}, {"company_id": other}]});
    let added = firm.patch(&s, "sales", &format!("/api/v1/people/{person}"), both).await;
    assert_eq!(errors(&added), error("employments[1].company_id", "unknown_company"));
    let person = s.get(&format!("/api/v1/people/{person}")).await.body;
    assert_eq!(person["employments"][0]["company_id"], theirs.as_str(), "{person}");
    assert_eq!(s.get(&format!("/api/v1/companies/{child}")).await.body["parent_id"], theirs.as_str());
});

both_engines!(sharing_makes_a_record_visible_or_editable_until_unshared, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let id = firm.company(&s, "us_sales", "Boston Beans", json!({})).await;
    let path = format!("/api/v1/companies/{id}");
    let shares = format!("{path}/shares");
    assert_eq!(firm.get(&s, "sales", &path).await.status, StatusCode::NOT_FOUND);

    // Read access: visible, listed, not changeable.
    let read = firm.post(&s, "us_sales", &shares, json!({"user_id": firm.id("sales"), "access": "read"})).await;
    assert_eq!(read.status, StatusCode::CREATED, "{}", read.body);
    assert_eq!(firm.get(&s, "sales", &path).await.status, StatusCode::OK);
    assert!(listed(&s, &firm, "sales", &id).await);
    let patched = firm.patch(&s, "sales", &path, json!({"stage": "mature"})).await;
    assert_eq!(patched.status, StatusCode::FORBIDDEN, "{}", patched.body);
    assert_eq!(firm.get(&s, "peer", &path).await.status, StatusCode::NOT_FOUND, "shared with one user only");

    // Edit access: changeable.
    let unshared = firm.delete(&s, "us_sales", &format!("{shares}/{}", id_of(&read.body))).await;
    assert_eq!(unshared.status, StatusCode::NO_CONTENT, "{}", unshared.body);
    let edit = firm.post(&s, "us_sales", &shares, json!({"user_id": firm.id("sales"), "access": "edit"})).await;
    assert_eq!(edit.status, StatusCode::CREATED, "{}", edit.body);
    let patched = firm.patch(&s, "sales", &path, json!({"stage": "mature"})).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(firm.delete(&s, "sales", &path).await.status, StatusCode::FORBIDDEN, "editing is not deleting");

    // Unsharing takes it away again.
    let unshared = firm.delete(&s, "us_sales", &format!("{shares}/{}", id_of(&edit.body))).await;
    assert_eq!(unshared.status, StatusCode::NO_CONTENT, "{}", unshared.body);
    assert_eq!(firm.get(&s, "sales", &path).await.status, StatusCode::NOT_FOUND);
    assert!(!listed(&s, &firm, "sales", &id).await);
    assert_eq!(firm.patch(&s, "sales", &path, json!({"stage": "growing"})).await.status, StatusCode::NOT_FOUND);

    // A share with a team reaches its members.
    let team = firm.post(&s, "us_sales", &shares, json!({"team_id": firm.eu})).await;
    assert_eq!(team.status, StatusCode::CREATED, "{}", team.body);
    assert_eq!(firm.get(&s, "peer", &path).await.status, StatusCode::OK);
    assert!(listed(&s, &firm, "peer", &id).await, "a team share shows in the members' lists");
    assert_eq!(firm.get(&s, "pl_sales", &path).await.status, StatusCode::NOT_FOUND, "not the team below");

    // Every share and unshare is in the record's history.
    let history = s.get(&format!("{path}/history")).await;
    let actions: Vec<&str> = items(&history).iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["share", "unshare"] {
        assert_eq!(
            actions.iter().filter(|a| **a == action).count(),
            if action == "share" { 3 } else { 2 },
            "{actions:?}"
        );
    }
    let logged = |action: &str, side: &str, access: &str| {
        items(&history).iter().any(|e| {
            let share = &e["changes"][0][side];
            e["action"] == action
                && e["actor_id"] == firm.id("us_sales").as_str()
                && share["user_id"] == firm.id("sales").as_str()
                && share["access"] == access
        })
    };
    for (action, side, access) in
        [("share", "new", "read"), ("unshare", "old", "read"), ("share", "new", "edit"), ("unshare", "old", "edit")]
    {
        assert!(logged(action, side, access), "{action} {access} in {}", history.body);
    }
});
