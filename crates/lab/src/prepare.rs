//! The first stage of a run: the rows it trains on. Load (generated with the data seed, a
//! bundled table, a CSV file, or CSV text handed over by the caller) → class targets for a
//! cross-entropy loss ([`targets_for_loss`]) → feature crosses (`data.features`, on the
//! unscaled values) → split (the data seed picks the test rows) → fit the scaler on the
//! training rows → scale both sets (a class target is never scaled).
//!
//! Every face prepares its data here: `nnlab train` and experiments through [`crate::run`],
//! sweeps once per distinct data set, and the playground with the text of an uploaded CSV
//! ([`CsvText`]), so a session steps over exactly the rows `nnlab train` would use.
//!
//! ```
//! use nnlab_lab::{Experiment, Prepared};
//! let p = Prepared::new(&Experiment::default(), None).unwrap();
//! assert_eq!((p.train.n_rows(), p.test.is_none()), (100, true));
//! // min-max scaling maps the training target into [0, 1].
//! assert!(p.train.y.iter().all(|y| (0.0..=1.0).contains(y)));
//! ```

use nnlab_core::{LinearFit, Loss};
use nnlab_data::{
    load_csv_from_reader, split_owned, CsvOptions, DataSource, Dataset, Generator, LoadReport,
    Pattern, Scaler,
};

use crate::config::{Experiment, Source};
use crate::result::DataSummary;
use crate::LabError;

/// The text of a CSV the caller already holds (an upload): one more data source beside
/// `generate`, `builtin:NAME` and a CSV path. The experiment's `data.source` is then the
/// name the text goes by (in messages and in [`DataSummary::source`]); `data.inputs`,
/// `data.target` and `data.skip_bad_rows` choose its columns as for a file.
#[derive(Debug, Clone, Copy)]
pub struct CsvText<'a>(pub &'a str);

/// The rows of a run after loading, before splitting and scaling.
pub struct LoadedData {
    pub all: Dataset,
    pub report: LoadReport,
}

/// The rows in the target's original units, as loaded and split.
#[derive(Debug, Clone, PartialEq)]
pub struct Original {
    pub train: Dataset,
    pub test: Option<Dataset>,
}

/// A run's data, ready to train on.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The training rows, scaled.
    pub train: Dataset,
    /// The test rows, scaled with the training rows' scaler (`None` for `test_fraction = 0`).
    pub test: Option<Dataset>,
    /// The same rows in original units; `None` when prepared without them
    /// ([`Prepared::from_loaded`] with `keep_original` off), so a large table is held once.
    pub original: Option<Original>,
    /// Fitted on the training rows only.
    pub scaler: Scaler,
    pub summary: DataSummary,
    /// R² on the judged set (the test rows when there are any, else the training rows) of
    /// the least-squares straight line fitted on the training rows: the baseline a verdict
    /// compares a run with (`None` when there is no unique line, e.g. collinear inputs).
    pub linear_r2: Option<f64>,
}

/// The experiment's data source with the configuration's columns and generator filled in.
pub fn data_source(exp: &Experiment) -> Result<DataSource, LabError> {
    let exp = exp.resolved();
    let generator = &exp.data.generator;
    let source = match &exp.data.source {
        Source::Generate(pattern) => {
            check_noise(*pattern, generator)?;
            return Ok(match pattern {
                Pattern::Quadratic => DataSource::Generate(generator.clone()),
                two_class => DataSource::TwoClass(generator.two_class(*two_class)),
            });
        }
        other => other.to_string().parse::<DataSource>()?,
    };
    Ok(match source {
        DataSource::Csv { path, .. } => {
            let (inputs, target) = csv_columns(&exp, &path.display().to_string())?;
            DataSource::Csv {
                path,
                inputs,
                target,
                skip_bad_rows: exp.data.skip_bad_rows,
            }
        }
        // Columns left empty take the table's own (`insurance`: age, bmi, children, smoker).
        DataSource::Builtin { name, .. } => DataSource::Builtin {
            name,
            inputs: exp.data.inputs.clone(),
            target: exp.data.target.clone(),
        },
        generated => generated,
    })
}

