//! [`DataSource`]: where a run's data comes from, as written in a config file or a `--data` flag.
//!
//! In TOML (a table with a `kind`):
//! ```toml
//! [data]
//! kind = "generate"        # the generator's fields follow, all optional
//! rows = 200
//! x1 = [-50, 50]
//! ```
//! or `kind = "two_class"` with `pattern` (`circle`, `xor`, `gauss`, `spiral`), `rows`,
//! `noise` and `seed`, or `kind = "csv"` with `path`, `inputs`, `target` and optionally
//! `skip_bad_rows`, or `kind = "builtin"` with `name` and optionally `inputs` and `target`
//! (else the table's own). As a flag value: `generate` (also `generate:quadratic`),
//! `generate:circle`, `generate:xor`, `generate:gauss`, `generate:spiral` (100 rows, noise 0,
//! seed 0), `builtin:NAME` (`builtin:insurance`, `builtin:diabetes`, `builtin:course`,
//! `builtin:penguins`), or a path (a CSV file, whose inputs and target are then set
//! separately).
//!
//! ```
//! use nnlab_data::DataSource;
//! let source: DataSource = "builtin:diabetes".parse().unwrap();
//! let (d, report) = source.load().unwrap();
//! assert_eq!((d.n_rows(), report.rows_read, report.rows_skipped), (442, 442, 0));
//! let (d, _) = "builtin:insurance".parse::<DataSource>().unwrap().load().unwrap();
//! assert_eq!((d.n_rows(), d.target_name.as_str()), (1338, "charges"));
//! let generated: DataSource = "generate".parse().unwrap();
//! assert_eq!(generated.load().unwrap().0.n_rows(), 100);
//! let (xor, _) = "generate:xor".parse::<DataSource>().unwrap().load().unwrap();
//! assert!(xor.y.iter().all(|&y| y == 0.0 || y == 1.0));
//! ```

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{
    builtin_columns, builtin_table, load_csv, CsvOptions, DataError, Dataset, Generator,
    LoadReport, Pattern, TwoClass,
};

/// Where data comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum DataSource {
    /// The course's generator.
    Generate(Generator),
    /// One of TF Playground's two-class sets.
    #[serde(rename = "two_class")]
    TwoClass(TwoClass),
    /// A CSV file with a header; columns chosen by name.
    Csv {
        path: PathBuf,
        #[serde(default)]
        inputs: Vec<String>,
        #[serde(default)]
        target: String,
        #[serde(default)]
        skip_bad_rows: bool,
    },
    /// A table shipped with the program (see [`BUILTIN_TABLES`](crate::BUILTIN_TABLES)); empty
    /// `inputs` or `target` take the table's own.
    Builtin {
        name: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        inputs: Vec<String>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        target: String,
    },
}

impl Default for DataSource {
    fn default() -> DataSource {
        DataSource::Generate(Generator::default())
    }
}

impl DataSource {
    /// Reads or generates the rows. For generated and built-in data every row is kept.
    pub fn load(&self) -> Result<(Dataset, LoadReport), DataError> {
        let all_kept = |d: Dataset| {
            let report = LoadReport {
                rows_read: d.n_rows(),
                ..LoadReport::default()
            };
            (d, report)
        };
        match self {
            DataSource::Generate(g) => g.generate().map(all_kept),
            DataSource::TwoClass(t) => t.generate().map(all_kept),
            DataSource::Builtin {
                name,
                inputs,
                target,
            } => builtin_columns(name, inputs, target).map(all_kept),
            DataSource::Csv {
                path,
                inputs,
                target,
                skip_bad_rows,
            } => load_csv(
                path,
                &CsvOptions {
                    inputs: inputs.clone(),
                    target: target.clone(),
                    skip_bad_rows: *skip_bad_rows,
                },
            ),
        }
    }
}

impl FromStr for DataSource {
    type Err = DataError;

    /// `generate` or `generate:quadratic` (the default generator), `generate:PATTERN` (a
    /// two-class set with 100 rows, noise 0, seed 0), `builtin:NAME` (checked now, with the
    /// table's own columns), or a CSV path with no columns chosen yet.
    fn from_str(s: &str) -> Result<DataSource, DataError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(DataError::EmptySource);
        }
        if s == "generate" {
            return Ok(DataSource::default());
        }
        if let Some(name) = s.strip_prefix("generate:") {
            return Ok(match name.parse::<Pattern>()? {
                Pattern::Quadratic => DataSource::default(),
                pattern => DataSource::TwoClass(Generator::default().two_class(pattern)),
            });
        }
        if let Some(name) = s.strip_prefix("builtin:") {
            // Fail at parse time, so a typo is reported before anything runs.
            builtin_table(name)?;
            return Ok(DataSource::Builtin {
                name: name.into(),
                inputs: Vec::new(),
                target: String::new(),
            });
        }
        Ok(DataSource::Csv {
            path: PathBuf::from(s),
            inputs: Vec::new(),
            target: String::new(),
            skip_bad_rows: false,
        })
    }
}

