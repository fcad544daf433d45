//! The benchmark report generator gives 5–10 KB reports on which every
//! default rule fires somewhere and stays quiet elsewhere.

use jixiao::engine::{Checker, pack};
use jixiao::generate::report;
use jixiao::review::check_text;

#[test]
fn every_rule_fires_on_some_generated_reports_and_not_on_others() {
    let checker = Checker::new(pack::embedded());
    let n = 200;
    let mut fired: std::collections::BTreeMap<String, usize> = Default::default();
    let mut sizes = Vec::new();
    for i in 0..n {
        let text = report(1, i);
        sizes.push(text.len());
        let out = check_text(&checker, &format!("r{i}.toml"), &text);
        assert!(
            out.errors.is_empty(),
            "report {i} loads and checks: {:?}",
            out.errors
        );
        let rules: std::collections::BTreeSet<&str> =
            out.findings.iter().map(|f| f.rule.as_str()).collect();
        for r in rules {
            *fired.entry(r.to_string()).or_default() += 1;
        }
    }
    for rule in checker.rules() {
        let k = fired.get(&rule.doc.id).copied().unwrap_or(0);
        assert!(
            k > 0 && k < n as usize,
            "{} fires on {k} of {n} reports",
            rule.doc.id
        );
    }
    let avg = sizes.iter().sum::<usize>() / sizes.len();
    assert!((5_000..=10_000).contains(&avg), "average {avg} bytes");
    assert!(*sizes.iter().min().unwrap() >= 3_000 && *sizes.iter().max().unwrap() <= 12_000);
}
