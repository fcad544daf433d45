//! Where rules come from: the default pack embedded at build time, or a
//! directory of `*.rhai` files that staff edit without recompiling.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::config::Settings;
use crate::diagnostic::FileError;
use crate::report::read;

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

/// Rule files read for a run, and the files that could not be used as
/// rules (not UTF-8, unreadable, not a regular file): those are errors of
/// the run, and every other rule still runs.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Vec<RuleFile>,
    pub errors: Vec<FileError>,
}

/// Rule files larger than this are refused.
pub const MAX_RULE_BYTES: u64 = 1024 * 1024;

/// The rule files of a run: `replace` (`--rules DIR`) alone when given,
/// else the embedded pack (unless `default_pack = false`) plus the
/// configured directories. Two files with one id, or a directory that
/// cannot be read, are errors that stop the run.
pub fn assemble(settings: &Settings, replace: Option<&Path>) -> Result<Loaded, Vec<FileError>> {
    let dir_error = |dir: &Path, e: std::io::Error| {
        let file = dir.display().to_string();
        FileError::whole(
            "jixiao::rules::io",
            &file,
            format!("无法读取规则目录 {file}：{}", read::io_reason(&e)),
            None,
        )
    };
    let mut loaded = Loaded::default();
    let mut errors = Vec::new();
    match replace {
        Some(dir) => loaded = from_dir(dir).map_err(|e| vec![dir_error(dir, e)])?,
        None => {
            if settings.default_pack {
                loaded.files = embedded();
            }
            for p in &settings.paths {
                match from_dir(&p.value) {
                    Ok(more) => {
                        loaded.files.extend(more.files);
                        loaded.errors.extend(more.errors);
                    }
                    Err(e) => errors.push(p.origin.error(
                        "jixiao::rules::io",
                        format!(
                            "无法读取规则目录 {}：{}",
                            p.value.display(),
                            read::io_reason(&e)
                        ),
                        None,
                        "此目录",
                    )),
                }
            }
        }
    }
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for f in &loaded.files {
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
        Ok(loaded)
    } else {
        Err(errors)
    }
}

/// The rules in a directory: every `*.rhai` file directly in it, by name.
/// A file that cannot be read as UTF-8 text is an error naming it; the
/// others are read.
pub fn from_dir(dir: &Path) -> std::io::Result<Loaded> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rhai") && !p.is_dir())
        .collect();
    paths.sort();
    let mut loaded = Loaded::default();
    for p in paths {
        let file = p.display().to_string();
        match read_rule(&p) {
            Ok(text) => loaded.files.push(RuleFile {
                id: p
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                file,
                text: Arc::from(text),
            }),
            Err((code, message, help)) => loaded.errors.push(FileError::whole(
                code,
                &file,
                format!("规则文件 {file} 未载入：{message}"),
                help,
            )),
        }
    }
    Ok(loaded)
}

/// A rule file's text, or the error code, reason and advice.
fn read_rule(p: &Path) -> Result<String, (&'static str, String, Option<String>)> {
    let bytes = read::capped(p, MAX_RULE_BYTES).map_err(|e| (e.code(), e.reason(), None))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to() + 1;
        let gbk = encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(e.as_bytes())
            .is_some();
        let what = if gbk {
            "看起来是 GBK/GB18030 编码"
        } else {
            "不是 UTF-8 编码"
        };
        (
            "jixiao::rule::encoding",
            format!("{what}（第 {at} 字节起无法按 UTF-8 解码）"),
            Some("规则文件须为 UTF-8 编码：在编辑器中“另存为”并选择编码 UTF-8，或用 iconv -f GB18030 -t UTF-8 原文件 > 新文件".into()),
        )
    })
}
