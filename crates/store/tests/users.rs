//! Users in storage, on both engines: sign-in lookups, tokens (live, revoked, expired,
//! disabled users), edits, and the sign-in failure counters.

#[macro_use]
mod support;

use rapport_store::{Db, StoreError, users};
use support::{add_user, now};
use time::Duration;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------
// Users, tokens, sign-in failures
// ---------------------------------------------------------------------------------------

db_test!(users_sign_in_and_tokens, |db: Db| async move {
    let at = now();
    let id = Uuid::now_v7();
    let mut tx = db.begin().await.unwrap();
    users::insert(
        &mut tx,
        users::NewUser {
            id,
            login: "zofia",
            name: "Zofia Łęcka",
            email: Some("zofia@example.com"),
            password_hash: "$argon2id$v=19$abc",
            role: "admin",
            team_id: None,
            clearance: 0,
        },
        at,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let (user, hash) = users::find_for_sign_in(&mut db.clone(), "zofia").await.unwrap().expect("zofia can sign in");
    assert_eq!(hash, "$argon2id$v=19$abc");
    assert_eq!(user.id, id);
    assert_eq!(user.login, "zofia");
    assert_eq!(user.name, "Zofia Łęcka");
    assert_eq!(user.email.as_deref(), Some("zofia@example.com"));
    assert_eq!(user.role, "admin");
    assert_eq!(user.version, 1);
    assert_eq!(user.created_at, at);
    assert_eq!(user.disabled_at, None);
    assert!(users::find_for_sign_in(&mut db.clone(), "nobody").await.unwrap().is_none());
    assert_eq!(users::count(&mut db.clone()).await.unwrap(), 1);

    // A login is taken once.
    let mut tx = db.begin().await.unwrap();
    let error = users::insert(
        &mut tx,
        users::NewUser {
            id: Uuid::now_v7(),
            login: "zofia",
            name: "Other",
            email: None,
            password_hash: "x",
            role: "sales",
            team_id: None,
            clearance: 0,
        },
        at,
    )
    .await
    .unwrap_err();
    assert!(matches!(error, StoreError::Unique(_)), "expected a unique violation, got {error:?}");
    drop(tx);

    // A live token finds its user; a revoked or expired one does not.
    let mut tx = db.begin().await.unwrap();
    let live = users::insert_token(&mut tx, id, "hash-live", at + Duration::days(30), at).await.unwrap();
    let revoked = users::insert_token(&mut tx, id, "hash-revoked", at + Duration::days(30), at).await.unwrap();
    users::insert_token(&mut tx, id, "hash-expired", at - Duration::seconds(1), at - Duration::days(30)).await.unwrap();
    tx.commit().await.unwrap();

    let (token, owner) = users::find_token(&mut db.clone(), "hash-live", now()).await.unwrap().expect("live token");
    assert_eq!(token, live);
    assert_eq!(owner.id, id);
    assert_eq!(owner.login, "zofia");
    let (token, _) = users::find_token(&mut db.clone(), "hash-revoked", now()).await.unwrap().expect("not yet revoked");
    assert_eq!(token, revoked);

    let mut tx = db.begin().await.unwrap();
    users::revoke_token(&mut tx, revoked, now()).await.unwrap();
    tx.commit().await.unwrap();
    assert!(users::find_token(&mut db.clone(), "hash-revoked", now()).await.unwrap().is_none(), "revoked token found");
    assert!(users::find_token(&mut db.clone(), "hash-expired", now()).await.unwrap().is_none(), "expired token found");
    assert!(users::find_token(&mut db.clone(), "hash-unknown", now()).await.unwrap().is_none());
    // The live token expires in time, too.
    assert!(users::find_token(&mut db.clone(), "hash-live", at + Duration::days(31)).await.unwrap().is_none());
    assert!(users::find_token(&mut db.clone(), "hash-live", now()).await.unwrap().is_some());

    // A disabled user's tokens stop working.
    let mut user = users::get(&mut db.clone(), id).await.unwrap().expect("user");
    user.disabled_at = Some(now());
    let mut tx = db.begin().await.unwrap();
    assert!(users::update(&mut tx, &user, None, now()).await.unwrap());
    tx.commit().await.unwrap();
    assert!(users::find_token(&mut db.clone(), "hash-live", now()).await.unwrap().is_none(), "disabled user's token");
});

// Saving a user who is not disabled writes a NULL `disabled_at`.
db_test!(user_edits_are_saved_and_a_user_can_be_enabled_again, |db: Db| async move {
    let id = add_user(&db, "piotr", "Piotr").await;
    let mut tx = db.begin().await.unwrap();
    users::insert_token(&mut tx, id, "hash-piotr", now() + Duration::days(1), now()).await.unwrap();
    tx.commit().await.unwrap();

    // A plain rename and a new password.
    let mut user = users::get(&mut db.clone(), id).await.unwrap().expect("user");
    user.name = "Piotr Wiśniewski".into();
    user.email = None;
    let mut tx = db.begin().await.unwrap();
    assert!(users::update(&mut tx, &user, Some("$argon2id$new"), now()).await.expect("rename a user"));
    tx.commit().await.unwrap();
    let (saved, hash) = users::find_for_sign_in(&mut db.clone(), "piotr").await.unwrap().expect("user");
    assert_eq!((saved.name.as_str(), saved.email.as_deref(), saved.version), ("Piotr Wiśniewski", None, 2));
    assert_eq!(hash, "$argon2id$new");

    // A stale copy is refused.
    let mut tx = db.begin().await.unwrap();
    assert!(!users::update(&mut tx, &user, None, now()).await.unwrap());
    drop(tx);

    // Disabled, then enabled again: the token works again.
    let mut user = saved;
    user.disabled_at = Some(now());
    let mut tx = db.begin().await.unwrap();
    assert!(users::update(&mut tx, &user, None, now()).await.unwrap());
    tx.commit().await.unwrap();
    assert!(users::find_token(&mut db.clone(), "hash-piotr", now()).await.unwrap().is_none());
    user.version += 1;
    user.disabled_at = None;
    let restarted = support::fresh_handle(&db).await;
    let mut tx = restarted.begin().await.unwrap();
    assert!(users::update(&mut tx, &user, None, now()).await.expect("enable a user again"));
    tx.commit().await.unwrap();
    assert!(users::find_token(&mut db.clone(), "hash-piotr", now()).await.unwrap().is_some());
});

db_test!(sign_in_failures_count_up_and_clear, |db: Db| async move {
    let window = Duration::minutes(15);
    let t = now();
    let mut tx = db.begin().await.unwrap();
    assert_eq!(users::failures(&mut tx, "zofia", t, window).await.unwrap(), 0);
    assert_eq!(users::record_failure(&mut tx, "zofia", t, window).await.unwrap(), 1);
    assert_eq!(users::record_failure(&mut tx, "zofia", t + Duration::seconds(1), window).await.unwrap(), 2);
    assert_eq!(users::record_failure(&mut tx, "zofia", t + Duration::seconds(2), window).await.unwrap(), 3);
    assert_eq!(users::record_failure(&mut tx, "10.0.0.1", t, window).await.unwrap(), 1, "keys count apart");
    tx.commit().await.unwrap();
    assert_eq!(users::failures(&mut db.clone(), "zofia", t + Duration::seconds(3), window).await.unwrap(), 3);

    // A successful sign-in clears the count.
    let mut tx = db.begin().await.unwrap();
    users::clear_failures(&mut tx, "zofia").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(users::failures(&mut db.clone(), "zofia", t + Duration::seconds(4), window).await.unwrap(), 0);
    assert_eq!(users::failures(&mut db.clone(), "10.0.0.1", t, window).await.unwrap(), 1);
    let mut tx = db.begin().await.unwrap();
    assert_eq!(users::record_failure(&mut tx, "zofia", t + Duration::seconds(5), window).await.unwrap(), 1);
    assert_eq!(users::record_failure(&mut tx, "zofia", t + Duration::seconds(6), window).await.unwrap(), 2);

    // Once the window is over, counting starts again.
    let later = t + Duration::hours(1);
    assert_eq!(users::failures(&mut tx, "zofia", later, window).await.unwrap(), 0);
    assert_eq!(users::record_failure(&mut tx, "zofia", later, window).await.unwrap(), 1);
    assert_eq!(users::record_failure(&mut tx, "zofia", later + Duration::seconds(1), window).await.unwrap(), 2);
    tx.commit().await.unwrap();
});
