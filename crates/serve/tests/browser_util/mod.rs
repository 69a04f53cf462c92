//! Headless Chromium for the browser tests (fantoccini through chromedriver): a server with a
//! temporary run store, a browser session on it, and the rule for when a missing browser
//! skips (outside CI) or fails (under `CI=true`).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::common;

const CHROMIUM: &str = "/usr/bin/chromium";

pub fn chromedriver() -> Option<std::path::PathBuf> {
    ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
}

/// A free loopback port (bound, then released for chromedriver).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

async fn browser(driver_port: u16, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1280,800",
                     format!("--user-data-dir={}", profile.display())],
        }),
    );
    let url = format!("http://127.0.0.1:{driver_port}");
    // chromedriver takes a moment to listen.
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return c,
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("chromedriver did not start on port {driver_port}");
}

/// Waits (up to 15 s) until `script` returns a truthy value; returns it.
///
/// A script that throws counts as "not yet": under a loaded machine the page may still be
/// loading (its functions not defined yet, or a navigation in flight), which made this
/// helper fail at random in full-workspace test runs. The last error is in the panic.
pub async fn until(c: &Client, script: &str) -> Value {
    let mut last_error = None;
    for _ in 0..150 {
        match c.execute(script, vec![]).await {
            Ok(v) if !(v.is_null() || v == json!(false) || v == json!("")) => return v,
            Ok(_) => {}
            Err(e) => last_error = Some(e.to_string()),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for: {script} (last error: {last_error:?})");
}

const MISSING: &str =
    "/usr/bin/chromium or chromedriver is missing (apt-get install -y chromium chromium-driver)";

/// Whether `CI` (the variable's value, if set) asks that every test really runs.
pub fn in_ci(ci: Option<&str>) -> bool {
    matches!(ci.map(str::trim), Some("true" | "1"))
}

/// The chromedriver `found` (with Chromium beside it), or `None` to skip; a missing browser
/// under CI is an error.
pub fn driver_or_skip(
    found: Option<std::path::PathBuf>,
    ci: Option<&str>,
) -> Result<Option<std::path::PathBuf>, String> {
    match found {
        Some(driver) => Ok(Some(driver)),
        None if in_ci(ci) => Err(format!(
            "browser test under CI={}: {MISSING}; .ci/run installs them",
            ci.unwrap_or_default().trim()
        )),
        None => {
            println!("SKIPPED browser test: {MISSING}");
            Ok(None)
        }
    }
}

/// A server (with a run store in a temporary directory) and a browser session on it.
pub struct Session {
    pub client: Client,
    pub addr: SocketAddr,
    driver: tokio::process::Child,
    _store: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

impl Session {
    /// Starts both, or returns `None` (after printing why) when the browser is missing outside
    /// CI; under `CI=true` a missing browser panics.
    pub async fn start() -> Option<Session> {
        let ci = std::env::var("CI").ok();
        let found = chromedriver().filter(|_| Path::new(CHROMIUM).exists());
        let driver = match driver_or_skip(found, ci.as_deref()) {
            Ok(Some(driver)) => driver,
            Ok(None) => return None,
            Err(e) => panic!("{e}"),
        };
        let store = tempfile::tempdir().expect("a store dir");
        let addr = common::start_with(nnlab_serve::RunStore::open(
            &store.path().join("runs.sqlite"),
        ))
        .await;
        let port = free_port();
        let driver = tokio::process::Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("a profile dir");
        let client = browser(port, profile.path()).await;
        Some(Session {
            client,
            addr,
            driver,
            _store: store,
            _profile: profile,
        })
    }

    /// Closes the browser and stops chromedriver.
    pub async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
    }
}

/// Writes a screenshot of the whole window to the tests' temporary directory; returns its path.
pub async fn screenshot(c: &Client, name: &str) -> Result<std::path::PathBuf, String> {
    let shot = c.screenshot().await.map_err(|e| e.to_string())?;
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, shot).map_err(|e| e.to_string())?;
    println!("screenshot: {}", path.display());
    Ok(path)
}

/// The math panel's equations as shown: each with the server's text rebuilt from its parts
/// (a number's exact text, an input's symbol) and its numbers as [shown, data-value, title].
const EQUATIONS: &str = "return [...document.querySelectorAll('#math-panel .eq')].map((d) => ({
    raw: [...d.childNodes].map((n) => n.nodeType === 3 ? n.textContent : (n.dataset.value ?? n.dataset.symbol)).join(''),
    nums: [...d.querySelectorAll('.num')].map((s) => [s.textContent, s.dataset.value, s.title]) }))";

/// The math panel's equations (as `EQUATIONS` reads them), which must be the API's state's
/// `node` (a neuron of `step.nodes`) shown: its forward and both backward equations.
pub async fn node_equations_shown(c: &Client, node: &Value) -> Result<Value, String> {
    let eqs = js(c, EQUATIONS).await?;
    let raws: Vec<&Value> = eqs
        .as_array()
        .ok_or("equations")?
        .iter()
        .map(|e| &e["raw"])
        .collect();
    assert_eq!(
        raws,
        [
            &node["equation"],
            &node["dl_da_equation"],
            &node["dl_dz_equation"]
        ],
        "{eqs}"
    );
    Ok(eqs)
}

/// Runs `script` (which returns a value) in the page.
pub async fn js(c: &Client, script: &str) -> Result<Value, String> {
    c.execute(script, vec![]).await.map_err(|e| e.to_string())
}

/// Clicks the element with id `id`.
pub async fn click(c: &Client, id: &str) -> Result<(), String> {
    c.find(Locator::Id(id))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())
}

/// The page's script errors so far (uncaught errors, rejected promises, `console.error`, as
/// `errors.js` keeps them); `Err` lists them. Every browser test ends with it.
pub async fn no_page_errors(c: &Client) -> Result<(), String> {
    let errors = js(c, "return window.pageErrors || ['errors.js did not load']").await?;
    match errors.as_array() {
        Some(list) if list.is_empty() => Ok(()),
        _ => Err(format!("script errors in the page: {errors}")),
    }
}

/// Opens `url`, after checking that the page being left had no script error (its
/// `pageErrors` go with it).
pub async fn goto(c: &Client, url: &str) -> Result<(), String> {
    let on_page = js(c, "return location.protocol").await?;
    if on_page.as_str().is_some_and(|p| p.starts_with("http")) {
        no_page_errors(c).await?;
    }
    c.goto(url).await.map_err(|e| e.to_string())
}

/// Runs a test's `checks`, then requires that the last page had no script error.
pub async fn checked(c: &Client, result: Result<(), String>) -> Result<(), String> {
    result?;
    no_page_errors(c).await
}

/// Clicks the first element matching the CSS selector `css`.
pub async fn click_css(c: &Client, css: &str) -> Result<(), String> {
    c.find(Locator::Css(css))
        .await
        .map_err(|e| e.to_string())?
        .click()
        .await
        .map_err(|e| e.to_string())
}
