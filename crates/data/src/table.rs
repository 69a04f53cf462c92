//! [`Table`]: the chosen columns of a CSV as they are read, one `f64` per value, before it
//! is known which columns are text.
//!
//! A column is text only when none of its values is a number, which is known only at the
//! end of the file. Until then every value is kept in one `f64` cell: a parsed number, which
//! is always finite, or a text marker, a NaN carrying the id of the value's text in
//! [`Texts`]. Non-finite numbers (`NaN`, `inf`) are kept as text too, to report them by
//! their spelling. So a numeric column costs exactly its `f64`s while it is read, the cells
//! become the data set's `x` and `y` without a copy when every column is numeric and no row
//! is dropped, and nothing is allocated per row.

use std::collections::HashMap;

use ::csv::StringRecord;

use crate::csv::Chosen;
use crate::encode::{looks_numeric, parse_number, NumberProblem, TextEncoding};
use crate::DataError;

/// A quiet NaN: with any payload below 2^51 it is still a NaN, and no parsed number is one.
const TEXT_TAG: u64 = 0x7ff8_0000_0000_0000;
const ID_MASK: u64 = (1 << 51) - 1;

/// The cell for `field`: its number if it is a finite one, else a text marker.
fn cell(field: &str, texts: &mut Texts) -> f64 {
    match parse_number(field) {
        Ok(v) => v,
        Err(_) => f64::from_bits(TEXT_TAG | texts.id(field)),
    }
}

/// The text id of a text-marker cell, `None` for a number.
pub(crate) fn text_id(cell: f64) -> Option<u64> {
    cell.is_nan().then_some(cell.to_bits() & ID_MASK)
}

/// The distinct texts met in the chosen columns, each stored once.
#[derive(Default)]
pub(crate) struct Texts {
    ids: HashMap<Box<str>, u64>,
    texts: Vec<Box<str>>,
    /// Per id: the text is a number that is not finite (`NaN`, `inf`).
    numeric: Vec<bool>,
}

impl Texts {
    fn id(&mut self, text: &str) -> u64 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as u64 & ID_MASK;
        self.ids.insert(text.into(), id);
        self.texts.push(text.into());
        self.numeric.push(looks_numeric(text));
        id
    }

    /// Whether text `id` reads as a number (one that is not finite, as it is kept as text).
    pub(crate) fn is_numeric(&self, id: u64) -> bool {
        usize::try_from(id)
            .ok()
            .and_then(|k| self.numeric.get(k))
            .is_some_and(|&n| n)
    }

    /// The text of `id` (one [`Texts`] gave out); empty for an unknown id.
    pub(crate) fn get(&self, id: u64) -> &str {
        usize::try_from(id)
            .ok()
            .and_then(|k| self.texts.get(k))
            .map_or("", |t| t)
    }

    /// How many distinct texts there are: ids are `0..len()`.
    pub(crate) fn len(&self) -> usize {
        self.texts.len()
    }
}

/// What reading has seen of one chosen column, in the rows with the right field count.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Seen {
    /// Some value reads as a number (finite or not): the column is numeric.
    number: bool,
    /// The first non-empty value that is not a number: `(line, text id)`.
    first_text: Option<(u64, u64)>,
}

impl Seen {
    /// No value is a number and at least one is not empty.
    pub(crate) fn is_text(&self) -> bool {
        !self.number && self.first_text.is_some()
    }
}

/// A row that may be bad: it has the wrong field count, or a value that is not a finite
/// number (only the end of the file says whether that is text or a mistake).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Suspect {
    pub(crate) row: usize,
    line: u64,
    fields: usize,
}

/// The chosen values of every row read, inputs row-major and the target apart, so that
/// they become the data set's `x` and `y` (see the module docs).
pub(crate) struct Table {
    n_inputs: usize,
    pub(crate) inputs: Vec<f64>,
    pub(crate) target: Vec<f64>,
    pub(crate) texts: Texts,
    /// Per chosen column, inputs then the target.
    pub(crate) seen: Vec<Seen>,
    /// In file order.
    pub(crate) suspects: Vec<Suspect>,
}

impl Table {
    pub(crate) fn new(n_inputs: usize) -> Table {
        Table {
            n_inputs,
            inputs: Vec::new(),
            target: Vec::new(),
            texts: Texts::default(),
            seen: vec![Seen::default(); n_inputs + 1],
            suspects: Vec::new(),
        }
    }

    /// Adds a record read at `line` of a file with `n_fields` columns. A record with the
    /// wrong field count gets placeholder cells, so row `r` is always at `r * n_inputs`.
    pub(crate) fn push(
        &mut self,
        line: u64,
        record: &StringRecord,
        n_fields: usize,
        chosen: &Chosen,
    ) {
        let row = self.target.len();
        let shaped = record.len() == n_fields;
        let mut suspect = !shaped;
        for (j, c) in chosen.columns().enumerate() {
            let v = cell(record.get(c).map_or("", str::trim), &mut self.texts);
            if let Some(id) = text_id(v) {
                suspect = true;
                let seen = &mut self.seen[j];
                if shaped && self.texts.is_numeric(id) {
                    seen.number = true;
                } else if shaped && seen.first_text.is_none() && !self.texts.get(id).is_empty() {
                    seen.first_text = Some((line, id));
                }
            } else if shaped {
                self.seen[j].number = true;
            }
            if j < self.n_inputs {
                self.inputs.push(v);
            } else {
                self.target.push(v);
            }
        }
        if suspect {
            self.suspects.push(Suspect {
                row,
                line,
                fields: record.len(),
            });
        }
    }

