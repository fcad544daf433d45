//! Submissions checked again from the bytes the ledger keeps: the report
//! of a submission's part (its sheet, when its workbook holds several),
//! each file read and checked once for all of its sheets — a re-run after a
//! parameter change or a rule's preview costs one import a file, not one
//! a sheet.

use std::sync::Arc;

use crate::diagnostic::ReportOutcome;
use crate::ledger::{Ledger, Result, Submission};
use crate::review::{Document, Review, Source};

/// A submission's bytes checked with `review`: the report of its part.
pub fn checked(review: &Review, s: &Submission, bytes: Vec<u8>) -> ReportOutcome {
    part_of(s, review.check(&source_of(s, bytes)))
}

/// A submission's bytes as a source to check.
fn source_of(s: &Submission, bytes: Vec<u8>) -> Source {
    Source::Memory(Document {
        name: s.name.clone(),
        bytes: Arc::from(bytes),
    })
}

/// Of the reports a file gives, the one that is submission `s` (its
/// sheet, when its workbook holds several).
pub fn part_of(s: &Submission, mut reports: Vec<ReportOutcome>) -> ReportOutcome {
    let i = match &s.part {
        Some(part) => reports
            .iter()
            .position(|r| r.path.ends_with(&format!("#{part}")))
            .unwrap_or(0),
        None => 0,
    };
    reports.swap_remove(i)
}

/// The reports the file of submission `s` gives, checked with `review`.
pub fn file_reports(
    review: &Review,
    ledger: &Ledger,
    s: &Submission,
) -> Result<Vec<ReportOutcome>> {
    let bytes = ledger.read(|tx| tx.blob(&s.blob))?.unwrap_or_default();
    Ok(review.check(&source_of(s, bytes)))
}

/// Submissions in runs of those of one file (a workbook's sheets follow
/// each other), in order.
pub fn by_file(subs: Vec<Submission>) -> Vec<Vec<Submission>> {
    let mut out: Vec<Vec<Submission>> = Vec::new();
    for s in subs {
        match out.last_mut() {
            Some(run) if run[0].blob == s.blob => run.push(s),
            _ => out.push(vec![s]),
        }
    }
    out
}

/// Checks submissions with `review`, each file once: the submissions of
/// one workbook (its sheets, which follow each other) share one import
/// and check of the file, instead of one each.
pub fn checked_each<'a>(
    review: &'a Review,
    ledger: &'a Ledger,
    subs: impl IntoIterator<Item = Submission> + 'a,
) -> impl Iterator<Item = Result<(Submission, ReportOutcome)>> + 'a {
    let mut last: Option<(String, Vec<ReportOutcome>)> = None;
    subs.into_iter().map(move |s| {
        let reports = match last.take() {
            Some((blob, reports)) if blob == s.blob => reports,
            _ => file_reports(review, ledger, &s)?,
        };
        let r = part_of(&s, reports.clone());
        last = Some((s.blob.clone(), reports));
        Ok((s, r))
    })
}
