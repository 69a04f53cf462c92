//! Numbers and names on the playground in headless Chromium (issue 13): numbers short (6
//! significant digits, 4 in presenter mode) with the exact text in their title and
//! data-value and shown on a click, equal to the API's; presenter mode from its button and
//! from `?present=1`, which links keep; input names from the data with the original value
//! beside the scaled one, in the diagram and the math.
//!
//! Skips as `browser.rs` does (a message outside CI, a failure under `CI=true`).

mod browser_util;
mod common;
mod page_view;

use std::net::SocketAddr;

use fantoccini::Client;
use serde_json::{json, Value};

use browser_util::{click, js, screenshot, until};
use page_view::{labels_fit, open, with_browser, SIZES};

/// The significant digits of a number as shown: `0.000123457` has 6, `16880` has 4,
/// `1.235e-7` has 4.
fn significant(shown: &str) -> usize {
    let mantissa = shown.split(['e', 'E']).next().unwrap_or("");
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    if mantissa.contains('.') {
        digits.len()
    } else {
        digits.trim_end_matches('0').len()
    }
}

#[test]
fn significant_digits_are_counted_as_written() {
    // By hand: leading zeros never count, an integer's trailing zeros do not either.
    for (shown, n) in [
        ("0.000123457", 6),
        ("16880", 4),
        ("1.235e-7", 4),
        ("-0.5", 1),
        ("2.28804", 6),
        ("0", 0),
        ("100.5", 4),
    ] {
        assert_eq!(significant(shown), n, "{shown}");
    }
}

