//! First run, signing in and out, CSRF, sessions and the page headers, as a browser
//! meets them, on SQLite and PostgreSQL.

mod ui_support;

use reqwest::StatusCode;
use ui_support::{PASSWORD, SETUP_TOKEN, UiServer};

ui_both_engines!(first_run_creates_the_administrator_once_then_sign_in_and_out_work, start, |s: UiServer| async move {
    let mut browser = s.browser();
    let login = browser.get("/login").await;
    assert!(login.body.contains("Rapport has no users yet"), "the sign-in page says how to set up: {}", login.body);

    let wrong_link = browser.get("/setup?token=guess").await;
    assert_eq!(wrong_link.status, StatusCode::FORBIDDEN, "set-up needs the printed link");
    let form = browser.get(&format!("/setup?token={SETUP_TOKEN}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains(r#"name="password_confirm""#));

    let short = browser
        .post(
            "/setup",
            &[
                ("token", SETUP_TOKEN),
                ("login", "boss"),
                ("name", "Bea Boss"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("A password needs at least 10 characters."), "{}", short.body);
    assert_eq!(short.input_value("name").as_deref(), Some("Bea Boss"), "the name typed is kept");
    assert!(!rapport_app::users::any(&s.app).await.unwrap(), "nothing was created");

    let done = browser
        .post(
            "/setup",
            &[
                ("token", SETUP_TOKEN),
                ("login", "boss"),
                ("name", "Bea Boss"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/", "the first page is \"my day\"");
    let cookie = done.header("set-cookie");
    assert!(
        cookie.contains("rapport_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let companies = browser.get("/companies").await;
    assert_eq!(companies.status, StatusCode::OK);
    assert!(
        companies.body.contains("Bea Boss") && companies.body.contains(r#"href="/admin/users""#),
        "signed in as an administrator"
    );

    let again = s.browser().get(&format!("/setup?token={SETUP_TOKEN}")).await;
    assert_eq!((again.status, again.location()), (StatusCode::SEE_OTHER, "/login".into()), "set-up happens once");

    let out = browser.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = browser.get("/companies").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "signed out means signed out");
    assert_eq!(after.location(), "/login?next=%2Fcompanies");

    let mut other = s.browser();
    other.get("/login").await;
    let wrong = other.post("/login", &[("login", "boss"), ("password", "not the password")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("The login or the password is wrong."));
    assert_eq!(wrong.input_value("login").as_deref(), Some("boss"));
    let right = other.post("/login", &[("login", "boss"), ("password", PASSWORD), ("next", "/people")]).await;
    assert_eq!(
        (right.status, right.location()),
        (StatusCode::SEE_OTHER, "/people".into()),
        "back to where they wanted"
    );
});

ui_both_engines!(forms_without_the_csrf_token_are_refused, with_admin, |s: UiServer| async move {
    let mut browser = s.signed_in("admin").await;
    browser.get("/companies/new").await;
    let missing = browser.post_raw("/companies/new", &[("name", "Forged Ltd")]).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.body.contains("This form has expired"), "{}", missing.body);
    let wrong = browser.post_raw("/companies/new", &[("_csrf", "not-the-token"), ("name", "Forged Ltd")]).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let list = browser.get("/companies").await;
    assert!(!list.body.contains("Forged Ltd"), "nothing was created");

    // Before signing in, the token lives in its own cookie; a form without it is refused too.
    let mut stranger = s.browser();
    let refused = stranger.post_raw("/login", &[("login", "admin"), ("password", PASSWORD)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.header("set-cookie").contains("rapport_session"), "no session from a forged form");
});

ui_both_engines!(
    changing_the_password_needs_the_current_one_and_ends_other_sessions,
    with_admin,
    |s: UiServer| async move {
        let mut laptop = s.signed_in("admin").await;
        let mut phone = s.signed_in("admin").await;
        laptop.get("/account/password").await;
        let new = "a much longer new password";
        let wrong = laptop
            .post("/account/password", &[("current_password", "nope"), ("password", new), ("password_confirm", new)])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("This is not your current password."), "{}", wrong.body);
        let done = laptop
            .post("/account/password", &[("current_password", PASSWORD), ("password", new), ("password_confirm", new)])
            .await;
        assert_eq!(done.status, StatusCode::OK);
        assert!(done.body.contains("Your password is changed."));
        assert_eq!(laptop.get("/companies").await.status, StatusCode::OK, "this session goes on");
        assert_eq!(phone.get("/companies").await.status, StatusCode::SEE_OTHER, "the other one is signed out");
        let mut fresh = s.browser();
        fresh.get("/login").await;
        let signed = fresh.post("/login", &[("login", "admin"), ("password", new)]).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "the new password works");
    }
);

#[tokio::test]
async fn every_page_carries_a_strict_content_security_policy() {
    let s = UiServer::with_admin(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let mut browser = s.signed_in("admin").await;
    for path in ["/login", "/companies", "/companies/new", "/people", "/companies/not-an-id"] {
        let page = browser.get(path).await;
        let csp = page.header("content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(page.header("x-content-type-options"), "nosniff", "{path}");
        assert!(!page.body.contains("<script>") && !page.body.contains(" style="), "{path} has no inline code");
    }
    let missing = browser.get("/companies/not-an-id").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND, "a bad address is a 404 page, not a server error");
    assert!(missing.body.contains("There is nothing here"));

    let page = browser.get("/companies").await;
    let css = page.body.split("href=\"/assets/app.css").nth(1).and_then(|r| r.split('"').next()).expect("a stylesheet");
    let sheet = browser.get(&format!("/assets/app.css{css}")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert_eq!(sheet.header("content-type"), "text/css; charset=utf-8");
    assert!(sheet.header("cache-control").contains("immutable"), "versioned assets are cached for good");
    let script = browser.get("/assets/app.js").await;
    assert_eq!(script.header("content-type"), "text/javascript; charset=utf-8");
    assert_eq!(script.header("cache-control"), "no-cache", "an unversioned address is revalidated");
    assert_eq!(browser.get("/assets/nothing.css").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_language_follows_the_browser_and_then_the_users_choice() {
    let s = UiServer::with_admin(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let mut browser = s.browser();
    browser.accept_language = Some("bg-BG,bg;q=0.9,en;q=0.5".into());
    let login = browser.get("/login").await;
    assert!(login.body.contains(r#"<html lang="bg">"#) && login.body.contains("Вход"), "{}", login.body);
    browser.post("/login", &[("login", "admin"), ("password", PASSWORD)]).await;
    let list = browser.get("/companies").await;
    assert!(list.body.contains("Фирми") && list.body.contains("Няма фирми"), "Bulgarian list: {}", list.body);
    let switched = browser.post("/language", &[("lang", "zh"), ("back", "/companies")]).await;
    assert_eq!((switched.status, switched.location()), (StatusCode::SEE_OTHER, "/companies".into()));
    let list = browser.get("/companies").await;
    assert!(list.body.contains(r#"<html lang="zh">"#) && list.body.contains("公司"), "Chinese after the switch");
    let pages = ["/companies", "/companies/new", "/people", "/people/new", "/account/password", "/notifications"];
    let admin =
        ["/admin/users", "/admin/users/new", "/admin/custom-fields", "/admin/custom-fields/new", "/admin/categories"];
    for page in pages.iter().chain(&admin).chain(&["/account/cards/person"]) {
        let body = browser.get(page).await.body;
        for key in ["nav-", "field-", "filter-", "column-", "form-", "panel-", "error-"] {
            assert!(!body.contains(&format!(">{key}")), "{page} shows an untranslated key starting {key}");
        }
    }
    let mut laptop = s.signed_in("admin").await;
    laptop.accept_language = Some("en".into());
    let remembered = laptop.get("/companies").await;
    assert!(remembered.body.contains(r#"<html lang="zh">"#), "the choice is kept with the user, in any browser");
    let off_site = browser.post("/language", &[("lang", "pl"), ("back", "//evil.example/")]).await;
    assert_eq!(off_site.location(), "/companies", "the switch never sends anyone off the site");
}

ui_both_engines!(an_administrator_adds_a_colleague_who_can_then_sign_in, with_admin, |s: UiServer| async move {
    let mut admin = s.signed_in("admin").await;
    let form = admin.get("/admin/users/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let taken = admin.post("/admin/users/new", &[("login", "admin"), ("name", "Another"), ("role", "sales")]).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains(r#"id="e-login""#) && taken.body.contains("Another user has this login."));
    assert_eq!(taken.input_value("name").as_deref(), Some("Another"), "what was typed stays");
    let created = admin.post("/admin/users/new", &[("login", "sara"), ("name", "Sara Sales"), ("role", "sales")]).await;
    assert_eq!(created.status, StatusCode::OK);
    assert!(created.body.contains("The user sara is created."), "{}", created.body);
    let password =
        created.body.split("<code>").nth(1).and_then(|r| r.split("</code>").next()).expect("a generated password");
    let mut sara = s.browser();
    sara.get("/login").await;
    let signed = sara.post("/login", &[("login", "sara"), ("password", password)]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "the shown password works");
    assert_eq!(sara.get("/admin/users/new").await.status, StatusCode::FORBIDDEN, "only administrators add users");
    assert_eq!(sara.get("/admin/lists").await.status, StatusCode::FORBIDDEN);
    let lists = admin.get("/admin/categories").await;
    assert!(lists.body.contains("Relationship stage") && lists.body.contains("Mature"), "the built-in lists show");
});

ui_both_engines!(
    a_signed_in_page_may_call_the_api_with_its_cookie_and_csrf_token,
    with_admin,
    |s: UiServer| async move {
        use reqwest::Method;
        let mut anonymous = s.browser();
        let refused = anonymous.api(Method::GET, "/api/v1/users/me", None, None).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "no cookie, no token: {}", refused.body);

        let mut browser = s.signed_in("admin").await;
        let page = browser.get("/companies").await;
        let token = page.body.split(r#"<meta name="csrf-token" content=""#).nth(1).and_then(|t| t.split('"').next());
        let token = token.expect("the page offers its CSRF token to scripts").to_string();
        let me = browser.api(Method::GET, "/api/v1/users/me", None, None).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        assert!(me.body.contains(r#""login":"admin""#), "{}", me.body);

        let company = serde_json::json!({"name": "Cookie Ltd"});
        let forged = browser.api(Method::POST, "/api/v1/companies", Some(company.clone()), None).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "a change without the CSRF token is refused");
        assert!(forged.header("content-type").starts_with("application/problem+json"));
        let wrong = browser.api(Method::POST, "/api/v1/companies", Some(company.clone()), Some("guess")).await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        let listed = rapport_app::companies::list(&s.app, &rapport_app::Actor::system(), vec![]).await.unwrap();
        assert!(listed.items.is_empty(), "nothing was created by the refused calls");
        let created = browser.api(Method::POST, "/api/v1/companies", Some(company), Some(&token)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);

        let signed_out = browser.api(Method::DELETE, "/api/v1/auth/tokens/current", None, Some(&token)).await;
        assert_eq!(signed_out.status, StatusCode::NO_CONTENT);
        let after = browser.get("/companies").await;
        assert_eq!(after.status, StatusCode::SEE_OTHER, "revoking the cookie's credential signs the browser out");
    }
);
