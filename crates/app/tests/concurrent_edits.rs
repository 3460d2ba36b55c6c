//! Edits that arrive at the same moment: without `If-Match` each one applies in turn
//! instead of failing on a version someone else just wrote.

use rapport_app::{Actor, App, DbOptions, Settings, companies, people};
use rapport_testkit::{Engine, TestDatabase};
use serde_json::json;

const EDITS: usize = 16;

async fn simultaneous_edits_all_apply(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let app = App::open(&database.url, &DbOptions::default(), Settings::default()).await.expect("the database opens");
    let actor = Actor::system();
    let company = companies::create(&app, &actor, json!({"name": "Contended"})).await.unwrap();
    let person = people::create(&app, &actor, json!({"given_name": "Ana", "family_name": "Petrova"})).await.unwrap();

    let mut edits = tokio::task::JoinSet::new();
    for i in 0..EDITS {
        let (app, actor) = (app.clone(), actor.clone());
        let (company_id, person_id) = (company.id, person.id);
        edits.spawn(async move {
            let company =
                companies::update(&app, &actor, company_id, json!({"website": format!("https://e{i}.example")}), None);
            let person = people::update(&app, &actor, person_id, json!({"title": format!("Dr {i}")}), None);
            (company.await.map(|_| ()), person.await.map(|_| ()))
        });
    }
    while let Some(outcome) = edits.join_next().await {
        let (company, person) = outcome.expect("the edit task finishes");
        company.expect("a company edit without If-Match applies");
        person.expect("a person edit without If-Match applies");
    }
    let company = companies::get(&app, &actor, company.id).await.unwrap();
    let person = people::get(&app, &actor, person.id).await.unwrap();
    assert_eq!(company.version, 1 + EDITS as i64, "every company edit made a version");
    assert_eq!(person.version, 1 + EDITS as i64, "every person edit made a version");
    let history = companies::history(&app, &actor, company.id).await.unwrap();
    assert_eq!(history.len(), 1 + EDITS, "every company edit is in the history");
}

#[tokio::test]
async fn simultaneous_edits_all_apply_on_sqlite() {
    simultaneous_edits_all_apply(Engine::Sqlite).await;
}

#[tokio::test]
async fn simultaneous_edits_all_apply_on_postgres() {
    simultaneous_edits_all_apply(Engine::Postgres).await;
}
