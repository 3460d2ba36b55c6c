//! The bulk path on both engines: all or nothing, with every problem placed.

use rapport_app::bulk::{self, BulkError};
use rapport_app::{Actor, App, DbOptions, Settings, companies};
use rapport_testkit::{Engine, TestDatabase};
use serde_json::json;

async fn app(engine: Engine) -> Option<(App, TestDatabase)> {
    let database = TestDatabase::new(engine).await?;
    let app = App::open(&database.url, &DbOptions::default(), Settings::default()).await.expect("the database opens");
    Some((app, database))
}

async fn all_or_nothing(engine: Engine) {
    let Some((app, _database)) = app(engine).await else { return };
    let actor = Actor::system();
    let drafts: Vec<_> = (0..1000).map(|i| json!({"name": format!("Bulk {i:04}"), "stage": "growing"})).collect();
    let ids = bulk::create_companies(&app, &actor, drafts).await.expect("a valid batch loads");
    assert_eq!(ids.len(), 1000);
    let first = companies::get(&app, &actor, ids[0]).await.unwrap();
    let last = companies::get(&app, &actor, ids[999]).await.unwrap();
    assert_eq!((first.code.as_str(), last.code.as_str()), ("C-000001", "C-001000"));
    assert_eq!(companies::history(&app, &actor, ids[999]).await.unwrap()[0].action, "create");

    let bad = vec![
        json!({"name": "Fine"}),
        json!({"name": "Also fine", "contact_methods": [{"kind": "email", "value": "x@y.example"}]}),
        json!({"name": "Broken", "contact_methods": [{"kind": "email", "value": "nope"}]}),
        json!({"name": "Wrong stage", "stage": "ripe"}),
        json!({"nam": "Typo"}),
    ];
    match bulk::create_companies(&app, &actor, bad).await {
        Err(BulkError::Invalid(problems)) => {
            let places: Vec<_> = problems.iter().map(|(i, invalid)| (*i, invalid.errors[0].field.clone())).collect();
            assert_eq!(
                places,
                [(2, "contact_methods[0].value".to_string()), (3, "stage".to_string()), (4, "nam".to_string())]
            );
        }
        other => panic!("expected the batch to be refused, got {other:?}"),
    }
    let listed = companies::list(&app, &actor, vec![("q".into(), "fine".into())]).await.unwrap();
    assert!(listed.items.is_empty(), "nothing of the refused batch was written");
    let next = companies::create(&app, &actor, json!({"name": "After"})).await.unwrap();
    assert_eq!(next.code, "C-001001", "a refused batch takes no codes");
}

#[tokio::test]
async fn bulk_loads_are_all_or_nothing_on_sqlite() {
    all_or_nothing(Engine::Sqlite).await;
}

#[tokio::test]
async fn bulk_loads_are_all_or_nothing_on_postgres() {
    all_or_nothing(Engine::Postgres).await;
}
