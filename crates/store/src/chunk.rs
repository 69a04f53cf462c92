//! The runs of a sweep written a chunk at a time (schema v7): one file per chunk beside the
//! database holding the chunk's histories and facts, and per run only a small row of scalars.
//!
//! A chunk is the batch of runs one writer transaction stores. Its file,
//! `<store>-chunks/<chunks.id>.nnc`, is little-endian binary (format 2):
//!
//! | bytes | what |
//! |---|---|
//! | 8 | [`MAGIC`] |
//! | 4, 4 | the number of runs `n`, the number of distinct facts shapes `s` |
//! | 4 × s | the byte length of each shape |
//! | 16 × n | per run: the byte lengths of its `train_loss`, `test_loss` (`u32::MAX`: none), `lr` and facts parts |
//! | ... | the shapes, then per run, in order: its three history columns ([`crate::history`]'s `f64` arrays), then its facts |
//!
//! The facts (status, parameters before and after, metrics, diagnostics, verdict) are the
//! same serde values the JSON columns of a single run hold, written flat ([`crate::flat`]):
//! a run's facts part is the index of its shape (`u32`) and its leaves, so the field names,
//! written once per chunk, take no room per run. They read back to the same JSON values,
//! with every `f64` exact (where JSON text needs a round trip).
//!
//! Format 1 ([`MAGIC_V1`], written by schema v7 until issue 16's second part) had `0` for
//! `s`, no shapes, and CBOR facts: such files still read.
//!
//! Why a file and not a blob: a blob goes through SQLite's WAL and again into the database
//! file at the checkpoint. For the course's 1000-run sweep (2.4 MB of history) that was
//! about 8 ms of CPU against the 8 ms the whole store may cost (10% of the sweep); a plain
//! `write` of the same bytes takes well under 1 ms.
//!
//! Crash safety: the writer inserts the chunk's row, writes the whole file, inserts the runs'
//! rows and then commits, all in one transaction. A process killed before the commit leaves
//! no row pointing at the file (a later chunk may get the same id and truncate it; `runs
//! prune` removes files no row names), so a run is either whole or absent. The files are
//! not fsynced: like the WAL's commits with `synchronous = NORMAL`, a power loss may lose
//! the latest chunks; a file found shorter than its header says is a corrupt run, not a panic.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use nnlab_core::NamedValues;
use nnlab_lab::diagnostics::Diagnostic;
use nnlab_lab::result::MetricsBySet;
use nnlab_lab::sweep::RunDetail;
use nnlab_lab::verdict::Verdict;
use nnlab_train::{EpochRecord, TrainStatus};

use crate::flat;
use crate::history::{decode, encode};

/// The first bytes of every chunk file written now (format 2).
pub const MAGIC: &[u8; 8] = b"NNLBCHK2";

/// The first bytes of a format 1 chunk file (facts as CBOR).
pub const MAGIC_V1: &[u8; 8] = b"NNLBCHK1";

/// `u32::MAX` as a `test_loss` length: the run had no test set.
const NO_TEST: u32 = u32::MAX;

/// The folder of a store's chunk files: `runs.sqlite` keeps them in `runs.sqlite-chunks/`.
pub fn dir_of(store: &str) -> PathBuf {
    PathBuf::from(format!("{store}-chunks"))
}

/// The file of chunk `id` in `dir`.
pub fn file_of(dir: &Path, id: i64) -> PathBuf {
    dir.join(format!("{id}.nnc"))
}

/// What a run's facts are written from (borrowed from its detail).
#[derive(Serialize)]
struct FactsOut<'a> {
    status: &'a TrainStatus,
    initial: &'a NamedValues,
    final_params: &'a NamedValues,
    metrics: &'a MetricsBySet,
    diagnostics: &'a [Diagnostic],
    verdict: &'a Verdict,
}

impl<'a> FactsOut<'a> {
    fn of(d: &'a RunDetail) -> FactsOut<'a> {
        FactsOut {
            status: &d.status,
            initial: &d.initial,
            final_params: &d.final_params,
            metrics: &d.metrics,
            diagnostics: &d.diagnostics,
            verdict: &d.verdict,
        }
    }
}

#[derive(Deserialize)]
struct FactsIn {
    status: Value,
    initial: NamedValues,
    final_params: NamedValues,
    metrics: Value,
    diagnostics: Value,
    verdict: Value,
}

/// A run's facts as the store gives them: the JSON values and parameter texts a single
/// run's columns hold ([`crate::RunOutcome`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub status_detail: Value,
    pub initial_params: String,
    pub final_params: String,
    pub metrics: Value,
    pub diagnostics: Value,
    pub verdict: Value,
}

fn u32_len(n: usize, what: &str) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("{what}: {n} bytes do not fit a chunk entry"))
}

