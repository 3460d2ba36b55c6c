//! The customer base through the pages: forms, lists, cards, conflicts and who sees
//! what, on SQLite and PostgreSQL.

mod ui_support;

use rapport_app::{Actor, companies, teams};
use reqwest::StatusCode;
use serde_json::json;
use ui_support::UiServer;

const EMAIL: &str = "contact_methods[0].value";

ui_both_engines!(
    a_company_made_through_the_form_shows_in_the_list_and_card_and_keeps_its_history,
    with_admin,
    |s: UiServer| async move {
        let mut browser = s.signed_in("admin").await;
        let form = browser.get("/companies/new").await;
        assert_eq!(form.status, StatusCode::OK);
        for input in ["name", "legal_name", "tax_id", EMAIL, "addresses[0].city"] {
            assert!(form.body.contains(&format!(r#"name="{input}""#)), "the form has an input named {input}");
        }
        let fields = [
            ("name", "Łódź Textiles"),
            ("type", "customer"),
            ("status", "active"),
            ("level", "A"),
            ("area", "Łódź"),
            ("contact_methods[0].kind", "email"),
            (EMAIL, "office@@lodz"),
            ("addresses[0].purpose", "billing"),
            ("addresses[0].city", "Łódź"),
            ("addresses[0].country", "PL"),
        ];
        let invalid = browser.post("/companies/new", &fields).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            invalid.body.contains(r#"id="e-contact_methods[0].value""#),
            "the message sits next to the email: {}",
            invalid.body
        );
        assert!(invalid.body.contains("Not a valid email address."));
        assert_eq!(invalid.input_value("name").as_deref(), Some("Łódź Textiles"), "what was typed stays");
        assert_eq!(invalid.input_value(EMAIL).as_deref(), Some("office@@lodz"));
        assert_eq!(invalid.input_value("addresses[0].city").as_deref(), Some("Łódź"));
        let listed = companies::list(&s.app, &Actor::system(), vec![]).await.unwrap();
        assert!(listed.items.is_empty(), "nothing was saved");

        let mut fixed = fields.to_vec();
        fixed[6] = (EMAIL, "office@lodz-textiles.example");
        let saved = browser.post("/companies/new", &fixed).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let card_path = saved.location();
        let card = browser.get(&card_path).await;
        assert_eq!(card.status, StatusCode::OK);
        for shown in ["Łódź Textiles", "C-000001", "office@lodz-textiles.example", "Billing: Łódź, PL", "Ada Admin"]
        {
            assert!(card.body.contains(shown), "the card shows {shown}");
        }
        let list = browser.get("/companies").await;
        assert!(list.body.contains(&format!(r#"href="{card_path}">Łódź Textiles</a>"#)), "the list links to the card");
        let found = browser.get("/companies?q=textiles&level=A").await;
        assert!(found.body.contains("Łódź Textiles"));
        let not_found = browser.get("/companies?status=suspended").await;
        assert!(not_found.body.contains("No company matches these filters."));

        let edit = browser.get(&format!("{card_path}/edit")).await;
        assert_eq!(edit.input_value("version").as_deref(), Some("1"));
        assert_eq!(edit.input_value(EMAIL).as_deref(), Some("office@lodz-textiles.example"));
        let mut changed = fixed.clone();
        changed[4] = ("area", "Pabianice");
        changed.push(("version", "1"));
        let updated = browser.post(&format!("{card_path}/edit"), &changed).await;
        assert_eq!(
            (updated.status, updated.location()),
            (StatusCode::SEE_OTHER, card_path.clone()),
            "{}",
            updated.body
        );
        let card = browser.get(&card_path).await;
        assert!(card.body.contains("Area: Łódź → Pabianice"), "the history panel shows the change: {}", card.body);

        // Someone else saved meanwhile: the second save with the old version is not applied.
        let mut late = fixed.clone();
        late[4] = ("area", "Zgierz");
        late.push(("version", "1"));
        let conflict = browser.post(&format!("{card_path}/edit"), &late).await;
        assert_eq!(conflict.status, StatusCode::CONFLICT);
        assert!(conflict.body.contains("Someone else saved this record"), "{}", conflict.body);
        assert!(conflict.body.contains(&format!(r#"href="{card_path}/edit""#)), "a way to reload");
        assert_eq!(conflict.input_value("area").as_deref(), Some("Zgierz"), "the user's input is kept");
        let id = card_path.trim_start_matches("/companies/").parse().unwrap();
        let stored = companies::get(&s.app, &Actor::system(), id).await.unwrap();
        assert_eq!(stored.fields.area.as_deref(), Some("Pabianice"), "the other save stands");
    }
);

ui_both_engines!(names_with_html_are_shown_as_text, with_admin, |s: UiServer| async move {
    let evil = "<script>alert(1)</script>";
    let company =
        companies::create(&s.app, &Actor::system(), json!({"name": evil, "area": "<b>bold</b>"})).await.unwrap();
    let mut browser = s.signed_in("admin").await;
    for path in
        ["/companies".to_string(), format!("/companies/{}", company.id), format!("/companies/{}/edit", company.id)]
    {
        let page = browser.get(&path).await;
        assert!(!page.body.contains(evil) && !page.body.contains("<b>bold"), "{path} renders the markup");
        assert!(page.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{path} shows the name as text");
    }
});

ui_both_engines!(a_sales_user_sees_only_the_companies_of_their_team, with_admin, |s: UiServer| async move {
    let north = teams::create(&s.app, &Actor::system(), json!({"name": "North"})).await.unwrap();
    let south = teams::create(&s.app, &Actor::system(), json!({"name": "South"})).await.unwrap();
    let nora = s.user("nora", "Nora North", "sales", Some(north.id)).await;
    let sam = s.user("sam", "Sam South", "sales", Some(south.id)).await;
    let ours =
        companies::create(&s.app, &Actor::system(), json!({"name": "Northern Mills", "owner_id": nora})).await.unwrap();
    let theirs =
        companies::create(&s.app, &Actor::system(), json!({"name": "Southern Ports", "owner_id": sam})).await.unwrap();

    let mut browser = s.signed_in("nora").await;
    let list = browser.get("/companies").await;
    assert!(list.body.contains("Northern Mills"), "{}", list.body);
    assert!(!list.body.contains("Southern Ports"), "another team's company is not listed");
    assert!(!list.body.contains(r#"href="/admin/users""#), "no administration for sales");
    let searched = browser.get("/companies?q=southern").await;
    assert!(!searched.body.contains("Southern Ports"), "nor found by search");
    let card = browser.get(&format!("/companies/{}", theirs.id)).await;
    assert_eq!(card.status, StatusCode::NOT_FOUND, "nor shown as a card");
    let edit = browser.get(&format!("/companies/{}/edit", theirs.id)).await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    assert_eq!(browser.get(&format!("/companies/{}", ours.id)).await.status, StatusCode::OK);
    assert_eq!(browser.get("/admin/users").await.status, StatusCode::FORBIDDEN, "the users page is for administrators");
});

ui_both_engines!(
    a_person_added_from_the_card_appears_on_it_and_lists_page_forward_and_back,
    with_admin,
    |s: UiServer| async move {
        let company = companies::create(&s.app, &Actor::system(), json!({"name": "Sofia Soft"})).await.unwrap();
        let mut browser = s.signed_in("admin").await;
        let form = browser.get(&format!("/people/new?company_id={}", company.id)).await;
        assert!(form.body.contains("Sofia Soft"), "the form names the company");
        let created = browser
            .post(
                "/people/new",
                &[
                    ("given_name", "Мария"),
                    ("family_name", "Петрова"),
                    ("employments[0].company_id", &company.id.to_string()),
                    ("employments[0].position", "Purchasing manager"),
                    ("contact_methods[0].kind", "mobile"),
                    ("contact_methods[0].value", "+359 88 123 4567"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let person = browser.get(&created.location()).await;
        assert!(person.body.contains("Мария Петрова") && person.body.contains("Purchasing manager"));
        let card = browser.get(&format!("/companies/{}", company.id)).await;
        assert!(
            card.body.contains("Мария Петрова") && card.body.contains("+359 88 123 4567"),
            "the people panel lists her"
        );

        for n in 0..55 {
            companies::create(&s.app, &Actor::system(), json!({"name": format!("Company {n:02}")})).await.unwrap();
        }
        let first = browser.get("/companies?sort=name").await;
        assert!(first.body.contains("Company 00") && !first.body.contains("Sofia Soft"), "50 to a page");
        let next = first
            .body
            .split(r#"<a href=""#)
            .filter_map(|r| r.split('"').next())
            .find(|h| h.contains("cursor="))
            .unwrap();
        let second = browser.get(&next.replace("&#38;", "&")).await;
        assert!(
            second.body.contains("Sofia Soft") && !second.body.contains("Company 00"),
            "the next page goes on: {next} {}",
            second.body
        );
        assert!(second.body.contains(r#"rel="prev""#), "and offers a way back");
    }
);

ui_both_engines!(each_user_arranges_the_cards_panels_and_the_order_stays, with_admin, |s: UiServer| async move {
    let company = companies::create(&s.app, &Actor::system(), json!({"name": "Arranged Ltd"})).await.unwrap();
    let card = format!("/companies/{}", company.id);
    let mut browser = s.signed_in("admin").await;
    let before = browser.get(&card).await.body;
    let position = |body: &str, id: &str| body.find(&format!(r#"id="{id}""#));
    assert!(position(&before, "panel-contacts") < position(&before, "panel-addresses"), "the default order");

    let arrange = browser.get(&format!("/account/cards/company?back={card}")).await;
    assert_eq!(arrange.status, StatusCode::OK);
    let order = ["people", "contacts", "addresses", "attributes", "categories", "custom", "description", "history"];
    let mut fields: Vec<(&str, &str)> = vec![("back", card.as_str())];
    fields.extend(order.iter().map(|k| ("order", *k)));
    fields.extend(order.iter().filter(|k| **k != "attributes").map(|k| ("show", *k)));
    let mut moved = fields.clone();
    moved.push(("move", "up:addresses"));
    let again = browser.post("/account/cards/company", &moved).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert!(again.location().starts_with("/account/cards/company?back="), "back to arranging after a move");
    let arranged = browser.get(&again.location()).await;
    assert!(arranged.body.find(r#"value="addresses""#) < arranged.body.find(r#"value="contacts""#), "moved up");

    let after = browser.get(&card).await.body;
    assert!(position(&after, "panel-addresses") < position(&after, "panel-contacts"), "the new order shows");
    assert_eq!(position(&after, "panel-attributes"), None, "a hidden panel is not shown");
    let elsewhere = s.signed_in("admin").await.get(&card).await.body;
    assert!(position(&elsewhere, "panel-addresses") < position(&elsewhere, "panel-contacts"), "kept with the user");
    assert_eq!(position(&elsewhere, "panel-attributes"), None);

    s.user("other", "Olga Other", "admin", None).await;
    let theirs = s.signed_in("other").await.get(&card).await.body;
    assert!(position(&theirs, "panel-contacts") < position(&theirs, "panel-addresses"), "others keep their own");
    assert!(position(&theirs, "panel-attributes").is_some());
});

ui_both_engines!(selected_rows_are_archived_or_given_away_where_the_user_may, with_admin, |s: UiServer| async move {
    let north = teams::create(&s.app, &Actor::system(), json!({"name": "North"})).await.unwrap();
    let nora = s.user("nora", "Nora North", "sales", Some(north.id)).await;
    let mills = companies::create(&s.app, &Actor::system(), json!({"name": "Northern Mills"})).await.unwrap();
    let ports = companies::create(&s.app, &Actor::system(), json!({"name": "Southern Ports"})).await.unwrap();
    let (mills_id, ports_id) = (mills.id.to_string(), ports.id.to_string());

    let mut admin = s.signed_in("admin").await;
    let list = admin.get("/companies").await;
    assert!(list.body.contains(&format!(r#"name="id" value="{mills_id}""#)), "rows can be selected");
    let nora_id = nora.to_string();
    let given = admin
        .post(
            "/companies/bulk",
            &[("back", "/companies"), ("action", "owner"), ("owner_id", &nora_id), ("id", &mills_id)],
        )
        .await;
    assert_eq!((given.status, given.location()), (StatusCode::SEE_OTHER, "/companies?done=1&refused=0".into()));
    let outcome = admin.get(&given.location()).await;
    assert!(outcome.body.contains("One record changed."), "{}", outcome.body);
    assert!(admin.get(&format!("/companies/{mills_id}")).await.body.contains("Nora North"), "the new owner shows");
    let kind = rapport_app::categories::create_kind(
        &s.app,
        &Actor::system(),
        json!({"key": "loyalty", "name": "Loyalty", "values": [{"key": "gold", "name": "Gold"}]}),
    )
    .await
    .unwrap();
    let gold = kind.values[0].id.to_string();
    admin.get("/companies").await;
    let added = admin
        .post(
            "/companies/bulk",
            &[
                ("back", "/companies"),
                ("action", "category"),
                ("category", &gold),
                ("id", &mills_id),
                ("id", &ports_id),
            ],
        )
        .await;
    assert_eq!(added.location(), "/companies?done=2&refused=0");
    let card = admin.get(&format!("/companies/{ports_id}")).await.body;
    assert!(card.contains("<dt>Loyalty</dt><dd>Gold</dd>"), "added to the category");

    // Nora may archive her own company; another team's is refused and stays as it was.
    let mut browser = s.signed_in("nora").await;
    browser.get("/companies").await;
    let archived = browser
        .post("/companies/bulk", &[("back", "/companies"), ("action", "archive"), ("id", &mills_id), ("id", &ports_id)])
        .await;
    let outcome = browser.get(&archived.location()).await;
    assert!(outcome.body.contains("One record changed. One was not changed"), "{}", outcome.body);
    assert!(!outcome.body.contains("Northern Mills"), "an archived company leaves the default list");
    let stored = companies::get(&s.app, &Actor::system(), ports.id).await.unwrap();
    assert!(stored.archived_at.is_none(), "the refused one is untouched");
    let shown = browser.get("/companies?archived=true").await;
    assert!(shown.body.contains("Northern Mills"), "and is found among the archived");
});

ui_both_engines!(
    the_card_shows_custom_fields_and_categories_with_money_written_per_language,
    with_admin,
    |s: UiServer| async move {
        let field = json!({"record_kind": "company", "key": "credit_limit", "label": "Credit limit", "type": "money", "currency": "PLN"});
        rapport_app::custom_fields::create(&s.app, &Actor::system(), field).await.unwrap();
        let kind = rapport_app::categories::create_kind(
            &s.app,
            &Actor::system(),
            json!({"key": "loyalty", "name": "Loyalty", "values": [{"key": "gold", "name": "Gold"}]}),
        )
        .await
        .unwrap();
        let gold = kind.values[0].id;
        let body = json!({"name": "Money Ltd", "custom": {"credit_limit": "50000"}, "categories": [gold], "attributes": {"region": "north"}});
        let company = companies::create(&s.app, &Actor::system(), body).await.unwrap();
        let mut browser = s.signed_in("admin").await;
        let card = format!("/companies/{}", company.id);
        let english = browser.get(&card).await.body;
        for shown in ["Credit limit", "50,000 PLN", "Loyalty", "Gold", "region", "north"] {
            assert!(english.contains(shown), "the card shows {shown}: {english}");
        }
        browser.post("/language", &[("lang", "pl"), ("back", &card)]).await;
        let polish = browser.get(&card).await.body;
        assert!(polish.contains("50\u{a0}000 PLN") && polish.contains("Pola dodatkowe"), "Polish writes 50 000");
    }
);

ui_both_engines!(bad_addresses_and_forms_get_a_clear_page_never_a_server_error, with_admin, |s: UiServer| async move {
    let company = companies::create(&s.app, &Actor::system(), json!({"name": "Sturdy Ltd"})).await.unwrap();
    let mut browser = s.signed_in("admin").await;
    for (path, status) in [
        ("/companies?colour=red", StatusCode::BAD_REQUEST),
        ("/companies?cursor=forged", StatusCode::BAD_REQUEST),
        ("/companies?owner_id=nobody", StatusCode::BAD_REQUEST),
        ("/companies?sort=colour", StatusCode::BAD_REQUEST),
        ("/people?archived=maybe", StatusCode::BAD_REQUEST),
        ("/companies/01890000-0000-7000-8000-000000000000", StatusCode::NOT_FOUND),
        ("/people/42/edit", StatusCode::NOT_FOUND),
        ("/account/cards/planet", StatusCode::NOT_FOUND),
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, status, "{path}");
        assert!(page.header("content-type").starts_with("text/html"), "{path} answers with a page");
        assert!(page.body.contains("Something went wrong"), "{path}");
    }
    let edit = format!("/companies/{}/edit", company.id);
    browser.get(&edit).await;
    let no_version = browser.post(&edit, &[("name", "Overwritten")]).await;
    assert_eq!(no_version.status, StatusCode::BAD_REQUEST, "a save without its version is refused");
    let stored = companies::get(&s.app, &Actor::system(), company.id).await.unwrap();
    assert_eq!(stored.fields.name, "Sturdy Ltd");
    let huge = "x".repeat(300 * 1024);
    let too_large = browser.post("/companies/new", &[("name", &huge)]).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    let long_name = "y".repeat(500);
    let too_long = browser.post("/companies/new", &[("name", &long_name)]).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.body.contains(r#"id="e-name""#) && too_long.body.contains("Too long."));
});

ui_both_engines!(
    attributes_and_categories_are_set_and_removed_through_the_form,
    with_admin,
    |s: UiServer| async move {
        let kind = rapport_app::categories::create_kind(
        &s.app,
        &Actor::system(),
        json!({"key": "loyalty", "name": "Loyalty", "values": [{"key": "gold", "name": "Gold"}, {"key": "silver", "name": "Silver"}]}),
    )
    .await
    .unwrap();
        let gold = kind.values[0].id.to_string();
        let mut browser = s.signed_in("admin").await;
        let form = browser.get("/companies/new").await;
        assert!(form.body.contains(&format!(r#"name="categories" value="{gold}""#)), "categories can be ticked");
        let bad =
            browser.post("/companies/new", &[("name", "Attr Ltd"), ("attributes", "region=north\nbad key=x")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains(r#"id="e-attributes""#), "the message stands by the attributes: {}", bad.body);
        assert!(bad.body.contains("region=north\nbad key=x"), "the lines typed stay");
        let saved = browser
            .post(
                "/companies/new",
                &[("name", "Attr Ltd"), ("attributes", "region=north\nsize=large"), ("categories", &gold)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let card_path = saved.location();
        let card = browser.get(&card_path).await.body;
        assert!(
            card.contains("<dt>region</dt><dd>north</dd>") && card.contains("<dt>Loyalty</dt><dd>Gold</dd>"),
            "{card}"
        );

        let edit = browser.get(&format!("{card_path}/edit")).await;
        assert!(edit.body.contains("region=north\nsize=large"), "the attributes are offered as lines");
        assert!(edit.body.contains(&format!(r#"value="{gold}" checked"#)), "the category is ticked");
        let updated = browser
            .post(&format!("{card_path}/edit"), &[("name", "Attr Ltd"), ("attributes", "size=large"), ("version", "1")])
            .await;
        assert_eq!(updated.status, StatusCode::SEE_OTHER, "{}", updated.body);
        let card = browser.get(&card_path).await.body;
        assert!(
            !card.contains("<dt>region</dt>") && card.contains("<dt>size</dt><dd>large</dd>"),
            "a deleted line goes away"
        );
        assert!(!card.contains("<dd>Gold</dd>"), "an unticked category goes away");
    }
);

ui_both_engines!(
    custom_fields_are_filled_in_checked_and_changed_through_the_form,
    with_admin,
    |s: UiServer| async move {
        for field in [
            json!({"record_kind": "company", "key": "credit_limit", "label": "Credit limit", "type": "money", "currency": "PLN"}),
            json!({"record_kind": "company", "key": "segment", "label": "Segment", "type": "choice", "choices": ["smb", "enterprise"]}),
            json!({"record_kind": "company", "key": "vip", "label": "VIP", "type": "boolean"}),
            json!({"record_kind": "company", "key": "channels", "label": "Channels", "type": "multi_choice", "choices": ["email", "phone"]}),
        ] {
            rapport_app::custom_fields::create(&s.app, &Actor::system(), field).await.unwrap();
        }
        let mut browser = s.signed_in("admin").await;
        let form = browser.get("/companies/new").await;
        assert!(form.body.contains(r#"name="custom.credit_limit""#) && form.body.contains(r#"name="custom.segment""#));
        let bad = browser.post("/companies/new", &[("name", "Custom Ltd"), ("custom.credit_limit", "a lot")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains(r#"id="e-custom.credit_limit""#), "{}", bad.body);
        assert_eq!(bad.input_value("custom.credit_limit").as_deref(), Some("a lot"));
        let fields = [
            ("name", "Custom Ltd"),
            ("custom.credit_limit", "50000"),
            ("custom.segment", "smb"),
            ("custom.vip", "true"),
            ("custom.channels", "email, phone"),
        ];
        let saved = browser.post("/companies/new", &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let card_path = saved.location();
        let card = browser.get(&card_path).await.body;
        for shown in ["<dd>50,000 PLN</dd>", "<dd>smb</dd>", "<dt>VIP</dt><dd>Yes</dd>", "<dd>email, phone</dd>"] {
            assert!(card.contains(shown), "the card shows {shown}: {card}");
        }
        let edit = browser.get(&format!("{card_path}/edit")).await;
        assert_eq!(edit.input_value("custom.credit_limit").as_deref(), Some("50000"));
        let changed = [
            ("name", "Custom Ltd"),
            ("custom.credit_limit", "50000"),
            ("custom.segment", ""),
            ("custom.vip", "false"),
            ("custom.channels", "email, phone"),
            ("version", "1"),
        ];
        let updated = browser.post(&format!("{card_path}/edit"), &changed).await;
        assert_eq!(updated.status, StatusCode::SEE_OTHER, "{}", updated.body);
        let card = browser.get(&card_path).await.body;
        assert!(card.contains("<dt>VIP</dt><dd>No</dd>") && !card.contains("<dd>smb</dd>"), "{card}");
        assert!(card.contains("<dd>50,000 PLN</dd>"), "an unchanged value stays");
        assert!(card.contains("VIP: Yes → No"), "the history names the custom field by its label");
    }
);
