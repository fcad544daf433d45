//! PDF with a text layer (what Word, WPS and LibreOffice export), read
//! with `lopdf`: each page's content is interpreted for its text — every
//! character at its place, decoded through the font's ToUnicode map — and
//! for its ruling lines. Bordered tables are rebuilt from those lines
//! (cells merged where a border is missing); the rest of the text is
//! grouped into lines by baseline and lines into paragraphs where a line
//! runs to the right margin and the next one starts at the left; the
//! spaces PDF export puts between Chinese and digits are taken out. A
//! line is located as "第 3 页第 12 行" (lines counted down the page, as a
//! reviewer counts them in a viewer). A PDF with pages but no text is a
//! scan, and an error that says so.

mod content;
mod layout;
mod streams;

use std::collections::HashMap;

use lopdf::{Document, Encoding, Object, ObjectId};

use super::Doc;
use crate::report::LoadFailure;

/// Form XObjects nest at most this deep (a loop in a broken file ends).
const MAX_FORM_DEPTH: usize = 4;
/// Characters read from one document at most: far beyond any report.
const MAX_GLYPHS: usize = 1_000_000;
/// Ruling-line segments kept of one page (a bordered table of 2,000 rows
/// has a few thousand) and of one document.
const MAX_PAGE_RULES: usize = 20_000;
const MAX_RULES: usize = 400_000;
/// A page's content (all its content streams, unpacked) read at most.
const MAX_PAGE_CONTENT: usize = 32 << 20;
/// Pages read at most.
const MAX_PAGES: usize = 2_000;

fn broken(name: &str, why: impl std::fmt::Display) -> LoadFailure {
    super::fail(
        name,
        "jixiao::import::pdf",
        format!("无法读取 PDF 文件：{why}"),
        Some("请提供 Word/Excel 原件，或重新导出 PDF 后再检查".into()),
    )
}

pub fn read(name: &str, bytes: &[u8]) -> Result<Doc, LoadFailure> {
    streams::check(bytes).map_err(|e| {
        super::fail(
            name,
            "jixiao::import::limit",
            e.message(),
            Some("请报送单位提供 Word/Excel 原件，或重新导出 PDF 后再报送".into()),
        )
    })?;
    let doc = Document::load_mem(bytes).map_err(|e| {
        if matches!(
            e,
            lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword
        ) {
            super::encrypted(name, "PDF ")
        } else {
            broken(name, e)
        }
    })?;
    if doc.is_encrypted() {
        return Err(super::encrypted(name, "PDF "));
    }
    let mut pages = Vec::new();
    let mut images = 0usize;
    let mut glyphs = 0usize;
    let mut rules = 0usize;
    for (number, id) in doc.get_pages().into_iter().take(MAX_PAGES) {
        if super::budget::exceeded() {
            // The import says which limit.
            break;
        }
        let mut page = Page {
            number: number as usize,
            ..Page::default()
        };
        let content = page_content(&doc, id);
        let fonts = page_fonts(&doc, id);
        let mut reader = Reader {
            doc: &doc,
            fonts,
            page: &mut page,
            images: &mut images,
            budget: MAX_GLYPHS.saturating_sub(glyphs),
            rules: MAX_PAGE_RULES.min(MAX_RULES.saturating_sub(rules)),
        };
        reader.run(&content, identity(), 0, resources_of(&doc, id));
        glyphs += page.glyphs.len();
        rules += page.rules.len();
        pages.push(page);
    }
    if super::budget::exceeded() {
        // Not laid out: the import names the limit it passed.
        return Err(broken(name, "超过导入上限"));
    }
    if pages.is_empty() {
        return Err(broken(name, "文件中没有页面"));
    }
    if pages
        .iter()
        .all(|p| p.glyphs.iter().all(|g| g.text.trim().is_empty()))
    {
        return Err(super::fail(
            name,
            "jixiao::import::scanned",
            if images > 0 {
                "这是扫描件，没有文字层，无法读取".into()
            } else {
                "PDF 中没有可提取的文字".into()
            },
            Some("请提供 Word/Excel 原件或可复制文字的 PDF".into()),
        ));
    }
    Ok(layout::lay_out(pages))
}

