//! The setup form in headless Chromium: its defaults, choices and help come from
//! `GET /api/schema` (the key table that makes the CLI's flags), the page holding none of its
//! own; the URL leaves out what equals a default; old links still read. Screenshots of the
//! page and of the form are written to the tests' temporary directory.
//!
//! Skips as `browser.rs` does (a message outside CI, a failure under `CI=true`).

mod browser_util;
mod common;

use fantoccini::{Client, Locator};
use serde_json::{json, Value};

use browser_util::{js, screenshot, until, Session};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_is_built_from_the_schema() {
    let Some(session) = Session::start().await else {
        return;
    };
    let result = browser_util::checked(
        &session.client,
        form_checks(&session.client, session.addr).await,
    )
    .await;
    session.close().await;
    result.expect("form checks");
}

/// The option values of the form's select `name`.
async fn options(c: &Client, name: &str) -> Result<Value, String> {
    js(
        c,
        &format!("return [...document.querySelector('#setup-form').elements['{name}'].options].map((o) => o.value)"),
    )
    .await
}

async fn form_checks(c: &Client, addr: std::net::SocketAddr) -> Result<(), String> {
    let base = format!("http://{addr}");
    let schema = common::get(addr, "/api/schema").await.json();
    let key = |k: &str| -> Value {
        schema["keys"]
            .as_array()
            .and_then(|keys| keys.iter().find(|x| x["key"] == k))
            .cloned()
            .unwrap_or_else(|| panic!("the schema has no key {k}"))
    };
    browser_util::goto(c, &format!("{base}/")).await?;
    until(c, "return st && st.epoch === 0").await;

    // A default: the lr field holds the schema's default for `lr` (0.01 today), and the
    // session the page started trains at it.
    let lr = js(
        c,
        "return document.querySelector('#setup-form').elements.lr.value",
    )
    .await?;
    assert_eq!(lr, key("lr")["default"]);
    assert_eq!(lr, json!("0.01"));
    assert_eq!(js(c, "return st.lr").await?, json!(0.01));
    // Every field named by a key holds that key's default ("" where it is off); switches
    // as checkboxes.
    let defaults = js(c, "return DEFAULTS").await?;
    let fields = defaults.as_object().ok_or("DEFAULTS is an object")?;
    for name in [
        "data",
        "rows",
        "x1",
        "distribution",
        "integer",
        "arch",
        "init",
        "epochs",
    ] {
        let k = key(name);
        let want = k["default"].as_str().unwrap_or_default();
        assert_eq!(fields.get(name), Some(&json!(want)), "{name}");
    }
    let checked = js(
        c,
        "const f = document.querySelector('#setup-form').elements; return [f.integer.checked, f.shuffle.checked]",
    )
    .await?;
    assert_eq!(
        checked,
        json!([
            key("integer")["default"] == "true",
            key("shuffle")["default"] == "true"
        ])
    );

    // Choices: a select lists the key's choices, in order; the page adds only its own extras
    // ("default" for an option that is off, CSV upload).
    for name in ["optimizer", "loss", "distribution"] {
        assert_eq!(options(c, name).await?, key(name)["choices"], "{name}");
    }
    let mut init = vec![json!("")];
    init.extend(
        key("init")["choices"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
    );
    assert_eq!(options(c, "init").await?, Value::Array(init));
    let mut data = key("data")["choices"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(data.contains(&json!("builtin:insurance")), "{data:?}");
    data.push(json!("upload"));
    assert_eq!(options(c, "data").await?, Value::Array(data));
    // A text field with choices suggests them.
    let suggested = js(
        c,
        "return [...document.querySelector('#setup-form').elements.activation.list.options].map((o) => o.value)",
    )
    .await?;
    assert_eq!(suggested, key("activation")["choices"]);
    // Help is the tooltip where the page writes none of its own.
    let title = js(
        c,
        "return document.querySelector('#setup-form').elements.lr.title",
    )
    .await?;
    assert_eq!(title, key("lr")["help"]);

    // The link leaves out every field equal to its default.
    assert_eq!(js(c, "return urlFromForm()").await?, json!("/"));
    js(
        c,
        "document.querySelector('#setup-form').elements.lr.value = '0.05'; return true",
    )
    .await?;
    assert_eq!(js(c, "return urlFromForm()").await?, json!("/?lr=0.05"));
    js(c, "const f = document.querySelector('#setup-form').elements; f.lr.value = '0.01'; f.shuffle.checked = true; return true").await?;
    assert_eq!(
        js(c, "return urlFromForm()").await?,
        json!("/?shuffle=true")
    );

    let shot = screenshot(c, "nnlab-serve-form.png").await?;
    let form = c
        .find(Locator::Id("setup"))
        .await
        .map_err(|e| e.to_string())?
        .screenshot()
        .await
        .map_err(|e| e.to_string())?;
    let path = shot.with_file_name("nnlab-serve-setup-form.png");
    std::fs::write(&path, form).map_err(|e| e.to_string())?;
    println!("screenshot: {}", path.display());

    // A link from before the fields took the key table's names: `source` for `data`, an
    // initializer under `init`.
    browser_util::goto(
        c,
        &format!("{base}/?source=builtin:insurance&init=glorot&arch=4-3-1"),
    )
    .await?;
    until(c, "return st && st.step.arch === '4-3-1'").await;
    let form = js(c, "return readForm()").await?;
    assert_eq!(
        (&form["data"], &form["weights"], &form["init"]),
        (&json!("builtin:insurance"), &json!("glorot"), &json!(""))
    );
    // The session runs on the built-in table with its own columns.
    assert_eq!(
        js(c, "return st.config.data.source").await?,
        json!("builtin:insurance")
    );
    Ok(())
}
