//! Per-report cost of each pipeline stage, and of each default rule on its
//! own, over generated reports (`jixiao::generate`). Run with
//! `cargo bench --bench pipeline`; figures are recorded in BENCHMARKS.md.

use std::sync::OnceLock;

use divan::{Bencher, black_box};
use jixiao::diagnostic::Outcome;
use jixiao::engine::{Checker, convert, pack};
use jixiao::render;
use jixiao::report::{self, LoadOptions, Report, raw};
use jixiao::review;

/// Reports per measured iteration; figures are per iteration, so divide.
const N: u64 = 100;

fn main() {
    divan::main();
}

fn texts() -> &'static [String] {
    static T: OnceLock<Vec<String>> = OnceLock::new();
    T.get_or_init(|| (0..N).map(|i| jixiao::generate::report(42, i)).collect())
}

fn reports() -> &'static [Report] {
    static R: OnceLock<Vec<Report>> = OnceLock::new();
    R.get_or_init(|| {
        texts()
            .iter()
            .enumerate()
            .map(|(i, t)| load(i, t))
            .collect()
    })
}

fn checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| Checker::new(pack::embedded()))
}

fn outcome() -> &'static Outcome {
    static O: OnceLock<Outcome> = OnceLock::new();
    O.get_or_init(|| Outcome {
        reports: reports().iter().map(|r| checker().check(r)).collect(),
        rules: checker().rule_infos(),
        ..Outcome::default()
    })
}

fn load(i: usize, t: &str) -> Report {
    report::load_bytes(&format!("r{i}.toml"), t.as_bytes(), LoadOptions::default()).unwrap()
}

/// Reading the files from disk.
#[divan::bench]
fn stage_1_read(b: Bencher) {
    let dir = std::env::temp_dir().join(format!("jixiao-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paths: Vec<_> = texts()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let p = dir.join(format!("r{i}.toml"));
            std::fs::write(&p, t).unwrap();
            p
        })
        .collect();
    b.bench(|| {
        paths
            .iter()
            .map(|p| std::fs::read(p).unwrap().len())
            .sum::<usize>()
    });
}

/// TOML parse with spans (step one of loading).
#[divan::bench]
fn stage_2_parse(b: Bencher) {
    b.bench(|| {
        for t in texts() {
            black_box(raw::parse(black_box(t)).unwrap());
        }
    });
}

/// Parse and validate against format v1 (both steps of loading).
#[divan::bench]
fn stage_3_load(b: Bencher) {
    b.bench(|| {
        for (i, t) in texts().iter().enumerate() {
            black_box(load(i, black_box(t)));
        }
    });
}

/// The report as a shared Rhai value.
#[divan::bench]
fn stage_4_convert(b: Bencher) {
    b.bench(|| {
        for r in reports() {
            let _ = black_box(convert::report(black_box(&r.root)));
        }
    });
}

/// Every default rule, with span resolution of their labels.
#[divan::bench]
fn stage_5_rules(b: Bencher) {
    check_every_report(b, checker());
}

fn check_every_report(b: Bencher, c: &Checker) {
    b.bench(|| {
        reports()
            .iter()
            .map(|r| c.check(black_box(r)).findings.len())
            .sum::<usize>()
    });
}

/// Every default rule again, with every finding already in the findings
/// cache: reading and decoding each report's entry instead of running the
/// rules (what a rerun costs per unchanged report).
#[divan::bench]
fn stage_5_rules_cached(b: Bencher) {
    let dir = std::env::temp_dir().join(format!("jixiao-bench-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut c = Checker::new(pack::embedded());
    c.set_cache(Some(std::sync::Arc::new(
        jixiao::cache::Cache::open(&dir, jixiao::cache::Key::from_bytes([1; 32])).unwrap(),
    )));
    for r in reports() {
        c.check(r);
    }
    check_every_report(b, &c);
}

/// Resolving data paths to spans and line/column (what labels cost).
#[divan::bench]
fn stage_6_spans(b: Bencher) {
    let paths: Vec<(usize, String)> = outcome()
        .reports
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.findings
                .iter()
                .flat_map(move |f| f.labels.iter().map(move |l| (i, l.path.clone())))
        })
        .collect();
    b.bench(|| {
        paths
            .iter()
            .map(|(i, p)| {
                let r = &reports()[*i];
                let span = r.span_of(p).unwrap();
                jixiao::diagnostic::line_col(&r.source, span.start).0
            })
            .sum::<usize>()
    });
}

/// Rendering the outcome as JSON.
#[divan::bench]
fn stage_7_render_json(b: Bencher) {
    b.bench(|| {
        let mut out = Vec::with_capacity(1 << 20);
        render::json::render(outcome(), &mut out).unwrap();
        out.len()
    });
}

/// Rendering the outcome as human text.
#[divan::bench]
fn stage_8_render_human(b: Bencher) {
    b.bench(|| {
        let mut out = Vec::with_capacity(1 << 20);
        render::human::render(outcome(), &mut out, render::human::Style::default()).unwrap();
        out.len()
    });
}

fn rule_ids() -> Vec<&'static str> {
    checker()
        .rules()
        .iter()
        .map(|r| r.doc.id.as_str())
        .collect()
}

/// Each default rule on its own over the same reports, already converted
/// (so the figure is the rule's own cost, findings and labels included).
#[divan::bench(args = rule_ids())]
fn rule(b: Bencher, id: &str) {
    let files: Vec<_> = pack::embedded()
        .into_iter()
        .filter(|f| f.id == id)
        .collect();
    let one = Checker::new(files);
    let data: Vec<_> = reports().iter().map(|r| convert::report(&r.root)).collect();
    b.bench(|| {
        reports()
            .iter()
            .zip(&data)
            .map(|(r, d)| one.run_on(black_box(r), d).len())
            .sum::<usize>()
    });
}

/// A whole batch through the review, on one thread.
#[divan::bench]
fn batch_check_one_thread(b: Bencher) {
    let dir = std::env::temp_dir().join(format!("jixiao-bench-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, t) in texts().iter().enumerate() {
        std::fs::write(dir.join(format!("r{i:03}.toml")), t).unwrap();
    }
    let sources = review::sources(review::collect(&[dir]).inputs);
    let review = review::Review::with_checker(Checker::new(pack::embedded())).with_jobs(1);
    b.bench(|| review.outcome(&sources).reports.len());
}
