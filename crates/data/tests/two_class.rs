//! TF Playground's two-class sets (`generate:circle`, `xor`, `gauss`, `spiral`): the first
//! rows for a seed, and each set's class balance and geometry.
//!
//! The expected rows come from `tests/tf_sets.py` (beside this file), an independent Python
//! rewrite of nnlab's random stream (xoshiro256++ seeded by SplitMix64) and of the formulas
//! of TF Playground's `dataset.ts`; `python3 tests/tf_sets.py` prints them (5 rows, noise
//! 0.2, seed 7). Python's `repr` of a float round-trips, so the rows compare exactly.

use nnlab_data::{DataSource, Dataset, Pattern, TwoClass};

fn two_class(pattern: Pattern, rows: usize, noise: f64, seed: u64) -> Dataset {
    TwoClass {
        pattern,
        rows,
        noise,
        seed,
    }
    .generate()
    .unwrap()
}

fn rows(d: &Dataset) -> Vec<(f64, f64, f64)> {
    (0..d.n_rows())
        .map(|i| (d.row(i)[0], d.row(i)[1], d.y[i]))
        .collect()
}

#[test]
fn first_rows_match_the_python_rewrite() {
    let expected = [
        (
            Pattern::Circle,
            [
                (-1.0086187741326262, -1.5340150826286096, 1.0),
                (-0.7767720566702817, -1.9829369870804738, 0.0),
                (1.723601232503405, 1.1332610460526218, 1.0),
                (4.897451226271547, 0.32394352101935064, 0.0),
                (2.0835728550078474, 4.145601812771649, 0.0),
            ],
        ),
        (
            Pattern::Xor,
            [
                (2.643583980880029, 1.225695009664926, 1.0),
                (3.8186045080217843, 0.8942131234681938, 0.0),
                (3.551139855498792, -3.7256878547289314, 0.0),
                (4.687688056945279, -2.905120430871135, 0.0),
                (2.8983406395315354, -4.558776960727635, 0.0),
            ],
        ),
        (
            Pattern::Gauss,
            [
                (0.12465667420867743, 2.7818584290026673, 1.0),
                (-0.5082077933855005, 2.4143206969970916, 1.0),
                (3.414144636127662, 2.469528568510267, 1.0),
                (-1.7849764081316075, -0.6025291419798788, 0.0),
                (0.08021968295094783, -2.1169325648708743, 0.0),
            ],
        ),
        (
            Pattern::Spiral,
            [
                (0.09374335923520119, 0.03702780038659705, 1.0),
                (-0.7121445805959479, -1.5637560620840782, 1.0),
                (3.0274955262689973, 1.6904351916053983, 1.0),
                (-0.18029097913425135, -0.1788928668537556, 0.0),
                (1.8978125471863225, -1.904794467155524, 0.0),
            ],
        ),
    ];
    for (pattern, first) in expected {
        assert_eq!(rows(&two_class(pattern, 5, 0.2, 7)), first, "{pattern}");
    }
}

#[test]
fn a_seed_gives_the_same_rows_and_the_flag_value_the_same_set() {
    for pattern in [
        Pattern::Circle,
        Pattern::Xor,
        Pattern::Gauss,
        Pattern::Spiral,
    ] {
        let a = two_class(pattern, 50, 0.1, 3);
        assert_eq!(a, two_class(pattern, 50, 0.1, 3));
        assert_ne!(a.x, two_class(pattern, 50, 0.1, 4).x);
        let (d, _) = format!("generate:{pattern}")
            .parse::<DataSource>()
            .unwrap()
            .load()
            .unwrap();
        assert_eq!(d, two_class(pattern, 100, 0.0, 0));
        assert_eq!(
            (d.input_names.clone(), d.target_name.as_str()),
            (vec!["x1".to_string(), "x2".into()], "class")
        );
        assert!(
            d.classes().is_none(),
            "integer 0/1 targets until a cross-entropy asks for classes"
        );
    }
}

