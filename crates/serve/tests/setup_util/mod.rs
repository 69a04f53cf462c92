//! Helpers of the setup form's browser tests (`browser_setup.rs`, `browser_setup_rows.rs`):
//! one browser per test, JSON compared by value, a field set as a user sets it.
#![allow(dead_code, unused_macros)]

use fantoccini::Client;
use serde_json::Value;

use crate::browser_util::js;

/// A test `$name` that starts a browser, runs `$checks(client, addr)`, requires no script
/// error and closes the browser (skipping as `browser.rs` does without one).
macro_rules! browser_test {
    ($name:ident, $checks:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let Some(session) = browser_util::Session::start().await else {
                return;
            };
            let result = browser_util::checked(
                &session.client,
                $checks(&session.client, session.addr).await,
            )
            .await;
            session.close().await;
            result.expect(stringify!($name));
        }
    };
}

/// Whether two JSON values are equal with numbers compared as `f64`: a number that comes
/// back from the page has lost its Rust spelling (`1.0` reads back as the integer `1`, and
/// `-0.0` as `0`), not its value.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Asserts [`same`], printing both values (and `$what`, naming the item).
macro_rules! assert_same {
    ($a:expr, $b:expr $(, $what:expr)?) => {{
        let (a, b): (serde_json::Value, serde_json::Value) = ($a, $b);
        assert!($crate::setup_util::same(&a, &b), "{}\n  page: {a}\n  want: {b}", "" $(.to_string() + &$what.to_string())?);
    }};
}

pub fn err(e: fantoccini::error::CmdError) -> String {
    e.to_string()
}

/// Sets the value of the element `css` and fires `event` on it, as typing and leaving does.
pub async fn set(c: &Client, css: &str, value: &str, event: &str) -> Result<(), String> {
    js(
        c,
        &format!(
            "const e = document.querySelector({css:?}); e.value = {value:?}; e.dispatchEvent(new Event({event:?}, {{bubbles: true}})); return true"
        ),
    )
    .await
    .map(|_| ())
}
