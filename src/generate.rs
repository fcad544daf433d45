//! A generator of realistic reports for benchmarks and stress tests:
//! seeded, 5–10 KB each, both kinds, with Chinese text, 10–30 indicators,
//! problems, measures and sections, and varied so that every default rule
//! fires on some reports and stays quiet on others. The same seed always
//! gives the same reports.

use std::fmt::Write as _;

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const DEPARTMENTS: &[&str] = &[
    "景德镇市教育局",
    "浮梁县农业农村局",
    "乐平市卫生健康委员会",
    "昌江区民政局",
    "珠山区财政局",
    "景德镇市交通运输局",
    "景德镇市文化广电新闻出版旅游局",
    "浮梁县水利局",
    "乐平市林业局",
    "景德镇市人力资源和社会保障局",
];
const PROJECTS: &[&str] = &[
    "高考补助资金",
    "农村饮水安全巩固提升",
    "基层医疗卫生机构运行补助",
    "城乡居民养老保险补助",
    "义务教育薄弱环节改善",
    "高标准农田建设",
];
const PROSE: &[&str] = &[
    "本部门认真贯彻落实党中央、国务院和省委、省政府决策部署，紧紧围绕年度工作目标，统筹推进各项工作。",
    "严格执行预算管理制度，规范资金使用，加快预算执行进度，控制结转结余规模，提高财政资金使用效益。",
    "加强绩效目标管理，科学设置绩效指标，做到目标明确、指标细化、可衡量、可考核。",
    "建立健全内部控制制度，严格执行政府采购、资产管理和财务审批程序，确保资金安全。",
    "扎实开展绩效运行监控，及时发现并纠正执行中的偏差，保障年度绩效目标如期实现。",
    "通过实地调研、问卷调查和座谈走访等方式了解服务对象满意度，群众获得感明显增强。",
];
const PLACEHOLDERS: &[&str] = &["无", "暂无", "/", "（200字以内）", "略"];

struct Indicator {
    level1: &'static str,
    name: String,
    target: String,
    actual: String,
    weight: f64,
    score: f64,
    deviation: Option<String>,
    negative: bool,
}

fn fmt(x: f64) -> String {
    crate::report::quantity::format_number(x, 2)
}

