//! Global search over HTTP (`GET /api/v1/search`), on SQLite and PostgreSQL: results
//! grouped by kind and best first, the query language, and access control: search never
//! finds what the caller may not see, neither a record nor a hidden field's value.

mod firm;
mod support;

use firm::Firm;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Answer, TestServer};

/// Titles per kind, in the order the answer gives them.
fn titles(answer: &Answer) -> Vec<(String, Vec<String>)> {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let groups = answer.body["groups"].as_array().expect("groups");
    groups
        .iter()
        .map(|g| {
            let items = g["items"].as_array().expect("items");
            (
                g["kind"].as_str().unwrap().to_string(),
                items.iter().map(|i| i["title"].as_str().unwrap().to_string()).collect(),
            )
        })
        .collect()
}

fn of_kind(answer: &Answer, kind: &str) -> Vec<String> {
    titles(answer).into_iter().find(|(k, _)| k == kind).map(|(_, t)| t).unwrap_or_default()
}

both_engines!(results_come_grouped_by_kind_best_first, |s: TestServer| async move {
    s.create(
        "companies",
        json!({"name": "Sofia Trade", "contact_methods": [{"kind": "email", "value": "office@sofia-trade.bg"}]}),
    )
    .await;
    s.create("companies", json!({"name": "Rapport Solutions", "addresses": [{"purpose": "office", "city": "Sofia"}]}))
        .await;
    let maria = s
        .create(
            "people",
            json!({"given_name": "Sofia", "family_name": "Petrova",
                   "contact_methods": [{"kind": "mobile", "value": "+359 88 123 4567"}]}),
        )
        .await;
    let found = s.get("/api/v1/search?q=sofia").await;
    assert_eq!(
        titles(&found),
        [
            ("company".to_string(), vec!["Sofia Trade".to_string(), "Rapport Solutions".to_string()]),
            ("person".to_string(), vec!["Sofia Petrova".to_string()])
        ],
        "a name before a city"
    );
    let company = &found.body["groups"][0]["items"][0];
    assert_eq!(company["matched"], json!(["name"]), "{company}");
    assert!(company["url"].as_str().unwrap().starts_with("/companies/"), "{company}");
    assert!(company["subtitle"].as_str().unwrap().contains("office@sofia-trade.bg"), "{company}");
    let person = &found.body["groups"][1]["items"][0];
    assert_eq!(person["id"], maria["id"]);

    // An exact phone finds the person, typed as a Bulgarian would, without the country.
    assert_eq!(of_kind(&s.get("/api/v1/search?q=088%20123%204567").await, "person"), ["Sofia Petrova"]);
    // A typo in a longer word, and only the kinds asked for.
    let typo = s.get("/api/v1/search?q=Rapprot&kinds=company").await;
    assert_eq!(titles(&typo), [("company".to_string(), vec!["Rapport Solutions".to_string()])]);
    // A limit per kind, with `more` telling that there is more.
    for i in 0..4 {
        s.create("companies", json!({"name": format!("Sofia Branch {i}")})).await;
    }
    let limited = s.get("/api/v1/search?q=sofia&limit=3&kinds=company").await;
    assert_eq!(of_kind(&limited, "company").len(), 3);
    assert_eq!(limited.body["groups"][0]["more"], true);
    // Negation and field filters in the same box.
    let filtered = s.get("/api/v1/search?q=sofia%20-branch%20-trade&kinds=company").await;
    assert_eq!(of_kind(&filtered, "company"), ["Rapport Solutions"]);
    let city = s.get("/api/v1/search?q=city:sofia").await;
    assert_eq!(
        titles(&city),
        [("company".to_string(), vec!["Rapport Solutions".to_string()]), ("person".to_string(), vec![])]
    );
    // Pairs alone list what they filter, by name.
    s.create("companies", json!({"name": "Gold Partner", "attributes": {"loyalty": "gold"}})).await;
    assert_eq!(of_kind(&s.get("/api/v1/search?q=loyalty%3Dgold").await, "company"), ["Gold Partner"]);
    assert!(of_kind(&s.get("/api/v1/search?q=status:active").await, "person").is_empty(), "people have no status");
});

