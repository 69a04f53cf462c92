//! Issue 13, the setup form's extras, in headless Chromium (`assets/setup.js`):
//! - the "course example" preset: one click sets the course's one example (builtin:course,
//!   no scaling, every row in training) on the `course` start, and every number the math
//!   panel and the parameter table show is what `nnlab step` computes (`POST /api/step`
//!   answers exactly `nnlab step --json`), bit for bit; the labels name the original units;
//! - the init menu lists every preset of `nnlab step --init` (the library's list);
//! - a grid of every starting weight and bias with a freeze box each writes the form's
//!   `weights`, `biases` and `freeze` in the order the library's lists take.
//!
//! The row picker and the sliders are in `browser_setup_rows.rs`. Skips as `browser.rs`
//! does (a message outside CI, a failure under `CI=true`).

mod browser_util;
mod common;
#[macro_use]
mod setup_util;

use std::net::SocketAddr;

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use browser_util::{click, js, screenshot, until};
use setup_util::{err, set};

browser_test!(
    the_course_example_is_one_click_and_shows_nnlab_step,
    course_example
);
browser_test!(
    the_starting_values_grid_writes_weights_biases_and_freeze,
    start_grid
);

async fn course_example(c: &Client, addr: SocketAddr) -> Result<(), String> {
    let base = format!("http://{addr}");
    browser_util::goto(c, &format!("{base}/")).await?;
    until(c, "return st && st.epoch === 0").await;

    // The init menu: "default" and then every preset of `nnlab step --init`, in the
    // library's order (nnlab_core::course::PRESETS, which the schema's choices come from).
    let menu = js(
        c,
        "return [...document.querySelector('#setup-form').elements.init.options].map((o) => o.value)",
    )
    .await?;
    let mut presets = vec![json!("")];
    presets.extend(nnlab_core::course::PRESETS.iter().map(|p| json!(p.0)));
    assert_eq!(menu, Value::Array(presets));
    assert_eq!(nnlab_core::course::PRESETS.len(), 14);

    // One click on the preset menu's "course example".
    c.find(Locator::Id("preset"))
        .await
        .map_err(err)?
        .select_by_value("course")
        .await
        .map_err(err)?;
    until(
        c,
        "return st && st.config.data.source === 'builtin:course' && st.epoch === 0",
    )
    .await;
    let form = js(c, "return readForm()").await?;
    let defaults = js(c, "return DEFAULTS").await?;
    for (k, v) in [
        ("data", "builtin:course"),
        ("scale", "none"),
        ("test_fraction", "0"),
        ("init", "course"),
        ("arch", "2-2-1"),
        ("activation", "relu"),
    ] {
        assert_eq!(form[k], json!(v), "{k}");
    }
    // The rest at the defaults `nnlab step` uses (lr, loss, plain SGD, one row a batch).
    for k in [
        "lr",
        "loss",
        "optimizer",
        "batch_size",
        "weights",
        "biases",
        "freeze",
    ] {
        assert_eq!(form[k], defaults[k], "{k}");
    }
    assert_eq!(
        js(
            c,
            "return [st.rows, st.data.test_rows, st.config.model.init]"
        )
        .await?,
        json!([1, 0, "course"])
    );
    // The link carries the preset's setup.
    let url = js(c, "return location.search").await?;
    assert_eq!(
        url,
        json!("?data=builtin%3Acourse&scale=none&init=course"),
        "test_fraction 0 is its default"
    );

    // What `nnlab step` prints with its defaults (the course's input (1, 0), target 2).
    let report = common::post(addr, "/api/step", &json!({"input": [1, 0], "target": 2}))
        .await
        .json();
    // The course's hand computation (crates/core/tests/golden.rs): y_hat = 2.5, L = 0.25.
    assert_eq!(
        (&report["prediction"], &report["loss"]),
        (&json!(2.5), &json!(0.25))
    );
    // The state the page draws is that report, every number the same f64.
    assert_same!(js(c, "return st.step").await?, report.clone());

    // The parameter table: before, dL/dp, change and after of each parameter, exactly.
    let table = js(
        c,
        "return [...document.querySelectorAll('#params tbody tr')].map((tr) => [tr.dataset.name, ...[...tr.querySelectorAll('td[data-value]')].map((td) => Number(td.dataset.value))])",
    )
    .await?;
    let names = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"];
    let rows = table.as_array().ok_or("the table's rows")?;
    assert_eq!(rows.len(), names.len());
    for (row, name) in rows.iter().zip(names) {
        let want = json!([
            name,
            report["before"][name],
            report["gradients"][name],
            report["change"][name],
            report["after"][name]
        ]);
        assert_same!(row.clone(), want, name);
    }

    // The math panel: a node's equations are the report's.
    js(
        c,
        "document.querySelector('#net circle[data-node=\"node 3\"]').dispatchEvent(new MouseEvent('click')); return true",
    )
    .await?;
    let eqs = js(
        c,
        "return [...document.querySelectorAll('#math-panel .eq')].map((e) => e.textContent)",
    )
    .await?;
    let node = &report["nodes"][2];
    assert_eq!(
        eqs,
        json!([
            node["equation"],
            report["loss_equation"],
            node["dl_da_equation"],
            node["dl_dz_equation"]
        ])
    );
    // A weight's gradient: the formula and its value.
    js(
        c,
        "document.querySelector('#params tr[data-name=\"w5\"]').click(); return true",
    )
    .await?;
    let eqs = js(
        c,
        "return [...document.querySelectorAll('#math-panel .eq')].map((e) => e.textContent.trim())",
    )
    .await?;
    let g = report["gradient_factors"]
        .as_array()
        .and_then(|f| f.iter().find(|f| f["name"] == "w5"))
        .ok_or("w5's factors")?;
    let formula = format!("dL/dw5 = {}", g["formula"].as_str().unwrap_or_default());
    assert_eq!(eqs[0], json!(formula));
    // "= 1.5": dL/dw5 = dL/dz3 · a1 = 1 · 1.5.
    assert_eq!(eqs[2], json!("= 1.5"));
    assert_eq!(report["gradients"]["w5"], json!(1.5));
    // The labels name the units: the example is unscaled (the diagram's caption says so).
    let net = js(c, "return document.querySelector('#net-caption').textContent + document.querySelector('#net').textContent").await?;
    let net = net.as_str().unwrap_or_default();
    assert!(
        net.contains("original units") && !net.contains("scaled"),
        "{net}"
    );
    screenshot(c, "nnlab-serve-course-example.png").await?;

    // One sample step (the whole one-row epoch) writes the report's "after", bit for bit.
    click(c, "btn-sample").await?;
    until(c, "return st.epoch === 1").await;
    assert_same!(js(c, "return st.params").await?, report["after"].clone());
    assert_eq!(js(c, "return hist[0].train_loss").await?, json!(0.25));
    Ok(())
}

