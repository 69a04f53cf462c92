//! The decision-boundary chart: its colours, text, points and errors.

mod common;

use common::decode_png;
use nnlab_plot::{ClassPoint, DecisionChart, PlotError, PNG_SIGNATURE};

/// A 40x40 field over [-1, 1]²: class 1 where x1 > 0 with P = 0.5 + x1/2 (so the boundary is
/// the line x1 = 0), four train points and two test points on both sides.
fn two_class() -> DecisionChart {
    let n = 40;
    let field = (0..n * n)
        .map(|c| {
            let x = -1.0 + 2.0 * ((c % n) as f64 + 0.5) / n as f64;
            let p = 0.5 + x / 2.0;
            if p >= 0.5 {
                (1, p)
            } else {
                (0, 1.0 - p)
            }
        })
        .collect();
    let pt = |x, y, class, test| ClassPoint { x, y, class, test };
    DecisionChart {
        title: "Decision boundary (xor, 2-4-1)".into(),
        x_label: "x1".into(),
        y_label: "x2".into(),
        classes: vec!["0".into(), "1".into()],
        x_range: (-1.0, 1.0),
        y_range: (-1.0, 1.0),
        nx: n,
        ny: n,
        field,
        points: vec![
            pt(-0.5, 0.5, 0, false),
            pt(-0.6, -0.4, 0, false),
            pt(0.5, 0.5, 1, false),
            pt(0.7, -0.3, 1, false),
            pt(-0.2, 0.1, 0, true),
            pt(0.3, -0.8, 1, true),
        ],
    }
}

// Strength (p - 1/K)/(1 - 1/K): with two classes p = 0.5 is white, p = 1 the full class
// colour (tab10 blue #1f77b4 for class 0, orange #ff7f0e for class 1), p = 0.75 halfway:
// 255 - (255 - 0x7f)·0.5 = 191 for orange's green channel.
#[test]
fn cell_colours_follow_the_strength() {
    let c = two_class();
    assert_eq!(c.cell_colour(1, 0.5), [255, 255, 255]);
    assert_eq!(c.cell_colour(1, 1.0), [0xff, 0x7f, 0x0e]);
    assert_eq!(c.cell_colour(0, 1.0), [0x1f, 0x77, 0xb4]);
    assert_eq!(c.cell_colour(1, 0.75)[1], 191);
    // Three classes: p = 1/3 is white, p = 2/3 halfway: green #2ca02c -> red channel
    // 255 - (255 - 0x2c)·0.5 = 149.5, rounded to 150.
    let mut three = c.clone();
    three.classes.push("2".into());
    assert_eq!(three.cell_colour(2, 1.0 / 3.0)[0], 255);
    assert_eq!(three.cell_colour(2, 2.0 / 3.0)[0], 150);
}

#[test]
fn svg_names_axes_classes_and_colour_bar() {
    let svg = two_class().to_svg(720, 540).unwrap();
    for text in [
        "Decision boundary (xor, 2-4-1)",
        "x1",
        "x2",
        "P(1)",
        "train",
        "test",
    ] {
        assert!(svg.contains(text), "missing {text:?}");
    }
    // Colour-bar ticks 0, 0.25, 0.5, 0.75, 1.
    for tick in ["\n0\n", "\n0.25\n", "\n0.5\n", "\n0.75\n", "\n1\n"] {
        assert!(svg.contains(tick), "missing tick {tick:?}");
    }
}

#[test]
fn png_shows_the_field_on_both_sides() {
    let (w, h) = (720, 540);
    let png = two_class().to_png(w, h).unwrap();
    assert_eq!(png[..8], PNG_SIGNATURE);
    let pic = decode_png(&png).unwrap();
    assert_eq!((pic.width, pic.height), (w, h));
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("decision_two.png"),
        &png,
    )
    .unwrap();
    // Somewhere in the plane's left part is bluish (class 0), the right part orange-ish.
    let row = h / 2 + 40;
    let bluish = (60..w / 3).any(|x| {
        let [r, _, b] = pic.pixel(x, row);
        b as i32 > r as i32 + 40
    });
    let orange = (w / 2..w * 3 / 4).any(|x| {
        let [r, _, b] = pic.pixel(x, row);
        r as i32 > b as i32 + 100
    });
    assert!(bluish && orange);
}

#[test]
fn three_classes_render() {
    let mut c = two_class();
    c.classes = vec!["setosa".into(), "versicolor".into(), "virginica".into()];
    c.field = (0..c.nx * c.ny)
        .map(|i| (i % 3, 1.0 / 3.0 + (i % 7) as f64 / 10.0))
        .collect();
    c.points[0].class = 2;
    let png = c.to_png(720, 540).unwrap();
    std::fs::write(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("decision_three.png"),
        &png,
    )
    .unwrap();
    let svg = c.to_svg(720, 540).unwrap();
    assert!(svg.contains("virginica") && svg.contains("P(most likely)"));
    // The bar's scale runs from 1/K to 1.
    assert!(svg.contains("\n0.333\n"));
}

#[test]
fn a_field_that_does_not_fit_is_an_error() {
    let mut c = two_class();
    c.field.pop();
    assert!(matches!(
        c.to_svg(400, 300),
        Err(PlotError::BadField { .. })
    ));
    let mut c = two_class();
    c.field[0] = (2, 1.0);
    assert!(matches!(
        c.to_png(400, 300),
        Err(PlotError::BadField { .. })
    ));
    let mut c = two_class();
    c.x_range = (1.0, 1.0);
    assert!(matches!(
        c.to_svg(400, 300),
        Err(PlotError::BadField { .. })
    ));
}
