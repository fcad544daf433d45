//! From positioned characters and ruling lines to paragraphs and tables:
//! the layout a reader sees on a PDF page, in reading order.

use super::{Glyph, Page, Rule};
use crate::import::{At, Block, Display, Doc, Piece};

/// Ruling lines closer than this (points) are one line.
const SNAP: f64 = 1.5;

/// A bordered table on a page: its row and column borders (rows top
/// down), and each grid cell's owner (the first cell of the merged cell
/// it belongs to).
struct Grid {
    ys: Vec<f64>,
    xs: Vec<f64>,
    owner: Vec<Vec<(usize, usize)>>,
    cells: Vec<Vec<Vec<Glyph>>>,
}

impl Grid {
    fn top(&self) -> f64 {
        self.ys[0]
    }

    /// The grid cell holding a point, if the point is inside the table
    /// (row and column found by binary search; a point on a border is in
    /// the cell above or to the left of it).
    fn at(&self, x: f64, y: f64) -> Option<(usize, usize)> {
        // Rows run top down: the row ends at the first border at most
        // 0.5 above the point.
        let k = self.ys.partition_point(|&b| b > y + 0.5);
        let r = match k {
            0 if y <= self.ys[0] + 0.5 => 0,
            0 => return None,
            k if k < self.ys.len() => k - 1,
            _ => return None,
        };
        let k = self.xs.partition_point(|&b| b < x - 0.5);
        let c = match k {
            0 if x >= self.xs[0] - 0.5 => 0,
            0 => return None,
            k if k < self.xs.len() => k - 1,
            _ => return None,
        };
        Some(self.owner[r][c])
    }
}

fn snap(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for x in v {
        match out.last() {
            Some(&last) if x - last < SNAP => {}
            _ => out.push(x),
        }
    }
    out
}

/// Ruling lines of one direction, indexed for lookups by position: the
/// lines grouped by their snapped coordinate (a row's y, a column's x),
/// and within each group the stretches they cover along the other axis,
/// merged and sorted, each a node of the page's line graph.
struct Runs {
    /// The groups' coordinates, ascending.
    at: Vec<f64>,
    /// Each group's stretches: from, to, node.
    runs: Vec<Vec<(f64, f64, usize)>>,
}

impl Runs {
    /// Indexes `lines` (coordinate, from, to); nodes are numbered from
    /// `*next` on.
    fn new(mut lines: Vec<(f64, f64, f64)>, next: &mut usize) -> Runs {
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut at: Vec<f64> = Vec::new();
        let mut groups: Vec<Vec<(f64, f64)>> = Vec::new();
        for (c, from, to) in lines {
            match at.last() {
                Some(&first) if c - first < SNAP => {}
                _ => {
                    at.push(c);
                    groups.push(Vec::new());
                }
            }
            if let Some(g) = groups.last_mut() {
                g.push((from, to));
            }
        }
        let runs = groups
            .into_iter()
            .map(|mut g| {
                g.sort_by(|a, b| a.0.total_cmp(&b.0));
                let mut merged: Vec<(f64, f64, usize)> = Vec::new();
                for (from, to) in g {
                    match merged.last_mut() {
                        Some(last) if from <= last.1 + 1.0 => last.1 = last.1.max(to),
                        _ => {
                            merged.push((from, to, *next));
                            *next += 1;
                        }
                    }
                }
                merged
            })
            .collect();
        Runs { at, runs }
    }

    /// The groups whose coordinate lies in `lo..=hi`.
    fn between(&self, lo: f64, hi: f64) -> std::ops::Range<usize> {
        self.at.partition_point(|&c| c < lo)..self.at.partition_point(|&c| c <= hi)
    }

    /// The node of group `g`'s stretch that covers `v` (within `slack`).
    fn covering(&self, g: usize, v: f64, slack: f64) -> Option<usize> {
        let runs = &self.runs[g];
        // The last stretch starting at or before v + slack.
        let i = runs.partition_point(|r| r.0 - slack <= v).checked_sub(1)?;
        (runs[i].1 + slack >= v).then_some(runs[i].2)
    }

