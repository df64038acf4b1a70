//! Publishing a report as one step: temporary files, a journal, the previous report moved
//! aside, renames, and the recovery after a run that was killed while doing so.
//!
//! An output's name is a file in the folder (`financien-werkplan-2022.pdf`) or in one
//! subfolder of it (`archief/financien-werkplan-2022-2022-12-31.pdf`, see `archive`); a file
//! in a subfolder is only ever added, never replaced.
//!
//! The steps, each made durable (file and folder synced) before the next:
//! 1. every output is written to `.<name>.tmp-<pid>` in the folder itself (`/` in the name
//!    becomes `-`), possibly in parts ([`Staged`]: a build writes the outputs that are ready
//!    while the publication PDF is still being made); nothing counts yet, and temporary
//!    files not published are removed again;
//! 2. the journal `.werkplan.journaal` lists `map <folder>` for each subfolder that is not
//!    there yet, then every report file, `vervangen <name>` when a file of that name was
//!    there (it is moved aside) or `nieuw <name>` when not;
//! 3. the subfolders are made and the files that were there are renamed to
//!    `.<name>.vorige-<pid>`;
//! 4. the temporary files are renamed into place;
//! 5. the journal is renamed to `.werkplan.klaar`: from here on the new report stands;
//! 6. the previous files and the marker are removed.
//!
//! A run killed anywhere leaves something the next run (which holds the lock, so the
//! killed one is surely gone) can read: with `.werkplan.klaar` the new report is complete
//! and only the leftovers go; with a journal and no marker every file the journal calls new
//! is removed, every file moved aside is put back and every subfolder it made is removed
//! again (when empty). Either way the folder holds the complete new report or nothing new.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::PublishError;

/// The journal of a publish in progress.
const JOURNAL: &str = ".werkplan.journaal";
/// The journal while it is written, before it counts.
const JOURNAL_STAGED: &str = ".werkplan.journaal.tmp";
/// The journal once every new file is in place.
const DONE: &str = ".werkplan.klaar";

/// Outputs written to their temporary files (step 1) and not yet published: a build stages
/// the outputs that are ready while the publication PDF is still being made. Dropped
/// unpublished (a later output failed), it removes its temporary files again.
pub(crate) struct Staged {
    /// The output folder.
    dir: PathBuf,
    /// This process's id, in the temporary and backup names.
    pid: u32,
    /// (temporary, target) pairs, in the order written.
    temps: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    /// Nothing staged yet, for the folder `dir`.
    pub(crate) fn new(dir: &Path) -> Staged {
        Staged {
            dir: dir.to_path_buf(),
            pid: std::process::id(),
            temps: Vec::new(),
        }
    }

    /// Step 1 for `outputs`: each in `.<name>.tmp-<pid>`, synced.
    ///
    /// # Errors
    /// A file that cannot be written (the ones written so far by this call are removed).
    pub(crate) fn write(&mut self, outputs: &[(String, Vec<u8>)]) -> Result<(), PublishError> {
        let temps = write_temporaries(&self.dir, outputs, self.pid)?;
        self.temps.extend(temps);
        Ok(())
    }

    /// Publishes in the order of `names` (file names as given to [`Staged::write`]); a name
    /// not staged, or a staged file not named, keeps its place after the named ones.
    pub(crate) fn arrange(&mut self, names: &[&str]) {
        let dir = self.dir.clone();
        self.temps.sort_by_key(|(_, target)| {
            names
                .iter()
                .position(|name| dir.join(name) == *target)
                .unwrap_or(names.len())
        });
    }

    /// Steps 2 to 6: puts every staged file in place as one step. If a step fails, every
    /// file is put back, so the folder holds either the complete new report or the previous
    /// state.
    ///
    /// # Errors
    /// A file that cannot be renamed, or a folder where a report file belongs.
    pub(crate) fn publish(mut self) -> Result<Vec<PathBuf>, PublishError> {
        let temps = std::mem::take(&mut self.temps);
        put_in_place(&self.dir, &temps, self.pid)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (temp, _) in &self.temps {
            let _ = fs::remove_file(temp);
        }
    }
}

