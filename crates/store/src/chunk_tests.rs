//! Tests of the chunk files, both formats.

use super::*;
use nnlab_lab::sweep::{run_sweep_with, SweepSpec};
use nnlab_lab::Experiment;

/// A chunk of one run written by hand: 2 epochs of train loss 0.25 and 0.5, no test
/// set, a constant rate 0.1, and 3 bytes of facts that are not CBOR of any facts.
fn one_run() -> Vec<u8> {
    let mut b = MAGIC_V1.to_vec();
    for v in [1u32, 0, 16, NO_TEST, 8, 3] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    for v in [0.25f64, 0.5, 0.1] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(&[0xff, 0xff, 0xff]);
    b
}

#[test]
fn a_hand_made_chunk_reads_back_its_history_and_refuses_bad_facts() {
    let c = Chunk::parse(one_run()).unwrap();
    assert_eq!(c.len(), 1);
    let h = c.history(0).unwrap();
    let rows: Vec<_> = h
        .iter()
        .map(|e| (e.epoch, e.train_loss, e.test_loss, e.lr))
        .collect();
    assert_eq!(rows, vec![(1, 0.25, None, 0.1), (2, 0.5, None, 0.1)]);
    assert!(c.facts(0).unwrap_err().starts_with("facts:"));
    assert!(c.history(1).unwrap_err().contains("position 1"));
}

#[test]
fn a_file_that_does_not_fit_its_header_is_refused() {
    let mut bytes = one_run();
    bytes.push(0);
    let err = Chunk::parse(bytes).err().unwrap();
    // 16 bytes of header, 16 of the run's entry, 24 of history, 3 of facts.
    assert_eq!(err, "the header describes 59 bytes, the file has 60");
    assert!(Chunk::parse(one_run()[..20].to_vec())
        .err()
        .unwrap()
        .contains("1 runs and 0 shapes is longer"));
    assert!(Chunk::parse(b"NNLBCHK0".to_vec())
        .err()
        .unwrap()
        .contains("NNLBCHK2 or NNLBCHK1"));
}

/// The details of a sweep of the course network on 10 rows for `epochs` epochs, varied by
/// `vary`, in grid order (for this module's and the writer's tests).
pub(crate) fn details(epochs: &str, vary: &str) -> Vec<RunDetail> {
    let mut base = Experiment::default();
    base.set("rows", "10").unwrap();
    base.set("epochs", epochs).unwrap();
    let spec = SweepSpec::parse(base, &[vary.into()]).unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    let sink = |runs: Vec<RunDetail>| seen.lock().unwrap().extend(runs);
    run_sweep_with(&spec, None, Some(&sink)).unwrap();
    let mut seen = seen.into_inner().unwrap();
    seen.sort_by_key(|d| d.index);
    seen
}

/// A format 1 file of `runs`, as schema v7's writer wrote it before format 2: the same
/// header with 0 shapes, and each run's facts as CBOR of [`FactsOut`].
fn format_1(runs: &[RunDetail]) -> Vec<u8> {
    let mut head = MAGIC_V1.to_vec();
    head.extend_from_slice(&(runs.len() as u32).to_le_bytes());
    head.extend_from_slice(&0u32.to_le_bytes());
    let mut body = Vec::new();
    for d in runs {
        let h = encode(&d.history);
        let mut facts = Vec::new();
        ciborium::into_writer(&FactsOut::of(d), &mut facts).unwrap();
        let test = h.test_loss.as_ref().map_or(NO_TEST, |t| t.len() as u32);
        for len in [
            h.train_loss.len() as u32,
            test,
            h.lr.len() as u32,
            facts.len() as u32,
        ] {
            head.extend_from_slice(&len.to_le_bytes());
        }
        body.extend_from_slice(&h.train_loss);
        body.extend_from_slice(h.test_loss.as_deref().unwrap_or(&[]));
        body.extend_from_slice(&h.lr);
        body.extend_from_slice(&facts);
    }
    head.extend_from_slice(&body);
    head
}

#[test]
fn format_1_and_format_2_files_of_the_same_runs_read_back_alike() {
    // lr 5 diverges through `run_on` with diagnostics; the others run on the lanes.
    let runs = details("5", "lr=0.01,0.1,5");
    assert_eq!(runs.len(), 3);
    assert!(runs.iter().any(|d| !d.diagnostics.is_empty()));
    let (old, new) = (format_1(&runs), encode_chunk(&runs).unwrap());
    assert_eq!(&new[..8], MAGIC);
    let (old, new) = (Chunk::parse(old).unwrap(), Chunk::parse(new).unwrap());
    for (k, d) in runs.iter().enumerate() {
        let facts = new.facts(k).unwrap();
        assert_eq!(facts, old.facts(k).unwrap(), "run {k}");
        // Both are the JSON a single run's columns hold (`RunRecord`'s `json`).
        assert_eq!(facts.metrics, serde_json::to_value(&d.metrics).unwrap());
        assert_eq!(facts.verdict, serde_json::to_value(&d.verdict).unwrap());
        assert_eq!(
            facts.status_detail,
            serde_json::to_value(&d.status).unwrap()
        );
        assert_eq!(
            facts.final_params,
            serde_json::to_string(&d.final_params).unwrap()
        );
        let bits = |h: Vec<EpochRecord>| -> Vec<u64> {
            h.iter().map(|e| e.train_loss.to_bits()).collect()
        };
        assert_eq!(bits(new.history(k).unwrap()), bits(d.history.clone()));
        assert_eq!(bits(old.history(k).unwrap()), bits(d.history.clone()));
    }
}