    /// Whether a line of this direction lies at coordinate `c` (within
    /// [`SNAP`]) and covers `v` (within 1 pt).
    fn has(&self, c: f64, v: f64) -> bool {
        self.between(c - SNAP, c + SNAP)
            .any(|g| (self.at[g] - c).abs() < SNAP && self.covering(g, v, 1.0).is_some())
    }
}

/// The page's bordered tables: ruling lines that cross one another,
/// grouped, each group of at least two lines each way a grid. The lines
/// are sorted and indexed ([`Runs`]): a horizontal stretch is paired only
/// with the columns within its own extent, each found by binary search,
/// so the cost grows with the crossings a page really has, not with all
/// pairs of lines.
fn tables(rules: &[Rule]) -> Vec<Grid> {
    let mut h = Vec::new();
    let mut v = Vec::new();
    for r in rules.iter().take(20_000) {
        if (r.y0 - r.y1).abs() < 1.0 && (r.x1 - r.x0).abs() > 3.0 {
            h.push(((r.y0 + r.y1) / 2.0, r.x0.min(r.x1), r.x0.max(r.x1)));
        } else if (r.x0 - r.x1).abs() < 1.0 && (r.y1 - r.y0).abs() > 3.0 {
            v.push(((r.x0 + r.x1) / 2.0, r.y0.min(r.y1), r.y0.max(r.y1)));
        }
    }
    let mut nodes = 0usize;
    let rows = Runs::new(h, &mut nodes);
    let cols = Runs::new(v, &mut nodes);
    let mut parent: Vec<usize> = (0..nodes).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    let mut pairs = 0u64;
    for (g, y) in rows.at.iter().enumerate() {
        for &(x0, x1, node) in &rows.runs[g] {
            let span = cols.between(x0 - 2.0, x1 + 2.0);
            pairs += span.len() as u64;
            for c in span {
                if let Some(other) = cols.covering(c, *y, 2.0) {
                    let (a, b) = (find(&mut parent, node), find(&mut parent, other));
                    parent[a] = b;
                }
            }
        }
    }
    // The pairing is work of the import like any other.
    if !crate::import::budget::work(pairs / 64) {
        return Vec::new();
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<f64>, Vec<f64>)> = Default::default();
    for (g, y) in rows.at.iter().enumerate() {
        for &(_, _, node) in &rows.runs[g] {
            let root = find(&mut parent, node);
            groups.entry(root).or_default().0.push(*y);
        }
    }
    for (g, x) in cols.at.iter().enumerate() {
        for &(_, _, node) in &cols.runs[g] {
            let root = find(&mut parent, node);
            groups.entry(root).or_default().1.push(*x);
        }
    }
    let mut out = Vec::new();
    for (hs, vs) in groups.into_values() {
        let mut ys = snap(hs.into_iter());
        ys.reverse();
        let xs = snap(vs.into_iter());
        if ys.len() < 2 || xs.len() < 2 || ys.len() > 2_000 || xs.len() > 65 {
            continue;
        }
        let (n_rows, n_cols) = (ys.len() - 1, xs.len() - 1);
        let mut owner = vec![vec![(0, 0); n_cols]; n_rows];
        for r in 0..n_rows {
            for c in 0..n_cols {
                let mid_y = (ys[r] + ys[r + 1]) / 2.0;
                let mid_x = (xs[c] + xs[c + 1]) / 2.0;
                owner[r][c] = if c > 0 && !cols.has(xs[c], mid_y) {
                    owner[r][c - 1]
                } else if r > 0 && !rows.has(ys[r], mid_x) {
                    owner[r - 1][c]
                } else {
                    (r, c)
                };
            }
        }
        out.push(Grid {
            cells: vec![vec![Vec::new(); n_cols]; n_rows],
            ys,
            xs,
            owner,
        });
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
        || "“”‘’…—·".contains(c)
}

/// Text with the spaces beside Chinese characters taken out (PDF export
/// writes "2021 年", "51283.47 万元"); spaces between other words stay.
fn tidy(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j).copied();
            let keep = match (before, after) {
                (Some(b), Some(a)) => !is_cjk(b) && !is_cjk(a),
                _ => false,
            };
            if keep {
                out.push(' ');
            }
            i = j;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Characters on one baseline, in order, as text: a space where the gap
/// between two is wider than a third of the font size.
fn join(glyphs: &mut [Glyph]) -> String {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut text = String::new();
    let mut end: Option<f64> = None;
    for g in glyphs.iter() {
        if let Some(e) = end
            && g.x - e > g.size.max(1.0) / 3.0
            && !text.ends_with(' ')
        {
            text.push(' ');
        }
        text.push_str(&g.text);
        end = Some(g.x + g.w);
    }
    text
}

/// Glyphs grouped by baseline, top line first.
fn baselines(mut glyphs: Vec<Glyph>) -> Vec<Vec<Glyph>> {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match lines.last_mut() {
            Some(line) if (line[0].y - g.y).abs() < line[0].size.max(g.size).max(1.0) * 0.4 => {
                line.push(g)
            }
            _ => lines.push(vec![g]),
        }
    }
    lines
}

