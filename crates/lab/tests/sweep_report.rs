//! The reports: report.html is well-formed (a small checker below: balanced tags, no raw
//! `<` or `&` in text), escapes what it shows, and its sentences state the summary's numbers.

use nnlab_lab::report::{render_html, render_markdown, Extra, Report};
use nnlab_lab::sweep::summary::{by_factor, sig4};
use nnlab_lab::sweep::{run_sweep, SweepSpec};
use nnlab_lab::verdict::Outcome;
use nnlab_lab::Experiment;

const VOID: &[&str] = &["meta", "br", "img", "hr", "link", "input"];

/// Checks that every tag is closed in order, every `<` starts a tag, a comment, a doctype or
/// an XML instruction, and every `&` starts a character reference. Returns the first problem.
fn check_well_formed(doc: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let b = doc.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                let rest = &doc[i..];
                if rest.starts_with("<!--") {
                    i += rest.find("-->").ok_or("unclosed comment")? + 3;
                    continue;
                }
                let end = rest
                    .find('>')
                    .ok_or_else(|| format!("unclosed tag at {i}"))?;
                let tag = &rest[1..end];
                if tag.starts_with('!') || tag.starts_with('?') {
                    i += end + 1;
                    continue;
                }
                let closing = tag.starts_with('/');
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
                    .collect();
                if name.is_empty() {
                    return Err(format!(
                        "a raw '<' in text at {i}: {}",
                        &rest[..end.min(30)]
                    ));
                }
                if closing {
                    match stack.pop() {
                        Some(open) if open == name => {}
                        other => return Err(format!("</{name}> closes {other:?} at {i}")),
                    }
                } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
                    stack.push(name);
                }
                i += end + 1;
            }
            b'&' => {
                let rest = &doc[i..];
                let end = rest
                    .find(';')
                    .filter(|&e| e < 10)
                    .ok_or_else(|| format!("a raw '&' at {i}"))?;
                let ent = &rest[1..end];
                let ok = ent.starts_with('#') || ent.chars().all(|c| c.is_ascii_alphanumeric());
                if !ok {
                    return Err(format!("a raw '&' at {i}"));
                }
                i += end + 1;
            }
            _ => i += 1,
        }
    }
    match stack.last() {
        None => Ok(()),
        Some(open) => Err(format!("<{open}> never closed")),
    }
}

#[test]
fn the_checker_catches_broken_html() {
    assert!(check_well_formed("<p>a <b>b</b></p>").is_ok());
    assert!(check_well_formed("<p>a <b>b</p></b>").is_err());
    assert!(check_well_formed("<p>1 < 2</p>").is_err());
    assert!(check_well_formed("<p>R&D</p>").is_err());
    assert!(check_well_formed("<p>").is_err());
}

fn sweep() -> nnlab_lab::sweep::SweepResult {
    // A linear network with weights around 100: lr 1 diverges in every seed, lr 0.00001
    // does not (see the `exploding` catalogue entry).
    let mut base = Experiment::default();
    base.set("activation", "identity").unwrap();
    base.set("weights", "normal:100,10").unwrap();
    base.set("epochs", "20").unwrap();
    let spec = SweepSpec::parse(base, &["lr=0.00001,1".into(), "seed=0..4".into()]).unwrap();
    run_sweep(&spec, None).unwrap()
}

#[test]
fn html_is_well_formed_and_escapes() {
    let result = sweep();
    let extra = Extra {
        title: "Weights <b>&</b> \"rates\"".into(),
        question: "Is 1 < 2?".into(),
        sections: vec![],
    };
    let report = Report::of_sweep(&result, Some(extra));
    let html = render_html(&report).unwrap();
    check_well_formed(&html).unwrap();
    assert!(html.contains("<h1>Weights &lt;b&gt;&amp;&lt;/b&gt; &quot;rates&quot;</h1>"));
    assert!(html.contains("Is 1 &lt; 2?"));
    assert!(html.contains("<svg"), "no inline plot");
    assert!(!html.contains("<?xml"));
    let md = render_markdown(&report);
    assert!(md.contains("![train loss by lr"));
    assert!(md.contains("(loss_by_lr.png)"));
}

#[test]
fn sentences_state_the_summary_numbers() {
    let result = sweep();
    let report = Report::of_sweep(&result, None);
    let stats = by_factor(&result, 0);
    let (key, lines) = &report.paragraphs[0];
    assert_eq!(key, "lr");
    // lr = 0.00001: finished runs, the sentence quotes the median, min and max.
    let (v, s) = &stats[0];
    assert_eq!(v, "0.00001");
    assert_eq!(s.count(Outcome::Diverged), 0);
    let want = format!(
        "lr = 0.00001 reached a median final loss of {} (min {}, max {}); of 4 runs: {}",
        sig4(s.median),
        sig4(s.min),
        sig4(s.max),
        s.outcomes.describe()
    );
    assert!(
        lines[0].sentence.starts_with(&want),
        "{}\nvs {want}",
        lines[0].sentence
    );
    // lr = 1: every seed diverged, in the epoch the records say.
    let (_, s1) = &stats[1];
    assert_eq!((s1.count(Outcome::Diverged), s1.n), (4, 4));
    let mut epochs: Vec<usize> = result
        .runs
        .iter()
        .filter_map(|r| r.diverged_epoch)
        .collect();
    epochs.sort_unstable();
    let want = format!(
        "lr = 1 diverged in 4 of 4 runs (median epoch {}).",
        epochs[1]
    );
    assert!(
        lines[1].sentence.starts_with(&want),
        "{}\nvs {want}",
        lines[1].sentence
    );
    // The summary table's median column agrees with the stats (rows sorted by median).
    assert_eq!(report.summary.rows[0][0], "0.00001");
    assert_eq!(report.summary.rows[0][3], sig4(s.median));
    assert_eq!(report.summary.rows[1][3], "inf");
}
