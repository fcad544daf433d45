//! The command line: the clap definitions and the dispatch to one file per
//! subcommand; each drives the library (the review, the rule pack, the
//! importer) and says what it did. Exit codes: 0 clean, 1 a finding at
//! error severity (or a failing rule test), 2 an input, rule or setting
//! could not be used, or the command was misused.

/// Prints a line to stdout; a closed pipe (`jixiao rules list | head`)
/// is not an error worth a panic. What is printed may hold text from files
/// and file names: control characters are shown escaped.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
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
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::diagnostic::safe::sanitize_text(&format!($($t)*))
        );
    }};
}

mod cache;
mod check;
mod import;
mod notices;
mod output;
mod rules;
mod schema;
mod templates;
mod zh;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::diagnostic::FileError;
use crate::render;
use crate::review::PackOptions;

#[derive(Parser, Debug)]
#[command(
    name = "jixiao",
    version,
    about = "检查绩效自评报告是否符合审核规则 (budget performance self-evaluation report checker)",
    after_help = "直接给出文件或目录即检查它们：jixiao 报告.docx 等同于 jixiao check 报告.docx"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 检查报告：Word、Excel、PDF、文本或 TOML 文件，或它们所在的目录
    Check(check::CheckArgs),
    /// 查看、测试、新建和导出规则
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// 把 Word、Excel、PDF 或文本报告导入为报告格式 v1（TOML），每个值旁注明它在原文中的位置
    Import {
        /// 原始文件：.docx .doc .wps .odt .xlsx .xls .et .ods .pdf .txt .md
        file: PathBuf,
        /// 写入的 TOML 文件（默认或写 - 时写到标准输出）
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
    Cache(cache::CacheCommand),
    /// 启动审核台：在浏览器中上传报告、查看问题、作出决定、修改规则、导出评审材料和整改通知
    Serve(ServeArgs),
    /// Writes N generated reports into DIR (for benchmarks and stress tests).
    #[command(hide = true)]
    Generate {
        count: u64,
        dir: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// `jixiao serve`.
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// 审核台账（SQLite 文件，不存在时新建）
    #[arg(long, value_name = "FILE", default_value = crate::serve::DEFAULT_LEDGER)]
    pub ledger: PathBuf,
    /// 监听地址；默认只允许本机访问，其他地址必须同时设定 --token
    #[arg(long, value_name = "IP:PORT", default_value = crate::serve::DEFAULT_LISTEN)]
    pub listen: String,
    /// 访问口令（至少 8 个字符；也可用环境变量 JIXIAO_TOKEN）；设定后每个请求都须提供
    #[arg(
        long,
        value_name = "TOKEN",
        env = "JIXIAO_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// 审核台还可用哪些主机名访问（经局域网域名或反向代理访问时；可多次）；其他主机名的请求一律拒绝
    #[arg(long = "host", value_name = "NAME")]
    pub hosts: Vec<String>,
    /// 启动后打开浏览器
    #[arg(long)]
    pub open: bool,
    /// 不允许在审核台中修改规则和参数
    #[arg(long)]
    pub read_only_rules: bool,
    #[command(flatten)]
    pub pack: PackArgs,
    #[command(flatten)]
    pub cache: cache::CacheArgs,
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

impl PackArgs {
    fn options(&self) -> PackOptions {
        PackOptions {
            rules: self.rules.clone(),
            config: self.config.clone(),
            params: self.params.clone(),
            scripts: Vec::new(),
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// The names a first argument may be besides a file: the subcommands.
const SUBCOMMANDS: &[&str] = &[
    "check", "rules", "import", "schema", "cache", "serve", "generate",
];

/// The arguments with `check` put in when the first one is a file or
/// folder rather than a subcommand: what dropping a report on the program
/// (or `jixiao 报告.docx`) runs.
fn with_implicit_check(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    if let Some(first) = args.get(1) {
        let text = first.to_string_lossy();
        let path = std::path::Path::new(first);
        let a_file = path.exists()
            || crate::import::Format::of(path).is_some()
            || path.extension().is_some_and(|e| e == "toml");
        if !text.starts_with('-') && !SUBCOMMANDS.contains(&text.as_ref()) && a_file {
            args.insert(1, "check".into());
        }
    }
    args
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let args = with_implicit_check(std::env::args_os().collect());
    let mut command = zh::localize(Cli::command());
    let parsed = command
        .try_get_matches_from_mut(args.clone())
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            // The usage of the subcommand the arguments name.
            let mut at = &mut command;
            for a in args.iter().skip(1) {
                match a
                    .to_str()
                    .and_then(|a| at.get_subcommands().any(|s| s.get_name() == a).then_some(a))
                {
                    Some(name) => at = at.find_subcommand_mut(name).expect("listed"),
                    None => continue,
                }
            }
            let usage = at.render_usage().to_string();
            match zh::error(&e, &usage) {
                Some(text) => {
                    tell!("{}", text.trim_end());
                }
                None => {
                    let _ = e.print();
                }
            }
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    if let Err(m) = crate::clock::given_today() {
        tell!("错误：{m}");
        return 2;
    }
    match cli.command {
        Command::Check(args) if args.watch => check::watch(&args),
        Command::Check(args) => check::check(&args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Generate { count, dir, seed } => schema::generate(count, &dir, seed),
        Command::Import {
            file,
            output,
            force,
        } => import::run(&file, output.as_deref(), force),
        Command::Cache(cmd) => cache::run(cmd),
        Command::Serve(args) => serve(args),
        Command::Schema => schema::run(),
    }
}

/// Starts the workbench; returns the exit code once it stops.
fn serve(args: ServeArgs) -> i32 {
    let options = crate::serve::Options {
        ledger: args.ledger,
        listen: args.listen,
        token: args.token,
        hosts: args.hosts,
        open_browser: args.open,
        bench: crate::serve::bench::Options {
            pack: args.pack.options(),
            read_only_rules: args.read_only_rules,
            cache: cache::open(&args.cache, false),
        },
    };
    match crate::serve::run(options) {
        Ok(()) => 0,
        Err(e) => {
            tell!("错误：{}", e.0);
            2
        }
    }
}

/// Whether output to stdout is coloured.
fn colored(color: Color) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn style(color: Color) -> render::human::Style {
    render::human::Style {
        color: colored(color),
        width: 100,
    }
}

/// Prints errors that stop a command; returns its exit code, 2.
fn print_errors(errors: &[FileError]) -> i32 {
    let mut err = std::io::stderr().lock();
    let _ = render::human::render_errors(errors, &mut err, style(Color::Auto));
    2
}
