//! The command line: parses arguments, assembles and configures the rule
//! pack, runs the command and writes its output. Exit codes: 0 clean, 1 a
//! finding at error severity (or a failing rule test), 2 an input, rule or
//! setting could not be used, or the command was misused.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::baseline;
use crate::batch;
use crate::config::{self, Settings};
use crate::diagnostic::{FileError, Outcome, ReportOutcome, Summary};
use crate::engine::{Checker, Rule, fixtures, pack, suggest};
use crate::render;
use crate::report::schema;
use crate::waivers;

/// Prints a line to stdout; a closed pipe (`jixiao rules list | head`)
/// is not an error worth a panic. What is printed may hold text from files
/// and file names: control characters are shown escaped.
macro_rules! say {
    ($($t:tt)*) => {{
        let _ = writeln!(
            std::io::stdout(),
            "{}",
            crate::diagnostic::safe::sanitize_text(&format!($($t)*))
        );
    }};
}

/// [`say`] to stderr.
macro_rules! tell {
    ($($t:tt)*) => {{
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::diagnostic::safe::sanitize_text(&format!($($t)*))
        );
    }};
}

#[derive(Parser, Debug)]
#[command(
    name = "jixiao",
    version,
    about = "检查绩效自评报告是否符合审核规则 (budget performance self-evaluation report checker)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 检查报告文件（或目录下的所有 *.toml）
    Check(CheckArgs),
    /// 查看、测试、新建和导出规则
    #[command(subcommand)]
    Rules(RulesCommand),
    /// 把 Word（.docx）、Excel（.xlsx）或文本（.txt/.md）报告导入为报告格式 v1（TOML）
    Import {
        /// 原始文件：.docx、.xlsx、.txt 或 .md
        file: PathBuf,
        /// 写入的 TOML 文件（默认写到标准输出）
        #[arg(long, short, value_name = "OUT.toml")]
        output: Option<PathBuf>,
        /// 覆盖已存在的输出文件
        #[arg(long)]
        force: bool,
    },
    /// 输出报告格式 v1 的 JSON Schema（供编辑器补全和校验）
    Schema,
    /// 检查结果缓存：显示位置或清除
    #[command(subcommand)]
    Cache(CacheCommand),
    /// Writes N generated reports into DIR (for benchmarks and stress tests).
    #[command(hide = true)]
    Generate {
        count: u64,
        dir: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Which rules run, and how they are configured.
#[derive(Args, Debug, Clone, Default)]
pub struct PackArgs {
    /// 用该目录中的规则（*.rhai）替换整个规则包
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// 配置文件（默认在当前目录及其上级目录中查找 jixiao.toml）
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// 设置规则参数，覆盖配置文件，如 execution-rate-bounds.max=110%
    #[arg(long = "param", value_name = "RULE.KEY=VALUE")]
    pub params: Vec<String>,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 报告文件或目录（目录递归查找 *.toml）
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 输出格式（默认 human；写入文件时按扩展名推断）
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// 把结果写入文件（可多次；按扩展名选择格式：.json .sarif .xml .md .html .xlsx .txt；- 表示标准输出）
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
    pub cache: CacheArgs,
    /// 不读也不写检查结果缓存（每条规则对每份报告都重新运行）
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Subcommand, Debug)]
pub enum CacheCommand {
    /// 显示缓存目录
    Dir(CacheArgs),
    /// 删除缓存目录及其中的全部内容
    Clean(CacheArgs),
}

