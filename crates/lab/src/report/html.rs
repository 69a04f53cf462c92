//! `report.html`: one self-contained page (inline CSS and SVG, no scripts, no links out).
//! Every text that comes from data or configuration goes through [`escape`].

use std::fmt::Write as _;

use super::Report;
use crate::sweep::plots::PLOT_SIZE;
use crate::LabError;

/// `&`, `<`, `>`, `"` and `'` as character references, for text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:1em 0;font-size:90%}th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}\
th:first-child,td:first-child{text-align:left}th{background:#f2f2f2}pre{background:#f7f7f7;padding:1em;overflow:auto}\
figure{margin:1em 0}svg{max-width:100%;height:auto}";

fn table_html(t: &nnlab_report::Table) -> String {
    let mut s = String::from("<table>\n<tr>");
    for h in &t.headers {
        let _ = write!(s, "<th>{}</th>", escape(h));
    }
    s.push_str("</tr>\n");
    for row in &t.rows {
        s.push_str("<tr>");
        for c in row {
            let _ = write!(s, "<td>{}</td>", escape(c));
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</table>\n");
    s
}

/// The page (see the module doc). Errors only when a plot cannot be drawn.
pub fn render_html(r: &Report) -> Result<String, LabError> {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(&r.title),
        escape(&r.title),
    );
    if let Some(note) = &r.note {
        let _ = writeln!(s, "<blockquote>{}</blockquote>", escape(note));
    }
    let _ = write!(
        s,
        "<p><b>Question.</b> {}</p>\n<p><b>Answer.</b> {}</p>\n<p>{} runs; {}</p>\n<h2>Evidence</h2>\n<h3>{}</h3>\n<ul>\n",
        escape(&r.question),
        escape(&r.answer),
        r.n_runs,
        escape(&r.judged_on_sentence()),
        escape(&r.varied)
    );
    for f in &r.findings {
        let _ = writeln!(s, "<li>{}</li>", escape(&f.sentence));
    }
    s.push_str("</ul>\n<h2>Side by side</h2>\n");
    s.push_str(&table_html(&r.findings_table));
    let _ = writeln!(s, "<h2>{}</h2>", escape(&r.spread_heading()));
    s.push_str(&table_html(&r.summary));
    for sec in &r.sections {
        let _ = write!(
            s,
            "<h2>{}</h2>\n<p>{}</p>\n",
            escape(&sec.heading),
            escape(&sec.intro)
        );
        s.push_str(&table_html(&sec.table));
    }
    s.push_str("<h2>Warnings over all runs</h2>\n");
    if r.diagnostics.is_empty() {
        s.push_str("<p>No run raised a warning.</p>\n");
    } else {
        s.push_str("<ul>\n");
        for (k, n) in &r.diagnostics {
            let _ = writeln!(s, "<li>{}: {n} of {} runs</li>", escape(k), r.n_runs);
        }
        s.push_str("</ul>\n");
    }
    s.push_str("<h2>Loss curves</h2>\n");
    for (name, chart) in &r.charts {
        let svg = chart.to_svg(PLOT_SIZE.0, PLOT_SIZE.1)?;
        // Inline SVG in HTML takes no XML declaration.
        let body = match svg.find("<svg") {
            Some(i) => &svg[i..],
            None => svg.as_str(),
        };
        let _ = write!(
            s,
            "<figure id=\"{}\">\n{}\n</figure>\n",
            escape(name),
            body.trim_end()
        );
    }
    let _ = write!(
        s,
        "<h2>Configuration</h2>\n<p>Rerun with <code>{}</code>.</p>\n<pre>{}</pre>\n</body>\n</html>\n",
        escape(&r.rerun),
        escape(&r.config)
    );
    Ok(s)
}
