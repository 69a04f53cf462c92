//! The output over the input plane in headless Chromium (issue 13): the heatmap's colour
//! bar with round ticks, the data points over it (test rows as squares) and the test-points
//! toggle for it and the predictions chart; the per-neuron output tiles (TensorFlow
//! Playground's view), asked for only when shown, each neuron's range exactly the API's,
//! a click selecting the neuron.
//!
//! Skips as `browser.rs` does (a message outside CI, a failure under `CI=true`).

mod browser_util;
mod charts_util;
mod common;

use std::net::SocketAddr;

use fantoccini::Client;
use serde_json::json;

use browser_util::{click, js, screenshot, until, Session};
use charts_util::{numbers, open, sid, texts};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plane_shows_the_output_the_neurons_and_the_data() {
    let Some(session) = Session::start().await else {
        return;
    };
    let c = &session.client;
    let addr = session.addr;
    let result = async {
        the_heatmap_has_a_colour_bar_and_the_data(c, addr).await?;
        neuron_tiles_show_each_hidden_neuron(c, addr).await?;
        an_overflowing_plane_says_so(c, addr).await
    }
    .await;
    let result = browser_util::checked(c, result).await;
    session.close().await;
    result.expect("plane checks");
}

async fn the_heatmap_has_a_colour_bar_and_the_data(
    c: &Client,
    addr: SocketAddr,
) -> Result<(), String> {
    open(c, addr, "?rows=40&test_fraction=0.25").await?;
    until(
        c,
        "return document.querySelectorAll('#chart-plane .pt').length > 0",
    )
    .await;
    let id = sid(c).await?;
    let state = common::get(addr, &format!("/api/sessions/{id}"))
        .await
        .json();
    let grid = common::get(addr, &format!("/api/sessions/{id}/grid?n=24&points=true"))
        .await
        .json();
    // 40 rows, a quarter held out: 30 training rows as circles, 10 test rows as squares.
    let count = |css: &str| format!("return document.querySelectorAll('{css}').length");
    assert_eq!(state["data"]["train_rows"], json!(30));
    assert_eq!(
        js(c, &count("#chart-plane circle.pt-train")).await?,
        json!(30)
    );
    assert_eq!(js(c, &count("#chart-plane rect.pt-test")).await?, json!(10));
    assert_eq!(js(c, &count("#chart-plane rect.cell")).await?, json!(576));
    // Each cell's tooltip is the API's value exactly (cell k = row j, column i: k = 24j + i).
    let cells = js(
        c,
        "return [...document.querySelectorAll('#chart-plane rect.cell title')].map((t) => t.textContent.split(' = ')[1])",
    )
    .await?;
    for (k, want) in [(0, (0, 0)), (25, (1, 1)), (575, (23, 23))] {
        let (j, i) = want;
        let z = &grid["z"][j][i];
        let shown: f64 = cells[k]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or("a number")?;
        assert_eq!(Some(shown), z.as_f64(), "cell {k}");
    }
    // The colour bar: a gradient with round ticks inside the colours' range (the output
    // and the targets share it).
    let mut zs = numbers(&grid["z"]);
    let targets = grid["points"].as_array().ok_or("points")?;
    zs.extend(targets.iter().filter_map(|p| p["y"].as_f64()));
    let (lo, hi) = range(&zs);
    let bar = js(
        c,
        "return [...document.querySelectorAll('#chart-plane .colour-bar text')].map((t) => Number(t.dataset.value))",
    )
    .await?;
    let bar: Vec<f64> = serde_json::from_value(bar).map_err(|e| e.to_string())?;
    assert!(bar.len() >= 2, "{bar:?}");
    assert!(
        bar.iter().all(|&v| v >= lo && v <= hi),
        "{bar:?} in {lo}..{hi}"
    );
    assert_eq!(
        js(
            c,
            "return document.querySelector('#chart-plane .colour-bar rect').getAttribute('fill')"
        )
        .await?,
        json!("url(#chart-plane-bar)")
    );
    // The row the math explains is ringed, at the API's row_input (original units).
    let ring = js(
        c,
        "return document.querySelector('#chart-plane .pt-row title').textContent",
    )
    .await?;
    // (Rust's `{}` of an f64 and JavaScript's String(v) agree on these whole numbers.)
    let x = |k: usize| state["row_input"][k].as_f64().unwrap_or(f64::NAN);
    let (x1, x2) = (x(0), x(1));
    assert_eq!(
        ring,
        json!(format!(
            "row {}, the one the math explains: x1 {x1}, x2 {x2}",
            state["row"]
        ))
    );
    screenshot(c, "nnlab-serve-heatmap.png").await?;
    // Test points hidden: on the heatmap and on the predictions chart; shown again.
    click(c, "show-test").await?;
    until(c, "return document.querySelectorAll('#chart-plane .pt-test, #chart-pred .pt-test').length === 0").await;
    assert_eq!(js(c, &count("#chart-plane .pt-train")).await?, json!(30));
    assert_eq!(js(c, &count("#chart-pred .pt-train")).await?, json!(30));
    click(c, "show-test").await?;
    until(c, "return document.querySelectorAll('#chart-pred .pt-test').length === 10 && document.querySelectorAll('#chart-plane .pt-test').length === 10").await;
    Ok(())
}

