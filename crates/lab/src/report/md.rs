//! `report.md`: the same content as the HTML page, with the PNG plots linked beside it.

use std::fmt::Write as _;

use super::Report;

/// The Markdown report (see the module doc of [`super`]).
pub fn render_markdown(r: &Report) -> String {
    let mut s = String::new();
    let _ = write!(s, "# {}\n\n", r.title);
    if let Some(note) = &r.note {
        let _ = write!(s, "> {note}\n\n");
    }
    let _ = write!(
        s,
        "**Question.** {}\n\n**Answer.** {}\n\n{} runs; {}\n\n## Evidence\n\n### {}\n\n",
        r.question,
        r.answer,
        r.n_runs,
        r.judged_on_sentence(),
        r.varied
    );
    for f in &r.findings {
        let _ = writeln!(s, "- {}", f.sentence);
    }
    let _ = write!(
        s,
        "\n## Side by side\n\n{}\n## {}\n\n{}\n",
        r.findings_table.markdown(),
        r.spread_heading(),
        r.summary.markdown()
    );
    for sec in &r.sections {
        let _ = write!(
            s,
            "## {}\n\n{}\n\n{}\n",
            sec.heading,
            sec.intro,
            sec.table.markdown()
        );
    }
    s.push_str("## Warnings over all runs\n\n");
    if r.diagnostics.is_empty() {
        s.push_str("No run raised a warning.\n\n");
    } else {
        for (k, n) in &r.diagnostics {
            let _ = writeln!(s, "- {k}: {n} of {} runs", r.n_runs);
        }
        s.push('\n');
    }
    s.push_str("## Loss curves\n\n");
    for (name, chart) in &r.charts {
        let _ = write!(s, "![{}]({name}.png)\n\n", chart.title);
    }
    let _ = write!(
        s,
        "## Configuration\n\nRerun with `{}`.\n\n```toml\n{}```\n",
        r.rerun, r.config
    );
    s
}
