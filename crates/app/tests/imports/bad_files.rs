//! Bad files, each answered with a clear message, and nothing written in the all or
//! nothing mode.

use std::io::Read;

use rapport_app::imports::Options;
use rapport_app::imports::read::{self, ReadError, ReadOptions};
use rapport_core::imports::ImportKind;
use rapport_testkit::Engine;

use super::{app, company_count, data, import, people_named, rejects, summary, valid_rows};

async fn refused_files(engine: Engine) {
    let Some((app, _db)) = app(engine).await else { return };
    let wide: String = (0..100_000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",") + "\nx\n";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", data("empty.csv"), "the file is empty"),
        ("header_only.csv", data("header_only.csv"), "the file has a header row but no records"),
        (
            "duplicate_headers.csv",
            data("duplicate_headers.csv"),
            "columns 2 and 4 are both named \"E-mail\": give each column its own name",
        ),
        ("wide.csv", wide.into_bytes(), "the file has 100000 columns or more; at most 1000 are imported"),
        ("truncated.xlsx", data("truncated.xlsx"), "the spreadsheet cannot be read"),
        ("nothing.csv", b"Shoe size,Colour\n42,red\n".to_vec(), "no column is mapped to a field"),
    ];
    for (name, bytes, message) in cases {
        let view = import(&app, ImportKind::Companies, name, &bytes, Options::default()).await;
        assert_eq!(view.import.state, "failed", "{name}");
        let error = view.import.error.clone().unwrap_or_default();
        assert!(error.starts_with(message), "{name}: {error}");
    }
    assert_eq!(company_count(&app).await, 0, "nothing of a bad file is written");
    app.db.close().await;
}

#[tokio::test]
async fn bad_files_are_refused_with_their_reason_on_sqlite() {
    refused_files(Engine::Sqlite).await;
}

#[tokio::test]
async fn bad_files_are_refused_with_their_reason_on_postgres() {
    refused_files(Engine::Postgres).await;
}

#[test]
fn a_one_gigabyte_line_is_refused_after_its_first_megabyte() {
    let read_so_far = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    struct Counting(std::io::Take<std::io::Repeat>, std::sync::Arc<std::sync::atomic::AtomicU64>);
    impl Read for Counting {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.read(out)?;
            self.1.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
            Ok(n)
        }
    }
    let header = std::io::Cursor::new(b"Name,Description\nAcme,".to_vec());
    let line = Counting(std::io::repeat(b'a').take(1 << 30), read_so_far.clone());
    let source = Box::new(header.chain(line));
    let error = match read::open(source, "huge.csv", 1 << 30, &ReadOptions::default()) {
        Err(error) => error,
        Ok(_) => panic!("a 1 GB line was accepted"),
    };
    assert_eq!(error, ReadError::LineTooLong(2));
    assert!(read_so_far.load(std::sync::atomic::Ordering::Relaxed) < 4 * 1024 * 1024, "refused without reading on");
}

async fn formulas_and_dates(engine: Engine) {
    let Some((app, _db)) = app(engine).await else { return };
    let view = import(&app, ImportKind::Companies, "formulas.csv", &data("formulas.csv"), valid_rows()).await;
    assert_eq!(summary(&view)["created"], 2, "{:?}", rejects(&app, &view).await);
    let listed = rapport_app::companies::list(&app, &rapport_app::Actor::system(), vec![]).await.unwrap();
    let names: Vec<String> = listed.items.iter().map(|c| c.fields.name.clone()).collect();
    assert!(names.contains(&"=HYPERLINK(\"http://evil.example\",\"click\")".to_string()), "kept as text: {names:?}");
    assert!(listed.items.iter().any(|c| c.fields.description.as_deref() == Some("=1+2")), "never evaluated");

    let dates = import(&app, ImportKind::People, "dates.csv", &data("dates.csv"), valid_rows()).await;
    assert_eq!(summary(&dates)["created"], 5);
    for name in ["Iso", "Dotted", "Serial", "Compact"] {
        assert_eq!(people_named(&app, name).await[0]["birth_date"], "1984-03-09", "{name}");
    }
    assert_eq!(people_named(&app, "Slashed").await[0]["birth_date"], "1990-12-25");
    let refused = rejects(&app, &dates).await;
    assert_eq!(
        refused,
        [
            (7, "Birth date".to_string(), "ambiguous_date".to_string()),
            (8, "Birth date".to_string(), "invalid_date".to_string())
        ]
    );
    // All or nothing with those two bad dates writes none of the five good ones.
    let strict = import(&app, ImportKind::People, "dates.csv", &data("dates.csv"), Options::default()).await;
    assert_eq!(strict.import.state, "failed");
    assert_eq!(people_named(&app, "").await.len(), 5, "the strict run added nobody");
    app.db.close().await;
}

#[tokio::test]
async fn formulas_are_text_and_dates_are_read_or_reported_on_sqlite() {
    formulas_and_dates(Engine::Sqlite).await;
}

#[tokio::test]
async fn formulas_are_text_and_dates_are_read_or_reported_on_postgres() {
    formulas_and_dates(Engine::Postgres).await;
}