/// `--noise` is one option for two settings (see its key): a range for the quadratic rows,
/// one number for the two-class sets. The other form, given, would be ignored: refuse it.
fn check_noise(pattern: Pattern, generator: &Generator) -> Result<(), LabError> {
    let default = Generator::default();
    let message = if pattern.is_two_class() && generator.noise != default.noise {
        format!(
            "--noise takes one number from 0 to {} for generate:{pattern} (TF Playground's noise), not the range {}",
            nnlab_data::MAX_CLASS_NOISE,
            generator.noise
        )
    } else if !pattern.is_two_class() && generator.class_noise != default.class_noise {
        format!(
            "--noise takes a range LO,HI for generate (the noise added to y); one number ({}) is the noise of generate:circle|xor|gauss|spiral",
            generator.class_noise
        )
    } else {
        return Ok(());
    };
    Err(LabError::Config {
        key: "noise".into(),
        message,
    })
}

/// The target as the loss needs it. A cross-entropy makes integer labels classes (text
/// labels are classes already) and needs the matching number: two classes (one 0/1 target)
/// for `binary_cross_entropy`, more (one-hot) for `categorical_cross_entropy`. A regression
/// loss refuses class labels (a text target).
pub fn targets_for_loss(data: Dataset, loss: Loss) -> Result<Dataset, LabError> {
    let refuse = |message: String| {
        Err(LabError::Config {
            key: "loss".into(),
            message,
        })
    };
    let listed = |classes: &[String]| format!("{} classes: {}", classes.len(), classes.join(", "));
    if !loss.is_classification() {
        return match data.classes() {
            Some(classes) => refuse(format!(
                "'{loss}' is a regression loss, but the target '{}' (--target) holds class labels ({}); use --loss binary_cross_entropy for 2 classes, categorical_cross_entropy for more",
                data.target_name,
                listed(classes)
            )),
            None => Ok(data),
        };
    }
    let data = data.into_classes()?;
    let classes = data.classes().unwrap_or_default();
    let (binary, wanted) = (loss == Loss::BinaryCrossEntropy, classes.len() == 2);
    if binary != wanted {
        let instead = if wanted {
            "binary_cross_entropy (one sigmoid output)"
        } else {
            "categorical_cross_entropy (one softmax output per class)"
        };
        return refuse(format!(
            "--loss {loss} does not fit the target '{}' (--target) with {}; use --loss {instead}",
            data.target_name,
            listed(classes)
        ));
    }
    Ok(data)
}

/// The chosen columns of a CSV named `name`; an error naming the options when either is
/// missing.
fn csv_columns(exp: &Experiment, name: &str) -> Result<(Vec<String>, String), LabError> {
    if exp.data.target.is_empty() || exp.data.inputs.is_empty() {
        return Err(LabError::Config {
            key: "data".into(),
            message: format!(
                "a CSV needs its columns: give --inputs COL,COL and --target COL for {name}"
            ),
        });
    }
    Ok((exp.data.inputs.clone(), exp.data.target.clone()))
}

/// Whether `a` and `b` load the same rows given the same data seed: the same data settings,
/// and a loss that [`targets_for_loss`] treats alike (any two regression losses; a
/// cross-entropy only as itself, since the two check the number of classes differently).
pub fn same_rows(a: &Experiment, b: &Experiment) -> bool {
    let (la, lb) = (a.train.loss, b.train.loss);
    a.data == b.data
        && match la.is_classification() || lb.is_classification() {
            true => la == lb,
            false => true,
        }
}

/// Loads the experiment's data (generated with the data seed, a CSV, or a bundled table).
pub fn load_data(exp: &Experiment) -> Result<LoadedData, LabError> {
    load(exp, None)
}

/// Loads the experiment's data, or with `csv` the given CSV text under the name
/// `data.source` (which must then not be `generate` or `builtin:NAME`).
pub fn load(exp: &Experiment, csv: Option<CsvText>) -> Result<LoadedData, LabError> {
    let (all, report) = match csv {
        None => data_source(exp)?.load()?,
        Some(CsvText(text)) => {
            let name = exp.data.source.to_string();
            let name = name.as_str();
            if !matches!(exp.data.source, Source::Csv(_)) {
                return Err(LabError::Config {
                    key: "data.source".into(),
                    message: format!(
                        "CSV text was given but data.source is '{name}'; name the CSV instead"
                    ),
                });
            }
            let (inputs, target) = csv_columns(exp, name)?;
            let options = CsvOptions {
                inputs,
                target,
                skip_bad_rows: exp.data.skip_bad_rows,
            };
            load_csv_from_reader(text.as_bytes(), name, &options)?
        }
    };
    let all = targets_for_loss(all, exp.train.loss)?.with_features(&exp.data.features)?;
    Ok(LoadedData { all, report })
}

