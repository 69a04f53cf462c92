//! Loading a CSV table with a header: inputs and target chosen by column name, text columns
//! encoded as numbers, bad rows reported with file, line and column, or skipped and counted.
//!
//! Rules:
//! - the first line names the columns; names must be unique; fields are trimmed of spaces;
//! - a chosen column is text when none of its values is a number: with one or two distinct
//!   values it becomes one 0/1 column (values sorted, the first is 0: `sex: female=0, male=1`),
//!   with more, one-hot columns `region=northeast`, ... in sorted order;
//! - a numeric target is kept as it is; a text target is class labels (see the `classes`
//!   module: two labels become one 0/1 target, more one-hot targets);
//! - a row with a wrong number of fields, or a missing, non-numeric, NaN or infinite value in a
//!   chosen numeric column (or a missing value in a chosen text column) is an error naming the
//!   file, the 1-based line and the column, or, with `skip_bad_rows`, is skipped and counted in
//!   the [`LoadReport`]. Text categories are taken from the rows kept.
//!
//! Memory: the text streams through once, one reused record at a time; what is held is one
//! `f64` per chosen value (a table of 10 million rows of three numbers holds 240 MB, the
//! size of its data set), the distinct texts, and the line of each row that may be bad.
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

use crate::classes::{check_count, set_class_target};
use crate::encode::TextEncoding;
use crate::lines::{Exceeded, LineCounter, MAX_FILE_BYTES, MAX_RECORD_BYTES};
use crate::table::{text_id, Seen, Table};
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
///
/// The text is read once, record by record into one reused record: what stays is one `f64`
/// per chosen value (see the `table` module) and, for rows that may be bad, their line.
pub fn load_csv_from_reader<R: Read>(
    reader: R,
    file: &str,
    options: &CsvOptions,
) -> Result<(Dataset, LoadReport), DataError> {
    let mut rdr = ReaderBuilder::new()
        .has_headers(true)
        // Field counts are checked here, to report them with the line and allow skipping.
        .flexible(true)
        // Fields are trimmed as they are read (`str::trim`, as the reader's own trimming of
        // string records), which the reader would do by building a new record per row.
        .trim(Trim::Headers)
        .from_reader(LineCounter::new(reader));
    let header = match rdr.headers() {
        Ok(header) => header.clone(),
        Err(e) => return Err(csv_error(file, rdr.get_mut(), e)),
    };
    if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
        return Err(DataError::EmptyFile { file: file.into() });
    }
    let names: Vec<String> = header.iter().map(str::to_string).collect();
    check_unique(file, &names)?;
    let chosen = Chosen::resolve(file, &names, options)?;

    let mut table = Table::new(chosen.inputs.len());
    let mut skipped = Skipped::new(options.skip_bad_rows);
    let mut rows_read = 0;
    let mut record = StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                rows_read += 1;
                let line = record
                    .position()
                    .map_or(0, |p| rdr.get_mut().record_line(p.byte()));
                table.push(line, &record, names.len(), &chosen);
            }
            // A record the reader could not decode (e.g. invalid UTF-8) is a bad row;
            // other failures (I/O) stop the load.
            Err(e) if matches!(e.kind(), ::csv::ErrorKind::Utf8 { .. }) => {
                rows_read += 1;
                skipped.add(csv_error(file, rdr.get_mut(), e))?;
            }
            Err(e) => return Err(csv_error(file, rdr.get_mut(), e)),
        }
    }
    if rows_read == 0 {
        return Err(DataError::NoDataRows { file: file.into() });
    }

    // A column is text when no value of a row with the right field count is a number.
    let is_text: Vec<bool> = table.seen.iter().map(Seen::is_text).collect();

    // Only the rows noted as suspect while reading can be bad; check them in file order.
    let mut dropped = Vec::new();
    for suspect in &table.suspects {
        if let Err(e) = table.check(file, suspect, &names, &chosen, &is_text) {
            skipped.add(e)?;
            dropped.push(suspect.row);
        }
    }
    let n_rows = table.target.len();
    if dropped.len() == n_rows {
        return Err(DataError::AllRowsSkipped {
            file: file.into(),
            rows: rows_read,
            first: skipped.first.unwrap_or_default(),
        });
    }

    // Encode: text inputs through their encoding (categories from the rows kept), numbers
    // as they are.
    let encodings: Vec<Option<TextEncoding>> = chosen
        .inputs
        .iter()
        .zip(&is_text)
        .enumerate()
        .map(|(j, (&c, &text))| text.then(|| table.encoding(&names[c], j, &dropped)))
        .collect();
    let mut input_names = Vec::new();
    for (&c, enc) in chosen.inputs.iter().zip(&encodings) {
        match enc {
            Some(enc) => input_names.extend(enc.output_names()),
            None => input_names.push(names[c].clone()),
        }
    }
    let target_name = names[chosen.target].clone();
    let source = format!(
        "CSV file {file}: inputs {}, target {target_name}",
        options.inputs.join(", ")
    );
    let encoding = encodings.iter().flatten().map(TextEncoding::note).collect();
    // A text target is classes (the `classes` module): its labels' order and, per text,
    // its class, read before the table gives up its texts.
    let target_classes = match is_text[chosen.inputs.len()] {
        true => {
            let classes = table.encoding(&target_name, chosen.inputs.len(), &dropped);
            check_count(&target_name, classes.categories().len(), || {
                classes.categories()[0].clone()
            })?;
            let class_of_text = table.classes_of_texts(classes.categories());
            Some((classes, class_of_text))
        }
        false => None,
    };
    let (x, y) = table.into_columns(&encodings, input_names.len(), &dropped);
    let mut dataset = Dataset {
        input_names,
        target_name,
        x,
        y,
        source,
        encoding,
        classes: Vec::new(),
    };
    if let Some((classes, class_of_text)) = target_classes {
        let index: Vec<Option<usize>> = dataset
            .y
            .iter()
            .map(|&v| text_id(v).and_then(|id| class_of_text.get(id as usize).copied().flatten()))
            .collect();
        set_class_target(&mut dataset, classes, index);
    }
    let report = LoadReport {
        rows_read,
        rows_skipped: skipped.count,
        first_skipped: skipped.first,
    };
    Ok((dataset, report))
}

/// A csv reader's error as ours: an I/O failure names the file, anything else its line too.
fn csv_error<R: Read>(file: &str, lines: &mut LineCounter<R>, e: ::csv::Error) -> DataError {
    match lines.exceeded() {
        Some(Exceeded::File) => {
            return DataError::FileTooLarge {
                file: file.into(),
                limit: MAX_FILE_BYTES,
            }
        }
        Some(Exceeded::Record) => {
            return DataError::RecordTooLong {
                file: file.into(),
                line: lines.current_line(),
                limit: MAX_RECORD_BYTES,
            }
        }
        None => {}
    }
    let line = e.position().map_or(0, |p| lines.record_line(p.byte()));
    let message = e.to_string();
    match e.into_kind() {
        ::csv::ErrorKind::Io(source) => DataError::Io {
            file: file.into(),
            source,
        },
        _ => DataError::Csv {
            file: file.into(),
            line,
            message,
        },
    }
}

/// The chosen columns as indices into the header.
pub(crate) struct Chosen {
    pub(crate) inputs: Vec<usize>,
    pub(crate) target: usize,
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
    pub(crate) fn columns(&self) -> impl Iterator<Item = usize> + '_ {
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