/// Steps 2 to 6 for the staged `temps` (see [`Staged::publish`]).
fn put_in_place(
    dir: &Path,
    temps: &[(PathBuf, PathBuf)],
    pid: u32,
) -> Result<Vec<PathBuf>, PublishError> {
    let remove_temps = || {
        for (temp, _) in temps {
            let _ = fs::remove_file(temp);
        }
    };
    // a folder where a report file belongs is not ours to move
    if let Some((_, target)) = temps.iter().find(|(_, target)| target.is_dir()) {
        remove_temps();
        return Err(PublishError::FolderInTheWay {
            path: target.clone(),
        });
    }
    let existing: Vec<bool> = temps
        .iter()
        .map(|(_, target)| fs::symlink_metadata(target).is_ok())
        .collect();
    // a file in a subfolder (the archive) is never replaced
    let kept = temps
        .iter()
        .zip(&existing)
        .find(|((_, target), e)| **e && target.parent() != Some(dir));
    if let Some(((_, target), _)) = kept {
        remove_temps();
        return Err(PublishError::Exists {
            path: target.clone(),
        });
    }
    let mut folders: Vec<String> = temps
        .iter()
        .filter_map(|(_, target)| target.strip_prefix(dir).ok())
        .filter_map(|relative| {
            let mut parts = relative.components();
            let first = parts.next()?;
            parts.next()?;
            Some(first.as_os_str().to_string_lossy().into_owned())
        })
        .filter(|folder| !dir.join(folder).exists())
        .collect();
    folders.sort_unstable();
    folders.dedup();
    let folders: Vec<&str> = folders.iter().map(String::as_str).collect();
    if let Err(error) = write_journal(dir, &folders, temps, &existing) {
        remove_temps();
        return Err(error);
    }
    let mut made: Vec<PathBuf> = Vec::new();
    let mut backups: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut placed: Vec<PathBuf> = Vec::new();
    let result = make_folders(dir, &folders, &mut made)
        .and_then(|()| move_into_place(dir, temps, &existing, pid, &mut backups, &mut placed));
    if let Err(error) = result {
        for path in &placed {
            let _ = fs::remove_file(path);
        }
        for (backup, target) in &backups {
            let _ = fs::rename(backup, target);
        }
        for folder in &made {
            let _ = fs::remove_dir(folder);
        }
        remove_temps();
        let _ = fs::remove_file(dir.join(JOURNAL));
        let _ = fs::remove_file(dir.join(DONE));
        let _ = sync_folder(dir);
        return Err(error);
    }
    // the new report is complete and durable: from here on a recovery keeps it
    for (backup, _) in &backups {
        let _ = fs::remove_file(backup);
    }
    let _ = fs::remove_file(dir.join(DONE));
    let _ = sync_folder(dir);
    Ok(placed)
}

/// Step 1: each output in `.<name>.tmp-<pid>`, synced. Returns (temporary, target) pairs.
fn write_temporaries(
    dir: &Path,
    outputs: &[(String, Vec<u8>)],
    pid: u32,
) -> Result<Vec<(PathBuf, PathBuf)>, PublishError> {
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (name, bytes) in outputs {
        let temp = dir.join(format!(".{}.tmp-{pid}", name.replace('/', "-")));
        let written = fs::File::create(&temp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        temps.push((temp.clone(), dir.join(name)));
        if let Err(source) = written {
            for (temp, _) in &temps {
                let _ = fs::remove_file(temp);
            }
            return Err(PublishError::Write { path: temp, source });
        }
    }
    Ok(temps)
}

/// Step 2: the journal, written aside, synced and renamed into place, the folder synced.
fn write_journal(
    dir: &Path,
    folders: &[&str],
    temps: &[(PathBuf, PathBuf)],
    existing: &[bool],
) -> Result<(), PublishError> {
    let mut text = String::new();
    for folder in folders {
        text.push_str(&format!("map {folder}\n"));
    }
    for ((_, target), existed) in temps.iter().zip(existing) {
        // the name relative to the folder, `/` between the parts on every system
        let name = target
            .strip_prefix(dir)
            .unwrap_or(target)
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let word = if *existed { "vervangen" } else { "nieuw" };
        text.push_str(&format!("{word} {name}\n"));
    }
    let staged = dir.join(JOURNAL_STAGED);
    let journal = dir.join(JOURNAL);
    let written = fs::File::create(&staged)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| fs::rename(&staged, &journal))
        .and_then(|()| {
            after_rename();
            sync_folder(dir)
        });
    written.map_err(|source| {
        let _ = fs::remove_file(&staged);
        let _ = fs::remove_file(&journal);
        PublishError::Write {
            path: journal.clone(),
            source,
        }
    })
}