impl Prepared {
    /// Loads, splits and scales the experiment's data (or `csv`, see [`load`]), keeping the
    /// rows in original units for the predictions.
    pub fn new(exp: &Experiment, csv: Option<CsvText>) -> Result<Prepared, LabError> {
        Prepared::from_loaded(exp, load(exp, csv)?, true)
    }

    /// Splits and scales rows already loaded (sweeps load each distinct data set once).
    /// Without `keep_original` the loaded table becomes the training set: split, then
    /// scaled, where it is.
    pub fn from_loaded(
        exp: &Experiment,
        loaded: LoadedData,
        keep_original: bool,
    ) -> Result<Prepared, LabError> {
        let (data_seed, _, _) = exp.seeds();
        let LoadedData { all, report } = loaded;
        let mut summary = DataSummary {
            rows: all.n_rows(),
            rows_skipped: report.rows_skipped,
            source: all.source.clone(),
            inputs: all.input_names.clone(),
            target: all.target_name.clone(),
            encoding: all.encoding.clone(),
            classes: all.classes().map(<[String]>::to_vec).unwrap_or_default(),
            train_rows: 0,
            test_rows: 0,
        };
        let (train_raw, test_raw) = split_owned(all, exp.data.test_fraction, data_seed)?;
        let scaler = Scaler::fit(&train_raw, exp.data.scale)?;
        let (train, train_raw) = scaled(&scaler, train_raw, keep_original)?;
        let (test, test_raw) = match test_raw {
            Some(t) => {
                let (set, raw) = scaled(&scaler, t, keep_original)?;
                (Some(set), raw)
            }
            None => (None, None),
        };
        summary.train_rows = train.n_rows();
        summary.test_rows = test.as_ref().map_or(0, Dataset::n_rows);
        let judged = test.as_ref().unwrap_or(&train);
        let linear_r2 = LinearFit::fit(&train.x, &train.y, train.n_inputs())
            .map(|f| f.r2(&judged.x, &judged.y))
            .filter(|r2| r2.is_finite());
        Ok(Prepared {
            linear_r2,
            original: train_raw.map(|train| Original {
                train,
                test: test_raw,
            }),
            train,
            test,
            scaler,
            summary,
        })
    }

    /// The rows in original units; an error when they were not kept.
    pub fn original(&self) -> Result<&Original, LabError> {
        self.original.as_ref().ok_or_else(|| LabError::Config {
            key: "data".into(),
            message: "the rows in original units were not kept (prepared without them)".into(),
        })
    }
}

/// A set in scaled units, with the same rows in original units when they are kept: the one
/// copy a run makes of its data. Without, the rows are scaled where they are.
fn scaled(
    scaler: &Scaler,
    raw: Dataset,
    keep_raw: bool,
) -> Result<(Dataset, Option<Dataset>), LabError> {
    if keep_raw {
        Ok((scaler.transform(&raw)?, Some(raw)))
    } else {
        let mut set = raw;
        scaler.transform_in_place(&mut set)?;
        Ok((set, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Sweeps share rows between runs only when these agree: the xor set's 0/1 targets are
    // numbers under squared error and classes under binary cross-entropy.
    #[test]
    fn rows_are_shared_only_across_losses_that_read_the_targets_alike() {
        let with = |loss: &str| {
            let mut e = Experiment::default();
            e.set("data", "generate:xor").unwrap();
            e.set("loss", loss).unwrap();
            e
        };
        assert!(same_rows(&with("squared_error"), &with("huber:2")));
        assert!(!same_rows(&with("squared_error"), &with("bce")));
        assert!(!same_rows(&with("bce"), &with("cce")));
        assert!(same_rows(&with("bce"), &with("binary_cross_entropy")));
        let mut other = with("bce");
        other.set("features", "x1,x1^2").unwrap();
        assert!(!same_rows(&with("bce"), &other));
        let rows = |e: &Experiment| load_data(e).unwrap().all;
        assert_ne!(rows(&with("squared_error")), rows(&with("bce")));
    }
}
