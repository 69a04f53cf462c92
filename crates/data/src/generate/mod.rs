//! Generated data: the course's default rows `(x1, x2, y)` with `y = x1^2 + x2 + noise`
//! ([`Generator`], `generate` or `generate:quadratic`), and TF Playground's two-class sets
//! ([`TwoClass`], `generate:circle`, `xor`, `gauss`, `spiral`; see the `two_class` module).
//!
//! The rest of this page is the course's generator.
//!
//! Each value is drawn on the unit interval as `u` in `[0, 1)` by a [`Distribution`], then
//! mapped to its range `[lo, hi)`:
//! - continuous draws: `v = lo + (hi - lo) * u`;
//! - integer draws (the default, like NumPy's `randint(lo, hi)`): `v = lo + floor((hi - lo) * u)`,
//!   so `v` is one of `lo, lo + 1, ..., hi - 1`.
//!
//! If floating-point rounding ever puts `v` on `hi` (possible only for `u` within about
//! `1e-16` of 1), the value is drawn again, so every value stays inside `[lo, hi)`.
//!
//! Draw order, fixed so that a seed always gives the same rows: one generator
//! `Rng::for_purpose(seed, "data")`; for each row in turn `x1`, then `x2`, then `noise`
//! (each taking as many draws as its distribution needs). With `rng = "numpy"` the rows
//! come from NumPy's legacy stream instead, in the same order, exactly as
//! `np.random.seed(seed)` then `np.random.randint(lo, hi)` (or `uniform`) draws them
//! ([`numpy`]).
//!
//! ```
//! use nnlab_data::{Distribution, Generator, Range};
//! let g = Generator { rows: 3, x1: Range::new(-2.0, 2.0), distribution: Distribution::Skewed,
//!                     skew: 3.0, ..Generator::default() };
//! let d = g.generate().unwrap();
//! for i in 0..d.n_rows() {
//!     let (x1, x2) = (d.row(i)[0], d.row(i)[1]);
//!     assert!((-2.0..2.0).contains(&x1) && x1.fract() == 0.0);
//!     let noise = d.y[i] - (x1 * x1 + x2);
//!     assert!((0.0..10.0).contains(&noise));
//! }
//! ```

mod distribution;
mod draw;
pub mod numpy;
mod pattern;
mod settings;
mod two_class;

pub use distribution::Distribution;
pub use numpy::{DataRng, Mt19937};
pub use pattern::Pattern;
pub use settings::{Generator, MAX_GENERATED_ROWS};
pub use two_class::{TwoClass, MAX_CLASS_NOISE};
