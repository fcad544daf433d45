//! What the integration tests share: the binary, run with the tests' own
//! findings cache (in cargo's scratch folder for tests, never the user's).

#![allow(dead_code)] // each test crate uses what it needs

use assert_cmd::Command;

/// The findings cache of test runs.
pub const CACHE_DIR: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/cache");

/// The key of the tests' caches (never the user's).
pub const CACHE_KEY: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/cache.key");

/// `jixiao`, with the tests' cache key and no cache directory set.
pub fn bin() -> Command {
    let mut c = Command::cargo_bin("jixiao").unwrap();
    c.env("JIXIAO_CACHE_KEY", CACHE_KEY);
    c
}

/// `jixiao`, with the tests' cache.
pub fn jixiao() -> Command {
    let mut c = bin();
    c.env("JIXIAO_CACHE_DIR", CACHE_DIR);
    c
}

/// An empty scratch folder for one test, named after its test crate, the
/// process and `name`.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "jixiao-{}-{}-{name}",
        env!("CARGO_CRATE_NAME"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
pub mod server;
