//! # nnlab-data: the data a small network learns from
//!
//! Every data set is a [`Dataset`]: named numeric inputs `x` (row-major), a numeric target
//! `y` per row (one number, or a one-hot row for more than two classes), a description of its
//! source and notes on how text was encoded. It comes from
//! - the course's [`Generator`]: `y = x1^2 + x2 + noise` with seeded draws, uniform, normal or
//!   skewed, integer or continuous ([`generate`](mod@generate) module), or TF Playground's
//!   two-class sets [`TwoClass`] (`generate:circle`, `xor`, `gauss`, `spiral`);
//! - a CSV table with a header ([`load_csv`]): columns chosen by name, text columns turned into
//!   0/1 or one-hot columns, bad rows reported by file, line and column or skipped;
//! - a built-in table ([`builtin`]): `diabetes`, `insurance`, `penguins` (3 species, a
//!   classification table) or `course` (the course's one
//!   worked example), CSV text shipped in the crate
//!   (`crates/data/data/`, with its source and licence) and read by the same CSV loader;
//!
//! all three described by a [`DataSource`] (config files, `--data` flags). A target of class
//! labels becomes classes (text labels as loaded, integers through
//! [`Dataset::into_classes`]; names in order from [`Dataset::classes`]), and
//! [`Dataset::with_features`] computes feature crosses (`x1^2`, `x1*x2`, `sin(x1)`) as the
//! inputs. Then it is split
//! into training and test rows ([`split`]) and scaled per column ([`Scaler`]: min-max,
//! standard or none), with the inverse to report predictions in the original units.
//!
//! Randomness is [`nnlab_core::rng::Rng`] with one stream per purpose: `"data"` for the
//! generator, `"split"` for the split, so a seed gives the same rows everywhere.
//!
//! ```
//! use nnlab_data::{split, DataSource, ScaleKind, Scaler};
//! // The course's data: 100 rows, x1 in 0..=4, x2 and noise in 0..=9, seed 0.
//! let (data, _report) = "generate".parse::<DataSource>().unwrap().load().unwrap();
//! assert_eq!((data.n_rows(), data.n_inputs()), (100, 2));
//! let (x1, x2) = (data.row(0)[0], data.row(0)[1]);
//! assert!(data.y[0] >= x1 * x1 + x2 && data.y[0] <= x1 * x1 + x2 + 9.0);
//!
//! // Hold out a fifth for testing, fit the scaling on the training rows only.
//! let (train, test) = split(&data, 0.2, 0).unwrap();
//! let test = test.unwrap();
//! assert_eq!((train.n_rows(), test.n_rows()), (80, 20));
//! let scaler = Scaler::fit(&train, ScaleKind::MinMax).unwrap();
//! let scaled = scaler.transform(&train).unwrap();
//! assert!(scaled.x.iter().chain(&scaled.y).all(|v| (0.0..=1.0).contains(v)));
//! // A prediction in scaled units back in the target's units.
//! let y_hat = scaler.inverse_target(scaled.y[0]);
//! assert!((y_hat - train.y[0]).abs() < 1e-12);
//! ```
//!
//! Errors are one enum, [`DataError`], whose messages say what and where
//! (`insurance.csv line 17, column 'bmi': 'abc' is not a number`).

mod builtin;
mod classes;
mod csv;
mod dataset;
mod encode;
mod error;
mod features;
pub mod generate;
mod lines;
mod range;
mod scale;
mod source;
mod split;
mod table;

pub use crate::builtin::{
    builtin, builtin_columns, builtin_table, BuiltinTable, BUILTIN_NAMES, BUILTIN_TABLES,
    DIABETES_INPUTS,
};
pub use crate::classes::MAX_CLASSES;
pub use crate::csv::{load_csv, load_csv_from_reader, CsvOptions};
pub use crate::dataset::{Dataset, LoadReport};
pub use crate::error::DataError;
pub use crate::features::Feature;
pub use crate::generate::{
    DataRng, Distribution, Generator, Mt19937, Pattern, TwoClass, MAX_CLASS_NOISE,
    MAX_GENERATED_ROWS,
};
pub use crate::lines::{MAX_FILE_BYTES, MAX_RECORD_BYTES};
pub use crate::range::{Range, MAX_MAGNITUDE};
pub use crate::scale::{ColumnStats, ScaleKind, Scaler};
pub use crate::source::DataSource;
pub use crate::split::{split, split_owned, test_rows};