/// Where the findings cache is.
#[derive(Args, Debug, Clone, Default)]
pub struct CacheArgs {
    /// 检查结果缓存目录（默认为 $JIXIAO_CACHE_DIR，或用户缓存目录下的 jixiao）
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

impl CacheArgs {
    fn dir(&self) -> Option<PathBuf> {
        self.cache_dir.clone().or_else(crate::cache::default_dir)
    }
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// 列出当前规则包中的规则
    List(PackArgs),
    /// 显示规则的说明、依据、参数和示例
    Explain {
        /// 规则 id
        id: String,
        #[command(flatten)]
        pack: PackArgs,
    },
    /// 运行规则的测试夹具（rules/tests/<id>/*.toml）
    Test {
        /// 规则目录（默认为当前规则包）
        dir: Option<PathBuf>,
        #[command(flatten)]
        pack: PackArgs,
    },
    /// 新建一条规则及其触发、不触发两个夹具
    New {
        /// 新规则的 id（小写字母、数字和连字符）
        id: String,
        /// 规则目录
        #[arg(long, default_value = "rules")]
        dir: PathBuf,
    },
    /// 把内置规则包（规则和夹具）导出到目录，作为自行修改的起点
    Export {
        dir: PathBuf,
        /// 覆盖已存在的文件
        #[arg(long)]
        force: bool,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Markdown,
    Html,
    Xlsx,
}

impl Format {
    /// The format a file name's extension asks for.
    fn from_extension(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "xml" => Some(Format::Junit),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "xlsx" => Some(Format::Xlsx),
            "txt" => Some(Format::Human),
            _ => None,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Check(args) if args.watch => watch(&args),
        Command::Check(args) => check(&args),
        Command::Rules(cmd) => rules(cmd),
        Command::Generate { count, dir, seed } => {
            let written = std::fs::create_dir_all(&dir).and_then(|_| {
                (0..count).try_for_each(|i| {
                    std::fs::write(
                        dir.join(format!("r{i:06}.toml")),
                        crate::generate::report(seed, i),
                    )
                })
            });
            match written {
                Ok(()) => 0,
                Err(e) => {
                    tell!("错误：无法写入 {}：{e}", dir.display());
                    2
                }
            }
        }
        Command::Import {
            file,
            output,
            force,
        } => import(&file, output.as_deref(), force),
        Command::Cache(CacheCommand::Dir(c)) => match c.dir() {
            Some(d) => {
                say!("{}", d.display());
                0
            }
            None => {
                tell!("{NO_CACHE_DIR}");
                2
            }
        },
        Command::Cache(CacheCommand::Clean(c)) => clean_cache(&c),
        Command::Schema => {
            let text = serde_json::to_string_pretty(&schema::json_schema()).unwrap_or_default();
            say!("{text}");
            0
        }
    }
}

fn style(color: Color) -> render::human::Style {
    let on = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    render::human::Style {
        color: on,
        width: 100,
    }
}

/// Settings from the configuration file and the command line.
fn settings(pack: &PackArgs) -> Result<Settings, Vec<FileError>> {
    let file = match &pack.config {
        Some(f) => Some(f.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| config::discover(&d)),
    };
    let mut s = match file {
        Some(f) => config::load(&f)?,
        None => Settings::default(),
    };
    let mut errors = Vec::new();
    for arg in &pack.params {
        match config::parse_param_arg(arg) {
            Ok(p) => s.params.push(p),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(errors)
    }
}

const NO_CACHE_DIR: &str = "错误：找不到用户缓存目录；请用 --cache-dir 或 JIXIAO_CACHE_DIR 指定";

/// The findings cache a check uses, unless `--no-cache`; a cache that
/// cannot be opened, or whose key cannot be read or made, is a warning,
/// and the check runs without it.
fn open_cache(args: &CheckArgs) -> Option<std::sync::Arc<crate::cache::Cache>> {
    if args.no_cache {
        return None;
    }
    let dir = args.cache.dir()?;
    let opened = crate::cache::key_file()
        .ok_or_else(|| std::io::Error::other("找不到用户配置目录，无法保存缓存密钥"))
        .and_then(|file| {
            let inside = file
                .parent()
                .zip(dir.canonicalize().ok())
                .is_some_and(|(p, d)| p.canonicalize().is_ok_and(|p| p.starts_with(&d)));
            if inside {
                return Err(std::io::Error::other(format!(
                    "缓存密钥 {} 在缓存目录之内",
                    file.display()
                )));
            }
            crate::cache::load_key(&file)
        })
        .and_then(|key| crate::cache::Cache::open(&dir, key));
    match opened {
        Ok(c) => Some(std::sync::Arc::new(c)),
        Err(e) => {
            tell!(
                "警告：无法使用检查结果缓存目录 {}：{e}；本次不使用缓存",
                crate::diagnostic::safe::sanitize_line(&dir.display().to_string())
            );
            None
        }
    }
}

/// `jixiao cache clean`: removes the cache directory, only if it is one
/// (it holds the `CACHEDIR.TAG` jixiao writes), so that a mistyped
/// `--cache-dir` never deletes anything else.
fn clean_cache(args: &CacheArgs) -> i32 {
    let Some(dir) = args.dir() else {
        tell!("{NO_CACHE_DIR}");
        return 2;
    };
    if !dir.exists() {
        say!("缓存目录 {} 不存在，无需清除", dir.display());
        return 0;
    }
    if !crate::cache::is_cache(&dir) {
        tell!(
            "错误：{} 不是 jixiao 的缓存目录（其中没有 CACHEDIR.TAG），未删除",
            dir.display()
        );
        return 2;
    }
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {
            say!("已删除缓存目录 {}", dir.display());
            0
        }
        Err(e) => {
            tell!("错误：无法删除缓存目录 {}：{e}", dir.display());
            2
        }
    }
}

/// The configured pack, compiled for a run over `reports` reports; rules
/// that do not compile are in its errors.
fn checker(
    pack: &PackArgs,
    reports: usize,
    cache: Option<std::sync::Arc<crate::cache::Cache>>,
) -> Result<(Checker, Settings), Vec<FileError>> {
    let s = settings(pack)?;
    let loaded = pack::assemble(&s, pack.rules.as_deref())?;
    let mut checker = Checker::for_reports(loaded.files, reports, cache);
    checker.add_errors(loaded.errors);
    let errors = checker.configure(&s);
    if errors.is_empty() {
        Ok((checker, s))
    } else {
        Err(errors)
    }
}

fn print_errors(errors: &[FileError]) -> i32 {
    let mut err = std::io::stderr().lock();
    let _ = render::human::render_errors(errors, &mut err, style(Color::Auto));
    2
}

/// `jixiao import`: writes the TOML of a document, and tells on stderr
/// what the import found uncertain. Exit 0 when the result loads as a
/// report, 1 when it needs a value filled in first (the year), 2 when the
/// document could not be read or the output not written.
fn import(file: &Path, output: Option<&Path>, force: bool) -> i32 {
    let name = file.display().to_string();
    let imported = match crate::import::import_file(file, &name) {
        Ok(i) => i,
        Err(f) => return print_errors(&batch::failed(f).errors),
    };
    let warnings: Vec<FileError> = imported
        .notes
        .iter()
        .map(|n| {
            let origin = n.origin.clone().unwrap_or_else(|| imported.origin_of(""));
            FileError {
                code: crate::import::IMPORT_UNCERTAIN.into(),
                message: n.message.clone(),
                help: None,
                file: name.clone(),
                source: Some(imported.display.clone()),
                labels: vec![(origin.span, origin.location)],
            }
        })
        .collect();
    let _ = render::human::render_warnings(
        &warnings,
        &mut std::io::stderr().lock(),
        style(Color::Auto),
    );
    let written = match output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(imported.toml.as_bytes())
                .and_then(|_| out.flush())
        }
        Some(path) => {
            if same_file(path, file) {
                tell!("错误：输出文件就是原始文件 {name}，不会覆盖");
                return 2;
            }
            if path.exists() && !force {
                tell!("错误：{} 已存在；加 --force 覆盖", path.display());
                return 2;
            }
            let tmp = temp_path(path);
            let done =
                std::fs::write(&tmp, &imported.toml).and_then(|_| std::fs::rename(&tmp, path));
            if done.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            done
        }
    };
    if let Err(e) = written {
        return report_write_error(&(output.map(Path::to_path_buf), Format::Human), &e);
    }
    let values = imported.origins.len();
    let notes = imported.notes.len();
    if !imported.has_year {
        tell!("导入 {values} 个值；原文中找不到评价年度，请在 TOML 中补填 year 后再检查");
        return 1;
    }
    tell!("导入 {values} 个值，{notes} 处需要核对；每个值旁的注释是它在原文中的位置");
    0
}

