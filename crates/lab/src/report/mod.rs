//! Reports of a sweep or a catalogue experiment: `report.html` (one self-contained file with
//! inline SVG plots) and `report.md` (beside the PNG plots `nnlab sweep --out` writes).
//!
//! Both render one [`Report`]: a title, what the experiment asks, the configuration, the
//! summary table, one paragraph per varied setting generated from the numbers
//! ([`paragraphs`]), the diagnostics counted over the runs, extra tables (the forward pass
//! of `init-grid`), and the plots.

mod html;
mod md;
mod text;

use std::path::{Path, PathBuf};

use nnlab_plot::LineChart;
use nnlab_report::Table;

use crate::files::write_atomic;
use crate::sweep::files::spec_toml;
use crate::sweep::plots::factor_charts;
use crate::sweep::summary::summary_table;
use crate::sweep::{summarize, SweepResult};
use crate::LabError;

pub use html::render_html;
pub use md::render_markdown;
pub use text::{diagnostic_counts, factor_paragraphs, FactorLine};

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
    /// `sweep.toml`: the base experiment and the factors.
    pub config: String,
    pub n_runs: usize,
    pub summary: Table,
    /// Per non-seed factor, one paragraph per value.
    pub paragraphs: Vec<(String, Vec<FactorLine>)>,
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
            sections: Vec::new(),
        });
        Report {
            title: extra.title,
            question: extra.question,
            config: spec_toml(&result.spec).unwrap_or_default(),
            n_runs: result.runs.len(),
            summary: summary_table(&summarize(result)),
            paragraphs: factor_paragraphs(result),
            diagnostics: diagnostic_counts(&result.runs),
            sections: extra.sections,
            charts: factor_charts(result),
        }
    }
}

/// Writes `report.html` and `report.md` into `dir` (the PNGs the Markdown links are written
/// by [`crate::sweep::files::write_sweep`]); returns the paths.
pub fn write_reports(dir: &Path, report: &Report) -> Result<Vec<PathBuf>, LabError> {
    let html = dir.join("report.html");
    write_atomic(&html, render_html(report)?.as_bytes())?;
    let md = dir.join("report.md");
    write_atomic(&md, render_markdown(report).as_bytes())?;
    Ok(vec![html, md])
}
