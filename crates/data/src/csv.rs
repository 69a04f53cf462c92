//! Loading a CSV table with a header: inputs and target chosen by column name, text columns
//! encoded as numbers, bad rows reported with file, line and column, or skipped and counted.
//!
//! Rules:
//! - the first line names the columns; names must be unique; fields are trimmed of spaces;
//! - a chosen column is text when none of its values is a number: with one or two distinct
//!   values it becomes one 0/1 column (values sorted, the first is 0: `sex: female=0, male=1`),
//!   with more, one-hot columns `region=northeast`, ... in sorted order;
//! - the target must be numeric;
//! - a row with a wrong number of fields, or a missing, non-numeric, NaN or infinite value in a
//!   chosen numeric column (or a missing value in a chosen text column) is an error naming the
//!   file, the 1-based line and the column, or, with `skip_bad_rows`, is skipped and counted in
//!   the [`LoadReport`]. Text categories are taken from the rows kept.
//!
//! ```
//! use nnlab_data::{load_csv_from_reader, CsvOptions};
//! let text = "age,sex,charges\n19,female,16884.924\n18,male,1725.5523\n";
//! let options = CsvOptions { inputs: vec!["age".into(), "sex".into()], target: "charges".into(),
//!                            skip_bad_rows: false };
//! let (d, report) = load_csv_from_reader(text.as_bytes(), "demo.csv", &options).unwrap();
//! assert_eq!(d.x, vec![19.0, 0.0, 18.0, 1.0]);
//! assert_eq!(d.y, vec![16884.924, 1725.5523]);
//! assert_eq!(d.encoding, vec!["sex: female=0, male=1"]);
//! assert_eq!((report.rows_read, report.rows_skipped), (2, 0));
//!
//! let bad = "age,sex,charges\n19,female,16884.924\nabc,male,1725.5523\n";
//! let e = load_csv_from_reader(bad.as_bytes(), "demo.csv", &options).unwrap_err();
//! assert_eq!(e.to_string(), "demo.csv line 3, column 'age': 'abc' is not a number");
//! ```

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use ::csv::{ReaderBuilder, StringRecord, Trim};
use serde::{Deserialize, Serialize};

use crate::encode::{looks_numeric, parse_number, NumberProblem, TextEncoding};
use crate::{DataError, Dataset, LoadReport};

/// Which columns to use, and what to do with bad rows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CsvOptions {
    /// Input column names, in the order the network sees them.
    pub inputs: Vec<String>,
    /// The target column name.
    pub target: String,
    /// Skip (and count) bad rows instead of stopping at the first.
    pub skip_bad_rows: bool,
}

/// Loads the CSV file at `path`; errors name the file as `path` is written.
pub fn load_csv(
    path: impl AsRef<Path>,
    options: &CsvOptions,
) -> Result<(Dataset, LoadReport), DataError> {
    let path = path.as_ref();
    let file = path.display().to_string();
    let reader = File::open(path).map_err(|source| DataError::Io {
        file: file.clone(),
        source,
    })?;
    load_csv_from_reader(reader, &file, options)
}

