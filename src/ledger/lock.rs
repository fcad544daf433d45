//! One server per ledger: a lock file beside the ledger, held (an
//! exclusive `flock`) for as long as the ledger is open. A second server
//! on the same ledger is refused at once, with the lock holder's process
//! id; a server that died leaves the lock file, but not the lock.

use std::path::{Path, PathBuf};

use super::{LedgerError, Result};

/// The lock, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

impl Lock {
    /// Takes the lock of the ledger at `ledger`.
    pub fn take(ledger: &Path) -> Result<Lock> {
        let mut name = ledger.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| LedgerError(format!("无法建立台账锁文件 {}：{e}", path.display())))?;
        if !exclusive(&file) {
            let holder = std::fs::read_to_string(&path).unwrap_or_default();
            return Err(LedgerError(format!(
                "审核台账 {} 正被另一个 jixiao serve 使用（进程 {}）；请先关闭它，或用 --ledger 指定另一个台账",
                ledger.display(),
                holder.trim()
            )));
        }
        use std::io::{Seek, Write};
        let _ = file.set_len(0);
        let _ = file.seek(std::io::SeekFrom::Start(0));
        let _ = write!(file, "{}", std::process::id());
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
