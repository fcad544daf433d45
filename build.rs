//! Embeds the default rule pack (`rules/*.rhai` and the fixtures under
//! `rules/tests/`) into the binary, so an installed jixiao works anywhere;
//! and links the binary as a fixed-address executable on Linux, which
//! starts faster (see `start_faster`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rhai" | "toml")
        ) {
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

fn main() {
    start_faster();
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let rules = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut found = Vec::new();
    files(&rules, &mut found);
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
