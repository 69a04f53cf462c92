//! A loss curve drawn with ASCII characters, for a terminal or a log file.

use crate::format::compact;
use crate::range::drawable_y;

/// A text plot of `values` (one per epoch) in at most `width` columns and exactly `height` rows.
///
/// ```text
/// 2.3 |*
///     | **
///     |   ****
/// 0.1 |       ********
///     +---------------
///      1            15
/// ```
///
/// - The y axis is labelled with the largest value on the top row and the smallest on the
///   bottom row ([`compact`](crate::compact) numbers, 3 significant digits); a flat curve is
///   drawn on the middle row, which carries its one label. With `log_y` the
///   rows are spaced by `log10` and the x-axis line ends in `(log y)`.
/// - The x axis is labelled with the first and last epoch, counted from 1.
/// - With more values than `width`, column `c` covers values `c*n/width .. (c+1)*n/width` and
///   marks every row from that slice's minimum to its maximum, so a spike stays visible and the
///   labels remain the true extremes. With fewer values the plot is `n` columns wide.
/// - Non-finite values (and, with `log_y`, non-positive ones) are skipped; their column stays
///   empty. If none is left, the plot is the single line `(no finite values to plot)`.
/// - `width` and `height` below 1 count as 1. Lines carry no trailing spaces; the output is
///   a pure function of the arguments.
pub fn terminal_plot(values: &[f64], width: usize, height: usize, log_y: bool) -> String {
    let (width, height) = (width.max(1), height.max(1));
    // The vertical position is linear in t(v): v itself, or log10(v) on a log axis.
    let t = |v: f64| if log_y { v.log10() } else { v };
    let drawable = |v: &&f64| drawable_y(**v, log_y);

    let n = values.len();
    let columns = n.min(width);
    let spans: Vec<Option<(f64, f64)>> = (0..columns)
        .map(|c| {
            let slice = &values[c * n / columns..(c + 1) * n / columns];
            slice
                .iter()
                .filter(drawable)
                .fold(None, |acc, &v| match acc {
                    None => Some((v, v)),
                    Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
                })
        })
        .collect();
    let Some((min, max)) = spans
        .iter()
        .flatten()
        .copied()
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    else {
        let what = if log_y { "positive finite" } else { "finite" };
        return format!("(no {what} values to plot)\n");
    };

    let (t_min, t_max) = (t(min), t(max));
    let row = |v: f64| -> usize {
        if t_max > t_min {
            ((t_max - t(v)) / (t_max - t_min) * (height - 1) as f64).round() as usize
        } else {
            // A flat curve: the middle row.
            (height - 1) / 2
        }
    };
    let mut grid = vec![vec![' '; columns]; height];
    for (c, span) in spans.iter().enumerate() {
        if let Some((lo, hi)) = *span {
            for line in grid.iter_mut().take(row(lo) + 1).skip(row(hi)) {
                line[c] = '*';
            }
        }
    }

    let (top, bottom) = (compact(max), compact(min));
    let label_width = top.len().max(bottom.len());
    let mut out = String::new();
    for (r, cells) in grid.iter().enumerate() {
        let flat = t_max == t_min;
        let label = match r {
            // A flat curve has one value: label its row only, not the same number twice.
            _ if flat && r == row(min) => top.as_str(),
            0 if !flat => top.as_str(),
            _ if !flat && r == height - 1 => bottom.as_str(),
            _ => "",
        };
        let cells: String = cells.iter().collect();
        push_line(&mut out, &format!("{label:>label_width$} |{cells}"));
    }
    push_line(
        &mut out,
        &format!("{:label_width$} +{}", "", "-".repeat(columns)),
    );

    let (first, last) = ("1".to_string(), n.to_string());
    let epochs = if n == 1 {
        first
    } else {
        // The last epoch ends under the last column; at least one space between the two.
        let gap = columns.saturating_sub(first.len() + last.len()).max(1);
        format!("{first}{}{last}", " ".repeat(gap))
    };
    let scale = if log_y { "  (log y)" } else { "" };
    push_line(&mut out, &format!("{:label_width$}  {epochs}{scale}", ""));
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line.trim_end());
    out.push('\n');
}