/// A line of text outside the tables.
struct Line {
    text: String,
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    number: usize,
}

/// What a page holds, in reading order.
enum Item {
    Line(Line),
    Table(Grid, Vec<Vec<Option<(String, usize)>>>),
}

/// The line numbers of a page: every baseline counted top down.
fn numbering(glyphs: &[Glyph]) -> Vec<f64> {
    baselines(glyphs.to_vec()).iter().map(|l| l[0].y).collect()
}

/// The number of the line nearest to `y` (`numbers` run top down).
fn line_of(numbers: &[f64], y: f64) -> usize {
    let i = numbers.partition_point(|&n| n > y);
    let best = [i.checked_sub(1), Some(i)]
        .into_iter()
        .flatten()
        .filter(|&k| k < numbers.len())
        .min_by(|&a, &b| (numbers[a] - y).abs().total_cmp(&(numbers[b] - y).abs()));
    best.map_or(1, |k| k + 1)
}

fn page_items(page: Page) -> Vec<Item> {
    let numbers = numbering(&page.glyphs);
    let mut grids = tables(&page.rules);
    let mut free = Vec::new();
    for g in page.glyphs {
        let (cx, cy) = (g.x + g.w / 2.0, g.y + g.size * 0.3);
        match grids
            .iter_mut()
            .find_map(|t| t.at(cx, cy).map(|rc| (rc, t)))
        {
            Some(((r, c), t)) => t.cells[r][c].push(g),
            None => free.push(g),
        }
    }
    let mut items: Vec<(f64, Item)> = Vec::new();
    for mut line in baselines(free) {
        let y = line[0].y;
        let size = line.iter().map(|g| g.size).fold(0.0, f64::max);
        let x0 = line.iter().map(|g| g.x).fold(f64::MAX, f64::min);
        let x1 = line.iter().map(|g| g.x + g.w).fold(f64::MIN, f64::max);
        let text = tidy(join(&mut line).trim());
        if text.is_empty() {
            continue;
        }
        items.push((
            y,
            Item::Line(Line {
                text,
                x0,
                x1,
                y,
                size,
                number: line_of(&numbers, y),
            }),
        ));
    }
    for mut grid in grids {
        let cells = std::mem::take(&mut grid.cells);
        let shown: Vec<Vec<Option<(String, usize)>>> = cells
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|glyphs| {
                        let first = glyphs.iter().map(|g| g.y).fold(f64::MIN, f64::max);
                        let mut text = String::new();
                        for mut l in baselines(glyphs) {
                            let part = join(&mut l);
                            let part = part.trim();
                            if text.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
                                && part.starts_with(|c: char| c.is_ascii_alphabetic())
                            {
                                text.push(' ');
                            }
                            text.push_str(part);
                        }
                        let text = tidy(&text);
                        (!text.is_empty()).then(|| (text, line_of(&numbers, first)))
                    })
                    .collect()
            })
            .collect();
        items.push((grid.top(), Item::Table(grid, shown)));
    }
    items.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut items: Vec<Item> = items.into_iter().map(|(_, i)| i).collect();
    // A page number alone at the foot of the page is not text of the report.
    if let Some(Item::Line(l)) = items.last()
        && l.text.chars().count() <= 12
        && l.text.chars().any(|c| c.is_ascii_digit())
        && l.text
            .chars()
            .all(|c| c.is_ascii_digit() || " -—–第页共/".contains(c))
    {
        items.pop();
    }
    items
}

