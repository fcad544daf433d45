//! The command line: parses arguments, picks the rule pack, runs the check
//! and writes the chosen output. Exit codes: 0 clean, 1 a finding at error
//! severity, 2 an input or rule could not be used or the command was misused.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::batch;
use crate::engine::{Checker, pack};
use crate::render;

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
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// 报告文件或目录（目录递归查找 *.toml）
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// 用该目录中的规则（*.rhai）替换内置规则包
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// 彩色输出：auto 仅在终端且未设置 NO_COLOR 时着色
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
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
        Command::Check(args) => check(&args),
    }
}

fn check(args: &CheckArgs) -> i32 {
    let files = match &args.rules {
        None => pack::embedded(),
        Some(dir) => match pack::from_dir(dir) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("错误：无法读取规则目录 {}：{e}", dir.display());
                return 2;
            }
        },
    };
    let checker = Checker::new(files);
    let inputs = batch::collect(&args.paths);
    if inputs.is_empty() {
        eprintln!("错误：所给路径下没有找到报告文件（*.toml）");
        return 2;
    }
    let outcome = batch::check_all(&checker, &inputs);
    let stdout = std::io::stdout();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Human => render::human::render(
            &outcome,
            &mut out,
            render::human::Style { color, width: 100 },
        ),
        Format::Json => render::json::render(&outcome, &mut out),
    };
    if let Err(e) = written.and_then(|_| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("错误：写出结果失败：{e}");
        return 2;
    }
    outcome.exit_code()
}
