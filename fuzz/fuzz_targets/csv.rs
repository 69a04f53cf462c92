//! The CSV loader (`nnlab train --data FILE.csv`): `nnlab_data::load_csv_from_reader`, the
//! function `load_csv` streams a file through.
//!
//! Input: one byte of options, then the CSV text. The columns are fixed names (`a`, `b`,
//! `y`) so that the corpus (headers `a,b,y`) reaches the rows; the option byte picks
//! `skip_bad_rows` (bit 0) and whether `b` is an input or the target (bit 1).
//! Property: the loader returns `Ok` or `Err`, never panics; a loaded set has one target
//! row per input row and only finite inputs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nnlab_data::{load_csv_from_reader, CsvOptions};

/// Inputs longer than this are skipped: a file's size is the loader's caller's limit, and
/// short inputs keep the runs fast.
const MAX_INPUT: usize = 256 * 1024;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, text)) = data.split_first() else {
        return;
    };
    if text.len() > MAX_INPUT {
        return;
    }
    let (inputs, target) = if flags & 2 == 0 {
        (vec!["a".to_string(), "b".to_string()], "y".to_string())
    } else {
        (vec!["a".to_string()], "b".to_string())
    };
    let options = CsvOptions {
        inputs,
        target,
        skip_bad_rows: flags & 1 == 1,
    };
    if let Ok((d, report)) = load_csv_from_reader(text, "fuzz.csv", &options) {
        let n = d.n_rows();
        assert!(
            n <= report.rows_read,
            "{n} rows from {} read",
            report.rows_read
        );
        assert_eq!(d.x.len(), n * d.n_inputs(), "inputs of {n} rows");
        assert!(
            d.x.iter().all(|v| v.is_finite()),
            "a non-finite input was loaded"
        );
    }
});
