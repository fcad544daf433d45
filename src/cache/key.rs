//! The key that authenticates the cache's lines: 32 random bytes in the
//! user's configuration directory, never in the cache directory, readable
//! by its owner only; and the MAC each line carries (keyed BLAKE3 of the
//! line and the report entry it belongs to).

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The secret key of a user's cache.
#[derive(Clone, Copy)]
pub struct Key([u8; 32]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

impl Key {
    /// The MAC of `text`, a line of the entry `entry`: 128 bits of its
    /// keyed BLAKE3 hash. The entry is part of it, so that a line copied
    /// into another report's entry does not verify.
    pub(super) fn mac_bytes(&self, entry: &str, text: &[u8]) -> [u8; 16] {
        let mut h = blake3::Hasher::new_keyed(&self.0);
        h.update(entry.as_bytes());
        h.update(b"\n");
        h.update(text);
        let mut out = [0u8; 16];
        out.copy_from_slice(&h.finalize().as_bytes()[..16]);
        out
    }

    /// [`Key::mac_bytes`] as 32 hex digits, as lines carry it.
    pub(super) fn mac(&self, entry: &str, text: &[u8]) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let bytes = self.mac_bytes(entry, text);
        let mut out = String::with_capacity(32);
        for b in bytes {
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
        out
    }

    /// Whether `hex` (as a line carries it) is the MAC of `text`.
    pub(super) fn verifies(&self, entry: &str, text: &[u8], hex: &[u8]) -> bool {
        let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        if hex.len() != 32 {
            return false;
        }
        let mut given = [0u8; 16];
        for (i, pair) in hex.chunks(2).enumerate() {
            match (digit(pair[0]), digit(pair[1])) {
                (Some(h), Some(l)) => given[i] = h << 4 | l,
                _ => return false,
            }
        }
        given == self.mac_bytes(entry, text)
    }

    /// A key for tests and tools that never touch the user's key file.
    pub fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }
}

/// Where the cache key lives: `$JIXIAO_CACHE_KEY` when set (for tests),
/// else `cache.key` in the user's configuration directory
/// (`$XDG_CONFIG_HOME/jixiao`, `~/.config/jixiao`, `%APPDATA%\jixiao`) —
/// never in the cache directory, which others may be able to write.
pub fn key_file() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(file) = var("JIXIAO_CACHE_KEY") {
        return Some(PathBuf::from(file));
    }
    if let Some(dir) = var("XDG_CONFIG_HOME") {
        return Some(PathBuf::from(dir).join("jixiao").join("cache.key"));
    }
    if cfg!(windows)
        && let Some(dir) = var("APPDATA")
    {
        return Some(PathBuf::from(dir).join("jixiao").join("cache.key"));
    }
    var("HOME").map(|home| {
        PathBuf::from(home)
            .join(".config")
            .join("jixiao")
            .join("cache.key")
    })
}

/// Reads the key in `file`, making it (32 random bytes, readable by its
/// owner only) if there is none. A key that others may read or write is
/// refused: it would let them forge entries.
pub fn load_key(file: &Path) -> std::io::Result<Key> {
    let parse = |text: &str| -> Option<Key> {
        let text = text.trim();
        if text.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Key(out))
    };
    let bad = |why: &str| std::io::Error::other(format!("密钥文件 {} {why}", file.display()));
    for _ in 0..2 {
        match crate::report::read::capped_text(file, 1024) {
            Ok(text) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(file)?.permissions().mode();
                    if mode & 0o077 != 0 {
                        return Err(bad(&format!(
                            "的权限为 {:o}，其他用户也能读写；请改为只有本人可读写（chmod 600）",
                            mode & 0o777
                        )));
                    }
                }
                return parse(&text).ok_or_else(|| bad("内容无效；删除它后会重新生成"));
            }
            Err(_) if crate::report::read::is_regular(file) => {
                return Err(bad("无法读取"));
            }
            Err(_) => {}
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(file) {
            Ok(mut f) => {
                f.write_all(format!("{hex}\n").as_bytes())?;
                return Ok(Key(bytes));
            }
            // Another run made it first: read theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    Err(bad("无法读取"))
}
