//! # nnlab-report: one gradient-descent step, explained
//!
//! Builds the data of a step from the math core ([`StepReport`], [`StepsReport`],
//! [`CheckReport`]) and renders it as text ([`render_text`]), Markdown ([`render_markdown`])
//! or JSON (serde). Every number comes from `nnlab_core`; this crate only arranges and
//! spells them ([`num`]: Python's `repr`).
//!
//! ```
//! use nnlab_core::{course, Loss};
//! use nnlab_report::{num, StepReport};
//! // The course's example: w = 1,0.5,1,-1,1,1, b = 0.5,0,0.5, input (1, 0), target 2.
//! let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let r = StepReport::new(&net, &[1.0, 0.0], &[2.0], 0.01, Loss::SquaredError).unwrap();
//! assert_eq!(r.nodes[0].equation, "z1 = 1·1 + 0·1 + 0.5 = 1.5 -> relu -> a1 = 1.5");
//! assert_eq!(num(r.change.get("w1").unwrap()), "-0.010000000000000009");
//! ```
//!
//! [`input`] and [`setup`] turn what a user typed into checked values, with errors that
//! name the flag ([`ReportError`]).

mod check;
mod error;
mod explain;
pub mod input;
mod labels;
mod latex;
mod named;
mod num;
mod output_eq;
mod render;
pub mod setup;
mod step;
mod steps;
mod table;

pub use check::{CheckReport, CheckRow, CHECK_EPS, CHECK_TOLERANCE};
pub use error::ReportError;
pub use explain::{GradientFactors, PenaltyTerm};
pub use latex::{latex, render_latex, render_steps_latex};
pub use named::NamedValues;
pub use num::{num, num_short, sig4};
pub use output_eq::PenaltyReport;
pub use render::{
    render_markdown, render_steps_markdown, render_steps_text, render_text, STEPS_TABLE_MAX_PARAMS,
};
pub use step::{FeatureInputs, NodeReport, StepReport};
pub use steps::{NonFinite, StepRow, StepsReport, MAX_STEPS};
pub use table::{Align, Table};
