//! Imports on both engines, with real files (`tests/data/`, made by `tests/data/make.py`):
//! every encoding and format, the modes, duplicates, upserts, undo, and every bad file
//! answered with its message and nothing written.

mod bad_files;
mod formats;

use std::sync::Arc;

use rapport_app::imports::{self, ImportView, Options};
use rapport_app::jobs::Runner;
use rapport_app::{Actor, App, DbOptions, Settings, companies, people};
use rapport_core::imports::ImportKind;
use rapport_testkit::{Engine, TestDatabase};
use serde_json::{Value, json};

pub async fn app(engine: Engine) -> Option<(App, TestDatabase)> {
    let database = TestDatabase::new(engine).await?;
    let options = DbOptions { max_connections: 4, ..DbOptions::default() };
    let app = App::open(&database.url, &options, Settings::default()).await.expect("the database opens");
    Some((app, database))
}

pub fn data(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Uploads `bytes` as `name` and runs the import in this process.
pub async fn import(app: &App, kind: ImportKind, name: &str, bytes: &[u8], options: Options) -> ImportView {
    let actor = Actor::system();
    let mut upload = imports::begin_upload(app, &actor, kind, name).await.expect("the upload starts");
    for piece in bytes.chunks(300_000) {
        upload.write(app, piece).await.expect("the upload takes the bytes");
    }
    let view = upload.finish(app, &actor, options.clone(), false).await.expect("the upload ends");
    imports::run_now(app, &actor, view.import.id, options).await.expect("the import runs")
}

pub fn summary(view: &ImportView) -> Value {
    view.import.summary.clone().unwrap_or(Value::Null)
}

pub async fn rejects(app: &App, view: &ImportView) -> Vec<(i64, String, String)> {
    imports::rejects(app, &Actor::system(), view.import.id, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.line, r.column_name, r.code))
        .collect()
}

pub async fn people_named(app: &App, q: &str) -> Vec<Value> {
    let listed = people::list(app, &Actor::system(), vec![("q".into(), q.into()), ("limit".into(), "500".into())])
        .await
        .unwrap();
    listed.items.iter().map(|p| serde_json::to_value(p).unwrap()).collect()
}

pub async fn company_count(app: &App) -> usize {
    companies::list(app, &Actor::system(), vec![("limit".into(), "500".into())]).await.unwrap().items.len()
}

pub fn valid_rows() -> Options {
    Options { mode: imports::Mode::ValidRows, ..Options::default() }
}

const PEOPLE: &str = "First name,Last name,E-mail,Mobile,Birth date,External ID\n\
Мария,Петрова,maria@example.bg,+359 88 123 4567,09.03.1984,P-1\n\
Jan,Kowalski,jan@example.pl,,1975-11-30,P-2\n\
Duplicate,Of Maria,MARIA@example.bg,,,P-3\n\
Broken,Email,not-an-email,,,P-4\n\
Ambiguous,Date,amb@example.com,,03/04/1984,P-5\n";