/// An output that overflows: nothing finite to colour, and the chart says so (its colour
/// range was empty, Infinity..-Infinity). With b1 = w5 = 1e200 on the course network,
/// z1 >= 1e200 for the inputs in [0, 1] (min-max scaled), so a1 · w5 >= 1e400 = inf: z3 and
/// y_hat are infinite everywhere.
async fn an_overflowing_plane_says_so(c: &Client, addr: SocketAddr) -> Result<(), String> {
    open(c, addr, "").await?;
    js(
        c,
        "act('PUT', '/params', { name: 'b1', value: 1e200 }).then(() => act('PUT', '/params', { name: 'w5', value: 1e200 })); return 1",
    )
    .await?;
    until(
        c,
        "return st && st.params.w5 === 1e200 && st.params.b1 === 1e200",
    )
    .await;
    let id = sid(c).await?;
    let grid = common::get(addr, &format!("/api/sessions/{id}/grid?n=24"))
        .await
        .json();
    assert_eq!(numbers(&grid["z"]), Vec::<f64>::new(), "no finite output");
    // The note once the grid has come (before it, the chart says "loading": a full-suite
    // run, the first grid slower to come, once compared that note's text).
    until(
        c,
        "const note = [...document.querySelectorAll('#chart-plane .chart-note')].map((t) => t.textContent).join(' '); \
         return note !== '' && !note.endsWith('loading')",
    )
    .await;
    assert_eq!(
        texts(c, "#chart-plane .chart-note")
            .await?
            .as_array()
            .map(|t| t
                .iter()
                .filter_map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(" ")),
        Some("output over the input plane: no finite value (an overflow)".to_string())
    );
    Ok(())
}

async fn neuron_tiles_show_each_hidden_neuron(c: &Client, addr: SocketAddr) -> Result<(), String> {
    open(c, addr, "?arch=2-8-8-1").await?;
    until(c, "return document.querySelector('#chart-plane .cell')").await;
    // Off: hidden, and never asked for (they cost nothing).
    let asked = "return performance.getEntriesByType('resource').filter((e) => e.name.includes('neurons=true')).length";
    assert_eq!(js(c, asked).await?, json!(0));
    assert_eq!(
        js(c, "return document.querySelector('#neuron-tiles').hidden").await?,
        json!(true)
    );
    click(c, "show-neurons").await?;
    until(
        c,
        "return document.querySelectorAll('#neuron-tiles .tile').length === 16",
    )
    .await;
    assert_eq!(
        texts(c, "#neuron-tiles .tile-layer-name").await?,
        json!(["layer 1", "layer 2"])
    );
    // Each tile's range is its neuron's over the API's grid, exactly.
    let id = sid(c).await?;
    let grid = common::get(addr, &format!("/api/sessions/{id}/grid?n=24&neurons=true"))
        .await
        .json();
    let tiles = js(
        c,
        "return [...document.querySelectorAll('#neuron-tiles .tile')].map((t) => [Number(t.dataset.layer), Number(t.dataset.neuron), Number(t.dataset.min), Number(t.dataset.max)])",
    )
    .await?;
    for (k, n) in grid["neurons"]
        .as_array()
        .ok_or("neurons")?
        .iter()
        .enumerate()
    {
        let (lo, hi) = range(&numbers(&n["a"]));
        let shown: Vec<f64> =
            serde_json::from_value(tiles[k].clone()).map_err(|e| e.to_string())?;
        let ids = [&n["layer"], &n["neuron"]].map(|v| v.as_f64().unwrap_or(f64::NAN));
        assert_eq!(shown, vec![ids[0], ids[1], lo, hi], "tile {k}");
    }
    // The names are the step report's: a(L1.n1) ... on a general network.
    let names = texts(c, "#neuron-tiles .tile b").await?;
    assert_eq!(names[0], json!("a(L1.n1)"));
    assert_eq!(names[15], json!("a(L2.n8)"));
    // Clicking a tile selects its neuron: the math panel explains it, the tile is outlined.
    js(
        c,
        "document.querySelectorAll('#neuron-tiles .tile')[10].click(); return 1",
    )
    .await?;
    until(
        c,
        "return sel && sel.kind === 'node' && sel.layer === 2 && sel.neuron === 2",
    )
    .await;
    until(c, "const t = document.querySelectorAll('#neuron-tiles .tile')[10]; return t && t.classList.contains('selected')").await;
    let head = js(
        c,
        "return document.querySelector('#math-panel p').textContent",
    )
    .await?;
    assert!(
        head.as_str().is_some_and(|t| t.starts_with("L2.n3 ")),
        "{head}"
    );
    screenshot(c, "nnlab-serve-neuron-tiles.png").await?;
    // Data with ten inputs has no plane: the toggle is off-limits and nothing is drawn.
    open(c, addr, "?data=builtin%3Adiabetes&arch=10-4-1").await?;
    until(c, "return document.querySelector('#show-neurons').disabled").await;
    assert_eq!(
        js(c, "return document.querySelector('#neuron-tiles').hidden").await?,
        json!(true)
    );
    Ok(())
}

/// The smallest and the largest of `v`.
fn range(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
            (l.min(x), h.max(x))
        })
}
