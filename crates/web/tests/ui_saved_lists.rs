//! Saved filters and distribution lists through the pages, on SQLite and PostgreSQL: the
//! save-filter form and the menu that applies a filter, the Lists screen, a list's page,
//! adding from a card, the selected rows or a whole filter, and the card's Lists panel.

mod ui_support;

use rapport_app::{Actor, companies, filters};
use reqwest::StatusCode;
use serde_json::json;
use ui_support::UiServer;

/// The text of the element with this id, up to its closing tag.
fn section(body: &str, id: &str, end: &str) -> String {
    let start = body.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no #{id} in the page: {body}"));
    let stop = body[start..].find(end).map_or(body.len(), |e| start + e);
    body[start..stop].to_string()
}

fn unescape(text: &str) -> String {
    text.replace("&amp;", "&").replace("&#38;", "&").replace("&#x3d;", "=").replace("&#61;", "=")
}

ui_both_engines!(the_current_filter_is_saved_by_name_and_applied_from_the_menu, with_admin, |s: UiServer| async move {
    let system = Actor::system();
    for (name, loyalty) in [("Gold Mills", "gold"), ("Silver Ports", "silver")] {
        companies::create(
            &s.app,
            &system,
            json!({"name": name, "status": "active", "attributes": {"loyalty": loyalty}}),
        )
        .await
        .unwrap();
    }
    let mut browser = s.signed_in("admin").await;
    let filtered = browser.get("/companies?status=active&attr_key=loyalty&attr_value=gold").await;
    let form = section(&filtered.body, "save-filter", "</form>");
    assert!(form.contains("Save this filter"), "{form}");
    let query = unescape(&filtered.input_value("query").expect("the filter to save"));
    assert_eq!(query, "status=active&attr.loyalty=gold", "saved as the list API takes it");

    let refused = browser
        .post("/filters", &[("name", "  "), ("collection", "companies"), ("query", &query), ("back", "/companies")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(r#"id="e-name""#) && refused.body.contains("Required."), "{}", refused.body);
    assert_eq!(refused.input_value("query").map(|q| unescape(&q)).as_deref(), Some(query.as_str()), "kept");
    let bad = browser.post("/filters", &[("name", "Odd"), ("collection", "companies"), ("query", "colour=red")]).await;
    assert!(bad.body.contains(r#"id="e-query""#), "an invalid filter is marked, not saved: {}", bad.body);

    let saved = browser
        .post(
            "/filters",
            &[("name", "Gold customers"), ("collection", "companies"), ("query", &query), ("back", "/companies")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/companies?status=active&attr_key=loyalty&attr_value=gold");
    let menu = section(&browser.get("/companies").await.body, "saved-filters", "</details>");
    assert!(menu.contains(">Gold customers</a>") && !menu.contains(">Odd</a>"), "{menu}");
    let link = menu.split("href=\"").nth(1).and_then(|h| h.split('"').next()).map(unescape).expect("a link");
    let applied = browser.get(&link).await;
    assert!(applied.body.contains(">Gold Mills</a>") && !applied.body.contains(">Silver Ports</a>"));
    assert_eq!(applied.input_value("attr_value").as_deref(), Some("gold"), "the filter form shows what is applied");

    s.user("sam", "Sam Sales", "sales", None).await;
    let theirs = s.signed_in("sam").await.get("/companies").await;
    let menu = section(&theirs.body, "saved-filters", "</details>");
    assert!(menu.contains("No saved filters yet."), "a private filter is its owner's alone: {menu}");

    let id = filters::list(&s.app, &system, Some("companies")).await.unwrap()[0].id;
    let deleted = browser.post(&format!("/filters/{id}/delete"), &[("back", "/companies")]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(!browser.get("/companies").await.body.contains(">Gold customers</a>"));
});

ui_both_engines!(lists_are_made_filled_and_emptied_from_the_pages, with_admin, |s: UiServer| async move {
    let system = Actor::system();
    let mut ids = Vec::new();
    for name in ["Amber Ltd", "Birch Ltd", "Cedar Ltd"] {
        ids.push(
            companies::create(&s.app, &system, json!({"name": name, "area": "north"})).await.unwrap().id.to_string(),
        );
    }
    let mut browser = s.signed_in("admin").await;
    let empty = browser.get("/lists").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("No lists yet.") && empty.body.contains(r#"href="/lists" aria-current="page""#));

    let refused = browser.post("/lists", &[("name", ""), ("kind", "dynamic"), ("collection", "companies")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"id="e-name""#) && refused.body.contains(r#"id="e-filter_id""#),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"<option value="dynamic" selected>"#), "what was chosen stays chosen");

    let created =
        browser.post("/lists", &[("name", "Christmas cards"), ("kind", "static"), ("collection", "companies")]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page_path = created.location();
    let page = browser.get(&page_path).await;
    assert!(page.body.contains("<h1>Christmas cards</h1>") && page.body.contains("This list has no members yet."));
    let list_id = page_path.trim_start_matches("/lists/").to_string();

    // From the card.
    let card_path = format!("/companies/{}", ids[0]);
    let card = browser.get(&card_path).await;
    let panel = section(&card.body, "panel-lists", "</section>");
    assert!(panel.contains("Nothing yet.") && panel.contains(&format!(r#"<option value="{list_id}">Christmas cards"#)));
    let added = browser.post("/lists/add", &[("list_id", &list_id), ("id", &ids[0]), ("back", &card_path)]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let panel = section(&browser.get(&card_path).await.body, "panel-lists", "</section>");
    assert!(panel.contains(">Christmas cards</a>") && !panel.contains("add-to-list"), "{panel}");

    // The selected rows, then the whole filter.
    let bulk = browser
        .post("/companies/bulk", &[("back", "/companies"), ("action", "list"), ("list_id", &list_id), ("id", &ids[1])])
        .await;
    assert_eq!(bulk.location(), "/companies?done=1&refused=0");
    let all =
        browser.post("/lists/add", &[("list_id", &list_id), ("filter", "area=north"), ("back", &page_path)]).await;
    assert_eq!(all.location(), format!("{page_path}?done=1&refused=0"), "only Cedar was missing");
    let page = browser.get(&all.location()).await;
    assert!(page.body.contains("One record added to the list."), "{}", page.body);
    let members = section(&page.body, "members", "</table>");
    assert!(
        members.contains(">Amber Ltd</a>") && members.contains(">Birch Ltd</a>") && members.contains(">Cedar Ltd</a>")
    );
    assert!(page.body.contains(&format!(r#"href="/api/v1/lists/{list_id}/members/export?format=csv""#)));

    let csv = browser.get(&format!("/api/v1/lists/{list_id}/members/export?format=csv")).await;
    assert_eq!(csv.status, StatusCode::OK, "the export link works with the page's session");
    assert!(csv.body.starts_with("name,code,") && csv.body.contains("Cedar Ltd"));

    let removed = browser.post(&format!("/lists/{list_id}/members/{}/delete", ids[1]), &[("back", &page_path)]).await;
    assert_eq!(removed.location(), page_path);
    let members = section(&browser.get(&page_path).await.body, "members", "</table>");
    assert!(!members.contains(">Birch Ltd</a>") && members.contains(">Amber Ltd</a>"), "{members}");

    s.user("sam", "Sam Sales", "sales", None).await;
    let mut sam = s.signed_in("sam").await;
    assert_eq!(sam.get(&page_path).await.status, StatusCode::NOT_FOUND, "a private list is not found by others");
    assert!(!sam.get("/lists").await.body.contains("Christmas cards"));

    let renamed = browser.post(&page_path, &[("name", "Easter cards"), ("description", "Sent in March")]).await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
    assert!(browser.get("/lists").await.body.contains(">Easter cards</a>"));
    let deleted = browser.post(&format!("{page_path}/delete"), &[]).await;
    assert_eq!(deleted.location(), "/lists");
    assert!(browser.get("/lists").await.body.contains("No lists yet."));
    assert!(section(&browser.get(&card_path).await.body, "panel-lists", "</section>").contains("Nothing yet."));
});
