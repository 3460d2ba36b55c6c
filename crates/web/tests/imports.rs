//! The import and export API on both engines: a multipart upload queues the job, the
//! import shows its progress, counts and report, an undo takes it back; exports in CSV,
//! XLSX and vCard import into another database as the same records; rights and bad
//! requests are answered as the API promises.

mod support;

use std::sync::Arc;

use rapport_app::jobs::Runner;
use rapport_app::users::{self, UserDraft};
use rapport_app::{Actor, App};
use rapport_testkit::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;

async fn run_jobs(app: &App) {
    Runner::new(app.clone(), Arc::from(rapport_app::jobs::kinds())).run_due().await.expect("the queue runs");
}

/// Uploads a file with form fields; the answer.
async fn upload(
    s: &TestServer,
    token: &str,
    file: &str,
    bytes: Vec<u8>,
    fields: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut form = reqwest::multipart::Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(file.to_string()));
    let response = s
        .client
        .post(format!("{}/api/v1/imports", s.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("the server answers");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Uploads, runs the queue, and returns the finished import.
async fn import(s: &TestServer, file: &str, bytes: Vec<u8>, fields: &[(&str, &str)]) -> Value {
    let (status, queued) = upload(s, &s.token, file, bytes, fields).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    run_jobs(&s.app).await;
    let id = queued["id"].as_str().expect("an id");
    s.get(&format!("/api/v1/imports/{id}")).await.body
}

async fn text(s: &TestServer, path: &str) -> (StatusCode, String, String) {
    let response = s.client.get(format!("{}{path}", s.base)).bearer_auth(&s.token).send().await.unwrap();
    let status = response.status();
    let kind = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    (status, kind, response.text().await.unwrap_or_default())
}

async fn bytes(s: &TestServer, path: &str) -> Vec<u8> {
    let response = s.client.get(format!("{}{path}", s.base)).bearer_auth(&s.token).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.bytes().await.unwrap().to_vec()
}

const PEOPLE: &str = "Име;Фамилия;Имейл;Мобилен;Рождена дата;External ID;Фирма;Длъжност\n\
Мария;Петрова;maria@example.bg;+359 88 123 4567;09.03.1984;P-1;C-000001;Търговски директор\n\
Иван;Иванов;ivan@example.bg;0888 765 432;1980-01-31;P-2;Balkan Foods AD;\n\
Грешка;Имейл;not-an-email;;;P-3;;\n\
Копие;На Мария;maria@example.bg;;;P-4;;\n";

async fn upload_run_report_undo(engine: Engine) {
    let Some(s) = TestServer::start(engine).await else { return };
    s.create(
        "companies",
        json!({"name": "Balkan Foods AD", "tax_id": "BG123", "addresses": [{"city": "Sofia", "country": "BG"}]}),
    )
    .await;
    let done =
        import(&s, "people.csv", PEOPLE.as_bytes().to_vec(), &[("kind", "people"), ("mode", "valid_rows")]).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!((done["summary"]["created"].as_u64(), done["summary"]["rejected"].as_u64()), (Some(2), Some(2)));
    assert_eq!((done["progress"]["percent"].as_i64(), done["summary"]["delimiter"].as_str()), (Some(100), Some(";")));
    let report = done["report"].as_str().expect("a report link").to_string();
    let (status, kind, csv) = text(&s, &report).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "line,column,reason,code,existing_id");
    assert!(lines[1].starts_with("4,Имейл,is not a valid email address,invalid_email,"), "{csv}");
    assert!(
        lines[2].starts_with("5,Имейл,\"the email or phone \"\"maria@example.bg\"\" is on line 2 too\",duplicate"),
        "{csv}"
    );

    // The people are there, with their company found by code and by name.
    let listed = s.get("/api/v1/people?q=maria@example.bg").await.body;
    let maria = &listed["items"][0];
    assert_eq!((maria["external_id"].as_str(), maria["birth_date"].as_str()), (Some("P-1"), Some("1984-03-09")));
    assert_eq!(maria["employments"][0]["position"], "Търговски директор");
    let ivan = &s.get("/api/v1/people?q=ivan@example.bg").await.body["items"][0];
    let balkan = &s.get("/api/v1/companies?q=Balkan").await.body["items"][0];
    assert_eq!(ivan["employments"][0]["company_id"], balkan["id"], "the company found by its exact name");

    // The list of one's imports, then the undo.
    let history = s.get("/api/v1/imports").await.body;
    assert_eq!(history["items"][0]["id"], done["id"]);
    let undo = s.post(&format!("/api/v1/imports/{}/undo", done["id"].as_str().unwrap()), json!({})).await;
    assert_eq!((undo.status, undo.body["state"].as_str()), (StatusCode::ACCEPTED, Some("undoing")));
    run_jobs(&s.app).await;
    assert_eq!(s.get(&format!("/api/v1/imports/{}", done["id"].as_str().unwrap())).await.body["state"], "undone");
    assert!(s.get("/api/v1/people").await.body["items"].as_array().unwrap().is_empty());
    let again = s.post(&format!("/api/v1/imports/{}/undo", done["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_upload_is_imported_reported_and_undone_on_sqlite() {
    upload_run_report_undo(Engine::Sqlite).await;
}

#[tokio::test]
async fn an_upload_is_imported_reported_and_undone_on_postgres() {
    upload_run_report_undo(Engine::Postgres).await;
}

/// The records as they should survive a round trip: no ids, codes, versions or times.
fn comparable(mut records: Vec<Value>) -> Vec<Value> {
    for record in &mut records {
        let object = record.as_object_mut().unwrap();
        for volatile in
            ["id", "code", "version", "created_at", "updated_at", "created_by", "updated_by", "owner_id", "archived_at"]
        {
            object.remove(volatile);
        }
        // A spreadsheet has a column per kind of contact method, so their order comes
        // back by kind (each kind's own order and primary kept).
        if let Some(methods) = object.get_mut("contact_methods").and_then(Value::as_array_mut) {
            methods.sort_by_key(|m| m["kind"].as_str().unwrap_or("").to_string());
        }
        if let Some(jobs) = object.get_mut("employments").and_then(Value::as_array_mut) {
            for job in jobs {
                job.as_object_mut().unwrap().remove("company_id");
            }
        }
    }
    records.sort_by_key(|r| r.to_string());
    records
}

async fn all(s: &TestServer, collection: &str) -> Vec<Value> {
    s.get(&format!("/api/v1/{collection}?limit=500")).await.body["items"].as_array().unwrap().clone()
}

async fn round_trip(engine: Engine) {
    let Some(a) = TestServer::start(engine).await else { return };
    let company = a
        .create(
            "companies",
            json!({"name": "=Łódź Textiles, Sp. z o.o.", "legal_name": "Łódź Textiles Spółka z o.o.", "tax_id": "PL7250012345",
                   "type": "supplier", "status": "active", "level": "A", "stage": "mature", "area": "Łódź", "website": "https://lodz.example",
                   "external_id": "ERP-1", "description": "Line one\nline two",
                   "contact_methods": [{"kind": "email", "value": "office@lodz.example"}, {"kind": "phone", "value": "+48 42 123 45 67"},
                                       {"kind": "email", "value": "sales@lodz.example"}],
                   "addresses": [{"purpose": "billing", "line1": "ul. Piotrkowska 100", "city": "Łódź", "postcode": "90-001", "country": "PL"},
                                 {"purpose": "office", "line1": "ul. Długa 5", "city": "Łódź", "country": "PL"}],
                   "attributes": {"loyalty": "gold", "segment": "textiles"}}),
        )
        .await;
    a.create(
        "people",
        json!({"given_name": "Мария", "family_name": "Петрова", "birth_date": "1984-03-09", "title": "Dr.", "external_id": "ERP-P1",
               "contact_methods": [{"kind": "mobile", "value": "+359 88 123 4567"}, {"kind": "email", "value": "maria@lodz.example"}],
               "addresses": [{"line1": "bul. Vitosha 1", "city": "Sofia", "postcode": "1000", "country": "BG"}],
               "employments": [{"company_id": company["id"], "position": "Buyer", "department": "Procurement"}],
               "attributes": {"language_skill": "pl"}}),
    )
    .await;
    a.create("people", json!({"given_name": "John", "family_name": "Smith, Jr.", "contact_methods": [{"kind": "email", "value": "john@example.com"}]}))
        .await;
    let (status, kind, csv) = text(&a, "/api/v1/companies/export?format=csv").await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    assert!(csv.contains("\"'=Łódź Textiles, Sp. z o.o.\""), "a formula-like name is neutralised: {csv}");
    assert!(csv.contains(",'+48 42 123 45 67,"), "a leading + too");
    let people_csv = text(&a, "/api/v1/people/export?format=csv").await.2;
    let companies_xlsx = bytes(&a, "/api/v1/companies/export?format=xlsx").await;
    let people_xlsx = bytes(&a, "/api/v1/people/export?format=xlsx").await;
    let (_, vcf_kind, vcf) = text(&a, "/api/v1/people/export?format=vcf").await;
    assert_eq!(vcf_kind, "text/vcard; charset=utf-8");
    assert_eq!(vcf.matches("BEGIN:VCARD").count(), 2);

    for (companies_file, people_file) in [
        (("companies.csv", csv.into_bytes()), ("people.csv", people_csv.into_bytes())),
        (("companies.xlsx", companies_xlsx), ("people.xlsx", people_xlsx)),
    ] {
        let Some(b) = TestServer::start(engine).await else { return };
        let done = import(&b, companies_file.0, companies_file.1, &[("kind", "companies")]).await;
        assert_eq!(done["summary"]["created"], 1, "{done}");
        let done = import(&b, people_file.0, people_file.1, &[("kind", "people")]).await;
        assert_eq!(done["summary"]["created"], 2, "{done}");
        assert_eq!(
            comparable(all(&b, "companies").await),
            comparable(all(&a, "companies").await),
            "{}",
            companies_file.0
        );
        assert_eq!(comparable(all(&b, "people").await), comparable(all(&a, "people").await), "{}", people_file.0);
        let employed = &all(&b, "people").await.into_iter().find(|p| p["external_id"] == "ERP-P1").unwrap();
        assert_eq!(
            employed["employments"][0]["company_id"],
            all(&b, "companies").await[0]["id"],
            "the employer found by its code"
        );
    }
    // vCards carry less than a spreadsheet; what they carry comes back.
    let Some(c) = TestServer::start(engine).await else { return };
    let done = import(&c, "people.vcf", vcf.into_bytes(), &[("kind", "people")]).await;
    assert_eq!(done["summary"]["created"], 2, "{done}");
    let maria = &c.get("/api/v1/people?q=maria@lodz.example").await.body["items"][0];
    assert_eq!(
        (maria["family_name"].as_str(), maria["birth_date"].as_str(), maria["title"].as_str()),
        (Some("Петрова"), Some("1984-03-09"), Some("Dr."))
    );
    assert_eq!(maria["attributes"]["organization"], "=Łódź Textiles, Sp. z o.o.", "the card's organisation, kept");
}

#[tokio::test]
async fn exports_import_back_into_the_same_records_on_sqlite() {
    round_trip(Engine::Sqlite).await;
}

#[tokio::test]
async fn exports_import_back_into_the_same_records_on_postgres() {
    round_trip(Engine::Postgres).await;
}

async fn rights_and_bad_requests(engine: Engine) {
    let Some(s) = TestServer::start(engine).await else { return };
    let viewer = UserDraft {
        login: Some("viewer".into()),
        name: Some("Vera Viewer".into()),
        password: Some("a long password for the viewer".into()),
        role: Some("viewer".into()),
        ..Default::default()
    };
    users::create(&s.app, &Actor::system(), viewer).await.unwrap();
    let token = s.sign_in("viewer", "a long password for the viewer").await;
    let (status, body) = upload(&s, &token, "c.csv", b"Name\nAcme\n".to_vec(), &[("kind", "companies")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let export = s.call_as(&token, Method::GET, "/api/v1/companies/export?format=csv", None, None).await;
    assert_eq!(export.status, StatusCode::FORBIDDEN, "the viewer role has no export right");

    let (status, mine) =
        upload(&s, &s.token, "c.csv", b"Name\nAcme\n".to_vec(), &[("kind", "companies"), ("dry_run", "true")]).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let others =
        s.call_as(&token, Method::GET, &format!("/api/v1/imports/{}", mine["id"].as_str().unwrap()), None, None).await;
    assert_eq!(others.status, StatusCode::NOT_FOUND, "another user's import does not exist for them");
    run_jobs(&s.app).await;
    let checked = s.get(&format!("/api/v1/imports/{}", mine["id"].as_str().unwrap())).await.body;
    assert_eq!(
        (checked["state"].as_str(), checked["summary"]["preview"][0]["record"]["name"].as_str()),
        (Some("checked"), Some("Acme"))
    );
    let run =
        s.post(&format!("/api/v1/imports/{}/run", mine["id"].as_str().unwrap()), json!({"mode": "valid_rows"})).await;
    assert_eq!(run.status, StatusCode::ACCEPTED);
    run_jobs(&s.app).await;
    assert_eq!(all(&s, "companies").await.len(), 1, "the checked import, run for real");

    let (status, body) = upload(&s, &s.token, "c.csv", b"Name\nAcme\n".to_vec(), &[]).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("kind")));
    let (status, body) =
        upload(&s, &s.token, "c.csv", b"Name\nAcme\n".to_vec(), &[("kind", "people"), ("mode", "some")]).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("mode")));
    let (status, body) =
        upload(&s, &s.token, "c.csv", b"Name\nAcme\n".to_vec(), &[("kind", "people"), ("mapping_id", "nope")]).await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_mapping"))
    );
    for path in [
        "/api/v1/companies/export?format=pdf",
        "/api/v1/companies/export?format=vcf",
        "/api/v1/people/export?format=csv&colour=red",
        "/api/v1/people/export",
    ] {
        assert_eq!(s.get(path).await.status, StatusCode::BAD_REQUEST, "{path}");
    }

    // Mappings are saved per user and used by name.
    let saved = s
        .post(
            "/api/v1/import-mappings",
            json!({"name": "Old CRM", "kind": "people", "columns": {"Surname": "family_name", "Mail": "email"}}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    let wrong = s
        .post("/api/v1/import-mappings", json!({"name": "Bad", "kind": "people", "columns": {"X": "shoe_size"}}))
        .await;
    assert_eq!(
        (wrong.status, wrong.body["errors"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("mapping.X"))
    );
    let done = import(
        &s,
        "old.csv",
        b"Surname,Mail\nNowak,nowak@example.pl\n".to_vec(),
        &[("kind", "people"), ("mapping_id", "Old CRM")],
    )
    .await;
    assert_eq!(done["summary"]["created"], 1, "{done}");
    assert_eq!(s.call_as(&token, Method::GET, "/api/v1/import-mappings", None, None).await.body["items"], json!([]));
}

#[tokio::test]
async fn rights_mappings_and_bad_requests_on_sqlite() {
    rights_and_bad_requests(Engine::Sqlite).await;
}

#[tokio::test]
async fn rights_mappings_and_bad_requests_on_postgres() {
    rights_and_bad_requests(Engine::Postgres).await;
}
