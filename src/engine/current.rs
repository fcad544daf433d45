//! The report a rule is running on, as the helpers that read beyond the
//! converted data see it: its text (the value as printed), its tree, its
//! kind and who reads its findings (the form's names of its fields). Set
//! on the worker thread for the time a rule runs.

use std::sync::Arc;

use super::sandbox::R;
use crate::report::{Node, Report};

/// What the helpers read of the report a rule is running on: its text
/// and tree (for [`printed`]), its kind and who reads its findings (for
/// [`term`]).
struct Current {
    source: Arc<str>,
    root: Arc<Node>,
    kind: String,
    reader: crate::report::terms::Reader,
}

thread_local! {
    static CURRENT: std::cell::RefCell<Option<Current>> = const { std::cell::RefCell::new(None) };
}

/// Marks `report` as the one the rules on this thread read, until dropped.
pub struct Reading(());

impl Reading {
    pub fn start(report: &Report) -> Reading {
        CURRENT.with(|c| {
            *c.borrow_mut() = Some(Current {
                source: report.source.clone(),
                root: report.root.clone(),
                kind: report.meta.kind.clone(),
                reader: report.reader,
            })
        });
        Reading(())
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = None);
    }
}

/// Whether the part at `data_path` was read: false when the report's
/// `unread` (what the import saw but could not read) names it or the part
/// it belongs to (`summary` covers `summary[0].weight`). What a rule
/// reporting a part *missing* asks first, so that a part not understood
/// is never reported absent.
pub(super) fn understood(data_path: &str) -> bool {
    CURRENT.with(|c| {
        let c = c.borrow();
        let Some(cur) = c.as_ref() else { return true };
        let crate::report::raw::Value::Table(top) = &cur.root.value else {
            return true;
        };
        let Some((_, unread)) = top.iter().find(|(k, _)| k.name == "unread") else {
            return true;
        };
        let crate::report::raw::Value::Table(parts) = &unread.value else {
            return true;
        };
        !parts.iter().any(|(k, _)| {
            data_path == k.name
                || data_path
                    .strip_prefix(k.name.as_str())
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
    })
}

/// The value at a data path as written in the report file — `9.0`,
/// `"98%"` — or "" when the report has none: what a number's printed
/// precision is read from.
pub(super) fn printed(data_path: &str) -> String {
    CURRENT.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|cur| {
                let n = crate::report::path::resolve(&cur.root, data_path)?;
                cur.source.get(n.span.clone()).map(str::to_string)
            })
            .unwrap_or_default()
    })
}

/// The form's name for the value at a data path (see
/// [`crate::report::terms`]): `年初预算数`, `一级指标「过程」的扣分原因`,
/// `改进措施第 3 条`. A path format v1 does not have is an error, so that
/// a misspelt path fails the rule's fixtures.
pub(super) fn term(data_path: &str) -> R<String> {
    named(data_path, false)
}

/// The field at a data path named for whoever fills it in: the form's
/// name, and for a report edited as a TOML file its data path in brackets
/// (`一级指标「过程」的扣分原因（summary[0].deduction_reason）`) — for a
/// help that says where to write.
pub(super) fn field(data_path: &str) -> R<String> {
    named(data_path, true)
}

fn named(data_path: &str, for_reader: bool) -> R<String> {
    use crate::report::terms::{Reader, term};
    let found = CURRENT.with(|c| {
        c.borrow().as_ref().map(|cur| {
            let reader = if for_reader {
                cur.reader
            } else {
                Reader::Document
            };
            term(&cur.root, &cur.kind, data_path, reader)
        })
    });
    match found {
        Some(Some(name)) => Ok(name),
        Some(None) => Err(format!("报告格式 v1 中没有数据路径“{data_path}”").into()),
        // Outside a report (never while a rule runs): the path itself.
        None => Ok(data_path.to_string()),
    }
}
