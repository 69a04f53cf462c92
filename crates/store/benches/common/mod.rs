//! What the store's benches share.

use nnlab_lab::sweep::SweepSpec;
use nnlab_lab::Experiment;

/// The issue-4 sweep: 10 learning rates × 100 seeds of the course network, 300 epochs, on
/// the default 100 generated rows, or on `rows` rows as a third (single-valued) varied key.
pub fn course_sweep(rows: Option<usize>) -> SweepSpec {
    let mut vary = vec![
        "lr=0.0005,0.001,0.002,0.005,0.01,0.02,0.05,0.1,0.2,0.5".to_string(),
        "seed=0..100".to_string(),
    ];
    vary.extend(rows.map(|r| format!("rows={r}")));
    SweepSpec::parse(Experiment::default(), &vary).expect("a valid sweep")
}
