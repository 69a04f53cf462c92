//! CSV loading: the insurance table the repository ships (read from its file, and as
//! `builtin:insurance`), and bad rows built in memory.

use std::io::Write;

use nnlab_data::{
    builtin_columns, load_csv, load_csv_from_reader, CsvOptions, DataError, Dataset, LoadReport,
};

/// The repository's copy of the table, read as any CSV file on disk.
const INSURANCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/insurance.csv");

fn options(inputs: &[&str], target: &str, skip_bad_rows: bool) -> CsvOptions {
    CsvOptions {
        inputs: inputs.iter().map(|s| s.to_string()).collect(),
        target: target.into(),
        skip_bad_rows,
    }
}

fn load(text: &str, inputs: &[&str], target: &str) -> Result<(Dataset, LoadReport), DataError> {
    load_csv_from_reader(text.as_bytes(), "t.csv", &options(inputs, target, false))
}

fn load_skipping(text: &str, inputs: &[&str], target: &str) -> (Dataset, LoadReport) {
    load_csv_from_reader(text.as_bytes(), "t.csv", &options(inputs, target, true)).unwrap()
}

fn error(text: &str, inputs: &[&str], target: &str) -> String {
    load(text, inputs, target).unwrap_err().to_string()
}

// Expected numbers from crates/data/data/README.md (the file's documented contents) and its
// first data line `19,female,27.9,0,yes,southwest,16884.924`.
#[test]
fn insurance_age_and_bmi() {
    let (d, report) = load_csv(INSURANCE, &options(&["age", "bmi"], "charges", false)).unwrap();
    assert_eq!(d.n_rows(), 1338);
    assert_eq!(
        report,
        LoadReport {
            rows_read: 1338,
            rows_skipped: 0,
            first_skipped: None
        }
    );
    assert_eq!(d.input_names, vec!["age", "bmi"]);
    assert_eq!(d.target_name, "charges");
    assert_eq!(d.row(0), &[19.0, 27.9]);
    assert_eq!(d.y[0], 16884.924);
    // Last line: 61,female,29.07,0,yes,northwest,29141.3603
    assert_eq!(d.row(1337), &[61.0, 29.07]);
    assert_eq!(d.y[1337], 29141.3603);
    assert!(d.encoding.is_empty());
    // README: age mean 39.207, charges mean 13270.422 (3 decimals).
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    assert!((mean(&d.input_column(0)) - 39.207).abs() < 5e-4);
    assert!((mean(&d.y) - 13270.422).abs() < 5e-4);
    assert!(d.source.contains("insurance.csv"));
}

