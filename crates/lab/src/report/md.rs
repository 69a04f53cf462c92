//! `report.md`: the same content as the HTML page, with the PNG plots linked beside it.

use std::fmt::Write as _;

use super::Report;

/// The Markdown report (see the module doc of [`super`]).
pub fn render_markdown(r: &Report) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "# {}\n\n{}\n\n{} runs.\n\n## Findings\n\n",
        r.title, r.question, r.n_runs
    );
    for (key, lines) in &r.paragraphs {
        let _ = writeln!(s, "### {key}\n");
        for l in lines {
            let _ = writeln!(s, "- {}", l.sentence);
        }
        s.push('\n');
    }
    let _ = write!(
        s,
        "## Summary (sorted by median final loss)\n\n{}\n",
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
    s.push_str("## Diagnostics\n\n");
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
        "## Configuration\n\nRerun with `nnlab sweep sweep.toml`.\n\n```toml\n{}```\n",
        r.config
    );
    s
}
