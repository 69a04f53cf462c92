//! SVG and PNG output of the line and scatter charts.

mod common;

use common::decode_png;
use nnlab_plot::{LineChart, PlotError, ScatterChart, Series, PNG_SIGNATURE};

/// The polylines stroked in `colour` at width 2 (series lines), as pixel coordinates.
fn series_lines(svg: &str, colour: &str) -> Vec<Vec<(i32, i32)>> {
    let key = format!("stroke=\"{colour}\" stroke-width=\"2\" points=\"");
    svg.match_indices(&key)
        .map(|(at, _)| {
            let rest = &svg[at + key.len()..];
            let points = &rest[..rest.find('"').expect("closing quote")];
            points
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect()
}

fn two_series() -> LineChart {
    let mut chart = LineChart::new("XOR training", "epoch", "mean squared error");
    chart
        .series
        .push(Series::from_epochs("train loss", &[0.9, 0.5, 0.3, 0.2]));
    chart
        .series
        .push(Series::from_epochs("test loss", &[1.0, 0.6, 0.45, 0.4]));
    chart
}

#[test]
fn svg_has_title_axis_labels_legend_and_size() {
    let svg = two_series().to_svg(640, 400).unwrap();
    assert!(
        svg.starts_with("<svg width=\"640\" height=\"400\""),
        "{}",
        &svg[..80]
    );
    for text in [
        "XOR training",
        "epoch",
        "mean squared error",
        "train loss",
        "test loss",
    ] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    // Tick labels: x runs over epochs 1..4, y over 0.2..1.0.
    assert!(
        svg.contains("\n0.5\n") && svg.contains("\n3\n"),
        "tick labels"
    );
    // Distinct colours: the first two tab10 colours, one line each (plus a legend swatch).
    assert_eq!(series_lines(&svg, "#1F77B4").len(), 2);
    assert_eq!(series_lines(&svg, "#FF7F0E").len(), 2);
}

#[test]
fn one_series_has_no_legend() {
    let mut chart = two_series();
    chart.series.truncate(1);
    let svg = chart.to_svg(500, 300).unwrap();
    assert!(!svg.contains("train loss"));
    assert_eq!(series_lines(&svg, "#1F77B4").len(), 1);
}

#[test]
fn title_text_is_escaped_in_svg() {
    let chart = LineChart {
        title: "loss < 1 & falling".into(),
        ..two_series()
    };
    let svg = chart.to_svg(400, 300).unwrap();
    assert!(svg.contains("loss &lt; 1 &amp; falling"));
}

#[test]
fn png_decodes_to_the_requested_size_with_text_and_lines() {
    let png = two_series().to_png(640, 400).unwrap();
    assert_eq!(png[..8], PNG_SIGNATURE);
    let picture = decode_png(&png).unwrap();
    assert_eq!((picture.width, picture.height), (640, 400));

    let pixels: Vec<[u8; 3]> = (0..400)
        .flat_map(|y| (0..640).map(move |x| (x, y)))
        .map(|(x, y)| picture.pixel(x, y))
        .collect();
    assert_eq!(pixels[0], [255, 255, 255], "white background");
    let non_white = pixels.iter().filter(|p| **p != [255, 255, 255]).count();
    assert!(non_white > 2_000, "only {non_white} drawn pixels");
    // The first series' colour #1F77B4, give or take anti-aliasing.
    let near = |p: &[u8; 3], c: [u8; 3]| p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 12);
    let blue = pixels
        .iter()
        .filter(|p| near(p, [0x1f, 0x77, 0xb4]))
        .count();
    assert!(blue > 200, "{blue} blue pixels");
    // The title is black text in the top 40 rows: the embedded font really drew glyphs.
    let dark_in_title = (0..40)
        .flat_map(|y| (0..640).map(move |x| (x, y)))
        .filter(|&(x, y)| picture.pixel(x, y).iter().all(|&c| c < 96))
        .count();
    assert!(dark_in_title > 100, "{dark_in_title} dark title pixels");
}

#[test]
fn log_y_spaces_decades_evenly() {
    // 1e2, 1e1, ..., 1e-4 at epochs 1..7: on a log axis the points are equally spaced.
    let losses: Vec<f64> = (0..7).map(|e| 10f64.powi(2 - e)).collect();
    let mut chart = LineChart::new("Loss", "epoch", "loss");
    chart.log_y = true;
    chart.series.push(Series::from_epochs("train", &losses));
    let svg = chart.to_svg(600, 400).unwrap();
    assert!(
        svg.contains("\n1e-4\n") && svg.contains("\n100\n"),
        "decade tick labels"
    );

    let lines = series_lines(&svg, "#1F77B4");
    assert_eq!(lines.len(), 1);
    let ys: Vec<i32> = lines[0].iter().map(|p| p.1).collect();
    let steps: Vec<i32> = ys.windows(2).map(|w| w[1] - w[0]).collect();
    // Pixel rounding allows one pixel of difference between steps.
    assert!(
        steps.iter().all(|s| (s - steps[0]).abs() <= 1 && *s > 20),
        "{steps:?}"
    );

    let png = chart.to_png(600, 400).unwrap();
    assert_eq!(decode_png(&png).unwrap().width, 600);
}

#[test]
fn log_y_drops_non_positive_values() {
    let mut chart = LineChart::new("Loss", "epoch", "loss");
    chart.log_y = true;
    chart.series.push(Series::from_epochs(
        "train",
        &[1.0, 0.1, 0.0, -1.0, 0.01, 0.001],
    ));
    let svg = chart.to_svg(400, 300).unwrap();
    let lines = series_lines(&svg, "#1F77B4");
    assert_eq!(lines.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2]);

    chart.series[0].points = vec![(1.0, 0.0), (2.0, -3.0)];
    let err = chart.to_svg(400, 300).unwrap_err();
    assert!(
        matches!(err, PlotError::NoFiniteValues { log_y: true, .. }),
        "{err}"
    );
}

