//! What the layout tests share (`browser_layout.rs`, `browser_present.rs`): the window sizes
//! of issue 13, a browser per test, opening the page at a size once its diagram is drawn and
//! checked, and the check that the diagram's labels neither overlap nor leave the svg.
#![allow(dead_code)]

use std::net::SocketAddr;

use fantoccini::Client;
use serde_json::json;

use crate::browser_util::{self, js, until, Session};

/// The window sizes the issue names: a projector's laptop, a narrow window, a phone.
pub const SIZES: [(u32, u32); 3] = [(1400, 1000), (800, 1000), (390, 844)];

pub async fn with_browser<F, Fut>(name: &str, checks: F)
where
    F: FnOnce(Client, SocketAddr) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    let Some(session) = Session::start().await else {
        return;
    };
    let c = session.client.clone();
    let result = browser_util::checked(&c, checks(c.clone(), session.addr).await).await;
    session.close().await;
    result.unwrap_or_else(|e| panic!("{name}: {e}"));
}

/// Resizes the window and opens `query` on the page, waiting for its first state.
pub async fn open(
    c: &Client,
    addr: SocketAddr,
    (w, h): (u32, u32),
    query: &str,
) -> Result<(), String> {
    c.set_window_size(w, h).await.map_err(|e| e.to_string())?;
    browser_util::goto(c, &format!("http://{addr}/{query}")).await?;
    until(
        c,
        "return typeof st !== 'undefined' && st && st.epoch === 0",
    )
    .await;
    // The diagram is drawn at the size the layout settled on (a resize redraws it; `netSize`
    // is the size it was drawn at: a page without it is only waited for a moment).
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    until(c, "if (typeof netSize === 'undefined') return true; if (!labelsChecked) return false; const b = document.querySelector('#net').getBoundingClientRect(); return netSize === `${Math.max(240, Math.round(b.width))}x${Math.max(160, Math.round(b.height))}`").await;
    Ok(())
}

/// Every visible text of the diagram, and the pairs that overlap or leave the svg.
pub const OVERLAPS: &str = "const svg = document.querySelector('#net').getBoundingClientRect();
  const ts = [...document.querySelectorAll('#net text')].filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map((t) => { const b = t.getBoundingClientRect(); return { t: t.firstChild.textContent, x0: b.left, y0: b.top, x1: b.right, y1: b.bottom }; });
  const e = 0.01;
  const out = ts.filter((b) => b.x0 < svg.left - e || b.y0 < svg.top - e || b.x1 > svg.right + e || b.y1 > svg.bottom + e).map((b) => b.t);
  const pairs = [];
  for (let i = 0; i < ts.length; i++) for (let j = i + 1; j < ts.length; j++) {
    const a = ts[i], b = ts[j];
    if (a.x0 < b.x1 - e && b.x0 < a.x1 - e && a.y0 < b.y1 - e && b.y0 < a.y1 - e) pairs.push([a.t, b.t]);
  }
  return { texts: ts.map((b) => b.t), out, pairs };";

pub async fn labels_fit(c: &Client, what: &str) -> Result<Vec<String>, String> {
    let v = js(c, OVERLAPS).await?;
    assert_eq!(v["out"], json!([]), "labels outside the svg, {what}: {v}");
    assert_eq!(v["pairs"], json!([]), "overlapping labels, {what}: {v}");
    Ok(v["texts"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default())
}