/// Loads CSV text from `reader`; `file` is the name used in messages.
pub fn load_csv_from_reader<R: Read>(
    mut reader: R,
    file: &str,
    options: &CsvOptions,
) -> Result<(Dataset, LoadReport), DataError> {
    // The whole text is kept so that line numbers can be counted from byte offsets: the csv
    // reader's own line count leaves out the blank lines it skips, and a record's position is
    // where the reader started looking for it, before those blank lines.
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|source| DataError::Io {
            file: file.into(),
            source,
        })?;
    let lines = LineIndex::new(&bytes);
    let mut rdr = ReaderBuilder::new()
        .has_headers(true)
        // Field counts are checked here, to report them with the line and allow skipping.
        .flexible(true)
        .trim(Trim::All)
        .from_reader(bytes.as_slice());
    let csv_error = |e: &::csv::Error| DataError::Csv {
        file: file.into(),
        line: e.position().map_or(0, |p| lines.record_line(p.byte())),
        message: e.to_string(),
    };
    let header = rdr.headers().map_err(|e| csv_error(&e))?.clone();
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(DataError::EmptyFile { file: file.into() });
    }
    let names: Vec<String> = header.iter().map(str::to_string).collect();
    check_unique(file, &names)?;
    let chosen = Chosen::resolve(file, &names, options)?;

    let mut rows: Vec<(u64, StringRecord)> = Vec::new();
    let mut skipped = Skipped::new(options.skip_bad_rows);
    let mut rows_read = 0;
    for result in rdr.records() {
        match result {
            Ok(record) => {
                rows_read += 1;
                let line = record.position().map_or(0, |p| lines.record_line(p.byte()));
                rows.push((line, record));
            }
            // A record the reader could not decode (e.g. invalid UTF-8) is a bad row;
            // other failures (I/O) stop the load.
            Err(e) if matches!(e.kind(), ::csv::ErrorKind::Utf8 { .. }) => {
                rows_read += 1;
                skipped.add(csv_error(&e))?;
            }
            Err(e) => return Err(csv_error(&e)),
        }
    }
    if rows_read == 0 {
        return Err(DataError::NoDataRows { file: file.into() });
    }

    // Decide text or number per chosen column from the rows of the right length.
    let text_samples: Vec<Option<(u64, &str)>> = chosen
        .columns()
        .map(|c| text_sample(&rows, names.len(), c))
        .collect();
    if let Some(Some((line, value))) = text_samples.last() {
        return Err(DataError::TextTarget {
            file: file.into(),
            column: names[chosen.target].clone(),
            line: *line,
            value: value.to_string(),
        });
    }
    let is_text: Vec<bool> = text_samples.iter().map(Option::is_some).collect();

    // Keep the good rows, with the numbers of their numeric columns.
    let mut kept: Vec<(&StringRecord, Vec<f64>)> = Vec::with_capacity(rows.len());
    for (line, record) in &rows {
        match check_row(file, *line, record, &names, &chosen, &is_text) {
            Ok(numbers) => kept.push((record, numbers)),
            Err(e) => skipped.add(e)?,
        }
    }
    if kept.is_empty() {
        return Err(DataError::AllRowsSkipped {
            file: file.into(),
            rows: rows_read,
            first: skipped.first.unwrap_or_default(),
        });
    }

    // Encode: text inputs through their encoding, numbers as they are.
    let encodings: Vec<Option<TextEncoding>> = chosen
        .inputs
        .iter()
        .zip(&is_text)
        .map(|(&c, &text)| {
            text.then(|| TextEncoding::new(&names[c], kept.iter().map(|(r, _)| &r[c])))
        })
        .collect();
    let mut input_names = Vec::new();
    for (&c, enc) in chosen.inputs.iter().zip(&encodings) {
        match enc {
            Some(enc) => input_names.extend(enc.output_names()),
            None => input_names.push(names[c].clone()),
        }
    }
    let mut x = Vec::with_capacity(kept.len() * input_names.len());
    let mut y = Vec::with_capacity(kept.len());
    for (record, numbers) in &kept {
        // numbers has one entry per numeric chosen column, inputs first, the target last.
        let mut numbers = numbers.iter().copied();
        for (&c, enc) in chosen.inputs.iter().zip(&encodings) {
            match enc {
                Some(enc) => enc.encode(&record[c], &mut x),
                None => x.extend(numbers.next()),
            }
        }
        y.extend(numbers.next());
    }
    let target_name = names[chosen.target].clone();
    let source = format!(
        "CSV file {file}: inputs {}, target {target_name}",
        options.inputs.join(", ")
    );
    let dataset = Dataset {
        input_names,
        target_name,
        x,
        y,
        source,
        encoding: encodings.iter().flatten().map(TextEncoding::note).collect(),
    };
    let report = LoadReport {
        rows_read,
        rows_skipped: skipped.count,
        first_skipped: skipped.first,
    };
    Ok((dataset, report))
}

/// The chosen columns as indices into the header.
struct Chosen {
    inputs: Vec<usize>,
    target: usize,
}