#[test]
fn insurance_text_columns_are_encoded() {
    // As the built-in table: the same loader, so the same encoding.
    let inputs = ["age", "sex", "bmi", "children", "smoker", "region"].map(String::from);
    let d = builtin_columns("insurance", &inputs, "charges").unwrap();
    assert_eq!(
        d.input_names,
        vec![
            "age",
            "sex",
            "bmi",
            "children",
            "smoker",
            "region=northeast",
            "region=northwest",
            "region=southeast",
            "region=southwest"
        ]
    );
    assert_eq!(
        d.encoding,
        vec![
            "sex: female=0, male=1",
            "smoker: no=0, yes=1",
            "region: one-hot, 4 columns region=northeast, region=northwest, region=southeast, region=southwest"
        ]
    );
    // 19, female, 27.9, 0 children, smoker yes, southwest.
    assert_eq!(d.row(0), &[19.0, 0.0, 27.9, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    // README counts: male 676, smokers 274, regions 324 / 325 / 364 / 325.
    let total = |j: usize| d.input_column(j).iter().sum::<f64>();
    assert_eq!(total(1), 676.0);
    assert_eq!(total(4), 274.0);
    assert_eq!(
        [total(5), total(6), total(7), total(8)],
        [324.0, 325.0, 364.0, 325.0]
    );
    // Each row has exactly one region.
    assert!((0..d.n_rows()).all(|i| d.row(i)[5..].iter().sum::<f64>() == 1.0));
}

#[test]
fn unknown_and_repeated_columns_are_named() {
    let text = "age,bmi,charges\n1,2,3\n";
    assert_eq!(
        error(text, &["age", "weight"], "charges"),
        "t.csv: no column named 'weight' (the columns are: 'age', 'bmi', 'charges')"
    );
    assert_eq!(
        error(text, &["age", "age"], "charges"),
        "t.csv: column 'age' is chosen twice (each column can be one input or the target)"
    );
    assert!(error(text, &["age", "charges"], "charges").contains("'charges' is chosen twice"));
    assert!(error(text, &[], "charges").starts_with("t.csv: no input columns chosen"));
    assert!(error(text, &["age"], "").starts_with("t.csv: no target column chosen"));
    assert_eq!(
        error("a,b,a\n1,2,3\n", &["b"], "a"),
        "t.csv: column name 'a' appears twice in the header (columns 1 and 3)"
    );
}

#[test]
fn empty_files_and_header_only_files_are_errors() {
    assert_eq!(
        error("", &["a"], "b"),
        "t.csv is empty: expected a header line with column names"
    );
    assert!(matches!(
        load("\n", &["a"], "b"),
        Err(DataError::EmptyFile { .. })
    ));
    assert_eq!(
        error("a,b\n", &["a"], "b"),
        "t.csv has a header line but no data rows"
    );
}

#[test]
fn bad_values_name_file_line_and_column() {
    let h = "age,bmi,charges\n";
    let cases = [
        (
            "1,2,3\n4,abc,6\n",
            "t.csv line 3, column 'bmi': 'abc' is not a number",
        ),
        ("1,,3\n", "t.csv line 2, column 'bmi': the value is missing"),
        (
            "1,2,NaN\n",
            "t.csv line 2, column 'charges': 'NaN' is not a finite number",
        ),
        (
            "1,-inf,3\n",
            "t.csv line 2, column 'bmi': '-inf' is not a finite number",
        ),
        (
            "1,2,3\n4,5\n",
            "t.csv line 3: expected 3 fields (one per header column) but found 2",
        ),
        (
            "1,2,3,4\n",
            "t.csv line 2: expected 3 fields (one per header column) but found 4",
        ),
        // The csv reader skips blank lines, but the line numbers still count them.
        (
            "1,2,3\n\n\n7,8,x\n",
            "t.csv line 5, column 'charges': 'x' is not a number",
        ),
    ];
    for (rows, message) in cases {
        assert_eq!(
            error(&format!("{h}{rows}"), &["age", "bmi"], "charges"),
            message
        );
    }
    // Columns that are not chosen are not checked.
    let (d, _) = load("a,junk,t\n1,??,2\n3,,4\n", &["a"], "t").unwrap();
    assert_eq!((d.x, d.y), (vec![1.0, 3.0], vec![2.0, 4.0]));
}

#[test]
fn bad_rows_can_be_skipped_and_counted() {
    let text = "age,sex,charges\n1,male,10\n2,female,abc\n3,female,30\n4,male\n5,,50\n6,male,60\n";
    let (d, report) = load_skipping(text, &["age", "sex"], "charges");
    assert_eq!(d.x, vec![1.0, 1.0, 3.0, 0.0, 6.0, 1.0]);
    assert_eq!(d.y, vec![10.0, 30.0, 60.0]);
    assert_eq!(report.rows_read, 6);
    assert_eq!(report.rows_skipped, 3);
    assert_eq!(
        report.first_skipped.as_deref(),
        Some("t.csv line 3, column 'charges': 'abc' is not a number")
    );
    // Without skipping, the first bad row stops the load.
    assert_eq!(
        error(text, &["age", "sex"], "charges"),
        "t.csv line 3, column 'charges': 'abc' is not a number"
    );
    let all_bad = "a,t\nx,1\n2,y\n";
    let e = load_csv_from_reader(all_bad.as_bytes(), "t.csv", &options(&["a"], "t", true));
    // Column a holds the number 2, so it is numeric and 'x' is bad; t holds 1, so 'y' is bad.
    assert_eq!(
        e.unwrap_err().to_string(),
        "t.csv: all 2 data rows were skipped; the first: t.csv line 2, column 'a': 'x' is not a number"
    );
}

#[test]
fn categories_come_from_the_kept_rows() {
    // The row with region 'west' is skipped for its target, so region has two values left.
    let text = "region,t\nnorth,1\nwest,oops\nsouth,3\n";
    let (d, report) = load_skipping(text, &["region"], "t");
    assert_eq!(report.rows_skipped, 1);
    assert_eq!(d.encoding, vec!["region: north=0, south=1"]);
    assert_eq!(d.x, vec![0.0, 1.0]);
}

// Text targets are class labels (crates/data/src/classes.rs): sorted by bytes, two labels
// one 0/1 target with the second label as class 1, more labels one-hot rows.
#[test]
fn a_text_target_becomes_classes() {
    let (d, _) = load("age,sex\n19,male\n18,female\n", &["age"], "sex").unwrap();
    assert_eq!(
        (d.y.clone(), d.classes()),
        (
            vec![1.0, 0.0],
            Some(&["female".to_string(), "male".into()][..])
        )
    );
    assert_eq!(d.encoding, vec!["target sex: female=0, male=1"]);
    let text = "x,fruit\n1,pear\n2,apple\n3,fig\n4,pear\n";
    let (d, _) = load(text, &["x"], "fruit").unwrap();
    assert_eq!((d.n_rows(), d.n_targets()), (4, 3));
    // apple=0, fig=1, pear=2: pear, apple, fig, pear.
    assert_eq!(
        d.y,
        vec![0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]
    );
    // A skipped row's label is no class: the categories come from the rows kept.
    let text = "x,fruit\n1,pear\nbad,kiwi\n3,fig\n";
    let (d, report) = load_skipping(text, &["x"], "fruit");
    assert_eq!(
        (report.rows_skipped, d.classes().map(<[String]>::len)),
        (1, Some(2))
    );
    assert_eq!(d.y, vec![1.0, 0.0]);
}

#[test]
fn a_single_class_and_a_missing_label_are_errors() {
    assert_eq!(
        error("age,sex\n19,male\n18,male\n", &["age"], "sex"),
        "the target 'sex' (--target) has a single class 'male': classification needs at least two"
    );
    assert_eq!(
        error("age,sex\n19,male\n18,\n", &["age"], "sex"),
        "t.csv line 3, column 'sex': the value is missing"
    );
    // One number among text labels is a typo in a text column, reported with its line.
    assert_eq!(
        error("age,sex\n19,male\n18,female\n17,1\n", &["age"], "sex"),
        "t.csv line 2, column 'sex': 'male' is not a number"
    );
    let many: String = (0..=100).map(|i| format!("{i},c{i}\n")).collect();
    let e = error(&format!("x,label\n{many}"), &["x"], "label");
    assert!(
        e.contains("has 101 distinct values, more than 100 classes"),
        "{e}"
    );
}

#[test]
fn quoting_spaces_and_crlf_are_handled() {
    let text = "\"name, full\",x , y\r\n\"Smith, J\", 1.5 ,2\r\n\"Doe, A\",2.5,4\r\n";
    let (d, _) = load(text, &["name, full", "x"], "y").unwrap();
    assert_eq!(d.encoding, vec!["name, full: Doe, A=0, Smith, J=1"]);
    assert_eq!(d.x, vec![1.0, 1.5, 0.0, 2.5]);
    assert_eq!(d.y, vec![2.0, 4.0]);
}

#[test]
fn a_file_on_disk_is_named_by_its_path() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    write!(file, "a,t\n1,2\n3,x\n").unwrap();
    let path = file.path().to_path_buf();
    let e = load_csv(&path, &options(&["a"], "t", false)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("{} line 3, column 't': 'x' is not a number", path.display())
    );
}

#[test]
fn invalid_utf8_is_a_bad_row_and_a_byte_order_mark_is_ignored() {
    let bytes = b"a,t\n1,2\n\xff,3\n4,5\n";
    let opts = options(&["a"], "t", false);
    let e = load_csv_from_reader(&bytes[..], "t.csv", &opts).unwrap_err();
    assert!(e.to_string().starts_with("t.csv line 3: "), "{e}");
    let opts = options(&["a"], "t", true);
    let (d, report) = load_csv_from_reader(&bytes[..], "t.csv", &opts).unwrap();
    assert_eq!(
        (d.x, report.rows_read, report.rows_skipped),
        (vec![1.0, 4.0], 3, 1)
    );
    // Spreadsheet programs often start UTF-8 files with a byte order mark.
    let (d, _) = load("\u{feff}age,t\n1,2\n", &["age"], "t").unwrap();
    assert_eq!(d.input_names, vec!["age"]);
}
