//! Finding the report's values in a read document: the identity (title,
//! department, year), the budget sentence or table, the score summary and
//! the indicator table, the total and grade, the numbered problems and
//! measures, and every heading with its body. What is not found stays out;
//! what is found in more than one way with different values is taken from
//! the first place and noted.

use std::sync::LazyLock;

use regex_lite::Regex;

use super::{Block, Note, Origin, Piece, is_blank};

/// One value and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub value: Value,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    /// A number as printed, in TOML syntax (thousands separators dropped).
    Number(String),
    Integer(i64),
    /// A rate as printed, with its percent sign.
    Rate(String),
}

/// The keys of one table or row, in the order they are written.
pub type Row = Vec<(&'static str, Field)>;

/// What the extractor found, ready to be written.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub kind: &'static str,
    /// title, department, project, year, unit.
    pub top: Row,
    pub budget: Row,
    pub sources: Vec<Row>,
    pub summary: Vec<Row>,
    pub total: Row,
    pub indicators: Vec<Row>,
    pub problems: Vec<Row>,
    pub measures: Vec<Row>,
    pub sections: Vec<Row>,
    pub notes: Vec<Note>,
}

impl Draft {
    pub fn has(&self, key: &str) -> bool {
        self.top.iter().any(|(k, _)| *k == key)
    }
}

fn get<'a>(row: &'a Row, key: &str) -> Option<&'a Field> {
    row.iter().find(|(k, _)| *k == key).map(|(_, f)| f)
}

fn text(p: &Piece) -> Field {
    Field {
        value: Value::Text(p.text.clone()),
        origin: p.origin.clone(),
    }
}

/// The text without any white space, for comparing header words.
fn squeeze(t: &str) -> String {
    t.chars().filter(|c| !is_blank(*c)).collect()
}

/// Names of a total row.
pub fn is_total_name(t: &str) -> bool {
    matches!(
        t,
        "合计" | "总分" | "总计" | "合计得分" | "总得分" | "总体得分"
    )
}

/// A number as printed in a cell (`1,350.00`, `18分`, `500万元`), or None.
fn number(p: &Piece) -> Option<Field> {
    static NUM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:分|万元|元)?$").unwrap());
    let c = NUM.captures(&p.text)?;
    let m = c.get(1)?;
    let printed = m.as_str().replace(',', "");
    if printed.parse::<f64>().is_err() {
        return None;
    }
    Some(Field {
        value: Value::Number(toml_number(&printed)),
        origin: p.sub(m.range()).origin,
    })
}

/// A number in TOML syntax: TOML forbids leading zeros (`05`).
fn toml_number(printed: &str) -> String {
    let (int, frac) = printed
        .split_once('.')
        .map_or((printed, None), |(i, f)| (i, Some(f)));
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    match frac {
        Some(f) => format!("{int}.{f}"),
        None => int.to_string(),
    }
}

/// A rate as printed (`95.00%`, `95％`), or None.
fn rate(p: &Piece) -> Option<Field> {
    static RATE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^([0-9]+(?:\.[0-9]+)?)\s*[%％]$").unwrap());
    let c = RATE.captures(&p.text)?;
    Some(Field {
        value: Value::Rate(format!("{}%", &c[1])),
        origin: p.origin.clone(),
    })
}

// ---------------------------------------------------------------- tables

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

type Grid = [Vec<Option<Piece>>];

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

struct Tables {
    summary: Vec<Row>,
    indicators: Vec<Row>,
    total: Row,
    budget: Row,
    sources: Vec<Row>,
    unit: Option<Field>,
}

fn tables(grids: &[&Grid], notes: &mut Vec<Note>) -> Tables {
    let mut t = Tables {
        summary: Vec::new(),
        indicators: Vec::new(),
        total: Vec::new(),
        budget: Vec::new(),
        sources: Vec::new(),
        unit: None,
    };
    // The grid whose indicator table was read first.
    let mut indicators_in: Option<usize> = None;
    for (g, grid) in grids.iter().enumerate() {
        let mut r = 0;
        while r < grid.len() {
            let ind = header(&grid[r], INDICATOR_COLUMNS);
            if has(&ind, "name") && (has(&ind, "target") || has(&ind, "actual")) {
                let (before, at) = (t.indicators.len(), r);
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

// ------------------------------------------------------------- sentences

/// Money amounts in a sentence: 年初预算数为1200.50万元.
static AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(调整后预算数?|调整预算数?|全年预算数?|年初预算数?|支出预算数?|预算总额|预算数|全年执行数|执行数|支出决算数|决算数|实际支出|全年支出)(?:为|是|共计|合计|总额为)?[:：]?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万元|元)",
    )
    .unwrap()
});

