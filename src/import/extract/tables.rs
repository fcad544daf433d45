//! The tables of a submission: the indicator table (一级/二级/三级指标,
//! 年度指标值, 实际完成值, 分值, 得分, 偏差…) with its 总分 row, the score
//! summary (一级指标得分汇总) with its 合计 row, and the budget table
//! (项目资金, with a row per funding source), found by their header words
//! wherever they stand in a grid.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::{Field, Row, Value, get, is_total_name, number, rate, squeeze, text};
use crate::import::{Note, Piece};

/// A column of a table: the key it fills, words its header contains (any
/// of them), and words it must not contain.
struct Column {
    key: &'static str,
    any: &'static [&'static str],
    none: &'static [&'static str],
}

const fn col(
    key: &'static str,
    any: &'static [&'static str],
    none: &'static [&'static str],
) -> Column {
    Column { key, any, none }
}

/// Indicator table columns; earlier ones take a header first.
const INDICATOR_COLUMNS: &[Column] = &[
    col(
        "target",
        &["年度指标值", "指标值", "目标值", "预期值", "年度目标"],
        &[],
    ),
    col("actual", &["完成值", "实际值", "实际完成"], &[]),
    col("level1", &["一级指标"], &[]),
    col("level2", &["二级指标"], &[]),
    col("name", &["三级指标", "指标名称"], &["值"]),
    col("weight", &["分值", "权重"], &["得分"]),
    col("score", &["得分", "自评分"], &["得分率"]),
    col("deviation", &["偏差", "原因", "改进措施"], &[]),
    // 四川等地的“指标性质”（≥ ≤ =），或“指标方向”（正向 / 反向）.
    col("comparator", &["指标性质", "指标方向", "指标属性"], &[]),
];

const SUMMARY_COLUMNS: &[Column] = &[
    col("score_rate", &["得分率"], &[]),
    col(
        "deduction_reason",
        &[
            "扣分原因",
            "扣分理由",
            "扣分说明",
            "扣分情况",
            "说明",
            "原因",
        ],
        &[],
    ),
    col("weight", &["权重", "分值", "满分", "标准分"], &["得分"]),
    col("score", &["得分", "自评分", "评分"], &["扣分"]),
    col(
        "name",
        &["一级指标", "指标名称", "评价指标", "指标", "评价内容"],
        &[],
    ),
];

const BUDGET_COLUMNS: &[Column] = &[
    col("adjusted", &["全年预算", "调整后预算", "调整预算"], &[]),
    col("initial", &["年初预算", "预算数"], &[]),
    col(
        "executed",
        &["全年执行", "执行数", "决算数", "实际支出", "支出数"],
        &[],
    ),
    col("rate", &["执行率"], &[]),
    col("weight", &["分值"], &[]),
    col("score", &["得分"], &[]),
];

pub(super) type Grid = [Vec<Option<Piece>>];

