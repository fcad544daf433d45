//! Embeds the default rule pack (`rules/*.rhai` and the fixtures under
//! `rules/tests/`) into the binary, so an installed jixiao works anywhere.

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

fn main() {
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
