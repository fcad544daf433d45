//! clap's own words in Chinese: the help's headings (用法, 命令, 参数,
//! 选项), the help and version flags, the possible and default values,
//! and its errors ("错误：没有子命令 'x'") — the flags themselves stay as
//! they are spelt.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The help's layout: clap's, with Chinese headings and colons.
fn template(cmd: &Command) -> String {
    let mut t = String::from("{before-help}{about-with-newline}\n用法：{usage}\n");
    if cmd.has_subcommands() {
        t.push_str("\n命令：\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        t.push_str("\n参数：\n{positionals}\n");
    }
    t.push_str("\n选项：\n{options}{after-help}");
    t
}

/// The command line with its help in Chinese, every subcommand's too;
/// `path` is how the command is called (`jixiao check`).
pub fn localize(cmd: Command) -> Command {
    localize_at(cmd, "")
}

fn localize_at(cmd: Command, parent: &str) -> Command {
    let path = format!("{parent}{}", cmd.get_name());
    let mut cmd = cmd
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(values_in_words)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助"),
        );
    if cmd.get_version().is_some() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }
    let usage = cmd
        .clone()
        .render_usage()
        .to_string()
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>");
    let usage = match usage.split_once(' ') {
        Some((_, rest)) => format!("{path} {rest}"),
        None => path.clone(),
    };
    let layout = template(&cmd);
    cmd = cmd.help_template(layout).override_usage(usage);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let parent = format!("{path} ");
    names.iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name, |sub| localize_at(sub.version(None::<&str>), &parent))
    })
}

/// An argument with its heading in Chinese and its possible and default
/// values said in its help, not in clap's English brackets.
fn values_in_words(arg: Arg) -> Arg {
    let mut help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let takes_values = arg.get_action().takes_values();
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if takes_values && !possible.is_empty() {
        help.push_str(&format!("（可选：{}）", possible.join("、")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_values && !defaults.is_empty() {
        help.push_str(&format!("（默认：{}）", defaults.join("、")));
    }
    let arg = if takes_values {
        arg.hide_possible_values(true).hide_default_value(true)
    } else {
        arg
    };
    if help.is_empty() { arg } else { arg.help(help) }
}

fn text(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A clap error in Chinese, with the usage and where to read more; help
/// and version requests are left to clap (their text is Chinese already).
pub fn error(e: &clap::Error, usage: &str) -> Option<String> {
    let arg = || text(e, ContextKind::InvalidArg).unwrap_or_default();
    let value = || text(e, ContextKind::InvalidValue).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidSubcommand => format!(
            "没有子命令 '{}'",
            text(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument => format!("不认识的参数 '{}'", arg()),
        ErrorKind::InvalidValue => {
            let mut m = format!("{} 的值 '{}' 无效", arg(), value());
            if let Some(valid) = text(e, ContextKind::ValidValue) {
                m.push_str(&format!("，可选：{valid}"));
            }
            m
        }
        ErrorKind::ValueValidation => format!("{} 的值 '{}' 无效", arg(), value()),
        ErrorKind::MissingRequiredArgument => format!("缺少必填的参数：{}", arg()),
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::ArgumentConflict => format!(
            "{} 不能与 {} 同时使用",
            arg(),
            text(e, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::TooManyValues => format!("{} 给的值太多：'{}'", arg(), value()),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{} 的值的个数不对", arg())
        }
        ErrorKind::NoEquals => format!("{} 的值须用 = 连写，如 {}=值", arg(), arg()),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文本".to_string(),
        _ => "命令行有误".to_string(),
    };
    let mut out = format!("错误：{what}\n");
    let suggested = [
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedArg,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|k| match e.get(k)? {
        ContextValue::String(s) => Some(vec![s.clone()]),
        ContextValue::Strings(v) => Some(v.clone()),
        _ => None,
    });
    if let Some(s) = suggested {
        let quoted: Vec<String> = s.iter().map(|x| format!("'{x}'")).collect();
        out.push_str(&format!("\n  提示：是否应为 {}？\n", quoted.join(" 或 ")));
    }
    // The usage of the subcommand at fault, as the help gives it.
    let own = text(e, ContextKind::Usage);
    let usage = own.as_deref().unwrap_or(usage);
    let usage = usage
        .trim()
        .trim_start_matches("Usage:")
        .trim()
        .trim_start_matches("用法：");
    out.push_str(&format!(
        "\n用法：{usage}\n\n运行 'jixiao --help' 或 'jixiao 子命令 --help' 查看说明。\n"
    ));
    Some(out)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_localized_command_line_is_well_formed() {
        super::localize(crate::cli::Cli::command()).debug_assert();
    }
}
