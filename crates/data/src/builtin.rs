//! Built-in data sets: CSV tables shipped inside the program (`crates/data/data/`, where a
//! README states each one's source and licence), read by the same loader as any CSV file.
//!
//! - `diabetes`: 442 diabetes patients (Efron, Hastie, Johnstone and Tibshirani, "Least Angle
//!   Regression", Annals of Statistics 2004), the numbers smartcore 0.4 bundled (scikit-learn's
//!   `load_diabetes()` stored as `f32`). Ten inputs `age, sex, bmi, bp, s1..s6`, already
//!   mean-centred and scaled (each column has sum of squares 1); target `progression`, a
//!   measure of disease progression one year after baseline (25 to 346).
//! - `insurance`: 1338 people's yearly medical insurance charges (Brett Lantz, *Machine Learning
//!   with R*, 2013, chapter 6). Columns `age, sex, bmi, children, smoker, region, charges`; by
//!   default the course's inputs `age, bmi, children, smoker` (smoker encoded `no=0, yes=1`) and
//!   the target `charges` in US dollars.
//! - `course`: the course's worked example as a table of one row, `x1 = 1, x2 = 0, y = 2`
//!   (the input and target `nnlab step` explains by default; with the `course` preset and no
//!   scaling the network predicts 2.5 on it). It lets a session or `nnlab train` start from
//!   exactly the step the course computes by hand.
//!
//! - `penguins`: 333 Palmer Archipelago penguins (Gorman, Williams and Fraser 2014; the
//!   `palmerpenguins` R package, CC0), the rows with a missing value dropped. Columns
//!   `species, island, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex,
//!   year`; by default the four body measurements as inputs and the target `species`, three
//!   text classes (`Adelie`, `Chinstrap`, `Gentoo`: one-hot targets, see the `classes` module).
//!
//! Other columns of a table can be chosen by name, as for a CSV file; text columns are encoded
//! as the CSV loader encodes them (0/1, or one-hot for more than two values).
//!
//! ```
//! let d = nnlab_data::builtin("diabetes").unwrap();
//! assert_eq!((d.n_rows(), d.n_inputs()), (442, 10));
//! assert_eq!(d.y[0], 151.0);
//! let d = nnlab_data::builtin("insurance").unwrap();
//! assert_eq!(d.input_names, ["age", "bmi", "children", "smoker"]);
//! assert_eq!((d.row(0), d.y[0]), (&[19.0, 27.9, 0.0, 1.0][..], 16884.924));
//! let d = nnlab_data::builtin("course").unwrap();
//! assert_eq!((d.row(0), d.y[0]), (&[1.0, 0.0][..], 2.0));
//! ```

use crate::{load_csv_from_reader, CsvOptions, DataError, Dataset};

/// One table shipped with the program, with the columns used when none are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinTable {
    /// Its name in `builtin:NAME`.
    pub name: &'static str,
    /// The input columns used by default, in the order the network sees them.
    pub inputs: &'static [&'static str],
    /// The target column used by default.
    pub target: &'static str,
    /// One line on what the rows are and where they come from (shown as the data's source).
    pub about: &'static str,
    /// The CSV text, header first.
    text: &'static str,
}

/// The input names of `diabetes`, in smartcore's column order.
pub const DIABETES_INPUTS: [&str; 10] = [
    "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6",
];

/// Every built-in table.
pub const BUILTIN_TABLES: [BuiltinTable; 4] = [
    BuiltinTable {
        name: "diabetes",
        inputs: &DIABETES_INPUTS,
        target: "progression",
        about: "442 patients (Efron et al. 2004), 10 standardized inputs",
        text: include_str!("../data/diabetes.csv"),
    },
    BuiltinTable {
        name: "insurance",
        inputs: &["age", "bmi", "children", "smoker"],
        target: "charges",
        about: "1338 insurance holders' yearly medical charges in USD (Lantz 2013)",
        text: include_str!("../data/insurance.csv"),
    },
    BuiltinTable {
        name: "course",
        inputs: &["x1", "x2"],
        target: "y",
        about: "the course's worked example, one row: x = (1, 0), y = 2",
        text: include_str!("../data/course.csv"),
    },
    BuiltinTable {
        name: "penguins",
        inputs: &[
            "bill_length_mm",
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
        ],
        target: "species",
        about: "333 Palmer penguins of 3 species (Gorman et al. 2014, palmerpenguins, CC0)",
        text: include_str!("../data/penguins.csv"),
    },
];

/// The names [`builtin`] accepts, in [`BUILTIN_TABLES`] order.
pub const BUILTIN_NAMES: &[&str] = &table_names(&BUILTIN_TABLES);

const fn table_names<const N: usize>(tables: &[BuiltinTable; N]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut k = 0;
    while k < N {
        names[k] = tables[k].name;
        k += 1;
    }
    names
}