/// The bytes of the chunk file of `runs`, in order.
pub fn encode_chunk(runs: &[RunDetail]) -> Result<Vec<u8>, String> {
    let n = u32_len(runs.len(), "runs")?;
    // Room for each run's history (train and test losses, the rate) and its leaves (about
    // 500 bytes for a course-network run), so the body is allocated once.
    let per_run: usize = runs
        .iter()
        .map(|d| 8 * (2 * d.history.len() + 1) + 600)
        .sum();
    let mut body = Vec::with_capacity(per_run);
    let mut lengths = Vec::with_capacity(16 * runs.len());
    let mut shapes: Vec<Vec<u8>> = Vec::new();
    let mut shape = Vec::new();
    for d in runs {
        let h = encode(&d.history);
        let facts_at = body.len();
        body.extend_from_slice(&h.train_loss);
        if let Some(t) = &h.test_loss {
            body.extend_from_slice(t);
        }
        body.extend_from_slice(&h.lr);
        let history_len = body.len() - facts_at;
        let facts = FactsOut::of(d);
        // The shape index goes first; it is known once the shape is written.
        let index_at = body.len();
        body.extend_from_slice(&[0; 4]);
        shape.clear();
        flat::encode(&facts, &mut shape, &mut body).map_err(|e| format!("facts: {e}"))?;
        // A sweep's runs share one or a few shapes: the last ones are the likely match.
        let index = match shapes.iter().rposition(|s| *s == shape) {
            Some(k) => k,
            None => {
                shapes.push(shape.clone());
                shapes.len() - 1
            }
        };
        body[index_at..index_at + 4].copy_from_slice(&u32_len(index, "shapes")?.to_le_bytes());
        let test_len = match &h.test_loss {
            Some(t) => u32_len(t.len(), "test_loss")?,
            None => NO_TEST,
        };
        for len in [
            u32_len(h.train_loss.len(), "train_loss")?,
            test_len,
            u32_len(h.lr.len(), "lr")?,
            u32_len(body.len() - facts_at - history_len, "facts")?,
        ] {
            lengths.extend_from_slice(&len.to_le_bytes());
        }
    }
    let shape_bytes: usize = shapes.iter().map(Vec::len).sum();
    let mut out =
        Vec::with_capacity(16 + 4 * shapes.len() + lengths.len() + shape_bytes + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&u32_len(shapes.len(), "shapes")?.to_le_bytes());
    for s in &shapes {
        out.extend_from_slice(&u32_len(s.len(), "shape")?.to_le_bytes());
    }
    out.extend_from_slice(&lengths);
    for s in &shapes {
        out.extend_from_slice(s);
    }
    out.extend_from_slice(&body);
    Ok(out)
}

/// Where one run's parts lie in a chunk file.
#[derive(Debug, Clone, Copy)]
struct Entry {
    at: usize,
    train: usize,
    test: Option<usize>,
    lr: usize,
    facts: usize,
}

/// A chunk file read back: its bytes, where each run's parts are, and where its shapes are
/// (none in format 1, whose facts are CBOR).
pub struct Chunk {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
    shapes: Option<Vec<std::ops::Range<usize>>>,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl Chunk {
    /// Checks the header of a chunk file's bytes; the error says what does not fit.
    pub fn parse(bytes: Vec<u8>) -> Result<Chunk, String> {
        let v2 = match bytes.get(..8) {
            Some(m) if m == MAGIC => true,
            Some(m) if m == MAGIC_V1 => false,
            _ => return Err("not an nnlab chunk file (no NNLBCHK2 or NNLBCHK1 header)".into()),
        };
        let n = u32_at(&bytes, 8).ok_or("the header ends early")? as usize;
        let s = if v2 {
            u32_at(&bytes, 12).ok_or("the header ends early")? as usize
        } else {
            0
        };
        let runs_at = 16 + 4 * s;
        let mut at = runs_at + 16 * n;
        if at > bytes.len() {
            return Err(format!(
                "a header of {n} runs and {s} shapes is longer than the file"
            ));
        }
        let mut shapes = Vec::with_capacity(s);
        for k in 0..s {
            let len = u32_at(&bytes, 16 + 4 * k).ok_or("the header ends early")? as usize;
            shapes.push(at..at + len);
            at += len;
        }
        let mut entries = Vec::with_capacity(n);
        for k in 0..n {
            let field =
                |f: usize| u32_at(&bytes, runs_at + 16 * k + 4 * f).ok_or("the header ends early");
            let test = field(1)?;
            let e = Entry {
                at,
                train: field(0)? as usize,
                test: (test != NO_TEST).then_some(test as usize),
                lr: field(2)? as usize,
                facts: field(3)? as usize,
            };
            at += e.train + e.test.unwrap_or(0) + e.lr + e.facts;
            entries.push(e);
        }
        if at != bytes.len() {
            return Err(format!(
                "the header describes {at} bytes, the file has {}",
                bytes.len()
            ));
        }
        Ok(Chunk {
            bytes,
            entries,
            shapes: v2.then_some(shapes),
        })
    }

    /// How many runs the chunk holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True for a chunk of no runs.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn entry(&self, pos: usize) -> Result<Entry, String> {
        self.entries
            .get(pos)
            .copied()
            .ok_or_else(|| format!("position {pos} in a chunk of {} runs", self.len()))
    }