/// Whether two paths name the same existing file: the same inode (so a
/// symbolic or hard link to a file is that file), or, where inodes are not
/// known, the same canonical path.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
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
                .and_then(|d| config::discover(&d)),
        ),
    }
    if let Some(dir) = &args.pack.rules
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        out.extend(entries.filter_map(|e| e.ok().map(|e| e.path())));
    }
    out
}

/// An `--output` that would overwrite one of the run's inputs (or is
/// given twice): the error that stops the run before anything is written.
fn output_clash(targets: &[Target], inputs: &[PathBuf]) -> Option<FileError> {
    let files: Vec<&PathBuf> = targets.iter().filter_map(|(p, _)| p.as_ref()).collect();
    for (i, out) in files.iter().enumerate() {
        if let Some(input) = inputs.iter().find(|i| same_file(out, i)) {
            let shown =
                crate::diagnostic::safe::sanitize_line(&out.display().to_string()).into_owned();
            return Some(FileError::whole(
                "jixiao::usage",
                &shown,
                format!(
                    "输出文件 {shown} 就是输入文件 {}，不会覆盖",
                    crate::diagnostic::safe::sanitize_line(&input.display().to_string())
                ),
                Some("审核结果请写到另一个文件名，如 --output 审核意见.xlsx".into()),
            ));
        }
        if files[..i].iter().any(|o| o == out || same_file(o, out)) {
            let shown =
                crate::diagnostic::safe::sanitize_line(&out.display().to_string()).into_owned();
            return Some(FileError::whole(
                "jixiao::usage",
                &shown,
                format!("输出文件 {shown} 指定了两次"),
                None,
            ));
        }
    }
    None
}

/// Where one rendering of the outcome goes: stdout (None) or a file.
type Target = (Option<PathBuf>, Format);

fn targets(args: &CheckArgs) -> Result<Vec<Target>, FileError> {
    if args.output.is_empty() {
        return Ok(vec![(None, args.format.unwrap_or(Format::Human))]);
    }
    args.output
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                return Ok((None, args.format.unwrap_or(Format::Human)));
            }
            let format = Format::from_extension(p).or(args.format).ok_or_else(|| {
                FileError::whole(
                    "jixiao::usage",
                    &p.display().to_string(),
                    format!("无法从文件名 {} 判断输出格式", p.display()),
                    Some("用扩展名 .json .sarif .xml .md .html .xlsx .txt，或加 --format".into()),
                )
            })?;
            Ok((Some(p.clone()), format))
        })
        .collect()
}