/// Step 3, first half: the subfolders the journal names, each recorded in `made` once made.
fn make_folders(dir: &Path, folders: &[&str], made: &mut Vec<PathBuf>) -> Result<(), PublishError> {
    for folder in folders {
        let path = dir.join(folder);
        if let Err(source) = fs::create_dir(&path) {
            return Err(PublishError::MakeFolder { path, source });
        }
        made.push(path);
    }
    if folders.is_empty() {
        return Ok(());
    }
    sync_folder(dir).map_err(|source| PublishError::Sync {
        path: dir.to_path_buf(),
        source,
    })
}

/// Steps 3 to 5: the previous files aside, the new ones in place, the journal marked done.
/// What was moved is recorded in `backups` and `placed`, so a failure can be undone.
fn move_into_place(
    dir: &Path,
    temps: &[(PathBuf, PathBuf)],
    existing: &[bool],
    pid: u32,
    backups: &mut Vec<(PathBuf, PathBuf)>,
    placed: &mut Vec<PathBuf>,
) -> Result<(), PublishError> {
    let replace_failed = |target: &Path, source: std::io::Error| PublishError::Replace {
        path: target.to_path_buf(),
        source,
    };
    for ((_, target), existed) in temps.iter().zip(existing) {
        if !existed {
            continue;
        }
        let backup = backup_name(target, pid);
        fs::rename(target, &backup).map_err(|e| replace_failed(target, e))?;
        after_rename();
        backups.push((backup, target.clone()));
    }
    for (temp, target) in temps {
        fs::rename(temp, target).map_err(|e| replace_failed(target, e))?;
        after_rename();
        placed.push(target.clone());
    }
    let mut subfolders: Vec<&Path> = temps
        .iter()
        .filter_map(|(_, target)| target.parent())
        .filter(|parent| *parent != dir)
        .collect();
    subfolders.dedup();
    for folder in subfolders {
        sync_folder(folder).map_err(|e| replace_failed(folder, e))?;
    }
    sync_folder(dir).map_err(|e| replace_failed(dir, e))?;
    fs::rename(dir.join(JOURNAL), dir.join(DONE)).map_err(|e| replace_failed(dir, e))?;
    after_rename();
    sync_folder(dir).map_err(|e| replace_failed(dir, e))
}

/// Cleans up after a run that was killed while writing. The caller holds the folder's
/// lock, so no run is busy here and every leftover is from a run that died: its temporary
/// files are removed; if it had not finished, the files it placed new are removed and the
/// files it moved aside are put back; if it had, only what it moved aside is removed.
/// Returns what it did, for the log.
pub(crate) fn recover_interrupted(dir: &Path) -> Vec<String> {
    let mut notes = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return notes;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // `.werkplan.klaar-<pid>` is the marker of earlier versions
    let finished = names.iter().any(|n| n.starts_with(DONE));
    let journal = fs::read_to_string(dir.join(JOURNAL)).ok();
    let removed = |path: PathBuf, notes: &mut Vec<String>| {
        if fs::remove_file(&path).is_ok() {
            notes.push(format!(
                "{}: opgeruimd na een afgebroken run",
                path.display()
            ));
        }
    };
    if !finished && let Some(journal) = &journal {
        for name in journal.lines().filter_map(|l| l.strip_prefix("nieuw ")) {
            let parts: Vec<&str> = name.split('/').collect();
            let path = dir.join(name);
            if parts.len() <= 2 && parts.iter().all(|part| plain(part)) && path.is_file() {
                removed(path, &mut notes);
            }
        }
        // the folders it made, once the files it put there are gone
        for folder in journal.lines().filter_map(|l| l.strip_prefix("map ")) {
            if plain(folder) && fs::remove_dir(dir.join(folder)).is_ok() {
                notes.push(format!(
                    "{}: opgeruimd na een afgebroken run",
                    dir.join(folder).display()
                ));
            }
        }
    }
    for name in &names {
        let Some(hidden) = name.strip_prefix('.') else {
            continue;
        };
        let leftover = [".tmp-", ".vorige-"].iter().find_map(|marker| {
            let (original, pid) = hidden.rsplit_once(marker)?;
            pid.parse::<u32>().ok()?;
            Some((original, *marker))
        });
        let path = dir.join(name);
        match leftover {
            Some((original, ".vorige-")) if !finished => {
                let target = dir.join(original);
                if fs::rename(&path, &target).is_ok() {
                    notes.push(format!(
                        "{}: teruggezet na een afgebroken run",
                        target.display()
                    ));
                }
            }
            Some(_) => removed(path, &mut notes),
            // and the write probe of a run killed right at its start
            None if name.starts_with(DONE)
                || name == JOURNAL
                || name == JOURNAL_STAGED
                || name.starts_with(".werkplan-schrijftest-") =>
            {
                let _ = fs::remove_file(path);
            }
            None => {}
        }
    }
    let _ = sync_folder(dir);
    notes
}