/// The built-in table `name` (one of [`BUILTIN_NAMES`]) with its default columns.
pub fn builtin(name: &str) -> Result<Dataset, DataError> {
    builtin_columns(name, &[], "")
}

/// The built-in table `name` with the chosen `inputs` and `target`; an empty list (or an
/// empty target) takes the table's default.
pub fn builtin_columns(name: &str, inputs: &[String], target: &str) -> Result<Dataset, DataError> {
    let table = builtin_table(name)?;
    let options = CsvOptions {
        inputs: if inputs.is_empty() {
            table.inputs.iter().map(|s| s.to_string()).collect()
        } else {
            inputs.to_vec()
        },
        target: if target.trim().is_empty() {
            table.target.to_string()
        } else {
            target.to_string()
        },
        skip_bad_rows: false,
    };
    let label = format!("builtin:{name}");
    let (mut d, _) = load_csv_from_reader(table.text.as_bytes(), &label, &options)?;
    // The chosen columns are the data set's own fields; the source says what the rows are.
    d.source = format!("{label}: {}", table.about);
    Ok(d)
}

/// The table called `name`, or an error listing the names there are.
pub fn builtin_table(name: &str) -> Result<&'static BuiltinTable, DataError> {
    BUILTIN_TABLES
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| DataError::UnknownBuiltin {
            name: name.to_string(),
            available: BUILTIN_NAMES.join(", "),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_tables() {
        assert_eq!(
            BUILTIN_NAMES,
            ["diabetes", "insurance", "course", "penguins"]
        );
    }

    // The course's worked example (the default `--input 1,0 --target 2` of `nnlab step`,
    // `nnlab_report::setup::COURSE_INPUT`/`COURSE_TARGET`): one row, read by the CSV loader.
    #[test]
    fn course_is_the_one_worked_example() {
        let d = builtin("course").unwrap();
        assert_eq!((d.n_rows(), d.n_inputs()), (1, 2));
        assert_eq!(d.input_names, ["x1", "x2"]);
        assert_eq!(d.target_name, "y");
        assert_eq!((d.row(0), d.y[0]), (&[1.0, 0.0][..], 2.0));
        assert_eq!(
            d.source,
            "builtin:course: the course's worked example, one row: x = (1, 0), y = 2"
        );
    }

    #[test]
    fn diabetes_has_442_rows_and_the_documented_names() {
        let d = builtin("diabetes").unwrap();
        assert_eq!(d.n_rows(), 442);
        assert_eq!(d.x.len(), 442 * 10);
        assert_eq!(d.input_names, DIABETES_INPUTS);
        assert_eq!(d.target_name, "progression");
        assert!(d.encoding.is_empty());
        assert_eq!(
            d.source,
            "builtin:diabetes: 442 patients (Efron et al. 2004), 10 standardized inputs"
        );
    }

    // The first patient: target 151. Features exactly as smartcore stored them (f32 literals,
    // widened without change), and within 1e-8 of scikit-learn's printed `load_diabetes().data[0]`
    // (8 decimals, as quoted in scikit-learn examples and Azure ML docs): [0.03807591,
    // 0.05068012, 0.06169621, 0.02187235, -0.0442235, -0.03482076, -0.04340085, -0.00259226,
    // 0.01990842, -0.01764613]. (Recent scikit-learn releases print s5 as 0.01990749, recomputed
    // from the raw data; smartcore bundles the older values.)
    #[test]
    fn diabetes_first_row_matches_smartcore_and_scikit_learn() {
        let d = builtin("diabetes").unwrap();
        assert_eq!(d.y[0], 151.0);
        let smartcore_f32: [f32; 10] = [
            0.038075905,
            0.05068012,
            0.061696205,
            0.021872355,
            -0.0442235,
            -0.03482076,
            -0.043400846,
            -0.002592262,
            0.01990842,
            -0.017646125,
        ];
        let expected: Vec<f64> = smartcore_f32.iter().map(|&v| f64::from(v)).collect();
        assert_eq!(d.row(0), expected.as_slice());
        let sklearn = [
            0.03807591,
            0.05068012,
            0.06169621,
            0.02187235,
            -0.0442235,
            -0.03482076,
            -0.04340085,
            -0.00259226,
            0.01990842,
            -0.01764613,
        ];
        for (ours, theirs) in d.row(0).iter().zip(sklearn) {
            assert!((ours - theirs).abs() < 1e-8, "{ours} vs {theirs}");
        }
    }

    /// FNV-1a (64-bit) over the little-endian bytes of every value's bits, inputs row by row,
    /// then the targets.
    fn checksum(d: &Dataset) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for v in d.x.iter().chain(&d.y) {
            for b in v.to_bits().to_le_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
        }
        h
    }

    // diabetes.csv was written once from smartcore 0.4.10's `dataset::diabetes::load_dataset()`
    // (each f32 widened to f64, printed as the shortest text that reads back to it); this
    // checksum, the last row and the sums were computed from smartcore's own values at that
    // time, and the loaded table was compared with them value by value (all 4420 inputs and
    // 442 targets bit-equal) before the dependency was dropped.
    #[test]
    fn diabetes_is_bit_identical_to_smartcore() {
        let d = builtin("diabetes").unwrap();
        assert_eq!(checksum(&d), 0x9750_e1fb_ca8b_f8c9);
        // smartcore's last row, as the generating program printed it (`{:?}` of the f64s).
        let last = [
            -0.04547247663140297,
            -0.044641636312007904,
            -0.07303030043840408,
            -0.08141376823186874,
            0.08374011516571045,
            0.02780892886221409,
            0.1738157868385315,
            -0.0394933819770813,
            -0.004219859838485718,
            0.003064409364014864,
        ];
        assert_eq!((d.row(441), d.y[441]), (&last[..], 57.0));
        assert_eq!(d.y.iter().sum::<f64>(), 67243.0);
    }

    #[test]
    fn columns_of_a_table_can_be_chosen() {
        let sex = ["sex".to_string(), "region".to_string()];
        let d = builtin_columns("insurance", &sex, "").unwrap();
        assert_eq!(
            d.input_names,
            [
                "sex",
                "region=northeast",
                "region=northwest",
                "region=southeast",
                "region=southwest"
            ]
        );
        // Line 2 of insurance.csv: 19,female,27.9,0,yes,southwest,16884.924.
        assert_eq!(d.row(0), &[0.0, 0.0, 0.0, 0.0, 1.0]);
        let d = builtin_columns("diabetes", &["bmi".to_string()], "bp").unwrap();
        assert_eq!((d.n_inputs(), d.target_name.as_str()), (1, "bp"));
        // An unknown column is named with the table, as a CSV file's would be.
        let e = builtin_columns("insurance", &["weight".to_string()], "").unwrap_err();
        assert_eq!(
            e.to_string(),
            "builtin:insurance: no column named 'weight' (the columns are: 'age', 'sex', \
             'bmi', 'children', 'smoker', 'region', 'charges')"
        );
    }

    // penguins.csv (crates/data/data/README.md): line 2 is
    // `Adelie,Torgersen,39.1,18.7,181,3750,male,2007`, the last line
    // `Chinstrap,Dream,50.2,18.7,198,3775,female,2009`; `cut -d, -f1 | sort | uniq -c` counts
    // 146 Adelie, 68 Chinstrap, 119 Gentoo, and `cut -d, -f7` 165 female, 168 male.
    #[test]
    fn penguins_species_are_three_one_hot_classes() {
        let d = builtin("penguins").unwrap();
        assert_eq!((d.n_rows(), d.n_inputs(), d.n_targets()), (333, 4, 3));
        let species = ["Adelie", "Chinstrap", "Gentoo"].map(String::from);
        assert_eq!(d.classes(), Some(&species[..]));
        assert_eq!(d.row(0), &[39.1, 18.7, 181.0, 3750.0]);
        assert_eq!(d.target_row(0), &[1.0, 0.0, 0.0]);
        assert_eq!(
            (d.row(332)[0], d.target_row(332)),
            (50.2, &[0.0, 1.0, 0.0][..])
        );
        let counts: Vec<f64> = (0..3)
            .map(|k| (0..d.n_rows()).map(|i| d.target_row(i)[k]).sum())
            .collect();
        assert_eq!(counts, vec![146.0, 68.0, 119.0]);
        assert_eq!(
            d.encoding,
            vec!["target species: one-hot, 3 columns species=Adelie, species=Chinstrap, species=Gentoo"]
        );
        // Two text classes: one 0/1 target, the second label in sorted order is class 1.
        let sex = builtin_columns("penguins", &["body_mass_g".to_string()], "sex").unwrap();
        assert_eq!((sex.n_targets(), sex.y[0], sex.y[332]), (1, 1.0, 0.0));
        assert_eq!(sex.y.iter().sum::<f64>(), 168.0);
        assert_eq!(sex.encoding, vec!["target sex: female=0, male=1"]);
        // An integer target is numbers until made classes: year holds 2007, 2008 and 2009.
        let year = builtin_columns("penguins", &["sex".to_string()], "year").unwrap();
        assert_eq!((year.classes(), year.y[0]), (None, 2007.0));
        let year = year.into_classes().unwrap();
        assert_eq!(year.classes().map(<[String]>::len), Some(3));
        assert_eq!(year.target_row(0), &[1.0, 0.0, 0.0]);
    }

    #[test]
    fn an_unknown_name_lists_the_available_ones() {
        let e = builtin("iris").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown built-in data set 'iris' (available: diabetes, insurance, course, penguins)"
        );
    }
}