fn render_to(
    outcome: &Outcome,
    format: Format,
    w: &mut dyn Write,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Human => {
            render::human::render(outcome, w, render::human::Style { color, width: 100 })
        }
        Format::Json => render::json::render(outcome, w),
        Format::Sarif => render::sarif::render(outcome, w),
        Format::Junit => render::junit::render(outcome, w),
        Format::Markdown => render::markdown::render(outcome, w),
        Format::Html => render::html::render(outcome, w),
        Format::Xlsx => render::xlsx::render(outcome, w),
    }
}

/// Renders the outcome to every target; returns 2 if one failed.
fn write_outcome(outcome: &Outcome, targets: &[Target], color: Color) -> i32 {
    let mut code = 0;
    for t in targets {
        let result = Sink::open(t, color).and_then(|mut sink| {
            render_to(outcome, t.1, &mut sink.writer, sink.color)?;
            sink.finish()
        });
        if let Err(e) = result {
            code = code.max(report_write_error(t, &e));
        }
    }
    code
}

fn report_write_error(t: &Target, e: &std::io::Error) -> i32 {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return 0;
    }
    let to =
        t.0.as_ref()
            .map_or("标准输出".into(), |p| p.display().to_string());
    tell!("错误：写出结果到 {to} 失败：{e}");
    2
}

/// Where one rendering goes while it is written: stdout, or a temporary
/// file beside the target that is renamed over it when complete.
struct Sink {
    writer: Box<dyn Write>,
    file: Option<(PathBuf, PathBuf)>,
    color: bool,
}

impl Sink {
    fn open(t: &Target, color: Color) -> std::io::Result<Sink> {
        match &t.0 {
            None => {
                let stdout = std::io::stdout();
                if t.1 == Format::Xlsx && stdout.is_terminal() {
                    return Err(std::io::Error::other(
                        "xlsx 是二进制文件，请用 --output 文件名.xlsx 写入文件",
                    ));
                }
                Ok(Sink {
                    writer: Box::new(std::io::BufWriter::new(stdout)),
                    file: None,
                    color: style(color).color,
                })
            }
            Some(path) => {
                let tmp = temp_path(path);
                let file = std::fs::File::create(&tmp)?;
                Ok(Sink {
                    writer: Box::new(std::io::BufWriter::new(file)),
                    file: Some((tmp, path.clone())),
                    color: false,
                })
            }
        }
    }