/// The columns a header row has, by key.
fn header(row: &[Option<Piece>], columns: &[Column]) -> Vec<(&'static str, usize)> {
    let mut out: Vec<(&'static str, usize)> = Vec::new();
    for (i, cell) in row.iter().enumerate() {
        let Some(cell) = cell else { continue };
        let t = squeeze(&cell.text);
        if t.chars().count() > 16 {
            continue;
        }
        let found = columns.iter().find(|c| {
            out.iter().all(|(k, _)| *k != c.key)
                && c.any.iter().any(|w| t.contains(w))
                && !c.none.iter().any(|w| t.contains(w))
        });
        if let Some(c) = found {
            out.push((c.key, i));
        }
    }
    out
}

fn has(cols: &[(&'static str, usize)], key: &str) -> bool {
    cols.iter().any(|(k, _)| *k == key)
}

fn cell(row: &[Option<Piece>], i: usize) -> Option<&Piece> {
    row.get(i).and_then(Option::as_ref)
}

/// The first filled cell of a row, squeezed.
fn lead(row: &[Option<Piece>]) -> Option<String> {
    row.iter().flatten().next().map(|p| squeeze(&p.text))
}

/// Reads the value of `key` from a cell into `out`, as a number or rate
/// where the format wants one; a cell that is neither is noted.
fn put(out: &mut Row, key: &'static str, p: &Piece, notes: &mut Vec<Note>) {
    if key == "comparator" {
        return nature(out, p, notes);
    }
    let numeric = matches!(
        key,
        "weight" | "score" | "initial" | "adjusted" | "executed"
    );
    let is_rate = matches!(key, "score_rate" | "rate");
    let field = if numeric {
        number(p)
    } else if is_rate {
        rate(p)
    } else {
        Some(text(p))
    };
    match field {
        Some(f) => out.push((key, f)),
        None => notes.push(Note {
            message: format!(
                "“{}”应为{}，未导入",
                p.text,
                if is_rate {
                    "带百分号的比率"
                } else {
                    "数字"
                }
            ),
            origin: Some(p.origin.clone()),
        }),
    }
}

/// A 指标性质 cell: the target's comparator (≥ ≤ = > <, kept as the
/// format's symbol), or the indicator's direction (正向 / 反向).
fn nature(out: &mut Row, p: &Piece, notes: &mut Vec<Note>) {
    use crate::report::quantity::Cmp;
    let t = squeeze(&p.text);
    let (key, value) = if let Some(c) = Cmp::from_symbol(&t) {
        ("comparator", c.symbol())
    } else if t.starts_with("正向") {
        ("direction", "positive")
    } else if t.starts_with("反向") || t.starts_with("逆向") {
        ("direction", "negative")
    } else {
        notes.push(Note {
            message: format!("指标性质“{}”不是 ≥、≤、= 或正向、反向，未导入", p.text),
            origin: Some(p.origin.clone()),
        });
        return;
    };
    out.push((
        key,
        Field {
            value: Value::Text(value.into()),
            origin: p.origin.clone(),
        },
    ));
}

#[derive(Clone)]
pub(super) struct Tables {
    pub summary: Vec<Row>,
    pub indicators: Vec<Row>,
    pub total: Row,
    pub budget: Row,
    pub sources: Vec<Row>,
    pub unit: Option<Field>,
    /// What the tables' headers call each column, by data path without
    /// indexes (`indicators.deviation` → 未完成原因分析): the form's own
    /// names, which findings then use.
    pub names: Vec<(String, Field)>,
}

impl Tables {
    /// Records the header texts of the columns `cols` of `row`, a header
    /// of the `table` rows, unless an earlier header named them.
    fn name_columns(&mut self, table: &str, row: &[Option<Piece>], cols: &[(&'static str, usize)]) {
        for &(key, i) in cols {
            // The budget table's 分值 and 得分 are those of the execution
            // rate: their bare headers would name them less well.
            if table == "budget" && matches!(key, "weight" | "score") {
                continue;
            }
            let path = format!("{table}.{key}");
            if self.names.iter().any(|(p, _)| *p == path) {
                continue;
            }
            if let Some(p) = cell(row, i) {
                self.names.push((
                    path,
                    Field {
                        value: Value::Text(squeeze(&p.text)),
                        origin: p.origin.clone(),
                    },
                ));
            }
        }
    }
}

pub(super) fn tables(grids: &[&Grid], notes: &mut Vec<Note>) -> Tables {
    let mut t = Tables {
        summary: Vec::new(),
        indicators: Vec::new(),
        total: Vec::new(),
        budget: Vec::new(),
        sources: Vec::new(),
        unit: None,
        names: Vec::new(),
    };
    // The grid whose indicator table was read first.
    let mut indicators_in: Option<usize> = None;
    for (g, grid) in grids.iter().enumerate() {
        let mut r = 0;
        while r < grid.len() {
            let ind = header(&grid[r], INDICATOR_COLUMNS);
            if has(&ind, "name") && (has(&ind, "target") || has(&ind, "actual")) {
                let (before, at) = (t.indicators.len(), r);
                t.name_columns("indicators", &grid[r], &ind);
                r = indicator_rows(grid, r + 1, &ind, &mut t, notes);
                // An indicator table continued in another table is one
                // table; another project's (a workbook with a sheet per
                // project) is not this report's.
                if indicators_in.is_some_and(|first| first != g) && names_a_project(grid) {
                    t.indicators.truncate(before);
                    second(&grid[at], "项目的绩效指标表", notes);
                }
                indicators_in.get_or_insert(g);
                continue;
            }
            let sum = header(&grid[r], SUMMARY_COLUMNS);
            if has(&sum, "name") && has(&sum, "weight") && has(&sum, "score") {
                let (before, at) = (t.summary.len(), r);
                t.name_columns("summary", &grid[r], &sum);
                r = summary_rows(grid, r + 1, &sum, &mut t, notes);
                if before > 0 {
                    t.summary.truncate(before);
                    second(&grid[at], "一级指标得分汇总表", notes);
                }
                continue;
            }
            let bud = header(&grid[r], BUDGET_COLUMNS);
            if has(&bud, "executed") && (has(&bud, "initial") || has(&bud, "adjusted")) {
                let (had, sources) = (!t.budget.is_empty(), t.sources.len());
                let at = r;
                t.name_columns("budget", &grid[r], &bud);
                r = budget_rows(grid, r, &bud, &mut t, notes);
                if had {
                    t.sources.truncate(sources);
                    second(&grid[at], "预算执行表", notes);
                }
                continue;
            }
            r += 1;
        }
    }
    t
}

/// Whether a table has a 项目名称 cell (it is a 自评表 of its own).
fn names_a_project(grid: &Grid) -> bool {
    grid.iter()
        .flatten()
        .flatten()
        .any(|p| squeeze(&p.text).trim_end_matches(['：', ':']) == "项目名称")
}

/// Notes a second table of a kind that a report has once.
fn second(row: &[Option<Piece>], what: &str, notes: &mut Vec<Note>) {
    notes.push(Note {
        message: format!("发现第二张{what}，未导入（已导入前一张）"),
        origin: row.iter().flatten().next().map(|p| p.origin.clone()),
    });
}

/// Fills `total` from a 合计/总分 row, the values taken from the columns.
fn total_row(
    row: &[Option<Piece>],
    cols: &[(&'static str, usize)],
    t: &mut Tables,
    notes: &mut Vec<Note>,
) {
    if !t.total.is_empty() {
        return;
    }
    for &(key, i) in cols {
        if matches!(key, "weight" | "score" | "score_rate")
            && let Some(p) = cell(row, i)
        {
            put(&mut t.total, key, p, notes);
        }
    }
}

/// Walks the rows under a table's header: a blank row ends the table, a
/// 合计/总分 row ends it with its figures in `total`, rows without a name
/// are skipped, and `each` takes every named row and says whether the
/// table goes on.
fn walk_rows(
    grid: &Grid,
    mut r: usize,
    cols: &[(&'static str, usize)],
    t: &mut Tables,
    notes: &mut Vec<Note>,
    mut each: impl FnMut(&Piece, &[Option<Piece>], &mut Tables, &mut Vec<Note>) -> bool,
) -> usize {
    let name_col = cols.iter().find(|(k, _)| *k == "name").map_or(0, |c| c.1);
    while r < grid.len() {
        let row = &grid[r];
        // A total row may be merged over the name column's left side.
        if lead(row).is_some_and(|l| is_total_name(&l)) {
            total_row(row, cols, t, notes);
            return r + 1;
        }
        match cell(row, name_col) {
            None if row.iter().all(Option::is_none) => return r + 1,
            None => {}
            Some(name) if is_total_name(&squeeze(&name.text)) => {
                total_row(row, cols, t, notes);
                return r + 1;
            }
            Some(name) if !each(name, row, t, notes) => return r,
            Some(_) => {}
        }
        r += 1;
    }
    r
}

fn summary_rows(
    grid: &Grid,
    r: usize,
    cols: &[(&'static str, usize)],
    t: &mut Tables,
    notes: &mut Vec<Note>,
) -> usize {
    walk_rows(grid, r, cols, t, notes, |name, row, t, notes| {
        // Another table's header ends this one.
        if has(&header(row, SUMMARY_COLUMNS), "weight") {
            return false;
        }
        let mut out: Row = vec![("name", text(name))];
        for &(key, i) in cols.iter().filter(|(k, _)| *k != "name") {
            if let Some(p) = cell(row, i) {
                put(&mut out, key, p, notes);
            }
        }
        t.summary.push(out);
        true
    })
}

fn indicator_rows(
    grid: &Grid,
    r: usize,
    cols: &[(&'static str, usize)],
    t: &mut Tables,
    notes: &mut Vec<Note>,
) -> usize {
    walk_rows(grid, r, cols, t, notes, |name, row, t, notes| {
        let mut out: Row = Vec::new();
        for &(key, i) in cols {
            match (key, cell(row, i)) {
                ("name", _) => out.push(("name", text(name))),
                (_, Some(p)) => put(&mut out, key, p, notes),
                // A 一级/二级指标 left blank under a filled one belongs to
                // it (a merge that was drawn, not made).
                ("level1" | "level2", None) => {
                    if let Some(f) = t.indicators.last().and_then(|prev| get(prev, key)) {
                        out.push((key, f.clone()));
                    }
                }
                _ => {}
            }
        }
        t.indicators.push(out);
        true
    })
}

fn budget_rows(
    grid: &Grid,
    header_row: usize,
    cols: &[(&'static str, usize)],
    t: &mut Tables,
    notes: &mut Vec<Note>,
) -> usize {
    let first_col = cols.iter().map(|c| c.1).min().unwrap_or(0);
    // The unit in the header or a cell beside it: 项目资金（万元）.
    for row in &grid[header_row..grid.len().min(header_row + 2)] {
        for p in row.iter().flatten() {
            if t.unit.is_none()
                && let Some(u) = unit_in(p)
            {
                t.unit = Some(u);
            }
        }
    }
    let mut r = header_row + 1;
    while r < grid.len() {
        let row = &grid[r];
        let values: Vec<(&'static str, &Piece)> = cols
            .iter()
            .filter_map(|&(k, i)| cell(row, i).map(|p| (k, p)))
            .filter(|(_, p)| number(p).is_some() || rate(p).is_some())
            .collect();
        if values.is_empty() {
            break;
        }
        // The row's name: the last filled cell left of the figures.
        let name = row[..first_col].iter().rev().flatten().next();
        if t.budget.is_empty() {
            for (k, p) in values {
                put(&mut t.budget, k, p, notes);
            }
        } else if let Some(name) = name {
            let stripped = name
                .text
                .trim_start_matches("其中")
                .trim_start_matches(['：', ':']);
            let at = name.text.len() - stripped.len();
            let mut out: Row = vec![("name", text(&name.sub(at..name.text.len()).trimmed()))];
            for (k, p) in values
                .into_iter()
                .filter(|(k, _)| matches!(*k, "initial" | "adjusted" | "executed"))
            {
                put(&mut out, k, p, notes);
            }
            t.sources.push(out);
        }
        r += 1;
    }
    r
}

/// A money unit written in a piece: （万元）, 单位：元.
fn unit_in(p: &Piece) -> Option<Field> {
    static UNIT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:[（(]|单位[：:]\s*)(万元|元)[）)]?").unwrap());
    let c = UNIT.captures(&p.text)?;
    let m = c.get(1)?;
    Some(Field {
        value: Value::Text(m.as_str().to_string()),
        origin: p.sub(m.range()).origin,
    })
}
