//! Saved filters and distribution lists over HTTP, on SQLite and PostgreSQL: filters are
//! checked when saved, applied with `?filter=`, private or shared with a team; static
//! lists take visible records only; dynamic lists follow their filter; a card knows its
//! lists; the CSV export neutralises formulas.

mod firm;
mod support;

use firm::{Firm, error, errors, id_of, ids, items};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::TestServer;

/// The names in a list answer, in order.
fn names(answer: &support::Answer) -> Vec<String> {
    items(answer).iter().map(|r| r["name"].as_str().or(r["full_name"].as_str()).unwrap_or("").to_string()).collect()
}

async fn filter(s: &TestServer, firm: &Firm, login: &str, body: Value) -> String {
    let answer = firm.post(s, login, "/api/v1/filters", body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    id_of(&answer.body)
}

async fn list(s: &TestServer, firm: &Firm, login: &str, body: Value) -> String {
    let answer = firm.post(s, login, "/api/v1/lists", body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    id_of(&answer.body)
}

both_engines!(saved_filters_are_checked_applied_and_private_unless_shared, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let gold = json!({"status": "active", "attributes": {"loyalty": "gold"}});
    let sofia = firm.company(&s, "sales", "Sofia Gold", gold.clone()).await;
    let plovdiv = firm.company(&s, "peer", "Plovdiv Gold", gold.clone()).await;
    firm.company(&s, "sales", "Sofia Silver", json!({"status": "active", "attributes": {"loyalty": "silver"}})).await;
    firm.company(&s, "us_sales", "Boston Gold", gold).await;

    for (query, code) in
        [("colour=red", "invalid_filter"), ("limit=5", "not_a_filter"), ("sort=colour", "invalid_filter")]
    {
        let body = json!({"name": "Bad", "collection": "companies", "query": query});
        let refused = firm.post(&s, "sales", "/api/v1/filters", body).await;
        assert_eq!(errors(&refused), error("query", code), "{query} is refused, not saved");
    }
    let wrong =
        firm.post(&s, "sales", "/api/v1/filters", json!({"name": "X", "collection": "deals", "query": ""})).await;
    assert_eq!(errors(&wrong), error("collection", "invalid_choice"));
    let none = firm.get(&s, "sales", "/api/v1/filters").await;
    assert!(items(&none).is_empty(), "nothing invalid was kept: {}", none.body);

    let body = json!({"name": "Gold customers", "collection": "companies", "query": "status=active&attr.loyalty=gold"});
    let mine = filter(&s, &firm, "sales", body).await;
    let applied = firm.get(&s, "sales", &format!("/api/v1/companies?filter={mine}")).await;
    assert_eq!(
        ids(&applied),
        [plovdiv.clone(), sofia.clone()],
        "the filter finds what sales may see: {}",
        applied.body
    );
    let narrowed = firm.get(&s, "sales", &format!("/api/v1/companies?filter={mine}&q=sofia")).await;
    assert_eq!(ids(&narrowed), vec![sofia.clone()], "the request's own parameters add to the saved ones");

    // Private: a team mate neither sees nor applies it.
    assert_eq!(firm.get(&s, "peer", &format!("/api/v1/filters/{mine}")).await.status, StatusCode::NOT_FOUND);
    let foreign = firm.get(&s, "peer", &format!("/api/v1/companies?filter={mine}")).await;
    assert_eq!(foreign.status, StatusCode::BAD_REQUEST, "{}", foreign.body);

    // Shared with the team: the team sees it, another team does not, only the owner changes it.
    let body = json!({"name": "Team gold", "collection": "companies", "query": "attr.loyalty=gold", "shared_with_team_id": firm.eu});
    let shared = filter(&s, &firm, "sales", body).await;
    let seen = firm.get(&s, "peer", "/api/v1/filters?collection=companies").await;
    assert_eq!(ids(&seen), vec![shared.clone()], "{}", seen.body);
    assert_eq!(firm.get(&s, "us_sales", &format!("/api/v1/filters/{shared}")).await.status, StatusCode::NOT_FOUND);
    let path = format!("/api/v1/filters/{shared}");
    assert_eq!(firm.patch(&s, "peer", &path, json!({"name": "Mine now"})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(firm.delete(&s, "peer", &path).await.status, StatusCode::FORBIDDEN);
    let renamed =
        firm.patch(&s, "sales", &path, json!({"name": "EU gold", "query": "attr.loyalty=gold&q=sofia"})).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.body["version"], 2);
    let bad_patch = firm.patch(&s, "sales", &path, json!({"query": "owner_id=nobody"})).await;
    assert_eq!(errors(&bad_patch), error("query", "invalid_filter"));
    let history = firm.get(&s, "sales", &format!("{path}/history")).await;
    let actions: Vec<_> = items(&history).iter().map(|e| e["action"].as_str().unwrap_or("")).collect();
    assert_eq!(actions, ["update", "create"], "{}", history.body);
    let elsewhere = json!({"name": "US", "collection": "companies", "query": "", "shared_with_team_id": firm.us});
    let refused = firm.post(&s, "sales", "/api/v1/filters", elsewhere).await;
    assert_eq!(errors(&refused), error("shared_with_team_id", "not_your_team"));
    assert_eq!(firm.delete(&s, "admin", &path).await.status, StatusCode::NO_CONTENT, "an administrator may delete it");
});

both_engines!(static_lists_take_visible_records_by_id_or_by_filter, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let gold = json!({"attributes": {"loyalty": "gold"}});
    let own = firm.company(&s, "sales", "Alpha", json!({})).await;
    let mate = firm.company(&s, "peer", "Bravo", gold.clone()).await;
    let gold_own = firm.company(&s, "sales", "Charlie", gold.clone()).await;
    let foreign = firm.company(&s, "us_sales", "Delta", gold).await;
    let person = firm.person(&s, "sales", "Ewa", json!({})).await;

    let id =
        list(&s, &firm, "sales", json!({"name": "Christmas cards", "kind": "static", "collection": "companies"})).await;
    let members = format!("/api/v1/lists/{id}/members");
    let added = firm.post(&s, "sales", &members, json!({"record_ids": [own, mate]})).await;
    assert_eq!((added.status, added.body["added"].clone()), (StatusCode::OK, json!(2)), "{}", added.body);
    let hidden = firm.post(&s, "sales", &members, json!({"record_ids": [gold_own, foreign]})).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "another team's company is not revealed: {}", hidden.body);
    let wrong_kind = firm.post(&s, "sales", &members, json!({"record_ids": [person]})).await;
    assert_eq!(wrong_kind.status, StatusCode::NOT_FOUND, "a person is not a company");
    assert_eq!(names(&firm.get(&s, "sales", &members).await), ["Alpha", "Bravo"], "nothing of a refused request");

    let by_filter = firm.post(&s, "sales", &members, json!({"filter": "attr.loyalty=gold"})).await;
    assert_eq!(by_filter.body["added"], 1, "Bravo was there already, Delta is invisible: {}", by_filter.body);
    let bad = firm.post(&s, "sales", &members, json!({"filter": "colour=red"})).await;
    assert_eq!(errors(&bad), error("filter", "invalid_filter"));
    let all = firm.get(&s, "sales", &members).await;
    assert_eq!(names(&all), ["Alpha", "Bravo", "Charlie"]);
    assert!(all.body["items"][0]["code"].as_str().unwrap().starts_with("C-"), "members are whole companies");
    let admin_view = firm.get(&s, "admin", &members).await;
    assert_eq!(ids(&admin_view), ids(&all), "the list holds no invisible members");

    let first = firm.get(&s, "sales", &format!("{members}?limit=2")).await;
    assert_eq!(names(&first), ["Alpha", "Bravo"]);
    let cursor = first.body["next_cursor"].as_str().expect("a next page").to_string();
    let second = firm.get(&s, "sales", &format!("{members}?limit=2&cursor={cursor}")).await;
    assert_eq!((names(&second), second.body["next_cursor"].clone()), (vec!["Charlie".to_string()], Value::Null));

    // A private list does not exist for a team mate.
    assert_eq!(firm.get(&s, "peer", &format!("/api/v1/lists/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(firm.get(&s, "peer", &members).await.status, StatusCode::NOT_FOUND);
    let intruder = firm.post(&s, "peer", &members, json!({"record_ids": [mate]})).await;
    assert_eq!(intruder.status, StatusCode::NOT_FOUND);
    assert!(!ids(&firm.get(&s, "peer", "/api/v1/lists").await).contains(&id));

    let removed = firm.delete(&s, "sales", &format!("{members}/{own}")).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    assert_eq!(firm.delete(&s, "sales", &format!("{members}/{own}")).await.status, StatusCode::NOT_FOUND);
    let history = firm.get(&s, "sales", &format!("/api/v1/lists/{id}/history")).await;
    let actions: Vec<_> = items(&history).iter().map(|e| e["action"].as_str().unwrap_or("")).collect();
    assert_eq!(actions, ["remove_member", "add_members", "add_members", "create"], "{}", history.body);

    // Deleting a member removes its membership; the delete itself is not blocked.
    assert_eq!(firm.delete(&s, "admin", &format!("/api/v1/companies/{mate}")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(names(&firm.get(&s, "sales", &members).await), ["Charlie"]);

    let people = list(&s, &firm, "sales", json!({"name": "Ewa's", "kind": "static", "collection": "people"})).await;
    let added =
        firm.post(&s, "sales", &format!("/api/v1/lists/{people}/members"), json!({"record_ids": [person]})).await;
    assert_eq!(added.body["added"], 1, "{}", added.body);
    let of_person = firm.get(&s, "sales", &format!("/api/v1/people/{person}/lists")).await;
    assert_eq!(ids(&of_person), vec![people.clone()]);
    assert_eq!(firm.delete(&s, "sales", &format!("/api/v1/lists/{people}")).await.status, StatusCode::NO_CONTENT);
    assert!(ids(&firm.get(&s, "sales", &format!("/api/v1/people/{person}/lists")).await).is_empty());
});

both_engines!(a_dynamic_list_follows_its_filter_and_the_card_knows_its_lists, |s: TestServer| async move {
    let firm = Firm::build(&s).await;
    let active = firm.company(&s, "sales", "Active Ltd", json!({"status": "active"})).await;
    firm.company(&s, "sales", "Dormant Ltd", json!({"status": "inactive"})).await;
    let body =
        json!({"name": "Active", "collection": "companies", "query": "status=active", "shared_with_team_id": firm.eu});
    let filter_id = filter(&s, &firm, "sales", body).await;

    let missing = firm
        .post(&s, "sales", "/api/v1/lists", json!({"name": "D", "kind": "dynamic", "collection": "companies"}))
        .await;
    assert_eq!(errors(&missing), error("filter_id", "required"));
    let wrong = json!({"name": "D", "kind": "dynamic", "collection": "people", "filter_id": filter_id});
    assert_eq!(errors(&firm.post(&s, "sales", "/api/v1/lists", wrong).await), error("filter_id", "wrong_collection"));
    let body = json!({"name": "Active customers", "kind": "dynamic", "collection": "companies", "filter_id": filter_id,
                      "shared_with_team_id": firm.eu});
    let dynamic = list(&s, &firm, "sales", body).await;
    let static_list =
        list(&s, &firm, "sales", json!({"name": "Hand-picked", "kind": "static", "collection": "companies"})).await;
    let path = format!("/api/v1/lists/{static_list}/members");
    assert_eq!(firm.post(&s, "sales", &path, json!({"record_ids": [active]})).await.status, StatusCode::OK);

    let members = format!("/api/v1/lists/{dynamic}/members");
    assert_eq!(names(&firm.get(&s, "peer", &members).await), ["Active Ltd"], "the team sees the shared list");
    let card = format!("/api/v1/companies/{active}/lists");
    let mut expected = vec![dynamic.clone(), static_list.clone()];
    expected.sort_by_key(|id| if *id == dynamic { "Active customers" } else { "Hand-picked" });
    assert_eq!(ids(&firm.get(&s, "sales", &card).await), expected);
    assert_eq!(ids(&firm.get(&s, "peer", &card).await), vec![dynamic.clone()], "only the lists the user sees");
    let adding = firm.post(&s, "sales", &members, json!({"record_ids": [active]})).await;
    assert_eq!(adding.status, StatusCode::CONFLICT, "a dynamic list's members are its filter's: {}", adding.body);

    let company = format!("/api/v1/companies/{active}");
    let changed = firm.patch(&s, "sales", &company, json!({"status": "inactive"})).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert!(items(&firm.get(&s, "sales", &members).await).is_empty(), "a company that stops matching leaves the list");
    assert_eq!(ids(&firm.get(&s, "sales", &card).await), vec![static_list.clone()]);

    let blocked = firm.delete(&s, "sales", &format!("/api/v1/filters/{filter_id}")).await;
    assert_eq!(blocked.status, StatusCode::CONFLICT, "{}", blocked.body);
    assert_eq!(blocked.body["referrers"][0]["id"], json!(dynamic));
    let hidden = firm.company(&s, "us_sales", "Far Away", json!({"status": "active"})).await;
    let unseen = firm.get(&s, "sales", &format!("/api/v1/companies/{hidden}/lists")).await;
    assert_eq!(unseen.status, StatusCode::NOT_FOUND, "the lists of a company one may not see are not told");
});

both_engines!(the_csv_export_pages_through_every_member_and_neutralises_formulas, |s: TestServer| async move {
    let system = rapport_app::Actor::system();
    let mut drafts: Vec<Value> = (0..520).map(|i| json!({"name": format!("Bulk {i:03}"), "area": "north"})).collect();
    drafts.push(json!({"name": "=HYPERLINK(\"http://evil.example\")", "area": "north",
                       "contact_methods": [{"kind": "email", "value": "office@formula.example"}]}));
    rapport_app::bulk::create_companies(&s.app, &system, drafts).await.expect("loaded");
    let created = s.post("/api/v1/lists", json!({"name": "North", "kind": "static", "collection": "companies"})).await;
    let id = id_of(&created.body);
    let added = s.post(&format!("/api/v1/lists/{id}/members"), json!({"filter": "area=north"})).await;
    assert_eq!(added.body["added"], 521, "{}", added.body);

    let response = s
        .client
        .get(format!("{}/api/v1/lists/{id}/members/export?format=csv", s.base))
        .bearer_auth(&s.token)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "name,code,email,phone,area,status,id");
    assert_eq!(lines.len(), 522, "a header and every member, past the first page");
    let formula = lines.iter().find(|l| l.contains("HYPERLINK")).expect("the formula company");
    assert!(formula.starts_with("\"'=HYPERLINK("), "a formula cell is neutralised: {formula}");
    assert!(formula.contains(",office@formula.example,"), "{formula}");
    let bad = s.get(&format!("/api/v1/lists/{id}/members/export?format=xlsx")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
});
