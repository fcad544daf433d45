//! `jixiao check`: sets a review up from the command line, opens its
//! outputs, runs it, and says what happened; `--watch` reruns it whenever
//! something it reads changes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use clap::Args;

use super::notices::{self, Notices};
use super::output::{self, Output, Target};
use super::{Color, PackArgs, print_errors};
use crate::diagnostic::{FileError, Outcome, Summary};
use crate::render::{self, Format};
use crate::review::{self, Review, Sink};

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 报告文件或目录：Word（.docx .doc .wps .odt）、Excel（.xlsx .xls .et .ods）、PDF、文本（.txt .md）或报告格式 v1（.toml）；目录中的这些文件都会检查
    #[arg(required = true, value_name = "文件或目录")]
    pub paths: Vec<PathBuf>,
    /// 输出格式（默认 human；写入文件时按扩展名推断）
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// 把结果写入文件（可多次；按扩展名选择格式：.json .sarif .xml .md .html .xlsx .txt；- 表示标准输出）；写成文件夹（以 / 结尾，如 整改通知/）时，为每份报告写一份整改通知（.docx）
    #[arg(long, short, value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// 并行检查的线程数（默认每个 CPU 核一个）
    #[arg(long, short, value_name = "N", default_value_t = 0)]
    pub jobs: usize,
    /// 在标准错误输出按规则和级别统计的表格
    #[arg(long)]
    pub statistics: bool,
    /// 与之前一次 --format json 的输出比较，标出新增、未整改和已整改的问题
    #[arg(long, value_name = "PREVIOUS.json")]
    pub baseline: Option<PathBuf>,
    #[command(flatten)]
    pub pack: PackArgs,
    /// 批量豁免文件（[[waivers]]，每条写明 report 路径）
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// 彩色输出：auto 仅在终端且未设置 NO_COLOR 时着色
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// 报告、规则或配置改动时自动重新检查（Ctrl-C 退出）
    #[arg(long)]
    pub watch: bool,
    #[command(flatten)]
    pub cache: super::cache::CacheArgs,
    /// 不读也不写检查结果缓存（每条规则对每份报告都重新运行）
    #[arg(long)]
    pub no_cache: bool,
}

/// Every file a check reads besides its reports: the waiver, baseline and
/// configuration files and the rule files of `--rules`.
fn other_inputs(args: &CheckArgs) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = args.waivers.iter().chain(&args.baseline).cloned().collect();
    match &args.pack.config {
        Some(c) => out.push(c.clone()),
        None => out.extend(
            std::env::current_dir()
                .ok()
                .and_then(|d| crate::config::discover(&d)),
        ),
    }
    if let Some(dir) = &args.pack.rules
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        out.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
    }
    out
}

pub fn check(args: &CheckArgs) -> i32 {
    let (folders, files): (Vec<PathBuf>, Vec<PathBuf>) = args
        .output
        .iter()
        .cloned()
        .partition(|p| notices::is_folder(p));
    // Only folders: the screen still shows the findings.
    let files = if files.is_empty() && !folders.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        files
    };
    let targets = match output::targets(&files, args.format) {
        Ok(t) => t,
        Err(e) => return print_errors(&[e]),
    };
    let collected = review::collect(&args.paths);
    let mut read: Vec<PathBuf> = collected.inputs.iter().map(|i| i.path.clone()).collect();
    read.extend(other_inputs(args));
    // Checked before anything is written, not even an error document.
    if let Some(e) = output::clash(&targets, &read) {
        return print_errors(&[e]);
    }
    match run(args, collected, &targets, &folders) {
        Ok(code) => code,
        Err(errors) => {
            // Machine-readable outputs still get a document saying why.
            let outcome = Outcome {
                errors: errors.clone(),
                ..Outcome::default()
            };
            for t in targets
                .iter()
                .filter(|(_, f)| matches!(f, Format::Json | Format::Sarif))
            {
                let written = Output::open(t, false).and_then(|mut o| {
                    o.begin(&render::Begin {
                        errors: &outcome.errors,
                        rules: &[],
                        compared: false,
                        config: None,
                    })?;
                    o.end(&render::End {
                        errors: &outcome.errors,
                        warnings: &[],
                        summary: &Summary::default(),
                    })
                });
                if let Err(e) = written {
                    output::write_error(&target_name(t), &e);
                }
            }
            print_errors(&errors)
        }
    }
}

fn target_name(t: &Target) -> String {
    t.0.as_ref()
        .map_or("标准输出".into(), |p| p.display().to_string())
}

