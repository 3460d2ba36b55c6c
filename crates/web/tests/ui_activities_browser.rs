//! The cards' timeline in a real browser (headless Chromium): a call logged from a
//! company card in two clicks (open the short form, save it) shows on the timeline at
//! once, named after its kind; its page takes a reply, which starts a thread; the card at
//! desktop and phone width, with screenshots under `target/screenshots/`.
//!
//! Without Chromium and chromedriver the test is skipped with a notice, except under
//! `CI=true`, where it fails.

mod browser_support;
mod ui_support;

use browser_support::{browser, find, fits_width, screenshot, sign_in_as_admin, start_driver, tools};
use rapport_app::{Actor, companies};
use serde_json::json;
use ui_support::UiServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_is_logged_from_a_company_card_in_two_clicks_in_chromium() {
    let Some((chromium, chromedriver)) = tools() else { return };
    let s = UiServer::with_admin(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let system = Actor::system();
    let company = companies::create(&s.app, &system, json!({"name": "Łódź Textiles"})).await.unwrap();
    let earlier = json!({"kind": "meeting", "subject": "Квартален преглед", "occurred_at": "2026-03-23T09:00:00Z",
                         "company_id": company.id, "body": "Agreed on **prices**:\n\n- 5% off\n- samples by Friday"});
    rapport_app::activities::create(&s.app, &system, earlier).await.unwrap();
    let driver = start_driver(&chromedriver).await;
    let c = browser(&driver, &chromium).await;
    let base = &s.base;
    sign_in_as_admin(&c, base).await;
    find(&c, "main").await;

    c.goto(&format!("{base}/companies/{}", company.id)).await.unwrap();
    find(&c, "#log-activity summary").await.click().await.unwrap();
    find(&c, "#log-save").await.click().await.unwrap();
    let newest = find(&c, "#panel-timeline ol.timeline li:first-child").await.text().await.unwrap();
    assert!(newest.starts_with("Call"), "the new call first, named after its kind: {newest}");
    let timeline = find(&c, "#panel-timeline").await.text().await.unwrap();
    assert!(timeline.contains("Квартален преглед") && timeline.contains("5% off"), "{timeline}");
    screenshot(&c, "timeline-card-desktop", 1280).await;
    c.set_window_size(390, 900).await.unwrap();
    assert!(fits_width(&c).await, "the card with its timeline fits a phone's width");
    screenshot(&c, "timeline-card-phone", 390).await;
    c.set_window_size(1280, 900).await.unwrap();

    // A reply from the call's page starts a thread with it.
    find(&c, "#panel-timeline ol.timeline li:first-child .activity-head a").await.click().await.unwrap();
    find(&c, "#reply-body").await.send_keys("They will call back on Monday.").await.unwrap();
    find(&c, "#panel-reply button").await.click().await.unwrap();
    find(&c, "#thread-link").await.click().await.unwrap();
    let thread = find(&c, "ol.timeline").await.text().await.unwrap();
    assert!(thread.contains("They will call back on Monday."), "{thread}");
    assert_eq!(
        c.find_all(fantoccini::Locator::Css("ol.timeline li.depth-1")).await.unwrap().len(),
        1,
        "the reply sits under the call"
    );
    screenshot(&c, "thread-phone", 390).await;
    c.close().await.unwrap();
}
