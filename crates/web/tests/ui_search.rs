//! Global search through the pages: the results page grouped by kind, the dropdown's
//! fragment, who sees what, escaping, the syntax hint and a refused request, on SQLite
//! and PostgreSQL.

mod ui_support;

use rapport_app::{Actor, companies, teams};
use reqwest::{Method, StatusCode};
use serde_json::json;
use ui_support::UiServer;

/// The id at the end of a card's address (`/companies/<id>`).
fn id_in(location: &str) -> String {
    location.rsplit('/').next().unwrap_or_default().to_string()
}

/// The body's text between two markers, to look at one part of a page.
fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body.find(start).unwrap_or_else(|| panic!("{start} is on the page: {body}"));
    let rest = &body[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

ui_both_engines!(
    the_results_page_groups_companies_and_people_and_links_to_their_cards,
    with_admin,
    |s: UiServer| async move {
        let mut browser = s.signed_in("admin").await;
        let page = browser.get("/companies").await;
        assert!(page.body.contains(r#"<form class="search" role="search" action="/search" method="get">"#));
        let token = page.body.split(r#"<meta name="csrf-token" content=""#).nth(1).and_then(|t| t.split('"').next());
        let token = token.expect("the page's CSRF token").to_string();

        let company = browser
            .post(
                "/companies/new",
                &[
                    ("name", "Łódź Textiles"),
                    ("contact_methods[0].kind", "email"),
                    ("contact_methods[0].value", "office@textiles.example"),
                    ("addresses[0].purpose", "billing"),
                    ("addresses[0].city", "Pabianice"),
                    ("addresses[0].country", "PL"),
                ],
            )
            .await;
        assert_eq!(company.status, StatusCode::SEE_OTHER, "{}", company.body);
        let company_id = id_in(&company.location());
        let person = json!({"given_name": "Łucja", "family_name": "Nowak",
                            "contact_methods": [{"kind": "email", "value": "lucja@lodz-weaving.example"}]});
        let person = browser.api(Method::POST, "/api/v1/people", Some(person), Some(&token)).await;
        assert_eq!(person.status, StatusCode::CREATED, "{}", person.body);
        let person_id =
            serde_json::from_str::<serde_json::Value>(&person.body).unwrap()["id"].as_str().unwrap().to_string();

        let found = browser.get("/search?q=lodz").await;
        assert_eq!(found.status, StatusCode::OK, "{}", found.body);
        assert!(found.body.contains("Results for “lodz”"), "{}", found.body);
        assert_eq!(found.input_value("q").as_deref(), Some("lodz"), "the header's box keeps the text");
        let (companies_at, people_at) =
            (found.body.find(r#"id="results-company""#).unwrap(), found.body.find(r#"id="results-person""#).unwrap());
        assert!(companies_at < people_at, "companies first, as the use case returns them");
        let in_companies = between(&found.body, r#"id="results-company""#, "</section>");
        assert!(
            in_companies.contains(&format!(r#"<a href="/companies/{company_id}">Łódź Textiles</a>"#)),
            "{in_companies}"
        );
        assert!(
            in_companies.contains("Matched in: name"),
            "accents do not matter, and the field is named: {in_companies}"
        );
        assert!(!in_companies.contains("Łucja"), "a person is not among the companies");
        let in_people = between(&found.body, r#"id="results-person""#, "</section>");
        assert!(in_people.contains(&format!(r#"<a href="/people/{person_id}">Łucja Nowak</a>"#)), "{in_people}");
        assert!(in_people.contains("Matched in: email"), "{in_people}");
        assert!(!found.body.contains("All matching"), "everything found is shown");

        // More than a page of one kind: the page links to the list, which takes the same q.
        for n in 0..9 {
            companies::create(&s.app, &Actor::system(), json!({"name": format!("Varna Trade {n}")})).await.unwrap();
        }
        let many = browser.get("/search?q=varna").await;
        assert_eq!(many.body.matches(r#"<a href="/companies/"#).count(), 8, "eight by default");
        assert!(many.body.contains(r#"<a href="/companies?q=varna">All matching companies</a>"#), "{}", many.body);
        assert!(!many.body.contains(r#"id="results-person""#), "a kind without matches is left out");
        let all = browser.get("/companies?q=varna").await;
        assert!(all.body.contains("Varna Trade 8") && all.body.contains("Varna Trade 0"));

        let bulgarian = {
            let mut b = s.signed_in("admin").await;
            b.accept_language = Some("bg".into());
            b.get("/search?q=lodz").await
        };
        assert!(bulgarian.body.contains("Резултати за „lodz“") && bulgarian.body.contains("Съвпадение в: име"));
    }
);

ui_both_engines!(a_sales_user_finds_nothing_of_another_team, with_admin, |s: UiServer| async move {
    let north = teams::create(&s.app, &Actor::system(), json!({"name": "North"})).await.unwrap();
    let south = teams::create(&s.app, &Actor::system(), json!({"name": "South"})).await.unwrap();
    let nora = s.user("nora", "Nora North", "sales", Some(north.id)).await;
    let sam = s.user("sam", "Sam South", "sales", Some(south.id)).await;
    companies::create(&s.app, &Actor::system(), json!({"name": "Harbour Mills", "owner_id": nora})).await.unwrap();
    companies::create(&s.app, &Actor::system(), json!({"name": "Harbour Ports", "owner_id": sam})).await.unwrap();

    let mut browser = s.signed_in("nora").await;
    let page = browser.get("/search?q=harbour").await;
    assert!(page.body.contains("Harbour Mills"), "{}", page.body);
    assert!(!page.body.contains("Harbour Ports"), "another team's company is not found");
    let theirs = browser.get("/search?q=ports").await;
    assert!(!theirs.body.contains("Harbour Ports") && theirs.body.contains(r#"id="search-empty""#));
    let suggested = browser.get("/search/suggest?q=harb").await;
    assert_eq!(suggested.status, StatusCode::OK);
    assert!(suggested.body.contains("Harbour Mills"), "{}", suggested.body);
    assert!(!suggested.body.contains("Harbour Ports"), "nor suggested: {}", suggested.body);

    let mut anonymous = s.browser();
    let refused = anonymous.get("/search/suggest?q=harb").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER, "no suggestions without signing in");
    assert!(!refused.body.contains("Harbour"));
});

ui_both_engines!(
    names_are_shown_as_text_and_suggestions_are_options_with_links,
    with_admin,
    |s: UiServer| async move {
        let evil = companies::create(&s.app, &Actor::system(), json!({"name": "<script>alert(1)</script> Labs"}))
            .await
            .unwrap();
        let mut browser = s.signed_in("admin").await;
        let page = browser.get("/search?q=alert").await;
        assert!(page.body.contains("&#60;script&#62;alert(1)&#60;/script&#62; Labs"), "{}", page.body);
        assert!(!page.body.contains("<script>alert"), "never as markup");

        let fragment = browser.get("/search/suggest?q=alert").await;
        assert_eq!(fragment.status, StatusCode::OK);
        assert!(fragment.header("content-type").starts_with("text/html"));
        assert!(!fragment.body.contains("<html") && !fragment.body.contains("<header"), "a fragment, not a page");
        assert!(
            fragment.body.contains(&format!(
                r#"<a role="option" id="suggest-company-0" class="suggest-option" href="/companies/{}""#,
                evil.id
            )),
            "{}",
            fragment.body
        );
        assert!(
            fragment
                .body
                .contains(r#"<div class="suggest-heading" id="suggest-h-company" role="presentation">Companies</div>"#)
        );
        assert!(
            fragment.body.contains("&#60;script&#62;alert(1)&#60;/script&#62; Labs")
                && !fragment.body.contains("<script>")
        );
        let last = fragment.body.rsplit(r#"role="option""#).next().unwrap();
        assert!(
            last.contains(r#"href="/search?q=alert""#) && last.contains("See all results for “alert”"),
            "the last option opens the results page: {last}"
        );
        let base = browser.get("/companies").await;
        assert!(base.body.contains(
            r#"<div id="global-suggest" class="suggest" role="listbox" aria-label="Suggestions" hidden></div>"#
        ));
        assert!(base.body.contains(r#"<script type="module" src="/assets/search.js?v="#), "the script is our own file");
        let script = browser.get("/assets/search.js").await;
        assert_eq!(script.status, StatusCode::OK);
        assert!(script.header("content-type").starts_with("text/javascript"));
    }
);

ui_both_engines!(
    an_empty_result_hints_at_the_syntax_and_an_overlong_search_is_refused,
    with_admin,
    |s: UiServer| async move {
        let mut browser = s.signed_in("admin").await;
        let none = browser.get("/search?q=zebrafish").await;
        assert_eq!(none.status, StatusCode::OK);
        let empty = between(&none.body, r#"id="search-empty""#, "</dl>");
        assert!(empty.contains("Nothing matches “zebrafish”."), "{empty}");
        for syntax in [
            r#"<code>"phrase"</code>"#,
            "<code>key=value</code>",
            "<code>city:Sofia</code>",
            "<code>owner:me</code>",
            "<code>-word</code>",
        ] {
            assert!(empty.contains(syntax), "the hint shows {syntax}: {empty}");
        }
        let fresh = browser.get("/search").await;
        assert_eq!(fresh.status, StatusCode::OK);
        assert!(
            fresh.body.contains(r#"id="search-hint""#) && !fresh.body.contains("Nothing matches"),
            "{}",
            fresh.body
        );
        let suggest = browser.get("/search/suggest?q=zebrafish").await;
        assert!(suggest.body.contains("Nothing matches “zebrafish”.") && suggest.body.contains(r#"id="suggest-all""#));

        let long = "a".repeat(501);
        let refused = browser.get(&format!("/search?q={long}")).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        let problem = between(&refused.body, r#"id="search-problem""#, "</div>");
        assert!(problem.contains("This search cannot be run.") && problem.contains("longer than 500"), "{problem}");
        assert!(refused.body.contains(r#"action="/search""#), "the page keeps its frame, with the box to try again");
        let suggest = browser.get(&format!("/search/suggest?q={long}")).await;
        assert_eq!(suggest.status, StatusCode::BAD_REQUEST);
        assert!(suggest.body.contains("This search cannot be run."), "{}", suggest.body);
        let polish = {
            let mut b = s.signed_in("admin").await;
            b.accept_language = Some("pl".into());
            b.get(&format!("/search?q={long}")).await
        };
        assert!(polish.body.contains("Tego wyszukiwania nie da się wykonać."));
    }
);