fn indicators(rng: &mut Rng, groups: &[(&'static str, f64)], count: usize) -> Vec<Indicator> {
    let mut out = Vec::new();
    let per_group = (count / groups.len()).max(1);
    for &(level1, weight) in groups {
        // Split the group's weight into whole points.
        let n = per_group;
        let base = (weight / n as f64).floor();
        for i in 0..n {
            let w = if i + 1 == n {
                weight - base * (n - 1) as f64
            } else {
                base
            };
            let kind = rng.below(4);
            let missed = rng.chance(25);
            let (target, actual, negative, ratio) = match kind {
                0 => {
                    let t = *rng.pick(&[90.0, 95.0, 98.0, 100.0]);
                    let a: f64 = if missed {
                        t - 5.0 - rng.below(15) as f64
                    } else {
                        t.min(100.0)
                    };
                    (
                        format!("≥{}%", fmt(t)),
                        format!("{}%", fmt(a)),
                        false,
                        a / t,
                    )
                }
                1 => {
                    let t = 50 + rng.below(200);
                    let a = if missed { t - 1 - rng.below(t / 4) } else { t };
                    (
                        format!("{t}所"),
                        format!("{a}所"),
                        false,
                        a as f64 / t as f64,
                    )
                }
                2 => {
                    let t = 20 + rng.below(80);
                    let a = if missed {
                        t + 1 + rng.below(10)
                    } else {
                        t - rng.below(5)
                    };
                    (
                        format!("≤{t}万元"),
                        format!("{a}万元"),
                        true,
                        t as f64 / a as f64,
                    )
                }
                _ => (
                    "合格".to_string(),
                    if missed { "基本合格" } else { "合格" }.to_string(),
                    false,
                    1.0,
                ),
            };
            let full_anyway = rng.chance(30);
            let score = if missed && !full_anyway {
                (w * ratio.min(1.0) * 10.0).round() / 10.0
            } else {
                w
            };
            let deviation = if missed || score < w {
                if rng.chance(60) {
                    Some(
                        "受项目进度影响，部分任务延至次年完成，已制定整改计划并跟踪落实。"
                            .to_string(),
                    )
                } else if rng.chance(50) {
                    Some(rng.pick(PLACEHOLDERS).to_string())
                } else {
                    None
                }
            } else {
                None
            };
            out.push(Indicator {
                level1,
                name: format!("{level1}指标{}", i + 1),
                target,
                actual,
                weight: w,
                score,
                deviation,
                negative,
            });
        }
    }
    out
}

/// One report's TOML text.
pub fn report(seed: u64, index: u64) -> String {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
    let project = rng.chance(50);
    let department = *rng.pick(DEPARTMENTS);
    let year = 2019 + rng.below(5) as i64;
    let title_year = if rng.chance(5) { year - 1 } else { year };
    let mut s = String::with_capacity(9000);
    let _ = writeln!(s, "# 生成的第 {index} 份报告（种子 {seed}）");
    let _ = writeln!(s, "format = \"jixiao-report/1\"");
    if project {
        let name = *rng.pick(PROJECTS);
        let _ = writeln!(
            s,
            "kind = \"project\"\ntitle = \"{department}{title_year}年度{name}项目支出绩效自评表\"\ndepartment = \"{department}\"\nproject = \"{name}\""
        );
    } else {
        let _ = writeln!(
            s,
            "kind = \"department\"\ntitle = \"{department}{title_year}年度部门整体支出绩效自评报告\"\ndepartment = \"{department}\""
        );
    }
    let _ = writeln!(s, "year = {year}\nunit = \"万元\"\n");

    // Budget.
    let initial = (100 + rng.below(50_000)) as f64 + rng.below(100) as f64 / 100.0;
    let adjusted = if rng.chance(30) {
        (initial * (0.8 + rng.below(50) as f64 / 100.0) * 100.0).round() / 100.0
    } else {
        initial
    };
    let rate = 70.0 + rng.below(60) as f64 + rng.below(100) as f64 / 100.0;
    let executed = (adjusted * rate / 100.0 * 100.0).round() / 100.0;
    let computed = if adjusted > 0.0 {
        executed / adjusted * 100.0
    } else {
        0.0
    };
    let _ = writeln!(s, "[budget]\ninitial = {}", fmt(initial));
    if adjusted != initial || rng.chance(50) {
        let _ = writeln!(s, "adjusted = {}", fmt(adjusted));
    }
    let _ = writeln!(s, "executed = {}", fmt(executed));
    if rng.chance(70) {
        let printed = if rng.chance(10) {
            computed + 3.0 + rng.below(10) as f64
        } else {
            computed
        };
        let _ = writeln!(s, "rate = \"{}%\"", fmt((printed * 100.0).round() / 100.0));
    }
    let budget_weight = 10.0;
    let mut budget_score = 0.0;
    if project {
        budget_score = (computed.min(100.0) / 100.0 * budget_weight * 100.0).round() / 100.0;
        if rng.chance(10) {
            budget_score = budget_weight;
        }
        if rng.chance(3) {
            budget_score = budget_weight + 1.0;
        }
        let _ = writeln!(
            s,
            "weight = {}\nscore = {}",
            fmt(budget_weight),
            fmt(budget_score)
        );
    }
    if !(90.0..=100.0).contains(&computed) || adjusted != initial {
        if rng.chance(50) {
            let _ = writeln!(
                s,
                "explanation = \"年中追加或调减预算，部分项目跨年度支付，执行数与预算数存在差异。\""
            );
        } else if rng.chance(30) {
            let _ = writeln!(s, "explanation = \"{}\"", rng.pick(PLACEHOLDERS));
        }
    }
    if rng.chance(20) {
        let fiscal = (initial * 0.8 * 100.0).round() / 100.0;
        let other = if rng.chance(80) {
            ((initial - fiscal) * 100.0).round() / 100.0
        } else {
            1.0
        };
        let _ = writeln!(
            s,
            "\n[[budget.sources]]\nname = \"财政拨款\"\ninitial = {}\n\n[[budget.sources]]\nname = \"其他资金\"\ninitial = {}",
            fmt(fiscal),
            fmt(other)
        );
    }
    s.push('\n');

    // Summary rows and indicators.
    let mut groups: Vec<(&'static str, f64)> = if project {
        vec![("产出指标", 50.0), ("效益指标", 30.0), ("满意度指标", 10.0)]
    } else {
        vec![
            ("决策", 15.0),
            ("过程", 20.0),
            ("产出", 35.0),
            ("效益", 30.0),
        ]
    };
    if rng.chance(8) {
        groups[0].1 -= 5.0;
    }
    if !project && rng.chance(5) {
        groups = vec![
            ("决策", 25.0),
            ("过程", 30.0),
            ("产出", 25.0),
            ("效益", 20.0),
        ];
    }
    let count = 10 + rng.below(21) as usize;
    let inds = indicators(&mut rng, &groups, count);
    let mut total = if project { budget_score } else { 0.0 };
    for (name, weight) in &groups {
        let score: f64 = inds
            .iter()
            .filter(|i| i.level1 == *name)
            .map(|i| i.score)
            .sum();
        let score = if rng.chance(3) { weight + 2.0 } else { score };
        total += score;
        let _ = writeln!(
            s,
            "[[summary]]\nname = \"{name}\"\nweight = {}\nscore = {}",
            fmt(*weight),
            fmt(score)
        );
        if rng.chance(80) {
            let r = if rng.chance(5) {
                score / weight * 100.0 + 5.0
            } else {
                score / weight * 100.0
            };
            let _ = writeln!(s, "score_rate = \"{}%\"", fmt((r * 100.0).round() / 100.0));
        }
        if score < *weight && rng.chance(50) {
            let _ = writeln!(
                s,
                "deduction_reason = \"部分指标未完成年度目标，按比例扣分。\""
            );
        }
        s.push('\n');
    }
    let printed_total = if rng.chance(5) { total + 1.0 } else { total };
    let grade = match printed_total {
        t if t >= 90.0 => "优",
        t if t >= 80.0 => "良",
        t if t >= 60.0 => "中",
        _ => "差",
    };
    let grade = if rng.chance(6) {
        *rng.pick(
            &["优", "良", "中", "差", "优秀"]
                .iter()
                .filter(|g| **g != grade)
                .copied()
                .collect::<Vec<_>>(),
        )
    } else {
        grade
    };
    let _ = writeln!(
        s,
        "[total]\nweight = 100\nscore = {}\ngrade = \"{grade}\"\n",
        fmt((printed_total * 100.0).round() / 100.0)
    );
    for (i, ind) in inds.iter().enumerate() {
        let level1 = if rng.chance(2) { "其他" } else { ind.level1 };
        let _ = writeln!(
            s,
            "[[indicators]]\nlevel1 = \"{level1}\"\nlevel2 = \"{}\"\nname = \"{}\"",
            rng.pick(&[
                "数量指标",
                "质量指标",
                "时效指标",
                "成本指标",
                "社会效益指标"
            ]),
            ind.name
        );
        let target = if rng.chance(2) {
            "指标2：……".to_string()
        } else {
            ind.target.clone()
        };
        let _ = writeln!(s, "target = \"{target}\"\nactual = \"{}\"", ind.actual);
        if ind.negative && rng.chance(50) {
            let _ = writeln!(s, "direction = \"negative\"");
        }
        let _ = writeln!(s, "weight = {}", fmt(ind.weight));
        if !rng.chance(2) {
            let _ = writeln!(s, "score = {}", fmt(ind.score));
        }
        if let Some(d) = &ind.deviation {
            let _ = writeln!(s, "deviation = \"{d}\"");
        }
        let _ = i;
        s.push('\n');
    }

    // Problems and measures.
    let problems = if rng.chance(4) { 0 } else { 1 + rng.below(4) };
    let by_addresses = rng.chance(40);
    for p in 1..=problems {
        let detail = if rng.chance(8) {
            rng.pick(PLACEHOLDERS).to_string()
        } else {
            rng.pick(PROSE).to_string()
        };
        let _ = writeln!(
            s,
            "[[problems]]\nid = \"{p}\"\ntitle = \"{}存在不足。\"\ndetail = \"{detail}\"\n",
            rng.pick(&[
                "绩效管理意识",
                "预算执行进度",
                "绩效指标设置",
                "资金使用效益"
            ])
        );
    }
    let measures = if rng.chance(15) {
        problems.saturating_sub(1).max(1)
    } else {
        problems.max(1)
    };
    for m in 1..=measures {
        let _ = writeln!(
            s,
            "[[measures]]\nid = \"{m}\"\ntitle = \"加强{}，建立长效机制。\"\ndetail = \"{}\"",
            rng.pick(&["制度建设", "预算执行管理", "绩效目标管理", "结果应用"]),
            rng.pick(PROSE)
        );
        if by_addresses {
            let target = if rng.chance(10) { problems + 2 } else { m };
            let _ = writeln!(s, "addresses = [\"{target}\"]");
        }
        s.push('\n');
    }

    // Sections, numbered as printed, with prose to reach 5–10 KB.
    {
        let outline: &[(&str, &[&str])] = &[
            (
                "部门基本情况",
                &[
                    "部门概况",
                    "当年部门履职总体目标",
                    "部门预算绩效管理开展情况",
                ],
            ),
            (
                "部门整体支出绩效实现情况",
                &["履职完成情况", "履职效果情况"],
            ),
            (
                "存在问题及改进措施",
                &["主要问题及原因分析", "改进的方向和具体措施"],
            ),
            ("绩效自评结果拟应用和公开情况", &[]),
        ];
        let skip_public = rng.chance(5);
        for (i, (h, subs)) in outline.iter().enumerate() {
            if skip_public && h.contains("公开") {
                continue;
            }
            let number = if rng.chance(4) {
                String::new()
            } else {
                crate::report::text::numeral(1, i as i64 + 1)
            };
            let _ = writeln!(s, "[[sections]]\nheading = \"{number}{h}\"\n");
            for (j, sub) in subs.iter().enumerate() {
                let n = if rng.chance(5) {
                    j as i64 + 2
                } else {
                    j as i64 + 1
                };
                let mut body = String::new();
                for _ in 0..(2 + rng.below(2)) {
                    let piece: &&str = rng.pick(PROSE);
                    body.push_str(piece);
                }
                let _ = writeln!(
                    s,
                    "[[sections]]\nheading = \"{}{sub}\"\nbody = \"{body}\"\n",
                    crate::report::text::numeral(2, n)
                );
            }
        }
    }
    if rng.chance(5) {
        let reason = if rng.chance(70) {
            "已经评审会同意。"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "[[waivers]]\nrule = \"execution-rate-bounds\"\nreason = \"{reason}\"\napproved_by = \"绩效科\"\n"
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_reports_and_realistic_sizes() {
        assert_eq!(report(7, 3), report(7, 3));
        assert_ne!(report(7, 3), report(7, 4));
        let sizes: Vec<usize> = (0..50).map(|i| report(1, i).len()).collect();
        let avg = sizes.iter().sum::<usize>() / sizes.len();
        assert!((4_000..=12_000).contains(&avg), "average size {avg}");
    }
}
