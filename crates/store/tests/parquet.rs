//! `runs export --format parquet`: runs.parquet read back with the parquet crate's own reader
//! holds, column for column and bit for bit, what the CSV export holds; curves.parquet holds
//! every stored history epoch for epoch.

use std::path::Path;

use nnlab_lab::sweep::{run_sweep_with, SweepSpec};
use nnlab_lab::Experiment;
use nnlab_store::columnar::{write_parquet, CURVES_FILE, RUNS_FILE};
use nnlab_store::{export, Filter, Store, SweepWriter};
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::record::Field;

/// Every row of a Parquet file as (column name, field) pairs.
fn rows(path: &Path) -> Vec<Vec<(String, Field)>> {
    let reader = SerializedFileReader::try_from(path).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .collect()
}

/// A Parquet field against the CSV export's cell: the same number to the bit, the same text.
fn same(field: &Field, cell: &str) -> bool {
    match field {
        Field::Null => cell.is_empty(),
        Field::Bool(b) => cell == b.to_string(),
        Field::Long(n) => cell.parse::<i64>() == Ok(*n),
        Field::ULong(n) => cell.parse::<u64>() == Ok(*n),
        Field::Double(x) => cell.parse::<f64>().map(f64::to_bits) == Ok(x.to_bits()),
        Field::Str(s) => cell == s,
        _ => false,
    }
}

#[test]
fn the_parquet_tables_hold_the_csv_exports_numbers_and_every_history_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    // 6 runs: 3 rates × 2 seeds, 20 rows, 25 epochs, 20% held out (test losses in the
    // curves).
    let mut base = Experiment::default();
    base.set("rows", "20").unwrap();
    base.set("epochs", "25").unwrap();
    base.set("test_fraction", "0.2").unwrap();
    let vary = ["lr=0.01,0.1,1".to_string(), "seed=0..2".to_string()];
    let spec = SweepSpec::parse(base, &vary).unwrap();
    let writer = SweepWriter::start(&path, Some("pq"), "s1", &spec, None).unwrap();
    run_sweep_with(&spec, None, Some(&|runs| writer.add(runs))).unwrap();
    writer.finish().unwrap();

    let store = Store::open(&path).unwrap();
    let runs = store.list(&Filter::default()).unwrap();
    let out = dir.path().join("export");
    let written = write_parquet(&store, &runs, &out).unwrap();
    assert_eq!(written, [out.join(RUNS_FILE), out.join(CURVES_FILE)]);

    let csv_text = export::to_csv(&runs).unwrap();
    let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    let records: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let table = rows(&out.join(RUNS_FILE));
    assert_eq!(table.len(), 6);
    for (row, record) in table.iter().zip(&records) {
        let names: Vec<&String> = row.iter().map(|(k, _)| k).collect();
        assert_eq!(names, header.iter().collect::<Vec<_>>());
        for ((name, field), cell) in row.iter().zip(record.iter()) {
            assert!(same(field, cell), "{name}: parquet {field:?}, csv {cell:?}");
        }
    }
    // The types a reader sees: ids and seeds integers, losses and rates doubles, text.
    let first = &table[0];
    let field = |name: &str| &first.iter().find(|(k, _)| k == name).unwrap().1;
    assert!(matches!(field("id"), Field::Long(_)));
    assert!(matches!(field("init_seed"), Field::Long(_)));
    assert!(matches!(field("final_loss"), Field::Double(_)));
    assert!(matches!(field("config.train.lr"), Field::Double(_)));
    assert!(matches!(field("status"), Field::Str(_)));

    // Curves: one row per run and epoch, in the order of the runs table, as bits.
    let mut want = Vec::new();
    for r in &runs {
        for h in store.history(r.id).unwrap() {
            want.push(vec![
                Some(r.id as u64),
                Some(h.epoch as u64),
                Some(h.train_loss.to_bits()),
                h.test_loss.map(f64::to_bits),
                Some(h.lr.to_bits()),
            ]);
        }
    }
    let curves = rows(&out.join(CURVES_FILE));
    let names: Vec<&str> = curves[0].iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["id", "epoch", "train_loss", "test_loss", "lr"]);
    let bits = |f: &Field| match f {
        Field::Long(n) => Some(*n as u64),
        Field::Double(x) => Some(x.to_bits()),
        _ => None,
    };
    let got: Vec<Vec<Option<u64>>> = curves
        .iter()
        .map(|r| r.iter().map(|(_, v)| bits(v)).collect())
        .collect();
    assert_eq!(got.len(), 6 * 25);
    assert_eq!(got, want);
    assert!(got.iter().all(|r| r[3].is_some()));
}
