//! Tests of the sweep writer's rows (their types are private to [`super`]).

use super::*;
use nnlab_lab::Experiment;

/// A run's row names its grid index when the spec is stored, and otherwise carries its
/// configuration's texts, rebuilt from the writer's spec (what `nnlab train` would save).
#[test]
fn a_row_keeps_the_index_or_the_configuration_rebuilt_from_the_spec() {
    let details = crate::chunk::tests::details("3", "lr=0.01,0.2");
    let d = &details[1];
    let mut base = Experiment::default();
    base.set("rows", "10").unwrap();
    base.set("epochs", "3").unwrap();
    let spec = SweepSpec::parse(base, &["lr=0.01,0.2".into()]).unwrap();
    let mut tags = Tags {
        experiment: None,
        sweep: "s".into(),
        sweep_ref: Some(7),
        spec: spec.clone(),
        dir: PathBuf::new(),
        planned: 2,
    };
    let row = Row::of(d, &tags, &mut Times::default()).unwrap();
    assert_eq!((row.index, row.config.is_none()), (Some(1), true));
    tags.sweep_ref = None;
    let row = Row::of(d, &tags, &mut Times::default()).unwrap();
    let exp = spec.experiment(&spec.point(1)).unwrap();
    let (toml, _) = row.config.unwrap();
    assert!(toml.contains("lr = 0.2"), "{toml}");
    assert_eq!(toml, exp.to_toml().unwrap());
    assert_eq!((row.index, row.seeds), (None, exp.seeds()));
}
