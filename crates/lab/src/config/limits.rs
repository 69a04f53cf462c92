//! What one experiment may ask for, in one place: [`LIMITS`]. Every face (flags, TOML, a
//! sweep's grid points, `experiment run`, the server's sessions) checks it through
//! [`Experiment::validate`](super::Experiment::validate) and
//! [`ModelConfig::network`](super::ModelConfig::network) before anything is allocated for
//! the values, so a typo like `--arch 2-1000000000-1` is an error naming the option, the value
//! and the limit rather than an abort after a 128 GB allocation.
//!
//! The limits are far above what a lesson or a study needs (the course network has 9
//! parameters and trains 300 epochs on 100 rows); the data limits are the data crate's own.
//!
//! ```
//! use nnlab_lab::Experiment;
//! let mut e = Experiment::default();
//! e.set("arch", "2-1000000000-1").unwrap();
//! assert_eq!(
//!     e.validate().unwrap_err().to_string(),
//!     "arch: '2-1000000000-1' has 1000000000 neurons in layer 2, more than the limit of 10000"
//! );
//! ```

use serde::Serialize;

/// The limits of one experiment (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    /// Neurons in one layer, the input included.
    pub max_width: usize,
    /// Layers after the input.
    pub max_layers: usize,
    /// Weights and biases in all.
    pub max_params: usize,
    /// Epochs of one run.
    pub max_epochs: usize,
    /// Generated rows ([`nnlab_data::MAX_GENERATED_ROWS`]).
    pub max_rows: usize,
    /// Runs of one sweep's grid.
    pub max_runs: usize,
    /// `|lo|` and `|hi|` of a generator's range ([`nnlab_data::MAX_MAGNITUDE`]).
    pub max_magnitude: f64,
    /// Bytes of a data file ([`nnlab_data::MAX_FILE_BYTES`]).
    pub max_file_bytes: u64,
    /// Bytes of a TOML configuration file (16 MiB; `--print-config` writes about 2 KB).
    pub max_config_bytes: u64,
    /// Parameter values kept from the end of each epoch for the diagnostics' "since epoch"
    /// (80 MB of `f64`): past it the later epochs are not kept, so memory stays bounded for
    /// any number of epochs.
    pub max_snapshot_values: usize,
}

/// nnlab's limits.
pub const LIMITS: Limits = Limits {
    max_width: 10_000,
    max_layers: 100,
    max_params: 10_000_000,
    max_epochs: 1_000_000,
    max_rows: nnlab_data::MAX_GENERATED_ROWS,
    max_runs: 1_000_000,
    max_magnitude: nnlab_data::MAX_MAGNITUDE,
    max_file_bytes: nnlab_data::MAX_FILE_BYTES,
    max_config_bytes: 1 << 24,
    max_snapshot_values: 10_000_000,
};

impl Limits {
    /// Checks layer sizes (input first) against the width, depth and parameter limits, with
    /// arithmetic that cannot overflow; the message names `arch` (the text as written) and
    /// the limit passed.
    pub fn check_sizes(&self, arch: &str, sizes: &[usize]) -> Result<(), String> {
        let layers = sizes.len().saturating_sub(1);
        if layers > self.max_layers {
            return Err(format!(
                "'{arch}' has {layers} layers after the input, more than the limit of {}",
                self.max_layers
            ));
        }
        if let Some((i, w)) = sizes.iter().enumerate().find(|(_, &w)| w > self.max_width) {
            return Err(format!(
                "'{arch}' has {w} neurons in layer {}, more than the limit of {}",
                i + 1,
                self.max_width
            ));
        }
        // Each layer has fan_in × fan_out weights and fan_out biases; the sizes are at most
        // max_width each here, so the products fit, and the sum saturates.
        let params = sizes
            .windows(2)
            .map(|p| p[0] * p[1] + p[1])
            .fold(0usize, usize::saturating_add);
        if params > self.max_params {
            return Err(format!(
                "'{arch}' has {params} parameters, more than the limit of {}",
                self.max_params
            ));
        }
        Ok(())
    }

    /// How many epochs' parameter snapshots a network of `n_params` parameters keeps
    /// within [`Limits::max_snapshot_values`] (at least one value each).
    pub fn snapshot_epochs(&self, n_params: usize) -> usize {
        self.max_snapshot_values / n_params.max(1)
    }

