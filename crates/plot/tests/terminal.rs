//! The text plot, compared as whole outputs.

use nnlab_plot::{compact, terminal_plot};

#[test]
fn four_falling_values_one_row_each() {
    // Linear rows: (4 - v) / (4 - 1) * 3 -> rows 0, 1, 2, 3.
    let expected = "\
4 |*
  | *
  |  *
1 |   *
  +----
   1  4
";
    assert_eq!(terminal_plot(&[4.0, 3.0, 2.0, 1.0], 10, 4, false), expected);
}

#[test]
fn non_finite_values_leave_their_column_empty() {
    let expected = "\
4 |*
  |
  |  *
1 |   *
  +----
   1  4
";
    assert_eq!(
        terminal_plot(&[4.0, f64::NAN, 2.0, 1.0], 10, 4, false),
        expected
    );
    assert_eq!(
        terminal_plot(&[f64::NAN, f64::INFINITY], 10, 4, false),
        "(no finite values to plot)\n"
    );
}

#[test]
fn down_sampling_marks_each_columns_min_to_max() {
    // 10, 9, ..., 1 in 5 columns of two values; row of v is 10 - v (height 10, span 9).
    let values: Vec<f64> = (1..=10).rev().map(f64::from).collect();
    let expected = "\
10 |*
   |*
   | *
   | *
   |  *
   |  *
   |   *
   |   *
   |    *
 1 |    *
   +-----
    1  10
";
    assert_eq!(terminal_plot(&values, 5, 10, false), expected);
}

#[test]
fn log_rows_are_decades() {
    // 100, 10, 1, 0.1 -> log10 = 2, 1, 0, -1 -> rows 0..3; zero and negatives are skipped.
    let expected = "\
100 |*
    | *
    |  *
0.1 |   *  *
    +-------
     1     7  (log y)
";
    let values = [100.0, 10.0, 1.0, 0.1, 0.0, -5.0, 0.1];
    assert_eq!(terminal_plot(&values, 20, 4, true), expected);
}

#[test]
fn a_long_decreasing_curve_falls_from_top_to_bottom() {
    let losses: Vec<f64> = (0..500).map(|e| 2.5 * 0.99f64.powi(e)).collect();
    let (width, height) = (60, 12);
    let text = terminal_plot(&losses, width, height, false);
    let lines: Vec<&str> = text.lines().collect();
    let rows: Vec<&str> = lines
        .iter()
        .take_while(|l| l.contains('|'))
        .copied()
        .collect();
    assert_eq!(rows.len(), height);
    assert_eq!(lines.len(), height + 2);

    let prefix = rows[0].find('|').unwrap() + 1;
    let mark_rows = |column: usize| -> Vec<usize> {
        (0..height)
            .filter(|&r| rows[r][prefix..].chars().nth(column) == Some('*'))
            .collect()
    };
    assert!(mark_rows(0).contains(&0), "first value in the top row");
    assert!(
        mark_rows(width - 1).iter().all(|&r| r >= height - 2),
        "last value at the bottom"
    );

    let max = compact(2.5);
    let min = compact(2.5 * 0.99f64.powi(499));
    assert_eq!(min, "0.0166");
    assert!(rows[0].trim_start().starts_with(&max));
    assert!(rows[height - 1].trim_start().starts_with(&min));
    assert!(lines[height + 1].trim_end().ends_with("500"));
    // Deterministic: the same input gives the same text.
    assert_eq!(terminal_plot(&losses, width, height, false), text);
}

#[test]
fn degenerate_sizes_and_flat_curves_do_not_panic() {
    let flat = concat!(
        "    |\n",
        "0.5 |***\n",
        "    |\n",
        "    +---\n",
        "     1 3\n"
    );
    assert_eq!(terminal_plot(&[0.5, 0.5, 0.5], 3, 3, false), flat);
    assert_eq!(
        terminal_plot(&[], 10, 3, false),
        "(no finite values to plot)\n"
    );
    assert_eq!(
        terminal_plot(&[2.0], 0, 0, true),
        "2 |*\n  +-\n   1  (log y)\n"
    );
}