impl Chosen {
    fn resolve(file: &str, names: &[String], options: &CsvOptions) -> Result<Chosen, DataError> {
        let available = || {
            names
                .iter()
                .map(|n| format!("'{n}'"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if options.inputs.is_empty() {
            return Err(DataError::NoInputs {
                file: file.into(),
                available: available(),
            });
        }
        if options.target.trim().is_empty() {
            return Err(DataError::NoTarget {
                file: file.into(),
                available: available(),
            });
        }
        let index = |name: &String| {
            names
                .iter()
                .position(|n| n == name.trim())
                .ok_or_else(|| DataError::UnknownColumn {
                    file: file.into(),
                    column: name.clone(),
                    available: available(),
                })
        };
        let inputs = options
            .inputs
            .iter()
            .map(index)
            .collect::<Result<Vec<_>, _>>()?;
        let target = index(&options.target)?;
        let mut seen = vec![false; names.len()];
        for &c in inputs.iter().chain([&target]) {
            if std::mem::replace(&mut seen[c], true) {
                return Err(DataError::ColumnChosenTwice {
                    file: file.into(),
                    column: names[c].clone(),
                });
            }
        }
        Ok(Chosen { inputs, target })
    }

    /// Inputs, then the target.
    fn columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.inputs.iter().copied().chain([self.target])
    }
}

/// Bad rows: an error at the first, or counted with the first message kept.
struct Skipped {
    skip: bool,
    count: usize,
    first: Option<String>,
}

impl Skipped {
    fn new(skip: bool) -> Skipped {
        Skipped {
            skip,
            count: 0,
            first: None,
        }
    }

    fn add(&mut self, e: DataError) -> Result<(), DataError> {
        if !self.skip {
            return Err(e);
        }
        self.count += 1;
        self.first.get_or_insert_with(|| e.to_string());
        Ok(())
    }
}

fn check_unique(file: &str, names: &[String]) -> Result<(), DataError> {
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (k, name) in names.iter().enumerate() {
        if let Some(&first) = first_seen.get(name.as_str()) {
            return Err(DataError::DuplicateColumn {
                file: file.into(),
                column: name.clone(),
                first: first + 1,
                second: k + 1,
            });
        }
        first_seen.insert(name, k);
    }
    Ok(())
}

/// A chosen column's first non-empty value with its line, if the column is text: no value
/// of a row with the right field count is a number, and at least one is not empty.
fn text_sample(rows: &[(u64, StringRecord)], n_fields: usize, c: usize) -> Option<(u64, &str)> {
    let mut values = rows
        .iter()
        .filter(|(_, r)| r.len() == n_fields)
        .map(|(line, r)| (*line, &r[c]))
        .filter(|(_, v)| !v.is_empty());
    let first = values.next()?;
    let any_number = looks_numeric(first.1) || values.any(|(_, v)| looks_numeric(v));
    (!any_number).then_some(first)
}

/// The numbers of a row's chosen numeric columns (inputs in order, then the target), or its
/// first problem: its field count, then each chosen column in order.
fn check_row(
    file: &str,
    line: u64,
    record: &StringRecord,
    names: &[String],
    chosen: &Chosen,
    is_text: &[bool],
) -> Result<Vec<f64>, DataError> {
    if record.len() != names.len() {
        return Err(DataError::WrongFieldCount {
            file: file.into(),
            line,
            expected: names.len(),
            found: record.len(),
        });
    }
    let mut numbers = Vec::with_capacity(is_text.len());
    for (c, &text) in chosen.columns().zip(is_text) {
        let value = &record[c];
        let problem = match (text, parse_number(value)) {
            (true, _) if value.is_empty() => NumberProblem::Missing,
            (true, _) => continue,
            (false, Ok(v)) => {
                numbers.push(v);
                continue;
            }
            (false, Err(problem)) => problem,
        };
        let (file, column, value) = (file.to_string(), names[c].clone(), value.to_string());
        return Err(match problem {
            NumberProblem::Missing => DataError::MissingValue { file, line, column },
            NumberProblem::NotANumber => DataError::NotANumber {
                file,
                line,
                column,
                value,
            },
            NumberProblem::NotFinite => DataError::NotFinite {
                file,
                line,
                column,
                value,
            },
        });
    }
    Ok(numbers)
}

/// The byte offsets where lines start, to turn a record's byte offset into its 1-based line.
/// A line ends at `\n`, `\r\n` or a lone `\r`, as for the csv reader.
struct LineIndex<'a> {
    bytes: &'a [u8],
    starts: Vec<u64>,
}

impl<'a> LineIndex<'a> {
    fn new(bytes: &'a [u8]) -> LineIndex<'a> {
        let mut starts = vec![0];
        for (k, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(k + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(k as u64 + 1);
            }
        }
        LineIndex { bytes, starts }
    }

    /// The line holding byte `offset`: the number of line starts at or before it.
    fn line(&self, offset: u64) -> u64 {
        self.starts.partition_point(|&s| s <= offset) as u64
    }

    /// The line of the record the reader started looking for at `offset`: blank lines (only
    /// line endings) before it are passed over, as the reader does.
    fn record_line(&self, offset: u64) -> u64 {
        let skipped = self
            .bytes
            .iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        self.line(offset + skipped as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn line_index_counts_every_line_ending() {
        // Lines start at bytes 0, 2 ("b"), 5 ("c" after \r\n), 7 ("d" after a lone \r).
        let index = LineIndex::new(b"a\nb\r\nc\rd");
        let lines: Vec<u64> = (0..9).map(|k| index.line(k)).collect();
        assert_eq!(lines, vec![1, 1, 2, 2, 2, 3, 3, 4, 4]);
        // A search starting at the end of line 1 finds the record on line 4 past two blanks.
        let index = LineIndex::new(b"a\n\n\r\nd");
        assert_eq!(index.record_line(1), 4);
        assert_eq!(index.record_line(0), 1);
    }
}