static RATE_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"执行率(?:为|是|达到|达)?[:：]?\s*([0-9]+(?:\.[0-9]+)?\s*[%％])").unwrap()
});

static TOTAL_SCORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:最终评分结果为|评分结果为|自评得分为?|评价得分为?|综合得分为?|总得分为?|总分为?|得分为)[:：]?\s*([0-9]+(?:\.[0-9]+)?)\s*分").unwrap()
});

static GRADE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:绩效评级|评价等级|自评等级|绩效等级|评定等级|评价结果|评级|等级)(?:为|是|[:：])?\s*[“"「『]?(优秀|良好|中等|合格|较差|优|良|中|差)"#).unwrap()
});

/// Whether an amount is the year's whole budget, judging by its clause so
/// far: not 其中… (a part of it), not 上年… (last year's).
fn whole_amount(before: &str) -> bool {
    let clause = before
        .rfind(['，', '；', '。', ',', ';'])
        .map_or(before, |i| &before[i..]);
    !["其中", "上年", "去年", "上一年"]
        .iter()
        .any(|w| clause.contains(w))
}

/// A grade as a table cell gives it: 优, 良好…
static GRADE_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:优秀|良好|中等|合格|较差|优|良|中|差)$").unwrap());

fn budget_key(label: &str) -> &'static str {
    if label.contains("调整") || label.contains("全年预算") {
        "adjusted"
    } else if ["执行", "决算", "实际支出", "全年支出"]
        .iter()
        .any(|w| label.contains(w))
    {
        "executed"
    } else {
        "initial"
    }
}

/// Budget figures from sentences, for the keys the tables left empty.
fn budget_sentences(
    pieces: &[&Piece],
    budget: &mut Row,
    unit: &mut Option<Field>,
    notes: &mut Vec<Note>,
) {
    let from_table: Vec<&'static str> = budget.iter().map(|(k, _)| *k).collect();
    let mut seen: Vec<(&'static str, String, String)> = Vec::new();
    for p in pieces {
        for c in AMOUNT.captures_iter(&p.text) {
            let (label, amount, u) = (c.get(1).unwrap(), c.get(2).unwrap(), c.get(3).unwrap());
            let key = budget_key(label.as_str());
            if from_table.contains(&key) || !whole_amount(&p.text[..label.start()]) {
                continue;
            }
            let Some(field) = number(&p.sub(amount.range())) else {
                continue;
            };
            match seen.iter().find(|(k, _, _)| *k == key) {
                None => {
                    seen.push((key, label.as_str().to_string(), amount.as_str().to_string()));
                    budget.push((key, field));
                    if unit.is_none() {
                        *unit = Some(Field {
                            value: Value::Text(u.as_str().to_string()),
                            origin: p.sub(u.range()).origin,
                        });
                    }
                }
                Some((_, l, a)) if l == label.as_str() && a != amount.as_str() => {
                    notes.push(Note {
                        message: format!(
                            "“{}”出现了不同的数额：已取前文的 {a}，此处为 {}",
                            l,
                            amount.as_str()
                        ),
                        origin: Some(p.sub(amount.range()).origin),
                    });
                }
                Some(_) => {}
            }
        }
        if !from_table.contains(&"rate")
            && get(budget, "rate").is_none()
            && let Some(c) = RATE_SENTENCE.captures(&p.text)
        {
            let m = c.get(1).unwrap();
            if let Some(f) = rate(&p.sub(m.range())) {
                budget.push(("rate", f));
            }
        }
    }
}

/// The total score and grade from sentences such as
/// 最终评分结果为98分，绩效评级为“优”.
fn total_sentences(pieces: &[&Piece], total: &mut Row, notes: &mut Vec<Note>) {
    for p in pieces {
        if let Some(c) = TOTAL_SCORE.captures(&p.text) {
            let m = c.get(1).unwrap();
            if let Some(f) = number(&p.sub(m.range())) {
                match get(total, "score") {
                    None => total.push(("score", f)),
                    Some(old) if old.value != f.value => notes.push(Note {
                        message: format!(
                            "正文中的总分 {} 与表中的 {} 不同；已取表中的 {}",
                            show(&f.value),
                            show(&old.value),
                            show(&old.value)
                        ),
                        origin: Some(f.origin),
                    }),
                    Some(_) => {}
                }
            }
        }
        if get(total, "grade").is_none()
            && let Some(c) = GRADE.captures(&p.text)
        {
            let m = c.get(1).unwrap();
            total.push(("grade", text(&p.sub(m.range()))));
        }
    }
}

fn show(v: &Value) -> &str {
    match v {
        Value::Text(s) | Value::Number(s) | Value::Rate(s) => s,
        Value::Integer(_) => "",
    }
}

// -------------------------------------------------------------- identity

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"((?:19|20)[0-9]{2})\s*年").unwrap());

