//! `runs prune` by age, sweep and total size (issue 16): the right runs go, their chunk
//! files are deleted and the database is vacuumed, so the store's files shrink.

mod common;

use std::path::Path;
use std::time::Duration;

use nnlab_lab::sweep::SweepSpec;
use nnlab_lab::Experiment;
use nnlab_store::prune::{parse_age, parse_size};
use nnlab_store::{Prune, Store};

/// The course network on 20 rows, 30 epochs, `runs` seeds: one chunk per sweep.
fn spec(runs: usize) -> SweepSpec {
    let mut base = Experiment::default();
    base.set("rows", "20").unwrap();
    base.set("epochs", "30").unwrap();
    SweepSpec::parse(base, &[format!("seed=0..{runs}")]).unwrap()
}

/// Records a sweep of 4 runs tagged `tag`.
fn record(path: &Path, tag: &str) {
    record_n(path, tag, 4);
}

fn record_n(path: &Path, tag: &str, runs: usize) {
    let s = spec(runs);
    common::record_sweep(path, None, tag, &s, &s);
}

fn ids(store: &Store, tag: &str) -> Vec<i64> {
    common::sweep_ids(store, tag)
}

fn chunk_files(path: &Path) -> usize {
    let dir = nnlab_store::chunk::dir_of(path.to_str().unwrap());
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

/// Sets the times of sweep `tag`'s runs (to make them old without waiting).
fn set_times(path: &Path, tag: &str, time: &str) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute(
            "UPDATE runs SET started = ?1, finished = ?1 WHERE sweep = ?2",
            [time, tag],
        )
        .unwrap();
}

#[test]
fn ages_and_sizes_read_as_written_and_bad_ones_name_their_flag() {
    // 7 days = 7 × 86 400 s; 2 weeks = 14 × 86 400 s.
    assert_eq!(parse_age("7d", "--older-than").unwrap().as_secs(), 604_800);
    assert_eq!(
        parse_age("2w", "--older-than").unwrap().as_secs(),
        1_209_600
    );
    assert_eq!(parse_age("12h", "--older-than").unwrap().as_secs(), 43_200);
    assert_eq!(parse_age("30m", "--older-than").unwrap().as_secs(), 1_800);
    assert_eq!(parse_age("90s", "--older-than").unwrap().as_secs(), 90);
    // KB, MB, GB are powers of 1000; KiB, MiB powers of 1024.
    assert_eq!(parse_size("500MB", "--max-size").unwrap(), 500_000_000);
    assert_eq!(parse_size("1.5GB", "--max-size").unwrap(), 1_500_000_000);
    assert_eq!(parse_size("64KiB", "--max-size").unwrap(), 65_536);
    assert_eq!(parse_size("2mib", "--max-size").unwrap(), 2_097_152);
    assert_eq!(parse_size("1000", "--max-size").unwrap(), 1000);
    assert_eq!(
        parse_age("7x", "--older-than").unwrap_err().to_string(),
        "--older-than: '7x' is not an age (unknown unit; e.g. 7d, 12h, 30m, 90s, 2w)"
    );
    assert_eq!(
        parse_age("d", "--older-than").unwrap_err().to_string(),
        "--older-than: 'd' is not an age (no whole number first; e.g. 7d, 12h, 30m, 90s, 2w)"
    );
    assert_eq!(
        parse_size("5 parsecs", "--max-size")
            .unwrap_err()
            .to_string(),
        "--max-size: '5 parsecs' is not a size (unknown unit; e.g. 500MB, 2GB, 64KiB, 1000)"
    );
}

