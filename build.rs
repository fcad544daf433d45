//! Embeds the default rule pack (`rules/*.rhai` and the fixtures under
//! `rules/tests/`) into the binary, so an installed jixiao works anywhere;
//! and links the binary as a fixed-address executable on Linux, which
//! starts faster (see `start_faster`); and gives the build an id for the
//! findings cache (see `build_id`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Every file under `dir` (in no particular order).
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// On Linux with glibc the `jixiao` binary is linked without PIE: the
/// dynamic loader then has no relocations of ours to apply at every start,
/// 0.4 ms of a 5 ms one-report run on the project's machine
/// (BENCHMARKS.md). Only the binary: libraries, tests and proc-macros keep
/// the default.
fn start_faster() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// A hash of everything that decides what the rules find (the host's
/// code, the embedded rules, the locked dependencies): cached findings of
/// another build are never used (`src/cache.rs`). FNV-1a, 64 bits.
fn build_id(root: &Path) {
    let mut found = Vec::new();
    for dir in ["src", "rules"] {
        files(&root.join(dir), &mut found);
        println!("cargo:rerun-if-changed={dir}");
    }
    for file in ["Cargo.toml", "Cargo.lock"] {
        found.push(root.join(file));
        println!("cargo:rerun-if-changed={file}");
    }
    found.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for path in &found {
        let rel = path.strip_prefix(root).unwrap_or(path);
        eat(rel.to_string_lossy().replace('\\', "/").as_bytes());
        eat(&[0]);
        eat(&std::fs::read(path).unwrap_or_default());
        eat(&[0]);
    }
    eat(std::env::var("CARGO_PKG_VERSION")
        .unwrap_or_default()
        .as_bytes());
    println!("cargo:rustc-env=JIXIAO_BUILD_ID={hash:016x}");
}

fn main() {
    start_faster();
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    build_id(&root);
    let rules = root.join("rules");
    let mut found = Vec::new();
    files(&rules, &mut found);
    found.retain(|p| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("rhai" | "toml")
        )
    });
    found.sort();
    let mut code = String::from(
        "/// (path relative to rules/, contents)\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for path in &found {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path
            .strip_prefix(&rules)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_rules.rs");
    std::fs::write(out, code).unwrap();
}
