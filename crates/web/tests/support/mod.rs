//! A running Rapport server for API tests: a fresh database, an administrator, a token,
//! and a client that speaks HTTP to it as any API client would.

#![allow(dead_code)]

use rapport_app::users::{self, UserDraft};
use rapport_app::{Actor, App, DbOptions, Settings};
use rapport_testkit::{Engine, TestDatabase};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub token: String,
    pub app: App,
    pub engine: Engine,
    _database: TestDatabase,
}

/// One answer: status, headers and the body as JSON (`Null` when empty or not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

impl TestServer {
    pub async fn start(engine: Engine) -> Option<TestServer> {
        TestServer::start_with(engine, Settings::default()).await
    }

    /// A server with settings of the test's own (a mail server, say).
    pub async fn start_with(engine: Engine, settings: Settings) -> Option<TestServer> {
        let database = TestDatabase::new(engine).await?;
        let app = App::open(&database.url, &DbOptions::default(), settings).await.expect("the database opens");
        let admin = UserDraft {
            login: Some("admin".into()),
            name: Some("Ada Admin".into()),
            password: Some(ADMIN_PASSWORD.into()),
            role: Some("admin".into()),
            ..Default::default()
        };
        users::create(&app, &Actor::system(), admin).await.expect("the administrator is created");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(rapport_web::serve(listener, app.clone(), std::future::pending()));
        let mut server =
            TestServer { base, client: reqwest::Client::new(), token: String::new(), app, engine, _database: database };
        server.token = server.sign_in("admin", ADMIN_PASSWORD).await;
        Some(server)
    }

    pub async fn sign_in(&self, login: &str, password: &str) -> String {
        let answer = self
            .call(
                Method::POST,
                "/api/v1/auth/tokens",
                Some(serde_json::json!({"login": login, "password": password})),
                None,
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "sign-in failed: {}", answer.body);
        answer.body["token"].as_str().expect("a token").to_string()
    }

    /// A request with the administrator's token.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>, if_match: Option<i64>) -> Answer {
        let token = self.token.clone();
        self.call_as(&token, method, path, body, if_match).await
    }

    pub async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<i64>,
    ) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if !token.is_empty() {
            request = request.bearer_auth(token);
        }
        if let Some(version) = if_match {
            request = request.header("if-match", format!("\"{version}\""));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.expect("the server answers")).await
    }

    /// A request with a raw body and content type, for malformed input.
    pub async fn raw(&self, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Answer {
        let request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("content-type", HeaderValue::from_str(content_type).expect("a header value"))
            .body(body);
        answer(request.send().await.expect("the server answers")).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call(Method::GET, path, None, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(body), None).await
    }

    /// Creates a record and returns it, failing the test when the server refuses.
    pub async fn create(&self, collection: &str, body: Value) -> Value {
        let answer = self.post(&format!("/api/v1/{collection}"), body).await;
        assert_eq!(answer.status, StatusCode::CREATED, "creating in {collection}: {}", answer.body);
        answer.body
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap_or_default();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, headers, body }
}

/// Runs a test body against a server on SQLite and another on PostgreSQL.
#[macro_export]
macro_rules! both_engines {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let server =
                    support::TestServer::start(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
                ($body)(server).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(server) = support::TestServer::start(rapport_testkit::Engine::Postgres).await {
                    ($body)(server).await;
                }
            }
        }
    };
}
