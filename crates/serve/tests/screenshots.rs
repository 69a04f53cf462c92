//! The playground's screenshots under `docs/screenshots/`: four page states (the default
//! page, the course's example with w5 selected, a 2-8-8-1 network, a diverged run) at three
//! window sizes (a projector's 1400×1000, a narrow 800×1000, a phone's 390×844).
//!
//! `NNLAB_BLESS=1 cargo test -p nnlab-serve --test screenshots` writes them into
//! `docs/screenshots/`; without `NNLAB_BLESS` they go to the tests' temporary directory, so a
//! plain test run checks that every state still renders (no script error, the state
//! reached) without touching the committed pictures. Skips as `browser.rs` does.

mod browser_util;
mod common;

use std::path::{Path, PathBuf};

use browser_util::{js, until, Session};
use fantoccini::Client;

/// Window sizes: name, width, height.
const SIZES: [(&str, u32, u32); 3] = [("1400", 1400, 1000), ("800", 800, 1000), ("390", 390, 844)];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committed_screenshots() {
    let Some(session) = Session::start().await else {
        return;
    };
    let result =
        browser_util::checked(&session.client, shoot(&session.client, session.addr).await).await;
    session.close().await;
    result.expect("screenshots");
}

/// Where the pictures go: the committed folder when blessing, else a temporary one.
fn out_dir() -> PathBuf {
    if std::env::var_os("NNLAB_BLESS").is_some() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
    } else {
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
    }
}

/// A page state: its file name, the link that opens it, what to wait for, and what to do
/// on the page before the picture.
struct Shot {
    name: &'static str,
    query: &'static str,
    ready: &'static str,
    then: &'static str,
    done: &'static str,
}

const SHOTS: [Shot; 4] = [
    Shot {
        name: "default",
        query: "",
        ready: "return st && st.epoch === 0",
        // A few epochs, so the loss chart and the heatmap have something to show.
        then: "document.querySelector('#btn-epoch').click(); return 1",
        done: "return st && st.epoch === 1 && hist.length === 1",
    },
    Shot {
        name: "course-example-w5",
        query: "?data=builtin:course&scale=none&test_fraction=0&init=course",
        ready: "return st && st.epoch === 0 && st.rows === 1",
        then: "select({kind: 'param', name: 'w5'}); return 1",
        done: "return sel && sel.name === 'w5' && !document.querySelector('#editor').hidden",
    },
    Shot {
        name: "2-8-8-1",
        query: "?arch=2-8-8-1",
        ready: "return st && st.epoch === 0 && st.step.arch === '2-8-8-1'",
        then: "document.querySelector('#btn-epoch').click(); return 1",
        done: "return st && st.epoch === 1",
    },
    Shot {
        name: "diverged",
        query: "?activation=identity&lr=3",
        ready: "return st && st.epoch === 0",
        then: "document.querySelector('#btn-epoch').click(); return 1",
        done: "return st && st.status.status === 'diverged'",
    },
];

async fn shoot(c: &Client, addr: std::net::SocketAddr) -> Result<(), String> {
    let dir = out_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (size, w, h) in SIZES {
        viewport(c, w, h).await?;
        for shot in &SHOTS {
            browser_util::goto(c, &format!("http://{addr}/{}", shot.query)).await?;
            until(c, shot.ready).await;
            js(c, shot.then).await?;
            until(c, shot.done).await;
            // The charts that need their own requests follow a moment after the state.
            until(c, "return document.querySelectorAll('#chart-pred circle, #chart-pred text').length > 0").await;
            tokio::time::sleep(std::time::Duration::from_millis(700)).await;
            let png = c.screenshot().await.map_err(|e| e.to_string())?;
            let path = dir.join(format!("{}-{size}.png", shot.name));
            // Written whole, then renamed: a broken run leaves no half picture behind.
            let tmp = path.with_extension("png.tmp");
            std::fs::write(&tmp, &png).map_err(|e| format!("{}: {e}", tmp.display()))?;
            std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("screenshot: {}", path.display());
        }
    }
    Ok(())
}

/// Sizes the window so that the page's viewport (what the picture shows) is `w × h`: the
/// window's own frame takes some of the size asked for.
async fn viewport(c: &Client, w: u32, h: u32) -> Result<(), String> {
    let (mut ww, mut wh) = (w, h);
    for _ in 0..3 {
        c.set_window_size(ww, wh).await.map_err(|e| e.to_string())?;
        let inner = js(c, "return [window.innerWidth, window.innerHeight]").await?;
        let got = |k: usize| inner[k].as_u64().unwrap_or(0) as u32;
        if (got(0), got(1)) == (w, h) {
            return Ok(());
        }
        ww = (ww + w).saturating_sub(got(0));
        wh = (wh + h).saturating_sub(got(1));
    }
    Err(format!("could not size the viewport to {w}×{h}"))
}
