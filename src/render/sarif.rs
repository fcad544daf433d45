//! The SARIF 2.1.0 output, for code-scanning tools: the rules with their
//! Chinese titles and help, one result per finding with its region, related
//! labels as related locations, waivers as suppressions, and files that
//! could not be checked as tool notifications.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::diagnostic::{Baseline, Finding, Label, Outcome, Severity, line_col};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

fn location(path: &str, source: &str, l: &Label, id: usize) -> Value {
    // In an imported Word or Excel document a text region means nothing to
    // a SARIF viewer (the file is a zip): the paragraph or cell is named
    // as a logical location instead.
    if let Some(place) = &l.location {
        return json!({
            "id": id,
            "physicalLocation": { "artifactLocation": { "uri": path } },
            "logicalLocations": [
                { "fullyQualifiedName": l.path, "kind": "member" },
                { "name": place, "kind": "element" },
            ],
            "message": { "text": l.message },
        });
    }
    let (end_line, end_column) = line_col(source, l.span.end);
    json!({
        "id": id,
        "physicalLocation": {
            "artifactLocation": { "uri": path },
            "region": {
                "startLine": l.line,
                "startColumn": l.column,
                "endLine": end_line,
                "endColumn": end_column,
                "charOffset": l.span.start,
                "charLength": l.span.len(),
            }
        },
        "logicalLocations": [{ "fullyQualifiedName": l.path, "kind": "member" }],
        "message": { "text": l.message },
    })
}

fn result(outcome: &Outcome, path: &str, source: &str, f: &Finding) -> Value {
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": match &f.help { Some(h) => format!("{}\n提示：{h}", f.message), None => f.message.clone() } },
        "locations": [location(path, source, &f.labels[0], 0)],
    });
    if let Some(i) = outcome.rules.iter().position(|x| x.id == f.rule) {
        r["ruleIndex"] = json!(i);
    }
    if f.labels.len() > 1 {
        r["relatedLocations"] = f.labels[1..]
            .iter()
            .enumerate()
            .map(|(i, l)| location(path, source, l, i + 1))
            .collect();
    }
    if let Some(w) = &f.waived {
        let by = w.approver();
        r["suppressions"] = json!([{ "kind": "inSource", "status": "accepted", "justification": format!("{}{by}", w.reason) }]);
    }
    if let Some(b) = f.baseline {
        r["baselineState"] = json!(match b {
            Baseline::New => "new",
            Baseline::Persisting => "unchanged",
        });
    }
    r
}

/// Writes the outcome as one SARIF 2.1.0 log.
pub fn render(outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<Value> = outcome
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.checks },
                "help": { "text": format!("{}\n\n为什么：{}\n\n依据：{}", r.checks, r.why, r.basis) },
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    let notifications: Vec<Value> = outcome
        .errors
        .iter()
        .chain(outcome.reports.iter().flat_map(|r| &r.errors))
        .map(|e| {
            let mut n = json!({ "level": "error", "message": { "text": e.message }, "descriptor": { "id": e.code } });
            let mut loc = json!({ "physicalLocation": { "artifactLocation": { "uri": e.file } } });
            if let Some((line, column)) = e.position() {
                loc["physicalLocation"]["region"] = json!({ "startLine": line, "startColumn": column });
            }
            n["locations"] = json!([loc]);
            n
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "jixiao",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            } },
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": outcome.exit_code() != 2,
                "toolExecutionNotifications": notifications,
            }],
            "results": RESULTS,
        }],
    });
    // The results are written one at a time where the mark stands, so
    // that a batch's log is never held as one JSON tree (ten times the
    // size of its text); the bytes are those of the whole tree printed.
    let text = serde_json::to_string_pretty(&log)?;
    let mark = serde_json::to_string(RESULTS)?;
    let (head, tail) = text
        .split_once(&mark)
        .ok_or_else(|| io::Error::other("SARIF results mark not found"))?;
    w.write_all(head.as_bytes())?;
    let outer = head
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.len() - l.trim_start().len());
    let pad = format!("\n{}", " ".repeat(outer + 2));
    let mut none = true;
    for r in &outcome.reports {
        for f in &r.findings {
            let item = serde_json::to_string_pretty(&result(outcome, &r.path, &r.source, f))?;
            w.write_all(if none { b"[" } else { b"," })?;
            w.write_all(pad.as_bytes())?;
            w.write_all(item.replace('\n', &pad).as_bytes())?;
            none = false;
        }
    }
    if none {
        w.write_all(b"[]")?;
    } else {
        write!(w, "\n{}]", " ".repeat(outer))?;
    }
    w.write_all(tail.as_bytes())?;
    writeln!(w)
}

/// Where the results go in the log's text (see [`render`]).
const RESULTS: &str = "\u{0}results\u{0}";
