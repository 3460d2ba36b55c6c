//! The benchmark's HTTP client: one keep-alive pool shared by every load task, signed in
//! once with a bearer token.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::raw::After;

pub struct Api {
    client: reqwest::Client,
    base: String,
    credentials: Credentials,
}

/// How requests prove who sends them: the API's bearer token, or the pages' session cookie.
enum Credentials {
    Bearer(String),
    Cookie(String),
}

/// The cursor of a page deep in the default (by name) company list.
#[derive(Debug, Clone)]
pub struct DeepPage {
    /// Pages of 50 before it.
    pub depth: usize,
    pub cursor: String,
    /// The last company before the page, for the raw baseline's keyset query.
    pub after: After,
    /// How long walking there took.
    pub walk: Duration,
}

pub const PAGE: usize = 50;

impl Api {
    fn client(connections: usize) -> Result<reqwest::Client> {
        reqwest::Client::builder()
            .no_proxy()
            .tcp_nodelay(true)
            .pool_max_idle_per_host(connections)
            .timeout(Duration::from_secs(120))
            // Signing in to the pages answers with a redirect that carries the cookie.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .context("cannot build the HTTP client")
    }

    /// Signs in to the pages as a browser does: the sign-in form's CSRF token and cookie,
    /// then the session cookie from the answer.
    pub async fn sign_in_pages(base: &str, login: &str, password: &str, connections: usize) -> Result<Api> {
        let client = Self::client(connections)?;
        let form = client.get(format!("{base}/login")).send().await.context("cannot reach the sign-in page")?;
        let csrf_cookie = cookie_named(&form, "rapport_csrf").context("the sign-in page sets no CSRF cookie")?;
        let page = form.text().await?;
        let token = page
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .context("the sign-in page has no CSRF field")?;
        let body = format!("_csrf={}&login={}&password={}&next=", encode(token), encode(login), encode(password));
        let answer = client
            .post(format!("{base}/login"))
            .header(reqwest::header::COOKIE, csrf_cookie)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .context("cannot send the sign-in form")?;
        let Some(session) = cookie_named(&answer, "rapport_session") else {
            bail!("signing in to the pages as {login} answered {} without a session", answer.status());
        };
        Ok(Api { client, base: base.to_string(), credentials: Credentials::Cookie(session) })
    }

    /// Signs in (once: failed sign-ins are rate limited) and keeps the token.
    pub async fn sign_in(base: &str, login: &str, password: &str, connections: usize) -> Result<Api> {
        let client = Self::client(connections)?;
        let response = client
            .post(format!("{base}/api/v1/auth/tokens"))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .context("cannot reach the server to sign in")?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status != StatusCode::CREATED {
            bail!("signing in as {login} answered {status}: {body}");
        }
        let token = body["token"].as_str().context("the sign-in answer has no token")?.to_string();
        Ok(Api { client, base: base.to_string(), credentials: Credentials::Bearer(token) })
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match &self.credentials {
            Credentials::Bearer(token) => request.bearer_auth(token),
            Credentials::Cookie(cookie) => request.header(reqwest::header::COOKIE, cookie),
        }
    }

    /// Sends a request and reads the whole answer; a non-2xx status is an error.
    pub async fn send(&self, request: RequestBuilder) -> Result<(), String> {
        let response = request.send().await.map_err(|e| format!("request failed: {e}"))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| format!("reading the answer failed: {e}"))?;
        if status.is_success() {
            Ok(())
        } else {
            let text = String::from_utf8_lossy(&body);
            let short: String = text.chars().take(300).collect();
            Err(format!("{status}: {short}"))
        }
    }

    /// A successful answer's JSON body.
    pub async fn json(&self, request: RequestBuilder) -> Result<Value> {
        let response = request.send().await?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("answered {status}: {body}");
        }
        Ok(body)
    }

    /// Walks the company list (by name) to the page after `depth` pages of 50, in steps
    /// of up to 500 rows.
    pub async fn deep_page(&self, depth: usize) -> Result<DeepPage> {
        let started = std::time::Instant::now();
        let mut remaining = depth * PAGE;
        let mut cursor: Option<String> = None;
        let mut after = None;
        while remaining > 0 {
            let limit = remaining.min(500);
            let mut path = format!("/api/v1/companies?limit={limit}");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={}", encode(cursor)));
            }
            let body = self.json(self.request(Method::GET, &path)).await.context("walking the company list")?;
            let items = body["items"].as_array().context("a list answer without items")?;
            let last = items.last().context("the company list ended before the deep page")?;
            let id = last["id"].as_str().and_then(|id| Uuid::parse_str(id).ok()).context("an item without an id")?;
            let name = last["name"].as_str().context("an item without a name")?.to_string();
            after = Some(After { name, id });
            remaining -= items.len();
            cursor = Some(body["next_cursor"].as_str().context("the company list ended before the deep page")?.into());
        }
        let (Some(cursor), Some(after)) = (cursor, after) else { bail!("a deep page needs a depth of at least 1") };
        Ok(DeepPage { depth, cursor, after, walk: started.elapsed() })
    }

    /// How many items the first page of a company list query has.
    pub async fn count_first_page(&self, query: &str) -> Result<usize> {
        let body = self.json(self.request(Method::GET, &format!("/api/v1/companies?{query}"))).await?;
        Ok(body["items"].as_array().map(Vec::len).unwrap_or(0))
    }
}

/// `name=value` of the cookie `name` an answer sets.
fn cookie_named(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.strip_prefix(name).is_some_and(|rest| rest.starts_with('=')))
        .map(str::to_string)
}

/// Percent-encodes a query parameter value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Runs a duplicate scan of every person and waits for the job to end.
pub async fn scan_people(api: &Api) -> Result<(), String> {
    let started = api
        .json(api.request(Method::POST, "/api/v1/duplicates/scan").json(&json!({"kind": "people"})))
        .await
        .map_err(|e| format!("starting the scan: {e:#}"))?;
    let job = started["job_id"].as_str().ok_or("the scan answered no job id")?.to_string();
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let state = api
            .json(api.request(Method::GET, &format!("/api/v1/duplicates/scans/{job}")))
            .await
            .map_err(|e| format!("reading the scan: {e:#}"))?;
        match state["state"].as_str() {
            Some("done") => return Ok(()),
            Some("failed") => return Err(format!("the scan failed: {}", state["last_error"])),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("abc-1.2_~"), "abc-1.2_~");
        assert_eq!(encode("a b&c=d"), "a%20b%26c%3Dd");
        assert_eq!(encode("Wisła"), "Wis%C5%82a");
    }
}
