//! The JUnit XML output, for submission portals that show CI results: one
//! test suite per report, one test case per report × applicable rule. A
//! rule with an unwaived error-severity finding fails; warnings and advice
//! pass with their findings in the case's output. A report that could not
//! be checked is one erroring case.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::diagnostic::{Finding, Outcome, ReportOutcome, RuleInfo, Severity};

fn describe(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let at = f
                .labels
                .first()
                .map(|l| format!("{}:{} {}", l.line, l.column, l.path))
                .unwrap_or_default();
            let waived = f
                .waived
                .as_ref()
                .map(|w| format!("［已豁免：{}］", w.reason))
                .unwrap_or_default();
            format!("[{}] {waived}{}（{at}）", f.severity.zh(), f.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One report's test suite.
fn suite(rules: &[RuleInfo], r: &ReportOutcome) -> TestSuite {
    let mut suite = TestSuite::new(r.path.as_str());
    if !r.errors.is_empty() {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(r.errors[0].message.as_str());
        status.set_description(
            r.errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let mut case = TestCase::new("load", status);
        case.set_classname(r.path.as_str());
        suite.add_test_case(case);
    }
    if let Some(meta) = &r.meta {
        for info in rules
            .iter()
            .filter(|i| i.applies == "all" || i.applies == meta.kind)
        {
            let found: Vec<&Finding> = r.findings.iter().filter(|f| f.rule == info.id).collect();
            let failing: Vec<&Finding> = found.iter().copied().filter(|f| f.fails()).collect();
            let status = if failing.is_empty() {
                TestCaseStatus::success()
            } else {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(failing[0].message.as_str());
                s.set_type(Severity::Error.as_str());
                s.set_description(describe(&failing));
                s
            };
            let mut case = TestCase::new(format!("{} {}", info.id, info.title), status);
            case.set_classname(r.path.as_str());
            let rest: Vec<&Finding> = found.iter().copied().filter(|f| !f.fails()).collect();
            if !rest.is_empty() {
                case.set_system_out(describe(&rest));
            }
            suite.add_test_case(case);
        }
    }
    suite
}

/// A report serialized, as text.
fn xml(report: &Report) -> io::Result<String> {
    let mut out = Vec::new();
    report.serialize(&mut out).map_err(io::Error::other)?;
    String::from_utf8(out).map_err(io::Error::other)
}

/// The JUnit XML: each report's suite is serialized as it comes (into a
/// spool: the root element carries the totals) and the document assembled
/// at the end; the bytes are those of one report serialized at once.
#[derive(Default)]
pub struct Emitter {
    rules: Vec<RuleInfo>,
    suites: super::spool::Spool,
    any: bool,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl super::Emitter for Emitter {
    fn begin(&mut self, _: &mut dyn Write, run: &super::Begin<'_>) -> io::Result<()> {
        self.rules = run.rules.to_vec();
        Ok(())
    }

    fn report(&mut self, _: &mut dyn Write, r: &ReportOutcome, _: Vec<u8>) -> io::Result<()> {
        let suite = suite(&self.rules, r);
        self.tests += suite.tests;
        self.failures += suite.failures;
        self.errors += suite.errors;
        self.skipped += suite.skipped;
        let mut one = Report::new(NAME);
        one.add_test_suite(suite);
        // The suite's lines: between the root element's and its end.
        let text = xml(&one)?;
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        for line in &lines[2..lines.len() - 1] {
            self.suites.write_all(line.as_bytes())?;
        }
        self.any = true;
        Ok(())
    }

    fn end(&mut self, w: &mut dyn Write, _: &super::End<'_>) -> io::Result<()> {
        let mut report = Report::new(NAME);
        if self.any {
            report.add_test_suite(TestSuite::new(MARK));
        }
        report.tests = self.tests;
        report.failures = self.failures;
        report.errors = self.errors;
        report.skipped = self.skipped;
        let text = xml(&report)?;
        if !self.any {
            w.write_all(text.as_bytes())?;
            return writeln!(w);
        }
        let at = text
            .find(&format!("    <testsuite name=\"{MARK}\""))
            .ok_or_else(|| io::Error::other("JUnit suites mark not found"))?;
        let after = at + text[at..].find('\n').map_or(text.len() - at, |n| n + 1);
        w.write_all(&text.as_bytes()[..at])?;
        self.suites.drain_into(w)?;
        w.write_all(&text.as_bytes()[after..])?;
        writeln!(w)
    }
}

const NAME: &str = "jixiao";
/// The name of the suite that stands where the spooled suites go.
const MARK: &str = "jixiao-suites-mark";

/// Writes the outcome as JUnit XML.
pub fn render(outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    super::write_outcome(&mut Emitter::default(), outcome, w)
}
