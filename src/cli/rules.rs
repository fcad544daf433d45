//! `jixiao rules list|explain|test|new|export`: the rule pack as finance
//! staff maintain it.

use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{PackArgs, print_errors, templates};
use crate::diagnostic::safe::sanitize_line;
use crate::engine::{Checker, Rule, fixtures, host, pack, suggest};
use crate::review;

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

pub fn run(cmd: RulesCommand) -> i32 {
    match cmd {
        RulesCommand::List(pack) => match review::checker(&pack.options(), 0, None) {
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
        RulesCommand::Explain { id, pack } => match review::checker(&pack.options(), 0, None) {
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
    // Severities are two CJK characters like the header's 级别: padded
    // alike, they line up.
    say!(
        "{:<32} {:<6} {:<7} 标题  （来源）",
        "规则 id",
        "级别",
        "适用"
    );
    for r in c.rules() {
        let severity = if r.severity == r.doc.severity {
            r.severity.zh().to_string()
        } else {
            format!("{}*", r.severity.zh())
        };
        let applies = r.doc.applies.zh().trim_end_matches("报告");
        say!(
            "{:<34} {:<6} {:<7} {}  （{}）",
            sanitize_line(&r.doc.id),
            severity,
            applies,
            sanitize_line(&r.doc.title),
            sanitize_line(source_of(r))
        );
    }
    for d in host::docs() {
        say!(
            "{:<34} {:<6} {:<7} {}  （内置检查）",
            d.id,
            d.severity.zh(),
            d.applies.zh().trim_end_matches("报告"),
            d.title
        );
    }
    say!(
        "共 {} 条规则和 {} 项内置检查（* 表示级别已由配置修改）",
        c.rules().len(),
        host::docs().len()
    );
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
        if let Some(d) = host::docs().iter().find(|d| d.id == id) {
            say!("{} — {}", sanitize_line(&d.id), sanitize_line(&d.title));
            say!(
                "级别：{}  适用：{}  来源：本工具内置检查（无规则文件）",
                d.severity.zh(),
                d.applies.zh()
            );
            say!(
                "\n【检查内容】\n{}\n\n【为什么】\n{}\n\n【依据】\n{}\n\n【示例】\n{}",
                d.checks,
                d.why,
                d.basis,
                d.example
            );
            return 0;
        }
        let mut ids: Vec<&str> = c.rules().iter().map(|r| r.doc.id.as_str()).collect();
        for h in host::ids() {
            ids.push(h);
        }
        tell!("没有 id 为 `{id}` 的规则。{}", suggest(id, ids.into_iter()));
        return 2;
    };
    let d = &rule.doc;
    say!("{} — {}", sanitize_line(&d.id), sanitize_line(&d.title));
    say!(
        "级别：{}（默认 {}；配置中写作 {}）  适用：{}  来源：{}",
        rule.severity.zh(),
        d.severity.zh(),
        rule.severity.as_str(),
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
        // A report as TOML shows best; one read as a document if none.
        let of_kind = || {
            fx.iter()
                .zip(&result.cases)
                .filter(|(_, case)| case.fires == fires)
        };
        let Some((f, _)) = of_kind()
            .find(|(f, _)| !f.text.contains("\nreader = "))
            .or_else(|| of_kind().next())
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
                    extra_keys: &["expect", "reader"],
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
        None => match review::settings(&pack_args.options())
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
            "未通过 {}：{}",
            sanitize_line(&c.file),
            c.failure.as_deref().unwrap_or_default()
        );
    }
    for u in &result.uncovered {
        say!("未通过 {u}");
    }
    let failed = result.failed() + compile_errors;
    // The counts also as test runners print them, for scripts.
    let passed = result.passed();
    say!("夹具 {passed} 个通过，{failed} 个未通过（{passed} passed, {failed} failed）");
    i32::from(failed > 0)
}

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
        (rule.clone(), templates::NEW_RULE.replace("{id}", id)),
        (tests.join("fires.toml"), templates::NEW_FIRES.to_string()),
        (tests.join("quiet.toml"), templates::NEW_QUIET.to_string()),
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