fn year_in(p: &Piece, re: &Regex) -> Option<Field> {
    let c = re.captures(&p.text)?;
    let m = c.get(1)?;
    Some(Field {
        value: Value::Integer(m.as_str().parse().ok()?),
        origin: p.sub(m.range()).origin,
    })
}

/// The value beside a label cell (项目名称 | 农村义务教育…) or after a
/// label in a line (项目名称：…).
fn labelled(doc: &[Block], labels: &[&str]) -> Option<Piece> {
    let is_label = |t: &str| {
        let t = squeeze(t);
        let t = t.trim_end_matches(['：', ':']);
        labels.contains(&t)
    };
    for b in doc {
        match b {
            Block::Table(grid) => {
                for row in grid {
                    for (i, c) in row.iter().enumerate() {
                        if c.as_ref().is_some_and(|c| is_label(&c.text)) {
                            let value = row[i + 1..]
                                .iter()
                                .flatten()
                                .find(|p| !is_label(&p.text) && !same(p, c.as_ref()));
                            if let Some(v) = value {
                                return Some(v.clone());
                            }
                        }
                    }
                }
            }
            Block::Para { piece, .. } => {
                for l in labels {
                    if let Some(rest) = piece.text.strip_prefix(l)
                        && let Some(v) = rest.strip_prefix(['：', ':'])
                    {
                        let at = piece.text.len() - v.len();
                        let v = piece.sub(at..piece.text.len()).trimmed();
                        if !v.text.is_empty() {
                            return Some(v);
                        }
                    }
                }
            }
        }
    }
    None
}

/// Whether two cells are the same merged cell.
fn same(p: &Piece, q: Option<&Piece>) -> bool {
    q.is_some_and(|q| q.origin == p.origin)
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

// -------------------------------------------------------------- sections

/// The printed number of a heading: 一、 （一） (一).
fn numbering(t: &str) -> Option<usize> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])")
            .unwrap()
    });
    RE.find(t).map(|m| m.end())
}

/// Endings of unnumbered headings (履职效果情况, 绩效目标。).
const HEADING_ENDS: &[&str] = &[
    "情况", "目标", "分析", "措施", "概况", "结果", "问题", "说明", "任务", "影响", "评价", "成效",
    "建议", "方向", "职责", "职能",
];

fn is_heading(p: &Piece, styled: bool) -> bool {
    let t = p.text.as_str();
    if numbering(t).is_some() {
        return t.chars().count() <= 60;
    }
    if styled {
        return true;
    }
    let core = t.trim_end_matches(['。', '.']);
    core.chars().count() <= 30
        && !core.contains(['，', ',', '：', ':', '；', '。', '“', '（', '('])
        && !core.starts_with(|c: char| c.is_ascii_digit())
        && HEADING_ENDS.iter().any(|w| core.ends_with(w))
}

struct Section {
    heading: Piece,
    body: Vec<Piece>,
}

