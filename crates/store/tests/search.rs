//! The search index's matching rules, each a case of one shared table run on SQLite and on
//! PostgreSQL, through both ways the index is read: a list's filter (every match, in name
//! order) and ranked search (best first, a page at a time).

#[macro_use]
mod support;

use rapport_core::people::PersonDraft;
use rapport_store::listing::Page;
use rapport_store::{Db, companies, people, search};
use serde_json::{Value, json};
use support::{add_company, company_fields, now, text_filter};
use uuid::Uuid;

async fn add_person(db: &Db, draft: Value) -> Uuid {
    let draft: PersonDraft = serde_json::from_value(draft).unwrap();
    let id = Uuid::now_v7();
    let mut tx = db.begin().await.unwrap();
    people::insert(&mut tx, id, &draft.parse().unwrap(), None, now()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// Companies and people in the scripts and forms our users type.
async fn fixture(db: &Db) {
    let companies = [
        json!({"name": "Łódź Textiles Sp. z o.o.", "stage": "mature", "attributes": {"loyalty": "gold"},
               "contact_methods": [{"kind": "email", "value": "biuro@lodz-textiles.pl"},
                                   {"kind": "phone", "value": "+48 42 123 45 67"}],
               "addresses": [{"purpose": "billing", "city": "Łódź", "country": "PL"}]}),
        json!({"name": "Müller Maschinenbau GmbH", "tax_id": "DE 123 456 789",
               "contact_methods": [{"kind": "email", "value": "info@mueller.de"}],
               "addresses": [{"purpose": "office", "city": "Berlin", "country": "DE"}]}),
        json!({"name": "上海泛普软件有限公司", "addresses": [{"purpose": "office", "city": "上海", "country": "CN"}]}),
        json!({"name": "Rapport Solutions Ltd", "stage": "closed",
               "addresses": [{"purpose": "office", "city": "Sofia", "country": "BG"}]}),
        json!({"name": "Софийска Търговска ЕООД",
               "contact_methods": [{"kind": "phone", "value": "0888 123 456"}],
               "addresses": [{"purpose": "office", "city": "София", "country": "BG"}]}),
        json!({"name": "Sofia Trade", "stage": "mature"}),
    ];
    for (i, draft) in companies.into_iter().enumerate() {
        add_company(db, &format!("C-{:06}", i + 1), &company_fields(draft), None, now()).await;
    }
    add_person(
        db,
        json!({"given_name": "Мария", "family_name": "Петрова",
               "contact_methods": [{"kind": "email", "value": "Maria.Petrova@example.bg"},
                                   {"kind": "mobile", "value": "+359 88 123 4567"}]}),
    )
    .await;
    add_person(
        db,
        json!({"given_name": "Jan", "family_name": "Kowalski",
                          "contact_methods": [{"kind": "email", "value": "jan@lodz-textiles.pl"}]}),
    )
    .await;
    add_person(
        db,
        json!({"given_name": "Anna", "family_name": "Müller",
                          "employments": [], "addresses": [{"purpose": "office", "city": "Berlin"}]}),
    )
    .await;
}

/// Every company name the list's filter finds for `q`, in name order.
async fn listed_companies(db: &Db, q: &str) -> Vec<String> {
    let filter = companies::Filter { common: text_filter(db, q).await, ..Default::default() };
    let page = Page { limit: 100, column: "name", descending: false, after: None };
    let (rows, _) = companies::list(&mut db.clone(), &filter, &page).await.unwrap();
    rows.into_iter().map(|c| c.fields.name).collect()
}

async fn listed_people(db: &Db, q: &str) -> Vec<String> {
    let filter = people::Filter { common: text_filter(db, q).await, ..Default::default() };
    let page = Page { limit: 100, column: "full_name", descending: false, after: None };
    let (rows, _) = people::list(&mut db.clone(), &filter, &page).await.unwrap();
    rows.into_iter().map(|p| p.full_name).collect()
}

/// Company names as ranked search returns them, best first.
async fn ranked_companies(db: &Db, q: &str) -> Vec<String> {
    let filter = companies::Filter { common: text_filter(db, q).await, ..Default::default() };
    let hits = companies::search(&mut db.clone(), &filter, 20).await.unwrap();
    let ids: Vec<Uuid> = hits.iter().map(|h| h.id).collect();
    let found = companies::get_many(&mut db.clone(), &ids).await.unwrap();
    ids.iter().map(|id| found.iter().find(|c| c.id == *id).unwrap().fields.name.clone()).collect()
}

async fn ranked_people(db: &Db, q: &str) -> Vec<String> {
    let filter = people::Filter { common: text_filter(db, q).await, ..Default::default() };
    let hits = people::search(&mut db.clone(), &filter, 20).await.unwrap();
    let ids: Vec<Uuid> = hits.iter().map(|h| h.id).collect();
    let found = people::get_many(&mut db.clone(), &ids).await.unwrap();
    ids.iter().map(|id| found.iter().find(|p| p.id == *id).unwrap().full_name.clone()).collect()
}

/// (search text, companies found, people found), names in alphabetical order.
const CASES: &[(&str, &[&str], &[&str])] = &[
    // Case and accents.
    ("lodz", &["Łódź Textiles Sp. z o.o."], &["Jan Kowalski"]),
    ("ŁÓDŹ textiles", &["Łódź Textiles Sp. z o.o."], &[]),
    ("muller", &["Müller Maschinenbau GmbH"], &["Anna Müller"]),
    // Cyrillic, in its own letters and in Latin ones.
    ("петрова", &[], &["Мария Петрова"]),
    ("ПЕТРОВА", &[], &["Мария Петрова"]),
    ("petrova", &[], &["Мария Петрова"]),
    ("софийска", &["Софийска Търговска ЕООД"], &[]),
    // Chinese by substring.
    ("泛普", &["上海泛普软件有限公司"], &[]),
    ("普软件", &["上海泛普软件有限公司"], &[]),
    ("泛", &["上海泛普软件有限公司"], &[]),
    ("司", &["上海泛普软件有限公司"], &[]),
    ("泛软", &[], &[]),
    // Prefixes as typed so far, and one typo in a longer word.
    ("maschin", &["Müller Maschinenbau GmbH"], &[]),
    ("Rapprot", &["Rapport Solutions Ltd"], &[]),
    ("Rapprt", &["Rapport Solutions Ltd"], &[]),
    ("Maschinenbua", &["Müller Maschinenbau GmbH"], &[]),
    ("mxller", &["Müller Maschinenbau GmbH"], &["Anna Müller"]),
    ("mxllex", &[], &[]),
    ("Rapo", &[], &[]),
    // Phones by digits, however written, with or without the country prefix.
    ("+48 42 123 45 67", &["Łódź Textiles Sp. z o.o."], &[]),
    ("42 123 45", &["Łódź Textiles Sp. z o.o."], &[]),
    ("0888 123 456", &["Софийска Търговска ЕООД"], &[]),
    ("+359 888 123", &["Софийска Търговска ЕООД"], &[]),
    ("00359 88 123 4567", &[], &["Мария Петрова"]),
    ("088 123 4567", &[], &["Мария Петрова"]),
    // Emails exactly (in any case) and by domain.
    ("MARIA.PETROVA@EXAMPLE.BG", &[], &["Мария Петрова"]),
    ("@lodz-textiles.pl", &["Łódź Textiles Sp. z o.o."], &["Jan Kowalski"]),
    ("@textiles.pl", &[], &[]),
    // Codes and tax numbers exactly.
    ("C-000004", &["Rapport Solutions Ltd"], &[]),
    ("c000004", &["Rapport Solutions Ltd"], &[]),
    ("DE123456789", &["Müller Maschinenbau GmbH"], &[]),
    // The query language: pairs, field filters, phrases, negation.
    ("stage=mature", &["Sofia Trade", "Łódź Textiles Sp. z o.o."], &[]),
    ("loyalty=gold", &["Łódź Textiles Sp. z o.o."], &[]),
    ("city:sofia", &["Rapport Solutions Ltd", "Софийска Търговска ЕООД"], &[]),
    ("city:софия", &["Софийска Търговска ЕООД"], &[]),
    ("city:berlin", &["Müller Maschinenbau GmbH"], &["Anna Müller"]),
    ("name:berlin", &[], &[]),
    ("sofia", &["Rapport Solutions Ltd", "Sofia Trade", "Софийска Търговска ЕООД"], &[]),
    ("sofia -trade", &["Rapport Solutions Ltd", "Софийска Търговска ЕООД"], &[]),
    ("sofia -stage=closed", &["Sofia Trade", "Софийска Търговска ЕООД"], &[]),
    ("\"Łódź Textiles\"", &["Łódź Textiles Sp. z o.o."], &[]),
    ("\"Textiles Łódź\"", &[], &[]),
    ("rapport sofia", &["Rapport Solutions Ltd"], &[]),
    ("rapport berlin", &[], &[]),
];

db_test!(every_matching_rule_holds, |db: Db| async move {
    fixture(&db).await;
    for (q, companies, people) in CASES {
        let mut found = listed_companies(&db, q).await;
        found.sort();
        assert_eq!(found, *companies, "companies listed for {q:?}");
        let mut ranked = ranked_companies(&db, q).await;
        ranked.sort();
        assert_eq!(ranked, *companies, "companies ranked for {q:?}");
        let mut found = listed_people(&db, q).await;
        found.sort();
        assert_eq!(found, *people, "people listed for {q:?}");
        let mut ranked = ranked_people(&db, q).await;
        ranked.sort();
        assert_eq!(ranked, *people, "people ranked for {q:?}");
    }
});

db_test!(identifiers_rank_first_then_names_then_other_fields, |db: Db| async move {
    fixture(&db).await;
    // A name that is the word beats a city that is the word; a word one typo away is last.
    assert_eq!(
        ranked_companies(&db, "sofia").await,
        ["Sofia Trade", "Rapport Solutions Ltd", "Софийска Търговска ЕООД"]
    );
    // An exact code beats a name that merely contains its digits.
    let named_like_a_code = company_fields(json!({"name": "Warehouse 000004"}));
    add_company(&db, "C-000099", &named_like_a_code, None, now()).await;
    assert_eq!(ranked_companies(&db, "000004").await, ["Rapport Solutions Ltd", "Warehouse 000004"]);
    // A whole word beats a longer word it begins, and a name it begins beats another field.
    let longer = company_fields(json!({"name": "Sofiana Imports"}));
    add_company(&db, "C-000100", &longer, None, now()).await;
    assert_eq!(
        ranked_companies(&db, "sofia").await,
        ["Sofia Trade", "Sofiana Imports", "Rapport Solutions Ltd", "Софийска Търговска ЕООД"]
    );
});

db_test!(a_page_of_ranked_results_stops_at_its_limit, |db: Db| async move {
    for i in 0..30 {
        add_company(&db, &format!("C-{i:06}"), &company_fields(json!({"name": format!("Acme {i:02}")})), None, now())
            .await;
    }
    let filter = companies::Filter { common: text_filter(&db, "acme").await, ..Default::default() };
    let hits = companies::search(&mut db.clone(), &filter, 10).await.unwrap();
    assert_eq!(hits.len(), 10);
    let mut ids: Vec<Uuid> = hits.iter().map(|h| h.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 10, "no record twice");
});

db_test!(edits_and_deletions_reach_the_index_in_their_transaction, |db: Db| async move {
    let id = add_person(
        &db,
        json!({"given_name": "Ivan", "family_name": "Petrov",
                                   "contact_methods": [{"kind": "email", "value": "ivan@old.example"}]}),
    )
    .await;
    let before = people::get(&mut db.clone(), id).await.unwrap().unwrap();
    let mut after = before.fields.clone();
    let draft: PersonDraft = serde_json::from_value(json!({"given_name": "Ivan", "family_name": "Georgiev",
        "contact_methods": [{"kind": "email", "value": "ivan@new.example"}]}))
    .unwrap();
    let parsed = draft.parse().unwrap();
    after.family_name = parsed.family_name;
    after.contact_methods = parsed.contact_methods;
    let mut tx = db.begin().await.unwrap();
    assert!(people::update(&mut tx, id, before.version, &before.fields, &after, None, now()).await.unwrap());
    // Not yet committed: the index still answers as before on another connection.
    assert_eq!(listed_people(&db, "georgiev").await, Vec::<String>::new());
    tx.commit().await.unwrap();
    assert!(listed_people(&db, "petrov").await.is_empty(), "the old name no longer finds him");
    assert!(listed_people(&db, "@old.example").await.is_empty(), "nor the old email");
    assert_eq!(listed_people(&db, "georgiev").await, ["Ivan Georgiev"]);
    assert_eq!(listed_people(&db, "@new.example").await, ["Ivan Georgiev"]);

    let mut tx = db.begin().await.unwrap();
    people::delete(&mut tx, id).await.unwrap();
    tx.commit().await.unwrap();
    assert!(listed_people(&db, "ivan").await.is_empty());
    let left: Vec<(i64,)> = db.fetch_raw("SELECT COUNT(*) FROM search_terms").await.unwrap();
    assert_eq!(left[0].0, 0, "a deleted record leaves no terms behind");
});

db_test!(a_rebuild_gives_the_index_the_writes_gave, |db: Db| async move {
    assert!(search::needs_rebuild(&mut db.clone()).await.unwrap(), "a new database has never been indexed");
    fixture(&db).await;
    let terms = "SELECT kind, class, term, mask FROM search_terms ORDER BY kind, class, term, mask";
    let written: Vec<(i16, i16, String, i32)> = db.fetch_raw(terms).await.unwrap();
    let indexed = search::rebuild(&db, |_| {}).await.unwrap();
    assert_eq!(indexed, 9, "six companies and three people");
    let rebuilt: Vec<(i16, i16, String, i32)> = db.fetch_raw(terms).await.unwrap();
    assert_eq!(rebuilt, written);
    assert!(!search::needs_rebuild(&mut db.clone()).await.unwrap());
    for (q, companies, _) in CASES.iter().take(12) {
        let mut found = listed_companies(&db, q).await;
        found.sort();
        assert_eq!(found, *companies, "after the rebuild, {q:?}");
    }
});

// A word in thousands of names: the list reads names in order and tests each against the
// word's matches, and pages, archived records and other clauses come
// out as they do for a rare word.
db_test!(a_common_word_lists_in_name_order_page_by_page, |db: Db| async move {
    let drafts: Vec<_> = (0..2100)
        .map(|i| {
            let city = if i % 2 == 0 { "Varna" } else { "Burgas" };
            company_fields(
                json!({"name": format!("Common {i:05}"), "addresses": [{"purpose": "office", "city": city}]}),
            )
        })
        .collect();
    let codes: Vec<String> = (0..drafts.len()).map(|i| format!("C-{i:06}")).collect();
    let rows: Vec<companies::NewCompany<'_>> = drafts
        .iter()
        .zip(&codes)
        .map(|(fields, code)| companies::NewCompany { id: Uuid::now_v7(), code, fields })
        .collect();
    let mut tx = db.begin().await.unwrap();
    companies::insert_many(&mut tx, &rows, None, now()).await.unwrap();
    // The first name in order, archived: a list of live records leaves it out.
    companies::set_archived(&mut tx, rows[0].id, true, None, now()).await.unwrap();
    tx.commit().await.unwrap();
    add_company(&db, "R-000001", &company_fields(json!({"name": "Rare Common Partner"})), None, now()).await;

    let filter = companies::Filter { common: text_filter(&db, "common").await, ..Default::default() };
    assert_eq!(
        search::plan(&mut db.clone(), rapport_core::custom_fields::RecordKind::Company, &filter.common.text.clauses)
            .await
            .unwrap(),
        search::TextPlan::InListOrder
    );
    let mut page = Page { limit: 50, column: "name", descending: false, after: None };
    let (first, more) = companies::list(&mut db.clone(), &filter, &page).await.unwrap();
    let names: Vec<&str> = first.iter().map(|c| c.fields.name.as_str()).collect();
    assert_eq!(names.len(), 50, "{names:?}");
    assert!(more);
    assert_eq!((names[0], names[49]), ("Common 00001", "Common 00050"), "archived left out, name order");
    let last = first.last().unwrap();
    page.after = Some((rapport_store::listing::SortValue::Text(last.fields.name.clone()), last.id));
    let (second, _) = companies::list(&mut db.clone(), &filter, &page).await.unwrap();
    assert_eq!(second[0].fields.name, "Common 00051", "the next page continues after the cursor");

    assert_eq!(listed_companies(&db, "common partner").await, ["Rare Common Partner"], "a rare second word");
    let in_burgas = listed_companies(&db, "common city:burgas").await;
    assert_eq!(&in_burgas[..3], ["Common 00001", "Common 00003", "Common 00005"]);
    let not_varna = listed_companies(&db, "common -varna").await;
    assert_eq!(&not_varna[..2], ["Common 00001", "Common 00003"], "a negated clause leaves its matches out");
});
