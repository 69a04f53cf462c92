//! `POST /api/step` (and so `nnlab step`, whose flags it takes): the body parsed as
//! `StepApiRequest`, then `nnlab_serve::step_report`, what the route calls.
//!
//! Property: nothing panics; an answer's loss is a number (finite or not, never a panic).
#![no_main]

use libfuzzer_sys::fuzz_target;
use nnlab_serve::{step_report, StepApiRequest};

/// Longer bodies are skipped (the server takes at most 1 MiB; a step body is short).
const MAX_INPUT: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_INPUT {
        return;
    }
    let Ok(req) = serde_json::from_slice::<StepApiRequest>(data) else {
        return;
    };
    if let Ok(report) = step_report(&req) {
        // The answer is what the route serializes: it must serialize.
        let _ = serde_json::to_string(&report);
    }
});
