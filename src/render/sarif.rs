//! The SARIF 2.1.0 output, for code-scanning tools: the rules with their
//! Chinese titles and help, one result per finding with its region, related
//! labels as related locations, waivers as suppressions, and files that
//! could not be checked as tool notifications.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::diagnostic::{
    Baseline, FileError, Finding, Label, Outcome, ReportOutcome, RuleInfo, Severity, line_col,
};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

/// `region`: whether the report's text is the file's own (a TOML or text
/// file), so that a line and column mean something in it.
fn location(path: &str, source: &str, l: &Label, id: usize, region: bool) -> Value {
    // In an imported Word or Excel document a text region means nothing to
    // a SARIF viewer (the file is a zip): the paragraph or cell is named
    // as a logical location instead.
    if let (Some(place), false) = (l.place(), region) {
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
        "logicalLocations": match l.place() {
            Some(place) => json!([
                { "fullyQualifiedName": l.path, "kind": "member" },
                { "name": place, "kind": "element" },
            ]),
            None => json!([{ "fullyQualifiedName": l.path, "kind": "member" }]),
        },
        "message": { "text": l.message },
    })
}

fn result(rules: &[RuleInfo], r: &ReportOutcome, f: &Finding) -> Value {
    let (path, source) = (r.path.as_str(), &*r.source);
    let region = !super::has_margins(r);
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": match &f.help { Some(h) => format!("{}\n提示：{h}", f.message), None => f.message.clone() } },
        "locations": [location(path, source, &f.labels[0], 0, region)],
    });
    if let Some(i) = rules.iter().position(|x| x.id == f.rule) {
        r["ruleIndex"] = json!(i);
    }
    if f.labels.len() > 1 {
        r["relatedLocations"] = f.labels[1..]
            .iter()
            .enumerate()
            .map(|(i, l)| location(path, source, l, i + 1, region))
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

/// A tool notification for a file that could not be used.
fn notification(e: &FileError) -> Value {
    let mut n = json!({ "level": "error", "message": { "text": e.message }, "descriptor": { "id": e.code } });
    let mut loc = json!({ "physicalLocation": { "artifactLocation": { "uri": e.file } } });
    if let Some((line, column)) = e.position() {
        loc["physicalLocation"]["region"] = json!({ "startLine": line, "startColumn": column });
    }
    n["locations"] = json!([loc]);
    n
}

/// The log without its results, which go where [`RESULTS`] stands.
fn log(rules: &[RuleInfo], notifications: &[Value], successful: bool) -> Value {
    let rules: Vec<Value> = rules
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
    json!({
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
                "executionSuccessful": successful,
                "toolExecutionNotifications": notifications,
            }],
            "results": RESULTS,
        }],
    })
}

/// The log printed, split where its results go.
fn halves(log: &Value) -> io::Result<(String, String)> {
    let text = serde_json::to_string_pretty(log)?;
    let mark = serde_json::to_string(RESULTS)?;
    let (head, tail) = text
        .split_once(&mark)
        .ok_or_else(|| io::Error::other("SARIF results mark not found"))?;
    Ok((head.to_string(), tail.to_string()))
}

/// The SARIF log: results are written one at a time to a spool (the log
/// names its notifications and whether the run succeeded before them) and
/// the log assembled around them at the end; the bytes are those of the
/// whole tree printed at once.
#[derive(Default)]
pub struct Emitter {
    rules: Vec<RuleInfo>,
    notifications: Vec<Value>,
    /// The indentation of the results array.
    pad: String,
    results: super::spool::Spool,
    any: bool,
}

impl super::Emitter for Emitter {
    fn begin(&mut self, _: &mut dyn Write, run: &super::Begin<'_>) -> io::Result<()> {
        self.rules = run.rules.to_vec();
        self.notifications = run.errors.iter().map(notification).collect();
        // The results' depth in the log is fixed by its shape.
        let (head, _) = halves(&log(&[], &[], true))?;
        let outer = head
            .rsplit('\n')
            .next()
            .map_or(0, |l| l.len() - l.trim_start().len());
        self.pad = format!("\n{}", " ".repeat(outer + 2));
        Ok(())
    }

    fn report(&mut self, _: &mut dyn Write, r: &ReportOutcome, _: Vec<u8>) -> io::Result<()> {
        self.notifications.extend(r.errors.iter().map(notification));
        for f in &r.findings {
            let item = serde_json::to_string_pretty(&result(&self.rules, r, f))?;
            self.results.write_all(if self.any { b"," } else { b"[" })?;
            self.results.write_all(self.pad.as_bytes())?;
            self.results
                .write_all(item.replace('\n', &self.pad).as_bytes())?;
            self.any = true;
        }
        Ok(())
    }

    fn end(&mut self, w: &mut dyn Write, end: &super::End<'_>) -> io::Result<()> {
        let successful = end.summary.exit_code(!end.errors.is_empty()) != 2;
        let (head, tail) = halves(&log(&self.rules, &self.notifications, successful))?;
        w.write_all(head.as_bytes())?;
        if self.any {
            self.results.drain_into(w)?;
            let outer = self.pad.len() - 3;
            write!(w, "\n{}]", " ".repeat(outer))?;
        } else {
            w.write_all(b"[]")?;
        }
        w.write_all(tail.as_bytes())?;
        writeln!(w)
    }
}

/// Writes the outcome as one SARIF 2.1.0 log.
pub fn render(outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    super::write_outcome(&mut Emitter::default(), outcome, w)
}

/// Where the results go in the log's text (see [`Emitter`]).
const RESULTS: &str = "\u{0}results\u{0}";