async fn start_grid(c: &Client, addr: SocketAddr) -> Result<(), String> {
    let base = format!("http://{addr}");
    browser_util::goto(c, &format!("{base}/")).await?;
    until(
        c,
        "return st && st.epoch === 0 && document.querySelector('#start-values')",
    )
    .await;
    // One row per parameter, named and ordered as the session's params, holding the
    // session's starting values (the course's: w1..w6 = 1, 0.5, 1, -1, 1, 1).
    let grid = js(
        c,
        "return [...document.querySelectorAll('#start-values tbody tr')].map((tr) => [tr.dataset.name, Number(tr.querySelector('input.start').value)])",
    )
    .await?;
    assert_eq!(
        grid,
        json!([
            ["w1", 1],
            ["w2", 0.5],
            ["w3", 1],
            ["w4", -1],
            ["w5", 1],
            ["w6", 1],
            ["b1", 0.5],
            ["b2", 0],
            ["b3", 0.5]
        ])
    );
    // Set w5 and freeze b3 through the grid.
    set(
        c,
        "#start-values tr[data-name=w5] input.start",
        "0.75",
        "change",
    )
    .await?;
    // As a user scrolls the setup column down to the grid.
    js(
        c,
        "document.querySelector('#start-values tr[data-name=b3]').scrollIntoView(); return true",
    )
    .await?;
    screenshot(c, "nnlab-serve-start-grid.png").await?;
    c.find(Locator::Css("#start-values tr[data-name=b3] input.freeze"))
        .await
        .map_err(err)?
        .click()
        .await
        .map_err(err)?;
    let form = js(c, "return readForm()").await?;
    assert_eq!(
        (
            &form["weights"],
            &form["biases"],
            &form["freeze"],
            &form["init"]
        ),
        (
            &json!("1,0.5,1,-1,0.75,1"),
            &json!("0.5,0,0.5"),
            &json!("b3"),
            &json!("")
        )
    );
    click(c, "btn-apply").await?;
    until(c, "return st && st.params.w5 === 0.75").await;
    assert_same!(
        js(
            c,
            "return [st.config.train.freeze, st.config.model.weights, st.settings.freeze]"
        )
        .await?,
        json!([["b3"], [1.0, 0.5, 1.0, -1.0, 0.75, 1.0], "b3"])
    );
    // Frozen: an epoch moves w5 but never b3.
    click(c, "btn-epoch").await?;
    until(c, "return st.epoch === 1").await;
    assert_eq!(js(c, "return st.params.b3").await?, json!(0.5));
    assert_eq!(js(c, "return st.params.w5 !== 0.75").await?, json!(true));
    // The grid still shows the starting values, not the trained ones.
    assert_eq!(
        js(
            c,
            "return document.querySelector('#start-values tr[data-name=w5] input.start').value"
        )
        .await?,
        json!("0.75")
    );

    // A general network: the library's names, and the list order `--weights` reads
    // (layer by layer, neuron by neuron, input by input).
    set(c, "#setup-form input[name=arch]", "2-3-1", "input").await?;
    let note = js(
        c,
        "return document.querySelector('#start-note').textContent",
    )
    .await?;
    assert_eq!(
        note,
        json!("the values of 2-2-1: apply the setup to edit those of 2-3-1")
    );
    js(c, "const f = document.querySelector('#setup-form').elements; f.weights.value = ''; f.biases.value = ''; f.freeze.value = ''; return true").await?;
    click(c, "btn-apply").await?;
    until(c, "return st && st.step.arch === '2-3-1' && document.querySelectorAll('#start-values tbody tr').length === 13").await;
    let names = js(
        c,
        "return [[...document.querySelectorAll('#start-values tbody tr')].map((tr) => tr.dataset.name), Object.keys(st.params)]",
    )
    .await?;
    assert_eq!(names[0], names[1]);
    assert_eq!(names[0][0], json!("L1.w[1][1]"));
    set(
        c,
        "#start-values tr[data-name=\"L2.w[1][2]\"] input.start",
        "0.5",
        "change",
    )
    .await?;
    set(
        c,
        "#start-values tr[data-name=\"L1.b[3]\"] input.start",
        "-0.25",
        "change",
    )
    .await?;
    click(c, "btn-apply").await?;
    until(c, "return st && st.network.layers[1].weights[0][1] === 0.5").await;
    assert_eq!(
        js(c, "return st.network.layers[0].biases[2]").await?,
        json!(-0.25)
    );
    // The other values are the glorot draws the grid was filled with, unchanged.
    assert_eq!(
        js(c, "return [...document.querySelectorAll('#start-values tbody tr')].every((tr) => Number(tr.querySelector('input.start').value) === st.params[tr.dataset.name])").await?,
        json!(true)
    );
    Ok(())
}
