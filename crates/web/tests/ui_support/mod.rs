//! A running Rapport server for the page tests, and a small browser over HTTP: it keeps
//! cookies, does not follow redirects (tests look at them), and sends forms with the
//! CSRF token of the page they came from, as a real browser would.

#![allow(dead_code)]

use std::collections::BTreeMap;

use rapport_app::users::{self, UserDraft};
use rapport_app::{Actor, App, DbOptions, Settings};
use rapport_testkit::{Engine, TestDatabase};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

pub const SETUP_TOKEN: &str = "test-setup-token-0123456789";
pub const PASSWORD: &str = "correct horse battery staple";

pub struct UiServer {
    pub base: String,
    pub app: App,
    pub engine: Engine,
    _database: TestDatabase,
}

impl UiServer {
    /// A server on a fresh database with no users, offering the set-up link.
    pub async fn start(engine: Engine) -> Option<UiServer> {
        let database = TestDatabase::new(engine).await?;
        let app =
            App::open(&database.url, &DbOptions::default(), Settings::default()).await.expect("the database opens");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let server =
            rapport_web::serve_with_setup(listener, app.clone(), Some(SETUP_TOKEN.into()), std::future::pending());
        tokio::spawn(server);
        Some(UiServer { base, app, engine, _database: database })
    }

    /// A server with an administrator `admin` already there.
    pub async fn with_admin(engine: Engine) -> Option<UiServer> {
        let server = UiServer::start(engine).await?;
        server.user("admin", "Ada Admin", "admin", None).await;
        Some(server)
    }

    /// Creates a user with [`PASSWORD`] and returns their id.
    pub async fn user(&self, login: &str, name: &str, role: &str, team_id: Option<uuid::Uuid>) -> uuid::Uuid {
        let draft = UserDraft {
            login: Some(login.into()),
            name: Some(name.into()),
            password: Some(PASSWORD.into()),
            role: Some(role.into()),
            team_id,
            ..Default::default()
        };
        users::create(&self.app, &Actor::system(), draft).await.expect("the user is created").user.user.id
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// A browser signed in as `login`.
    pub async fn signed_in(&self, login: &str) -> Browser {
        let mut browser = self.browser();
        browser.get("/login").await;
        let page = browser.post("/login", &[("login", login), ("password", PASSWORD)]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{login} signs in: {}", page.body);
        browser
    }
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> String {
        self.headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join("\n")
    }

    pub fn location(&self) -> String {
        self.header("location")
    }

    /// The value of the hidden CSRF input of the page's forms.
    pub fn csrf(&self) -> Option<String> {
        let start = self.body.find(r#"name="_csrf" value=""#)? + r#"name="_csrf" value=""#.len();
        let end = self.body[start..].find('"')?;
        Some(self.body[start..start + end].to_string())
    }

    /// The value of an input, as the page shows it.
    pub fn input_value(&self, name: &str) -> Option<String> {
        let marker = format!(r#"name="{name}""#);
        let at = self.body.find(&marker)?;
        let rest = &self.body[at..];
        let tag_end = rest.find('>')?;
        let tag = &rest[..tag_end];
        let start = tag.find(r#"value=""#)? + r#"value=""#.len();
        let end = tag[start..].find('"')?;
        Some(tag[start..start + end].to_string())
    }
}

pub struct Browser {
    base: String,
    client: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
    /// The CSRF token of the last page that had a form.
    pub csrf: String,
    pub accept_language: Option<String>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a client");
        Browser { base: base.into(), client, cookies: BTreeMap::new(), csrf: String::new(), accept_language: None }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let mut request = request.header("cookie", self.cookie_header());
        if let Some(lang) = &self.accept_language {
            request = request.header("accept-language", lang);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()) {
            let pair = set.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || set.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.into(), value.into());
                }
            }
        }
        let body = response.text().await.unwrap_or_default();
        let page = Page { status, headers, body };
        if let Some(token) = page.csrf() {
            self.csrf = token;
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.client.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    /// Sends a form with the CSRF token of the last page seen.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Calls the JSON API with this browser's cookies, as a script on a page would, with
    /// the `X-CSRF-Token` header when `csrf` is given.
    pub async fn api(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
        csrf: Option<&str>,
    ) -> Page {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(token) = csrf {
            request = request.header("x-csrf-token", token);
        }
        self.send(request).await
    }

    /// Sends exactly these fields (no CSRF token unless given).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let request = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(request).await
    }
}

/// Runs a page test on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! ui_both_engines {
    ($name:ident, $start:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let server =
                    ui_support::UiServer::$start(rapport_testkit::Engine::Sqlite).await.expect("SQLite always runs");
                ($body)(server).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(server) = ui_support::UiServer::$start(rapport_testkit::Engine::Postgres).await {
                    ($body)(server).await;
                }
            }
        }
    };
}
