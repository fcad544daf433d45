//! Where rules come from: the default pack embedded at build time, or a
//! directory of `*.rhai` files that staff edit without recompiling.

use std::path::Path;
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The name embedded rule files are shown under.
pub const EMBEDDED_PREFIX: &str = "embedded:rules/";

/// The text of one rule file and where it came from.
#[derive(Debug, Clone)]
pub struct RuleFile {
    /// The id: the file name without `.rhai`.
    pub id: String,
    /// Where it is shown to come from: a path, or `embedded:rules/<id>.rhai`.
    pub file: String,
    pub text: Arc<str>,
}

/// The default rule pack, as embedded in the binary.
pub fn embedded() -> Vec<RuleFile> {
    embedded::FILES
        .iter()
        .filter_map(|(rel, text)| {
            let id = rel.strip_suffix(".rhai").filter(|id| !id.contains('/'))?;
            Some(RuleFile {
                id: id.to_string(),
                file: format!("{EMBEDDED_PREFIX}{rel}"),
                text: Arc::from(*text),
            })
        })
        .collect()
}

/// Every embedded file of the pack (rules and fixtures), by path relative
/// to `rules/`.
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    embedded::FILES
}

/// The rules in a directory: every `*.rhai` file directly in it, by name.
pub fn from_dir(dir: &Path) -> std::io::Result<Vec<RuleFile>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "rhai"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)?;
            Ok(RuleFile {
                id: p
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                file: p.display().to_string(),
                text: Arc::from(text),
            })
        })
        .collect()
}
