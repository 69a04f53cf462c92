//! Writing output files so that a reader (or a crash, or a full disk) never sees half of
//! them.
//!
//! One file: [`write_atomic`] writes a temporary sibling (`.name.tmp-PID`), flushes it to
//! disk and renames it over the target; rename within one directory is atomic on POSIX file
//! systems.
//!
//! A set of files (the files of `--out DIR`): an [`OutSet`] writes every file into a staging
//! folder inside the target (`DIR/.nnlab-out-PID/`) and only when all of them are written
//! moves them into place and removes the files of the earlier set that this one does not
//! have (a diverged run draws no `loss.png`: the old one must not stay beside the new
//! `result.json`). A write that fails (a full disk) or a process killed while writing
//! leaves the earlier set whole; the staging folder is removed on failure, and one left by
//! a killed process is removed by the next write into that folder. [`check_out_dir`] finds
//! an unusable `--out` before any work is done.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::LabError;

/// The prefix of an [`OutSet`]'s staging folder inside its target (`.nnlab-out-PID`).
const STAGE_PREFIX: &str = ".nnlab-out-";

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> LabError + '_ {
    move |source| LabError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `bytes` to `path` atomically, creating the parent directory if needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), LabError> {
    let io = io_error(path);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = dir {
        fs::create_dir_all(dir).map_err(&io)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    let result = write_synced(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io)
}

fn write_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Checks, before any work, that `dir` can take an output set: it is not an existing
/// file, and the nearest folder on its path that exists accepts new entries. That is
/// probed by creating and removing an empty folder there, since permission bits do not
/// tell (root writes anyway; read-only media refuse everyone). The error is the one a
/// write into `dir` would give ([`LabError::Io`] naming `dir`): an output that cannot be
/// written, not bad input.
pub fn check_out_dir(dir: &Path) -> Result<(), LabError> {
    let fail = |message: String| LabError::Io {
        path: dir.display().to_string(),
        source: std::io::Error::other(message),
    };
    if dir.exists() && !dir.is_dir() {
        return Err(fail("an existing file, not a folder".into()));
    }
    let mut existing = dir;
    while !existing.is_dir() {
        if existing.exists() {
            return Err(fail(format!("{} is a file", existing.display())));
        }
        match existing.parent() {
            Some(p) if !p.as_os_str().is_empty() => existing = p,
            _ => {
                existing = Path::new(".");
                break;
            }
        }
    }
    let probe = existing.join(format!("{STAGE_PREFIX}{}", std::process::id()));
    match fs::create_dir(&probe) {
        Ok(()) => {
            let _ = fs::remove_dir(&probe);
            Ok(())
        }
        // Our own staging folder from a write in progress: the folder is writable.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(fail(format!(
            "cannot write into {}: {e}",
            existing.display()
        ))),
    }
}

/// A set of files written together into one folder; see the module docs.
///
/// ```
/// use nnlab_lab::files::OutSet;
/// let dir = tempfile::tempdir().unwrap();
/// let mut set = OutSet::begin(dir.path()).unwrap();
/// set.put("a.txt", b"1").unwrap();
/// // Nothing is in place until the whole set is written.
/// assert!(!dir.path().join("a.txt").exists());
/// let written = set.commit(&|name| name.ends_with(".txt")).unwrap();
/// assert_eq!(written, [dir.path().join("a.txt")]);
/// ```
#[derive(Debug)]
pub struct OutSet {
    dir: PathBuf,
    stage: PathBuf,
    /// The target folder did not exist before: a failed set removes it again.
    created: bool,
    names: Vec<String>,
    done: bool,
}

impl OutSet {
    /// Creates `dir` if needed and its staging folder, removing what a killed writer left
    /// there (staging folders and `.name.tmp-PID` files of processes that are gone).
    pub fn begin(dir: &Path) -> Result<OutSet, LabError> {
        let created = !dir.is_dir();
        fs::create_dir_all(dir).map_err(io_error(dir))?;
        remove_leftovers(dir);
        let stage = dir.join(format!("{STAGE_PREFIX}{}", std::process::id()));
        let _ = fs::remove_dir_all(&stage);
        if let Err(e) = fs::create_dir(&stage) {
            if created {
                let _ = fs::remove_dir(dir);
            }
            return Err(io_error(&stage)(e));
        }
        Ok(OutSet {
            dir: dir.to_path_buf(),
            stage,
            created,
            names: Vec::new(),
            done: false,
        })
    }

    /// The folder the set goes into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes file `name` of the set into the staging folder (flushed to disk).
    pub fn put(&mut self, name: &str, bytes: &[u8]) -> Result<(), LabError> {
        let path = self.stage.join(name);
        write_synced(&path, bytes).map_err(io_error(&self.dir.join(name)))?;
        self.names.push(name.to_string());
        Ok(())
    }

    /// Moves every file into place, then removes each file of the folder for which `stale`
    /// is true (a file of this kind of set) that this set did not write; returns the paths
    /// written, in the order put.
    pub fn commit(mut self, stale: &dyn Fn(&str) -> bool) -> Result<Vec<PathBuf>, LabError> {
        let mut written = Vec::with_capacity(self.names.len());
        for name in &self.names {
            let to = self.dir.join(name);
            fs::rename(self.stage.join(name), &to).map_err(io_error(&to))?;
            written.push(to);
        }
        self.done = true;
        let _ = fs::remove_dir_all(&self.stage);
        if let Ok(entries) = fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if stale(&name) && !self.names.contains(&name) && e.path().is_file() {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        // The renames are durable once the folder's entry list is on disk.
        if let Ok(d) = fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(written)
    }
}

/// A set dropped before its commit (an error while writing) leaves the folder as it was.
impl Drop for OutSet {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.stage);
            if self.created {
                let _ = fs::remove_dir(&self.dir);
            }
        }
    }
}

/// Removes from `dir` the staging folders (`.nnlab-out-PID`) and `.name.tmp-PID` files of
/// processes that no longer run: what a writer killed mid-write left behind.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = if let Some(pid) = name.strip_prefix(STAGE_PREFIX) {
            pid
        } else if let Some((_, pid)) = name.rsplit_once(".tmp-").filter(|_| name.starts_with('.')) {
            pid
        } else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if !process_alive(pid) {
            let path = e.path();
            let _ = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
        }
    }
}

/// Whether process `pid` runs. Without `/proc` (not Linux) only our own is known to run:
/// another writer's files there are taken as left over.
fn process_alive(pid: u32) -> bool {
    pid == std::process::id()
        || (Path::new("/proc/self").exists() && Path::new(&format!("/proc/{pid}")).exists())
}

#[cfg(test)]
mod tests;