#[test]
fn a_diverging_run_breaks_the_line_instead_of_panicking() {
    let values = [
        1.0,
        0.8,
        f64::NAN,
        0.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.3,
        0.2,
    ];
    let mut chart = LineChart::new("Diverged", "epoch", "loss");
    chart.series.push(Series::from_epochs("train", &values));
    let svg = chart.to_svg(400, 300).unwrap();
    let runs: Vec<usize> = series_lines(&svg, "#1F77B4").iter().map(Vec::len).collect();
    assert_eq!(runs, [2, 2]);
    // The lone 0.5 between two gaps is a dot.
    assert_eq!(svg.matches("<circle").count(), 1);
    assert!(chart.to_png(400, 300).is_ok());

    chart.log_y = true;
    assert!(chart.to_png(400, 300).is_ok());
}

#[test]
fn no_finite_values_is_an_error() {
    let mut chart = LineChart::new("NaN from the start", "epoch", "loss");
    chart
        .series
        .push(Series::from_epochs("train", &[f64::NAN, f64::INFINITY]));
    let err = chart.to_png(400, 300).unwrap_err();
    assert_eq!(
        err,
        PlotError::NoFiniteValues {
            title: "NaN from the start".into(),
            log_y: false
        }
    );
    assert!(LineChart::new("empty", "x", "y").to_svg(400, 300).is_err());
}

#[test]
fn a_flat_series_draws_a_horizontal_line_inside_the_plot() {
    let mut chart = LineChart::new("Flat", "epoch", "loss");
    chart
        .series
        .push(Series::from_epochs("train", &[0.25, 0.25, 0.25]));
    for log_y in [false, true] {
        chart.log_y = log_y;
        let svg = chart.to_svg(400, 300).unwrap();
        let line = &series_lines(&svg, "#1F77B4")[0];
        assert_eq!(line.len(), 3);
        assert!(line.iter().all(|p| p.1 == line[0].1), "{line:?}");
        assert!((20..280).contains(&line[0].1), "{line:?}");
    }
}

#[test]
fn band_is_a_translucent_polygon_in_the_series_colour() {
    let band = vec![
        (1.0, 0.8, 1.0),
        (2.0, 0.4, 0.6),
        (3.0, f64::NAN, 0.4),
        (4.0, 0.1, 0.3),
    ];
    let mut chart = LineChart::new("Seeds", "epoch", "loss");
    chart
        .series
        .push(Series::from_epochs("mean", &[0.9, 0.5, 0.3, 0.2]).with_band(band));
    let svg = chart.to_svg(400, 300).unwrap();
    // The NaN splits the band into a 2-point run (4 vertices) and a 1-point run (2 vertices).
    let polygons: Vec<&str> = svg.lines().filter(|l| l.starts_with("<polygon")).collect();
    assert_eq!(polygons.len(), 2, "{polygons:?}");
    assert!(polygons[0].contains("opacity=\"0.2\" fill=\"#1F77B4\""));
}

#[test]
fn sizes_outside_the_limits_are_errors() {
    let chart = two_series();
    assert!(matches!(
        chart.to_png(10, 300),
        Err(PlotError::InvalidSize { width: 10, .. })
    ));
    assert!(chart.to_svg(400, 100_000).is_err());
    assert!(chart.to_png(64, 64).is_ok());
}

#[test]
fn scatter_draws_every_finite_point_and_the_diagonal() {
    let points = vec![
        (0.0, 0.1),
        (0.5, 0.45),
        (1.0, 0.9),
        (f64::NAN, 1.0),
        (2.0, f64::INFINITY),
    ];
    let chart = ScatterChart::new("Predictions", "target y", "prediction", points);
    let svg = chart.to_svg(500, 500).unwrap();
    assert!(svg.starts_with("<svg width=\"500\" height=\"500\""));
    for text in ["Predictions", "target y", "prediction", "y = x"] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    assert_eq!(svg.matches("<circle").count(), 3);

    let no_line = ScatterChart {
        diagonal: false,
        ..chart.clone()
    };
    assert!(!no_line.to_svg(500, 500).unwrap().contains("y = x"));

    let picture = decode_png(&chart.to_png(300, 200).unwrap()).unwrap();
    assert_eq!((picture.width, picture.height), (300, 200));

    let nothing = ScatterChart::new("none", "x", "y", vec![(f64::NAN, 0.0)]);
    assert!(matches!(
        nothing.to_png(300, 200),
        Err(PlotError::NoFiniteValues { .. })
    ));
}

#[test]
fn charts_are_serde_data() {
    let chart = two_series();
    let json = serde_json::to_string(&chart).unwrap();
    let back: LineChart = serde_json::from_str(&json).unwrap();
    assert_eq!(back, chart);
}