/// Whether a part of a name in the journal is one plain file or folder name in its folder
/// (no separator, no `..`, not hidden), so a damaged journal cannot reach outside it.
fn plain(part: &str) -> bool {
    !part.is_empty()
        && !part.starts_with('.')
        && !part.contains(['/', '\\'])
        && Path::new(part).file_name() == Some(std::ffi::OsStr::new(part))
}

/// `output/.financien-werkplan-2022.pdf.vorige-<pid>`
fn backup_name(target: &Path, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.vorige-{pid}"))
}

/// Makes the folder's entries (the renames) durable, so they survive a power loss. Only
/// Unix can sync a folder; elsewhere the file system orders it.
#[cfg(unix)]
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Test hook: with `WERKPLAN_TEST_ABORT_AFTER_RENAME=N` the process aborts right after the
/// `N`th rename of publishing (the journal's, the files', the marker's), as a kill would.
/// Compiled into debug builds only (the test builds); a release build has no such hook.
#[cfg(debug_assertions)]
fn after_rename() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static RENAMES: AtomicUsize = AtomicUsize::new(0);
    let limit = std::env::var("WERKPLAN_TEST_ABORT_AFTER_RENAME")
        .ok()
        .and_then(|n| n.parse::<usize>().ok());
    if let Some(limit) = limit
        && RENAMES.fetch_add(1, Ordering::SeqCst) + 1 == limit
    {
        std::process::abort();
    }
}

#[cfg(not(debug_assertions))]
fn after_rename() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh, empty folder for one test.
    fn folder(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("werkplan-publish-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn output(name: &str, bytes: &str) -> (String, Vec<u8>) {
        (name.to_string(), bytes.as_bytes().to_vec())
    }

    #[test]
    fn staged_files_dropped_unpublished_are_removed_and_nothing_is_placed() {
        let dir = folder("dropped");
        fs::write(dir.join("a.json"), "vorige").unwrap();
        let mut staged = Staged::new(&dir);
        staged
            .write(&[output("a.json", "nieuw"), output("b.pdf", "pdf")])
            .unwrap();
        assert_eq!(names(&dir).len(), 3, "{:?}", names(&dir));
        drop(staged);
        assert_eq!(names(&dir), ["a.json"]);
        assert_eq!(fs::read_to_string(dir.join("a.json")).unwrap(), "vorige");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn staged_in_parts_is_published_as_one_report_in_the_order_asked() {
        let dir = folder("parts");
        fs::write(dir.join("a.json"), "vorige").unwrap();
        let mut staged = Staged::new(&dir);
        staged
            .write(&[output("a.json", "nieuw"), output("c.html", "html")])
            .unwrap();
        staged.write(&[output("b.pdf", "pdf")]).unwrap();
        staged
            .write(&[output("archief/a-2022.json", "nieuw")])
            .unwrap();
        staged.arrange(&["a.json", "b.pdf", "c.html", "archief/a-2022.json"]);
        let placed = staged.publish().unwrap();
        let placed: Vec<&Path> = placed
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap())
            .collect();
        assert_eq!(
            placed,
            [
                Path::new("a.json"),
                Path::new("b.pdf"),
                Path::new("c.html"),
                Path::new("archief/a-2022.json")
            ]
        );
        // no temporary, backup, journal or marker left
        assert_eq!(names(&dir), ["a.json", "archief", "b.pdf", "c.html"]);
        assert_eq!(fs::read_to_string(dir.join("a.json")).unwrap(), "nieuw");
        assert_eq!(
            fs::read_to_string(dir.join("archief/a-2022.json")).unwrap(),
            "nieuw"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
