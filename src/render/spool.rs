//! Where a streaming format keeps what it has written but may only emit
//! after what is known at the end (the HTML cards after the cover table,
//! the Markdown sections after the summary line): memory up to a few MB,
//! then an unlinked temporary file, so that a batch of any size costs a
//! bounded amount of memory.

use std::io::{self, Read, Seek, SeekFrom, Write};

/// Bytes kept in memory before the spool moves to a file.
const IN_MEMORY: usize = 4 << 20;

/// A spool of bytes; see the module documentation.
#[derive(Debug, Default)]
pub struct Spool {
    memory: Vec<u8>,
    file: Option<std::fs::File>,
    /// Bytes written so far.
    len: u64,
}

impl Spool {
    /// How many bytes have been written (a position to copy from later).
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Writes the bytes `range` (positions from [`Spool::len`]) to `w`;
    /// the spool stays as it is.
    pub fn copy_range(&mut self, range: std::ops::Range<u64>, w: &mut dyn Write) -> io::Result<()> {
        let Some(f) = self.file.as_mut() else {
            let r = range.start as usize..range.end as usize;
            return w.write_all(&self.memory[r]);
        };
        // What is still in memory goes to the file first.
        f.seek(SeekFrom::End(0))?;
        f.write_all(&self.memory)?;
        self.memory.clear();
        f.seek(SeekFrom::Start(range.start))?;
        let mut left = range.end - range.start;
        let mut buf = vec![0u8; 64 * 1024];
        while left > 0 {
            let want = buf.len().min(left as usize);
            let n = f.read(&mut buf[..want])?;
            if n == 0 {
                return Err(io::Error::other("临时文件比预期短"));
            }
            w.write_all(&buf[..n])?;
            left -= n as u64;
        }
        f.seek(SeekFrom::End(0))?;
        Ok(())
    }

    /// Writes everything spooled to `w`, and empties the spool.
    pub fn drain_into(&mut self, w: &mut dyn Write) -> io::Result<()> {
        if let Some(mut f) = self.file.take() {
            f.write_all(&self.memory)?;
            self.memory.clear();
            f.seek(SeekFrom::Start(0))?;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = f.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                w.write_all(&buf[..n])?;
            }
            return Ok(());
        }
        w.write_all(&self.memory)?;
        self.memory.clear();
        Ok(())
    }

    /// A new temporary file, removed from the directory at once (on Unix)
    /// so that nothing is left behind whatever happens to the run.
    pub(crate) fn temp_file() -> io::Result<std::fs::File> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir();
        for _ in 0..16 {
            let path = dir.join(format!(
                ".jixiao-spool-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            match std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(f) => {
                    #[cfg(unix)]
                    let _ = std::fs::remove_file(&path);
                    #[cfg(not(unix))]
                    let _ = &path;
                    return Ok(f);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::other("无法创建临时文件"))
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.len += buf.len() as u64;
        self.memory.extend_from_slice(buf);
        if self.memory.len() >= IN_MEMORY {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(Spool::temp_file()?),
            };
            file.write_all(&self.memory)?;
            self.memory.clear();
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_come_back_from_memory_or_a_file() {
        for size in [1000, 2 * IN_MEMORY + 11] {
            let mut s = Spool::default();
            let data: Vec<u8> = (0..size).map(|i| (i % 249) as u8).collect();
            s.write_all(&data).unwrap();
            for (a, b) in [(0, 10), (5, 900), (size as u64 - 7, size as u64)] {
                let mut out = Vec::new();
                s.copy_range(a..b, &mut out).unwrap();
                assert_eq!(out, &data[a as usize..b as usize], "{size} {a}..{b}");
            }
        }
    }

    #[test]
    fn what_is_spooled_comes_back_whole_from_memory_or_a_file() {
        for size in [10, IN_MEMORY + 5, 3 * IN_MEMORY + 7] {
            let mut s = Spool::default();
            let data: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            for chunk in data.chunks(1000) {
                s.write_all(chunk).unwrap();
            }
            assert_eq!(s.file.is_some(), size >= IN_MEMORY);
            let mut out = Vec::new();
            s.drain_into(&mut out).unwrap();
            assert_eq!(out, data, "{size}");
        }
    }
}
