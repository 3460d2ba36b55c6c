//! The `rapport` binary as a user runs it: create a user, serve, sign in, load demo
//! data, and two servers sharing one PostgreSQL database.

use std::path::PathBuf;
use std::process::Stdio;

use rapport_testkit::{Engine, TestDatabase};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_rapport");

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rapport-cli-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `rapport <args>` on a database; returns (success, stdout, stderr).
async fn rapport(database: &[String], args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .args(database)
        .args(args)
        .env("RAPPORT_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.unwrap();
    }
    drop(input);
    let output = child.wait_with_output().await.unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A running `rapport serve`, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(database: &[String]) -> Server {
        let mut child = Command::new(BIN)
            .args(database)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("RAPPORT_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("the server starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = tokio::time::timeout(std::time::Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(address) = line.strip_prefix("Rapport listening on ") {
                    return address.trim().to_string();
                }
            }
            panic!("the server stopped before listening");
        })
        .await
        .expect("the server listens within a minute");
        // Keep reading stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Server { child, base }
    }

    async fn token(&self, login: &str, password: &str) -> String {
        let response = reqwest::Client::new()
            .post(format!("{}/api/v1/auth/tokens", self.base))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn generated_password(stdout: &str) -> String {
    stdout.lines().find_map(|l| l.strip_prefix("password: ")).expect("a generated password is printed").to_string()
}

#[tokio::test]
async fn the_readme_quick_start_serves_a_ready_crm_on_sqlite() {
    let dir = temp_dir();
    let database = vec!["--data-dir".to_string(), dir.display().to_string()];
    let (ok, stdout, stderr) =
        rapport(&database, &["user", "create", "--login", "admin", "--name", "Admin", "--role", "admin"], None).await;
    assert!(ok, "{stderr}");
    let password = generated_password(&stdout);
    assert!(password.len() >= 20);

    let server = Server::start(&database).await;
    let client = reqwest::Client::new();
    let ready = client.get(format!("{}/readyz", server.base)).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let token = server.token("admin", &password).await;
    let me: Value = client
        .get(format!("{}/api/v1/users/me", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["role"], "admin");
    assert!(dir.join("rapport.db").exists(), "the SQLite file is in the data directory");
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn user_create_reads_a_password_and_refuses_bad_input() {
    let dir = temp_dir();
    let database = vec!["--data-dir".to_string(), dir.display().to_string()];
    let (ok, stdout, _) = rapport(
        &database,
        &["user", "create", "--login", "sam", "--name", "Sam", "--password-stdin"],
        Some("a long enough secret\n"),
    )
    .await;
    assert!(ok);
    assert!(!stdout.contains("password:"), "a given password is never printed");
    let (ok, _, stderr) =
        rapport(&database, &["user", "create", "--login", "eve", "--name", "Eve", "--password-stdin"], Some("short\n"))
            .await;
    assert!(!ok);
    assert!(stderr.contains("--password"), "{stderr}");
    let (ok, _, stderr) = rapport(&database, &["user", "create", "--login", "SAM", "--name", "Again"], None).await;
    assert!(!ok, "logins are unique whatever their case");
    assert!(stderr.contains("--login"), "{stderr}");

    let server = Server::start(&database).await;
    let token = server.token("sam", "a long enough secret").await;
    assert!(token.starts_with("rpt_"));
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn demo_fills_the_database_with_customers_in_their_own_scripts() {
    let dir = temp_dir();
    let database = vec!["--data-dir".to_string(), dir.display().to_string()];
    let (ok, stdout, stderr) = rapport(&database, &["demo", "--companies", "40"], None).await;
    assert!(ok, "{stderr}");
    assert!(stdout.contains("40 companies"), "{stdout}");
    let (ok, stdout, _) =
        rapport(&database, &["user", "create", "--login", "admin", "--name", "Admin", "--role", "admin"], None).await;
    assert!(ok);
    let server = Server::start(&database).await;
    let token = server.token("admin", &generated_password(&stdout)).await;
    let listed: Value = reqwest::Client::new()
        .get(format!("{}/api/v1/companies?limit=500", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = listed["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 40);
    let has = |test: fn(char) -> bool| names.iter().any(|n| n.chars().any(test));
    assert!(has(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "Cyrillic names: {names:?}");
    assert!(has(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "Chinese names: {names:?}");
    assert!(has(|c| "ąćęłńóśźżŁŚŻ".contains(c)), "Polish names: {names:?}");
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn two_servers_on_one_postgres_database_see_each_others_writes() {
    let Some(db) = TestDatabase::new(Engine::Postgres).await else { return };
    let database = vec!["--database-url".to_string(), db.url.clone()];
    let (ok, stdout, stderr) =
        rapport(&database, &["user", "create", "--login", "admin", "--name", "Admin", "--role", "admin"], None).await;
    assert!(ok, "{stderr}");
    let password = generated_password(&stdout);
    let first = Server::start(&database).await;
    let second = Server::start(&database).await;
    let client = reqwest::Client::new();
    let token = first.token("admin", &password).await;
    let created: Value = client
        .post(format!("{}/api/v1/companies", first.base))
        .bearer_auth(&token)
        .json(&json!({"name": "Shared Ltd"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_str().unwrap();
    let seen = client.get(format!("{}/api/v1/companies/{id}", second.base)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(seen.status(), 200, "the token and the company are visible through the second server");
    let renamed = client
        .patch(format!("{}/api/v1/companies/{id}", second.base))
        .bearer_auth(&token)
        .header("if-match", "\"1\"")
        .json(&json!({"name": "Shared Group"}))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), 200);
    let stale = client
        .patch(format!("{}/api/v1/companies/{id}", first.base))
        .bearer_auth(&token)
        .header("if-match", "\"1\"")
        .json(&json!({"name": "Lost Update"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 412, "the first server knows of the second's change");
    drop((first, second));
}

#[tokio::test]
async fn import_and_export_from_the_command_line() {
    let dir = temp_dir();
    let database = vec!["--data-dir".to_string(), dir.display().to_string()];
    let file = dir.join("companies.csv");
    std::fs::write(&file, "Company;E-mail;City\nAcme Ltd;office@acme.example;Sofia\nBroken Ltd;nope;Varna\n").unwrap();
    let path = file.display().to_string();
    // All or nothing: one bad row, so nothing is written, the command fails and says where the report is.
    let (ok, out, err) = rapport(&database, &["import", &path, "--kind", "companies"], None).await;
    assert!(!ok, "{out}{err}");
    assert!(out.contains("0 created") && out.contains("1 refused"), "{out}");
    let report = std::fs::read_to_string(dir.join("companies.rejected.csv")).expect("the report is written");
    assert!(report.contains("3,E-mail,is not a valid email address,invalid_email"), "{report}");
    assert!(err.contains("1 row(s) were refused; nothing was imported"), "{err}");
    // Valid rows: the good one goes in.
    let (ok, out, err) =
        rapport(&database, &["import", &path, "--kind", "companies", "--mode", "valid-rows"], None).await;
    assert!(ok, "{out}{err}");
    assert!(out.contains("1 created"), "{out}");
    let (ok, out, err) = rapport(
        &database,
        &["export", "--kind", "companies", "--format", "csv", "--where", "status=active", "--q", "Acme"],
        None,
    )
    .await;
    assert!(ok, "{err}");
    assert!(out.starts_with("External ID,Code,Name,"), "{out}");
    assert!(out.contains("C-000001,Acme Ltd,"), "{out}");
    let (ok, _, err) = rapport(&database, &["export", "--kind", "companies", "--where", "colour=red"], None).await;
    assert!(!ok && err.contains("unknown query parameter"), "{err}");
}
