//! `runs import`: the stores of a sharded sweep merged into one, every run once, each read
//! back bit for bit; a store imported twice or into itself adds nothing; two identical runs
//! of one store both arrive; running runs are left out; a missing store is an error.

use std::path::Path;

use nnlab_lab::sweep::{run_sweep_with, Shard, SweepSpec};
use nnlab_lab::{run, Experiment};
use nnlab_store::clock::now_rfc3339;
use nnlab_store::{Filter, RunRecord, Store, StoreError, StoredRun, SweepWriter};

/// 12 runs (2 rates × 6 seeds) of the course network on 20 rows, 30 epochs, 20% held out
/// (so the histories have test losses too).
fn spec() -> SweepSpec {
    let mut base = Experiment::default();
    base.set("rows", "20").unwrap();
    base.set("epochs", "30").unwrap();
    base.set("test_fraction", "0.2").unwrap();
    SweepSpec::parse(base, &["lr=0.01,0.1".into(), "seed=0..6".into()]).unwrap()
}

/// Shard `k` of 2 of [`spec`] recorded into a store of its own, as one cluster task would.
fn shard_store(dir: &Path, k: usize) -> std::path::PathBuf {
    let path = dir.join(format!("shard{k}.sqlite"));
    let shard = Some(Shard { k, n: 2 });
    let writer = SweepWriter::start(&path, None, &format!("sweep-{k}"), &spec(), shard).unwrap();
    run_sweep_with(&spec(), shard, Some(&|runs| writer.add(runs))).unwrap();
    writer.finish().unwrap();
    path
}

fn all(store: &Store) -> Vec<StoredRun> {
    let mut runs: Vec<StoredRun> = store
        .list(&Filter::default())
        .unwrap()
        .iter()
        .map(|r| store.get(r.id).unwrap())
        .collect();
    runs.sort_by(|a, b| {
        (&a.summary.sweep, &a.config_toml).cmp(&(&b.summary.sweep, &b.config_toml))
    });
    runs
}

/// A run as compared across stores: everything but its id, the history as bits.
fn content(r: &StoredRun) -> (StoredRun, Vec<(u64, Option<u64>, u64)>) {
    let mut r = r.clone();
    r.summary.id = 0;
    let bits = r
        .history
        .iter()
        .map(|h| {
            (
                h.train_loss.to_bits(),
                h.test_loss.map(f64::to_bits),
                h.lr.to_bits(),
            )
        })
        .collect();
    (r, bits)
}

#[test]
fn the_stores_of_a_sharded_sweep_merge_into_one_every_run_once_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (shard_store(dir.path(), 1), shard_store(dir.path(), 2));
    let merged = dir.path().join("merged.sqlite");
    let mut store = Store::open(&merged).unwrap();

    // 12 runs, split 6 and 6 by `i % 2` (see `Shard`).
    let first = store.import(&a).unwrap();
    let second = store.import(&b).unwrap();
    assert_eq!((first.added.len(), first.present), (6, 0));
    assert_eq!((second.added.len(), second.present), (6, 0));
    // New ids of this store, one per run.
    let ids: Vec<i64> = first.added.iter().chain(&second.added).copied().collect();
    assert_eq!(ids, (1..=12).collect::<Vec<_>>());

    let mut sources: Vec<StoredRun> = all(&Store::open(&a).unwrap());
    sources.extend(all(&Store::open(&b).unwrap()));
    let got: Vec<_> = all(&store).iter().map(content).collect();
    let want: Vec<_> = sources.iter().map(content).collect();
    assert_eq!(got.len(), 12);
    assert_eq!(got, want);
    assert!(got.iter().all(|(r, _)| r.history.len() == 30));
    assert!(got.iter().all(|(r, _)| r.history[0].test_loss.is_some()));
    // The shards' sweep tags are kept: `runs list --sweep sweep-2` lists shard 2's runs.
    let f = Filter {
        sweep: Some("sweep-2".into()),
        ..Filter::default()
    };
    assert_eq!(store.list(&f).unwrap().len(), 6);

    // Again, and the merged store into itself: nothing new.
    for source in [&a, &b, &merged] {
        let again = store.import(source).unwrap();
        assert_eq!(
            (again.added.len(), again.present),
            (0, 6 + 6 * (source == &merged) as usize)
        );
    }
    assert_eq!(store.list(&Filter::default()).unwrap().len(), 12);
}

/// One finished run of the course network (5 epochs) as a record.
fn course_run() -> RunRecord {
    let mut exp = Experiment::default();
    exp.set("epochs", "5").unwrap();
    let result = run(&exp, &mut |_| {}).unwrap();
    RunRecord::finished(&result, now_rfc3339(), now_rfc3339()).unwrap()
}

#[test]
fn identical_runs_of_one_store_both_arrive_and_running_ones_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.sqlite");
    let r = course_run();
    {
        let mut s = Store::open(&source).unwrap();
        // Two runs that nothing but their id tells apart, and one still running (this
        // process is alive, so the open below does not mark it interrupted).
        s.record_many(&[r.clone(), r.clone()]).unwrap();
        s.begin(&RunRecord::starting(&Experiment::default(), now_rfc3339()).unwrap())
            .unwrap();
    }
    let target = dir.path().join("target.sqlite");
    let mut store = Store::open(&target).unwrap();
    // The target already holds one of the two: one more arrives.
    store.record(&r).unwrap();
    let done = store.import(&source).unwrap();
    assert_eq!((done.added.len(), done.present, done.running), (1, 1, 1));
    assert_eq!(store.list(&Filter::default()).unwrap().len(), 2);
    assert_eq!(store.import(&source).unwrap().added.len(), 0);

    let missing = dir.path().join("nope.sqlite");
    let err = store.import(&missing).unwrap_err();
    assert!(matches!(err, StoreError::Input { .. }), "{err:?}");
    assert!(
        err.to_string().contains("nope.sqlite: no such run store"),
        "{err}"
    );
    assert!(!missing.exists(), "a missing source must not be created");
}