// Without noise: circle class 1 has radius < 2.5 and class 0 radius in [3.5, 5); xor class 1
// exactly where x1 x2 >= 0 with |x| in [0.3, 5.3]; the spiral's row i of an arm (n rows) has
// radius 5 i / n. Classes: ceil(rows / 2) of class 1 first, then the rest (rows = 301: 151 +
// 150), except xor, whose class is the quadrant (about half: 4 standard errors of a binomial
// count around 150.5 is ±35).
#[test]
fn classes_are_balanced_and_follow_the_geometry_without_noise() {
    let n = 301;
    for pattern in [Pattern::Circle, Pattern::Gauss, Pattern::Spiral] {
        let d = two_class(pattern, n, 0.0, 11);
        assert_eq!(d.y[..151], [1.0; 151], "{pattern}");
        assert_eq!(d.y[151..], [0.0; 150], "{pattern}");
    }
    for (x1, x2, class) in rows(&two_class(Pattern::Circle, n, 0.0, 11)) {
        let r = x1.hypot(x2);
        assert!(
            if class == 1.0 {
                r < 2.5
            } else {
                (3.5..5.0 + 1e-12).contains(&r)
            },
            "{r}"
        );
    }
    let xor = rows(&two_class(Pattern::Xor, n, 0.0, 11));
    for &(x1, x2, class) in &xor {
        assert_eq!(class, f64::from(u8::from(x1 * x2 >= 0.0)));
        assert!((0.3..5.3).contains(&x1.abs()) && (0.3..5.3).contains(&x2.abs()));
    }
    let ones = xor.iter().filter(|r| r.2 == 1.0).count();
    assert!((115..=186).contains(&ones), "{ones}");
    let spiral = two_class(Pattern::Spiral, 10, 0.0, 0);
    // Arm of class 1, row 2 of 5: r = 2, t = 1.75 · 2π · 2/5 = 1.4π: (2 sin 1.4π, 2 cos 1.4π).
    let t = 1.4 * std::f64::consts::PI;
    assert!((spiral.row(2)[0] - 2.0 * t.sin()).abs() < 1e-12);
    assert!((spiral.row(2)[1] - 2.0 * t.cos()).abs() < 1e-12);
    // Arm of class 0 is the same arm turned by π: (x1, x2) -> (-x1, -x2).
    assert!((spiral.row(7)[0] + spiral.row(2)[0]).abs() < 1e-12);
}

// Gauss: variance 0.5 + 7 noise, so noise 0.5 gives variance 4 (TF's range 0.5..4) and the
// clouds' means are (2, 2) and (-2, -2). 4000 rows per cloud: the standard error of a mean is
// sd / sqrt(4000) = 0.032 and of a variance about var sqrt(2 / 4000) = 0.089; tolerance 5 se.
#[test]
fn gauss_clouds_have_the_documented_centres_and_variance() {
    let d = two_class(Pattern::Gauss, 8000, 0.5, 5);
    for (range, centre) in [(0..4000, 2.0), (4000..8000, -2.0)] {
        let x1: Vec<f64> = range.map(|i| d.row(i)[0]).collect();
        let mean = x1.iter().sum::<f64>() / 4000.0;
        let var = x1.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 4000.0;
        assert!((mean - centre).abs() < 5.0 * 0.032, "{mean}");
        assert!((var - 4.0).abs() < 5.0 * 0.089, "{var}");
    }
}

// Noise moves the point used for the label, not the point itself: with noise 0.5 some circle
// rows are mislabelled (TF's behaviour), while their positions keep the radii of their half.
#[test]
fn noise_mislabels_points_near_the_boundary() {
    let d = two_class(Pattern::Circle, 400, 0.5, 2);
    let wrong = (0..200).filter(|&i| d.y[i] == 0.0).count();
    assert!(wrong > 0 && wrong < 150, "{wrong}");
    assert!((0..200).all(|i| d.row(i)[0].hypot(d.row(i)[1]) < 2.5));
}

#[test]
fn settings_outside_their_ranges_are_refused() {
    let e = |rows, noise, pattern| {
        TwoClass {
            pattern,
            rows,
            noise,
            seed: 0,
        }
        .generate()
        .unwrap_err()
        .to_string()
    };
    assert_eq!(
        e(100, 0.6, Pattern::Xor),
        "generator: noise is 0.6, must be a number from 0 to 0.5 for generate:xor (TF Playground's noise 0 to 50 %)"
    );
    assert!(e(100, f64::NAN, Pattern::Xor).contains("noise is NaN"));
    assert!(e(1, 0.0, Pattern::Circle).contains("rows is 1, must be 2 to"));
    assert!(e(10, 0.0, Pattern::Quadratic).contains("'quadratic' is not a two-class data set"));
}
