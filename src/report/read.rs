//! Reading the files a run is given — reports, submissions, rules,
//! configuration, waivers, baselines — safely: only regular files (after
//! following links), and never more than a hard cap, whatever length the
//! file system claims. A named pipe, a device or `/dev/zero` behind a link
//! is refused before it is opened for reading, so that it can neither hang
//! a batch nor fill the memory.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// Not a regular file: what it is instead ("目录", "命名管道（FIFO）"…).
    NotRegular(&'static str),
    /// More than `cap` bytes (`size` as far as it was read or claimed).
    TooLarge {
        size: u64,
        cap: u64,
    },
}

impl ReadError {
    /// The reason in Chinese, for a message that names the file itself.
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io(e) => io_reason(e),
            ReadError::NotRegular(what) => {
                format!("这不是普通文件，而是{what}；只读取普通文件")
            }
            ReadError::TooLarge { size, cap } => {
                format!("文件大小超过上限 {cap} 字节（至少 {size} 字节）")
            }
        }
    }

    /// The stable error code for this kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::Io(_) => "jixiao::load::io",
            ReadError::NotRegular(_) => "jixiao::load::not-a-file",
            ReadError::TooLarge { .. } => "jixiao::load::too-large",
        }
    }
}

/// An I/O error in Chinese (the system's own words in brackets).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "文件不存在",
        K::PermissionDenied => "没有读取权限",
        K::IsADirectory => "这是一个目录",
        _ => "无法读取",
    };
    format!("{what}（{e}）")
}

/// What a file that is not a regular file is, in Chinese.
fn kind_of(t: std::fs::FileType) -> &'static str {
    if t.is_dir() {
        return "目录";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "命名管道（FIFO）";
        }
        if t.is_char_device() {
            return "字符设备";
        }
        if t.is_block_device() {
            return "块设备";
        }
        if t.is_socket() {
            return "套接字";
        }
    }
    "特殊文件"
}

/// Whether `path` is (or links to) a regular file.
pub fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Reads a whole regular file of at most `cap` bytes.
///
/// The type is checked before opening (a FIFO would block the open) and
/// again on the open file (it may have been swapped in between); on Unix
/// the file is opened non-blocking for the same reason. At most `cap + 1`
/// bytes are ever read, so a file that grows or lies about its length
/// costs no more than the cap.
pub fn capped(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_capped(path, cap)?;
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

/// The file at `path` opened to be read in a stream, as [`capped`] reads
/// it (a regular file, within `cap` as the file system says), with its
/// size; the reader must still stop at `cap`.
pub fn open_capped(path: &Path, cap: u64) -> Result<(std::fs::File, u64), ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            cap,
        });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(ReadError::Io)?;
    let opened = file.metadata().map_err(ReadError::Io)?;
    if !opened.is_file() {
        return Err(ReadError::NotRegular(kind_of(opened.file_type())));
    }
    Ok((file, opened.len().min(cap)))
}

/// [`capped`] for a text file that must be UTF-8: the text, or why not
/// (a byte that is not UTF-8 is named by its position).
pub fn capped_text(path: &Path, cap: u64) -> Result<String, String> {
    let bytes = capped(path, cap).map_err(|e| e.reason())?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!(
            "不是 UTF-8 编码（第 {} 字节起无法解码）；请另存为 UTF-8 编码",
            at + 1
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("jixiao-read-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn regular_files_are_read_up_to_the_cap() {
        let dir = temp("cap");
        let f = dir.join("a.toml");
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(capped(&f, 10).unwrap(), b"0123456789");
        assert!(matches!(
            capped(&f, 9),
            Err(ReadError::TooLarge { size: 10, cap: 9 })
        ));
        assert!(matches!(
            capped(&dir, 10),
            Err(ReadError::NotRegular("目录"))
        ));
        assert!(matches!(
            capped(&dir.join("none"), 10),
            Err(ReadError::Io(_))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_links_to_them_are_refused_without_reading() {
        let dir = temp("dev");
        let link = dir.join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        // /dev/zero claims a length of 0 and never ends: the type alone
        // refuses it.
        let err = capped(&link, 1 << 20).unwrap_err();
        assert!(matches!(err, ReadError::NotRegular("字符设备")), "{err:?}");
        assert!(err.reason().contains("字符设备"));
        assert!(!is_regular(&link));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