    /// Flushes and, for a file, moves it into place.
    fn finish(mut self) -> std::io::Result<()> {
        let flushed = self.writer.flush();
        // Close the file before it is renamed.
        drop(std::mem::replace(
            &mut self.writer,
            Box::new(std::io::sink()),
        ));
        match self.file.take() {
            None => flushed,
            Some((tmp, path)) => {
                let done = flushed.and_then(|_| std::fs::rename(&tmp, &path));
                if done.is_err() {
                    let _ = std::fs::remove_file(&tmp);
                }
                done
            }
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // An unfinished file (an error part way) is not left behind.
        if let Some((tmp, _)) = self.file.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.jixiao-{}.tmp", std::process::id()))
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
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{:<36}{:>6}{:>6}{:>6}", "rule", "错误", "警告", "建议");
    for (id, c) in &s.rules {
        let _ = writeln!(err, "{id:<36}{:>8}{:>8}{:>8}", c.error, c.warning, c.advice);
    }
    let _ = writeln!(
        err,
        "{:<36}{:>8}{:>8}{:>8}",
        "total", s.findings.error, s.findings.warning, s.findings.advice
    );
    let _ = writeln!(
        err,
        "报告 {} 份：通过 {}，未通过 {}，出错 {}",
        s.reports, s.passed, s.failed, s.errors
    );
}

/// Reports checked per chunk: large enough to keep the workers busy, small
/// enough that memory does not grow with the batch.
const CHUNK: usize = 128;

/// A target being written while the batch is checked.
enum Live {
    Json(Sink, render::json::Stream),
    Human(Sink, Box<render::human::Stream>),
    /// Formats that need the whole batch (HTML cover table, xlsx, …).
    Whole(Target),
}

/// The warning for reports that no rule checked (a configuration that
/// turned every rule off, or none that applies to their kind): "通过"
/// must never mean that nothing was looked at.
fn no_rules_ran(paths: &[String], config: Option<&str>, settings: &Settings) -> Option<FileError> {
    let first = paths.first()?;
    let shown: Vec<&str> = paths.iter().take(5).map(String::as_str).collect();
    let more = if paths.len() > 5 {
        format!(" 等 {} 份", paths.len())
    } else {
        String::new()
    };
    let why = match (config, settings.default_pack) {
        (Some(c), false) => format!(
            "配置文件 {} 设置了 default_pack = false，内置规则包未使用",
            crate::diagnostic::safe::sanitize_line(c)
        ),
        (Some(c), true) => format!(
            "配置文件 {} 关闭了适用于它们的规则",
            crate::diagnostic::safe::sanitize_line(c)
        ),
        (None, _) => "规则包中没有适用于它们的规则".into(),
    };
    Some(FileError::whole(
        "jixiao::no-rules",
        first,
        format!(
            "没有任何规则检查了 {}{more}：{why}；“通过”不表示已审核",
            shown.join("、")
        ),
        Some("检查配置文件的 [rules] 一节，或用 --config 指定应使用的配置文件".into()),
    ))
}

/// Checks the batch chunk by chunk, writing JSON and human output as it
/// goes; only formats that need the whole batch keep the reports.
fn run_check(
    args: &CheckArgs,
    collected: batch::Collected,
    targets: &[Target],
) -> Result<i32, Vec<FileError>> {
    let batch::Collected { inputs, skipped } = collected;
    let (checker, settings) = checker(&args.pack, inputs.len(), open_cache(args))?;
    let config = settings.file.as_ref().map(|f| f.display().to_string());
    let waiver_file = args.waivers.as_deref().map(waivers::load).transpose()?;
    let previous = args
        .baseline
        .as_deref()
        .map(baseline::load)
        .transpose()
        .map_err(|e| vec![e])?;
    if inputs.is_empty() {
        return Err(vec![FileError::whole(
            "jixiao::usage",
            "<命令行>",
            "所给路径下没有找到报告文件（*.toml、*.docx、*.xlsx）".into(),
            None,
        )]);
    }
    let compared = previous.is_some();
    let mut code = 0;
    let mut live = Vec::new();
    for t in targets {
        let opened = match t.1 {
            Format::Json => Sink::open(t, args.color).and_then(|mut s| {
                let st = render::json::Stream::begin(&mut s.writer, compared, config.as_deref())?;
                Ok(Live::Json(s, st))
            }),
            Format::Human => Sink::open(t, args.color).and_then(|mut s| {
                let style = render::human::Style {
                    color: s.color,
                    width: 100,
                };
                let st = render::human::Stream::begin(&mut s.writer, style, checker.errors())?;
                Ok(Live::Human(s, Box::new(st)))
            }),
            _ => Ok(Live::Whole(t.clone())),
        };
        match opened {
            Ok(l) => live.push((t.clone(), l)),
            Err(e) => code = code.max(report_write_error(t, &e)),
        }
    }
    let keep = live.iter().any(|(_, l)| matches!(l, Live::Whole(_)));
    let mut held = Outcome {
        errors: checker.errors().to_vec(),
        rules: checker.rule_infos(),
        compared,
        config: config.clone(),
        ..Outcome::default()
    };
    let mut summary = Summary::default();
    // Reports that loaded but that no rule checked.
    let mut unchecked: Vec<String> = Vec::new();
    let waiving = waiver_file.as_ref().map(|w| w.start());
    if args.jobs > batch::max_jobs() {
        tell!(
            "警告：--jobs {} 超过上限 {}（每个 CPU 核 4 个），按 {} 运行",
            args.jobs,
            batch::max_jobs(),
            batch::max_jobs()
        );
    }
    let pool = batch::pool(args.jobs, inputs.len());
    let bar = progress(inputs.len(), args.watch);
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    // What each live target needs rendered, done on the workers.
    enum Pre {
        Json,
        Human(Box<render::human::Painter>),
        None,
    }
    let pre: Vec<Pre> = live
        .iter()
        .map(|(_, l)| match l {
            Live::Json(..) => Pre::Json,
            Live::Human(s, _) => {
                let style = render::human::Style {
                    color: s.color,
                    width: 100,
                };
                Pre::Human(Box::new(render::human::Painter::new(style)))
            }
            Live::Whole(_) => Pre::None,
        })
        .collect();
    let mut failed = vec![false; live.len()];
    let then = |mut r: ReportOutcome| {
        if let Some(w) = &waiving {
            w.apply(&mut r);
        }
        if let Some(p) = &previous {
            p.apply_report(&mut r);
        }
        let rendered: Vec<(Vec<u8>, String)> = pre
            .iter()
            .map(|p| match p {
                Pre::Json => (render::json::report_bytes(&r, compared), String::new()),
                Pre::Human(painter) => render::human::report_bytes(painter, &r),
                Pre::None => (Vec::new(), String::new()),
            })
            .collect();
        (r, rendered)
    };
    let run =
        |c: &[batch::Input]| batch::check_chunk_then(pool.as_ref(), &checker, c, &tick, &then);
    // While this thread writes one chunk, the workers check the next.
    let mut chunks = inputs.chunks(CHUNK);
    let mut ready = chunks.next().map(run);
    while let Some(done) = ready.take() {
        let next = chunks.next();
        std::thread::scope(|scope| {
            // With --jobs 1 everything stays on this thread.
            let worker = next
                .filter(|_| pool.is_some())
                .map(|c| scope.spawn(move || run(c)));
            for (r, rendered) in done {
                summary.add(&r);
                if r.meta.is_some() && r.rules_run == 0 {
                    unchecked.push(r.path.clone());
                }
                for (((t, l), bad), (bytes, status)) in
                    live.iter_mut().zip(failed.iter_mut()).zip(rendered)
                {
                    if *bad {
                        continue;
                    }
                    let written = match l {
                        Live::Json(s, st) => st.prerendered(&mut s.writer, &bytes),
                        Live::Human(s, st) => st.prerendered(&mut s.writer, &bytes, status),
                        Live::Whole(_) => Ok(()),
                    };
                    if let Err(e) = written {
                        code = code.max(report_write_error(t, &e));
                        *bad = true;
                    }
                }
                if keep {
                    held.reports.push(r);
                }
            }
            ready = match worker {
                Some(w) => Some(w.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
                None => next.map(run),
            };
        });
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    held.warnings = skipped.iter().map(batch::Skipped::note).collect();
    held.warnings
        .extend(no_rules_ran(&unchecked, config.as_deref(), &settings));
    held.warnings.extend(
        waiving
            .map(|w| w.finish(&checker.known_ids()))
            .unwrap_or_default(),
    );
    if args.statistics {
        statistics(&summary);
    }
    for ((t, l), bad) in live.into_iter().zip(failed) {
        // A target that failed part way is dropped: its temporary file is
        // removed, never renamed into place.
        if bad {
            continue;
        }
        let result = match l {
            Live::Json(mut s, st) => st
                .end(&mut s.writer, &held.errors, &held.warnings, &summary)
                .and_then(|_| s.finish()),
            Live::Human(mut s, st) => st
                .end(&mut s.writer, &held.warnings, &summary, config.as_deref())
                .and_then(|_| s.finish()),
            Live::Whole(t) => {
                code = code.max(write_outcome(&held, std::slice::from_ref(&t), args.color));
                continue;
            }
        };
        if let Err(e) = result {
            code = code.max(report_write_error(&t, &e));
        }
    }
    let run = summary.exit_code(!held.errors.is_empty());
    Ok(if code != 0 { code } else { run })
}

fn check(args: &CheckArgs) -> i32 {
    let targets = match targets(args) {
        Ok(t) => t,
        Err(e) => return print_errors(&[e]),
    };
    let collected = batch::collect(&args.paths);
    let mut read: Vec<PathBuf> = collected.inputs.iter().map(|i| i.path.clone()).collect();
    read.extend(other_inputs(args));
    // Checked before anything is written, not even an error document.
    if let Some(e) = output_clash(&targets, &read) {
        return print_errors(&[e]);
    }
    match run_check(args, collected, &targets) {
        Ok(code) => code,
        Err(errors) => {
            // Machine-readable outputs still get a document saying why.
            let outcome = Outcome {
                errors: errors.clone(),
                ..Outcome::default()
            };
            let machine: Vec<Target> = targets
                .into_iter()
                .filter(|(_, f)| matches!(f, Format::Json | Format::Sarif))
                .collect();
            write_outcome(&outcome, &machine, args.color);
            print_errors(&errors)
        }
    }
}

/// Modification times and sizes of everything a check reads.
fn fingerprint(args: &CheckArgs) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    let mut paths: Vec<PathBuf> = batch::collect(&args.paths)
        .inputs
        .into_iter()
        .map(|i| i.path)
        .collect();
    let mut dirs: Vec<PathBuf> = args.pack.rules.iter().cloned().collect();
    if let Ok(s) = settings(&args.pack) {
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
fn watch(args: &CheckArgs) -> i32 {
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

fn rules(cmd: RulesCommand) -> i32 {
    match cmd {
        RulesCommand::List(pack) => match checker(&pack, 0, None) {
            Ok((c, _)) => {
                list(&c);
                if c.errors().is_empty() {
                    0
                } else {
                    print_errors(c.errors())
                }
            }
            Err(e) => print_errors(&e),
        },
        RulesCommand::Explain { id, pack } => match checker(&pack, 0, None) {
            Ok((c, _)) => explain(&c, &id),
            Err(e) => print_errors(&e),
        },
        RulesCommand::Test { dir, pack } => test(dir.as_deref(), &pack),
        RulesCommand::New { id, dir } => new_rule(&id, &dir),
        RulesCommand::Export { dir, force } => export(&dir, force),
    }
}

fn source_of(rule: &Rule) -> &str {
    if rule.file.starts_with(pack::EMBEDDED_PREFIX) {
        "内置"
    } else {
        &rule.file
    }
}

fn list(c: &Checker) {
    // Header cells hold two-column CJK characters: pad them by two less.
    say!(
        "{:<32} {:<6} {:<7} 标题  （来源）",
        "规则 id",
        "级别",
        "适用"
    );
    for r in c.rules() {
        let severity = if r.severity == r.doc.severity {
            r.severity.as_str().to_string()
        } else {
            format!("{}*", r.severity.as_str())
        };
        let applies = r.doc.applies.zh().trim_end_matches("报告");
        say!(
            "{:<34} {:<8} {:<7} {}  （{}）",
            crate::diagnostic::safe::sanitize_line(&r.doc.id),
            severity,
            applies,
            crate::diagnostic::safe::sanitize_line(&r.doc.title),
            crate::diagnostic::safe::sanitize_line(source_of(r))
        );
    }
    say!("共 {} 条规则（* 表示级别已由配置修改）", c.rules().len());
}

/// The fixtures that belong to a rule: embedded ones for an embedded rule,
/// `tests/<id>/` beside the rule file otherwise.
fn fixtures_of(rule: &Rule) -> Vec<fixtures::Fixture> {
    let all = if rule.file.starts_with(pack::EMBEDDED_PREFIX) {
        fixtures::embedded()
    } else {
        Path::new(&rule.file)
            .parent()
            .and_then(|d| fixtures::from_dir(d).ok())
            .unwrap_or_default()
    };
    all.into_iter().filter(|f| f.rule == rule.doc.id).collect()
}

fn explain(c: &Checker, id: &str) -> i32 {
    let Some(rule) = c.rules().iter().find(|r| r.doc.id == id) else {
        // The host's own checks have no rule file, but reviewers meet
        // their ids in the output just the same.
        if let Some(info) = c
            .rule_infos()
            .into_iter()
            .find(|i| i.id == id && crate::engine::HOST_CHECKS.contains(&id))
        {
            say!(
                "{} — {}",
                crate::diagnostic::safe::sanitize_line(&info.id),
                crate::diagnostic::safe::sanitize_line(&info.title)
            );
            say!(
                "级别：{}  来源：本工具内置检查（无规则文件）",
                info.severity.as_str()
            );
            say!(
                "\n【检查内容】\n{}\n\n【为什么】\n{}\n\n【依据】\n{}",
                info.checks,
                info.why,
                info.basis
            );
            return 0;
        }
        let ids = c.rules().iter().map(|r| r.doc.id.as_str());
        tell!(
            "没有 id 为 `{id}` 的规则。{}",
            suggest(id, ids.chain(crate::engine::HOST_CHECKS.iter().copied()))
        );
        return 2;
    };
    let d = &rule.doc;
    say!(
        "{} — {}",
        crate::diagnostic::safe::sanitize_line(&d.id),
        crate::diagnostic::safe::sanitize_line(&d.title)
    );
    say!(
        "级别：{}（默认 {}）  适用：{}  来源：{}",
        rule.severity.as_str(),
        d.severity.as_str(),
        d.applies.zh(),
        rule.file
    );
    say!(
        "\n【检查内容】\n{}\n\n【为什么】\n{}\n\n【依据】\n{}",
        d.checks,
        d.why,
        d.basis
    );
    if !d.params.is_empty() {
        say!(
            "\n【参数】（可在 jixiao.toml 的 [params.{}] 中或用 --param {}.参数名=值 修改）",
            d.id,
            d.id
        );
        for (p, (_, current)) in d.params.iter().zip(&rule.values) {
            say!(
                "  {} = {}（默认 {}）  {}",
                p.name,
                current,
                p.default,
                p.doc
            );
        }
    }
    say!("\n【示例】\n{}", d.example);
    // Examples run with the rule's defaults, as its fixtures are written.
    let own = Checker::new(vec![pack::RuleFile {
        id: d.id.clone(),
        file: rule.file.clone(),
        text: rule.source.clone(),
    }]);
    let fx = fixtures_of(rule);
    let result = fixtures::run(&own, &fx);
    for (fires, heading) in [(true, "会报告的例子"), (false, "不会报告的例子")] {
        let Some((f, _)) = fx
            .iter()
            .zip(&result.cases)
            .find(|(_, case)| case.fires == fires)
        else {
            continue;
        };
        let shown = f
            .text
            .split("\n[[expect]]")
            .next()
            .unwrap_or_default()
            .trim_end();
        say!("\n【{heading}】（{}）\n{shown}", f.file);
        if fires {
            if let Ok(report) = crate::report::load_bytes(
                &f.file,
                f.text.as_bytes(),
                crate::report::LoadOptions {
                    extra_keys: &["expect"],
                },
            ) {
                for finding in own
                    .check(&report)
                    .findings
                    .iter()
                    .filter(|x| x.rule == d.id)
                {
                    say!("→ {}", finding.message);
                    if let Some(h) = &finding.help {
                        say!("  提示：{h}");
                    }
                }
            }
        } else {
            say!("→ 没有发现");
        }
    }
    0
}

fn test(dir: Option<&Path>, pack_args: &PackArgs) -> i32 {
    let (checker, fx) = match dir {
        Some(dir) => {
            let loaded = match pack::from_dir(dir) {
                Ok(f) => f,
                Err(e) => {
                    tell!(
                        "错误：无法读取规则目录 {}：{}",
                        dir.display(),
                        crate::report::read::io_reason(&e)
                    );
                    return 2;
                }
            };
            let mut checker = Checker::new(loaded.files);
            checker.add_errors(loaded.errors);
            (checker, fixtures::from_dir(dir).unwrap_or_default())
        }
        // Fixtures are written for the rules' defaults: the pack runs them
        // unconfigured (parameters and severities from jixiao.toml aside).
        None => match settings(pack_args)
            .and_then(|s| Ok((pack::assemble(&s, pack_args.rules.as_deref())?, s)))
        {
            Ok((loaded, s)) => {
                let mut c = Checker::new(loaded.files);
                c.add_errors(loaded.errors);
                let mut fx = Vec::new();
                match &pack_args.rules {
                    Some(d) => fx.extend(fixtures::from_dir(d).unwrap_or_default()),
                    None => {
                        if s.default_pack {
                            fx.extend(fixtures::embedded());
                        }
                        for p in &s.paths {
                            fx.extend(fixtures::from_dir(&p.value).unwrap_or_default());
                        }
                    }
                }
                (c, fx)
            }
            Err(e) => return print_errors(&e),
        },
    };
    let compile_errors = checker.errors().len();
    if compile_errors > 0 {
        print_errors(checker.errors());
    }
    let result = fixtures::run(&checker, &fx);
    for c in result.cases.iter().filter(|c| c.failure.is_some()) {
        say!(
            "FAIL {}：{}",
            crate::diagnostic::safe::sanitize_line(&c.file),
            c.failure.as_deref().unwrap_or_default()
        );
    }
    for u in &result.uncovered {
        say!("FAIL {u}");
    }
    let failed = result.failed() + compile_errors;
    say!("{} passed, {} failed", result.passed(), failed);
    i32::from(failed > 0)
}

const NEW_RULE: &str = r#"//! id = "{id}"
//! title = "报告标题应写明部门名称"
//! severity = "warning"
//! applies = "all"
//! basis = "（填写依据的文件和条款；未核对原文的条款标注 [R]）"
//! checks = """
//! （说明本规则检查什么。模板示例：报告标题 `title` 应包含部门名称 `department`。）"""
//! why = "（说明为什么要检查。模板示例：标题不写部门，公开后无法辨认是哪个单位的报告。）"
//! example = """
//! （举一个会报告的例子。模板示例：标题“2021年度部门整体支出绩效自评报告”没有部门名称 → 报告。）"""
//!
//! [params.min_length]
//! default = 2
//! doc = "部门名称至少多少个字才检查（示例参数，可删除）"

// 规则可读取 report（报告，只读）和 params（参数）；返回发现项数组。
if report.department.len() < params.min_length || report.title.contains(report.department) {
    return [];
}
[finding(
    `标题「${report.title}」中没有部门名称「${report.department}」`,
    [label("title", "缺少部门名称"), label("department", "部门名称")],
    "在标题中写明部门全称"
)]
"#;

const NEW_FIRES: &str = r#"# 会报告：标题中没有部门名称。
format = "jixiao-report/1"
kind = "department"
title = "2021年度部门整体支出绩效自评报告"
department = "示例局"
year = 2021

[[expect]]
path = "title"
message = "没有部门名称「示例局」"
"#;

const NEW_QUIET: &str = r#"# 不会报告：标题中有部门名称。
format = "jixiao-report/1"
kind = "department"
title = "示例局2021年度部门整体支出绩效自评报告"
department = "示例局"
year = 2021
"#;

fn new_rule(id: &str, dir: &Path) -> i32 {
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-');
    if !valid {
        tell!("错误：规则 id `{id}` 无效：只能用小写字母、数字和连字符，如 title-has-department");
        return 2;
    }
    let rule = dir.join(format!("{id}.rhai"));
    let tests = dir.join("tests").join(id);
    let files = [
        (rule.clone(), NEW_RULE.replace("{id}", id)),
        (tests.join("fires.toml"), NEW_FIRES.to_string()),
        (tests.join("quiet.toml"), NEW_QUIET.to_string()),
    ];
    if let Some((p, _)) = files.iter().find(|(p, _)| p.exists()) {
        tell!("错误：{} 已存在，不会覆盖", p.display());
        return 2;
    }
    for (p, text) in &files {
        let written = std::fs::create_dir_all(p.parent().unwrap_or(Path::new(".")))
            .and_then(|_| std::fs::write(p, text));
        if let Err(e) = written {
            tell!("错误：无法写入 {}：{e}", p.display());
            return 2;
        }
        say!("已创建 {}", p.display());
    }
    say!(
        "下一步：修改 {} 的文档头和检查逻辑，修改两个夹具，然后运行 jixiao rules test {}",
        rule.display(),
        dir.display()
    );
    0
}

fn export(dir: &Path, force: bool) -> i32 {
    let files = pack::embedded_files();
    if !force && let Some((rel, _)) = files.iter().find(|(rel, _)| dir.join(rel).exists()) {
        tell!("错误：{} 已存在；加 --force 覆盖", dir.join(rel).display());
        return 2;
    }
    for (rel, text) in files {
        let p = dir.join(rel);
        let written = std::fs::create_dir_all(p.parent().unwrap_or(dir))
            .and_then(|_| std::fs::write(&p, text));
        if let Err(e) = written {
            tell!("错误：无法写入 {}：{e}", p.display());
            return 2;
        }
    }
    say!(
        "已导出 {} 个文件到 {}（用 --rules {} 或在 jixiao.toml 中配置使用）",
        files.len(),
        dir.display(),
        dir.display()
    );
    0
}
