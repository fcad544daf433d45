//! Who and what a submission is: its title, the department (from the
//! title, the line above it, a labelled cell or the first sentence), the
//! project and the year.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::sentences::AMOUNT;
use super::tables::Tables;
use super::{Draft, Field, Value, labelled, text};
use crate::import::headings::{is_heading, numbering};
use crate::import::{Block, Note, Origin, Piece};

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)[0-9]{2})\s*年").unwrap());

pub(super) fn year_in(p: &Piece, re: &Regex) -> Option<Field> {
    let c = re.captures(&p.text)?;
    let m = c.get(1)?;
    Some(Field {
        value: Value::Integer(m.as_str().parse().ok()?),
        origin: p.sub(m.range()).origin,
    })
}

/// Endings of the names of departments and units.
const UNIT_SUFFIX: &str = "(?:局|委员会|委|厅|办公室|办|院|中心|部|站|所|馆|学校|大学|医院|政府|集团|公司|协会|联合会|队|处|署)";

/// A department named at the start of the title (景德镇市教育局2021年度…).
fn department_in_title(title: &Piece) -> Option<Piece> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"^(?:关于)?(.{{2,30}}?{UNIT_SUFFIX})\s*(?:(?:19|20)[0-9]{{2}}|关于|部门|项目)"
        ))
        .unwrap()
    });
    let c = RE.captures(&title.text)?;
    Some(title.sub(c.get(1)?.range()))
}

/// The project a title names after its department and year, when the
/// form has no 项目名称 cell: 攸县教育局2024年度学生资助补助资金项目支出绩效
/// 自评报告 → 学生资助补助资金. A title naming no project (项目支出绩效自评
/// 表, 部门整体支出…) gives none.
fn project_in_title(title: &Piece) -> Option<Piece> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:19|20)[0-9]{2}\s*年度?\s*(.{2,60}?)(?:项目)?(?:支出)?(?:绩效)?(?:自评|评价)(?:报告|表|情况)",
        )
        .unwrap()
    });
    if title.text.contains("整体支出") {
        return None;
    }
    let c = RE.captures(&title.text)?;
    let mut m = c.get(1)?.range();
    // The unit named after the year (2024年某县教育局学生资助…) is no part
    // of the project's name.
    static UNIT_FIRST: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"^.{{2,30}}?{UNIT_SUFFIX}")).unwrap());
    if let Some(u) = UNIT_FIRST.find(&title.text[m.clone()])
        && u.end() < m.len()
    {
        m.start += u.end();
    }
    let name = &title.text[m.clone()];
    if name.contains("部门整体") || name.ends_with("部门") {
        return None;
    }
    // Only the form's own words (…项目支出绩效单位自评报告, a unit's report
    // on all its projects): no project is named.
    let generic = ["项目", "支出", "绩效", "单位", "整体", "专项", "资金"]
        .iter()
        .fold(name.to_string(), |n, w| n.replace(w, ""));
    if generic.chars().count() < 2 {
        return None;
    }
    Some(title.sub(m).trimmed()).filter(|p| p.text.chars().count() >= 2)
}

/// A line that is only the name of a department (上一行标题).
fn department_line(t: &str) -> bool {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"^.{{2,30}}{UNIT_SUFFIX}$")).unwrap());
    RE.is_match(t)
}

/// A department introduced in the body: 景德镇市教育局是市政府…
fn department_in_body(p: &Piece) -> Option<Piece> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"^(?:[（(][一二三四五六七八九十]+[）)])?(.{{2,30}}?{UNIT_SUFFIX})(?:是|为|系|作为|成立于|于)")).unwrap()
    });
    let c = RE.captures(&p.text)?;
    Some(p.sub(c.get(1)?.range()))
}

fn looks_like_title(t: &str) -> bool {
    let n = t.chars().count();
    (6..=80).contains(&n)
        && ["报告", "自评表", "评价表", "自评情况"]
            .iter()
            .any(|w| t.contains(w))
        && !t.contains(['，', '。'])
        && numbering(t).is_none()
}

/// The title: the first paragraph (or cell) that looks like one, before
/// the first heading.
pub(super) fn title<'a>(all: &[(&'a Piece, Option<bool>)]) -> Option<&'a Piece> {
    all.iter()
        .take_while(|(p, styled)| {
            looks_like_title(&p.text) || styled.is_none_or(|s| !is_heading(p, s))
        })
        .map(|(p, _)| *p)
        .find(|p| looks_like_title(&p.text))
}

