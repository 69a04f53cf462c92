//! The experiment catalogue: the course's questions as ready-made sweeps, each with a
//! written report. `nnlab experiment list` names them; `nnlab experiment run NAME` runs one.
//!
//! Every entry is a [`SweepSpec`] (fixed settings on a base [`Experiment`] plus the varied
//! keys) and an [`Extra`] (title, question, extra tables). [`Options::epochs`] shortens every
//! entry (tests and quick looks); [`Options::data`] runs the entries of [`TAKES_DATA`] on the
//! insurance table and is an error for the others.
//!
//! ```
//! use nnlab_lab::experiments::{run_entry, Options};
//! let out = run_entry("symmetry", &Options { epochs: Some(5), ..Options::default() }).unwrap();
//! assert!(out.result.runs.iter().any(|r| !r.diagnostics.is_empty()));
//! ```

use std::path::PathBuf;

pub mod accuracy;

use nnlab_core::course;
use nnlab_report::{num, Table};

use crate::report::{Extra, Report, Section};
use crate::sweep::plots::PLOT_SIZE;
use crate::sweep::{run_sweep_with, Factor, Sink, SweepResult, SweepSpec};
use crate::{Experiment, LabError};

/// Settings that apply to every entry.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Override every run's epochs.
    pub epochs: Option<usize>,
    /// The insurance CSV, for the entries of [`TAKES_DATA`] (else their own data: the
    /// generated rows, or the bundled diabetes table for `real-data`).
    pub data: Option<PathBuf>,
}

/// The entries that run on the insurance table when [`Options::data`] names it. The others
/// are about the course network on its generated data (presets, the generator's settings)
/// and refuse `--data`.
pub const TAKES_DATA: &[&str] = &[
    "learning-rate",
    "dataset-size",
    "optimizer",
    "schedule",
    "seeds",
    "real-data",
];

/// The insurance table's setup: four inputs (the smoker column encoded 0/1), charges as
/// the target, a 4-8-1 network with a linear output, 20% held out.
fn insurance(base: &mut Experiment, path: &std::path::Path) -> Result<(), LabError> {
    set(
        base,
        &[
            ("data", &path.display().to_string()),
            ("inputs", "age,bmi,children,smoker"),
            ("target", "charges"),
            ("arch", "4-8-1"),
            ("activation", "relu,identity"),
            ("test_fraction", "0.2"),
        ],
    )
}

/// One catalogue entry: name, one-line summary.
pub const CATALOGUE: &[(&str, &str)] = &[
    (
        "init-grid",
        "small/medium/high weights × biases: high-high is stuck in every seed, high-medium mostly no better than the mean, small-small and high-small mostly still improving, medium-high learns in half the seeds, the others learn",
    ),
    (
        "symmetry",
        "identical vs unique vs mixed starts: identical neurons stay equal (symmetry fires in every identical run) yet still learn, slightly worse",
    ),
    (
        "learning-rate",
        "lr 0.00005 to 1 on the course's ReLU network and a tanh one: still improving at 0.00005, learned at 0.1, and at lr 1 the ReLUs die (stuck) while the tanh network diverges",
    ),
    (
        "dataset-size",
        "30 to 3000 rows with a 20% test set: the held-out R² rises with the rows",
    ),
    (
        "distribution",
        "uniform vs skewed vs normal inputs: all learn in most seeds; normal inputs reach the highest R²",
    ),
    (
        "input-range",
        "x1 in [0,5) vs [0,20) vs [-50,50): the wider ranges reach a higher R²; [-50,50) is still improving at the end",
    ),
    ("seeds", "50 seeds of the default run: the spread of the loss; most seeds learn, the rest are still improving"),
    (
        "dead-relu",
        "biases of -5 kill every ReLU: every run stuck predicting 0 (dead_relu fires); biases 0.5 learn",
    ),
    (
        "exploding",
        "weights around 100 on a linear network: lr 1 diverges in epoch 1; lr 0.00001 stays finite, still improving in most seeds",
    ),
    (
        "bias-vs-weights",
        "constant weights × biases of 0 or 2: only all-zero is stuck (dead ReLUs); symmetry fires in every run",
    ),
    (
        "schedule",
        "constant vs plateau learning rate at lr 0.05: both learn; the constant rate oscillates more",
    ),
    (
        "optimizer",
        "sgd vs momentum vs adam at lr 0.01: sgd and adam learn, momentum kills the ReLUs in most seeds",
    ),
    (
        "real-data",
        "the bundled diabetes table (10-8-1, held-out R² near 0.47) or the insurance table (--data)",
    ),
    (
        "xor",
        "2-1-1 against 2-2-1 (tanh, sigmoid output, binary cross-entropy) on TF Playground's XOR: one hidden neuron draws one line (median test accuracy 0.67, never 0.9), two reach 0.87",
    ),
    (
        "regularization",
        "L2 rates 0 to 0.003 on a noisy spiral (feature crosses, 7-8-8-1 tanh): the train-test gap (0.125 without) closes as the rate grows, by lowering the training accuracy",
    ),
];