#[test]
fn prune_by_age_deletes_the_runs_that_finished_before_the_cutoff() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    record(&path, "old");
    record(&path, "week");
    record(&path, "new");
    set_times(&path, "old", "2020-01-01T00:00:00.000Z");
    // Six days ago: inside a 7-day window, outside a 5-day one.
    let six_days_ago = nnlab_store::clock::rfc3339_at(
        std::time::SystemTime::now() - Duration::from_secs(6 * 86_400),
    );
    set_times(&path, "week", &six_days_ago);
    let store = Store::open(&path).unwrap();
    let (old, week, new) = (ids(&store, "old"), ids(&store, "week"), ids(&store, "new"));
    assert_eq!(chunk_files(&path), 3);
    let rule = |age| Prune {
        older_than: Some(parse_age(age, "--older-than").unwrap()),
        ..Prune::default()
    };
    let mut gone = store.prune(&rule("7d")).unwrap();
    gone.sort();
    assert_eq!(gone, old);
    assert_eq!(chunk_files(&path), 2);
    let mut gone = store.prune(&rule("5d")).unwrap();
    gone.sort();
    assert_eq!(gone, week);
    assert_eq!(ids(&store, "new"), new);
    assert_eq!(chunk_files(&path), 1);
}

#[test]
fn prune_by_sweep_deletes_that_sweep_and_its_chunk_files_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    record(&path, "a");
    record(&path, "b");
    let store = Store::open(&path).unwrap();
    let (a, b) = (ids(&store, "a"), ids(&store, "b"));
    assert_eq!((a.len(), b.len()), (4, 4));
    let mut gone = store
        .prune(&Prune {
            sweep: Some("a".into()),
            ..Prune::default()
        })
        .unwrap();
    gone.sort();
    assert_eq!(gone, a);
    assert!(ids(&store, "a").is_empty());
    assert_eq!(ids(&store, "b"), b);
    assert_eq!(chunk_files(&path), 1);
    // With a count, only the older ones of the sweep go.
    let gone = store
        .prune(&Prune {
            sweep: Some("b".into()),
            keep: Some(3),
            ..Prune::default()
        })
        .unwrap();
    assert_eq!(gone.len(), 1);
    assert_eq!(ids(&store, "b").len(), 3);
}

#[test]
fn prune_by_size_deletes_the_oldest_until_the_store_fits_and_gives_the_space_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.sqlite");
    // 4 sweeps of 50 runs: about 68 KB of chunk file each (50 × (31 × 8 bytes of history
    // + about 1.1 KB of facts)), so the runs, not the database's own pages (about 45 KB
    // when empty), make most of the size (372 KB when measured).
    for (k, tag) in ["s1", "s2", "s3", "s4"].iter().enumerate() {
        record_n(&path, tag, 50);
        // One minute apart, oldest first, so age order is certain.
        set_times(&path, tag, &format!("2026-01-01T00:0{k}:00.000Z"));
    }
    // A connection that closes folds the writers' WAL into the file, as any later command
    // does, so the size below is that of the database file and the chunk files.
    drop(Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let ids_of = |tags: &[&str]| -> Vec<i64> { tags.iter().flat_map(|t| ids(&store, t)).collect() };
    let (s1, s4) = (ids(&store, "s1"), ids(&store, "s4"));
    let before = store.size().unwrap();
    assert!(before > 300_000, "{before}");
    // About half the store: each sweep is about a quarter of it, so the oldest sweep goes
    // whole, and the newest stays whole.
    let max = before / 2 + before / 32;
    let mut gone = store
        .prune(&Prune {
            max_size: Some(max),
            ..Prune::default()
        })
        .unwrap();
    gone.sort();
    let after = store.size().unwrap();
    assert!(after <= max, "{after} > {max} (was {before})");
    assert!(s1.iter().all(|id| gone.contains(id)), "{gone:?}");
    assert_eq!(ids(&store, "s4"), s4);
    // The oldest went first: every run kept is newer than every run deleted.
    let kept = ids_of(&["s1", "s2", "s3", "s4"]);
    assert!(
        gone.iter().all(|g| kept.iter().all(|k| g < k)),
        "{gone:?} {kept:?}"
    );
    // The space is given back: the WAL is empty after the vacuum, and the deleted sweeps'
    // chunk files are gone.
    let wal = std::fs::metadata(format!("{}-wal", path.display())).map_or(0, |m| m.len());
    assert_eq!(wal, 0);
    assert!(chunk_files(&path) <= 3);
}
