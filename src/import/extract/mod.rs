//! Finding the report's values in a read document: the identity (title,
//! department, year), the budget sentence or table, the score summary and
//! the indicator table, the total and grade, the numbered problems and
//! measures, and every heading with its body. What is not found stays out;
//! what is found in more than one way with different values is taken from
//! the first place and noted.

mod identity;
mod items;
mod prose;
mod sections;
mod sentences;
mod tables;
mod unread;

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

impl Value {
    /// The value as the document prints it.
    pub fn shown(&self) -> String {
        match self {
            Value::Text(s) | Value::Number(s) | Value::Rate(s) => s.clone(),
            Value::Integer(i) => i.to_string(),
        }
    }
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
    /// The form's own names of its columns, by data path without indexes.
    pub names: Vec<(String, Field)>,
    /// Parts the document seems to have but the reader could not read, by
    /// data path, each at the text that looks like it (see [`unread`]).
    pub unread: Vec<(String, Field)>,
    pub notes: Vec<Note>,
}

impl Draft {
    pub fn has(&self, key: &str) -> bool {
        self.top.iter().any(|(k, _)| *k == key)
    }

    /// Whether a report's figures were found (a budget, a score summary or
    /// indicators): what tells a 自评表 sheet from a 说明 or 目录 sheet.
    pub fn holds_report(&self) -> bool {
        !self.indicators.is_empty()
            || !self.summary.is_empty()
            || get(&self.budget, "executed").is_some()
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
    // No amount, weight or score has more than 15 digits before the point;
    // a longer one is no number of a report (and would not fit TOML's
    // integers).
    let digits = printed
        .split('.')
        .next()
        .unwrap_or("")
        .trim_start_matches('0')
        .len();
    if digits > 15 || printed.parse::<f64>().is_err() {
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

// ------------------------------------------------------------------ all

/// The value beside a label cell (项目名称 | 农村义务教育…) or after a
/// label in a line (项目名称：…).
pub(super) fn labelled(doc: &[Block], labels: &[&str]) -> Option<Piece> {
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

/// A document's blocks as the extractors read them.
struct Parts<'a> {
    /// Paragraphs, with whether the document styles them as headings.
    paras: Vec<(&'a Piece, bool)>,
    grids: Vec<&'a tables::Grid>,
    /// Every text in document order, paragraphs (and whether they are
    /// styled as headings) and cells (None).
    all: Vec<(&'a Piece, Option<bool>)>,
}

impl<'a> Parts<'a> {
    fn of(blocks: &'a [Block]) -> Parts<'a> {
        let mut parts = Parts {
            paras: Vec::new(),
            grids: Vec::new(),
            all: Vec::new(),
        };
        for b in blocks {
            match b {
                Block::Para { piece, heading, .. } => {
                    parts.paras.push((piece, *heading));
                    parts.all.push((piece, Some(*heading)));
                }
                Block::Table(t) => {
                    parts.grids.push(t.as_slice());
                    parts
                        .all
                        .extend(t.iter().flatten().flatten().map(|p| (p, None)));
                }
            }
        }
        parts
    }
}

/// Extracts a report from a document whose pieces are at `places`.
pub fn extract(blocks: &[Block], mut notes: Vec<Note>, places: &super::places::Places) -> Draft {
    let parts = Parts::of(blocks);
    let title = identity::title(&parts.all);
    let all: Vec<&Piece> = parts.all.iter().map(|(p, _)| *p).collect();
    let found = sections::sections(&parts.paras, title);
    let t = tables::tables(&parts.grids, &mut notes);
    let mut budget = t.budget.clone();
    let mut unit = t.unit.clone();
    let figures = sentences::budget(&all, &mut budget, &mut unit, &mut notes);
    if get(&budget, "explanation").is_none()
        && let Some(e) = prose::explanation(&parts.paras, &figures, blocks)
    {
        budget.push(("explanation", e));
    }
    let (mut summary, mut indicators) = (t.summary.clone(), t.indicators.clone());
    prose::deductions(&parts.paras, &mut summary, &mut indicators, &mut notes);
    let mut total = t.total.clone();
    sentences::total(&all, &mut total, &mut notes);
    sentences::grade_cell(blocks, &mut total);
    let mut d = Draft::default();
    identity::identify(
        &mut d,
        identity::Sources {
            blocks,
            paras: &parts.paras,
            all: &all,
            title,
            tables: &t,
            places,
        },
        &mut notes,
    );
    if let Some(u) = unit {
        d.top.push(("unit", u));
    }
    let kept = items::from_sections(found, &mut d, &mut notes);
    items::from_rows(blocks, &mut d, &mut notes);
    d.sections = sections::rows(&kept);
    d.budget = budget;
    d.sources = t.sources;
    d.names = t.names;
    d.summary = summary;
    d.total = total;
    d.indicators = indicators;
    unread::find(&mut d, &all, blocks, &mut notes);
    d.notes = notes;
    d
}

#[cfg(test)]
pub(crate) mod tests_support {
    use crate::import::{Origin, Piece};

    pub fn piece(t: &str) -> Piece {
        Piece {
            text: t.into(),
            origin: Origin {
                span: 0..t.len(),
                at: crate::import::At::Line(1),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tests_support::piece;

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
        // Found by fuzzing: a cell of 250 digits was written as a TOML
        // integer the loader could not read.
        assert!(number(&piece("4282550939957498781623370696317528869")).is_none());
        assert!(number(&piece("123456789012345.5")).is_some());
        assert_eq!(
            rate(&piece("95％")).unwrap().value,
            Value::Rate("95%".into())
        );
        assert!(rate(&piece("0.95")).is_none());
    }
}
