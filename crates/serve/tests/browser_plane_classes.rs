//! The decision surface of a classification session in headless Chromium (issue 14): the
//! plane shows each cell's predicted class by its probability (the API's `class` grid,
//! exactly), the rows filled with their true class's colour, a colour bar of P(class 1) from
//! 0 to 1, and the per-neuron tiles keep working.
//!
//! Skips as `browser.rs` does (a message outside CI, a failure under `CI=true`).

mod browser_util;
mod charts_util;
mod common;

use std::net::SocketAddr;

use fantoccini::Client;
use serde_json::json;

use browser_util::{click, js, screenshot, until, Session};
use charts_util::{open, sid};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_classifier_plane_shows_classes_and_probabilities() {
    let Some(session) = Session::start().await else {
        return;
    };
    let c = &session.client;
    let addr = session.addr;
    let result = browser_util::checked(c, xor_plane(c, addr).await).await;
    session.close().await;
    result.expect("classification plane checks");
}

/// tab10's first two colours, class 0 and class 1 (the page's CLASS_COLOURS).
const BLUE: &str = "#1f77b4";
const ORANGE: &str = "#ff7f0e";

async fn xor_plane(c: &Client, addr: SocketAddr) -> Result<(), String> {
    open(
        c,
        addr,
        "?data=generate:xor&rows=80&test_fraction=0.25&arch=2-4-1&activation=tanh,sigmoid&loss=binary_cross_entropy",
    )
    .await?;
    // Train a little so the plane has both classes.
    js(
        c,
        "act('POST', '/step', { unit: 'epoch', count: 100 }); return 1",
    )
    .await?;
    until(c, "return st && st.epoch === 100").await;
    until(c, "return document.querySelectorAll('#chart-plane .cell').length > 0 && document.querySelector('#chart-plane .pt')").await;
    let id = sid(c).await?;
    let grid = common::get(addr, &format!("/api/sessions/{id}/grid?n=24&points=true"))
        .await
        .json();
    assert_eq!(grid["classes"], json!(["0", "1"]));
    // The plane is refreshed a moment after the state (charts.js): wait until it shows this
    // epoch's probabilities, not the untrained 0.5 of the first paint.
    let p0 = grid["class"][0][0][1].as_f64().ok_or("p of cell 0")?;
    until(
        c,
        &format!(
            "const t = document.querySelector('#chart-plane rect.cell title'); \
             return t && Number(t.textContent.split(' = ').pop()) === {p0:?}"
        ),
    )
    .await;
    // Each cell's class and probability are the API's: cell k = row j, column i, k = 24j + i.
    let cells = js(
        c,
        "return [...document.querySelectorAll('#chart-plane rect.cell')].map((r) => [Number(r.dataset.class), r.querySelector('title').textContent])",
    )
    .await?;
    assert_eq!(cells.as_array().map(Vec::len), Some(576));
    let mut seen = [false, false];
    for k in 0..576 {
        let (j, i) = (k / 24, k % 24);
        let want = &grid["class"][j][i];
        let class = want[0].as_u64().ok_or("class")? as usize;
        let p = want[1].as_f64().ok_or("p")?;
        assert_eq!(cells[k][0].as_u64(), Some(class as u64), "cell {k}");
        let text = cells[k][1].as_str().ok_or("title")?;
        let shown: f64 = text
            .rsplit(" = ")
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or(format!("a p in {text}"))?;
        assert_eq!(shown, p, "cell {k}: {text}");
        // The predicted class has the larger probability: p >= 0.5.
        assert!(p >= 0.5, "cell {k}: {p}");
        seen[class] = true;
    }
    assert_eq!(
        seen,
        [true, true],
        "both classes on the plane after training"
    );
    // The rows: filled with their true class's colour (the API's y is the class).
    let points = js(
        c,
        "return [...document.querySelectorAll('#chart-plane .points .pt')].map((p) => [Number(p.dataset.class), p.getAttribute('fill')])",
    )
    .await?;
    let api_points = grid["points"].as_array().ok_or("points")?;
    assert_eq!(points.as_array().map(Vec::len), Some(api_points.len()));
    for (shown, want) in points.as_array().ok_or("points")?.iter().zip(api_points) {
        let class = want["y"].as_f64().ok_or("y")?;
        assert_eq!(shown[0].as_f64(), Some(class));
        let colour = if class == 1.0 { ORANGE } else { BLUE };
        assert_eq!(shown[1], json!(colour));
    }
    // The colour bar: P(1) from 0 to 1, its title naming the positive class.
    let bar = js(
        c,
        "return [...document.querySelectorAll('#chart-plane .colour-bar text')].map((t) => Number(t.dataset.value))",
    )
    .await?;
    let bar: Vec<f64> = serde_json::from_value(bar).map_err(|e| e.to_string())?;
    assert_eq!(bar.first(), Some(&0.0), "{bar:?}");
    assert_eq!(bar.last(), Some(&1.0), "{bar:?}");
    let svg_text = js(
        c,
        "return document.querySelector('#chart-plane').textContent",
    )
    .await?;
    assert!(
        svg_text
            .as_str()
            .is_some_and(|t| t.contains("P(1) over (x1, x2)")),
        "{svg_text}"
    );
    js(
        c,
        "document.querySelector('#chart-plane').scrollIntoView(); return 1",
    )
    .await?;
    screenshot(c, "nnlab-serve-decision.png").await?;
    // The per-neuron tiles still draw: one per hidden neuron of 2-4-1.
    click(c, "show-neurons").await?;
    until(
        c,
        "return document.querySelectorAll('#neuron-tiles .tile').length === 4",
    )
    .await;
    Ok(())
}
