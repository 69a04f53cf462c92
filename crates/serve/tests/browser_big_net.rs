//! A big network's edges in headless Chromium: past 60 edges they are painted on one canvas
//! under the diagram's nodes and labels (as SVG lines they were most of a 10-16-16-1 redraw),
//! and still do what a line did: the pixel on an edge has its sign's colour, a click on it
//! selects its weight, hovering names it. Small networks keep one SVG line per edge. A click
//! on a neuron shows its equations, which the page's lean states (`nodes=`) then carry for it
//! alone.
//!
//! Skips as `browser.rs` does (a message outside CI, a failure under `CI=true`).

mod browser_util;
mod common;

use fantoccini::Client;
use serde_json::{json, Value};

use browser_util::{js, screenshot, until, Session};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_network_s_edges_are_painted_and_still_answer() {
    let Some(session) = Session::start().await else {
        return;
    };
    let result =
        browser_util::checked(&session.client, checks(&session.client, session.addr).await).await;
    session.close().await;
    result.expect("big-network edge checks");
}

/// The midpoint of the edge of weight `name` (from the last drawing's edges), its colour on
/// the canvas there, and what a click there selected.
const PROBE: &str = "const name = arguments[0];
  const e = edgeLayer.edges.find((e) => e.name === name);
  // A point of the edge that no other edge passes within 8 px of (edges cross often).
  const dist = (o, x, y) => { const dx = o.x2 - o.x1, dy = o.y2 - o.y1;
    const t = Math.max(0, Math.min(1, ((x - o.x1) * dx + (y - o.y1) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(o.x1 + t * dx - x, o.y1 + t * dy - y); };
  let x = null, y = null;
  for (let k = 1; k < 40 && x === null; k++) {
    const px = e.x1 + (e.x2 - e.x1) * k / 40, py = e.y1 + (e.y2 - e.y1) * k / 40;
    if (edgeLayer.edges.every((o) => o === e || dist(o, px, py) > 8)) { x = px; y = py; }
  }
  if (x === null) return { alone: false };
  const c = edgeLayer.canvas, dpr = window.devicePixelRatio || 1;
  const px = [...c.getContext('2d').getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data];
  const r = c.getBoundingClientRect();
  c.dispatchEvent(new MouseEvent('mousemove', { clientX: r.left + x, clientY: r.top + y, bubbles: true }));
  const title = c.title;
  c.dispatchEvent(new MouseEvent('click', { clientX: r.left + x, clientY: r.top + y, bubbles: true }));
  return { w: e.w, px, title, selected: sel && sel.name, alone: true };";

async fn probe(c: &Client, name: &str) -> Result<Value, String> {
    c.execute(PROBE, vec![json!(name)])
        .await
        .map_err(|e| e.to_string())
}

async fn checks(c: &Client, addr: std::net::SocketAddr) -> Result<(), String> {
    // 2-2-1: six SVG lines, no canvas.
    browser_util::goto(c, &format!("http://{addr}/")).await?;
    until(
        c,
        "return st && st.epoch === 0 && document.querySelector('#net line.edge')",
    )
    .await;
    let small = js(
        c,
        "return [document.querySelectorAll('#net line.edge').length, !!document.querySelector('#net canvas')]",
    )
    .await?;
    assert_eq!(small, json!([6, false]));

    // 2-8-8-1: 16 + 64 + 8 = 88 edges, past 60: painted, no lines.
    browser_util::goto(c, &format!("http://{addr}/?arch=2-8-8-1")).await?;
    until(
        c,
        "return st && st.step.arch === '2-8-8-1' && document.querySelector('#net canvas')",
    )
    .await;
    let big = js(
        c,
        "return [document.querySelectorAll('#net line.edge').length, edgeLayer.edges.length]",
    )
    .await?;
    assert_eq!(big, json!([0, 88]));
    // One edge of each sign: its midpoint has its colour (--pos #2563eb, --neg #dc2626 at
    // 75% over white, so the dominant channel is the sign's), hovering names it with its
    // exact value, a click selects it.
    let weights = js(c, "return edgeLayer.edges.map((e) => [e.name, e.w])").await?;
    let list = weights.as_array().ok_or("the edges")?;
    let find = |positive: bool| {
        // The output layer's edges (L3) cross fewest others.
        list.iter()
            .rev()
            .find(|p| {
                p[1].as_f64()
                    .is_some_and(|w| (w > 0.0) == positive && w.abs() > 0.05)
            })
            .and_then(|p| p[0].as_str().map(String::from))
            .ok_or("an edge of each sign")
    };
    for (name, positive) in [(find(true)?, true), (find(false)?, false)] {
        let got = probe(c, &name).await?;
        assert_eq!(
            got["alone"],
            json!(true),
            "{name}: no point of it clear of others"
        );
        let px: Vec<u64> = got["px"]
            .as_array()
            .ok_or("a pixel")?
            .iter()
            .filter_map(Value::as_u64)
            .collect();
        let (red, blue) = (px[0], px[2]);
        assert!(
            px[3] > 0 && if positive { blue > red } else { red > blue },
            "{name}: {got}"
        );
        let w = got["w"].as_f64().ok_or("w")?;
        assert_eq!(got["title"], json!(format!("{name} = {w}")), "{got}");
        assert_eq!(got["selected"], json!(name), "{got}");
    }
    // The selected edge is drawn on top in the selection's orange (#f59e0b).
    let name = js(c, "return sel.name").await?;
    let name = name.as_str().ok_or("a selection")?.to_string();
    until(c, &format!("return edgeLayer.edges.some((e) => e.name === '{name}') && document.querySelector('#edit-name').textContent === '{name}'")).await;
    let px = js(
        c,
        "const e = edgeLayer.edges.find((e) => e.name === sel.name), dpr = window.devicePixelRatio || 1; \
         return [...edgeLayer.canvas.getContext('2d').getImageData(Math.round((e.x1 + e.x2) / 2 * dpr), Math.round((e.y1 + e.y2) / 2 * dpr), 1, 1).data]",
    )
    .await?;
    // (#f59e0b = 245, 158, 11; the line's edge antialiased over the pixel centre can take
    // a little of its cover: channels within 3, cover at least 80%.)
    let px: Vec<i64> = px
        .as_array()
        .ok_or("a pixel")?
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    assert!(
        px.len() == 4
            && (px[0] - 245).abs() <= 3
            && (px[1] - 158).abs() <= 3
            && (px[2] - 11).abs() <= 3
            && px[3] >= 204,
        "the selected edge's colour: {px:?}"
    );
    screenshot(c, "big-net-edges.png").await?;
    node_equations(c, addr).await
}

/// A click on neuron L1.n2 shows its forward and backward equations exactly as the API's
/// full state has them on that row; the page's own state then carries that neuron's
/// backward equations only (`nodes=L1.n2`: 16 neurons' would be most of them).
async fn node_equations(c: &Client, addr: std::net::SocketAddr) -> Result<(), String> {
    browser_util::click_css(c, "#net circle[data-node='L1.n2']").await?;
    until(
        c,
        "return sel && sel.kind === 'node' && st.step.nodes.find((n) => n.name === 'L1.n2').dl_da_equation !== '' \
         && document.querySelectorAll('#math-panel .eq').length === 3",
    )
    .await;
    let explained = js(
        c,
        "return st.step.nodes.filter((n) => n.dl_da_equation || n.dl_dz_equation).map((n) => n.name)",
    )
    .await?;
    assert_eq!(explained, json!(["L1.n2"]));
    let (sid, row) = (js(c, "return sid").await?, js(c, "return st.row").await?);
    let state = common::get(
        addr,
        &format!("/api/sessions/{}?row={row}", sid.as_str().ok_or("sid")?),
    )
    .await
    .json();
    let node = state["step"]["nodes"]
        .as_array()
        .and_then(|n| n.iter().find(|n| n["name"] == "L1.n2"))
        .ok_or("L1.n2 in the API's state")?;
    browser_util::node_equations_shown(c, node).await?;
    Ok(())
}
