//! The output folder's lock, so two runs never write the same report at once.
//!
//! The lock is the operating system's (`File::try_lock` on `<output>/.werkplan.lock`):
//! it is released when the process ends, however it ends, so there is no stale lock to
//! detect. The file holds the process id only to name the holder in the message.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::error::LockError;

/// The name of the lock file in the output folder.
pub const LOCK_FILE: &str = ".werkplan.lock";

/// A held lock on an output folder. While it is held no other run writes there, so any
/// leftover of a run in the folder is from a run that died. Dropping it removes the lock
/// file (Unix) and releases the lock.
pub(crate) struct OutputLock {
    path: PathBuf,
    file: File,
}

impl OutputLock {
    /// Takes the lock on `dir`, or says which process holds it.
    ///
    /// # Errors
    /// Another run holds the lock, or the lock file cannot be made, locked or written.
    pub(crate) fn acquire(dir: &Path) -> Result<OutputLock, LockError> {
        let path = dir.join(LOCK_FILE);
        let cannot = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        // a lock file removed by its holder between our open and our lock is no lock:
        // try again on the file that is there now
        for _ in 0..5 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(cannot)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    let holder = text
                        .split_whitespace()
                        .next()
                        .and_then(|w| w.parse::<u32>().ok());
                    return Err(LockError::Held {
                        dir: dir.to_path_buf(),
                        holder,
                    });
                }
                Err(fs::TryLockError::Error(e)) => return Err(cannot(e)),
            }
            if !still_in_place(&file, &path) {
                continue;
            }
            let recorded = file
                .set_len(0)
                .and_then(|()| file.seek(SeekFrom::Start(0)))
                .and_then(|_| file.write_all(format!("{}\n", std::process::id()).as_bytes()));
            recorded.map_err(cannot)?;
            return Ok(OutputLock { path, file });
        }
        Err(LockError::Unavailable { path })
    }
}

/// Whether the file we locked is still the one at `path` (Unix; elsewhere a lock file is
/// never removed, so it always is).
#[cfg(unix)]
fn still_in_place(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(ours), Ok(there)) => ours.dev() == there.dev() && ours.ino() == there.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_in_place(_file: &File, _path: &Path) -> bool {
    true
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // removed while still held, so a run that opened it meanwhile sees it is gone and
        // tries again; on Windows an open file cannot always be removed, so it stays
        #[cfg(unix)]
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}