/// A page's content: its content streams unpacked one after the other,
/// within [`MAX_PAGE_CONTENT`] (each stream is measured before the file is
/// read, see [`streams`]), charged to the import's work.
fn page_content(doc: &Document, page: ObjectId) -> Vec<u8> {
    let mut content = Vec::new();
    for id in doc.get_page_contents(page) {
        let Ok(stream) = doc.get_object(id).and_then(Object::as_stream) else {
            continue;
        };
        let data = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        if content.len() + data.len() > MAX_PAGE_CONTENT
            || !super::budget::work(data.len() as u64 / 256 + 1)
        {
            break;
        }
        content.extend_from_slice(&data);
        content.push(b'\n');
    }
    content
}

/// A character of the page at its place: `x`, `y` its baseline start in
/// page space, `w` its advance, `size` the font size on the page.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub size: f64,
    pub text: String,
}

/// A ruling line: from (x0, y0) to (x1, y1), horizontal or vertical.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

#[derive(Debug, Default)]
pub(crate) struct Page {
    pub number: usize,
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
}

type Matrix = [f64; 6];

fn identity() -> Matrix {
    [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
}

/// `m` then `n`.
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// What the reader needs of a font: how its codes decode and how wide
/// each is (thousandths of the font size).
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    two_bytes: bool,
    widths: HashMap<u32, f64>,
    default_width: f64,
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn font<'a>(doc: &'a Document, dict: &'a lopdf::Dictionary) -> Font<'a> {
    let two_bytes = dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
    let encoding = dict.get_font_encoding(doc).ok();
    let mut widths = HashMap::new();
    let mut default_width = if two_bytes { 1000.0 } else { 500.0 };
    let deref = |o: &'a Object| doc.dereference(o).map(|(_, o)| o).ok();
    if two_bytes {
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .and_then(deref)
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(deref)
            .and_then(|o| o.as_dict().ok());
        if let Some(d) = descendant {
            if let Some(dw) = d.get(b"DW").ok().and_then(number) {
                default_width = dw;
            }
            // [c [w1 w2 …]] or [c_first c_last w].
            if let Some(w) = d
                .get(b"W")
                .ok()
                .and_then(deref)
                .and_then(|o| o.as_array().ok())
            {
                let mut i = 0;
                while i < w.len() && widths.len() < 65_536 {
                    let Some(first) = number(&w[i]) else { break };
                    match w.get(i + 1).and_then(deref) {
                        Some(Object::Array(list)) => {
                            for (k, v) in list.iter().take(65_536).enumerate() {
                                if let Some(v) = number(v) {
                                    widths.insert(first as u32 + k as u32, v);
                                }
                            }
                            i += 2;
                        }
                        Some(last) => {
                            let (Some(last), Some(v)) =
                                (number(last), w.get(i + 2).and_then(number))
                            else {
                                break;
                            };
                            let (a, b) = (first as u32, (last as u32).min(first as u32 + 65_536));
                            for c in a..=b {
                                widths.insert(c, v);
                            }
                            i += 3;
                        }
                        None => break,
                    }
                }
            }
        }
    } else {
        let first = dict.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as u32;
        if let Some(w) = dict
            .get(b"Widths")
            .ok()
            .and_then(deref)
            .and_then(|o| o.as_array().ok())
        {
            for (k, v) in w.iter().take(256).enumerate() {
                if let Some(v) = number(v) {
                    widths.insert(first + k as u32, v);
                }
            }
        }
    }
    Font {
        encoding,
        two_bytes,
        widths,
        default_width,
    }
}

fn page_fonts(doc: &Document, page: ObjectId) -> HashMap<Vec<u8>, Font<'_>> {
    doc.get_page_fonts(page)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, dict)| (name, font(doc, dict)))
        .collect()
}

fn resources_of(doc: &Document, page: ObjectId) -> Option<&lopdf::Dictionary> {
    doc.get_page_resources(page).ok().and_then(|(d, _)| d)
}

/// The text state of a content stream.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Vec<u8>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
}

struct Reader<'a, 'p> {
    doc: &'a Document,
    fonts: HashMap<Vec<u8>, Font<'a>>,
    page: &'p mut Page,
    images: &'p mut usize,
    /// Characters still to be kept.
    budget: usize,
    /// Ruling-line segments still to be kept.
    rules: usize,
}

