//! How the text and number fields of a CSV column become numbers.
//!
//! A chosen column is *text* when none of its values is a number (a single number among text,
//! or a single word among numbers, is far more likely a typo in a numeric column, which is then
//! reported with its line). A text column with distinct values `v0 < v1 < ...` (sorted by their
//! bytes, so the encoding does not depend on row order) becomes:
//! - with one or two values, one column holding the value's index: `sex: female=0, male=1`;
//! - with three or more, one-hot columns named `column=value` in sorted order, holding 1 in the
//!   column of the row's value and 0 in the others.

/// Why a field is not a usable number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberProblem {
    Missing,
    NotANumber,
    NotFinite,
}

/// Does the field look like a number (including `NaN` and `inf`, which are numbers that are
/// then rejected as not finite)?
pub(crate) fn looks_numeric(field: &str) -> bool {
    field.parse::<f64>().is_ok()
}

/// The field as a finite number. Fields are already trimmed by the reader.
pub(crate) fn parse_number(field: &str) -> Result<f64, NumberProblem> {
    if field.is_empty() {
        return Err(NumberProblem::Missing);
    }
    match field.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(NumberProblem::NotFinite),
        Err(_) => Err(NumberProblem::NotANumber),
    }
}

/// The encoding of one text column: its name and its distinct values, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextEncoding {
    column: String,
    categories: Vec<String>,
}

impl TextEncoding {
    /// From the column's values (any order, repeats allowed). `values` should not be empty.
    pub(crate) fn new<'a>(column: &str, values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut categories: Vec<String> = values.into_iter().map(str::to_string).collect();
        categories.sort();
        categories.dedup();
        TextEncoding {
            column: column.to_string(),
            categories,
        }
    }

    /// From categories already in their order (class labels sorted numerically); the caller
    /// passes distinct values.
    pub(crate) fn from_ordered(column: &str, categories: Vec<String>) -> Self {
        TextEncoding {
            column: column.to_string(),
            categories,
        }
    }

    /// The distinct values in their order (value `k` encodes as `k`, or as one-hot column `k`).
    pub(crate) fn categories(&self) -> &[String] {
        &self.categories
    }

    /// Consumes the encoding, giving its categories.
    pub(crate) fn into_categories(self) -> Vec<String> {
        self.categories
    }

    fn one_hot(&self) -> bool {
        self.categories.len() > 2
    }

    /// The names of the numeric columns this column becomes.
    pub(crate) fn output_names(&self) -> Vec<String> {
        if self.one_hot() {
            self.categories
                .iter()
                .map(|c| format!("{}={c}", self.column))
                .collect()
        } else {
            vec![self.column.clone()]
        }
    }

    /// Appends the numbers for `value`. A value not seen by [`TextEncoding::new`] encodes as
    /// all zeros in one-hot form and as 0 otherwise; the loader only passes values it has seen.
    pub(crate) fn encode(&self, value: &str, out: &mut Vec<f64>) {
        self.encode_index(self.categories.iter().position(|c| c == value), out);
    }

    /// Appends the numbers for category `index` (`None`: all zeros, or 0).
    pub(crate) fn encode_index(&self, index: Option<usize>, out: &mut Vec<f64>) {
        if self.one_hot() {
            out.extend((0..self.categories.len()).map(|k| f64::from(u8::from(index == Some(k)))));
        } else {
            out.push(index.unwrap_or(0) as f64);
        }
    }

    /// The note kept in [`Dataset::encoding`](crate::Dataset::encoding).
    pub(crate) fn note(&self) -> String {
        if self.one_hot() {
            format!(
                "{}: one-hot, {} columns {}",
                self.column,
                self.categories.len(),
                self.output_names().join(", ")
            )
        } else {
            let pairs: Vec<String> = self
                .categories
                .iter()
                .enumerate()
                .map(|(k, c)| format!("{c}={k}"))
                .collect();
            format!("{}: {}", self.column, pairs.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_parsed_and_problems_named() {
        assert_eq!(parse_number("27.9"), Ok(27.9));
        assert_eq!(parse_number("-1e3"), Ok(-1000.0));
        assert_eq!(parse_number(""), Err(NumberProblem::Missing));
        assert_eq!(parse_number("abc"), Err(NumberProblem::NotANumber));
        assert_eq!(parse_number("NaN"), Err(NumberProblem::NotFinite));
        assert_eq!(parse_number("-inf"), Err(NumberProblem::NotFinite));
        assert!(looks_numeric("inf") && looks_numeric("3") && !looks_numeric("male"));
    }

    #[test]
    fn two_values_become_zero_and_one_in_sorted_order() {
        let e = TextEncoding::new("sex", ["male", "female", "male"]);
        assert_eq!(e.output_names(), vec!["sex"]);
        assert_eq!(e.note(), "sex: female=0, male=1");
        let mut out = Vec::new();
        e.encode("male", &mut out);
        e.encode("female", &mut out);
        assert_eq!(out, vec![1.0, 0.0]);
    }

    #[test]
    fn a_single_value_is_zero() {
        let e = TextEncoding::new("smoker", ["no", "no"]);
        assert_eq!(e.note(), "smoker: no=0");
        let mut out = Vec::new();
        e.encode("no", &mut out);
        assert_eq!(out, vec![0.0]);
    }

    #[test]
    fn three_or_more_values_become_one_hot_columns() {
        let e = TextEncoding::new(
            "region",
            ["southwest", "northeast", "southeast", "northwest"],
        );
        assert_eq!(
            e.output_names(),
            vec![
                "region=northeast",
                "region=northwest",
                "region=southeast",
                "region=southwest"
            ]
        );
        let mut out = Vec::new();
        e.encode("southeast", &mut out);
        assert_eq!(out, vec![0.0, 0.0, 1.0, 0.0]);
        assert_eq!(
            e.note(),
            "region: one-hot, 4 columns region=northeast, region=northwest, region=southeast, region=southwest"
        );
    }
}
