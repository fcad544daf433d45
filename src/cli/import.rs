//! `jixiao import`: a document in the form a department sent it, written
//! as a report in format v1 with the place of each value.

use std::io::Write;
use std::path::Path;

use super::output::{same_file, temp_path, write_error};
use super::{Color, print_errors, style};
use crate::diagnostic::FileError;
use crate::engine::host;
use crate::render;
use crate::review;

/// `jixiao import`: writes the TOML of a document, and tells on stderr
/// what the import found uncertain. A workbook of several 自评表 gives one
/// TOML per sheet, written beside `-o` with the sheet's name
/// (`报告.toml` → `报告-项目二.toml`). Exit 0 when every result loads as a
/// report, 1 when one needs a value filled in first (the year), 2 when the
/// document could not be read or an output not written.
pub fn run(file: &Path, output: Option<&Path>, force: bool) -> i32 {
    // `-o -` is standard output, as for `check`.
    let output = output.filter(|p| p.as_os_str() != "-");
    let name = file.display().to_string();
    let parts = match crate::import::import_file(file, &name) {
        Ok(i) => i,
        Err(f) => return print_errors(&review::failed(f).errors),
    };
    if parts.len() > 1 && output.is_none() {
        tell!(
            "错误：{name} 中有 {} 张自评表（{}），每张写成一个 TOML 文件；请用 -o 指定文件名，如 -o 报告.toml",
            parts.len(),
            parts
                .iter()
                .filter_map(|p| p.part.as_deref())
                .collect::<Vec<_>>()
                .join("、")
        );
        return 2;
    }
    let mut code = 0;
    for imported in &parts {
        let target = match (output, &imported.part) {
            (Some(path), Some(sheet)) if parts.len() > 1 => Some(beside(path, sheet)),
            (o, _) => o.map(Path::to_path_buf),
        };
        code = code.max(write_one(file, &name, imported, target.as_deref(), force));
    }
    code
}

/// `报告.toml` for the sheet 项目二: `报告-项目二.toml`.
fn beside(path: &Path, sheet: &str) -> std::path::PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let clean = crate::diagnostic::safe::file_name_part(sheet);
    path.with_file_name(format!("{stem}-{clean}.toml"))
}

fn write_one(
    file: &Path,
    name: &str,
    imported: &crate::import::Imported,
    output: Option<&Path>,
    force: bool,
) -> i32 {
    let shown = imported.name(name);
    let warnings: Vec<FileError> = imported
        .notes
        .iter()
        .map(|n| {
            let origin = n.origin.clone().unwrap_or_else(|| imported.origin_of(""));
            FileError {
                code: host::IMPORT_UNCERTAIN.into(),
                message: n.message.clone(),
                help: None,
                file: shown.clone(),
                source: Some(imported.display.clone()),
                labels: vec![(origin.span, origin.at.to_string())],
            }
        })
        .collect();
    let _ = render::human::render_warnings(
        &warnings,
        &mut std::io::stderr().lock(),
        style(Color::Auto),
    );
    let written = match output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(imported.toml.as_bytes())
                .and_then(|_| out.flush())
        }
        Some(path) => {
            if same_file(path, file) {
                tell!("错误：输出文件就是原始文件 {name}，不会覆盖");
                return 2;
            }
            if path.exists() && !force {
                tell!("错误：{} 已存在；加 --force 覆盖", path.display());
                return 2;
            }
            let tmp = temp_path(path);
            let done =
                std::fs::write(&tmp, &imported.toml).and_then(|_| std::fs::rename(&tmp, path));
            if done.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            done
        }
    };
    if let Err(e) = written {
        return write_error(
            &output.map_or("标准输出".into(), |p| p.display().to_string()),
            &e,
        );
    }
    let values = imported.origins.len();
    let notes = imported.notes.len();
    let whose = match (&imported.part, output) {
        (Some(sheet), Some(path)) => format!("工作表“{sheet}” → {}：", path.display()),
        _ => String::new(),
    };
    if !imported.has_year {
        tell!("{whose}导入 {values} 个值；原文中找不到评价年度，请在 TOML 中补填 year 后再检查");
        return 1;
    }
    tell!("{whose}导入 {values} 个值，{notes} 处需要核对；每个值旁的注释是它在原文中的位置");
    0
}
