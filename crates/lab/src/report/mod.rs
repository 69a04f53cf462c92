//! Reports of a sweep or a catalogue experiment: `report.html` (one self-contained file with
//! inline SVG plots) and `report.md` (beside the PNG plots `nnlab sweep --out` writes).
//!
//! Both render one [`Report`], a short lab report: the question, the answer drawn from the
//! numbers ([`answer()`]), the evidence per combination of the non-seed factors
//! ([`Finding`]: outcomes, warnings and the quoted cause of the main failure), the table of
//! those combinations side by side, the spread of the loss, extra tables (the forward pass of
//! `init-grid`), the plots and the configuration to rerun.

pub mod answer;
mod cause;
pub mod findings;
mod html;
mod md;

use nnlab_plot::LineChart;
use nnlab_report::Table;

use crate::files::OutSet;
use crate::sweep::files::spec_toml;
use crate::sweep::plots::factor_charts;
use crate::sweep::summary::judged_on;
use crate::sweep::summary::summary_table;
use crate::sweep::{summarize, SweepResult, SweepRun};
use crate::LabError;

pub use answer::{answer, changes_data};
pub use cause::{representative, Cause};
pub use findings::{diagnostic_counts, findings, findings_table, Finding};
pub use html::render_html;
pub use md::render_markdown;

/// A titled table shown after the summary (e.g. the forward pass at the start).
#[derive(Debug, Clone)]
pub struct Section {
    pub heading: String,
    pub intro: String,
    pub table: Table,
}

/// Everything a report shows, already computed.
#[derive(Debug, Clone)]
pub struct Report {
    pub title: String,
    /// What the experiment asks, in a few sentences.
    pub question: String,
    /// How these runs differ from the entry's own settings (`--epochs`), when they do.
    pub note: Option<String>,
    /// The conclusion, from the numbers (see [`answer()`]).
    pub answer: String,
    /// `test` when every run held out rows (the numbers are held-out ones), else `train`.
    pub judged_on: &'static str,
    /// The command that reruns the report.
    pub rerun: String,
    /// `sweep.toml`: the base experiment and the factors.
    pub config: String,
    pub n_runs: usize,
    /// The non-seed factors the findings are per combination of: `lr`, `weights × biases`,
    /// or `all runs` when only seeds vary.
    pub varied: String,
    /// One finding per combination of the non-seed factors, in grid order.
    pub findings: Vec<Finding>,
    /// The findings side by side (see [`findings_table`]).
    pub findings_table: Table,
    /// The spread of the judged loss per combination, sorted by median.
    pub summary: Table,
    /// `(kind, runs with it)` for every warning kind seen.
    pub diagnostics: Vec<(String, usize)>,
    pub sections: Vec<Section>,
    /// `(file stem, chart)`; the Markdown links `<stem>.png`.
    pub charts: Vec<(String, LineChart)>,
}

/// What a catalogue entry adds to its sweep's report.
#[derive(Debug, Clone, Default)]
pub struct Extra {
    pub title: String,
    pub question: String,
    /// See [`Report::note`].
    pub note: Option<String>,
    /// See [`Report::rerun`]; empty gives `nnlab sweep sweep.toml`.
    pub rerun: String,
    pub sections: Vec<Section>,
}

impl Report {
    /// The report of a whole (unsharded or merged) sweep.
    pub fn of_sweep(result: &SweepResult, extra: Option<Extra>) -> Report {
        let extra = extra.unwrap_or_else(|| Extra {
            title: format!(
                "Sweep over {}",
                result
                    .spec
                    .vary
                    .iter()
                    .map(|f| f.key.as_str())
                    .collect::<Vec<_>>()
                    .join(" × ")
            ),
            question: "How does the final loss depend on each varied setting?".into(),
            ..Extra::default()
        });
        let found = findings(result);
        let all: Vec<&SweepRun> = result.runs.iter().collect();
        Report {
            title: extra.title,
            question: extra.question,
            note: extra.note,
            answer: answer(&found, changes_data(&result.spec)),
            judged_on: judged_on(&all),
            rerun: if extra.rerun.is_empty() {
                "nnlab sweep sweep.toml".into()
            } else {
                extra.rerun
            },
            config: spec_toml(&result.spec).unwrap_or_default(),
            n_runs: result.runs.len(),
            varied: varied(&result.spec),
            findings_table: findings_table(&found),
            findings: found,
            summary: summary_table(&summarize(result)),
            diagnostics: diagnostic_counts(&result.runs),
            sections: extra.sections,
            charts: factor_charts(result),
        }
    }
}

/// `lr`, `weights × biases`, or `all runs` (see [`Report::varied`]).
fn varied(spec: &crate::sweep::SweepSpec) -> String {
    let keys: Vec<&str> = spec
        .setting_factors()
        .into_iter()
        .map(|f| spec.vary[f].key.as_str())
        .collect();
    if keys.is_empty() {
        "all runs".into()
    } else {
        keys.join(" × ")
    }
}

impl Report {
    /// Which set the report's numbers are on, as a sentence.
    pub fn judged_on_sentence(&self) -> String {
        match self.judged_on {
            "test" => "every run held out rows, so the losses, R² and MAPE below are on the test set (the rows it did not train on).".into(),
            _ => "the losses, R² and MAPE below are on the training set (the runs hold out no rows).".into(),
        }
    }

    /// The heading of the spread table.
    pub fn spread_heading(&self) -> String {
        format!(
            "Spread of the final {} loss over the seeds (sorted by median)",
            self.judged_on
        )
    }
}

/// The files a report writes into a sweep's folder.
pub const REPORT_FILES: [&str; 2] = ["report.html", "report.md"];

/// Puts `report.html` and `report.md` into `set`, beside the sweep's files (the PNGs the
/// Markdown links are put by [`crate::sweep::files::put_sweep`]).
pub fn put_reports(set: &mut OutSet, report: &Report) -> Result<(), LabError> {
    let [html, md] = REPORT_FILES;
    set.put(html, render_html(report)?.as_bytes())?;
    set.put(md, render_markdown(report).as_bytes())
}
