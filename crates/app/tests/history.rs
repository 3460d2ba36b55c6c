//! A record written into the database without Rapport (a restore, a move from another
//! system) has an empty history: its card and history open, they do not answer 404.

use rapport_app::{Actor, App, DbOptions, Settings, companies};
use rapport_core::companies::CompanyDraft;
use rapport_testkit::{Engine, TestDatabase};
use serde_json::json;
use uuid::Uuid;

async fn history_of_a_record_written_elsewhere_is_empty(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let app = App::open(&database.url, &DbOptions::default(), Settings::default()).await.expect("the database opens");
    let draft: CompanyDraft = serde_json::from_value(json!({"name": "Imported Elsewhere"})).unwrap();
    let fields = draft.parse().unwrap();
    let id = Uuid::now_v7();
    let mut tx = app.db.begin().await.unwrap();
    rapport_store::companies::insert(&mut tx, id, "X-000001", &fields, None, time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let actor = Actor::system();
    assert_eq!(companies::get(&app, &actor, id).await.unwrap().fields.name, "Imported Elsewhere");
    assert!(companies::history(&app, &actor, id).await.expect("the history opens").is_empty());
    assert!(companies::history(&app, &actor, Uuid::now_v7()).await.is_err(), "an unknown record is still not found");
}

#[tokio::test]
async fn history_of_a_record_written_elsewhere_is_empty_on_sqlite() {
    history_of_a_record_written_elsewhere_is_empty(Engine::Sqlite).await;
}

#[tokio::test]
async fn history_of_a_record_written_elsewhere_is_empty_on_postgres() {
    history_of_a_record_written_elsewhere_is_empty(Engine::Postgres).await;
}