/// Joins pieces of consecutive lines into one field (origin: from the
/// first to the end of the last).
fn joined(pieces: &[Piece]) -> Option<Field> {
    let first = pieces.first()?;
    let last = pieces.last()?;
    Some(Field {
        value: Value::Text(
            pieces
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        origin: Origin {
            span: first.origin.span.start..last.origin.span.end,
            location: if first.origin.location == last.origin.location {
                first.origin.location.clone()
            } else {
                format!("{} 至 {}", first.origin.location, last.origin.location)
            },
        },
    })
}

// ---------------------------------------------------- problems, measures

static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:([0-9]{1,2})[.、．]|[（(]([0-9]{1,2})[）)]|([一二三四五六七八九十]{1,3})是)\s*",
    )
    .unwrap()
});

/// The numbered items of a section's body: id, title (to the first 。),
/// detail (the rest, and the unnumbered paragraphs that follow).
fn items(body: &[Piece], what: &str, heading: &Piece, notes: &mut Vec<Note>) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    let mut details: Vec<Vec<Piece>> = Vec::new();
    for p in body {
        if let Some(c) = ITEM.captures(&p.text) {
            let id = c.get(1).or(c.get(2)).or(c.get(3)).unwrap();
            let rest = p.sub(c.get(0).unwrap().end()..p.text.len());
            let cut = rest.text.find(['。', '；']).map_or(rest.text.len(), |i| {
                i + rest.text[i..].chars().next().map_or(0, char::len_utf8)
            });
            let title = rest.sub(0..cut).trimmed();
            let detail = rest.sub(cut..rest.text.len()).trimmed();
            out.push(vec![
                ("id", text(&p.sub(id.range()))),
                ("title", text(&title)),
            ]);
            details.push(if detail.text.is_empty() {
                vec![]
            } else {
                vec![detail]
            });
        } else if let Some(d) = details.last_mut() {
            d.push(p.clone());
        }
    }
    if out.is_empty() && !body.is_empty() {
        notes.push(Note {
            message: format!("“{}”下的{what}没有编号，未拆分为条目", heading.text),
            origin: Some(heading.origin.clone()),
        });
    }
    for (row, d) in out.iter_mut().zip(details) {
        if let Some(f) = joined(&d) {
            row.push(("detail", f));
        }
    }
    out
}

fn is_problem_heading(t: &str) -> bool {
    t.contains("问题") && !is_measure_heading(t)
}

fn is_measure_heading(t: &str) -> bool {
    ["措施", "建议", "改进", "整改"]
        .iter()
        .any(|w| t.contains(w))
        && !t.contains("问题")
}

// ------------------------------------------------------------------ all

/// A field the format requires that the document does not give: written
/// empty, with no origin, and noted.
fn left_empty(d: &mut Draft, notes: &mut Vec<Note>, key: &'static str, message: String) {
    notes.push(Note {
        message,
        origin: None,
    });
    let nowhere = Origin {
        span: 0..0,
        location: String::new(),
    };
    d.top.push((
        key,
        Field {
            value: Value::Text(String::new()),
            origin: nowhere,
        },
    ));
}