/// Sets the review up, opens the outputs and runs it.
fn run(
    args: &CheckArgs,
    collected: review::Collected,
    targets: &[Target],
    folders: &[PathBuf],
) -> Result<i32, Vec<FileError>> {
    let review::Collected { inputs, skipped } = collected;
    let cache = super::cache::open(&args.cache, args.no_cache);
    let options = review::Options {
        pack: args.pack.options(),
        waivers: args.waivers.clone(),
        baseline: args.baseline.clone(),
        cache,
        jobs: args.jobs,
    };
    if inputs.is_empty() {
        return Err(vec![nothing_to_check(&args.paths, &skipped)]);
    }
    let review = Review::new(options, inputs.len())?;
    if args.jobs > review::max_jobs() {
        tell!(
            "警告：--jobs {} 超过上限 {}（每个 CPU 核 4 个），按 {} 运行",
            args.jobs,
            review::max_jobs(),
            review::max_jobs()
        );
    }
    let mut code = 0;
    let color = super::colored(args.color);
    let mut outputs: Vec<Output> = Vec::new();
    for t in targets {
        match Output::open(t, color) {
            Ok(o) => outputs.push(o),
            Err(e) => code = code.max(output::write_error(&target_name(t), &e)),
        }
    }
    let bar = progress(inputs.len(), args.watch);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let mut notices: Vec<Notices> = folders.iter().map(|d| Notices::new(d)).collect();
    let sources = review::sources(inputs);
    let ran = {
        let mut sinks: Vec<&mut dyn Sink> = outputs
            .iter_mut()
            .map(|o| o as &mut dyn Sink)
            .chain(notices.iter_mut().map(|n| n as &mut dyn Sink))
            .collect();
        review.run(&sources, &skipped, &mut sinks, &tick)
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let sink_name = |i: usize| match outputs.get(i) {
        Some(o) => o.name(),
        None => notices[i - outputs.len()].name(),
    };
    for (i, e) in &ran.failed {
        code = code.max(output::write_error(&sink_name(*i), e));
    }
    // Say what was written where, and the outcome in one line, when the
    // results went to files rather than to the screen.
    let failed = |i: usize| ran.failed.iter().any(|(f, _)| *f == i);
    let written: Vec<&Output> = outputs
        .iter()
        .enumerate()
        .filter(|(i, o)| o.target.0.is_some() && !failed(*i))
        .map(|(_, o)| o)
        .collect();
    for o in &written {
        tell!("已写出 {}（{}）", o.written(), counts(&ran.summary));
    }
    for (k, n) in notices.iter().enumerate() {
        if !failed(outputs.len() + k) {
            tell!("已写出 {}（{} 份整改通知）", n.name(), n.written);
        }
    }
    if !written.is_empty() || !notices.is_empty() {
        tell!("{}", ran.summary.sentence());
    }
    if args.statistics {
        statistics(&ran.summary);
    }
    Ok(if code != 0 { code } else { ran.exit_code })
}

/// "5 份报告，错误 8 条、警告 3 条" — what an output file holds.
fn counts(s: &Summary) -> String {
    let f = &s.findings;
    let mut parts = vec![format!("{} 份报告", s.reports)];
    for (n, what) in [(f.error, "错误"), (f.warning, "警告"), (f.advice, "建议")] {
        if n > 0 {
            parts.push(format!("{what} {n} 条"));
        }
    }
    if f.total() == 0 {
        parts.push("未发现问题".into());
    }
    parts.join("，")
}

/// The error of a run that found nothing to check: the paths given, and
/// what was found there and left out.
fn nothing_to_check(paths: &[PathBuf], skipped: &[review::Skipped]) -> FileError {
    let given: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut message = format!(
        "在 {} 中没有找到可检查的报告（Word .docx .doc .wps .odt、Excel .xlsx .xls .et .ods、PDF、文本 .txt .md 或 .toml）",
        given.join("、")
    );
    if !skipped.is_empty() {
        let shown: Vec<String> = skipped
            .iter()
            .take(5)
            .map(|s| format!("{}（{}）", s.display, s.reason))
            .collect();
        message.push_str(&format!(
            "；跳过了 {} 个文件：{}{}",
            skipped.len(),
            shown.join("、"),
            if skipped.len() > 5 { "等" } else { "" }
        ));
    }
    FileError::whole(
        "jixiao::nothing",
        "<命令行>",
        message,
        Some("请给出报告文件，或存放报告的文件夹".into()),
    )
}

/// A progress bar on stderr for large batches on a terminal.
fn progress(n: usize, watch: bool) -> Option<indicatif::ProgressBar> {
    if watch || n < 20 || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} 份报告 {elapsed}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// Per-rule and per-severity counts, as a table on stderr.
fn statistics(s: &Summary) {
    tell!("{:<36}{:>6}{:>6}{:>6}", "rule", "错误", "警告", "建议");
    for (id, c) in &s.rules {
        tell!("{id:<36}{:>8}{:>8}{:>8}", c.error, c.warning, c.advice);
    }
    tell!(
        "{:<36}{:>8}{:>8}{:>8}",
        "total",
        s.findings.error,
        s.findings.warning,
        s.findings.advice
    );
    tell!(
        "报告 {} 份：通过 {}，未通过 {}，出错 {}",
        s.reports,
        s.passed,
        s.failed,
        s.errors
    );
}

/// Modification times and sizes of everything a check reads.
fn fingerprint(args: &CheckArgs) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    let mut paths: Vec<PathBuf> = review::collect(&args.paths)
        .inputs
        .into_iter()
        .map(|i| i.path)
        .collect();
    let mut dirs: Vec<PathBuf> = args.pack.rules.iter().cloned().collect();
    if let Ok(s) = review::settings(&args.pack.options()) {
        dirs.extend(s.paths.into_iter().map(|p| p.value));
        paths.extend(s.file);
    }
    for d in dirs {
        if let Ok(entries) = std::fs::read_dir(&d) {
            paths.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
        }
    }
    paths.extend(args.waivers.iter().cloned());
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let m = std::fs::metadata(&p).ok();
            let modified = m.as_ref().and_then(|m| m.modified().ok());
            let len = m.map_or(0, |m| m.len());
            (p, modified, len)
        })
        .collect()
}

/// Checks, then checks again whenever a report, rule, configuration or
/// waiver file changes. Runs until interrupted.
pub fn watch(args: &CheckArgs) -> i32 {
    let mut last = Vec::new();
    loop {
        let now = fingerprint(args);
        if now != last {
            last = now;
            let code = check(args);
            tell!("—— 检查完成（退出码 {code}），等待文件改动……（Ctrl-C 退出）");
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}
