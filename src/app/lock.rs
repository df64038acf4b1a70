//! The output folder's lock, so two runs never write the same report at once.

use std::fs;
use std::path::{Path, PathBuf};

use crate::ingest::read::io_reason;

/// The name of the lock file in the output folder.
pub const LOCK_FILE: &str = ".werkplan.lock";

/// A lock on an output folder, so two runs never write the same report at once. The lock
/// file holds the process id; a lock whose process is gone is stale and taken over. The
/// file is removed when the lock is dropped.
pub(crate) struct OutputLock {
    path: PathBuf,
}

impl OutputLock {
    pub(crate) fn acquire(dir: &Path) -> Result<OutputLock, String> {
        let path = dir.join(LOCK_FILE);
        let pid = std::process::id();
        // the lock appears with its process id in it, or not at all: written aside, then
        // linked into place, which fails when a lock is there
        let staged = dir.join(format!("{LOCK_FILE}.{pid}"));
        fs::write(&staged, format!("{}\n", process_identity(pid))).map_err(|e| {
            format!(
                "{}: het slot kan niet worden gemaakt: {}",
                path.display(),
                io_reason(&e)
            )
        })?;
        let result = (|| {
            for _ in 0..3 {
                match fs::hard_link(&staged, &path) {
                    Ok(()) => return Ok(OutputLock { path: path.clone() }),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        let text = fs::read_to_string(&path).unwrap_or_default();
                        match holder_alive(&text) {
                            Some(holder) => {
                                return Err(format!(
                                    "{}: een andere werkplan-run (proces {holder}) schrijft in deze uitvoermap; wacht tot die klaar is",
                                    dir.display()
                                ));
                            }
                            // stale: its process is gone; remove it only if it is still that one
                            _ => {
                                if fs::read_to_string(&path).unwrap_or_default() == text {
                                    let _ = fs::remove_file(&path);
                                }
                            }
                        }
                    }
                    Err(e) => {
                        return Err(format!(
                            "{}: het slot kan niet worden gemaakt: {}",
                            path.display(),
                            io_reason(&e)
                        ));
                    }
                }
            }
            Err(format!(
                "{}: het slot kan niet worden verkregen",
                path.display()
            ))
        })();
        let _ = fs::remove_file(&staged);
        result
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // remove the lock only if it is still ours
        let ours = fs::read_to_string(&self.path)
            .is_ok_and(|t| t.trim() == process_identity(std::process::id()));
        if ours {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A process as the lock records it: `<pid> <start time>` on Linux (the start time in
/// clock ticks since boot, from `/proc/<pid>/stat`), so a reused process id is not mistaken
/// for the run that took the lock; elsewhere `<pid>`.
fn process_identity(pid: u32) -> String {
    match process_start(pid) {
        Some(start) => format!("{pid} {start}"),
        None => pid.to_string(),
    }
}

/// Field 22 of `/proc/<pid>/stat`: when the process started.
fn process_start(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // the command name (field 2) may hold spaces; the fields after it are plain
    let after_name = stat.rsplit_once(')')?.1;
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// The process id of a lock's holder, if that very process still runs.
fn holder_alive(lock: &str) -> Option<u32> {
    let mut words = lock.split_whitespace();
    let pid: u32 = words.next()?.parse().ok()?;
    if !process_alive(pid) {
        return None;
    }
    match (
        words.next().and_then(|w| w.parse::<u64>().ok()),
        process_start(pid),
    ) {
        (Some(recorded), Some(now)) if recorded != now => None, // the id was reused
        _ => Some(pid),
    }
}

/// Whether a process with this id is running (Linux: `/proc/<pid>`; elsewhere assumed).
pub(crate) fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if proc.is_dir() {
        proc.join(pid.to_string()).exists()
    } else {
        true
    }
}
