//! `jixiao schema`, the JSON Schema of format v1 for editors; and the
//! hidden `jixiao generate`, reports for benchmarks and stress tests.

use std::path::Path;

use crate::report::schema;

pub fn run() -> i32 {
    let text = serde_json::to_string_pretty(&schema::json_schema()).unwrap_or_default();
    say!("{text}");
    0
}

/// Writes `count` generated reports into `dir`.
pub fn generate(count: u64, dir: &Path, seed: u64) -> i32 {
    let written = std::fs::create_dir_all(dir).and_then(|_| {
        (0..count).try_for_each(|i| {
            std::fs::write(
                dir.join(format!("r{i:06}.toml")),
                crate::generate::report(seed, i),
            )
        })
    });
    match written {
        Ok(()) => 0,
        Err(e) => {
            tell!("错误：无法写入 {}：{e}", dir.display());
            2
        }
    }
}
