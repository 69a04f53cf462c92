//! # nnlab-props: property tests that no input of the schema breaks a command
//!
//! The values come from the one table of options ([`nnlab_lab::KEYS`]): for every key, its
//! own choices (with and without `:arguments`), numbers at the edges (huge, negative, NaN,
//! infinite, past `u64`), lists and ranges of them, and malformed text ([`value`]). The
//! tests in `tests/` set random keys to such values and run the library entry points of
//! `nnlab train`, `nnlab step` and `nnlab sweep` under [`bounded`]: each case must end in
//! `Ok` or `Err` (never a panic) within [`DEADLINE`], while the test binary's allocator
//! ([`CappedAlloc`]) stops the process with the case's text if live memory passes its cap.
//!
//! Runs are bounded by construction: every case starts from [`SMALL`] (3 epochs, 8 rows),
//! which only a case about `epochs` or `rows` overrides.
//!
//! ```
//! use nnlab_props::{bounded, Outcome};
//! use std::time::Duration;
//! assert_eq!(bounded("ok", Duration::from_secs(5), || 2 + 2), Outcome::Done(4));
//! assert!(matches!(bounded("boom", Duration::from_secs(5), || -> u8 { panic!("boom") }),
//!                  Outcome::Panicked(m) if m == "boom"));
//! ```

mod alloc;
mod bound;
mod values;

pub use alloc::CappedAlloc;
pub use bound::{bounded, Outcome, DEADLINE};
pub use values::{experiment, settings, step_settings, value, vary, SMALL};