/// What running an entry gives: the sweep and its report.
#[derive(Debug)]
pub struct EntryRun {
    pub result: SweepResult,
    pub report: Report,
}

fn set(e: &mut Experiment, pairs: &[(&str, &str)]) -> Result<(), LabError> {
    for (k, v) in pairs {
        e.set(k, v)?;
    }
    Ok(())
}

fn vary(list: &[&str]) -> Result<Vec<Factor>, LabError> {
    list.iter().map(|v| Factor::parse(v)).collect()
}

/// The sweep and the report extras of entry `name`.
pub fn entry(name: &str, opts: &Options) -> Result<(SweepSpec, Extra), LabError> {
    let mut base = Experiment::default();
    if let Some(path) = &opts.data {
        if CATALOGUE.iter().any(|c| c.0 == name) && !TAKES_DATA.contains(&name) {
            return Err(LabError::Config {
                key: "--data".into(),
                message: format!(
                    "experiment '{name}' runs on its own data; --data is for {}",
                    TAKES_DATA.join(", ")
                ),
            });
        }
        insurance(&mut base, path)?;
    }
    let on_table = opts.data.is_some();
    let mut sections = Vec::new();
    let (title, question, factors): (&str, String, Vec<Factor>) = match name {
        "init-grid" => {
            let names: Vec<&str> = course::PRESETS
                .iter()
                .map(|p| p.0)
                .filter(|n| n.contains('-') && !n.starts_with("course"))
                .collect();
            sections.push(forward_pass_section(&names));
            ("Initialization grid", "How do small, medium and high starting weights and biases change the first prediction and the training that follows? (The high presets start predicting 10.25 to 22.5 for a target of 2.)".into(),
             vary(&[&format!("init={}", names.join(",")), "seed=0..10"])?)
        }
        "symmetry" => ("Symmetry", "Two hidden neurons that start identical get identical gradients, so they stay equal (the symmetry warning): does the network still learn, and how much worse than from unique or mixed starts?".into(),
            vary(&["init=identical,unique,mixed", "seed=0..10"])?),
        "learning-rate" if on_table => ("Learning rate", "Which learning rates learn slowly, well, or not at all on the table?".into(),
            vary(&["lr=0.00005,0.001,0.01,0.1,0.5,1", "seed=0..20"])?),
        "learning-rate" => ("Learning rate", "Which learning rates learn slowly, which learn well, and which fail, on the course's ReLU network and on the same 2-2-1 network with tanh hidden units and a linear output? (At large rates the ReLUs die and the network is stuck; the tanh network overshoots until the loss is non-finite: it diverges.)".into(),
            vary(&["lr=0.00005,0.01,0.1,1", "activation=relu;tanh,identity", "seed=0..20"])?),
        "dataset-size" if on_table => (
            "Dataset size",
            "How does the share of the table trained on (the rest held out) change the loss and the held-out R² and MAPE?".into(),
            vary(&["test_fraction=0.8,0.5,0.2", "seed=0..10"])?,
        ),
        "dataset-size" => {
            set(&mut base, &[("test_fraction", "0.2")])?;
            ("Dataset size", "How do more rows change the loss and the held-out R² and MAPE (20% test set)?".into(),
             vary(&["rows=30,100,300,500,3000", "seed=0..10"])?)
        }
        "distribution" => ("Input distribution", "Does the shape of the input distribution change what the network learns?".into(),
            vary(&["distribution=uniform,skewed,normal", "seed=0..10"])?),
        "input-range" => ("Input range", "Does a wider or signed x1 range make y = x1² + x2 harder to fit?".into(),
            vary(&["x1=0,5;0,20;-50,50", "seed=0..10"])?),
        "seeds" => ("Seeds", "How much does the final loss vary over 50 seeds of the same settings, and how many of them learn?".into(),
            vary(&["seed=0..50"])?),
        "dead-relu" => ("Dead ReLUs", "With biases of -5 every hidden z is negative on the scaled inputs, so the ReLUs output 0 and get no gradient: does every run get stuck, while biases of 0.5 learn?".into(),
            vary(&["biases=const:-5,const:0.5", "seed=0..5"])?),
        "exploding" => {
            // With ReLUs the huge first steps push every unit negative and the network dies
            // instead of diverging (checked: relu,identity at lr 1 ends finite), so the
            // network is linear here.
            set(&mut base, &[("activation", "identity"), ("weights", "normal:100,10")])?;
            ("Exploding", "Weights around 100 on a linear (identity) network: does lr 1 overshoot until the loss is non-finite, and does lr 0.00001 survive? (A ReLU network would die rather than diverge.)".into(),
             vary(&["lr=0.00001,1", "seed=0..5"])?)
        }
        "bias-vs-weights" => ("Biases vs weights", "Starting from constant weights (0 or 2) and constant biases (0 or 2), each combination: which can learn and which stay stuck? (Constant weights make the two hidden neurons identical, so symmetry fires in every run.)".into(),
            vary(&["weights=const:0,const:2", "biases=const:2,const:0", "seed=0..5"])?),
        "schedule" => {
            set(&mut base, &[("lr", "0.05")])?;
            ("Learning-rate schedule", "At lr 0.05, does reducing the learning rate on a plateau beat a constant rate?".into(),
             vary(&["schedule=constant,plateau", "seed=0..10"])?)
        }
        "optimizer" => ("Optimizer", "Plain SGD vs momentum vs Adam on the course network at lr 0.01: which learn, and which kill the ReLUs?".into(),
            vary(&["optimizer=sgd,momentum,adam", "seed=0..10"])?),
        "real-data" => {
            if !on_table {
                set(&mut base, &[("data", "builtin:diabetes"), ("arch", "10-8-1"), ("activation", "relu,identity"), ("test_fraction", "0.2")])?;
            }
            ("Real data", format!("A small network on {}: how well does it predict held-out rows?", base.data.source),
             vary(&["lr=0.001,0.01", "seed=0..5"])?)
        }
        "xor" => {
            set(&mut base, &[("data", "generate:xor"), ("rows", "200"), ("activation", "tanh,sigmoid"), ("loss", "binary_cross_entropy"), ("test_fraction", "0.3"), ("lr", "0.1")])?;
            ("XOR", "Can a network with one hidden neuron separate XOR's classes (opposite quadrants), and can one with two? (Binary cross-entropy on a sigmoid output; accuracy on 30% held-out rows.)".into(),
             vary(&["arch=2-1-1,2-2-1", "seed=0..10"])?)
        }
        "regularization" => {
            set(&mut base, &[("data", "generate:spiral"), ("rows", "200"), ("noise", "0.5"), ("features", "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)"), ("arch", "7-8-8-1"), ("activation", "tanh,tanh,sigmoid"), ("loss", "binary_cross_entropy"), ("test_fraction", "0.5"), ("lr", "0.03"), ("epochs", "1000")])?;
            ("L2 regularization", "On a noisy spiral (TF Playground's feature crosses as inputs, half the rows held out), how do L2 rates change the train and the test accuracy? (A network that fits the noise has a high train and a lower test accuracy; L2 keeps the weights small.)".into(),
             vary(&["l2=0,0.0003,0.001,0.003", "seed=0..4"])?)
        }
        other => {
            return Err(LabError::Config {
                key: "experiment".into(),
                message: format!(
                    "unknown experiment '{other}' (known: {})",
                    CATALOGUE.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
                ),
            })
        }
    };
    let mut rerun = format!("nnlab experiment run {name}");
    let mut note = None;
    if let Some(e) = opts.epochs {
        let full = base.train.epochs;
        base.set("epochs", &e.to_string())?;
        if e != full {
            rerun.push_str(&format!(" --epochs {e}"));
            note = Some(format!(
                "Shortened: every run trains for {e} epochs instead of the entry's {full} (`--epochs {e}`), so the numbers are rougher than the full entry's."
            ));
        }
    }
    if let Some(path) = &opts.data {
        rerun.push_str(&format!(" --data {}", path.display()));
    }
    let spec = SweepSpec {
        base,
        vary: factors,
    };
    spec.validate()?;
    Ok((
        spec,
        Extra {
            title: format!("{title} ({name})"),
            question,
            note,
            rerun,
            sections,
        },
    ))
}

