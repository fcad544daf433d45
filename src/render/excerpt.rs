//! Source excerpts shared by the page formats (Markdown, HTML): the lines
//! around a finding's labels, with the labelled text marked, grouped into
//! snippets so that labels far apart do not drag in the lines between. A
//! submitted document's lines are shown with their place in the margin
//! (`第 2 段`, `“过程”行“得分”列`) instead of a line number of its
//! readable rendering.

use std::ops::Range;

use crate::diagnostic::Label;

/// Lines shown before and after a labelled line.
const CONTEXT: usize = 1;
/// Labels at most this many lines apart share one snippet.
const JOIN_GAP: usize = 3;

/// A piece of a source line, marked when a label covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    /// The index of the label covering it.
    pub label: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based.
    pub number: usize,
    /// The line's place in a submitted document, shown instead of its
    /// number.
    pub margin: Option<String>,
    pub segments: Vec<Segment>,
    /// Labels that start on this line: (index, message, display column
    /// where the label starts, display width of its part on this line).
    pub notes: Vec<(usize, String, usize, usize)>,
}

/// Consecutive lines of one part of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub lines: Vec<Line>,
}

/// Display width of text in a terminal or monospace font: CJK and
/// full-width characters count two columns.
pub fn width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6 => 2,
            _ => 1,
        })
        .sum()
}

/// The line ranges (byte start of each line, without its newline).
fn lines_of(source: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in source.split_inclusive('\n') {
        let end = start + piece.trim_end_matches(['\n', '\r']).len();
        out.push(start..end);
        start += piece.len();
    }
    if out.is_empty() {
        out.push(0..0);
    }
    out
}

/// Builds the snippets that show `labels` in `source`; with `margins`, each
/// line's leading `[place] ` is its margin.
pub fn snippets(source: &str, labels: &[Label], margins: bool) -> Vec<Snippet> {
    let lines = lines_of(source);
    let line_of = |offset: usize| {
        lines
            .partition_point(|l| l.end < offset)
            .min(lines.len() - 1)
    };
    // Line ranges to show, merged when close.
    let mut wanted: Vec<(usize, usize)> = labels
        .iter()
        .map(|l| {
            let (a, b) = (
                line_of(l.span.start),
                line_of(l.span.end.saturating_sub(1).max(l.span.start)),
            );
            (
                a.saturating_sub(CONTEXT),
                (b + CONTEXT).min(lines.len() - 1),
            )
        })
        .collect();
    wanted.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in wanted {
        match merged.last_mut() {
            Some((_, end)) if a <= *end + JOIN_GAP => *end = (*end).max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
        .into_iter()
        .map(|(a, b)| Snippet {
            lines: (a..=b)
                .map(|i| numbered(source, &lines[i], i, labels, margins))
                .collect(),
        })
        .collect()
}

/// Every line of `source`, `labels` marked (the workbench shows the whole
/// document beside its findings); with `margins`, as [`snippets`].
pub fn whole(source: &str, labels: &[Label], margins: bool) -> Vec<Line> {
    lines_of(source)
        .iter()
        .enumerate()
        .map(|(i, range)| numbered(source, range, i, labels, margins))
        .collect()
}

/// Line `i` (0-based) of `source`, its margin taken off with `margins`.
fn numbered(source: &str, range: &Range<usize>, i: usize, labels: &[Label], margins: bool) -> Line {
    match margin_of(&source[range.clone()]).filter(|_| margins) {
        Some((m, skip)) => {
            let mut l = line(source, &(range.start + skip..range.end), i + 1, labels);
            l.margin = Some(m.to_string());
            l
        }
        None => line(source, range, i + 1, labels),
    }
}

/// The `[place] ` a line of a document's rendering starts with: the place,
/// and the bytes to skip.
fn margin_of(line: &str) -> Option<(&str, usize)> {
    let rest = line.strip_prefix('[')?;
    let end = rest.find("] ")?;
    Some((&rest[..end], end + 3))
}

fn line(source: &str, range: &Range<usize>, number: usize, labels: &[Label]) -> Line {
    let text = &source[range.clone()];
    // Cut points: where any label starts or ends within the line.
    let mut cuts = vec![0, text.len()];
    for l in labels {
        for p in [l.span.start, l.span.end] {
            if p > range.start && p < range.end && source.is_char_boundary(p) {
                cuts.push(p - range.start);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let covering = |at: usize| {
        labels
            .iter()
            .position(|l| l.span.start <= range.start + at && range.start + at < l.span.end)
    };
    let segments = cuts
        .windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| Segment {
            text: text[w[0]..w[1]].to_string(),
            label: covering(w[0]),
        })
        .collect();
    let mut notes: Vec<(usize, String, usize, usize)> = labels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.span.start >= range.start && l.span.start <= range.end)
        .map(|(i, l)| {
            let from = l.span.start - range.start;
            let to = l.span.end.min(range.end).max(l.span.start) - range.start;
            (
                i,
                l.message.clone(),
                width(&text[..from]),
                width(&text[from..to]).max(1),
            )
        })
        .collect();
    // In the order they stand on the line.
    notes.sort_by_key(|n| (n.2, n.0));
    Line {
        number,
        margin: None,
        segments,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(source: &str, text: &str, message: &str) -> Label {
        let start = source.find(text).unwrap();
        Label {
            path: String::new(),
            message: message.into(),
            span: start..start + text.len(),
            line: 0,
            column: 0,
            location: None,
        }
    }

    #[test]
    fn marks_labels_and_keeps_far_ones_apart() {
        let mut src = String::from("a = 1\n权重 = 15\nc = 3\n");
        for i in 0..20 {
            src.push_str(&format!("x{i} = {i}\n"));
        }
        src.push_str("total = 99\n");
        let labels = [label(&src, "15", "权重 15"), label(&src, "99", "合计")];
        let s = snippets(&src, &labels, false);
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].lines.iter().map(|l| l.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );
        let marked: Vec<_> = s[0].lines[1]
            .segments
            .iter()
            .filter(|g| g.label.is_some())
            .map(|g| g.text.as_str())
            .collect();
        assert_eq!(marked, ["15"]);
        assert_eq!(s[0].lines[1].notes[0].2, width("权重 = "));
        assert_eq!(width("权重 = "), 7);
    }
}
