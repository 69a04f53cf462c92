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