impl<'a> Reader<'a, '_> {
    fn run(
        &mut self,
        content: &[u8],
        ctm: Matrix,
        depth: usize,
        resources: Option<&'a lopdf::Dictionary>,
    ) {
        let mut ops = content::Ops::new(content);
        let mut s = State {
            ctm,
            font: Vec::new(),
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
        };
        let mut stack: Vec<State> = Vec::new();
        let (mut tm, mut tlm) = (identity(), identity());
        // The current point of the path, and its segments so far.
        let mut point: Option<(f64, f64)> = None;
        let mut segments: Vec<Rule> = Vec::new();
        let mut operands = Vec::new();
        let mut nums: Vec<f64> = Vec::new();
        while let Some(operator) = ops.next_into(&mut operands) {
            if !super::budget::work(1) {
                return;
            }
            nums.clear();
            nums.extend(operands.iter().filter_map(number));
            let n = |i: usize| nums.get(i).copied().unwrap_or(0.0);
            match operator.as_str() {
                "q" if stack.len() < 64 => stack.push(s.clone()),
                "Q" => {
                    if let Some(prev) = stack.pop() {
                        s = prev;
                    }
                }
                "cm" if nums.len() == 6 => {
                    s.ctm = mul(&[n(0), n(1), n(2), n(3), n(4), n(5)], &s.ctm);
                }
                "BT" => {
                    tm = identity();
                    tlm = identity();
                }
                "Tf" => {
                    if let Some(Object::Name(f)) = operands.first() {
                        s.font = f.clone();
                    }
                    // The operands are the font's name, then its size.
                    s.size = n(0);
                }
                "Tc" => s.char_spacing = n(0),
                "Tw" => s.word_spacing = n(0),
                "Tz" => s.scale = n(0) / 100.0,
                "TL" => s.leading = n(0),
                "Td" | "TD" => {
                    if operator == "TD" {
                        s.leading = -n(1);
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                    tm = tlm;
                }
                "Tm" if nums.len() == 6 => {
                    tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tm = tlm;
                }
                "T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -s.leading], &tlm);
                    tm = tlm;
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    if operator != "Tj" && operator != "TJ" {
                        if operator == "\"" {
                            s.word_spacing = n(0);
                            s.char_spacing = n(1);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -s.leading], &tlm);
                        tm = tlm;
                    }
                    let parts: &[Object] = match operands.last() {
                        Some(Object::Array(a)) if operator == "TJ" => a,
                        Some(o) => std::slice::from_ref(o),
                        None => &[],
                    };
                    for part in parts {
                        match part {
                            Object::String(bytes, _) => self.show(bytes, &s, &mut tm),
                            other => {
                                if let Some(k) = number(other) {
                                    let tx = -k / 1000.0 * s.size * s.scale;
                                    tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                }
                            }
                        }
                    }
                }
                "m" => point = Some(apply(&s.ctm, n(0), n(1))),
                "l" => {
                    let to = apply(&s.ctm, n(0), n(1));
                    if let Some(from) = point
                        && segments.len() < self.rules
                    {
                        segments.push(Rule {
                            x0: from.0,
                            y0: from.1,
                            x1: to.0,
                            y1: to.1,
                        });
                    }
                    point = Some(to);
                }
                "re" => {
                    let (x, y, w, h) = (n(0), n(1), n(2), n(3));
                    let c = [
                        apply(&s.ctm, x, y),
                        apply(&s.ctm, x + w, y),
                        apply(&s.ctm, x + w, y + h),
                        apply(&s.ctm, x, y + h),
                    ];
                    let (wide, high) = ((c[1].0 - c[0].0).abs(), (c[3].1 - c[0].1).abs());
                    if segments.len() + 4 > self.rules {
                        // As many as a page keeps are already drawn.
                    } else if high < 2.5 || wide < 2.5 {
                        // A border drawn as a thin filled rectangle.
                        let my = (c[0].1 + c[3].1) / 2.0;
                        let mx = (c[0].0 + c[1].0) / 2.0;
                        segments.push(if high < 2.5 {
                            Rule {
                                x0: c[0].0,
                                y0: my,
                                x1: c[1].0,
                                y1: my,
                            }
                        } else {
                            Rule {
                                x0: mx,
                                y0: c[0].1,
                                x1: mx,
                                y1: c[3].1,
                            }
                        });
                    } else {
                        for k in 0..4 {
                            let (a, b) = (c[k], c[(k + 1) % 4]);
                            segments.push(Rule {
                                x0: a.0,
                                y0: a.1,
                                x1: b.0,
                                y1: b.1,
                            });
                        }
                    }
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    let room = self.rules.saturating_sub(self.page.rules.len());
                    segments.truncate(room);
                    self.page.rules.append(&mut segments);
                    point = None;
                }
                "n" => {
                    segments.clear();
                    point = None;
                }
                "Do" => {
                    let Some(Object::Name(name)) = operands.first() else {
                        continue;
                    };
                    self.object(name, &s.ctm, depth, resources);
                }
                _ => {}
            }
        }
    }

    /// An XObject: an image counts (a scan is pages of them); a form's
    /// content is read in place.
    fn object(
        &mut self,
        name: &[u8],
        ctm: &Matrix,
        depth: usize,
        resources: Option<&'a lopdf::Dictionary>,
    ) {
        let doc = self.doc;
        let Some(stream) = resources
            .and_then(|r| r.get_deref(b"XObject", doc).ok())
            .and_then(|x| x.as_dict().ok())
            .and_then(|x| x.get_deref(name, doc).ok())
            .and_then(|o| o.as_stream().ok())
        else {
            return;
        };
        match stream.dict.get(b"Subtype").and_then(Object::as_name).ok() {
            Some(b"Image") => *self.images += 1,
            Some(b"Form") if depth < MAX_FORM_DEPTH => {
                // Each drawing of a form is work: forms that draw each
                // other many times over grow as a power of their depth.
                if !super::budget::work(stream.content.len() as u64 / 256 + 1) {
                    return;
                }
                let Ok(content) = stream.decompressed_content() else {
                    return;
                };
                let matrix = stream
                    .dict
                    .get(b"Matrix")
                    .ok()
                    .and_then(|m| m.as_array().ok())
                    .map(|a| a.iter().filter_map(number).collect::<Vec<_>>())
                    .filter(|a| a.len() == 6)
                    .map_or(identity(), |a| [a[0], a[1], a[2], a[3], a[4], a[5]]);
                let inner = stream
                    .dict
                    .get_deref(b"Resources", doc)
                    .ok()
                    .and_then(|r| r.as_dict().ok())
                    .or(resources);
                self.run(&content, mul(&matrix, ctm), depth + 1, inner);
            }
            _ => {}
        }
    }

    /// Shows a string: each code at its place, the text matrix moved on by
    /// its advance.
    fn show(&mut self, bytes: &[u8], s: &State, tm: &mut Matrix) {
        let Some(font) = self.fonts.get(&s.font) else {
            return;
        };
        let width = if font.two_bytes { 2 } else { 1 };
        for code in bytes.chunks(width) {
            let c = code.iter().fold(0u32, |v, b| v * 256 + u32::from(*b));
            let text = match &font.encoding {
                Some(e) => e.bytes_to_string(code).unwrap_or_default(),
                None if !font.two_bytes => char::from(code[0]).to_string(),
                None => String::new(),
            };
            let w = font.widths.get(&c).copied().unwrap_or(font.default_width) / 1000.0;
            let trm = mul(tm, &s.ctm);
            let (x, y) = apply(&trm, 0.0, 0.0);
            let size = s.size * (trm[2].hypot(trm[3]));
            let spacing = s.char_spacing
                + if width == 1 && c == 32 {
                    s.word_spacing
                } else {
                    0.0
                };
            let tx = (w * s.size + spacing) * s.scale;
            let advance = tx * trm[0].hypot(trm[1]);
            if !super::budget::work(1) {
                return;
            }
            if self.budget > 0 && !text.is_empty() {
                self.budget -= 1;
                self.page.glyphs.push(Glyph {
                    x,
                    y,
                    w: advance.abs(),
                    size: size.abs(),
                    text: text.replace('\u{a0}', " "),
                });
            }
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], tm);
        }
    }
}
