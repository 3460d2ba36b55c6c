//! Chromium and chromedriver for the browser tests of a page: found on the PATH (or
//! through `RAPPORT_CHROMIUM` and `RAPPORT_CHROMEDRIVER`), skipped with a notice when
//! missing outside CI, and the few steps every such test takes.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::ui_support::PASSWORD;

pub fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|dir| names.iter().map(move |n| dir.join(n))).find(|p| p.is_file())
}

pub fn tool(variable: &str, names: &[&str]) -> Option<PathBuf> {
    std::env::var_os(variable).map(PathBuf::from).filter(|p| p.is_file()).or_else(|| on_path(names))
}

/// chromedriver on a free port, stopped when dropped.
pub struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn start_driver(chromedriver: &PathBuf) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return driver;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not listen on port {port}");
}

pub async fn browser(driver: &Driver, chromium: &PathBuf) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            // Root in a container has no sandbox to offer; the pages are our own.
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=en-US"],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

pub fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot folder");
    dir
}

pub async fn screenshot(client: &Client, name: &str, width: u32) {
    client.set_window_size(width, 900).await.unwrap();
    let png = client.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG image");
    std::fs::write(screenshots_dir().join(format!("{name}.png")), png).unwrap();
    client.set_window_size(1280, 900).await.unwrap();
}

/// Waits for an element the page is expected to show (the wait is bounded, not timed).
pub async fn find(client: &Client, css: &str) -> fantoccini::elements::Element {
    match client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await {
        Ok(element) => element,
        Err(error) => {
            let url = client.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            let source = client.source().await.unwrap_or_default();
            panic!("{css} is not on {url}: {error}\n{source}");
        }
    }
}

pub async fn fill(client: &Client, name: &str, value: &str) {
    let input = find(client, &format!(r#"[name="{name}"]"#)).await;
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

/// Signs in as `admin` through the sign-in page, landing on "my day".
pub async fn sign_in_as_admin(client: &Client, base: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    fill(client, "login", "admin").await;
    fill(client, "password", PASSWORD).await;
    find(client, "form[action='/login'] button").await.click().await.unwrap();
}

pub async fn body_text(client: &Client) -> String {
    find(client, "body").await.text().await.unwrap()
}

/// Chromium and chromedriver, or `None` (with a notice) when they are missing outside CI.
pub fn tools() -> Option<(PathBuf, PathBuf)> {
    let required = std::env::var("CI").is_ok_and(|v| v == "true");
    let (Some(chromium), Some(chromedriver)) = (
        tool("RAPPORT_CHROMIUM", &["chromium", "chromium-browser", "google-chrome"]),
        tool("RAPPORT_CHROMEDRIVER", &["chromedriver"]),
    ) else {
        assert!(!required, "CI=true needs chromium and chromedriver (apt-get install chromium chromium-driver)");
        eprintln!("skipping the browser test: chromium or chromedriver is not installed");
        return None;
    };
    Some((chromium, chromedriver))
}

/// Whether the page fits the window's width (tables may scroll inside their frame).
pub async fn fits_width(client: &Client) -> bool {
    let fits =
        client.execute("return document.documentElement.scrollWidth <= window.innerWidth;", vec![]).await.unwrap();
    fits == json!(true)
}