/// The year evaluated, when the form prints it only as its 填报日期: a
/// self-evaluation is filed early in the following year (2022年2月3日 →
/// 2021年度), said so in a note.
fn filing_year(blocks: &[Block], notes: &mut Vec<Note>) -> Option<Field> {
    static DATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"((?:19|20)[0-9]{2})\s*[年.\-/]\s*([0-9]{1,2})").unwrap());
    let cell = labelled(blocks, &["填报日期", "填表日期", "报送日期"])?;
    let c = DATE.captures(&cell.text)?;
    let (y, m) = (c.get(1)?, c.get(2)?);
    let filed: i64 = y.as_str().parse().ok()?;
    let month: i64 = m.as_str().parse().ok()?;
    // Filed in the first half of a year: the year before; later, that year.
    let year = if month <= 6 { filed - 1 } else { filed };
    let origin = cell.sub(y.range()).origin;
    notes.push(Note {
        message: format!(
            "原文没有写明评价年度，按填报日期“{}”取为 {year} 年度",
            cell.text
        ),
        origin: Some(origin.clone()),
    });
    Some(Field {
        value: Value::Integer(year),
        origin,
    })
}

/// What the identity is found in.
pub(super) struct Sources<'a> {
    pub blocks: &'a [Block],
    pub paras: &'a [(&'a Piece, bool)],
    pub all: &'a [&'a Piece],
    pub title: Option<&'a Piece>,
    pub tables: &'a Tables,
    /// Where each piece is, to say where a value was taken from.
    pub places: &'a crate::import::places::Places,
}

/// A field the format requires that the document does not give: written
/// empty, with no origin, and noted.
fn left_empty(d: &mut Draft, notes: &mut Vec<Note>, key: &'static str, message: String) {
    notes.push(Note {
        message,
        origin: None,
    });
    let nowhere = Origin::nowhere();
    d.top.push((
        key,
        Field {
            value: Value::Text(String::new()),
            origin: nowhere,
        },
    ));
}

