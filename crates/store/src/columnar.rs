//! `runs export --format parquet`: two Parquet files that `pandas.read_parquet` and polars
//! read, `runs.parquet` (one row per run, the columns of the CSV export, see
//! [`crate::export`]) and `curves.parquet` (one row per run and epoch: `id`, `epoch`,
//! `train_loss`, `test_loss`, `lr`, the long format of a sweep's `curves.csv` keyed by run id).
//!
//! Each runs column gets one Parquet type from its values: `BOOLEAN` when all are booleans,
//! `INT64` when all are integers (`UINT_64` when one is above `i64::MAX`, as a seed can be),
//! `DOUBLE` when they are numbers with at least one fraction, else `UTF8` text, each cell the
//! CSV export's text. A missing or null value is a Parquet null. Losses keep their exact bits
//! (NaN and infinities included), which the CSV's shortest round-trip text also does: the two
//! exports hold the same numbers. Files are uncompressed (the crate is built without codecs).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedColumnWriter, SerializedFileWriter};
use parquet::schema::types::Type;
use serde_json::Value;

use crate::export::{columns, flat_row};
use crate::read::RunSummary;
use crate::{Store, StoreError};
use nnlab_lab::files::write_atomic;
use nnlab_lab::flat::text;
use nnlab_train::EpochRecord;

/// The file names [`write_parquet`] writes into its folder.
pub const RUNS_FILE: &str = "runs.parquet";
pub const CURVES_FILE: &str = "curves.parquet";

/// One column's values, typed (see the module doc); `None` is a null.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Bool(Vec<Option<bool>>),
    Int(Vec<Option<i64>>),
    /// Integers of which one is above `i64::MAX`: stored as `INT64` with the bits of the
    /// `u64`, annotated `UINT_64` so readers give them back unsigned.
    UInt(Vec<Option<u64>>),
    Double(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
}

impl Column {
    /// The type that holds every value of `cells` (module doc).
    fn of(cells: &[Option<&Value>]) -> Column {
        let present = || cells.iter().flatten().copied().filter(|v| !v.is_null());
        fn none_null<'a>(v: &Option<&'a Value>) -> Option<&'a Value> {
            v.filter(|v| !v.is_null())
        }
        if present().next().is_none() {
            // Nothing to type by (a column every run leaves empty): text, all null.
            Column::Text(vec![None; cells.len()])
        } else if present().all(Value::is_boolean) {
            Column::Bool(cells.iter().map(|v| none_null(v)?.as_bool()).collect())
        } else if present().all(Value::is_i64) {
            Column::Int(cells.iter().map(|v| none_null(v)?.as_i64()).collect())
        } else if present().all(Value::is_u64) {
            Column::UInt(cells.iter().map(|v| none_null(v)?.as_u64()).collect())
        } else if present().all(Value::is_number) {
            Column::Double(cells.iter().map(|v| none_null(v)?.as_f64()).collect())
        } else {
            Column::Text(cells.iter().map(|v| none_null(v).map(text)).collect())
        }
    }

    fn physical(&self) -> Physical {
        match self {
            Column::Bool(_) => Physical::BOOLEAN,
            Column::Int(_) | Column::UInt(_) => Physical::INT64,
            Column::Double(_) => Physical::DOUBLE,
            Column::Text(_) => Physical::BYTE_ARRAY,
        }
    }

    fn annotation(&self) -> ConvertedType {
        match self {
            Column::UInt(_) => ConvertedType::UINT_64,
            Column::Text(_) => ConvertedType::UTF8,
            _ => ConvertedType::NONE,
        }
    }

    fn logical(&self) -> Option<LogicalType> {
        match self {
            Column::UInt(_) => Some(LogicalType::Integer {
                bit_width: 64,
                is_signed: false,
            }),
            Column::Text(_) => Some(LogicalType::String),
            _ => None,
        }
    }

    /// Writes the non-null values with a definition level per row (1 present, 0 null).
    fn write(&self, w: &mut SerializedColumnWriter) -> Result<(), ParquetError> {
        fn split<T: Clone, U>(cells: &[Option<T>], f: impl Fn(T) -> U) -> (Vec<U>, Vec<i16>) {
            let levels = cells.iter().map(|c| i16::from(c.is_some())).collect();
            (cells.iter().flatten().cloned().map(f).collect(), levels)
        }
        match self {
            Column::Bool(c) => {
                let (v, d) = split(c, |x| x);
                w.typed::<BoolType>().write_batch(&v, Some(&d), None)?;
            }
            Column::Int(c) => {
                let (v, d) = split(c, |x| x);
                w.typed::<Int64Type>().write_batch(&v, Some(&d), None)?;
            }
            Column::UInt(c) => {
                // The bits of the u64 (see the variant); readers of UINT_64 undo the cast.
                let (v, d) = split(c, |x| x as i64);
                w.typed::<Int64Type>().write_batch(&v, Some(&d), None)?;
            }
            Column::Double(c) => {
                let (v, d) = split(c, |x| x);
                w.typed::<DoubleType>().write_batch(&v, Some(&d), None)?;
            }
            Column::Text(c) => {
                let (v, d) = split(c, |s: String| ByteArray::from(s.into_bytes()));
                w.typed::<ByteArrayType>().write_batch(&v, Some(&d), None)?;
            }
        }
        Ok(())
    }
}