    /// The cell of chosen column `j` (inputs, then the target) in row `row`.
    fn cell(&self, row: usize, j: usize) -> f64 {
        if j < self.n_inputs {
            self.inputs[row * self.n_inputs + j]
        } else {
            self.target[row]
        }
    }

    /// The first problem of a suspect row, now that `is_text` is known: its field count,
    /// then each chosen column in order.
    pub(crate) fn check(
        &self,
        file: &str,
        suspect: &Suspect,
        names: &[String],
        chosen: &Chosen,
        is_text: &[bool],
    ) -> Result<(), DataError> {
        let line = suspect.line;
        if suspect.fields != names.len() {
            return Err(DataError::WrongFieldCount {
                file: file.into(),
                line,
                expected: names.len(),
                found: suspect.fields,
            });
        }
        for (j, c) in chosen.columns().enumerate() {
            let Some(id) = text_id(self.cell(suspect.row, j)) else {
                continue;
            };
            let value = self.texts.get(id);
            let problem = if value.is_empty() {
                NumberProblem::Missing
            } else if is_text[j] {
                continue;
            } else if self.texts.is_numeric(id) {
                NumberProblem::NotFinite
            } else {
                NumberProblem::NotANumber
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
        Ok(())
    }

    /// The encoding of text input `j` (named `name`), from the distinct values of the rows
    /// kept (`dropped` lists the others, in order).
    pub(crate) fn encoding(&self, name: &str, j: usize, dropped: &[usize]) -> TextEncoding {
        let mut present = vec![false; self.texts.len()];
        for row in kept(self.target.len(), dropped) {
            if let Some(k) = text_id(self.cell(row, j)).and_then(|id| usize::try_from(id).ok()) {
                if let Some(p) = present.get_mut(k) {
                    *p = true;
                }
            }
        }
        let values = present
            .iter()
            .enumerate()
            .filter(|(_, &p)| p)
            .map(|(k, _)| self.texts.get(k as u64));
        TextEncoding::new(name, values)
    }

    /// The data set's `x` (`width` values per row) and `y` from the rows kept. With every
    /// input numeric and every row kept, the cells already are `x` and `y`; otherwise rows
    /// are encoded and moved down in place when they do not get wider (one-hot), so `x`
    /// is built without a second table beside the first.
    /// For each text seen (by id), its position in `categories`, if it is one.
    pub(crate) fn classes_of_texts(&self, categories: &[String]) -> Vec<Option<usize>> {
        (0..self.texts.len())
            .map(|id| {
                let text = self.texts.get(id as u64);
                categories.iter().position(|c| c == text)
            })
            .collect()
    }

    pub(crate) fn into_columns(
        self,
        encodings: &[Option<TextEncoding>],
        width: usize,
        dropped: &[usize],
    ) -> (Vec<f64>, Vec<f64>) {
        let (k, n_rows) = (self.n_inputs, self.target.len());
        let (mut x, mut y) = (self.inputs, self.target);
        if dropped.is_empty() && encodings.iter().all(Option::is_none) {
            x.shrink_to_fit();
            y.shrink_to_fit();
            return (x, y);
        }
        let in_place = width <= k;
        let mut wider = Vec::new();
        let mut row_out = Vec::with_capacity(width);
        let mut w = 0;
        for r in kept(n_rows, dropped) {
            row_out.clear();
            for (j, enc) in encodings.iter().enumerate() {
                let v = x[r * k + j];
                match enc {
                    Some(enc) => {
                        enc.encode(text_id(v).map_or("", |id| self.texts.get(id)), &mut row_out)
                    }
                    None => row_out.push(v),
                }
            }
            // Row w <= r ends at (w + 1) width <= (r + 1) k, before the rows still unread.
            if in_place {
                x[w * width..(w + 1) * width].copy_from_slice(&row_out);
            } else {
                wider.extend_from_slice(&row_out);
            }
            y[w] = y[r];
            w += 1;
        }
        if in_place {
            x.truncate(w * width);
        } else {
            x = wider;
        }
        y.truncate(w);
        x.shrink_to_fit();
        y.shrink_to_fit();
        (x, y)
    }
}

/// The rows `0..n` not in `dropped` (sorted).
fn kept(n: usize, dropped: &[usize]) -> impl Iterator<Item = usize> + '_ {
    let mut next_dropped = dropped.iter().copied().peekable();
    (0..n).filter(move |&r| {
        if next_dropped.peek() == Some(&r) {
            next_dropped.next();
            false
        } else {
            true
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_numbers_and_text_round_trips_through_the_marker() {
        let mut texts = Texts::default();
        assert_eq!(cell("27.9", &mut texts), 27.9);
        assert_eq!(text_id(cell("-1e3", &mut texts)), None);
        let male = cell("male", &mut texts);
        let nan = cell("NaN", &mut texts);
        let empty = cell("", &mut texts);
        assert_eq!(text_id(male), Some(0));
        assert_eq!(text_id(cell("male", &mut texts)), Some(0));
        assert_eq!(texts.get(text_id(nan).unwrap()), "NaN");
        assert!(texts.is_numeric(text_id(nan).unwrap()) && !texts.is_numeric(0));
        assert_eq!(texts.get(text_id(empty).unwrap()), "");
        assert_eq!(texts.len(), 3);
        // A marker survives being moved around in a vector, bit for bit.
        let moved: Vec<f64> = vec![nan, male];
        assert_eq!(text_id(moved[0]), text_id(nan));
    }
}
