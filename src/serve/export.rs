//! What the workbench gives to take away: the meeting pack (HTML), the
//! 审核意见表 (Excel), the minutes (Markdown), the JSON, and every
//! department's 整改通知 (Word, in one zip) — for the latest round of every
//! report, or those the overview's filters keep. Each report is checked as
//! it stands, compared with its earlier round, with the reviewers'
//! decisions applied: a waiver is listed as waived, a false positive not
//! at all.

use std::io::Write;

use rayon::prelude::*;

use super::bench::{Error, Result, Workbench};
use super::pages::overview::Query;
use crate::diagnostic::{Outcome, ReportOutcome};
use crate::render::{self, Format};

/// A file to send: its bytes, media type and name.
pub struct File {
    pub bytes: Vec<u8>,
    pub media: &'static str,
    pub name: String,
}

/// The reports the filters keep, as the exports show them.
fn outcomes(bench: &Workbench, q: &Query) -> Result<Vec<ReportOutcome>> {
    let ids: Vec<i64> = bench
        .list()?
        .into_iter()
        .filter(|(s, run, _)| q.keeps(s, run.as_ref()))
        .map(|(s, _, _)| s.id)
        .collect();
    ids.into_par_iter()
        .map(|id| bench.view(id).map(Workbench::decided))
        .collect()
}

/// The export `kind` (`html`, `xlsx`, `md`, `json` or `notices`).
pub fn export(bench: &Workbench, kind: &str, q: &Query) -> Result<File> {
    let (format, media, name) = match kind {
        "html" => (
            Some(Format::Html),
            "text/html; charset=utf-8",
            "审核意见.html",
        ),
        "xlsx" => (
            Some(Format::Xlsx),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "审核意见表.xlsx",
        ),
        "md" => (
            Some(Format::Markdown),
            "text/markdown; charset=utf-8",
            "会议纪要.md",
        ),
        "json" => (Some(Format::Json), "application/json", "审核结果.json"),
        "notices" => (None, "application/zip", "整改通知.zip"),
        other => return Err(Error::NotFound(format!("没有“{other}”这种导出格式"))),
    };
    let reports = outcomes(bench, q)?;
    let review = bench.review();
    let outcome = Outcome {
        compared: reports
            .iter()
            .any(|r| r.findings.iter().any(|f| f.baseline.is_some())),
        reports,
        rules: review.rules(),
        ..Outcome::default()
    };
    let io = |e: std::io::Error| Error::Internal(format!("导出失败：{e}"));
    let mut bytes = Vec::new();
    match format {
        Some(f) => {
            let mut e = render::emitter(f, render::Options::default());
            render::write_outcome(e.as_mut(), &outcome, &mut bytes).map_err(io)?;
        }
        None => notices(&outcome, &mut bytes).map_err(io)?,
    }
    Ok(File {
        bytes,
        media,
        name: name.to_string(),
    })
}

/// Every report's notice, in a zip (one `.docx` each, named as `check
/// --output 整改通知/` names them).
fn notices(outcome: &Outcome, out: &mut Vec<u8>) -> std::io::Result<()> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut taken = std::collections::BTreeSet::new();
    for r in &outcome.reports {
        let name = render::notice::first_free(&render::notice::file_name(r), |n| {
            taken.insert(n.to_string())
        });
        let mut doc = Vec::new();
        render::notice::write(r, &outcome.rules, &mut doc)?;
        zip.start_file(name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(&doc)?;
    }
    let bytes = zip.finish().map_err(std::io::Error::other)?.into_inner();
    out.extend_from_slice(&bytes);
    Ok(())
}
