//! Notifications over HTTP and SMTP, on SQLite and PostgreSQL: the list with its unread
//! count and pages, marking read, each user's choices; emails that reach a real SMTP
//! server (Python's aiosmtpd) in the recipient's language with the link to the record; and
//! a server that refuses, retried until the failure shows to the user and administrators.
//!
//! aiosmtpd is found through `python3`; without it the email tests are skipped with a
//! notice, except under `CI=true`, where they fail (`.ci/run` installs it).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use rapport_app::Settings;
use rapport_app::jobs::{self, Runner};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;

const HANDLERS: &str = r#"
import email, email.policy, json, os, uuid

class Save:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        saved = {
            "to": list(envelope.rcpt_tos),
            "from": envelope.mail_from,
            "subject": str(message["subject"]),
            "text": message.get_body(("plain",)).get_content(),
            "html": message.get_body(("html",)).get_content(),
        }
        name = os.path.join(os.environ["RAPPORT_MAIL_DIR"], uuid.uuid4().hex)
        with open(name + ".tmp", "w", encoding="utf-8") as f:
            json.dump(saved, f)
        os.rename(name + ".tmp", name + ".json")
        return "250 OK"

class Refuse:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 no such mailbox here"
"#;

/// An aiosmtpd server on a free port, stopped when dropped.
struct Smtp {
    child: Child,
    port: u16,
    mail: PathBuf,
    _dir: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self._dir);
    }
}

fn aiosmtpd_installed() -> bool {
    let required = std::env::var("CI").is_ok_and(|v| v == "true");
    let found = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(found || !required, "CI=true needs Python's aiosmtpd (pip install aiosmtpd)");
    if !found {
        eprintln!("skipping the email test: Python's aiosmtpd is not installed");
    }
    found
}

/// Starts aiosmtpd with `handler` (`Save` or `Refuse`).
async fn smtp(handler: &str) -> Option<Smtp> {
    if !aiosmtpd_installed() {
        return None;
    }
    let dir = std::env::temp_dir().join(format!("rapport-smtp-{}", uuid::Uuid::now_v7().simple()));
    let mail = dir.join("mail");
    std::fs::create_dir_all(&mail).unwrap();
    std::fs::write(dir.join("rapport_handlers.py"), HANDLERS).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("python3")
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c"])
        .arg(format!("rapport_handlers.{handler}"))
        .env("PYTHONPATH", &dir)
        .env("RAPPORT_MAIL_DIR", &mail)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("aiosmtpd starts");
    let server = Smtp { child, port, mail, _dir: dir };
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return Some(server);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("aiosmtpd did not listen on port {port}");
}

fn settings(port: u16) -> Settings {
    Settings {
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        mail_from: Some("Rapport <crm@rapport.example>".into()),
        public_url: "https://crm.rapport.example/".into(),
        ..Settings::default()
    }
}

fn received(folder: &Path) -> Vec<Value> {
    let mut mails = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            mails.push(serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap());
        }
    }
    mails
}

/// Runs every job that is due now, as a server's workers would.
async fn run_jobs(s: &TestServer) -> usize {
    Runner::new(s.app.clone(), Arc::from(jobs::kinds())).run_due().await.expect("the queue runs")
}

/// A user with an email address who reads Polish; their id and token.
async fn polish_user(s: &TestServer) -> (String, String) {
    let body = json!({"login": "marta", "name": "Marta Nowak", "email": "marta@example.pl",
                      "password": "correct horse battery staple", "role": "sales"});
    let user = s.create("users", body).await;
    let id = user["id"].as_str().unwrap().to_string();
    let token = s.sign_in("marta", "correct horse battery staple").await;
    let user_id = match s.engine {
        rapport_testkit::Engine::Sqlite => format!("X'{}'", uuid::Uuid::parse_str(&id).unwrap().simple()),
        rapport_testkit::Engine::Postgres => format!("'{id}'"),
    };
    let chose_polish = format!(
        "INSERT INTO user_preferences (user_id, language, updated_at) VALUES ({user_id}, 'pl', '2026-12-01T00:00:00.000000Z')"
    );
    s.app.db.execute_raw(&chose_polish).await.unwrap();
    (id, token)
}

