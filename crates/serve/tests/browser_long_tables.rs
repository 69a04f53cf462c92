//! Issue 13 (speed) in headless Chromium: at 10-16-16-1 the parameter table holds only the
//! rows in view, yet scrolling reaches every one of its 465 rows with the API's numbers bit
//! for bit; a selected parameter's row is scrolled into view; the page asks for the selected
//! parameter's chain-rule factors only and shows them as the full report has them.
//!
//! Skips as `browser.rs` does (a message outside CI, a failure under `CI=true`).

mod browser_util;
mod common;

use fantoccini::Client;
use serde_json::{json, Value};

use browser_util::{js, screenshot, until, Session};

/// Scrolls the parameter table from top to bottom a view at a time and collects every row
/// it shows: name -> [before, dL/dp] as the cells' exact `data-value`s.
const SCROLL_THROUGH: &str = r##"
const done = arguments[arguments.length - 1];
const box = document.querySelector("#params").parentElement;
const seen = {};
let most = 0;
const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
(async () => {
  for (let top = 0; ; top += box.clientHeight / 2) {
    box.scrollTop = top;
    await frame();
    const rows = document.querySelectorAll("#params tbody tr[data-name]");
    most = Math.max(most, rows.length);
    for (const tr of rows) seen[tr.dataset.name] = [tr.querySelector(".c-before").dataset.value, tr.querySelector(".c-grad").dataset.value];
    if (top >= box.scrollHeight) break;
  }
  // Back to the top; the test then selects the last row in the same task as another scroll
  // to the top, before the page has heard of either scroll.
  box.scrollTop = 0;
  done({ seen, most, long: box.classList.contains("long") });
})();
"##;

/// A JSON number of the API's.
fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

async fn checks(c: &Client, addr: std::net::SocketAddr) -> Result<(), String> {
    browser_util::goto(
        c,
        &format!("http://{addr}/?data=builtin:diabetes&arch=10-16-16-1"),
    )
    .await?;
    until(
        c,
        "return st && st.epoch === 0 && st.step.arch === '10-16-16-1'",
    )
    .await;
    let sid = js(c, "return sid").await?;
    let sid = sid.as_str().ok_or("no session id")?.to_string();
    let api = common::get(addr, &format!("/api/sessions/{sid}"))
        .await
        .json();
    let before = api["step"]["before"].as_object().ok_or("before")?;
    let grads = api["step"]["gradients"].as_object().ok_or("gradients")?;
    assert_eq!(before.len(), 465);

    // Nothing selected: the page's state has no chain-rule factors (the API's default has all).
    assert_eq!(
        js(c, "return st.step.gradient_factors.length").await?,
        json!(0)
    );
    assert_eq!(
        api["step"]["gradient_factors"].as_array().map(Vec::len),
        Some(465)
    );

    let got = c
        .execute_async(SCROLL_THROUGH, vec![])
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(got["long"], json!(true));
    // 16 rows in view and 8 either side: never the 465.
    assert!(got["most"].as_u64() <= Some(32), "{}", got["most"]);
    let seen = got["seen"].as_object().ok_or("rows seen")?;
    assert_eq!(seen.len(), 465, "every row reached by scrolling");
    for (name, v) in before {
        let shown = &seen[name];
        // Equal as numbers, which is bit for bit but for the sign of zero: JavaScript writes
        // -0 as "0" (the page's exact text of a gradient of -0).
        let shown = |k: usize| shown[k].as_str().and_then(|t| t.parse::<f64>().ok());
        assert_eq!(shown(0), Some(num(v)), "{name} before");
        assert_eq!(shown(1), Some(num(&grads[name])), "{name} dL/dp");
    }

    // Selecting the last parameter scrolls its row into view, and the page asks for its
    // factors: the math panel shows the full report's formula for it.
    // The table's last row (its place is the box's lowest scroll, where the scroll-through's
    // last reported scroll left it), selected in the same task as a scroll to the top.
    let last = js(c, "return Object.keys(st.step.before).at(-1)").await?;
    let last = last.as_str().ok_or("a parameter")?.to_string();
    js(
        c,
        &format!("document.querySelector('#params').parentElement.scrollTop = 0; select({{ kind: 'param', name: '{last}' }}); return true"),
    )
    .await?;
    until(c, &format!("return st.step.gradient_factors.length === 1 && st.step.gradient_factors[0].name === '{last}'")).await;
    // The table follows the state on the next frame: wait (15 s at most) for the row to be
    // drawn inside its box, then require it; a failure shows where the row and the box were.
    let mut view = Value::Null;
    for _ in 0..150 {
        view = js(
            c,
            "const box = document.querySelector('#params').parentElement, tr = box.querySelector('tr.sel'); \
             if (!tr) return { drawn: false, scroll: box.scrollTop }; const a = tr.getBoundingClientRect(), b = box.getBoundingClientRect(); \
             return { name: tr.dataset.name, inside: a.top >= b.top && a.bottom <= b.bottom, row: [a.top, a.bottom], box: [b.top, b.bottom], scroll: box.scrollTop }",
        )
        .await?;
        if view["inside"] == json!(true) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        (&view["name"], &view["inside"]),
        (&json!(last), &json!(true)),
        "the selected row in view: {view}"
    );
    let g = api["step"]["gradient_factors"]
        .as_array()
        .and_then(|f| f.iter().find(|g| g["name"] == json!(last)))
        .ok_or("the last factors")?;
    let first_eq = until(
        c,
        "const e = document.querySelector('#math-panel .eq'); return e && e.textContent.startsWith('dL/d') && e.textContent",
    )
    .await;
    assert_eq!(
        first_eq,
        json!(format!(
            "dL/d{last} = {}",
            g["formula"].as_str().unwrap_or_default()
        ))
    );
    // A click on a row in view selects it the same way.
    js(
        c,
        "document.querySelector('#params').parentElement.scrollTop = 0; return true",
    )
    .await?;
    until(
        c,
        "return !!document.querySelector('#params tr[data-name=\"L1.w[1][1]\"]')",
    )
    .await;
    js(
        c,
        "document.querySelector('#params tr[data-name=\"L1.w[1][1]\"]').click(); return true",
    )
    .await?;
    until(c, "return st.step.gradient_factors.length === 1 && st.step.gradient_factors[0].name === 'L1.w[1][1]'").await;
    // The tables as a reader sees them (the math column scrolled to the parameter table).
    js(
        c,
        "document.querySelector('#params').scrollIntoView(); return true",
    )
    .await?;
    screenshot(c, "nnlab-serve-long-tables.png").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_tables_show_every_row_and_the_selected_factors() {
    let Some(session) = Session::start().await else {
        return;
    };
    let c = &session.client;
    let result = checks(c, session.addr).await;
    let result = browser_util::checked(c, result).await;
    session.close().await;
    result.expect("long table checks");
}