/// Whether line `b` goes on the paragraph of line `a`: `a` runs to the
/// right margin, `b` starts at the left one and follows closely; or both
/// are lines of one title, larger than the body text (`body`), one under
/// the other.
fn continues(a: &Line, b: &Line, margins: (f64, f64, f64), same_page: bool) -> bool {
    let (left, right, body) = margins;
    let em = a.size.max(1.0);
    let close = same_page && (a.y - b.y) < 2.2 * em;
    let same_size = (b.size - a.size).abs() < 0.5;
    if a.size > body * 1.15 {
        return same_size && close;
    }
    a.x1 >= right - 2.0 * em && b.x0 <= left + 0.5 * em && same_size && (!same_page || close)
}

/// A table cell as it will be shown: its text and place, the merged cell
/// above it (one merged over several rows holds for each), or nothing.
#[derive(Clone)]
enum Shown {
    Own(String, At),
    Above,
    Empty,
}

fn table_cells(
    grid: &Grid,
    cells: Vec<Vec<Option<(String, usize)>>>,
    page: usize,
) -> Vec<Vec<Shown>> {
    cells
        .into_iter()
        .enumerate()
        .map(|(r, row)| {
            row.into_iter()
                .enumerate()
                .map(|(c, cell)| {
                    let (or, oc) = grid.owner[r][c];
                    match cell {
                        _ if (or, oc) != (r, c) && oc == c => Shown::Above,
                        _ if (or, oc) != (r, c) => Shown::Empty,
                        Some((text, line)) => Shown::Own(
                            text,
                            At::Page {
                                page,
                                line,
                                col: Some(c + 1),
                            },
                        ),
                        None => Shown::Empty,
                    }
                })
                .collect()
        })
        .collect()
}

/// Appends a table's rows that go on from the last page. A row broken by
/// the page (its first row fills only cells the row above has text in)
/// is joined to the row above.
fn continue_table(table: &mut Vec<Vec<Shown>>, mut rows: Vec<Vec<Shown>>) {
    if let (Some(last), Some(first)) = (table.last_mut(), rows.first()) {
        let filled = |r: &[Shown]| r.iter().filter(|c| matches!(c, Shown::Own(..))).count();
        let broken = filled(first) > 0
            && filled(first) < filled(last)
            && first
                .iter()
                .zip(last.iter())
                .all(|(f, l)| !matches!(f, Shown::Own(..)) || matches!(l, Shown::Own(..)));
        if broken {
            let first = rows.remove(0);
            for (l, f) in last.iter_mut().zip(first) {
                if let (Shown::Own(text, _), Shown::Own(more, _)) = (l, f) {
                    text.push_str(&more);
                }
            }
        }
    }
    table.extend(rows);
}