async fn engines(test: impl AsyncFn(rapport_testkit::Engine)) {
    test(rapport_testkit::Engine::Sqlite).await;
    test(rapport_testkit::Engine::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_given_to_someone_reaches_them_by_email_in_their_language() {
    engines(async |engine| {
        let Some(mail) = smtp("Save").await else { return };
        let Some(s) = TestServer::start_with(engine, settings(mail.port)).await else { return };
        let (marta, token) = polish_user(&s).await;
        let task = s.create("tasks", json!({"title": "Oferta dla Łódź Textiles", "assignee_id": marta})).await;
        let task_id = task["id"].as_str().unwrap();
        assert_eq!(run_jobs(&s).await, 1, "one email job ran");

        let mails = received(&mail.mail);
        assert_eq!(mails.len(), 1, "{mails:?}");
        let sent = &mails[0];
        assert_eq!(sent["to"], json!(["marta@example.pl"]));
        assert_eq!(sent["from"], "crm@rapport.example");
        assert_eq!(sent["subject"], "Rapport: Ada Admin przydzielił(a) Ci zadanie Oferta dla Łódź Textiles");
        let link = format!("https://crm.rapport.example/tasks/{task_id}");
        let text = sent["text"].as_str().unwrap();
        assert!(text.starts_with("Dzień dobry, Marta Nowak,") && text.contains(&link), "{text}");
        assert!(sent["html"].as_str().unwrap().contains(&format!("href=\"{link}\"")), "{}", sent["html"]);

        let listed = s.call_as(&token, Method::GET, "/api/v1/notifications", None, None).await;
        assert_eq!(listed.status, StatusCode::OK);
        assert_eq!(listed.body["unread_count"], 1);
        let item = &listed.body["items"][0];
        assert_eq!((item["kind"].as_str(), item["email_state"].as_str()), (Some("assignment"), Some("sent")));
        assert_eq!(item["link"], format!("/tasks/{task_id}"));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusing_mail_server_is_retried_and_the_failure_shows() {
    engines(async |engine| {
        let Some(mail) = smtp("Refuse").await else { return };
        let Some(s) = TestServer::start_with(engine, settings(mail.port)).await else { return };
        let (marta, token) = polish_user(&s).await;
        s.create("tasks", json!({"title": "Oferta", "assignee_id": marta})).await;
        let mut runs = 0;
        loop {
            runs += run_jobs(&s).await;
            let item =
                s.call_as(&token, Method::GET, "/api/v1/notifications", None, None).await.body["items"][0].clone();
            let error = item["email_error"].as_str().unwrap_or_default().to_string();
            assert!(error.contains("550"), "the server's answer is kept: {item}");
            if item["email_state"] == "failed" {
                break;
            }
            assert_eq!(item["email_state"], "queued", "retried while attempts remain");
            // The next attempt's time comes at once instead of after the backoff.
            s.app.db.execute_raw("UPDATE jobs SET run_at = created_at WHERE state = 'queued'").await.unwrap();
        }
        assert_eq!(runs, 5, "every attempt was made");
        assert!(received(&mail.mail).is_empty());

        let failures = s.get("/api/v1/notifications/email-failures").await;
        assert_eq!(failures.status, StatusCode::OK);
        assert_eq!(failures.body["items"].as_array().unwrap().len(), 1, "administrators see the failure");
        let refused = s.call_as(&token, Method::GET, "/api/v1/notifications/email-failures", None, None).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn choices_pages_and_marking_read_over_http() {
    engines(async |engine| {
        let Some(mail) = smtp("Save").await else { return };
        let Some(s) = TestServer::start_with(engine, settings(mail.port)).await else { return };
        let (marta, token) = polish_user(&s).await;
        let me =
            async |method: Method, path: &str, body: Option<Value>| s.call_as(&token, method, path, body, None).await;
        let path = "/api/v1/users/me/notification-preferences";
        let defaults = me(Method::GET, path, None).await;
        assert_eq!(defaults.body["assignment"], json!({"in_app": true, "email": true}));
        let chosen = me(Method::PUT, path, Some(json!({"assignment": {"in_app": true, "email": false}}))).await;
        assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.body);
        assert_eq!(chosen.body["assignment"], json!({"in_app": true, "email": false}));
        assert_eq!(chosen.body["mention"], json!({"in_app": true, "email": true}));
        let wrong = me(Method::PUT, path, Some(json!({"assignment": {"email": "no"}}))).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(wrong.body["errors"][0]["field"], "assignment");

        for n in 0..3 {
            s.create("tasks", json!({"title": format!("Task {n}"), "assignee_id": marta})).await;
        }
        assert_eq!(run_jobs(&s).await, 0, "no email: marta chose the app only");
        assert!(received(&mail.mail).is_empty());

        let first = me(Method::GET, "/api/v1/notifications?limit=2", None).await;
        assert_eq!(first.body["unread_count"], 3);
        assert_eq!(first.body["items"][0]["message"], "Ada Admin gave you the task Task 2", "newest first");
        let cursor = first.body["next_cursor"].as_str().expect("a next page").to_string();
        let second = me(Method::GET, &format!("/api/v1/notifications?limit=2&cursor={cursor}"), None).await;
        assert_eq!(second.body["items"].as_array().unwrap().len(), 1);
        assert!(second.body["next_cursor"].is_null());

        let newest = first.body["items"][0]["id"].as_str().unwrap().to_string();
        let read = me(Method::POST, &format!("/api/v1/notifications/{newest}/read"), None).await;
        assert_eq!(read.status, StatusCode::NO_CONTENT);
        let unread = me(Method::GET, "/api/v1/notifications?unread=true", None).await;
        assert_eq!(unread.body["unread_count"], 2);
        assert!(unread.body["items"].as_array().unwrap().iter().all(|n| n["id"] != newest.as_str()));
        let others = s.post(&format!("/api/v1/notifications/{newest}/read"), json!({})).await;
        assert_eq!(others.status, StatusCode::NOT_FOUND, "another user's notification is not found");
        let all = me(Method::POST, "/api/v1/notifications/read-all", None).await;
        assert_eq!(all.body["marked"], 2);
        assert_eq!(me(Method::GET, "/api/v1/notifications", None).await.body["unread_count"], 0);

        let bad = me(Method::GET, "/api/v1/notifications?unread=maybe", None).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(me(Method::GET, "/api/v1/notifications?colour=red", None).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(me(Method::GET, "/api/v1/notifications?cursor=x", None).await.status, StatusCode::BAD_REQUEST);
    })
    .await;
}