impl fmt::Display for DataSource {
    /// The flag spelling: `generate`, `generate:PATTERN`, `builtin:NAME` or the path.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataSource::Generate(_) => f.write_str("generate"),
            DataSource::TwoClass(t) => write!(f, "generate:{}", t.pattern),
            DataSource::Builtin { name, .. } => write!(f, "builtin:{name}"),
            DataSource::Csv { path, .. } => write!(f, "{}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Range;

    #[derive(Deserialize)]
    struct Config {
        data: DataSource,
    }

    fn parse(toml_text: &str) -> Result<DataSource, toml::de::Error> {
        toml::from_str::<Config>(toml_text).map(|c| c.data)
    }

    #[test]
    fn flag_values_parse() {
        assert_eq!(
            "generate".parse::<DataSource>().unwrap(),
            DataSource::default()
        );
        assert_eq!(
            "builtin:diabetes".parse::<DataSource>().unwrap(),
            DataSource::Builtin {
                name: "diabetes".into(),
                inputs: Vec::new(),
                target: String::new(),
            }
        );
        let csv: DataSource = "../data/insurance.csv".parse().unwrap();
        assert_eq!(csv.to_string(), "../data/insurance.csv");
        assert!(matches!(csv, DataSource::Csv { ref inputs, .. } if inputs.is_empty()));
        let e = "builtin:iris"
            .parse::<DataSource>()
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "unknown built-in data set 'iris' (available: diabetes, insurance, course, penguins)"
        );
        assert!(matches!(
            " ".parse::<DataSource>(),
            Err(DataError::EmptySource)
        ));
        assert_eq!(
            "generate:quadratic".parse::<DataSource>().unwrap(),
            DataSource::default()
        );
        let spiral: DataSource = "generate:spiral".parse().unwrap();
        assert_eq!(spiral.to_string(), "generate:spiral");
        assert!(matches!(&spiral, DataSource::TwoClass(t) if t.rows == 100 && t.noise == 0.0));
        assert!("generate:moons"
            .parse::<DataSource>()
            .unwrap_err()
            .to_string()
            .contains("'generate:moons'"));
    }

    #[test]
    fn toml_tables_parse_with_the_generator_defaults() {
        let g = parse("[data]\nkind = \"generate\"\nrows = 200\nx1 = [-50, 50]").unwrap();
        let expected = Generator {
            rows: 200,
            x1: Range::new(-50.0, 50.0),
            ..Generator::default()
        };
        assert_eq!(g, DataSource::Generate(expected));
        let c = parse("[data]\nkind = \"csv\"\npath = \"a.csv\"\ninputs = [\"age\", \"bmi\"]\ntarget = \"charges\"").unwrap();
        assert_eq!(
            c,
            DataSource::Csv {
                path: "a.csv".into(),
                inputs: vec!["age".into(), "bmi".into()],
                target: "charges".into(),
                skip_bad_rows: false
            }
        );
        assert!(parse("[data]\nkind = \"builtin\"\nname = \"diabetes\"\nextra = 1").is_err());
        let b =
            parse("[data]\nkind = \"builtin\"\nname = \"insurance\"\ninputs = [\"age\", \"sex\"]")
                .unwrap();
        let (d, _) = b.load().unwrap();
        // Line 2 of insurance.csv: 19,female,...,16884.924 (sex encoded female=0, male=1).
        assert_eq!((d.row(0), d.y[0]), (&[19.0, 0.0][..], 16884.924));
        assert!(parse("[data]\nkind = \"generate\"\nrow = 5").is_err());
        assert!(parse("[data]\nkind = \"sql\"").is_err());
    }

    #[test]
    fn sources_round_trip_through_json() {
        for s in [
            DataSource::default(),
            "builtin:diabetes".parse().unwrap(),
            DataSource::Builtin {
                name: "insurance".into(),
                inputs: vec!["age".into()],
                target: "bmi".into(),
            },
            "x.csv".parse().unwrap(),
            "generate:gauss".parse().unwrap(),
        ] {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(
                serde_json::from_str::<DataSource>(&json).unwrap(),
                s,
                "{json}"
            );
        }
    }

    #[test]
    fn a_missing_file_is_named_in_the_error() {
        let source = DataSource::Csv {
            path: "/nonexistent/nnlab.csv".into(),
            inputs: vec!["a".into()],
            target: "b".into(),
            skip_bad_rows: false,
        };
        let e = source.load().unwrap_err().to_string();
        assert!(
            e.starts_with("cannot read '/nonexistent/nnlab.csv': "),
            "{e}"
        );
    }
}
