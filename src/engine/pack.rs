//! Where rules come from: the default pack embedded at build time, or a
//! directory of `*.rhai` files that staff edit without recompiling.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::Settings;
use crate::diagnostic::FileError;

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

/// The rule files of a run: `replace` (`--rules DIR`) alone when given,
/// else the embedded pack (unless `default_pack = false`) plus the
/// configured directories. Two files with one id are an error naming both.
pub fn assemble(
    settings: &Settings,
    replace: Option<&Path>,
) -> Result<Vec<RuleFile>, Vec<FileError>> {
    let dir_error = |dir: &Path, e: std::io::Error| {
        let file = dir.display().to_string();
        FileError::whole(
            "jixiao::rules::io",
            &file,
            format!("无法读取规则目录 {file}：{e}"),
            None,
        )
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    match replace {
        Some(dir) => files = from_dir(dir).map_err(|e| vec![dir_error(dir, e)])?,
        None => {
            if settings.default_pack {
                files = embedded();
            }
            for p in &settings.paths {
                match from_dir(&p.value) {
                    Ok(more) => files.extend(more),
                    Err(e) => errors.push(p.origin.error(
                        "jixiao::rules::io",
                        format!("无法读取规则目录 {}：{e}", p.value.display()),
                        None,
                        "此目录",
                    )),
                }
            }
        }
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for f in &files {
        if let Some(first) = seen.insert(f.id.clone(), f.file.clone()) {
            errors.push(FileError::whole(
                "jixiao::rules::duplicate",
                &f.file,
                format!("规则 id `{}` 重复：{first} 与 {}", f.id, f.file),
                Some("每个规则 id 只能有一个文件；删除或改名其中之一，或用 [rules] disable / default_pack = false".into()),
            ));
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
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