/// Extracts a report from a document.
pub fn extract(blocks: &[Block], mut notes: Vec<Note>) -> Draft {
    let mut d = Draft::default();
    let paras: Vec<(&Piece, bool)> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para { piece, heading, .. } => Some((piece, *heading)),
            Block::Table(_) => None,
        })
        .collect();
    let grids: Vec<&Grid> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t.as_slice()),
            Block::Para { .. } => None,
        })
        .collect();
    // Every text in document order: paragraphs (with whether they are
    // styled as headings) and cells.
    let all: Vec<(&Piece, Option<bool>)> = blocks
        .iter()
        .flat_map(|b| -> Box<dyn Iterator<Item = (&Piece, Option<bool>)>> {
            match b {
                Block::Para { piece, heading, .. } => {
                    Box::new(std::iter::once((piece, Some(*heading))))
                }
                Block::Table(t) => Box::new(t.iter().flatten().flatten().map(|p| (p, None))),
            }
        })
        .collect();

    // The title: the first paragraph (or cell) that looks like one, before
    // the first heading.
    let title = all
        .iter()
        .take_while(|(p, styled)| {
            looks_like_title(&p.text) || styled.is_none_or(|s| !is_heading(p, s))
        })
        .map(|(p, _)| *p)
        .find(|p| looks_like_title(&p.text));
    let all: Vec<&Piece> = all.into_iter().map(|(p, _)| p).collect();

    // Sections.
    let mut sections: Vec<Section> = Vec::new();
    for &(p, styled) in &paras {
        if title.is_some_and(|t| std::ptr::eq(t, p)) {
            continue;
        }
        if is_heading(p, styled) {
            sections.push(Section {
                heading: p.clone(),
                body: Vec::new(),
            });
        } else if let Some(s) = sections.last_mut() {
            s.body.push(p.clone());
        }
    }

    let t = tables(&grids, &mut notes);
    let mut budget = t.budget;
    let mut unit = t.unit;
    budget_sentences(&all, &mut budget, &mut unit, &mut notes);
    let mut total = t.total;
    total_sentences(&all, &mut total, &mut notes);
    if get(&total, "grade").is_none()
        && let Some(g) = labelled(
            blocks,
            &[
                "绩效评级",
                "评价等级",
                "自评等级",
                "绩效等级",
                "评定等级",
                "等级",
            ],
        )
        && GRADE_WORD.is_match(&g.text)
    {
        total.push(("grade", text(&g)));
    }

    // Identity.
    let project = labelled(blocks, &["项目名称"]);
    let department_cell = labelled(
        blocks,
        &[
            "部门名称",
            "单位名称",
            "主管部门",
            "预算部门",
            "预算单位",
            "实施单位",
        ],
    );
    let title_text = title.map(|t| t.text.as_str()).unwrap_or("");
    d.kind = if title_text.contains("部门整体") {
        "department"
    } else if title_text.contains("项目")
        || project.is_some()
        || (!t.indicators.is_empty() && t.summary.is_empty())
    {
        "project"
    } else {
        "department"
    };
    let year = title
        .and_then(|p| year_in(p, &YEAR))
        .or_else(|| {
            static OF_YEAR: LazyLock<Regex> =
                LazyLock::new(|| Regex::new(r"((?:19|20)[0-9]{2})\s*年度").unwrap());
            all.iter().find_map(|p| year_in(p, &OF_YEAR))
        })
        .or_else(|| {
            all.iter()
                .filter(|p| AMOUNT.is_match(&p.text))
                .find_map(|p| year_in(p, &YEAR))
        });
    // A title set in two lines has the department on the first: 景德镇市教育局
    // / 2021年度部门整体支出绩效自评报告.
    let above_title = title
        .and_then(|t| all.iter().position(|p| std::ptr::eq(*p, t)))
        .filter(|&i| i > 0)
        .map(|i| all[i - 1])
        .filter(|p| department_line(&p.text));
    let department = title
        .and_then(department_in_title)
        .or_else(|| above_title.cloned())
        .or(department_cell)
        .or_else(|| paras.iter().find_map(|(p, _)| department_in_body(p)));

    match title {
        Some(t) => d.top.push(("title", text(t))),
        None => {
            let found: Vec<String> = [
                ("年度", year.as_ref().map(|f| &f.origin)),
                ("部门", department.as_ref().map(|p| &p.origin)),
            ]
            .into_iter()
            .filter_map(|(w, o)| o.map(|o| format!("{w}取自{}", o.location)))
            .collect();
            let mut message = "原文开头没有报告标题，title 留空".to_string();
            if !found.is_empty() {
                message = format!("{message}；{}", found.join("，"));
            }
            left_empty(&mut d, &mut notes, "title", message);
        }
    }
    match &department {
        Some(p) => d.top.push(("department", text(p))),
        None => left_empty(
            &mut d,
            &mut notes,
            "department",
            "原文中找不到部门（单位）名称，department 留空".into(),
        ),
    }
    if d.kind == "project" {
        match &project {
            Some(p) => d.top.push(("project", text(p))),
            None => left_empty(
                &mut d,
                &mut notes,
                "project",
                "原文中找不到项目名称，project 留空".into(),
            ),
        }
    }
    if let Some(y) = year {
        d.top.push(("year", y));
    }
    if let Some(u) = unit {
        d.top.push(("unit", u));
    }

    // Problems and measures from their sections.
    for s in &sections {
        let h = s.heading.text.as_str();
        if is_problem_heading(h) {
            let found = items(&s.body, "问题", &s.heading, &mut notes);
            d.problems.extend(found);
        } else if is_measure_heading(h) {
            let found = items(&s.body, "措施", &s.heading, &mut notes);
            d.measures.extend(found);
        } else if h.contains("问题") && !s.body.is_empty() && ITEM.is_match(&s.body[0].text) {
            notes.push(Note {
                message: format!(
                    "“{h}”一节同时写了问题和措施，无法区分，未导入为 problems/measures"
                ),
                origin: Some(s.heading.origin.clone()),
            });
        }
    }
    d.sections = sections
        .iter()
        .map(|s| {
            let mut row: Row = vec![("heading", text(&s.heading))];
            if let Some(b) = joined(&s.body) {
                row.push(("body", b));
            }
            row
        })
        .collect();
    d.budget = budget;
    d.sources = t.sources;
    d.summary = t.summary;
    d.total = total;
    d.indicators = t.indicators;
    d.notes = notes;
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(t: &str) -> Piece {
        Piece {
            text: t.into(),
            origin: Origin {
                span: 0..t.len(),
                location: "第 1 行".into(),
            },
        }
    }

    #[test]
    fn headings() {
        for h in [
            "一、部门基本情况",
            "（一）部门概况",
            "(二)改进的方向和具体措施。",
            "履职效果情况",
            "当年部门年度整体支出绩效目标。",
        ] {
            assert!(is_heading(&piece(h), false), "{h}");
        }
        for b in [
            "主要职责是：",
            "各部分指标得分情况汇总表",
            "本部门当年认真开展了预算绩效管理工作。",
            "4.校园基础设施建设进一步加强。",
            "一是以深化教育评价改革为契机",
        ] {
            assert!(!is_heading(&piece(b), false), "{b}");
        }
    }

    #[test]
    fn numbers_and_rates_as_printed() {
        assert_eq!(
            number(&piece("1,350.00")).unwrap().value,
            Value::Number("1350.00".into())
        );
        assert_eq!(
            number(&piece("18分")).unwrap().value,
            Value::Number("18".into())
        );
        assert_eq!(
            number(&piece("05")).unwrap().value,
            Value::Number("5".into())
        );
        assert!(number(&piece("约18")).is_none());
        assert_eq!(
            rate(&piece("95％")).unwrap().value,
            Value::Rate("95%".into())
        );
        assert!(rate(&piece("0.95")).is_none());
    }

    #[test]
    fn budget_sentences_take_the_whole_year() {
        let p = piece(
            "上年预算数为90万元。本年支出预算数为100万元，其中基本支出预算数为60万元；决算数为95万元。",
        );
        let (mut budget, mut unit, mut notes) = (Vec::new(), None, Vec::new());
        budget_sentences(&[&p], &mut budget, &mut unit, &mut notes);
        assert_eq!(
            get(&budget, "initial").unwrap().value,
            Value::Number("100".into())
        );
        assert_eq!(
            get(&budget, "executed").unwrap().value,
            Value::Number("95".into())
        );
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn departments() {
        let t = piece("浮梁县财政局2022年度部门整体支出绩效自评报告");
        assert_eq!(department_in_title(&t).unwrap().text, "浮梁县财政局");
        let b = piece("景德镇市教育局是市政府教育行政主管部门，内设科室11个");
        assert_eq!(department_in_body(&b).unwrap().text, "景德镇市教育局");
        assert!(department_in_body(&piece("本部门当年认真开展了工作")).is_none());
    }

    #[test]
    fn items_split_title_and_detail() {
        let body = vec![
            piece("1.单位绩效管理意识不够强。关注资金是否合规使用的多。"),
            piece("2.绩效指标设置科学性有待提高"),
            piece("补充说明。"),
        ];
        let mut notes = Vec::new();
        let got = items(&body, "问题", &piece("（一）问题"), &mut notes);
        assert_eq!(got.len(), 2);
        assert_eq!(
            get(&got[0], "title").unwrap().value,
            Value::Text("单位绩效管理意识不够强。".into())
        );
        assert_eq!(
            get(&got[0], "detail").unwrap().value,
            Value::Text("关注资金是否合规使用的多。".into())
        );
        assert_eq!(
            get(&got[1], "detail").unwrap().value,
            Value::Text("补充说明。".into())
        );
        assert!(notes.is_empty());
    }
}
