//! What the chart tests share: opening the page, the session's id, texts, and the numbers
//! of a nested JSON array.
#![allow(dead_code)]

use std::net::SocketAddr;

use fantoccini::Client;
use serde_json::Value;

use crate::browser_util::{self, js, until};

/// Opens the page at `query` and waits for its first state.
pub async fn open(c: &Client, addr: SocketAddr, query: &str) -> Result<(), String> {
    browser_util::goto(c, &format!("http://{addr}/{query}")).await?;
    until(c, "return st && st.epoch === 0").await;
    Ok(())
}

/// The session's id in the page.
pub async fn sid(c: &Client) -> Result<String, String> {
    let id = js(c, "return sid").await?;
    id.as_str().map(str::to_string).ok_or("no session".into())
}

/// The texts of the elements `css` selects.
pub async fn texts(c: &Client, css: &str) -> Result<Value, String> {
    js(
        c,
        &format!("return [...document.querySelectorAll(\"{css}\")].map((e) => e.textContent)"),
    )
    .await
}

/// Every number in `v`, a number or nested arrays of them (a grid's `z`), row by row.
pub fn numbers(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(items) => items.iter().flat_map(numbers).collect(),
        v => v.as_f64().into_iter().collect(),
    }
}
