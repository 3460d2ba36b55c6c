//! The company and people lists through the pages: chosen columns, the filters beyond
//! the record's own fields, and the results count, on SQLite and PostgreSQL.

mod ui_support;

use rapport_app::{Actor, companies, custom_fields, people};
use reqwest::StatusCode;
use serde_json::json;
use ui_support::UiServer;

/// The text of the table's header row.
fn header_row(body: &str) -> String {
    let start = body.find("<thead>").expect("the list has a table");
    let end = body[start..].find("</thead>").unwrap() + start;
    body[start..end].to_string()
}

ui_both_engines!(each_user_chooses_the_columns_of_a_list_and_keeps_them, with_admin, |s: UiServer| async move {
    let system = Actor::system();
    custom_fields::create(
        &s.app,
        &system,
        json!({"record_kind": "company", "key": "credit_limit", "label": "Credit limit", "type": "money", "currency": "PLN"}),
    )
    .await
    .unwrap();
    companies::create(
        &s.app,
        &system,
        json!({"name": "Łódź Textiles", "area": "Łódź", "custom": {"credit_limit": "50000"},
               "addresses": [{"purpose": "billing", "city": "Pabianice", "country": "PL", "default": true}]}),
    )
    .await
    .unwrap();
    let mut browser = s.signed_in("admin").await;
    let list = browser.get("/companies").await;
    let header = header_row(&list.body);
    assert!(header.contains("Area") && header.contains("Owner"), "the default columns show: {header}");
    assert!(!header.contains("Credit limit") && !header.contains("City"), "extra columns wait to be chosen");

    let arrange = browser.get("/account/cards/companies?back=/companies").await;
    assert_eq!(arrange.status, StatusCode::OK);
    assert!(arrange.body.contains("Columns of the company list") && arrange.body.contains("Credit limit"));
    // Keep only the credit limit and the city, in that order (the name always shows).
    let order = [
        "custom.credit_limit",
        "city",
        "code",
        "type",
        "status",
        "level",
        "stage",
        "area",
        "owner",
        "email",
        "phone",
        "created",
        "updated",
    ];
    let mut fields: Vec<(&str, &str)> = order.iter().map(|k| ("order", *k)).collect();
    fields.extend([("show", "custom.credit_limit"), ("show", "city"), ("back", "/companies")]);
    let saved = browser.post("/account/cards/companies", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.location(), "/companies");

    let list = browser.get("/companies").await;
    let header = header_row(&list.body);
    let (credit, city) = (header.find("Credit limit").unwrap(), header.find("City").unwrap());
    assert!(credit < city, "the chosen order holds: {header}");
    assert!(!header.contains("Area") && !header.contains("Owner"), "hidden columns are gone: {header}");
    assert!(
        list.body.contains(r#">50,000 PLN</td>"#) && list.body.contains(r#"<td class="col-city">Pabianice</td>"#),
        "{}",
        list.body
    );

    s.user("sam", "Sam Sales", "admin", None).await;
    let mut other = s.signed_in("sam").await;
    let theirs = header_row(&other.get("/companies").await.body);
    assert!(theirs.contains("Area") && !theirs.contains("Credit limit"), "the choice is the user's own: {theirs}");
});

ui_both_engines!(
    lists_filter_by_attribute_and_custom_field_and_say_how_many_match,
    with_admin,
    |s: UiServer| async move {
        let system = Actor::system();
        custom_fields::create(
        &s.app,
        &system,
        json!({"record_kind": "person", "key": "segment", "label": "Segment", "type": "choice", "choices": ["smb", "enterprise"]}),
    )
    .await
    .unwrap();
        for (name, loyalty, segment) in
            [("Ada", "gold", "smb"), ("Bob", "gold", "enterprise"), ("Cyd", "silver", "smb")]
        {
            people::create(
                &s.app,
                &system,
                json!({"given_name": name, "attributes": {"loyalty": loyalty}, "custom": {"segment": segment}}),
            )
            .await
            .unwrap();
        }
        let mut browser = s.signed_in("admin").await;
        let all = browser.get("/people").await;
        assert!(all.body.contains(r#"id="list-count">3 records<"#), "{}", all.body);
        assert!(all.body.contains(r#"name="custom.segment""#) && all.body.contains(r#"<option value="enterprise">"#));
        assert!(all.body.contains(r#"name="attr_key""#) && all.body.contains(r#"name="attr_value""#));

        let gold = browser.get("/people?attr_key=Loyalty&attr_value=gold").await;
        assert_eq!(gold.status, StatusCode::OK, "{}", gold.body);
        assert!(gold.body.contains(">Ada</a>") && gold.body.contains(">Bob</a>") && !gold.body.contains(">Cyd</a>"));
        assert!(gold.body.contains(r#"id="list-count">2 records<"#));
        assert_eq!(gold.input_value("attr_key").as_deref(), Some("Loyalty"), "the filter stays filled in");

        let gold_smb = browser.get("/people?attr_key=loyalty&attr_value=gold&custom.segment=smb").await;
        assert!(gold_smb.body.contains(">Ada</a>") && !gold_smb.body.contains(">Bob</a>"), "{}", gold_smb.body);
        assert!(gold_smb.body.contains(r#"id="list-count">One record<"#));
        assert!(gold_smb.body.contains(r#"<option value="smb" selected>"#), "the chosen value stays selected");

        let none = browser.get("/people?custom.segment=enterprise&attr_key=loyalty&attr_value=silver").await;
        assert!(none.body.contains("No person matches these filters."), "{}", none.body);
    }
);

ui_both_engines!(a_list_longer_than_a_page_counts_up_to_a_cap, with_admin, |s: UiServer| async move {
    let system = Actor::system();
    let rows: Vec<_> = (0..60).map(|i| json!({"name": format!("Company {i:02}")})).collect();
    for row in rows {
        companies::create(&s.app, &system, row).await.unwrap();
    }
    let mut browser = s.signed_in("admin").await;
    let first = browser.get("/companies").await;
    assert!(first.body.contains(r#"id="list-count">60 records<"#), "{}", first.body);
    let next = first.body.split(r#"rel="next""#).next().and_then(|b| b.rsplit("href=\"").next()).unwrap();
    let next = next.trim_end_matches(['"', ' ']).replace("&amp;", "&");
    let second = browser.get(&next).await;
    assert_eq!(second.status, StatusCode::OK, "{next}");
    assert!(second.body.contains("Company 59") && second.body.contains(r#"id="list-count">60 records<"#));
    let searched = browser.get("/companies?q=Company").await;
    assert!(searched.body.contains("Company 00"), "the search finds the companies");
    assert!(!searched.body.contains(r#"id="list-count""#), "a search longer than a page is not run twice to count it");
    let small = browser.get("/companies?q=Company%2005").await;
    assert!(small.body.contains(r#"id="list-count">One record<"#), "a search that fits on its page counts itself");
});
