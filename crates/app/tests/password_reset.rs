//! An administrator resets another user's password: the old one and the sessions opened
//! with it stop working, the new one works, and nobody resets their own this way.

use rapport_app::users::{self, UserDraft};
use rapport_app::{Actor, App, AppError, DbOptions, Settings, history, sessions};
use rapport_testkit::{Engine, TestDatabase};

const OLD: &str = "an old password, long enough";

async fn user(app: &App, login: &str, role: &str) -> rapport_store::users::User {
    let draft = UserDraft {
        login: Some(login.into()),
        name: Some(login.into()),
        password: Some(OLD.into()),
        role: Some(role.into()),
        ..Default::default()
    };
    users::create(app, &Actor::system(), draft).await.expect("the user is created").user.user
}

async fn a_reset_replaces_the_password_and_ends_the_sessions(engine: Engine) {
    let Some(database) = TestDatabase::new(engine).await else { return };
    let app = App::open(&database.url, &DbOptions::default(), Settings::default()).await.expect("the database opens");
    let admin = user(&app, "admin", "admin").await;
    let sam = user(&app, "sam", "sales").await;
    let admin_actor = Actor::load(&app, &admin).await.unwrap();
    let sam_actor = Actor::load(&app, &sam).await.unwrap();
    let open = sessions::sign_in(&app, "sam", OLD, "test").await.expect("sam signs in");

    let (view, password) = users::reset_password(&app, &admin_actor, sam.id).await.expect("the reset works");
    assert_eq!(view.user.id, sam.id);
    assert!(password.len() >= 10, "a strong password is made");
    assert!(sessions::sign_in(&app, "sam", OLD, "test").await.is_err(), "the old password no longer works");
    sessions::sign_in(&app, "sam", &password, "test").await.expect("the new one does");
    assert!(
        matches!(sessions::resume(&app, &open.token).await, Err(AppError::Unauthenticated)),
        "the session opened with the old password is over"
    );
    let entries = history::of_admin_record(&app, &admin_actor, sam.id).await.unwrap();
    assert!(
        entries.iter().flat_map(|e| &e.changes).any(|c| c.field == "password"),
        "the change is in the history: {entries:?}"
    );

    assert!(matches!(users::reset_password(&app, &admin_actor, admin.id).await, Err(AppError::Forbidden(_))));
    assert!(matches!(users::reset_password(&app, &sam_actor, admin.id).await, Err(AppError::Forbidden(_))));
    sessions::sign_in(&app, "admin", OLD, "test").await.expect("the refused resets changed nothing");
}

#[tokio::test]
async fn a_reset_replaces_the_password_and_ends_the_sessions_on_sqlite() {
    a_reset_replaces_the_password_and_ends_the_sessions(Engine::Sqlite).await;
}

#[tokio::test]
async fn a_reset_replaces_the_password_and_ends_the_sessions_on_postgres() {
    a_reset_replaces_the_password_and_ends_the_sessions(Engine::Postgres).await;
}