    /// Checks an epoch count.
    pub fn check_epochs(&self, epochs: usize) -> Result<(), String> {
        if epochs > self.max_epochs {
            return Err(format!(
                "'{epochs}' is more than the limit of {} epochs",
                self.max_epochs
            ));
        }
        Ok(())
    }

    /// Checks the size of a grid, given as the value count of each factor, without
    /// multiplying past the limit.
    pub fn check_runs(&self, counts: &[u128]) -> Result<(), String> {
        let runs = counts.iter().try_fold(1u128, |n, &c| n.checked_mul(c));
        match runs {
            Some(n) if n <= self.max_runs as u128 => Ok(()),
            Some(n) => Err(format!(
                "the grid has {n} runs, more than the limit of {}",
                self.max_runs
            )),
            None => Err(format!(
                "the grid has more than 2^128 runs, more than the limit of {}",
                self.max_runs
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The numbers: 2-2-1 has 2·2+2 + 2·1+1 = 9 parameters (w1..w6, b1..b3); 2-10000-1000-1
    // has 2·10000+10000 + 10000·1000+1000 + 1000+1 = 10,032,001, just past 10 million.
    #[test]
    fn sizes_are_checked_by_width_depth_and_parameters() {
        assert_eq!(LIMITS.check_sizes("2-2-1", &[2, 2, 1]), Ok(()));
        assert_eq!(
            LIMITS.check_sizes("2-10001-1", &[2, 10_001, 1]),
            Err("'2-10001-1' has 10001 neurons in layer 2, more than the limit of 10000".into())
        );
        assert_eq!(
            LIMITS.check_sizes("x", &[2, 10_000, 1000, 1]),
            Err("'x' has 10032001 parameters, more than the limit of 10000000".into())
        );
        assert!(LIMITS.check_sizes("x", &[2, 10_000, 990, 1]).is_ok());
        let deep = vec![1; 102];
        assert_eq!(
            LIMITS.check_sizes("deep", &deep),
            Err("'deep' has 101 layers after the input, more than the limit of 100".into())
        );
        // The width is checked before any product: usize::MAX neurons do not overflow.
        assert!(LIMITS
            .check_sizes("big", &[usize::MAX, usize::MAX])
            .unwrap_err()
            .contains("neurons in layer 1"));
    }

    // `train --epochs 9223372036854775807` grew ~90 MB/s, one snapshot per epoch. The course
    // network (9 parameters) keeps 10^7 / 9 = 1,111,111 epochs, more than max_epochs, so
    // every one; 2-10000-1 (30,001 parameters) keeps the first 333.
    #[test]
    fn snapshots_stay_within_their_budget() {
        assert_eq!(LIMITS.snapshot_epochs(9), 1_111_111);
        assert!(LIMITS.snapshot_epochs(9) >= LIMITS.max_epochs);
        assert_eq!(LIMITS.snapshot_epochs(30_001), 333);
        assert_eq!(LIMITS.snapshot_epochs(0), 10_000_000);
    }

    // `nnlab train /dev/zero` (an endless configuration file) stops after limit + 1 bytes.
    #[test]
    fn an_endless_configuration_file_is_refused_after_a_bounded_read() {
        let e = crate::Experiment::from_toml_file(std::path::Path::new("/dev/zero"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "/dev/zero: the file is larger than the limit of 16777216 bytes for a configuration"
        );
    }

    #[test]
    fn epochs_and_grids_are_checked_without_overflow() {
        assert!(LIMITS.check_epochs(1_000_000).is_ok());
        assert_eq!(
            LIMITS.check_epochs(usize::MAX),
            Err(format!(
                "'{}' is more than the limit of 1000000 epochs",
                usize::MAX
            ))
        );
        // 1000 × 1000 is the limit itself; 10^7 × 10^7 = 10^14 is the issue's grid.
        assert!(LIMITS.check_runs(&[1000, 1000]).is_ok());
        assert_eq!(
            LIMITS.check_runs(&[10_000_000, 10_000_000]),
            Err("the grid has 100000000000000 runs, more than the limit of 1000000".into())
        );
        assert!(LIMITS
            .check_runs(&[u128::MAX, 2])
            .unwrap_err()
            .contains("more than 2^128"));
    }
}
