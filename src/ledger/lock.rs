//! One server per ledger: the ledger's own file is locked (an exclusive
//! `flock` on it, which belongs to the file whatever name it is opened by
//! — another path, a symbolic or a hard link) for as long as the ledger is
//! open. A second server on the same ledger is refused at once, with the
//! lock holder's process id (kept in a note beside the ledger's real
//! path); a server that died leaves the note, but not the lock. SQLite's
//! own locks are of another kind and are not touched.

use std::path::{Path, PathBuf};

use super::{LedgerError, Result};

/// The lock, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

impl Lock {
    /// Takes the lock of the ledger at `ledger` (creating its file, which
    /// SQLite takes as a new database while it is empty).
    pub fn take(ledger: &Path) -> Result<Lock> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(ledger)
            .map_err(|e| LedgerError(format!("无法打开审核台账 {}：{e}", ledger.display())))?;
        // The note of who holds it, beside the ledger's real path.
        let real = std::fs::canonicalize(ledger).unwrap_or_else(|_| ledger.to_path_buf());
        let mut name = real.into_os_string();
        name.push(".lock");
        let note = PathBuf::from(name);
        if !exclusive(&file) {
            let holder = std::fs::read_to_string(&note).unwrap_or_default();
            let holder = match holder.trim() {
                "" => String::new(),
                pid => format!("（进程 {pid}）"),
            };
            return Err(LedgerError(format!(
                "审核台账 {} 正被另一个 jixiao serve 使用{holder}；请先关闭它，或用 --ledger 指定另一个台账",
                ledger.display(),
            )));
        }
        let _ = std::fs::write(&note, std::process::id().to_string());
        Ok(Lock { _file: file })
    }
}

#[cfg(unix)]
fn exclusive(file: &std::fs::File) -> bool {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor this function's caller owns.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

#[cfg(not(unix))]
fn exclusive(_: &std::fs::File) -> bool {
    // No advisory lock here: SQLite's own locking keeps the file sound.
    true
}
