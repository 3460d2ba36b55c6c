//! Real files from other programs, in every encoding and format, read into records.

use rapport_app::imports::Options;
use rapport_core::imports::ImportKind;
use rapport_testkit::Engine;

use super::{app, company_count, data, import, people_named, rejects, summary, valid_rows};

async fn encodings(engine: Engine) {
    let Some((app, _db)) = app(engine).await else { return };
    let cases = [
        ("people_utf8.csv", "UTF-8", ",", "mary@example.com", "O'Neil"),
        ("people_utf8_bom.csv", "UTF-8", ";", "elena@example.bg", "Димитрова"),
        ("people_cp1250.csv", "windows-1250", ";", "lucja@example.pl", "Wąsowska"),
        ("people_cp1251.csv", "windows-1251", ";", "georgi@example.bg", "Иванов"),
        ("people_gb18030.csv", "gb18030", ",", "wang@example.cn", "王"),
    ];
    for (file, encoding, delimiter, email, family) in cases {
        let view = import(&app, ImportKind::People, file, &data(file), valid_rows()).await;
        let s = summary(&view);
        assert_eq!((s["encoding"].as_str(), s["delimiter"].as_str()), (Some(encoding), Some(delimiter)), "{file}");
        assert_eq!(s["created"], 2, "{file}: {:?}", rejects(&app, &view).await);
        let found = people_named(&app, email).await;
        assert_eq!(found[0]["family_name"], family, "{file}");
    }
    // The Polish file's city and the Bulgarian file's dates came through too.
    let lucja = people_named(&app, "lucja@example.pl").await;
    assert_eq!(lucja[0]["addresses"][0]["city"], "Łódź");
    assert_eq!(people_named(&app, "georgi@example.bg").await[0]["birth_date"], "1979-12-01");
    // A wrong encoding chosen by the user: bytes the encoding lacks are reported by line.
    let wrong = Options { encoding: Some("utf-8".into()), ..valid_rows() };
    let view = import(&app, ImportKind::People, "cp1251.csv", &data("people_cp1251.csv"), wrong).await;
    assert_eq!(view.import.state, "failed");
    assert_eq!(view.import.error.as_deref(), Some("line 1 is not valid UTF-8: choose the file's encoding"));
    app.db.close().await;
}

#[tokio::test]
async fn csv_in_every_encoding_on_sqlite() {
    encodings(Engine::Sqlite).await;
}

#[tokio::test]
async fn csv_in_every_encoding_on_postgres() {
    encodings(Engine::Postgres).await;
}

async fn spreadsheets(engine: Engine) {
    let Some((app, _db)) = app(engine).await else { return };
    let xlsx =
        import(&app, ImportKind::Companies, "companies_openpyxl.xlsx", &data("companies_openpyxl.xlsx"), valid_rows())
            .await;
    assert_eq!(summary(&xlsx)["created"], 3, "{:?}", rejects(&app, &xlsx).await);
    assert_eq!(summary(&xlsx)["format"], "xlsx");
    let ods = import(&app, ImportKind::Companies, "companies.ods", &data("companies.ods"), valid_rows()).await;
    assert_eq!(summary(&ods)["created"], 2, "{:?}", rejects(&app, &ods).await);
    assert_eq!(company_count(&app).await, 5);
    let listed = rapport_app::companies::list(&app, &rapport_app::Actor::system(), vec![("q".into(), "mebel".into())])
        .await
        .unwrap();
    let mebel = serde_json::to_value(&listed.items[0]).unwrap();
    assert_eq!(mebel["tax_id"], "BG123456789");
    // A phone stored as a number in the sheet arrives as its digits.
    assert_eq!(mebel["contact_methods"][1]["value"], "35929876543");
    app.db.close().await;
}

#[tokio::test]
async fn xlsx_from_openpyxl_and_ods_on_sqlite() {
    spreadsheets(Engine::Sqlite).await;
}

#[tokio::test]
async fn xlsx_from_openpyxl_and_ods_on_postgres() {
    spreadsheets(Engine::Postgres).await;
}

async fn vcards(engine: Engine) {
    let Some((app, _db)) = app(engine).await else { return };
    // The company the cards name exists, so the Outlook card's person is employed there.
    import(&app, ImportKind::Companies, "c.csv", b"Company\nBalkan Foods AD\n", Options::default()).await;
    for (file, people) in [("google.vcf", 1), ("apple.vcf", 1), ("outlook.vcf", 1), ("android.vcf", 2)] {
        let view = import(&app, ImportKind::People, file, &data(file), valid_rows()).await;
        assert_eq!(
            summary(&view)["created"],
            people,
            "{file}: {:?} {:?}",
            view.import.error,
            rejects(&app, &view).await
        );
    }
    let anna = people_named(&app, "anna.nowak@example.pl").await;
    assert_eq!(anna[0]["contact_methods"].as_array().unwrap().len(), 4);
    assert_eq!(anna[0]["birth_date"], "1980-02-29");
    let ivan = people_named(&app, "ivan.petrov@example.bg").await;
    assert_eq!(ivan[0]["external_id"], "8A6F2D2E-1111-4B6B-9A3F-APPLE0000001");
    assert_eq!(ivan[0]["description"], "Met at the fair, 2023.\nPrefers calls.");
    let maria = people_named(&app, "maria.petrova@balkanfoods.example").await;
    assert_eq!((maria[0]["given_name"].as_str(), maria[0]["family_name"].as_str()), (Some("Мария"), Some("Петрова")));
    assert_eq!(maria[0]["addresses"][0]["line1"], "ul. Rakovski 5");
    assert_eq!(maria[0]["employments"].as_array().unwrap().len(), 1);
    let stoyan = people_named(&app, "stoyan@example.bg").await;
    assert_eq!(stoyan[0]["description"], "Клиент от 2019 г., предпочита имейл.");
    assert_eq!(stoyan[0]["birth_date"], "1988-07-12");
    app.db.close().await;
}

#[tokio::test]
async fn vcards_from_phones_and_mail_programs_on_sqlite() {
    vcards(Engine::Sqlite).await;
}

#[tokio::test]
async fn vcards_from_phones_and_mail_programs_on_postgres() {
    vcards(Engine::Postgres).await;
}
