//! What more than one test file of the store needs.

use nnlab_lab::{RerunReport, RunResult};
use nnlab_store::StoredRun;

/// `nnlab runs rerun`: the lab trains the stored configuration again and checks it against
/// the outcome the store recorded.
pub fn rerun(stored: &StoredRun) -> (RerunReport, RunResult) {
    let recorded = stored.recorded().unwrap();
    nnlab_lab::rerun(&stored.config_toml, recorded.as_ref(), &mut |_| {}).unwrap()
}