/// The kind, title, department, project and year.
pub(super) fn identify(d: &mut Draft, s: Sources<'_>, notes: &mut Vec<Note>) {
    let project = labelled(s.blocks, &["项目名称"]);
    let title_project = s.title.and_then(project_in_title);
    let department_cell = labelled(
        s.blocks,
        &[
            "部门名称",
            "单位名称",
            "主管部门",
            "预算部门",
            "预算单位",
            "实施单位",
        ],
    )
    .or_else(|| {
        // The unit that filled the form in, without its seal mark.
        let cell = labelled(s.blocks, &["填报单位", "填报单位（盖章）", "单位（盖章）"])?;
        let name = cell
            .text
            .split(['（', '('])
            .next()
            .unwrap_or("")
            .trim_matches(crate::import::is_blank)
            .to_string();
        let unit = cell.sub(0..name.len()).trimmed();
        (!unit.text.is_empty()).then(|| {
            notes.push(Note {
                message: format!("原文没有写明部门名称，取自填报单位“{}”", unit.text),
                origin: Some(unit.origin.clone()),
            });
            unit
        })
    });
    let title_text = s.title.map(|t| t.text.as_str()).unwrap_or("");
    d.kind = if title_text.contains("部门整体") || title_text.contains("整体支出") {
        "department"
    } else if ["项目", "专项资金", "补助资金", "专项经费"]
        .iter()
        .any(|w| title_text.contains(w))
        || project.is_some()
        || (!s.tables.indicators.is_empty() && s.tables.summary.is_empty())
    {
        "project"
    } else {
        "department"
    };
    let year = s
        .title
        .and_then(|p| year_in(p, &YEAR))
        .or_else(|| {
            static OF_YEAR: LazyLock<Regex> =
                LazyLock::new(|| Regex::new(r"((?:19|20)[0-9]{2})\s*年度").unwrap());
            s.all.iter().find_map(|p| year_in(p, &OF_YEAR))
        })
        .or_else(|| {
            s.all
                .iter()
                .filter(|p| AMOUNT.is_match(&p.text))
                .find_map(|p| year_in(p, &YEAR))
        })
        .or_else(|| filing_year(s.blocks, notes));
    // A title set in two lines has the department on the first: 景德镇市教育局
    // / 2021年度部门整体支出绩效自评报告.
    let above_title = s
        .title
        .and_then(|t| s.all.iter().position(|p| std::ptr::eq(*p, t)))
        .filter(|&i| i > 0)
        .map(|i| s.all[i - 1])
        .filter(|p| department_line(&p.text));
    let department = s
        .title
        .and_then(department_in_title)
        .or_else(|| above_title.cloned())
        .or(department_cell)
        .or_else(|| s.paras.iter().find_map(|(p, _)| department_in_body(p)));

    match s.title {
        // A title in two lines is the two lines: 攸县教育局 / 2024年度部门整体
        // 支出绩效自评报告 is 攸县教育局2024年度部门整体支出绩效自评报告.
        Some(t) => d.top.push((
            "title",
            match above_title {
                Some(unit) if !t.text.starts_with(unit.text.as_str()) => Field {
                    value: Value::Text(format!("{}{}", unit.text, t.text)),
                    origin: Origin {
                        span: unit.origin.span.start..t.origin.span.end,
                        at: crate::import::At::Range(
                            Box::new(unit.origin.at.clone()),
                            Box::new(t.origin.at.clone()),
                        ),
                    },
                },
                _ => text(t),
            },
        )),
        None => {
            let found: Vec<String> = [
                ("年度", year.as_ref().map(|f| &f.origin)),
                ("部门", department.as_ref().map(|p| &p.origin)),
            ]
            .into_iter()
            .filter_map(|(w, o)| {
                let at = s.places.at(o?.span.start)?;
                Some(format!("{w}取自{}", at.text))
            })
            .collect();
            let mut message = "原文开头没有报告标题".to_string();
            if !found.is_empty() {
                message = format!("{message}；{}", found.join("，"));
            }
            left_empty(d, notes, "title", message);
        }
    }
    match &department {
        Some(p) => d.top.push(("department", text(p))),
        None => left_empty(
            d,
            notes,
            "department",
            "原文中找不到部门（单位）名称，department 留空".into(),
        ),
    }
    if d.kind == "project" {
        match project.as_ref().or(title_project.as_ref()) {
            Some(p) => d.top.push(("project", text(p))),
            None => left_empty(
                d,
                notes,
                "project",
                "原文中找不到项目名称，project 留空".into(),
            ),
        }
    }
    if let Some(y) = year {
        d.top.push(("year", y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::extract::tests_support::piece;

    #[test]
    fn departments() {
        let t = piece("浮梁县财政局2022年度部门整体支出绩效自评报告");
        assert_eq!(department_in_title(&t).unwrap().text, "浮梁县财政局");
        let b = piece("景德镇市教育局是市政府教育行政主管部门，内设科室11个");
        assert_eq!(department_in_body(&b).unwrap().text, "景德镇市教育局");
        assert!(department_in_body(&piece("本部门当年认真开展了工作")).is_none());
    }

    #[test]
    fn projects_named_in_titles() {
        let p = |t: &str| project_in_title(&piece(t)).map(|p| p.text);
        assert_eq!(
            p("攸县教育局2024年度学生资助补助资金项目支出绩效自评报告").as_deref(),
            Some("学生资助补助资金")
        );
        assert_eq!(
            p("某县农业农村局2024年耕地地力保护补贴项目绩效自评表").as_deref(),
            Some("耕地地力保护补贴")
        );
        assert_eq!(p("2024年度部门整体支出绩效自评报告"), None);
        // A unit's report on all its projects names none (as a Yunnan
        // prefecture's bureaus title it).
        assert_eq!(p("某州数据中心2024年度项目支出绩效单位自评报告"), None);
        // "整体支出" without 部门 (as Guangdong cities write it).
        assert_eq!(p("2021年某市发展和改革局整体支出绩效自评报告"), None);
        assert_eq!(
            p("某县2024年度农村饮水安全专项资金绩效自评报告").as_deref(),
            Some("农村饮水安全专项资金")
        );
        assert_eq!(
            p("2024年某县教育局学生资助项目绩效自评报告").as_deref(),
            Some("学生资助")
        );
        assert_eq!(p("项目支出绩效自评表"), None);
    }
}
