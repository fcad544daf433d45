//! The house's floors, checked from the source: every module imports only
//! modules on floors below its own (report ← engine ← review ← cli, with
//! the parts the review assembles — import, render, cache, config — below
//! it), so that there is no import cycle between modules, and no file in
//! `src/` grows past 800 lines.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module's floor: a module may use those on lower floors.
const FLOORS: &[(&str, u32)] = &[
    ("report", 0),
    ("clock", 0),
    ("memory", 0),
    ("diagnostic", 1),
    ("config", 2),
    ("cache", 2),
    ("import", 2),
    ("render", 2),
    ("generate", 2),
    ("engine", 3),
    ("waivers", 4),
    ("baseline", 4),
    ("review", 5),
    ("ledger", 5),
    ("serve", 6),
    ("cli", 7),
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a source file belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a file's code (comments left out) names through
/// `crate::`.
fn uses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for name in inner.split(',') {
                    let name: String = name
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
    }
    out
}

#[test]
fn no_module_imports_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let floors: BTreeMap<&str, u32> = FLOORS.iter().copied().collect();
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong = Vec::new();
    for f in &all {
        let module = module_of(&src, f);
        if module == "lib" || module == "main" {
            continue;
        }
        let floor = *floors
            .get(module.as_str())
            .unwrap_or_else(|| panic!("module {module} has no floor in FLOORS"));
        let text = std::fs::read_to_string(f).unwrap();
        for used in uses(&text) {
            if used == module {
                continue;
            }
            let Some(&below) = floors.get(used.as_str()) else {
                continue;
            };
            if below >= floor {
                wrong.push(format!(
                    "{} ({module}, floor {floor}) uses {used} (floor {below})",
                    f.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The sibling submodules a file names through `super::`.
fn sibling_uses(text: &str, siblings: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(i) = rest.find("super::") {
            rest = &rest[i + "super::".len()..];
            let names: Vec<String> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap_or("").to_string())
                    .collect(),
                None => vec![
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect(),
                ],
            };
            out.extend(names.into_iter().filter(|n| siblings.contains(n)));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether the graph has a cycle, and one if so.
fn cycle(edges: &BTreeMap<String, Vec<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            return Some(path[i..].to_vec());
        }
        if done.iter().any(|d| d == n) {
            return None;
        }
        path.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.push(n.to_string());
        None
    }
    let mut done = Vec::new();
    for n in edges.keys() {
        if let Some(c) = visit(n, edges, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_submodules_import_each_other_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![src.clone()];
    let mut found = Vec::new();
    while let Some(dir) = dirs.pop() {
        let entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        let siblings: Vec<String> = entries
            .iter()
            .filter_map(|p| {
                let stem = p.file_stem()?.to_string_lossy().into_owned();
                (p.is_dir() || (p.extension().is_some_and(|x| x == "rs") && stem != "mod"))
                    .then_some(stem)
            })
            .collect();
        let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in &entries {
            if p.is_dir() {
                dirs.push(p.clone());
            }
            let file = if p.is_dir() {
                p.join("mod.rs")
            } else {
                p.clone()
            };
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            if stem == "mod" || dir == src {
                continue;
            }
            edges.insert(stem, sibling_uses(&text, &siblings));
        }
        if let Some(c) = cycle(&edges) {
            found.push(format!("{}: {}", dir.display(), c.join(" → ")));
        }
    }
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn no_source_file_is_over_800_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let long: Vec<String> = all
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > 800).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:?}");
}

#[test]
fn the_scanner_finds_grouped_and_plain_uses() {
    let text = "use crate::{diagnostic::Finding, report};\nlet x = crate::engine::host::ids(); // crate::cli";
    assert_eq!(uses(text), ["diagnostic", "report", "engine"]);
}