fn finish_table(
    table: Option<(Vec<f64>, Vec<Vec<Shown>>)>,
    display: &mut Display,
    blocks: &mut Vec<Block>,
) {
    let Some((_, table)) = table else { return };
    let mut rows: Vec<Vec<Option<Piece>>> = Vec::new();
    for row in table {
        let mut out = Vec::new();
        for (c, cell) in row.into_iter().enumerate() {
            out.push(match cell {
                Shown::Own(text, location) => Some(display.line(location, &text)),
                Shown::Above => rows
                    .last()
                    .and_then(|r| r.get(c).cloned().flatten())
                    .filter(|p| crate::import::budget::built(p.text.len())),
                Shown::Empty => None,
            });
        }
        rows.push(out);
    }
    blocks.push(Block::Table(rows));
}

/// A paragraph while its lines are read: each line's text, page and line
/// number, and the paragraph's font size.
type Paragraph = (Vec<(String, usize, usize)>, f64);

pub(super) fn lay_out(pages: Vec<Page>) -> Doc {
    let mut display = Display::default();
    let mut blocks = Vec::new();
    let mut paragraph: Option<Paragraph> = None;
    let mut previous: Option<(Line, usize)> = None;
    let mut at = 0usize;
    // The text's margins and body size over the whole document.
    let pages: Vec<(usize, Vec<Item>)> = pages
        .into_iter()
        .map(|p| (p.number, page_items(p)))
        .collect();
    let lines = || {
        pages
            .iter()
            .flat_map(|(_, items)| items.iter())
            .filter_map(|i| match i {
                Item::Line(l) => Some(l),
                Item::Table(..) => None,
            })
    };
    let left = lines().map(|l| l.x0).fold(f64::MAX, f64::min);
    let right = lines().map(|l| l.x1).fold(f64::MIN, f64::max);
    let mut sizes: Vec<f64> = lines().map(|l| l.size).collect();
    sizes.sort_by(f64::total_cmp);
    let body = sizes.get(sizes.len() / 2).copied().unwrap_or(12.0);
    let flush = |paragraph: &mut Option<Paragraph>,
                 display: &mut Display,
                 blocks: &mut Vec<Block>,
                 at: &mut usize| {
        let Some((parts, size)) = paragraph.take() else {
            return;
        };
        let (_, page, line) = parts[0];
        let mut text = String::new();
        for (part, _, _) in &parts {
            if text.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
                && part.starts_with(|c: char| c.is_ascii_alphabetic())
            {
                text.push(' ');
            }
            text.push_str(part);
        }
        *at += 1;
        let piece = display.line(
            At::Page {
                page,
                line,
                col: None,
            },
            &text,
        );
        blocks.push(Block::Para {
            piece,
            heading: size > body * 1.2,
            at: *at,
            drawn: 0,
        });
    };
    let mut pending: Option<(Vec<f64>, Vec<Vec<Shown>>)> = None;
    for (number, items) in pages {
        let mut first_on_page = true;
        for item in items {
            match item {
                Item::Line(line) => {
                    finish_table(pending.take(), &mut display, &mut blocks);
                    let joins = previous.as_ref().is_some_and(|(p, page)| {
                        continues(p, &line, (left, right, body), *page == number)
                    });
                    if !joins {
                        flush(&mut paragraph, &mut display, &mut blocks, &mut at);
                    }
                    let entry = paragraph.get_or_insert_with(|| (Vec::new(), line.size));
                    entry.0.push((line.text.clone(), number, line.number));
                    previous = Some((line, number));
                }
                Item::Table(grid, cells) => {
                    flush(&mut paragraph, &mut display, &mut blocks, &mut at);
                    previous = None;
                    let rows = table_cells(&grid, cells, number);
                    // A table that goes on from the foot of the last page:
                    // same columns, nothing between.
                    let goes_on = first_on_page
                        && pending.as_ref().is_some_and(|(xs, _)| {
                            xs.len() == grid.xs.len()
                                && xs.iter().zip(&grid.xs).all(|(a, b)| (a - b).abs() < 2.0)
                        });
                    if goes_on && let Some((_, table)) = &mut pending {
                        continue_table(table, rows);
                    } else {
                        finish_table(pending.take(), &mut display, &mut blocks);
                        pending = Some((grid.xs.clone(), rows));
                    }
                    first_on_page = false;
                    continue;
                }
            }
            first_on_page = false;
        }
    }
    finish_table(pending.take(), &mut display, &mut blocks);
    flush(&mut paragraph, &mut display, &mut blocks, &mut at);
    Doc {
        display: display.finish(),
        blocks: crate::import::stacked::tables(blocks),
        notes: Vec::new(),
        sheets: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_beside_chinese_go() {
        assert_eq!(tidy("2021 年 度"), "2021年度");
        assert_eq!(tidy("51283.47 万元"), "51283.47万元");
        assert_eq!(tidy("score of 95"), "score of 95");
        assert_eq!(tidy("（一） 预算"), "（一）预算");
    }

    fn line(x0: f64, y0: f64, x1: f64, y1: f64) -> Rule {
        Rule { x0, y0, x1, y1 }
    }

    /// A table of 2 rows and 3 columns drawn as office programs draw it:
    /// each border in pieces, the middle border of the second row left out
    /// (its first two cells merged); and a second table apart from it.
    #[test]
    fn tables_are_rebuilt_from_their_lines_with_merges_and_borders() {
        let mut rules = vec![
            // Rows at y = 700, 680, 660, each drawn in two pieces.
            line(100.0, 700.0, 200.0, 700.0),
            line(200.0, 700.0, 400.0, 700.0),
            line(100.0, 680.0, 250.0, 680.0),
            line(250.0, 680.0, 400.0, 680.0),
            line(100.0, 660.0, 400.0, 660.0),
            // Columns at x = 100, 400 full; 200 only in the first row; 300 full.
            line(100.0, 660.0, 100.0, 700.0),
            line(400.0, 660.0, 400.0, 700.0),
            line(200.0, 680.0, 200.0, 700.0),
            line(300.0, 660.0, 300.0, 700.0),
        ];
        // Far below: a one-cell table of its own.
        rules.extend([
            line(100.0, 300.0, 200.0, 300.0),
            line(100.0, 280.0, 200.0, 280.0),
            line(100.0, 280.0, 100.0, 300.0),
            line(200.0, 280.0, 200.0, 300.0),
        ]);
        let mut grids = tables(&rules);
        grids.sort_by(|a, b| b.top().total_cmp(&a.top()));
        assert_eq!(grids.len(), 2);
        let g = &grids[0];
        assert_eq!(g.ys, [700.0, 680.0, 660.0]);
        assert_eq!(g.xs, [100.0, 200.0, 300.0, 400.0]);
        assert_eq!(g.owner[0], [(0, 0), (0, 1), (0, 2)]);
        assert_eq!(
            g.owner[1],
            [(1, 0), (1, 0), (1, 2)],
            "merged where no border"
        );
        // Points: inside, on a border (the cell above and to the left),
        // outside.
        assert_eq!(g.at(150.0, 690.0), Some((0, 0)));
        assert_eq!(g.at(250.0, 670.0), Some((1, 0)));
        assert_eq!(g.at(350.0, 680.0), Some((0, 2)));
        assert_eq!(g.at(200.0, 690.0), Some((0, 0)));
        assert_eq!(g.at(50.0, 690.0), None);
        assert_eq!(g.at(150.0, 720.0), None);
        assert_eq!(g.at(150.0, 640.0), None);
        assert_eq!(grids[1].owner, [[(0, 0)]]);
    }

    #[test]
    fn a_line_is_numbered_by_the_nearest_baseline() {
        let numbers = [700.0, 680.0, 660.0];
        assert_eq!(line_of(&numbers, 701.0), 1);
        assert_eq!(line_of(&numbers, 669.0), 3);
        assert_eq!(line_of(&numbers, 671.0), 2);
        assert_eq!(line_of(&numbers, 100.0), 3);
        assert_eq!(line_of(&[], 100.0), 1);
    }
}
