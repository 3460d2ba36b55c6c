//! The pages in a real browser: Debian's headless Chromium driven through chromedriver.
//! First run, sign-in (landing on "my day"), a company made through the form with a field error on the way,
//! an edit that shows in the history, two browsers saving the same company, languages,
//! and screenshots of the list and the card at desktop and phone width (saved under
//! `target/screenshots/` for people to look at). The administration screens at phone
//! width, used from the keyboard. The header's search box with its dropdown, used from
//! the keyboard, with screenshots of the open dropdown. A likely duplicate shown beside
//! the create form, and merged through the merge screen.
//!
//! Chromium and chromedriver are found on the PATH (or through `RAPPORT_CHROMIUM` and
//! `RAPPORT_CHROMEDRIVER`). Without them the test is skipped with a notice, except under
//! `CI=true`, where it fails: CI installs them (`.ci/run`).

mod browser_support;
mod ui_support;

use std::time::Duration;

use browser_support::{body_text, browser, fill, find, fits_width, screenshot, sign_in_as_admin, start_driver, tools};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, Locator};
use rapport_app::{Actor, categories, companies, people};
use serde_json::json;
use ui_support::{PASSWORD, SETUP_TOKEN, UiServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_sets_up_signs_in_and_works_with_a_company_in_chromium() {
    let Some((chromium, chromedriver)) = tools() else { return };
    let s = UiServer::start(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let driver = start_driver(&chromedriver).await;
    let c = browser(&driver, &chromium).await;
    let base = &s.base;

    // First run: the set-up link creates the administrator and signs them in.
    c.goto(&format!("{base}/setup?token={SETUP_TOKEN}")).await.unwrap();
    fill(&c, "login", "ada").await;
    fill(&c, "name", "Ada Admin").await;
    fill(&c, "password", PASSWORD).await;
    fill(&c, "password_confirm", PASSWORD).await;
    find(&c, "form[action='/setup'] button[type=submit]").await.click().await.unwrap();
    find(&c, "#today").await;
    c.goto(&format!("{base}/companies")).await.unwrap();
    find(&c, "a.button.primary[href='/companies/new']").await;
    assert!(body_text(&c).await.contains("There are no companies yet."));
    let language_button = find(&c, "form.lang button").await;
    assert!(!language_button.is_displayed().await.unwrap(), "the script ran under the CSP and hid the button");

    // Sign out through the user menu; a wrong password is told; the right one signs in.
    find(&c, "details.menu summary").await.click().await.unwrap();
    find(&c, "form[action='/logout'] button").await.click().await.unwrap();
    find(&c, "input[name=password]").await;
    assert!(body_text(&c).await.contains("You have signed out."));
    fill(&c, "login", "ada").await;
    fill(&c, "password", "not my password").await;
    find(&c, "form[action='/login'] button").await.click().await.unwrap();
    assert!(find(&c, "#login-problem").await.text().await.unwrap().contains("The login or the password is wrong."));
    fill(&c, "password", PASSWORD).await;
    find(&c, "form[action='/login'] button").await.click().await.unwrap();
    find(&c, "#today").await;
    c.goto(&format!("{base}/companies")).await.unwrap();
    find(&c, "a.button.primary[href='/companies/new']").await.click().await.unwrap();

    // An invalid email: the message stands next to the field and nothing is saved.
    let name = "<b>Łódź</b> Textiles & Co";
    fill(&c, "name", name).await;
    fill(&c, "contact_methods[0].value", "office@@lodz").await;
    fill(&c, "addresses[0].city", "Łódź").await;
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    let message = find(&c, "[id='e-contact_methods[0].value']").await.text().await.unwrap();
    assert_eq!(message, "Not a valid email address.");
    let kept = find(&c, "[name=name]").await.prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(name), "the name typed is still there");
    assert!(companies::list(&s.app, &Actor::system(), vec![]).await.unwrap().items.is_empty(), "nothing saved");
    screenshot(&c, "form-error-desktop", 1280).await;
    screenshot(&c, "form-error-phone", 375).await;
    fill(&c, "contact_methods[0].value", "office@lodz-textiles.example").await;
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    let heading = find(&c, ".card-head h1").await.text().await.unwrap();
    assert_eq!(heading, name, "the name with HTML in it is shown as text");
    let card_url = c.current_url().await.unwrap().to_string();

    // Edit: the history panel shows the change.
    find(&c, ".card-head a.button.primary").await.click().await.unwrap();
    fill(&c, "area", "Pabianice").await;
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    let history = find(&c, "#panel-history").await.text().await.unwrap();
    assert!(history.contains("Area: Pabianice"), "{history}");

    // Two browsers edit the same company: the second save is told of the first.
    let other = browser(&driver, &chromium).await;
    other.goto(&format!("{base}/login")).await.unwrap();
    fill(&other, "login", "ada").await;
    fill(&other, "password", PASSWORD).await;
    find(&other, "form[action='/login'] button").await.click().await.unwrap();
    find(&other, "#today").await;
    other.goto(&format!("{card_url}/edit")).await.unwrap();
    c.goto(&format!("{card_url}/edit")).await.unwrap();
    fill(&c, "area", "Zgierz").await;
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    find(&c, "#panel-history").await;
    fill(&other, "industry", "Textiles").await;
    find(&other, "form.stack button.primary").await.click().await.unwrap();
    let conflict = find(&other, "#conflict").await.text().await.unwrap();
    assert!(conflict.contains("Someone else saved this record"), "{conflict}");
    other.close().await.unwrap();

    // Screenshots of the list and the card, at desktop and phone width.
    for n in 1..=12 {
        let body = json!({"name": format!("Customer {n:02}"), "area": "Sofia", "level": "B", "stage": "growing"});
        companies::create(&s.app, &Actor::system(), body).await.unwrap();
    }
    c.goto(&format!("{base}/companies")).await.unwrap();
    find(&c, "table").await;
    screenshot(&c, "list-desktop", 1280).await;
    screenshot(&c, "list-phone", 375).await;
    c.goto(&card_url).await.unwrap();
    find(&c, "#panel-history").await;
    screenshot(&c, "card-desktop", 1280).await;
    screenshot(&c, "card-phone", 375).await;

    // A contact person added from the card shows on it.
    find(&c, "a[href^='/people/new?company_id=']").await.click().await.unwrap();
    fill(&c, "given_name", "Мария").await;
    fill(&c, "family_name", "Петрова").await;
    fill(&c, "employments[0].position", "Purchasing manager").await;
    fill(&c, "contact_methods[0].value", "maria@lodz-textiles.example").await;
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    let jobs = find(&c, "#panel-employments").await.text().await.unwrap();
    assert!(jobs.contains(name) && jobs.contains("Purchasing manager"), "{jobs}");
    screenshot(&c, "person-card-desktop", 1280).await;
    c.goto(&card_url).await.unwrap();
    assert!(find(&c, "#panel-people").await.text().await.unwrap().contains("Мария Петрова"));

    // Arrange the card: addresses first, attributes hidden; after a reload the order stays.
    find(&c, "a[href^='/account/cards/company']").await.click().await.unwrap();
    // Each move reloads the page; wait for the new order before the next click.
    find(&c, "ol.arrange li:nth-child(3) input[value=addresses]").await;
    for place in [2, 1] {
        find(&c, "button[value='up:addresses']").await.click().await.unwrap();
        find(&c, &format!("ol.arrange li:nth-child({place}) input[value=addresses]")).await;
    }
    find(&c, "#show-attributes").await.click().await.unwrap();
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    find(&c, ".card-head").await;
    c.refresh().await.unwrap();
    let first = find(&c, ".panels > section").await.attr("id").await.unwrap();
    assert_eq!(first.as_deref(), Some("panel-addresses"), "the arranged order stays after a reload");
    let hidden = c.find_all(Locator::Css("#panel-attributes")).await.unwrap();
    assert!(hidden.is_empty(), "a hidden panel stays hidden");

    // Languages: the switch changes the labels, and no raw catalogue key shows.
    find(&c, "#lang-select").await.select_by_value("bg").await.unwrap();
    find(&c, "html[lang=bg]").await;
    let text = body_text(&c).await;
    assert!(text.contains("История") && text.contains("Фирми"), "{text}");
    c.goto(&format!("{base}/companies/new")).await.unwrap();
    find(&c, "#lang-select").await.select_by_value("zh").await.unwrap();
    find(&c, "html[lang=zh]").await;
    let text = body_text(&c).await;
    assert!(text.contains("新建公司") && text.contains("联系方式"), "{text}");
    for key in ["nav-", "field-", "form-", "panel-", "filter-", "column-"] {
        assert!(!text.contains(key), "an untranslated key {key}… shows: {text}");
    }
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_edits_the_stages_from_the_keyboard_on_a_phone_in_chromium() {
    let Some((chromium, chromedriver)) = tools() else { return };
    let s = UiServer::with_admin(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let driver = start_driver(&chromedriver).await;
    let c = browser(&driver, &chromium).await;
    let base = &s.base;
    sign_in_as_admin(&c, base).await;
    find(&c, "#today").await;
    c.set_window_size(375, 900).await.unwrap();

    c.goto(&format!("{base}/admin/categories")).await.unwrap();
    find(&c, "nav.tabs a[aria-current=page][href='/admin/categories']").await;
    assert!(fits_width(&c).await, "the categories fit a phone's width");
    screenshot(&c, "admin-categories-phone", 375).await;
    c.set_window_size(375, 900).await.unwrap();

    // A new stage, typed and sent with the Enter key.
    let stage = categories::list(&s.app).await.unwrap().into_iter().find(|k| k.key == "stage").unwrap();
    c.goto(&format!("{base}/admin/categories/{}", stage.id)).await.unwrap();
    assert!(fits_width(&c).await, "the stage list fits a phone's width");
    fill(&c, "value_name", "Prospect").await;
    let key = find(&c, "[name=value_key]").await;
    key.send_keys("prospect\u{E007}").await.unwrap();
    let notice = find(&c, "#notice").await.text().await.unwrap();
    assert_eq!(notice, "The value is added.");
    let names = c.find_all(Locator::Css(".value-list input[type=text]")).await.unwrap();
    let mut shown = Vec::new();
    for input in names {
        shown.push(input.prop("value").await.unwrap().unwrap_or_default());
    }
    assert!(shown.contains(&"Prospect".to_string()), "{shown:?}");
    c.execute("document.querySelector('.value-list').scrollIntoView();", vec![]).await.unwrap();
    screenshot(&c, "admin-stage-values-phone", 375).await;
    c.set_window_size(375, 900).await.unwrap();

    for path in ["/admin/users", "/admin/custom-fields", "/admin/custom-fields/new"] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        find(&c, "nav.tabs").await;
        assert!(fits_width(&c).await, "{path} fits a phone's width");
    }
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    find(&c, "#e-label").await;
    c.execute("document.querySelector('#e-label').scrollIntoView();", vec![]).await.unwrap();
    screenshot(&c, "admin-field-error-phone", 375).await;
    c.close().await.unwrap();
}

/// Presses one key where the focus is, as a person at the keyboard would.
async fn press(client: &Client, key: char) {
    let keys =
        KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    client.perform_actions(keys).await.unwrap();
}

const ARROW_DOWN: char = '\u{E015}';
const ARROW_UP: char = '\u{E013}';
const ENTER: char = '\u{E007}';
const ESCAPE: char = '\u{E00C}';

async fn attr(client: &Client, css: &str, name: &str) -> String {
    find(client, css).await.attr(name).await.unwrap().unwrap_or_default()
}

/// Whether the open dropdown lies inside the window, not cut off at either side.
async fn dropdown_fits(client: &Client) -> bool {
    let script = "const r = document.getElementById('global-suggest').getBoundingClientRect(); \
                  return r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth;";
    client.execute(script, vec![]).await.unwrap() == json!(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_box_suggests_as_one_types_and_is_used_from_the_keyboard_in_chromium() {
    let Some((chromium, chromedriver)) = tools() else { return };
    let s = UiServer::with_admin(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let system = Actor::system();
    for (name, city) in
        [("Łódź Textiles", "Łódź"), ("Łódź Dyeworks and Finishing Plant", "Zgierz"), ("Sofia Soft", "Sofia")]
    {
        let body = json!({"name": name, "addresses": [{"purpose": "billing", "city": city, "country": "PL", "default": true}]});
        companies::create(&s.app, &system, body).await.unwrap();
    }
    let person = json!({"given_name": "Łucja", "family_name": "Kowalska",
                        "contact_methods": [{"kind": "email", "value": "lucja@lodz-textiles.example"}]});
    people::create(&s.app, &system, person).await.unwrap();
    let driver = start_driver(&chromedriver).await;
    let c = browser(&driver, &chromium).await;
    let base = &s.base;
    sign_in_as_admin(&c, base).await;
    find(&c, "#today").await;

    // "/" still jumps to the box, which the script made a combobox.
    press(&c, '/').await;
    let focused = c.active_element().await.unwrap().attr("id").await.unwrap();
    assert_eq!(focused.as_deref(), Some("global-q"), "the shortcut focuses the search box");
    assert_eq!(attr(&c, "#global-q", "role").await, "combobox");
    assert_eq!(attr(&c, "#global-q", "aria-controls").await, "global-suggest");
    assert_eq!(attr(&c, "#global-q", "aria-expanded").await, "false");
    for key in "lodz".chars() {
        press(&c, key).await;
    }
    find(&c, "#global-suggest:not([hidden]) #suggest-company-0").await;
    assert_eq!(attr(&c, "#global-q", "aria-expanded").await, "true");
    // The headings are set in capitals by the stylesheet, which the text read here follows.
    let text = find(&c, "#global-suggest").await.text().await.unwrap();
    assert!(text.contains("COMPANIES") && text.contains("PEOPLE") && text.contains("Łucja Kowalska"), "{text}");
    assert!(!text.contains("Sofia Soft"), "{text}");
    let headings = c.find_all(Locator::Css("#global-suggest [role=option].suggest-heading")).await.unwrap();
    assert!(headings.is_empty(), "group headings are not options");

    // The arrows move the active option and wrap; Escape closes and keeps the text.
    press(&c, ARROW_DOWN).await;
    find(&c, "#suggest-company-0[aria-selected=true]").await;
    assert_eq!(attr(&c, "#global-q", "aria-activedescendant").await, "suggest-company-0");
    screenshot(&c, "search-suggest-desktop", 1280).await;
    c.set_window_size(375, 900).await.unwrap();
    assert!(dropdown_fits(&c).await && fits_width(&c).await, "the dropdown fits a phone's width");
    screenshot(&c, "search-suggest-phone", 375).await;
    assert!(dropdown_fits(&c).await, "the dropdown fits the desktop window");
    press(&c, ARROW_UP).await;
    find(&c, "#suggest-all[aria-selected=true]").await;
    assert!(find(&c, "#suggest-all").await.text().await.unwrap().contains("See all results for “lodz”"));
    press(&c, ARROW_DOWN).await;
    find(&c, "#suggest-company-0[aria-selected=true]").await;
    press(&c, ESCAPE).await;
    find(&c, "#global-suggest[hidden]").await;
    assert_eq!(attr(&c, "#global-q", "aria-expanded").await, "false");
    let kept = find(&c, "#global-q").await.prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("lodz"), "Escape keeps what was typed");

    // Down opens it again; Enter on an option opens that record's card.
    press(&c, ARROW_DOWN).await;
    find(&c, "#global-suggest:not([hidden])").await;
    press(&c, ARROW_DOWN).await;
    let first = find(&c, "#suggest-company-0[aria-selected=true]").await;
    let title = first.find(Locator::Css(".suggest-title")).await.unwrap().text().await.unwrap();
    let target = first.attr("href").await.unwrap().unwrap();
    press(&c, ENTER).await;
    let heading = find(&c, ".card-head h1").await.text().await.unwrap();
    assert_eq!(heading, title, "Enter opened the chosen record");
    assert!(c.current_url().await.unwrap().path().ends_with(&target));

    // A click outside closes it; Enter without an active option opens the results page.
    find(&c, "#global-q").await.send_keys("weav").await.unwrap();
    find(&c, "#global-suggest:not([hidden])").await;
    find(&c, "footer.foot label").await.click().await.unwrap();
    find(&c, "#global-suggest[hidden]").await;
    let input = find(&c, "#global-q").await;
    input.clear().await.unwrap();
    input.send_keys("lodz").await.unwrap();
    find(&c, "#global-suggest:not([hidden]) #suggest-company-0").await;
    press(&c, ENTER).await;
    find(&c, "#results-company").await;
    assert!(c.current_url().await.unwrap().as_str().ends_with("/search?q=lodz"));
    assert!(find(&c, "#results-person").await.text().await.unwrap().contains("Łucja Kowalska"));
    screenshot(&c, "search-results-desktop", 1280).await;
    screenshot(&c, "search-results-phone", 375).await;
    c.close().await.unwrap();
}

/// The value a select has chosen.
async fn selected(c: &Client, css: &str) -> String {
    find(c, css).await.prop("value").await.unwrap().unwrap_or_default()
}

/// The text of the import page's state line, once it says `want`.
async fn wait_for_state(c: &Client, want: &str) -> String {
    for _ in 0..100 {
        if let Ok(line) = c.find(Locator::Css("#import-state")).await
            && let Ok(text) = line.text().await
            && text.contains(want)
        {
            return text;
        }
        // The page refreshes itself every two seconds while the job runs.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    panic!("the import never showed {want:?}: {}", c.source().await.unwrap_or_default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_uploads_maps_checks_imports_and_exports_people_in_chromium() {
    let Some((chromium, chromedriver)) = tools() else { return };
    let s = UiServer::with_admin(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let workers = rapport_app::jobs::Workers::start(&s.app, 1, Duration::from_millis(200));
    let file = std::env::temp_dir().join(format!("rapport-people-{}.csv", uuid::Uuid::now_v7().simple()));
    std::fs::write(
        &file,
        "Име;Фамилия;Имейл;Телефон;Рождена дата;Бележка\n\
         Мария;Петрова;maria@example.bg;+359 88 123 4567;09.03.1984;VIP\n\
         Георги;Иванов;georgi@example.bg;+359 87 765 4321;1979-12-01;\n\
         Елена;Димитрова;не-е-имейл;;03/04/1984;\n",
    )
    .unwrap();
    let driver = start_driver(&chromedriver).await;
    let c = browser(&driver, &chromium).await;
    let base = &s.base;
    sign_in_as_admin(&c, base).await;
    find(&c, "#today").await;

    c.goto(&format!("{base}/imports")).await.unwrap();
    find(&c, "#upload-form").await;
    screenshot(&c, "imports-desktop", 1280).await;
    screenshot(&c, "imports-phone", 390).await;
    find(&c, "input[type=file][name=file]").await.send_keys(&file.display().to_string()).await.unwrap();
    find(&c, "#upload-form button[type=submit]").await.click().await.unwrap();

    // The mapping: each column's field suggested from its Bulgarian header.
    find(&c, "#mapping").await;
    let chosen = |i: usize| format!("#map-{i}");
    for (i, key) in [(0, "given_name"), (1, "family_name"), (2, "email"), (3, "phone"), (4, "birth_date")] {
        assert_eq!(selected(&c, &chosen(i)).await, key, "column {i}");
    }
    assert_eq!(selected(&c, &chosen(5)).await, "description", "Бележка is a note");
    c.set_window_size(390, 900).await.unwrap();
    assert!(fits_width(&c).await, "the mapping fits a phone");
    screenshot(&c, "import-mapping-phone", 390).await;
    screenshot(&c, "import-mapping-desktop", 1280).await;
    fill(&c, "mapping_name", "Стар CRM").await;
    find(&c, "button[value=check]").await.click().await.unwrap();
    wait_for_state(&c, "Checked").await;
    let text = body_text(&c).await;
    assert!(text.contains("Мария") && text.contains("maria@example.bg"), "the preview: {text}");
    assert!(text.contains("could be day/month or month/day"), "the ambiguous date is reported: {text}");
    assert!(text.contains("is not a valid email address"), "{text}");
    screenshot(&c, "import-checked-desktop", 1280).await;
    screenshot(&c, "import-checked-phone", 390).await;

    // Valid rows only: two people in; the third row stays in the report.
    let mode = find(&c, "#f-mode").await;
    mode.select_by_value("valid_rows").await.unwrap();
    find(&c, "button[value=run]").await.click().await.unwrap();
    let state = wait_for_state(&c, "Imported").await;
    assert!(state.contains("Imported"), "{state}");
    let counts = find(&c, "#import-counts").await.text().await.unwrap();
    assert!(counts.contains("2 created") && counts.contains("1 refused"), "{counts}");
    find(&c, "#report-link").await;
    find(&c, "#undo-form").await;
    screenshot(&c, "import-done-desktop", 1280).await;

    // The people list exports the current filter.
    c.goto(&format!("{base}/people?q=maria")).await.unwrap();
    find(&c, "#export-menu summary").await.click().await.unwrap();
    let link = attr(&c, "#export-menu a[href*='format=vcf']", "href").await;
    assert!(link.contains("/api/v1/people/export?format=vcf&q=maria"), "{link}");
    screenshot(&c, "people-export-menu-desktop", 1280).await;
    c.set_window_size(390, 900).await.unwrap();
    assert!(fits_width(&c).await, "the list with its export menu fits a phone");
    screenshot(&c, "people-export-menu-phone", 390).await;

    // Undo takes the two people out again.
    c.goto(&format!("{base}/imports")).await.unwrap();
    find(&c, "#import-history a").await.click().await.unwrap();
    find(&c, "#undo-form button").await.click().await.unwrap();
    wait_for_state(&c, "Undone").await;
    c.close().await.unwrap();
    workers.stop().await;
    let _ = std::fs::remove_file(file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_plans_the_week_with_tasks_and_the_calendar_in_chromium() {
    let Some((chromium, chromedriver)) = tools() else { return };
    let s = UiServer::with_admin(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let system = Actor::system();
    let me = rapport_app::tasks::assignable(&s.app).await.unwrap()[0].0;
    let hours = json!({"time_zone": "Europe/Sofia", "working_hours": {"sat": [], "sun": []}});
    rapport_app::calendar::set_working_time(&s.app, &system, me, hours, None).await.unwrap();
    let zone = rapport_core::zone::Zone::parse("Europe/Sofia").unwrap();
    let today = zone.local(time::OffsetDateTime::now_utc()).date();
    let company = companies::create(&s.app, &system, json!({"name": "Łódź Textiles"})).await.unwrap();
    for (title, days, clock, priority) in [
        ("Call Мария Петрова about the offer", -2, Some("10:00"), "urgent"),
        ("Prepare the quarterly review for Łódź Textiles", 0, Some("11:30"), "high"),
        ("Send the samples", 0, None, "normal"),
        ("Visit the Plovdiv warehouse", 2, Some("14:00"), "normal"),
        ("回复上海泛普软件的邮件", 3, Some("09:15"), "low"),
    ] {
        let day = (today + time::Duration::days(days)).to_string();
        let mut body = json!({"title": title, "assignee_id": me, "priority": priority, "company_id": company.id});
        match clock {
            Some(clock) => body["due_at"] = json!(format!("{day}T{clock}")),
            None => body["due_date"] = json!(day),
        }
        rapport_app::tasks::create(&s.app, &system, body).await.unwrap();
    }
    let driver = start_driver(&chromedriver).await;
    let c = browser(&driver, &chromium).await;
    let base = &s.base;
    sign_in_as_admin(&c, base).await;

    // My day: the overdue call is marked, today's two tasks follow.
    let overdue = find(&c, "#overdue").await.text().await.unwrap();
    assert!(overdue.contains("Call Мария Петрова") && overdue.contains("Overdue"), "{overdue}");
    assert!(find(&c, "#today").await.text().await.unwrap().contains("Send the samples"));
    screenshot(&c, "my-day-desktop", 1280).await;
    c.set_window_size(375, 900).await.unwrap();
    assert!(fits_width(&c).await, "my day fits a phone's width");
    screenshot(&c, "my-day-phone", 375).await;

    // A repeating task made with the plain choices; a missing title is told at its field.
    c.goto(&format!("{base}/tasks/new")).await.unwrap();
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    assert_eq!(find(&c, "#e-title").await.text().await.unwrap(), "Required.");
    c.execute("document.querySelector('#e-title').scrollIntoView();", vec![]).await.unwrap();
    screenshot(&c, "task-form-error-phone", 375).await;
    fill(&c, "title", "Weekly pipeline call").await;
    let monday = today + time::Duration::days(7 - i64::from(today.weekday().number_days_from_monday()));
    c.execute(
        "document.querySelector('[name=due_date]').value = arguments[0]; document.querySelector('[name=due_time]').value = '09:00';",
        vec![json!(monday.to_string())],
    )
    .await
    .unwrap();
    find(&c, "#f-repeat").await.select_by_value("weekly").await.unwrap();
    find(&c, "input[name=repeat_day][value=MO]").await.click().await.unwrap();
    find(&c, "#f-repeat_end").await.select_by_value("count").await.unwrap();
    fill(&c, "repeat_count", "4").await;
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    let facts = find(&c, ".card-head .facts").await.text().await.unwrap();
    assert!(facts.contains("Every week: Mon, 4 times") && facts.contains("09:00"), "{facts}");
    screenshot(&c, "task-page-desktop", 1280).await;
    screenshot(&c, "task-page-phone", 375).await;
    find(&c, ".card-head form button.primary").await.click().await.unwrap();
    let notice = find(&c, "#task-notice").await.text().await.unwrap();
    assert!(notice.contains("next occurrence"), "{notice}");
    let next = find(&c, ".card-head .facts").await.text().await.unwrap();
    assert!(next.contains(&c_date(monday + time::Duration::days(7))), "{next}");

    // The week and the month, on a desktop and a phone.
    c.goto(&format!("{base}/calendar")).await.unwrap();
    let week = find(&c, "ol.calendar-week").await.text().await.unwrap();
    assert!(week.contains("Visit the Plovdiv warehouse") && week.contains("14:00–14:30"), "{week}");
    screenshot(&c, "calendar-week-desktop", 1280).await;
    c.set_window_size(375, 900).await.unwrap();
    assert!(fits_width(&c).await, "the week fits a phone's width");
    screenshot(&c, "calendar-week-phone", 375).await;
    c.goto(&format!("{base}/calendar?view=month")).await.unwrap();
    find(&c, "ol.calendar-month").await;
    screenshot(&c, "calendar-month-desktop", 1280).await;
    c.set_window_size(375, 900).await.unwrap();
    assert!(fits_width(&c).await, "the month fits a phone's width");
    screenshot(&c, "calendar-month-phone", 375).await;
    c.goto(&format!("{base}/tasks")).await.unwrap();
    find(&c, "ul.task-list").await;
    screenshot(&c, "tasks-desktop", 1280).await;
    screenshot(&c, "tasks-phone", 375).await;
    c.goto(&format!("{base}/account/working-time")).await.unwrap();
    find(&c, "#hours-form").await;
    c.set_window_size(375, 900).await.unwrap();
    assert!(fits_width(&c).await, "the working time fits a phone's width");
    screenshot(&c, "working-time-phone", 375).await;
    c.close().await.unwrap();
}

/// A date as the English pages write it (`30 Mar 2026`).
fn c_date(day: time::Date) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!("{} {} {}", day.day(), MONTHS[usize::from(u8::from(day.month())) - 1], day.year())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_likely_duplicate_is_shown_beside_the_form_and_merged_in_chromium() {
    let Some((chromium, chromedriver)) = tools() else { return };
    let s = UiServer::with_admin(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
    let body = json!({"name": "Петров Трейд ООД", "area": "Sofia"});
    let existing = companies::create(&s.app, &Actor::system(), body).await.unwrap();
    let driver = start_driver(&chromedriver).await;
    let c = browser(&driver, &chromium).await;
    let base = &s.base;
    sign_in_as_admin(&c, base).await;
    find(&c, "#today, #overdue, main").await;

    // The same company in Latin letters with another legal form: the form stays, with
    // the existing card beside it.
    c.goto(&format!("{base}/companies/new")).await.unwrap();
    fill(&c, "name", "Petrov Treyd Ltd").await;
    fill(&c, "area", "Plovdiv").await;
    find(&c, "form.stack button.primary").await.click().await.unwrap();
    let found = find(&c, "#duplicates").await.text().await.unwrap();
    assert!(found.contains("Петров Трейд ООД") && found.contains("same name"), "{found}");
    screenshot(&c, "duplicate-candidates-desktop", 1280).await;

    // Merge: the new card is made and the merge screen compares the two.
    find(&c, "#duplicates button[name='merge_into']").await.click().await.unwrap();
    let table = find(&c, "#merge-form").await.text().await.unwrap();
    assert!(table.contains("Plovdiv") && table.contains("Sofia"), "{table}");
    screenshot(&c, "merge-desktop", 1280).await;
    let plovdiv = find(&c, "input[name='field.area']:not(:checked)").await;
    plovdiv.click().await.unwrap();
    find(&c, "#merge-submit").await.click().await.unwrap();
    find(&c, "h1").await;
    let url = c.current_url().await.unwrap().to_string();
    assert!(url.ends_with(&format!("/companies/{}", existing.id)), "{url}");
    assert!(body_text(&c).await.contains("Plovdiv"), "the chosen area stays");
}