    /// The history of the run at `pos`, every loss with its exact bits.
    pub fn history(&self, pos: usize) -> Result<Vec<EpochRecord>, String> {
        let e = self.entry(pos)?;
        let train = &self.bytes[e.at..e.at + e.train];
        let test_at = e.at + e.train;
        let test = e.test.map(|t| &self.bytes[test_at..test_at + t]);
        let lr_at = test_at + e.test.unwrap_or(0);
        decode(train, test, &self.bytes[lr_at..lr_at + e.lr])
    }

    /// The facts of the run at `pos`.
    pub fn facts(&self, pos: usize) -> Result<Facts, String> {
        let e = self.entry(pos)?;
        let at = e.at + e.train + e.test.unwrap_or(0) + e.lr;
        let part = &self.bytes[at..at + e.facts];
        if let Some(shapes) = &self.shapes {
            return self.flat_facts(shapes, part);
        }
        let f: FactsIn = ciborium::from_reader(part).map_err(|err| format!("facts: {err}"))?;
        let text = |v: &NamedValues| serde_json::to_string(v).map_err(|err| err.to_string());
        Ok(Facts {
            status_detail: f.status,
            initial_params: text(&f.initial)?,
            final_params: text(&f.final_params)?,
            metrics: f.metrics,
            diagnostics: f.diagnostics,
            verdict: f.verdict,
        })
    }
}

impl Chunk {
    /// Format 2 facts: the shape index, then the leaves of [`FactsOut`]'s fields in order.
    fn flat_facts(&self, shapes: &[std::ops::Range<usize>], part: &[u8]) -> Result<Facts, String> {
        let index = u32_at(part, 0).ok_or("facts: no shape index")? as usize;
        let shape = shapes
            .get(index)
            .ok_or_else(|| format!("facts: shape {index} of {}", shapes.len()))?;
        let mut f = flat::Fields::new(&self.bytes[shape.clone()], &part[4..])
            .map_err(|e| format!("facts: {e}"))?;
        let fail = |e: String| format!("facts: {e}");
        let text = |pairs: Vec<(String, f64)>| {
            serde_json::to_string(&NamedValues(pairs)).map_err(|err| err.to_string())
        };
        Ok(Facts {
            status_detail: f.value("status").map_err(fail)?,
            initial_params: text(f.pairs("initial").map_err(fail)?)?,
            final_params: text(f.pairs("final_params").map_err(fail)?)?,
            metrics: f.value("metrics").map_err(fail)?,
            diagnostics: f.value("diagnostics").map_err(fail)?,
            verdict: f.value("verdict").map_err(fail)?,
        })
    }
}

/// The chunk last read, kept while listing: a sweep's runs are listed chunk after chunk, so
/// each file is read once, and memory stays at one chunk however many runs are listed.
#[derive(Default)]
pub(crate) struct LastChunk(Option<(i64, std::rc::Rc<Chunk>)>);

impl crate::Store {
    /// Chunk `chunk` (named by run `id`'s row), from `last` when it was the last one read.
    pub(crate) fn chunk(
        &self,
        last: &mut LastChunk,
        id: i64,
        chunk: i64,
    ) -> Result<std::rc::Rc<Chunk>, crate::StoreError> {
        if let Some((c, data)) = &last.0 {
            if *c == chunk {
                return Ok(std::rc::Rc::clone(data));
            }
        }
        let file = file_of(&dir_of(&self.path), chunk);
        let bytes = std::fs::read(&file)
            .map_err(|e| self.corrupt(id, "chunk", &format!("{}: {e}", file.display())))?;
        let data = std::rc::Rc::new(
            Chunk::parse(bytes)
                .map_err(|m| self.corrupt(id, "chunk", &format!("{}: {m}", file.display())))?,
        );
        last.0 = Some((chunk, std::rc::Rc::clone(&data)));
        Ok(data)
    }

    /// The facts of run `id`, at `pos` in chunk `chunk`.
    pub(crate) fn chunk_facts(
        &self,
        last: &mut LastChunk,
        id: i64,
        chunk: i64,
        pos: i64,
    ) -> Result<Facts, crate::StoreError> {
        let pos =
            usize::try_from(pos).map_err(|_| self.corrupt(id, "chunk_pos", &pos.to_string()))?;
        self.chunk(last, id, chunk)?
            .facts(pos)
            .map_err(|m| self.corrupt(id, "chunk", &m))
    }

    /// The history of run `id`, at `pos` in chunk `chunk`.
    pub(crate) fn chunk_history(
        &self,
        last: &mut LastChunk,
        id: i64,
        chunk: i64,
        pos: i64,
    ) -> Result<Vec<EpochRecord>, crate::StoreError> {
        let pos =
            usize::try_from(pos).map_err(|_| self.corrupt(id, "chunk_pos", &pos.to_string()))?;
        self.chunk(last, id, chunk)?
            .history(pos)
            .map_err(|m| self.corrupt(id, "chunk", &m))
    }
}

#[cfg(test)]
#[path = "chunk_tests.rs"]
pub(crate) mod tests;
