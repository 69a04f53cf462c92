//! Issue 13, the setup form's extras, in headless Chromium (`assets/setup.js`), continued
//! from `browser_setup.rs`:
//! - the row the math panel explains can be chosen and stays chosen through steps and play;
//! - sliders beside `noise` and `test_fraction` change the field and re-apply the setup.
//!
//! Skips as `browser.rs` does (a message outside CI, a failure under `CI=true`).

mod browser_util;
mod common;
#[macro_use]
mod setup_util;

use std::net::SocketAddr;

use fantoccini::Client;
use serde_json::json;

use browser_util::{click, js, until};
use setup_util::set;

browser_test!(the_math_explains_the_chosen_row, row_picker);
browser_test!(the_noise_and_test_sliders_apply_the_setup, sliders);

async fn row_picker(c: &Client, addr: SocketAddr) -> Result<(), String> {
    let base = format!("http://{addr}");
    browser_util::goto(c, &format!("{base}/")).await?;
    until(c, "return st && st.epoch === 0 && st.row === 1").await;
    set(c, "#math-row", "3", "change").await?;
    until(c, "return st.row === 3").await;
    let id = js(c, "return sid").await?;
    let id = id.as_str().ok_or("a session id")?;
    let api = common::get(addr, &format!("/api/sessions/{id}?row=3"))
        .await
        .json();
    assert_same!(js(c, "return st.step").await?, api["step"].clone());
    assert_same!(
        js(c, "return st.row_input").await?,
        api["row_input"].clone()
    );
    assert_eq!(
        js(c, "return document.querySelector('#row-auto').checked").await?,
        json!(false)
    );
    // A step answers with the next row's state; the page stays on row 3.
    click(c, "btn-sample").await?;
    until(c, "return st.position === 1").await;
    assert_eq!(js(c, "return st.row").await?, json!(3));
    let api = common::get(addr, &format!("/api/sessions/{id}?row=3"))
        .await
        .json();
    assert_same!(js(c, "return st.step").await?, api["step"].clone());
    assert_same!(js(c, "return st.step.before").await?, api["params"].clone());
    // The math panel says which row it explains.
    js(
        c,
        "document.querySelector('#params tr[data-name=\"w1\"]').click(); return true",
    )
    .await?;
    let head = js(
        c,
        "return document.querySelector('#math-panel p').textContent",
    )
    .await?;
    assert!(head.as_str().is_some_and(|h| h.contains("row 3")), "{head}");
    // And that the trainer's next step, whose change the tables show, is another row.
    let next = js(c, "return st.update.row").await?;
    assert_ne!(next, json!(3));
    assert_eq!(
        js(c, "return document.querySelector('#row-note').textContent").await?,
        json!(format!("The trainer's next step is on row {next}: the tables' change and after are that step's; dL/dp and the equations are row 3's."))
    );
    // Previous and next, and back to the next row the trainer visits.
    click(c, "row-prev").await?;
    until(c, "return st.row === 2").await;
    click(c, "row-next").await?;
    until(c, "return st.row === 3").await;
    // While playing, the event stream carries the chosen row.
    click(c, "btn-play").await?;
    until(c, "return st.playing && st.epoch >= 1").await;
    assert_eq!(js(c, "return st.row").await?, json!(3));
    click(c, "btn-play").await?;
    until(c, "return !st.playing").await;
    click(c, "row-auto").await?;
    until(c, "return document.querySelector('#row-auto').checked && st.update && st.row === st.update.row").await;
    Ok(())
}

async fn sliders(c: &Client, addr: SocketAddr) -> Result<(), String> {
    let base = format!("http://{addr}");
    browser_util::goto(c, &format!("{base}/")).await?;
    until(c, "return st && st.epoch === 0").await;
    // The sliders start at the fields' values: noise 0,10 is 10 wide.
    assert_eq!(
        js(c, "return [Number(document.querySelector('#slider-noise').value), Number(document.querySelector('#slider-test_fraction').value)]").await?,
        json!([10, 0])
    );
    let first = js(c, "return sid").await?;
    // Two drags in a row: the field follows each, the setup is applied once they pause.
    set(c, "#slider-noise", "20", "input").await?;
    set(c, "#slider-test_fraction", "0.25", "input").await?;
    let form = js(c, "return readForm()").await?;
    assert_eq!(
        (&form["noise"], &form["test_fraction"]),
        (&json!("0,20"), &json!("0.25"))
    );
    until(
        c,
        &format!("return sid !== {first} && st.data.test_rows === 25"),
    )
    .await;
    assert_same!(
        js(c, "return [st.config.data.generator.noise, st.config.data.test_fraction, st.data.train_rows]").await?,
        json!([[0.0, 20.0], 0.25, 75])
    );
    // A field typed by hand moves its slider.
    set(c, "#setup-form input[name=noise]", "2,7", "input").await?;
    assert_eq!(
        js(
            c,
            "return Number(document.querySelector('#slider-noise').value)"
        )
        .await?,
        json!(5)
    );
    Ok(())
}
