//! Charts of small-network training runs: loss curves, predictions against targets, decision
//! boundaries, and a text plot for the terminal.
//!
//! [`LineChart`], [`ScatterChart`] and [`DecisionChart`] (a classifier's probabilities over
//! its input plane) render to SVG text or PNG bytes with plotters. Their font,
//! DejaVu Sans, is compiled into the crate, so text renders on machines with no system fonts;
//! the caller decides where the bytes go. [`terminal_plot`] draws a loss curve in ASCII.
//!
//! ```
//! use nnlab_plot::{terminal_plot, LineChart, Series, PNG_SIGNATURE};
//!
//! // A loss that falls by 10% an epoch, from 2.0 at epoch 1.
//! let loss: Vec<f64> = (0..30).map(|e| 2.0 * 0.9f64.powi(e)).collect();
//!
//! let mut chart = LineChart::new("Training loss", "epoch", "MSE");
//! chart.log_y = true;
//! chart.series.push(Series::from_epochs("train", &loss));
//!
//! let svg = chart.to_svg(640, 400)?;
//! assert!(svg.contains("Training loss") && svg.contains("width=\"640\""));
//! let png = chart.to_png(640, 400)?;
//! assert_eq!(png[..8], PNG_SIGNATURE);
//!
//! let text = terminal_plot(&loss, 30, 5, true);
//! assert_eq!(text.lines().next(), Some("     2 |****"));
//! assert!(text.contains("0.0942 |")); // 2 * 0.9^29, the last and smallest loss
//! # Ok::<(), nnlab_plot::PlotError>(())
//! ```

mod decision;
mod error;
mod font;
mod format;
mod line;
mod png;
mod range;
mod render;
mod scatter;
mod terminal;

pub use decision::{ClassPoint, DecisionChart};
pub use error::PlotError;
pub use format::compact;
pub use line::{LineChart, Series};
pub use png::SIGNATURE as PNG_SIGNATURE;
pub use render::{MAX_SIZE, MIN_SIZE};
pub use scatter::ScatterChart;
pub use terminal::terminal_plot;
