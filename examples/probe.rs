//! Times rule bodies given on the command line over 200 generated reports
//! (a tool for tuning rules and helpers; see BENCHMARKS.md).
//! `cargo run --release --example probe -- 'for r in report.indicators {} []'`
use std::sync::Arc;

use jixiao::engine::{Checker, RuleFile, convert};

fn main() {
    let t = std::time::Instant::now();
    let c = Checker::new(jixiao::engine::pack::embedded());
    let full = t.elapsed();
    let t = std::time::Instant::now();
    let _e = jixiao::engine::new_engine(Default::default());
    println!(
        "engine {:?}, engine + compile pack {full:?} ({} rules)",
        t.elapsed(),
        c.rules().len()
    );
    let texts: Vec<String> = (0..200).map(|i| jixiao::generate::report(42, i)).collect();
    let reports: Vec<_> = texts
        .iter()
        .map(|t| jixiao::report::load_bytes("r.toml", t.as_bytes(), Default::default()).unwrap())
        .collect();
    let data: Vec<_> = reports.iter().map(|r| convert::report(&r.root)).collect();
    for body in std::env::args().skip(1) {
        let text = format!(
            "//! id = \"p\"\n//! title = \"t\"\n//! severity = \"error\"\n//! basis = \"b\"\n//! checks = \"c\"\n//! why = \"w\"\n//! example = \"e\"\n{body}\n"
        );
        let c = Checker::new(vec![RuleFile {
            id: "p".into(),
            file: "p.rhai".into(),
            text: Arc::from(text),
        }]);
        if let Some(e) = c.errors().first() {
            println!("error: {}", e.message);
            continue;
        }
        if let Some(e) = c.check(&reports[0]).errors.first() {
            println!("error: {}", e.message);
            continue;
        }
        let t = std::time::Instant::now();
        let mut n = 0;
        for _ in 0..5 {
            for (r, d) in reports.iter().zip(&data) {
                n += c.run_on(r, d).len();
            }
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / 1000.0;
        println!("{us:>8.2} µs/report  {n:>5} findings  {body}");
    }
}