/// The course's forward pass at the start for each preset, on input (1, 0) with target 2:
/// `y_hat` and the squared error `(y_hat - 2)²`.
fn forward_pass_section(names: &[&str]) -> Section {
    let mut t = Table::new(&["preset", "y_hat", "loss (y_hat - 2)²"]);
    for n in names {
        if let Some((w, b)) = course::preset(n) {
            let y_hat = course::CourseParams { w, b }.predict(1.0, 0.0);
            t.push(vec![
                n.to_string(),
                num(y_hat),
                num((y_hat - 2.0) * (y_hat - 2.0)),
            ]);
        }
    }
    Section {
        heading: "Forward pass at the start".into(),
        intro: "Each preset's prediction for the course's example x = (1, 0), target 2, before any training (unscaled).".into(),
        table: t,
    }
}

/// Runs entry `name` and builds its report.
pub fn run_entry(name: &str, opts: &Options) -> Result<EntryRun, LabError> {
    run_entry_with(name, opts, None)
}

/// [`run_entry`], handing each finished run's details to `sink` (see
/// [`crate::sweep::run_sweep_with`]).
pub fn run_entry_with(
    name: &str,
    opts: &Options,
    sink: Option<Sink>,
) -> Result<EntryRun, LabError> {
    let (spec, extra) = entry(name, opts)?;
    let result = run_sweep_with(&spec, None, sink)?;
    let mut report = Report::of_sweep(&result, Some(extra));
    // The classification entries judge by accuracy: their table, and their conclusion
    // before the generic answer.
    let conclusion: Option<fn(&[accuracy::AccuracyRow]) -> String> = match name {
        "xor" => Some(accuracy::xor_conclusion),
        "regularization" => Some(accuracy::regularization_conclusion),
        _ => None,
    };
    if let Some(conclude) = conclusion {
        let rows = accuracy::accuracy_rows(&result);
        report.answer = format!("{} {}", conclude(&rows), report.answer);
        report.sections.push(accuracy::accuracy_section(&rows));
    }
    Ok(EntryRun { result, report })
}

/// The files of entry `name`'s example in `docs/examples/<name>/`: `report.md` and the PNG
/// plots it links, as `(file name, bytes)`, from the full entry (all of them together take
/// about 20 s in a debug build). The bytes are the same on every machine and thread count
/// (the sweep's records are, and so is the drawing).
pub fn example_files(name: &str) -> Result<Vec<(String, Vec<u8>)>, LabError> {
    let ran = run_entry(name, &Options::default())?;
    let mut files = vec![(
        "report.md".to_string(),
        crate::report::render_markdown(&ran.report).into_bytes(),
    )];
    for (stem, chart) in &ran.report.charts {
        files.push((
            format!("{stem}.png"),
            chart.to_png(PLOT_SIZE.0, PLOT_SIZE.1)?,
        ));
    }
    Ok(files)
}
