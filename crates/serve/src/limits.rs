//! The server's limits: what one client may ask of a shared machine.

/// Sessions held at once; the oldest idle one past [`IDLE_EXPIRY_SECS`] makes room.
pub const MAX_SESSIONS: usize = 200;
/// A session untouched this long is dropped (30 minutes).
pub const IDLE_EXPIRY_SECS: u64 = 30 * 60;
/// Rows of data in a session (generated or uploaded).
pub const MAX_ROWS: usize = 10_000;
/// Layers after the input.
pub const MAX_LAYERS: usize = 6;
/// Neurons in any layer, the input included.
pub const MAX_WIDTH: usize = 16;
/// Units (samples, batches or epochs) one step request may ask for.
pub const MAX_COUNT: usize = 1_000;
/// Epochs one session may run in all.
pub const MAX_EPOCHS: usize = 100_000;
/// Sample steps one request may run (count × rows is checked against it up front).
pub const MAX_SAMPLE_STEPS: usize = 5_000_000;
/// Request bodies (JSON, CSV text) in bytes: 1 MiB.
pub const MAX_BODY_BYTES: usize = 1 << 20;
/// The longest JSON of one history record (`{"epoch":100000,"train_loss":...,"test_loss":...,
/// "lr":...}` with every number at its longest, 121 bytes), rounded up.
pub const MAX_RECORD_BYTES: usize = 128;
/// The longest JSON of one parameter in an export, where each appears four times (by name
/// in `initial` and `final`, in `initial_network` and `final_network`), rounded up.
pub const MAX_PARAM_BYTES: usize = 64;
/// Bodies of `POST /api/sessions/import` in bytes (15,314,944, about 14.6 MiB): an export of
/// the longest session the other limits allow re-imports. It holds the configuration and
/// an uploaded CSV (each came in a body of at most [`MAX_BODY_BYTES`]), one record per
/// epoch ([`MAX_EPOCHS`] of at most [`MAX_RECORD_BYTES`]) and the parameters four times
/// ([`MAX_LAYERS`] layers of at most [`MAX_WIDTH`] neurons with [`MAX_WIDTH`] weights and a
/// bias each).
pub const MAX_IMPORT_BYTES: usize = 2 * MAX_BODY_BYTES
    + MAX_EPOCHS * MAX_RECORD_BYTES
    + 4 * MAX_LAYERS * MAX_WIDTH * (MAX_WIDTH + 1) * MAX_PARAM_BYTES;
/// Connections open at once unless `nnlab serve --max-connections` says otherwise; one
/// more is answered 503 and closed.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
/// Seconds a request's head may take (`--header-timeout`), counted from when the server
/// waits for it: on a kept-alive connection this is also how long it stays open idle.
pub const DEFAULT_HEADER_TIMEOUT_SECS: u64 = 10;
/// Seconds a request's body may take after its head (`--body-timeout`).
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 30;
/// Connections the kernel queues before the server accepts them (`listen`'s backlog, which
/// Linux caps at `net.core.somaxconn`, 4096 by default). Tokio's own is 1024: in a burst past
/// the queue the kernel drops new connections' first packets and their clients wait 1 s,
/// then 3 s, before they try again.
pub const LISTEN_BACKLOG: u32 = 4096;
/// Refused connections (past the cap) held at once while the server reads what their
/// clients sent before closing them; past this many a refused connection closes at once.
pub const LINGERING_REFUSALS: usize = 256;
/// File descriptors kept beside the connections: the run store, the runtime and the
/// listener (64) and [`LINGERING_REFUSALS`]. `--max-connections` plus these must fit the
/// process's open-file limit.
pub const RESERVED_FILES: u64 = 64 + LINGERING_REFUSALS as u64;
/// Parameter snapshots kept for undo.
pub const UNDO_DEPTH: usize = 32;
/// Grid side for the output-over-the-input-plane chart.
pub const MAX_GRID: usize = 100;
/// Play speed, in epochs per second.
pub const MAX_EPOCHS_PER_SECOND: f64 = 1_000.0;
/// Updates the play loop sends per second.
pub const PLAY_UPDATES_PER_SECOND: u64 = 30;
/// End-of-epoch parameter snapshots kept for the diagnostics (values in all): past this the
/// "dead since epoch" finding is left out rather than memory grown.
pub const MAX_SNAPSHOT_VALUES: usize = 500_000;

use nnlab_core::Network;
use serde::Serialize;

use crate::ApiError;

/// The limits a page needs to know before it asks (the +/− buttons stop at them), as
/// `GET /api/schema` gives them under `limits`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PageLimits {
    pub max_layers: usize,
    pub max_width: usize,
    pub max_rows: usize,
    pub max_epochs: usize,
    pub max_count: usize,
}

/// This server's [`PageLimits`].
pub const PAGE_LIMITS: PageLimits = PageLimits {
    max_layers: MAX_LAYERS,
    max_width: MAX_WIDTH,
    max_rows: MAX_ROWS,
    max_epochs: MAX_EPOCHS,
    max_count: MAX_COUNT,
};

/// Checks a network's shape against [`MAX_LAYERS`] and [`MAX_WIDTH`].
pub fn check_network(net: &Network) -> Result<(), ApiError> {
    check_sizes(&net.arch_string(), &net.sizes())
}

/// Checks layer sizes (input first; `arch` as written) against [`MAX_LAYERS`] and
/// [`MAX_WIDTH`] before a network is built for them.
pub fn check_sizes(arch: &str, sizes: &[usize]) -> Result<(), ApiError> {
    let layers = sizes.len().saturating_sub(1);
    if layers > MAX_LAYERS {
        return Err(ApiError::bad(format!(
            "arch: {arch} has {layers} layers after the input; the server allows at most {MAX_LAYERS}"
        )));
    }
    if let Some(w) = sizes.iter().find(|&&w| w > MAX_WIDTH) {
        return Err(ApiError::bad(format!(
            "arch: {arch} has a layer of {w}; the server allows at most {MAX_WIDTH} neurons a layer"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_history_record_fits_max_record_bytes() {
        // Every number at its longest in serde_json's shortest round-trip form: 17
        // significant digits, a sign and a three-digit exponent (f64's smallest normal).
        let worst = -2.2250738585072014e-308;
        let record = nnlab_train::EpochRecord {
            epoch: MAX_EPOCHS,
            train_loss: worst,
            test_loss: Some(worst),
            lr: worst,
        };
        let json = serde_json::to_string(&record).expect("a record serializes");
        assert_eq!(json.len(), 121, "{json}");
        assert!(json.len() <= MAX_RECORD_BYTES);
        // One parameter by name, the longest name the limits allow, with its comma.
        let number = serde_json::to_string(&worst).expect("a number serializes");
        let named = format!("\"L{MAX_LAYERS}.w[{MAX_WIDTH}][{MAX_WIDTH}]\":{number},");
        assert_eq!(named.len(), 40, "{named}");
        assert!(named.len() <= MAX_PARAM_BYTES);
    }
}
