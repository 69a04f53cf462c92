use super::*;

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn writes_whole_files_and_leaves_no_temporaries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("a.txt");
    write_atomic(&path, b"first").unwrap();
    write_atomic(&path, b"second").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "second");
    assert_eq!(names(path.parent().unwrap()), ["a.txt"]);
}

#[test]
fn unwritable_target_is_an_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the file should go cannot be replaced by a file.
    let path = dir.path().join("taken");
    fs::create_dir(&path).unwrap();
    fs::write(path.join("keep"), "x").unwrap();
    let err = write_atomic(&path, b"y").unwrap_err();
    assert!(err.to_string().contains("taken"), "{err}");
}

/// Writes the set `files` into `dir` as one [`OutSet`] of `.txt` files.
fn write_set(dir: &Path, files: &[(&str, &str)]) -> Result<Vec<PathBuf>, LabError> {
    let mut set = OutSet::begin(dir)?;
    for (name, text) in files {
        set.put(name, text.as_bytes())?;
    }
    set.commit(&|n| n.ends_with(".txt"))
}

#[test]
fn a_set_replaces_the_files_of_the_earlier_set_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.md"), "mine").unwrap();
    write_set(dir.path(), &[("a.txt", "old a"), ("b.txt", "old b")]).unwrap();
    // The second run has no b.txt (as a diverged run has no loss.png): the old one goes.
    let written = write_set(dir.path(), &[("a.txt", "new a")]).unwrap();
    assert_eq!(written, [dir.path().join("a.txt")]);
    assert_eq!(names(dir.path()), ["a.txt", "notes.md"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        "new a"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.md")).unwrap(),
        "mine"
    );
}

#[test]
fn a_failed_set_leaves_the_earlier_set_whole_and_no_staging_folder() {
    let dir = tempfile::tempdir().unwrap();
    write_set(dir.path(), &[("a.txt", "old a"), ("b.txt", "old b")]).unwrap();
    // The second file cannot be written (its folder does not exist), after the first was.
    let err = write_set(dir.path(), &[("a.txt", "new a"), ("no/b.txt", "new b")]).unwrap_err();
    assert!(err.to_string().contains("b.txt"), "{err}");
    assert_eq!(names(dir.path()), ["a.txt", "b.txt"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("a.txt")).unwrap(),
        "old a"
    );
}

#[test]
fn a_failed_set_into_a_new_folder_leaves_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert!(write_set(&out, &[("a.txt", "a"), ("no/b.txt", "b")]).is_err());
    assert!(!out.exists());
}

#[test]
fn leftovers_of_killed_writers_are_removed_by_the_next_set() {
    let dir = tempfile::tempdir().unwrap();
    // 4000000000 is above Linux's largest pid (2^22): no such process runs.
    let stage = dir.path().join(".nnlab-out-4000000000");
    fs::create_dir(&stage).unwrap();
    fs::write(stage.join("curves.csv"), "half").unwrap();
    fs::write(dir.path().join(".curves.csv.tmp-4000000000"), "half").unwrap();
    // Our own process runs: a file of a write in progress is not touched.
    let live = format!(".keep.tmp-{}", std::process::id());
    fs::write(dir.path().join(&live), "busy").unwrap();
    write_set(dir.path(), &[("a.txt", "a")]).unwrap();
    assert_eq!(names(dir.path()), [live.as_str(), "a.txt"]);
}

#[test]
fn check_out_dir_refuses_a_file_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("result.txt");
    fs::write(&file, "x").unwrap();
    let err = check_out_dir(&file).unwrap_err().to_string();
    assert_eq!(
        err,
        format!("{}: an existing file, not a folder", file.display())
    );
    let sub = file.join("sub");
    let err = check_out_dir(&sub).unwrap_err().to_string();
    assert_eq!(
        err,
        format!("{}: {} is a file", sub.display(), file.display())
    );
    // A folder that does not exist yet is fine when its parent is writable; nothing is
    // created by the check.
    let new = dir.path().join("a").join("b");
    check_out_dir(&new).unwrap();
    assert!(!dir.path().join("a").exists());
    assert_eq!(names(dir.path()), ["result.txt"]);
}

#[test]
fn check_out_dir_refuses_a_folder_nobody_can_write() {
    // /proc takes no new entries, not even from root (the CI runs as root, so permission
    // bits would prove nothing).
    if !Path::new("/proc/self").exists() {
        return;
    }
    let err = check_out_dir(Path::new("/proc/nnlab-out"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("/proc/nnlab-out: cannot write into /proc: "),
        "{err}"
    );
}