both_engines!(bad_requests_are_refused_clearly, |s: TestServer| async move {
    for (query, wanted) in [
        ("q=x&limit=0", "limit"),
        ("q=x&limit=abc", "limit"),
        ("q=x&kinds=invoices", "kinds"),
        ("q=x&colour=red", "colour"),
        ("q=owner:nobody", "owner"),
    ] {
        let answer = s.get(&format!("/api/v1/search?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}: {}", answer.body);
        assert_eq!(answer.header("content-type"), "application/problem+json");
        assert!(answer.body["detail"].as_str().unwrap().contains(wanted), "{query}: {}", answer.body);
    }
    let long = format!("/api/v1/search?q={}", "a".repeat(501));
    assert_eq!(s.get(&long).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(titles(&s.get("/api/v1/search?q=").await), Vec::<(String, Vec<String>)>::new(), "nothing asked");
});

both_engines!(search_never_finds_what_the_caller_may_not_see, |s: TestServer| async move {
    let mut firm = Firm::build(&s).await;
    // sales sees their own team's records (Sales EU), not those of Sales US.
    let ours = firm.company(&s, "peer", "Nordwind Logistics", json!({})).await;
    firm.company(&s, "us_sales", "Nordwind Holdings", json!({})).await;
    firm.person(&s, "us_sales", "Nordwind", json!({})).await;
    let found = firm.get(&s, "sales", "/api/v1/search?q=nordwind").await;
    assert_eq!(of_kind(&found, "company"), ["Nordwind Logistics"]);
    assert_eq!(found.body["groups"][0]["items"][0]["id"], Value::String(ours.clone()));
    assert!(of_kind(&found, "person").is_empty(), "a person of another team is not found");
    assert_eq!(of_kind(&s.get("/api/v1/search?q=nordwind").await, "company").len(), 2, "the administrator sees both");

    // owner:me keeps the caller's own.
    firm.company(&s, "sales", "Nordwind Mine", json!({})).await;
    assert_eq!(
        of_kind(&firm.get(&s, "sales", "/api/v1/search?q=nordwind%20owner:me").await, "company"),
        ["Nordwind Mine"]
    );

    // Above the caller's clearance, a company does not exist for them.
    firm.company(&s, "sales", "Nordwind Ministry", json!({"security_level": 5})).await;
    let mine = of_kind(&firm.get(&s, "sales", "/api/v1/search?q=ministry").await, "company");
    assert!(mine.is_empty(), "{mine:?}");

    // A hidden field's value finds nothing, and the subtitle leaves it out.
    s.create(
        "roles",
        json!({"key": "discreet", "name": "Sales without contacts",
               "grants": {"company": {"read": "team", "create": "all", "update": "own"}},
               "fields": {"company": {"tax_id": "hidden", "contact_methods": "hidden"}}}),
    )
    .await;
    let user = s
        .create(
            "users",
            json!({"login": "discreet", "name": "Dana", "password": firm::PASSWORD, "role": "discreet", "team_id": firm.eu}),
        )
        .await;
    firm.join(&s, &user).await;
    let extra =
        json!({"tax_id": "PL7250012345", "contact_methods": [{"kind": "email", "value": "secret@nordwind.example"}]});
    firm.company(&s, "discreet", "Nordwind Secrets", extra).await;
    for q in ["PL7250012345", "secret@nordwind.example", "@nordwind.example"] {
        let answer = firm.get(&s, "discreet", &format!("/api/v1/search?q={q}&kinds=company")).await;
        assert!(of_kind(&answer, "company").is_empty(), "{q} is hidden from this role");
        assert_eq!(
            of_kind(&s.get(&format!("/api/v1/search?q={q}&kinds=company")).await, "company"),
            ["Nordwind Secrets"]
        );
    }
    let listed = firm.get(&s, "discreet", "/api/v1/companies?q=PL7250012345").await;
    assert!(listed.body["items"].as_array().unwrap().is_empty(), "the list's q hides it too");
    let shown = firm.get(&s, "discreet", "/api/v1/search?q=secrets").await;
    let subtitle = shown.body["groups"][0]["items"][0]["subtitle"].as_str().unwrap_or_default().to_string();
    assert!(!subtitle.contains("secret@"), "{subtitle}");
});