/// Node 1's equations are the API's, every number at most `digits` significant digits with
/// its exact text in data-value and title; returns the first number that was shortened.
async fn node1_equations(c: &Client, addr: SocketAddr, digits: usize) -> Result<String, String> {
    let sid = js(c, "return sid").await?;
    let state = common::get(
        addr,
        &format!("/api/sessions/{}", sid.as_str().ok_or("sid")?),
    )
    .await
    .json();
    let node = &state["step"]["nodes"][0];
    let eqs = browser_util::node_equations_shown(c, node).await?;
    let mut shortened = None;
    for e in eqs.as_array().ok_or("equations")? {
        for n in e["nums"].as_array().ok_or("numbers")? {
            let (shown, exact) = (n[0].as_str().unwrap_or(""), n[1].as_str().unwrap_or(""));
            assert!(
                significant(shown) <= digits,
                "{shown} has more than {digits} digits"
            );
            assert_eq!(n[1], n[2], "the title is the exact text");
            if significant(shown) < exact.trim_start_matches(['-', '0', '.']).len()
                && shortened.is_none()
            {
                shortened = Some(exact.to_string());
            }
        }
    }
    // z and a, the forward equation's last two numbers, are the API's to the bit.
    let nums = eqs[0]["nums"].as_array().ok_or("numbers")?;
    let value = |k: usize| {
        let n = nums.len().checked_sub(k).and_then(|i| nums.get(i))?;
        n[1].as_str().and_then(|s| s.parse::<f64>().ok())
    };
    assert_eq!(
        (value(2), value(1)),
        (node["z"].as_f64(), node["a"].as_f64())
    );
    // Only numbers are numbers: the forward equation x1·w1 + x2·w3 + b1 = z -> a has seven
    // (none taken from the names z1, a1), the first the input x1 as the API has it.
    assert_eq!(nums.len(), 7, "{eqs}");
    assert_eq!(value(7), state["step"]["input"][0].as_f64());
    shortened.ok_or_else(|| format!("no number was shortened: {eqs}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_number_display_rules() {
    with_browser("rules", |c, addr| async move {
        open(&c, addr, SIZES[0], "").await?;
        // sig(v, digits): hand-rounded; the exponent form below 1e-4 and from 1e6 on.
        let cases = json!([
            [0.30000000000000004, 6, "0.3"], [0.4444444444444444, 6, "0.444444"], [0.4444444444444444, 4, "0.4444"],
            [16884.9, 4, "16880"], [16884.9, 6, "16884.9"], [-0.000123456789, 6, "-0.000123457"],
            [1.23456789e-7, 4, "1.235e-7"], [999999.7, 6, "1e+6"], [123456.7, 4, "123500"], [2.5, 6, "2.5"], [0, 6, "0"]
        ]);
        let shown = js(&c, &format!("return {cases}.map(([v, d]) => sig(v, d))")).await?;
        let want: Vec<&Value> = cases.as_array().ok_or("cases")?.iter().map(|c| &c[2]).collect();
        assert_eq!(shown.as_array().map(|a| a.iter().collect::<Vec<_>>()), Some(want));
        // The numbers of the server's equations, as `nnlab step` writes them (report/explain.rs):
        // not the digits of a name (z1, L1.w[2][1], ^2), negative terms in parentheses, the
        // exponent form of Python's repr.
        let eqs = json!([
            ["z1 = 1·1 + 0·1 + 0.5 = 1.5 -> relu -> a1 = 1.5", ["1", "1", "0", "1", "0.5", "1.5", "1.5"]],
            ["loss = (y_hat - y)^2 = (2.5 - 2)^2 = 0.25", ["2.5", "2", "0.25"]],
            ["dL/dL2.w[2][1] = dL/dz(L2.n2) · a(L1.n1) = (-0.5) · 1e-07 = -5e-08", ["-0.5", "1e-07", "-5e-08"]],
            ["dL/dw5 = 2(y_hat - y) · relu'(z3) · a1 = 1 · 1 · 1.5 = 1.5", ["2", "1", "1", "1.5", "1.5"]],
            ["dL/dy_hat[2] = 2(y_hat[2] - y[2]) / 2 = 2(inf - 1) / 2 = nan", ["2", "2", "2", "inf", "1", "2", "nan"]]
        ]);
        let found = js(&c, &format!("return {eqs}.map(([t]) => eqParts(t).filter((p) => p.num !== undefined).map((p) => p.num))")).await?;
        let want: Vec<&Value> = eqs.as_array().ok_or("eqs")?.iter().map(|e| &e[1]).collect();
        assert_eq!(found.as_array().map(|a| a.iter().collect::<Vec<_>>()), Some(want));
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_are_short_and_exact_on_request_and_presenter_mode() {
    with_browser("numbers", |c, addr| async move {
        open(&c, addr, SIZES[0], "").await?;
        browser_util::click_css(&c, "#net circle[data-node='node 1']").await?;
        until(&c, "return document.querySelectorAll('#math-panel .eq').length === 3").await;
        // 6 significant digits (the scaled input 0.4444444444444444 is shown 0.444444).
        let exact = node1_equations(&c, addr, 6).await?;
        let table = "return [...document.querySelectorAll('#params td.num, #losses .num')].map((t) => t.textContent)";
        for shown in js(&c, table).await?.as_array().ok_or("cells")? {
            assert!(significant(shown.as_str().unwrap_or("")) <= 6, "{shown}");
        }
        // A click shows a number exactly, a second click short again.
        let toggle = format!("const s = [...document.querySelectorAll('#math-panel .num')].find((s) => s.dataset.value === {exact:?}); s.click(); return s.textContent");
        assert_eq!(js(&c, &toggle).await?, json!(exact));
        let again = js(&c, &toggle).await?;
        assert!(again.as_str().is_some_and(|s| s != exact && significant(s) <= 6), "{again}");

        // Presenter mode: the header's button; large type, black on white, 4 digits.
        click(&c, "btn-present").await?;
        until(&c, "return document.body.classList.contains('present') && document.querySelector('#math-panel .eq')").await;
        assert_eq!(js(&c, "return location.search").await?, json!("?present=1"));
        assert_eq!(js(&c, "return urlFromForm()").await?, json!("/?present=1"));
        let style = js(&c, "const fs = (s) => parseFloat(getComputedStyle(document.querySelector(s)).fontSize);
            return { net: fs('#net text'), eq: fs('#math-panel .eq'), td: fs('#params td'), ink: getComputedStyle(document.body).color,
              panel: getComputedStyle(document.querySelector('#math')).backgroundColor, setup: getComputedStyle(document.querySelector('#setup')).display }").await?;
        for k in ["net", "eq", "td"] {
            assert!(style[k].as_f64() >= Some(18.0), "{k} type in presenter mode: {style}");
        }
        assert_eq!((&style["ink"], &style["panel"]), (&json!("rgb(0, 0, 0)"), &json!("rgb(255, 255, 255)")), "{style}");
        assert_eq!(style["setup"], json!("none"), "the setup steps aside");
        node1_equations(&c, addr, 4).await?;
        for shown in js(&c, table).await?.as_array().ok_or("cells")? {
            assert!(significant(shown.as_str().unwrap_or("")) <= 4, "{shown}");
        }
        screenshot(&c, "presenter-1400x1000.png").await?;
        // Off again, and the URL says so.
        click(&c, "btn-present").await?;
        until(&c, "return !document.body.classList.contains('present') && location.search === ''").await;
        // A link with `present=1` opens in presenter mode, and applying a setup keeps it; it is
        // a view preference, not an option of the experiment.
        open(&c, addr, SIZES[0], "?present=1&lr=0.05").await?;
        assert_eq!(js(&c, "return document.body.classList.contains('present') && st.lr").await?, json!(0.05));
        js(&c, "document.querySelector('#setup-form').elements.epochs.value = '7'; document.querySelector('#setup-form').requestSubmit(); return 1").await?;
        until(&c, "return st && st.config.train.epochs === 7").await;
        assert_eq!(js(&c, "return location.search").await?, json!("?lr=0.05&epochs=7&present=1"));
        let schema = common::get(addr, "/api/schema").await.json();
        assert!(schema["keys"].as_array().is_some_and(|k| k.iter().all(|k| k["key"] != "present")));
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inputs_are_named_from_the_data_with_original_and_scaled_values() {
    with_browser("inputs", |c, addr| async move {
        open(&c, addr, SIZES[0], "?data=builtin:insurance&arch=4-4-4-1").await?;
        let sid = js(&c, "return sid").await?;
        let state = common::get(addr, &format!("/api/sessions/{}", sid.as_str().ok_or("sid")?)).await.json();
        let texts = labels_fit(&c, "insurance").await?;
        // The diagram: each input's name, then its value in the data and the scaled one.
        for (i, name) in ["age", "bmi", "children", "smoker"].iter().enumerate() {
            let at = texts.iter().position(|t| t == name).ok_or_else(|| format!("{name} not in {texts:?}"))?;
            assert!(texts[at + 1].contains(" → "), "{name}: {texts:?}");
            assert_eq!(state["data"]["inputs"][i], json!(name));
        }
        assert!(!texts.iter().any(|t| t.starts_with('x') && t[1..].chars().next().is_some_and(|d| d.is_ascii_digit())), "x1.. in {texts:?}");
        // The math panel's row: the data's value beside the scaled one, the API's numbers.
        let rows = js(&c, "return [...document.querySelectorAll('#row-values tr')].slice(1).map((r) => [r.cells[0].textContent, ...[...r.cells].slice(1).map((c) => Number(c.dataset.value))])").await?;
        let rows = rows.as_array().ok_or("rows")?;
        assert_eq!(rows.len(), 5, "{rows:?}");
        for i in 0..4 {
            assert_eq!(rows[i][1].as_f64(), state["row_input"][i].as_f64());
            assert_eq!(rows[i][2].as_f64(), state["step"]["input"][i].as_f64());
        }
        assert_eq!(rows[4], json!(["charges (y)", state["row_target"], state["step"]["target"]]));
        // A first-layer weight's gradient names its input by the data's name.
        browser_util::click_css(&c, "#params tr[data-name='L1.w[1][1]']").await?;
        let name = until(&c, "const s = document.querySelector('#math-panel .input-name'); return s && [s.textContent, s.dataset.symbol]").await;
        assert_eq!(name, json!(["age", "x1"]));
        // Unscaled, the one value is both.
        open(&c, addr, SIZES[0], "?data=builtin:insurance&arch=4-4-4-1&scale=none").await?;
        let texts = labels_fit(&c, "insurance unscaled").await?;
        assert!(texts.iter().any(|t| t.starts_with("age=")), "{texts:?}");
        assert_eq!(js(&c, "return document.querySelector('#row-values tr').cells.length").await?, json!(2));
        Ok(())
    })
    .await;
}
