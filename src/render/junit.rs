//! The JUnit XML output, for submission portals that show CI results: one
//! test suite per report, one test case per report × applicable rule. A
//! rule with an unwaived error-severity finding fails; warnings and advice
//! pass with their findings in the case's output. A report that could not
//! be checked is one erroring case.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::diagnostic::{Finding, Outcome, Severity};

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

/// Writes the outcome as JUnit XML.
pub fn render(outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    let mut report = Report::new("jixiao");
    for r in &outcome.reports {
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
            for info in outcome
                .rules
                .iter()
                .filter(|i| i.applies == "all" || i.applies == meta.kind)
            {
                let found: Vec<&Finding> =
                    r.findings.iter().filter(|f| f.rule == info.id).collect();
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
        report.add_test_suite(suite);
    }
    report.serialize(&mut *w).map_err(io::Error::other)?;
    writeln!(w)
}