async fn modes_duplicates_and_upserts(engine: Engine) {
    let Some((app, _db)) = app(engine).await else { return };
    // A dry run writes nothing and previews what it would.
    let dry =
        import(&app, ImportKind::People, "people.csv", PEOPLE.as_bytes(), Options { dry_run: true, ..valid_rows() })
            .await;
    assert_eq!(dry.import.state, "checked");
    let s = summary(&dry);
    assert_eq!((s["rows"].as_u64(), s["created"].as_u64(), s["rejected"].as_u64()), (Some(5), Some(2), Some(3)));
    assert_eq!(s["preview"][0]["record"]["family_name"], "Петрова");
    assert!(people_named(&app, "").await.is_empty(), "a dry run writes nothing");

    // All or nothing: three bad rows, so nothing is written, and each is reported.
    let all = import(&app, ImportKind::People, "people.csv", PEOPLE.as_bytes(), Options::default()).await;
    assert_eq!(all.import.state, "failed");
    assert!(all.import.error.as_deref().unwrap().contains("nothing was imported"));
    assert!(people_named(&app, "").await.is_empty());
    let mut refused = rejects(&app, &all).await;
    refused.sort();
    assert_eq!(
        refused,
        [
            (4, "E-mail".to_string(), "duplicate".to_string()),
            (5, "E-mail".to_string(), "invalid_email".to_string()),
            (6, "Birth date".to_string(), "ambiguous_date".to_string()),
        ]
    );

    // Valid rows only: the two good rows go in; the report keeps the others.
    let valid = import(&app, ImportKind::People, "people.csv", PEOPLE.as_bytes(), valid_rows()).await;
    assert_eq!(valid.import.state, "done");
    assert_eq!(summary(&valid)["created"], 2);
    let maria = people_named(&app, "maria@example.bg").await;
    assert_eq!(maria.len(), 1);
    assert_eq!((maria[0]["birth_date"].as_str(), maria[0]["external_id"].as_str()), (Some("1984-03-09"), Some("P-1")));
    let history =
        people::history(&app, &Actor::system(), maria[0]["id"].as_str().unwrap().parse().unwrap()).await.unwrap();
    assert_eq!(history[0].action, "create");

    // The same file again updates by external id: no duplicates, nothing changed.
    let again = import(&app, ImportKind::People, "people.csv", PEOPLE.as_bytes(), valid_rows()).await;
    let s = summary(&again);
    assert_eq!((s["created"].as_u64(), s["unchanged"].as_u64()), (Some(0), Some(2)));
    assert_eq!(people_named(&app, "").await.len(), 2);

    // A changed row updates its record; a new email of someone else's is a duplicate.
    let changed = "External ID,Last name,Position\nP-2,Kowalski-Nowak,\n";
    let update = import(&app, ImportKind::People, "update.csv", changed.as_bytes(), valid_rows()).await;
    assert_eq!(summary(&update)["updated"], 1);
    let jan = people_named(&app, "Kowalski-Nowak").await;
    assert_eq!(jan[0]["given_name"], "Jan", "what the row does not name stays");
    let dup = "Name,E-mail\nSomeone Else,jan@example.pl\n";
    let refused = import(&app, ImportKind::People, "dup.csv", dup.as_bytes(), valid_rows()).await;
    let reports = imports::rejects(&app, &Actor::system(), refused.import.id, 0, 10).await.unwrap();
    assert_eq!(reports[0].existing_id.map(|id| id.to_string()), jan[0]["id"].as_str().map(str::to_string));

    // Undo the update: the record is as it was. The first import cannot be undone now:
    // Jan was changed after it (by the update and its undo), and an undo never discards
    // later work.
    assert_eq!(undo(&app, &update).await.import.state, "undone");
    assert_eq!(people_named(&app, "Kowalski").await[0]["family_name"], "Kowalski");
    let refused = undo(&app, &valid).await;
    assert_eq!(refused.import.state, "done");
    assert_eq!(refused.import.error.as_deref(), Some("Jan Kowalski was changed after the import; nothing was undone"));
    assert_eq!(people_named(&app, "").await.len(), 2);
    // An import no one touched since goes back whole.
    let file = "Name,E-mail\nNew Person,new@example.com\nOther Person,other@example.com\n";
    let fresh = import(&app, ImportKind::People, "fresh.csv", file.as_bytes(), Options::default()).await;
    assert_eq!(undo(&app, &fresh).await.import.state, "undone");
    assert_eq!(people_named(&app, "").await.len(), 2);
    app.db.close().await;
}

/// Queues the undo and runs the queue; the import as it is afterwards.
pub async fn undo(app: &App, view: &ImportView) -> ImportView {
    let queued = imports::undo(app, &Actor::system(), view.import.id).await.expect("the undo is queued");
    assert_eq!(queued.import.state, "undoing");
    Runner::new(app.clone(), Arc::from(rapport_app::jobs::kinds())).run_due().await.unwrap();
    imports::get(app, &Actor::system(), view.import.id).await.unwrap()
}

#[tokio::test]
async fn imports_check_write_update_and_undo_on_sqlite() {
    modes_duplicates_and_upserts(Engine::Sqlite).await;
}

#[tokio::test]
async fn imports_check_write_update_and_undo_on_postgres() {
    modes_duplicates_and_upserts(Engine::Postgres).await;
}

async fn undo_refused_after_a_change(engine: Engine) {
    let Some((app, _db)) = app(engine).await else { return };
    let file = "Company,E-mail\nAcme Ltd,office@acme.example\nBeta Ltd,office@beta.example\n";
    let done = import(&app, ImportKind::Companies, "companies.csv", file.as_bytes(), Options::default()).await;
    assert_eq!(summary(&done)["created"], 2);
    let listed = companies::list(&app, &Actor::system(), vec![("q".into(), "Beta".into())]).await.unwrap();
    companies::update(&app, &Actor::system(), listed.items[0].id, json!({"area": "Sofia"}), None).await.unwrap();
    imports::undo(&app, &Actor::system(), done.import.id).await.unwrap();
    Runner::new(app.clone(), Arc::from(rapport_app::jobs::kinds())).run_due().await.unwrap();
    let after = imports::get(&app, &Actor::system(), done.import.id).await.unwrap();
    assert_eq!(after.import.state, "done");
    assert!(
        after.import.error.unwrap().contains("Beta Ltd (C-000002) was changed after the import; nothing was undone")
    );
    assert_eq!(company_count(&app).await, 2);
    app.db.close().await;
}

#[tokio::test]
async fn an_undo_after_a_later_change_is_refused_on_sqlite() {
    undo_refused_after_a_change(Engine::Sqlite).await;
}

#[tokio::test]
async fn an_undo_after_a_later_change_is_refused_on_postgres() {
    undo_refused_after_a_change(Engine::Postgres).await;
}