/// The runs table: the CSV export's columns in its order, typed.
fn runs_table(runs: &[RunSummary]) -> Vec<(String, Column)> {
    let rows: Vec<_> = runs.iter().map(flat_row).collect();
    columns(&rows)
        .into_iter()
        .map(|name| {
            let cells: Vec<Option<&Value>> = rows
                .iter()
                .map(|row| row.iter().find(|(k, _)| *k == name).map(|(_, v)| v))
                .collect();
            let column = Column::of(&cells);
            (name, column)
        })
        .collect()
}

/// The curves table of runs given with their histories.
fn curves_table(histories: &[(i64, Vec<EpochRecord>)]) -> Vec<(String, Column)> {
    let each = |f: &dyn Fn(i64, &EpochRecord) -> Option<f64>| {
        Column::Double(
            histories
                .iter()
                .flat_map(|(id, h)| h.iter().map(move |e| f(*id, e)))
                .collect(),
        )
    };
    let ints = |f: &dyn Fn(i64, &EpochRecord) -> i64| {
        Column::Int(
            histories
                .iter()
                .flat_map(|(id, h)| h.iter().map(move |e| Some(f(*id, e))))
                .collect(),
        )
    };
    vec![
        ("id".into(), ints(&|id, _| id)),
        ("epoch".into(), ints(&|_, e| e.epoch as i64)),
        ("train_loss".into(), each(&|_, e| Some(e.train_loss))),
        ("test_loss".into(), each(&|_, e| e.test_loss)),
        ("lr".into(), each(&|_, e| Some(e.lr))),
    ]
}

/// Writes `table` as one row group of a Parquet file at `path`.
fn write_table(path: &Path, table: &[(String, Column)]) -> Result<(), StoreError> {
    let err = |source: ParquetError| StoreError::Parquet {
        path: path.display().to_string(),
        source,
    };
    let fields = table
        .iter()
        .map(|(name, c)| {
            Type::primitive_type_builder(name, c.physical())
                .with_repetition(Repetition::OPTIONAL)
                .with_converted_type(c.annotation())
                .with_logical_type(c.logical())
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    let schema = Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
        .map_err(err)?;
    let props = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(Vec::new(), Arc::new(schema), props).map_err(err)?;
    let mut group = writer.next_row_group().map_err(err)?;
    for (_, column) in table {
        let Some(mut w) = group.next_column().map_err(err)? else {
            break;
        };
        column.write(&mut w).map_err(err)?;
        w.close().map_err(err)?;
    }
    group.close().map_err(err)?;
    let bytes = writer.into_inner().map_err(err)?;
    // Whole or not at all, like every other file nnlab writes.
    write_atomic(path, &bytes)?;
    Ok(())
}

/// Writes `runs.parquet` and `curves.parquet` of `runs` (read with their histories from
/// `store`) into `dir`, creating it; returns the two paths.
pub fn write_parquet(
    store: &Store,
    runs: &[RunSummary],
    dir: &Path,
) -> Result<[PathBuf; 2], StoreError> {
    std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let histories = runs
        .iter()
        .map(|r| Ok((r.id, store.history(r.id)?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    let paths = [dir.join(RUNS_FILE), dir.join(CURVES_FILE)];
    write_table(&paths[0], &runs_table(runs))?;
    write_table(&paths[1], &curves_table(&histories))?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_column_takes_the_narrowest_type_holding_all_its_values() {
        let (t, f, one, half) = (json!(true), json!(false), json!(1), json!(0.5));
        let (big, neg, s, null) = (json!(u64::MAX), json!(-3), json!("relu"), Value::Null);
        assert_eq!(
            Column::of(&[Some(&t), None, Some(&f)]),
            Column::Bool(vec![Some(true), None, Some(false)])
        );
        assert_eq!(
            Column::of(&[Some(&one), Some(&neg), Some(&null)]),
            Column::Int(vec![Some(1), Some(-3), None])
        );
        // u64::MAX = 18446744073709551615 does not fit an i64: the column is unsigned.
        assert_eq!(
            Column::of(&[Some(&one), Some(&big)]),
            Column::UInt(vec![Some(1), Some(u64::MAX)])
        );
        assert_eq!(
            Column::of(&[Some(&one), Some(&half)]),
            Column::Double(vec![Some(1.0), Some(0.5)])
        );
        // Mixed kinds fall back to the CSV cell's text.
        assert_eq!(
            Column::of(&[Some(&s), Some(&half), Some(&json!(["a", "b"]))]),
            Column::Text(vec![
                Some("relu".into()),
                Some("0.5".into()),
                Some("a,b".into())
            ])
        );
    }
}
