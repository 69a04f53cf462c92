//! `POST /api/sessions`: the session config (an `Experiment` as JSON,
//! `Experiment::from_json`), the session built from it (`Session::new`: validation, the
//! network, the prepared data, the trainer) and a share link's replay (`Session::replay`).
//!
//! Input: the JSON body, optionally followed by a NUL byte and a replay text (`e30,w5=0.5`).
//! Property: nothing panics, and the work is bounded (libFuzzer's `-timeout` and
//! `-rss_limit_mb` report a hang or a large allocation as a finding).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nnlab_lab::Experiment;
use nnlab_serve::Session;

/// Longer bodies are skipped (a session config is short).
const MAX_INPUT: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_INPUT {
        return;
    }
    let (body, replay) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    let Ok(exp) = Experiment::from_json(value) else {
        return;
    };
    let Ok(mut session) = Session::new(&exp, None) else {
        return;
    };
    if let Some(text) = replay.and_then(|r| std::str::from_utf8(r).ok()) {
        let _ = session.replay(text);
    }
});
