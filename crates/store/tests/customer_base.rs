//! The customer base as a user meets it, on SQLite and on PostgreSQL: what is saved comes
//! back unchanged, lists page and filter correctly, search finds what people type. Every
//! test runs on both engines through `db_test!`.

#[macro_use]
mod support;

use support::{add_company, add_user, company_fields, now};

use rapport_core::audit::Change;
use rapport_core::companies::{Company, CompanyStatus, CompanyType};
use rapport_core::contacts::ContactKind;
use rapport_core::people::PersonDraft;
use rapport_store::companies::{self, Archived, Filter, Referrer};
use rapport_store::listing::{Page, SortValue};
use rapport_store::records::CommonFilter;
use rapport_store::{Db, StoreError, audit, categories, people, sequences, users};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A company with just a name and the given extra draft fields.
async fn add_named(db: &Db, code: &str, name: &str, extra: Value, at: OffsetDateTime) -> Uuid {
    let mut draft = json!({ "name": name });
    if let (Some(draft), Value::Object(extra)) = (draft.as_object_mut(), extra) {
        draft.extend(extra);
    }
    add_company(db, code, &company_fields(draft), None, at).await
}

async fn get_company(db: &Db, id: Uuid) -> Company {
    companies::get(&mut db.clone(), id).await.expect("get company").expect("the company exists")
}

fn page(column: &'static str, descending: bool, after: Option<(SortValue, Uuid)>) -> Page {
    Page { limit: 2, column, descending, after }
}

/// Walks every page of a list (two rows a page) and returns the rows in the order shown.
async fn walk(db: &Db, filter: &Filter, column: &'static str, descending: bool) -> Vec<Company> {
    let mut db = db.clone();
    let mut shown = Vec::new();
    let mut after = None;
    for _ in 0..100 {
        let (rows, more) =
            companies::list(&mut db, filter, &page(column, descending, after.clone())).await.expect("list companies");
        assert!(rows.len() <= 2, "a page has at most `limit` rows, got {}", rows.len());
        if more {
            assert_eq!(rows.len(), 2, "only the last page may be short");
        }
        let last = rows.last().cloned();
        shown.extend(rows);
        match (more, last) {
            (true, Some(last)) => {
                let value = match column {
                    "name" => SortValue::Text(last.fields.name.clone()),
                    "updated_at" => SortValue::Time(last.updated_at),
                    "created_at" => SortValue::Time(last.created_at),
                    other => panic!("no sort value for {other}"),
                };
                after = Some((value, last.id));
            }
            _ => return shown,
        }
    }
    panic!("the list never ended: keyset pagination loops");
}

fn names(rows: &[Company]) -> Vec<&str> {
    rows.iter().map(|c| c.fields.name.as_str()).collect()
}

