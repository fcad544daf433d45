//! The meeting pack printed: Chromium prints the HTML pack of Word
//! reports to PDF (as a reviewer does before a meeting), and every
//! paragraph a finding quotes is there whole — wrapped, never cut off at
//! the page's edge. Needs Debian's chromium and poppler-utils (pdftotext),
//! which `.ci/run` installs.

mod common;
use common::{jixiao, temp_dir};

use std::path::Path;
use std::process::Command;

use jixiao::engine::{Checker, pack};
use jixiao::review::{Input, Source, check_with};

/// Documents with long paragraphs and wide tables.
const DOCS: &[&str] = &[
    "tests/data/import/corpus/w13-many-faults.docx",
    "tests/data/import/corpus/w05-pasted-prompt.docx",
    "tests/data/import/corpus/w02-next-paragraph.docx",
];

fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into())
}

/// Text without any white space: what a PDF's text and a paragraph share
/// however the lines were broken.
fn squeezed(t: &str) -> String {
    t.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_printed_meeting_pack_holds_every_quoted_paragraph_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = temp_dir("print");
    let html = dir.join("审核意见.html");
    let out = jixiao()
        .current_dir(root)
        .args(DOCS)
        .args(["--no-cache", "--output"])
        .arg(&html)
        .output()
        .unwrap();
    assert!(html.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let pdf = dir.join("审核意见.pdf");
    let printed = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium is needed to print the pack (apt-get install chromium)");
    assert!(pdf.exists(), "{}", String::from_utf8_lossy(&printed.stderr));
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext is needed to read the printed pack (apt-get install poppler-utils)");
    let text = squeezed(&String::from_utf8_lossy(&text.stdout));

    let checker = Checker::new(pack::embedded());
    let mut quoted = 0;
    for doc in DOCS {
        let path = root.join(doc);
        for r in check_with(
            &checker,
            &Source::File(Input {
                path: path.clone(),
                display: doc.to_string(),
            }),
        ) {
            for l in r.findings.iter().flat_map(|f| &f.labels) {
                // The whole line of the readable rendering the label is on:
                // its paragraph or cell, without the place in the margin.
                let start = r.source[..l.span.start].rfind('\n').map_or(0, |i| i + 1);
                let end = r.source[l.span.start..]
                    .find('\n')
                    .map_or(r.source.len(), |i| l.span.start + i);
                let line = &r.source[start..end];
                let paragraph = line.split_once("] ").map_or(line, |(_, t)| t);
                assert!(
                    text.contains(&squeezed(paragraph)),
                    "{doc}: not printed whole: {paragraph}"
                );
                quoted += 1;
            }
        }
    }
    assert!(quoted >= 20, "{quoted} quoted paragraphs");
}
