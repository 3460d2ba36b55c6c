//! Notifications in a real browser: the bell's count in the header of every page, "my
//! day" with the unread ones, the notifications page (unread first, mark read, mark all
//! read, the link to the task), and the settings screen, with screenshots at desktop and
//! phone width. Skipped without Chromium outside CI, as `ui_browser.rs` is.

mod browser_support;
mod ui_support;

use browser_support::{body_text, browser, find, fits_width, screenshot, sign_in_as_admin, start_driver, tools};
use fantoccini::{Client, Locator};
use rapport_app::{Actor, tasks, users};
use serde_json::json;
use ui_support::UiServer;

async fn bell(c: &Client) -> String {
    match c.find(Locator::Css("#bell .bell-count")).await {
        Ok(count) => count.text().await.unwrap(),
        Err(_) => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_sees_the_bell_reads_notifications_and_chooses_how_to_hear_of_them_in_chromium() {
    let Some((chromium, chromedriver)) = tools() else { return };
    let s = UiServer::with_admin(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let admin = tasks::assignable(&s.app).await.unwrap()[0].0;
    let mira_id = s.user("mira", "Mira Marković", "sales", None).await;
    let mira = users::get(&s.app, &Actor::system(), mira_id).await.unwrap().user;
    let mira = Actor::load(&s.app, &mira).await.unwrap();
    for (title, description) in [
        ("Call Мария Петрова about the offer", ""),
        ("Prepare the review for Łódź Textiles", ""),
        ("回复上海泛普软件的邮件", "@admin could you answer this one?"),
    ] {
        let body = json!({"title": title, "assignee_id": admin, "description": description});
        tasks::create(&s.app, &mira, body).await.unwrap();
    }

    let driver = start_driver(&chromedriver).await;
    let c = browser(&driver, &chromium).await;
    let base = &s.base;
    sign_in_as_admin(&c, base).await;
    let mine = find(&c, "#my-notifications").await.text().await.unwrap();
    assert!(mine.contains("Mira Marković gave you the task Call Мария Петрова about the offer"), "{mine}");
    assert!(mine.contains("Mira Marković mentioned you in 回复上海泛普软件的邮件"), "{mine}");
    assert_eq!(bell(&c).await, "4", "three tasks given, one mention");

    c.goto(&format!("{base}/notifications")).await.unwrap();
    assert_eq!(c.find_all(Locator::Css("#unread li")).await.unwrap().len(), 4);
    screenshot(&c, "notifications-desktop", 1280).await;
    c.set_window_size(390, 900).await.unwrap();
    assert!(fits_width(&c).await, "the notifications page fits a phone's width");
    screenshot(&c, "notifications-phone", 390).await;
    c.set_window_size(1280, 900).await.unwrap();

    find(&c, "#unread li form button").await.click().await.unwrap();
    find(&c, "#earlier").await;
    assert_eq!(bell(&c).await, "3", "one read");
    find(&c, "#read-all").await.click().await.unwrap();
    find(&c, "#earlier").await;
    assert_eq!(bell(&c).await, "", "nothing unread: no count");
    assert!(c.find_all(Locator::Css("#unread")).await.unwrap().is_empty());
    assert_eq!(c.find_all(Locator::Css("#earlier li")).await.unwrap().len(), 4);
    find(&c, "#earlier li a").await.click().await.unwrap();
    find(&c, "h1").await;
    assert!(c.current_url().await.unwrap().path().starts_with("/tasks/"), "the link opens the task");

    // Tasks given to me: by email only from now on; the bell stays quiet.
    c.goto(&format!("{base}/account/notifications")).await.unwrap();
    find(&c, "#assignment_in_app").await.click().await.unwrap();
    find(&c, "form[action='/account/notifications'] button").await.click().await.unwrap();
    assert!(body_text(&c).await.contains("Your choices are saved."));
    assert!(!find(&c, "#assignment_in_app").await.is_selected().await.unwrap());
    assert!(find(&c, "#mention_in_app").await.is_selected().await.unwrap());
    c.set_window_size(390, 900).await.unwrap();
    assert!(fits_width(&c).await, "the settings fit a phone's width");
    screenshot(&c, "notification-settings-phone", 390).await;
    tasks::create(&s.app, &mira, json!({"title": "Send the samples", "assignee_id": admin})).await.unwrap();
    c.goto(&format!("{base}/tasks")).await.unwrap();
    find(&c, "#bell").await;
    assert_eq!(bell(&c).await, "", "assignments no longer reach the bell");
    c.close().await.unwrap();
}
