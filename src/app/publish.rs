//! Publishing a report as one step: temporary files, the previous report moved aside,
//! renames, and the recovery after a run that was killed while doing so.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::ingest::read::io_reason;

use super::lock::process_alive;

/// Writes every output to a temporary file in `dir`, then puts them all in place as one
/// step: existing reports are first moved aside, and if any rename fails every file is put
/// back, so the folder holds either the complete new report or the complete old one.
pub(crate) fn write_atomically(
    dir: &Path,
    outputs: &[(String, Vec<u8>)],
) -> Result<Vec<PathBuf>, String> {
    let pid = std::process::id();
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let remove_all = |paths: &mut dyn Iterator<Item = &PathBuf>| {
        for path in paths {
            let _ = fs::remove_file(path);
        }
    };
    for (name, bytes) in outputs {
        let temp = dir.join(format!(".{name}.tmp-{pid}"));
        let written = fs::File::create(&temp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        temps.push((temp.clone(), dir.join(name)));
        if let Err(e) = written {
            remove_all(&mut temps.iter().map(|(t, _)| t));
            return Err(format!(
                "{}: kan niet worden geschreven: {}",
                temp.display(),
                io_reason(&e)
            ));
        }
    }
    // a folder where a report file belongs is not ours to move
    if let Some((_, target)) = temps.iter().find(|(_, target)| target.is_dir()) {
        remove_all(&mut temps.iter().map(|(t, _)| t));
        return Err(format!(
            "{}: hier staat een map waar het rapportbestand hoort",
            target.display()
        ));
    }
    // move the old report aside
    let mut backups: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut failure = None;
    for (_, target) in &temps {
        if fs::symlink_metadata(target).is_err() {
            continue;
        }
        let backup = backup_name(target, pid);
        match fs::rename(target, &backup) {
            Ok(()) => {
                after_rename();
                backups.push((backup, target.clone()))
            }
            Err(e) => {
                failure = Some(format!(
                    "{}: kan niet worden vervangen: {}",
                    target.display(),
                    io_reason(&e)
                ));
                break;
            }
        }
    }
    // put the new one in place
    let mut placed: Vec<PathBuf> = Vec::new();
    if failure.is_none() {
        for (temp, target) in &temps {
            match fs::rename(temp, target) {
                Ok(()) => {
                    after_rename();
                    placed.push(target.clone())
                }
                Err(e) => {
                    failure = Some(format!(
                        "{}: kan niet worden vervangen: {}",
                        target.display(),
                        io_reason(&e)
                    ));
                    break;
                }
            }
        }
    }
    if let Some(message) = failure {
        remove_all(&mut placed.iter());
        for (backup, target) in &backups {
            let _ = fs::rename(backup, target);
        }
        remove_all(&mut temps.iter().map(|(t, _)| t));
        return Err(message);
    }
    // the new report is complete: from here on a recovery keeps it
    let done = dir.join(format!(".werkplan.klaar-{pid}"));
    let _ = fs::write(&done, b"");
    remove_all(&mut backups.iter().map(|(b, _)| b));
    let _ = fs::remove_file(&done);
    Ok(placed)
}

/// Cleans up after a run that was killed while writing (the lock is ours now, so no run is
/// busy here): its temporary files are removed, and a previous report it had moved aside is
/// put back where the new one never arrived. Returns what it did, for the log.
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
    // (hidden name, original name, kind, pid) of every leftover of a process that is gone
    let leftovers: Vec<(String, String, &str, u32)> = names
        .iter()
        .filter_map(|name| {
            let hidden = name.strip_prefix('.')?;
            [".tmp-", ".vorige-"].iter().find_map(|marker| {
                let (original, pid) = hidden.rsplit_once(marker)?;
                let pid: u32 = pid.parse().ok()?;
                Some((name.clone(), original.to_string(), *marker, pid))
            })
        })
        .filter(|(_, _, _, pid)| !process_alive(*pid))
        .collect();
    let finished = |pid: u32| dir.join(format!(".werkplan.klaar-{pid}")).exists();
    for (name, original, marker, pid) in &leftovers {
        let path = dir.join(name);
        let target = dir.join(original);
        // a run that had put its new report in place keeps it; one that had not gets the
        // previous report back, all of it
        if *marker == ".vorige-" && !finished(*pid) && fs::rename(&path, &target).is_ok() {
            notes.push(format!(
                "{}: teruggezet na een afgebroken run",
                target.display()
            ));
        } else if fs::remove_file(&path).is_ok() {
            notes.push(format!(
                "{}: opgeruimd na een afgebroken run",
                path.display()
            ));
        }
    }
    for name in names.iter().filter(|n| n.starts_with(".werkplan.klaar-")) {
        let pid = name
            .trim_start_matches(".werkplan.klaar-")
            .parse::<u32>()
            .unwrap_or(0);
        if !process_alive(pid) {
            let _ = fs::remove_file(dir.join(name));
        }
    }
    notes
}

/// `output/.financien-werkplan-2022.pdf.vorige-<pid>`
fn backup_name(target: &Path, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.vorige-{pid}"))
}

/// Test hook: with `WERKPLAN_TEST_ABORT_AFTER_RENAME=N` the process aborts right after the
/// `N`th rename of publishing, as a kill would. Compiled into debug builds only (the test
/// builds); a release build has no such hook.
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