async fn search(db: &Db, words: &[&str]) -> Vec<String> {
    let filter = Filter { common: support::text_filter(db, &words.join(" ")).await, ..Filter::default() };
    let mut names: Vec<String> = walk(db, &filter, "name", false).await.into_iter().map(|c| c.fields.name).collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------
// Companies: saving and reading back
// ---------------------------------------------------------------------------------------

db_test!(company_round_trips_with_its_children, |db: Db| async move {
    let owner = add_user(&db, "anna", "Anna Kowalska").await;
    let at = now();

    // Two category values the company belongs to.
    let mut tx = db.begin().await.unwrap();
    let kind = Uuid::now_v7();
    categories::insert_kind(
        &mut tx,
        categories::NewKind { id: kind, key: "loyalty", name: "Loyalty", multiple: true, system: false, position: 1 },
        at,
    )
    .await
    .unwrap();
    let gold = categories::insert_value(&mut tx, kind, "gold", "Gold", 1).await.unwrap();
    let vip = categories::insert_value(&mut tx, kind, "vip", "VIP", 2).await.unwrap();
    tx.commit().await.unwrap();

    let polish = company_fields(json!({
        "name": "Łódź Textiles Sp. z o.o.", "legal_name": "Łódzkie Zakłady Tekstylne Sp. z o.o.",
        "tax_id": "PL7250012345", "website": "https://lodz-textiles.example", "industry": "Textiles",
        "size": "50-249", "area": "Łódź", "type": "supplier", "status": "active", "level": "A", "stage": "mature",
        "source": "trade fair", "background": "Founded in 1921.\nFamily owned.", "description": "Linen and cotton",
        "security_level": 3, "owner_id": owner,
        "contact_methods": [
            {"kind": "email", "value": "Office@Lodz-Textiles.example", "primary": true},
            {"kind": "phone", "value": "42 123 45 67", "label": "recepcja"},
            {"kind": "web", "value": "lodz-textiles.example"}
        ],
        "addresses": [
            {"purpose": "billing", "line1": "ul. Piotrkowska 100", "line2": "lok. 5", "city": "Łódź",
             "region": "łódzkie", "postcode": "90-001", "country": "PL", "default": true},
            {"purpose": "delivery", "line1": "ul. Włókniarzy 7", "city": "Zgierz", "country": "pl"}
        ],
        "attributes": {"Loyalty": "gold", "payment": "30 dni"},
        "custom": {"credit_limit": "50000", "certified": true, "tags": ["len", "bawełna"], "terms": {"days": 30}},
        "categories": [gold, vip]
    }));
    let polish_id = add_company(&db, "C-000001", &polish, Some(owner), at).await;

    let cyrillic = company_fields(json!({
        "name": "ООО «Ромашка»", "area": "София", "type": "prospect", "status": "suspended",
        "parent_id": polish_id,
        "contact_methods": [{"kind": "mobile", "value": "088 123 4567", "label": "Мария"}],
        "addresses": [{"purpose": "office", "line1": "бул. Витоша 1", "city": "София", "country": "BG"}],
        "attributes": {"отрасль": "агро"}
    }));
    let cyrillic_id = add_company(&db, "C-000002", &cyrillic, None, at).await;

    let chinese = company_fields(json!({
        "name": "上海泛普软件有限公司", "legal_name": "上海泛普软件", "area": "上海", "type": "partner",
        "contact_methods": [{"kind": "messenger", "value": "WeChat: fanpu_sh"}, {"kind": "phone", "value": "+86 21 6888 8888"}],
        "addresses": [{"purpose": "postal", "city": "上海市", "postcode": "200120", "country": "CN"}],
        "custom": {"备注": "重要客户"}
    }));
    let chinese_id = add_company(&db, "C-000003", &chinese, Some(owner), at).await;

    for (id, code, fields, actor) in [
        (polish_id, "C-000001", &polish, Some(owner)),
        (cyrillic_id, "C-000002", &cyrillic, None),
        (chinese_id, "C-000003", &chinese, Some(owner)),
    ] {
        let got = get_company(&db, id).await;
        assert_eq!(got.id, id);
        assert_eq!(got.code, code);
        assert_eq!(&got.fields, fields, "{code} does not read back as it was saved");
        assert_eq!(got.version, 1);
        assert_eq!(got.created_at, at);
        assert_eq!(got.updated_at, at);
        assert_eq!(got.created_by, actor);
        assert_eq!(got.updated_by, actor);
        assert_eq!(got.archived_at, None);
    }

    // The details a user reads on the card, spelled out.
    let got = get_company(&db, polish_id).await;
    assert_eq!(got.fields.name, "Łódź Textiles Sp. z o.o.");
    assert_eq!(got.fields.kind, CompanyType::Supplier);
    assert_eq!(got.fields.security_level, 3);
    let methods: Vec<_> = got.fields.contact_methods.iter().map(|m| (m.kind, m.value.as_str(), m.primary)).collect();
    assert_eq!(
        methods,
        [
            (ContactKind::Email, "Office@lodz-textiles.example", true),
            (ContactKind::Phone, "42 123 45 67", true),
            (ContactKind::Web, "lodz-textiles.example", true),
        ]
    );
    assert_eq!(got.fields.contact_methods[1].e164.as_deref(), Some("+48421234567"));
    assert_eq!(got.fields.contact_methods[1].label.as_deref(), Some("recepcja"));
    assert_eq!(got.fields.addresses.len(), 2);
    assert_eq!(got.fields.addresses[0].city.as_deref(), Some("Łódź"));
    assert_eq!(got.fields.addresses[1].country.map(|c| c.to_string()).as_deref(), Some("PL"));
    assert_eq!(got.fields.attributes.get("loyalty").map(String::as_str), Some("gold"));
    assert_eq!(got.fields.custom["tags"], json!(["len", "bawełna"]));
    assert_eq!(got.fields.categories, [gold, vip]);
    let got = get_company(&db, cyrillic_id).await;
    assert_eq!(got.fields.name, "ООО «Ромашка»");
    assert_eq!(got.fields.status, CompanyStatus::Suspended);
    assert_eq!(got.fields.parent_id, Some(polish_id));
    assert_eq!(got.fields.contact_methods[0].e164.as_deref(), Some("+359881234567"));
    let got = get_company(&db, chinese_id).await;
    assert_eq!(got.fields.name, "上海泛普软件有限公司");
    assert_eq!(got.fields.custom["备注"], json!("重要客户"));

    // A company that was never saved is not found.
    assert!(companies::get(&mut db.clone(), Uuid::now_v7()).await.unwrap().is_none());
    assert!(companies::exists(&mut db.clone(), polish_id).await.unwrap());
    assert!(!companies::exists(&mut db.clone(), Uuid::now_v7()).await.unwrap());
});

db_test!(update_with_a_stale_version_changes_nothing, |db: Db| async move {
    let anna = add_user(&db, "anna", "Anna").await;
    let boris = add_user(&db, "boris", "Boris").await;
    let created = now() - Duration::minutes(5);
    let original = company_fields(json!({
        "name": "Acme", "status": "active",
        "contact_methods": [{"kind": "email", "value": "sales@acme.example"}],
        "attributes": {"loyalty": "gold"}
    }));
    let id = add_company(&db, "C-000001", &original, Some(anna), created).await;

    // Anna saves first, from version 1.
    let annas = company_fields(json!({
        "name": "Acme Corporation", "status": "inactive",
        "contact_methods": [{"kind": "email", "value": "office@acme.example"}, {"kind": "phone", "value": "+1 212 555 0100"}],
        "attributes": {"loyalty": "silver"}
    }));
    let saved_at = now();
    let mut tx = db.begin().await.unwrap();
    assert!(companies::update(&mut tx, id, 1, &original, &annas, Some(anna), saved_at).await.unwrap());
    tx.commit().await.unwrap();

    // Boris still has version 1 open: his save is refused.
    let boris_edit = company_fields(json!({
        "name": "ACME (Boris)", "contact_methods": [], "attributes": {"loyalty": "bronze"}
    }));
    let mut tx = db.begin().await.unwrap();
    assert!(!companies::update(&mut tx, id, 1, &original, &boris_edit, Some(boris), now()).await.unwrap());
    tx.commit().await.unwrap();

    // A version that never existed is refused too.
    let mut tx = db.begin().await.unwrap();
    assert!(!companies::update(&mut tx, id, 7, &original, &boris_edit, Some(boris), now()).await.unwrap());
    tx.commit().await.unwrap();

    let got = get_company(&db, id).await;
    assert_eq!(got.version, 2);
    assert_eq!(got.fields, annas, "a refused save must not touch the fields or the children");
    assert_eq!(got.updated_by, Some(anna));
    assert_eq!(got.updated_at, saved_at);
    assert_eq!(got.created_at, created);
    assert_eq!(got.created_by, Some(anna));

    // Boris reloads and saves from version 2.
    let mut tx = db.begin().await.unwrap();
    assert!(companies::update(&mut tx, id, 2, &annas, &boris_edit, Some(boris), now()).await.unwrap());
    tx.commit().await.unwrap();
    let got = get_company(&db, id).await;
    assert_eq!(got.version, 3);
    assert_eq!(got.fields, boris_edit);
    assert!(got.fields.contact_methods.is_empty());

    // Renaming alone leaves the child rows as they are.
    let mut renamed = boris_edit.clone();
    renamed.name = "ACME Holding".into();
    let mut tx = db.begin().await.unwrap();
    assert!(companies::update(&mut tx, id, 3, &boris_edit, &renamed, Some(boris), now()).await.unwrap());
    tx.commit().await.unwrap();
    let got = get_company(&db, id).await;
    assert_eq!((got.version, &got.fields), (4, &renamed));
    assert_eq!(got.fields.attributes["loyalty"], "bronze");
});

db_test!(owner_must_be_a_real_user, |db: Db| async move {
    let fields = company_fields(json!({"name": "Orphan Ltd", "owner_id": Uuid::now_v7()}));
    let mut tx = db.begin().await.unwrap();
    let error = companies::insert(&mut tx, Uuid::now_v7(), "C-000001", &fields, None, now()).await.unwrap_err();
    assert!(matches!(error, StoreError::ForeignKey(_)), "expected a foreign key error, got {error:?}");
    drop(tx);

    // And a code is unique.
    add_named(&db, "C-000001", "First", json!({}), now()).await;
    let mut tx = db.begin().await.unwrap();
    let second = company_fields(json!({"name": "Second"}));
    let error = companies::insert(&mut tx, Uuid::now_v7(), "C-000001", &second, None, now()).await.unwrap_err();
    assert!(matches!(error, StoreError::Unique(_)), "expected a unique violation, got {error:?}");
});

// ---------------------------------------------------------------------------------------
// Lists: keyset pagination, filters, search, archive
// ---------------------------------------------------------------------------------------

db_test!(name_pages_visit_every_company_once_in_order, |db: Db| async move {
    let at = now();
    // Inserted out of order, with two companies of the same name (the id breaks the tie).
    let mut expected = Vec::new();
    for (i, name) in ["Delta", "Alpha", "Echo", "Acme", "Charlie", "Acme", "Bravo"].into_iter().enumerate() {
        let id = add_named(&db, &format!("C-{:06}", i + 1), name, json!({}), at).await;
        expected.push((name.to_string(), id));
    }
    expected.sort();

    let shown = walk(&db, &Filter::default(), "name", false).await;
    let shown: Vec<(String, Uuid)> = shown.into_iter().map(|c| (c.fields.name, c.id)).collect();
    assert_eq!(shown, expected, "pages must list every company exactly once, by name then id");

    // Descending by name, too.
    let shown = walk(&db, &Filter::default(), "name", true).await;
    let shown: Vec<(String, Uuid)> = shown.into_iter().map(|c| (c.fields.name, c.id)).collect();
    expected.reverse();
    assert_eq!(shown, expected);

    // The first page says more follow; a page past the end is empty.
    let (first, more) = companies::list(&mut db.clone(), &Filter::default(), &page("name", false, None)).await.unwrap();
    assert_eq!(names(&first), ["Acme", "Acme"]);
    assert!(more);
    let after = Some((SortValue::Text("Zulu".into()), Uuid::max()));
    let (rows, more) = companies::list(&mut db.clone(), &Filter::default(), &page("name", false, after)).await.unwrap();
    assert!(rows.is_empty() && !more);
});

db_test!(updated_at_pages_newest_first, |db: Db| async move {
    let base = now() - Duration::hours(1);
    // Distinct times, one tie, and a sub-second difference, inserted out of order.
    let times = [
        base + Duration::seconds(30),
        base,
        base + Duration::seconds(10),
        base + Duration::seconds(10),
        base + Duration::microseconds(1),
        base + Duration::seconds(20) + Duration::milliseconds(5),
        base + Duration::seconds(20) + Duration::milliseconds(50),
    ];
    let mut expected = Vec::new();
    for (i, at) in times.into_iter().enumerate() {
        let id = add_named(&db, &format!("C-{:06}", i + 1), &format!("Company {i}"), json!({}), at).await;
        expected.push((at, id));
    }
    expected.sort();
    expected.reverse();

    let shown = walk(&db, &Filter::default(), "updated_at", true).await;
    let shown: Vec<(OffsetDateTime, Uuid)> = shown.into_iter().map(|c| (c.updated_at, c.id)).collect();
    assert_eq!(shown, expected, "newest first, every company exactly once");

    // Oldest first as well.
    expected.reverse();
    let shown = walk(&db, &Filter::default(), "updated_at", false).await;
    let shown: Vec<(OffsetDateTime, Uuid)> = shown.into_iter().map(|c| (c.updated_at, c.id)).collect();
    assert_eq!(shown, expected);

    // An edit moves a company to the top of "recently updated".
    let oldest = expected[0].1;
    let company = get_company(&db, oldest).await;
    let mut tx = db.begin().await.unwrap();
    assert!(
        companies::update(&mut tx, oldest, company.version, &company.fields, &company.fields, None, now())
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let shown = walk(&db, &Filter::default(), "updated_at", true).await;
    assert_eq!(shown[0].id, oldest);
    assert_eq!(shown.len(), times.len());
});

db_test!(filters_return_only_matching_companies, |db: Db| async move {
    let anna = add_user(&db, "anna", "Anna").await;
    let boris = add_user(&db, "boris", "Boris").await;
    let at = now();
    let gold = json!({"loyalty": "gold"});
    add_named(&db, "C-000001", "Anna Gold Active", json!({"owner_id": anna, "attributes": gold}), at).await;
    add_named(&db, "C-000002", "Anna Inactive", json!({"owner_id": anna, "status": "inactive"}), at).await;
    add_named(
        &db,
        "C-000003",
        "Boris Gold Inactive",
        json!({"owner_id": boris, "status": "inactive", "attributes": gold}),
        at,
    )
    .await;
    add_named(&db, "C-000004", "Boris Silver", json!({"owner_id": boris, "attributes": {"loyalty": "silver"}}), at)
        .await;
    add_named(&db, "C-000005", "Nobody's Partner", json!({"type": "partner", "attributes": {"region": "gold"}}), at)
        .await;

    let list = |filter: Filter| {
        let db = db.clone();
        async move { walk(&db, &filter, "name", false).await.into_iter().map(|c| c.fields.name).collect::<Vec<_>>() }
    };
    assert_eq!(list(Filter::default()).await.len(), 5);
    assert_eq!(
        list(Filter { status: Some("inactive".into()), ..Filter::default() }).await,
        ["Anna Inactive", "Boris Gold Inactive"]
    );
    assert_eq!(
        list(Filter { common: CommonFilter { owner_id: Some(anna), ..CommonFilter::default() }, ..Filter::default() })
            .await,
        ["Anna Gold Active", "Anna Inactive"]
    );
    assert_eq!(
        list(Filter {
            common: CommonFilter { attributes: vec![("loyalty".into(), "gold".into())], ..CommonFilter::default() },
            ..Filter::default()
        })
        .await,
        ["Anna Gold Active", "Boris Gold Inactive"],
        "the pair must match key and value together"
    );
    assert_eq!(
        list(Filter {
            common: CommonFilter {
                owner_id: Some(boris),
                attributes: vec![("loyalty".into(), "gold".into())],
                ..CommonFilter::default()
            },
            status: Some("inactive".into()),
            ..Filter::default()
        })
        .await,
        ["Boris Gold Inactive"]
    );
    assert_eq!(list(Filter { kind: Some("partner".into()), ..Filter::default() }).await, ["Nobody's Partner"]);
    assert!(list(Filter { status: Some("suspended".into()), ..Filter::default() }).await.is_empty());
    assert!(
        list(Filter {
            common: CommonFilter { owner_id: Some(Uuid::now_v7()), ..CommonFilter::default() },
            ..Filter::default()
        })
        .await
        .is_empty()
    );
    assert!(
        list(Filter {
            common: CommonFilter { attributes: vec![("loyalty".into(), "platinum".into())], ..CommonFilter::default() },
            ..Filter::default()
        })
        .await
        .is_empty()
    );
});

db_test!(search_follows_renames_and_deletions, |db: Db| async move {
    let id = add_named(&db, "C-000001", "Wisła Kraków", json!({}), now()).await;
    add_named(&db, "C-000002", "Wisła Płock", json!({}), now()).await;
    assert_eq!(search(&db, &["wisla"]).await, ["Wisła Kraków", "Wisła Płock"]);

    let before = get_company(&db, id).await;
    let mut renamed = before.fields.clone();
    renamed.name = "Cracovia".into();
    let mut tx = db.begin().await.unwrap();
    assert!(companies::update(&mut tx, id, before.version, &before.fields, &renamed, None, now()).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(search(&db, &["wisla"]).await, ["Wisła Płock"], "the old name no longer finds it");
    assert_eq!(search(&db, &["cracov"]).await, ["Cracovia"], "the new name does");

    let mut tx = db.begin().await.unwrap();
    companies::delete(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(search(&db, &["cracov"]).await.is_empty(), "a deleted company is not found");
    let again = add_named(&db, "C-000003", "Cracovia Nowa", json!({}), now()).await;
    assert_eq!(search(&db, &["cracov"]).await, ["Cracovia Nowa"]);
    assert_eq!(get_company(&db, again).await.fields.name, "Cracovia Nowa");
});

db_test!(search_finds_what_people_type, |db: Db| async move {
    let at = now();
    add_named(
        &db,
        "C-000001",
        "Łódź Textiles",
        json!({
            "addresses": [{"purpose": "billing", "city": "Łódź", "country": "PL"}],
            "contact_methods": [{"kind": "phone", "value": "42 123 45 67"}, {"kind": "email", "value": "Biuro@Lodz.example"}]
        }),
        at,
    )
    .await;
    add_named(&db, "C-000002", "ООО «Ромашка»", json!({}), at).await;
    add_named(&db, "C-000003", "上海泛普软件有限公司", json!({}), at).await;
    add_named(
        &db,
        "C-000004",
        "Müller Straße GmbH",
        json!({"contact_methods": [{"kind": "phone", "value": "+49 30 1234567"}]}),
        at,
    )
    .await;
    add_named(&db, "C-000005", "100% Organic_Foods", json!({}), at).await;
    add_named(&db, "C-000006", "AC\\DC Tribute", json!({}), at).await;

    // Folded name: no accents or case needed.
    assert_eq!(search(&db, &["lodz"]).await, ["Łódź Textiles"]);
    assert_eq!(search(&db, &["ŁÓDŹ"]).await, ["Łódź Textiles"]);
    assert_eq!(search(&db, &["textil"]).await, ["Łódź Textiles"], "a word as far as it is typed");
    assert_eq!(search(&db, &["strasse"]).await, ["Müller Straße GmbH"]);
    assert_eq!(search(&db, &["ромашка"]).await, ["ООО «Ромашка»"]);
    assert_eq!(search(&db, &["РОМАШКА"]).await, ["ООО «Ромашка»"]);
    assert_eq!(search(&db, &["泛普"]).await, ["上海泛普软件有限公司"]);
    // Every word must match.
    assert_eq!(search(&db, &["lodz", "textiles"]).await, ["Łódź Textiles"]);
    assert!(search(&db, &["lodz", "muller"]).await.is_empty());
    // By code, whatever the case.
    assert_eq!(search(&db, &["C-000002"]).await, ["ООО «Ромашка»"]);
    assert_eq!(search(&db, &["c-000004"]).await, ["Müller Straße GmbH"]);
    // By the start of a phone number, however it is written.
    assert_eq!(search(&db, &["4842123"]).await, ["Łódź Textiles"]);
    assert_eq!(search(&db, &["+48-42-12"]).await, ["Łódź Textiles"]);
    assert_eq!(search(&db, &["+4930"]).await, ["Müller Straße GmbH"]);
    // By the start of an email address.
    assert_eq!(search(&db, &["biuro@lodz"]).await, ["Łódź Textiles"]);
    // Punctuation separates or joins words; it is never a wildcard.
    assert_eq!(search(&db, &["100%"]).await, ["100% Organic_Foods"]);
    assert_eq!(search(&db, &["organic_"]).await, ["100% Organic_Foods"]);
    assert_eq!(search(&db, &["ac\\dc"]).await, ["AC\\DC Tribute"]);
    assert_eq!(search(&db, &["%", "organic"]).await, ["100% Organic_Foods"], "a lone % asks for nothing");
    assert_eq!(search(&db, &["_", "tribute"]).await, ["AC\\DC Tribute"], "a lone _ asks for nothing");
    assert!(search(&db, &["nothing-like-this"]).await.is_empty());
});

db_test!(archived_companies_are_hidden_by_default, |db: Db| async move {
    let anna = add_user(&db, "anna", "Anna").await;
    let at = now();
    add_named(&db, "C-000001", "Active One", json!({}), at).await;
    let gone = add_named(&db, "C-000002", "Archived One", json!({}), at).await;
    add_named(&db, "C-000003", "Active Two", json!({}), at).await;

    let archived_at = now();
    let mut tx = db.begin().await.unwrap();
    companies::set_archived(&mut tx, gone, true, Some(anna), archived_at).await.unwrap();
    tx.commit().await.unwrap();

    let list = |archived: Archived| {
        let db = db.clone();
        let filter = Filter { common: CommonFilter { archived, ..CommonFilter::default() }, ..Filter::default() };
        async move { walk(&db, &filter, "name", false).await.into_iter().map(|c| c.fields.name).collect::<Vec<_>>() }
    };
    assert_eq!(list(Archived::Exclude).await, ["Active One", "Active Two"]);
    assert_eq!(list(Archived::Only).await, ["Archived One"]);
    assert_eq!(list(Archived::Include).await, ["Active One", "Active Two", "Archived One"]);

    // Search does not bring an archived company back either.
    assert!(search(&db, &["archived"]).await.is_empty());

    // The card still opens, marked archived.
    let got = get_company(&db, gone).await;
    assert_eq!(got.archived_at, Some(archived_at));
    assert_eq!(got.updated_by, Some(anna));
    assert_eq!(got.version, 2);
});

// Restoring an archived company writes a NULL `archived_at`.
db_test!(restored_company_is_listed_again, |db: Db| async move {
    let id = add_named(&db, "C-000001", "Comeback Ltd", json!({}), now()).await;
    let mut tx = db.begin().await.unwrap();
    companies::set_archived(&mut tx, id, true, None, now()).await.unwrap();
    tx.commit().await.unwrap();
    // Restored after a restart of the app (fresh connections, nothing prepared yet).
    let restarted = support::fresh_handle(&db).await;
    let mut tx = restarted.begin().await.unwrap();
    companies::set_archived(&mut tx, id, false, None, now()).await.expect("restore an archived company");
    tx.commit().await.unwrap();

    let got = get_company(&db, id).await;
    assert_eq!(got.archived_at, None);
    assert_eq!(got.version, 3);
    let shown = walk(&db, &Filter::default(), "name", false).await;
    assert_eq!(names(&shown), ["Comeback Ltd"]);
    let (archived, _) = companies::list(
        &mut db.clone(),
        &Filter { common: CommonFilter { archived: Archived::Only, ..CommonFilter::default() }, ..Filter::default() },
        &page("name", false, None),
    )
    .await
    .unwrap();
    assert!(archived.is_empty());
});

// The same for people: archived people are hidden, and can be restored.
db_test!(archived_person_is_hidden_and_can_be_restored, |db: Db| async move {
    let draft: PersonDraft = serde_json::from_value(json!({"given_name": "Jan", "family_name": "Nowak"})).unwrap();
    let id = Uuid::now_v7();
    let mut tx = db.begin().await.unwrap();
    people::insert(&mut tx, id, &draft.parse().unwrap(), None, now()).await.unwrap();
    people::set_archived(&mut tx, id, true, None, now()).await.unwrap();
    tx.commit().await.unwrap();
    let filter = people::Filter::default();
    let (shown, _) = people::list(&mut db.clone(), &filter, &page("full_name", false, None)).await.unwrap();
    assert!(shown.is_empty(), "an archived person is listed");

    // Restored after a restart of the app (fresh connections, nothing prepared yet).
    let restarted = support::fresh_handle(&db).await;
    let mut tx = restarted.begin().await.unwrap();
    people::set_archived(&mut tx, id, false, None, now()).await.expect("restore an archived person");
    tx.commit().await.unwrap();
    let (shown, _) = people::list(&mut db.clone(), &filter, &page("full_name", false, None)).await.unwrap();
    let shown: Vec<_> = shown.iter().map(|p| p.full_name.as_str()).collect();
    assert_eq!(shown, ["Jan Nowak"]);
});

// ---------------------------------------------------------------------------------------
// What refers to a company
// ---------------------------------------------------------------------------------------

db_test!(referrers_list_employees_and_subsidiaries, |db: Db| async move {
    let at = now();
    let parent = add_named(&db, "C-000001", "Holding SA", json!({}), at).await;
    let child = add_named(&db, "C-000002", "Holding Polska Sp. z o.o.", json!({"parent_id": parent}), at).await;
    let other = add_named(&db, "C-000003", "Unrelated", json!({}), at).await;

    let person: PersonDraft = serde_json::from_value(json!({
        "given_name": "Мария", "family_name": "Петрова", "birth_date": "1984-03-09",
        "contact_methods": [{"kind": "mobile", "value": "+359 88 123 4567"}],
        "employments": [
            {"company_id": parent, "position": "Purchasing manager", "department": "Procurement", "started_on": "2020-01-15"},
            {"company_id": other, "position": "Adviser", "ended_on": "2019-12-31"}
        ]
    }))
    .unwrap();
    let person = person.parse().unwrap();
    let person_id = Uuid::now_v7();
    let mut tx = db.begin().await.unwrap();
    people::insert(&mut tx, person_id, &person, None, at).await.unwrap();
    tx.commit().await.unwrap();

    // The person reads back with both employments.
    let got = people::get(&mut db.clone(), person_id).await.unwrap().expect("the person exists");
    assert_eq!(got.full_name, "Мария Петрова");
    assert_eq!(got.fields, person);

    let referrers = companies::referrers(&mut db.clone(), parent).await.unwrap();
    assert_eq!(
        referrers,
        [
            Referrer { kind: "person", id: person_id, name: "Мария Петрова".into() },
            Referrer { kind: "company", id: child, name: "Holding Polska Sp. z o.o.".into() },
        ]
    );
    assert_eq!(
        companies::referrers(&mut db.clone(), other).await.unwrap(),
        [Referrer { kind: "person", id: person_id, name: "Мария Петрова".into() }]
    );
    assert!(companies::referrers(&mut db.clone(), child).await.unwrap().is_empty());
    assert_eq!(companies::ancestors(&mut db.clone(), child).await.unwrap(), [parent]);

    // The database itself refuses to delete a company somebody works at.
    let mut tx = db.begin().await.unwrap();
    let error = companies::delete(&mut tx, parent).await.unwrap_err();
    assert!(matches!(error, StoreError::ForeignKey(_)), "expected a foreign key error, got {error:?}");
});

// ---------------------------------------------------------------------------------------
// Codes, history
// ---------------------------------------------------------------------------------------

db_test!(sequences_count_up_per_name, |db: Db| async move {
    let mut tx = db.begin().await.unwrap();
    assert_eq!(sequences::next(&mut tx, "company").await.unwrap(), 1);
    assert_eq!(sequences::next(&mut tx, "company").await.unwrap(), 2);
    assert_eq!(sequences::next(&mut tx, "company").await.unwrap(), 3);
    assert_eq!(sequences::next(&mut tx, "person").await.unwrap(), 1, "each name counts on its own");
    tx.commit().await.unwrap();

    // A rolled back transaction gives its number back.
    let mut tx = db.begin().await.unwrap();
    assert_eq!(sequences::next(&mut tx, "company").await.unwrap(), 4);
    drop(tx);
    let mut tx = db.begin().await.unwrap();
    assert_eq!(sequences::next(&mut tx, "company").await.unwrap(), 4);
    tx.commit().await.unwrap();
});

db_test!(history_reads_back_newest_first, |db: Db| async move {
    let anna = add_user(&db, "anna", "Anna Kowalska").await;
    let record = Uuid::now_v7();
    let other = Uuid::now_v7();
    let t0 = now() - Duration::minutes(10);
    let entries = [
        (
            "create",
            Some(anna),
            t0,
            vec![Change { field: "name".into(), old: Value::Null, new: json!("Łódź Textiles") }],
        ),
        (
            "update",
            None,
            t0 + Duration::minutes(1),
            vec![
                Change { field: "attributes.loyalty".into(), old: json!("gold"), new: json!("silver") },
                Change { field: "stage".into(), old: json!("growing"), new: json!("mature") },
            ],
        ),
        ("archive", Some(anna), t0 + Duration::minutes(2), vec![]),
    ];
    for (action, actor, at, changes) in &entries {
        let mut tx = db.begin().await.unwrap();
        audit::record(&mut tx, "company", record, action, *actor, *at, changes).await.unwrap();
        audit::record(&mut tx, "company", other, "noise", None, *at, &[]).await.unwrap();
        tx.commit().await.unwrap();
    }

    let history = audit::history(&mut db.clone(), record, 50).await.unwrap();
    let got: Vec<_> = history.iter().map(|e| (e.action.as_str(), e.actor_id, e.at, e.changes.clone())).collect();
    let expected: Vec<_> =
        entries.iter().rev().map(|(a, actor, at, changes)| (*a, *actor, *at, changes.clone())).collect();
    assert_eq!(got, expected, "a record's history, newest first, only its own");
    let actor_names: Vec<_> = history.iter().map(|e| e.actor_name.as_deref()).collect();
    assert_eq!(actor_names, [Some("Anna Kowalska"), None, Some("Anna Kowalska")]);

    // The limit keeps the newest entries.
    let newest = audit::history(&mut db.clone(), record, 2).await.unwrap();
    let actions: Vec<_> = newest.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["archive", "update"]);
    assert!(audit::history(&mut db.clone(), Uuid::now_v7(), 50).await.unwrap().is_empty());

    // Each change also queued an event for the workers.
    let topics: Vec<(String,)> =
        db.fetch_raw("SELECT topic FROM outbox WHERE processed_at IS NULL ORDER BY id").await.unwrap();
    let topics: Vec<_> = topics.into_iter().map(|(t,)| t).filter(|t| t != "company.noise").collect();
    assert_eq!(topics, ["company.create", "company.update", "company.archive"]);
});

// ---------------------------------------------------------------------------------------
// Transactions
// ---------------------------------------------------------------------------------------

db_test!(a_transaction_dropped_without_commit_leaves_nothing, |db: Db| async move {
    let company = Uuid::now_v7();
    let person = Uuid::now_v7();
    let user = Uuid::now_v7();
    let at = now();
    {
        let mut tx = db.begin().await.unwrap();
        users::insert(
            &mut tx,
            users::NewUser {
                id: user,
                login: "ghost",
                name: "Ghost",
                email: None,
                password_hash: "x",
                role: "sales",
                team_id: None,
                clearance: 0,
            },
            at,
        )
        .await
        .unwrap();
        let code = format!("C-{:06}", sequences::next(&mut tx, "company").await.unwrap());
        let fields = company_fields(json!({
            "name": "Never Saved", "owner_id": user,
            "contact_methods": [{"kind": "email", "value": "x@never.example"}],
            "attributes": {"loyalty": "gold"}
        }));
        companies::insert(&mut tx, company, &code, &fields, Some(user), at).await.unwrap();
        let person_fields: PersonDraft =
            serde_json::from_value(json!({"family_name": "Nobody", "employments": [{"company_id": company}]})).unwrap();
        people::insert(&mut tx, person, &person_fields.parse().unwrap(), Some(user), at).await.unwrap();
        audit::record(&mut tx, "company", company, "create", Some(user), at, &[]).await.unwrap();

        // Inside, the transaction sees its own work; outside, nobody does yet.
        assert!(companies::get(&mut tx, company).await.unwrap().is_some());
        assert!(companies::get(&mut db.clone(), company).await.unwrap().is_none());
        // Dropped here without commit.
    }

    let mut reader = db.clone();
    assert!(companies::get(&mut reader, company).await.unwrap().is_none());
    assert!(people::get(&mut reader, person).await.unwrap().is_none());
    assert!(users::get(&mut reader, user).await.unwrap().is_none());
    assert_eq!(users::count(&mut reader).await.unwrap(), 0);
    assert!(audit::history(&mut reader, company, 10).await.unwrap().is_empty());
    for table in [
        "companies",
        "people",
        "users",
        "contact_methods",
        "record_attributes",
        "employments",
        "audit_log",
        "outbox",
        "sequences",
    ] {
        let rows: Vec<(i64,)> = db.fetch_raw(&format!("SELECT COUNT(*) FROM {table}")).await.unwrap();
        assert_eq!(rows, [(0,)], "{table} kept rows of a rolled back transaction");
    }

    // The writer is usable again afterwards.
    let mut tx = db.begin().await.unwrap();
    assert_eq!(sequences::next(&mut tx, "company").await.unwrap(), 1);
    tx.commit().await.unwrap();
    assert!(reader.backend() == db.backend());
});
