//! Word's automatic numbering (word/numbering.xml): the numbers Word draws
//! before a paragraph but does not keep in its text, reproduced so that an
//! imported heading or item carries the number its reader sees (一、
//! （一） 1.). Lists that share a definition share their counters, as in
//! Word; a deeper level starts again after a shallower one.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::package::attr;

/// One level of a list definition.
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    /// `decimal`, `chineseCounting`, `bullet`…
    format: String,
    /// `%1、`, `（%2）`: the number's text with its levels' places.
    text: String,
}

/// The list definitions of a document and the counters while it is read.
#[derive(Debug, Default)]
pub struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    levels: HashMap<(String, u8), Level>,
    /// A paragraph style bound to a level of a list (`w:pStyle` in a level).
    style_levels: HashMap<String, u8>,
    counters: HashMap<String, [Option<u32>; 9]>,
}

impl Numbering {
    pub fn parse(xml: &str) -> Numbering {
        let mut n = Numbering::default();
        let mut r = Reader::from_str(xml);
        let mut abstract_id: Option<String> = None;
        let mut num_id: Option<String> = None;
        let mut level: Option<(u8, Level)> = None;
        loop {
            let (e, open) = match r.read_event() {
                Ok(Event::Start(e)) => (e, true),
                Ok(Event::Empty(e)) => (e, false),
                Ok(Event::End(e)) => {
                    match e.local_name().as_ref() {
                        "lvl" => {
                            if let (Some(a), Some((i, l))) = (&abstract_id, level.take()) {
                                n.levels.insert((a.clone(), i), l);
                            }
                        }
                        "abstractNum" => abstract_id = None,
                        "num" => num_id = None,
                        _ => {}
                    }
                    continue;
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => continue,
            };
            let val = || attr(&e, "val");
            match e.local_name().as_ref() {
                "abstractNum" if open => abstract_id = attr(&e, "abstractNumId"),
                "num" if open => num_id = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(num), Some(a)) = (&num_id, val()) {
                        n.nums.insert(num.clone(), a);
                    }
                }
                "lvl" if open => {
                    let ilvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    level = Some((
                        ilvl,
                        Level {
                            start: 1,
                            format: "decimal".into(),
                            text: String::new(),
                        },
                    ));
                }
                "start" => {
                    if let Some((_, l)) = &mut level {
                        l.start = val().and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                "numFmt" => {
                    if let Some((_, l)) = &mut level {
                        l.format = val().unwrap_or_default();
                    }
                }
                "lvlText" => {
                    if let Some((_, l)) = &mut level {
                        l.text = val().unwrap_or_default();
                    }
                }
                "pStyle" => {
                    if let (Some((i, _)), Some(style)) = (&level, val()) {
                        n.style_levels.insert(style, *i);
                    }
                }
                _ => {}
            }
        }
        n
    }

    /// Defines level `ilvl` of list `list` (for formats whose lists are
    /// not Word's numbering.xml: .odt list styles, .doc list tables).
    /// `format` is Word's name for the number format, `text` the level's
    /// text with `%1`…`%9` for the levels' numbers.
    pub fn define(&mut self, list: &str, ilvl: u8, start: u32, format: &str, text: &str) {
        self.nums.insert(list.to_string(), list.to_string());
        self.levels.insert(
            (list.to_string(), ilvl.min(8)),
            Level {
                start,
                format: format.to_string(),
                text: text.to_string(),
            },
        );
    }

    /// Names for lists: paragraphs that name `alias` count in `list`
    /// (a .doc paragraph names its list format override, which names
    /// its list).
    pub fn overrides(&mut self, pairs: impl IntoIterator<Item = (String, String)>) {
        for (alias, list) in pairs {
            if self.nums.contains_key(&list) {
                self.nums.insert(alias, list);
            }
        }
    }

    /// Starts the counters of list `list` again.
    pub fn restart(&mut self, list: &str) {
        if let Some(abstract_id) = self.nums.get(list) {
            self.counters.remove(abstract_id);
        }
    }

    /// The level a paragraph style is bound to, if any.
    pub fn style_level(&self, style: &str) -> Option<u8> {
        self.style_levels.get(style).copied()
    }

    /// [`Numbering::next`] as it stands before the paragraph's text: a
    /// space follows a number that does not end in punctuation.
    pub fn label(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let number = self.next(num_id, ilvl)?;
        let punct = number
            .chars()
            .last()
            .is_some_and(|c| "、.．)）:：".contains(c));
        Some(if punct { number } else { format!("{number} ") })
    }

    /// The number of the next paragraph of list `num_id` at `ilvl`, as
    /// Word draws it; None for bullets and lists the document does not
    /// define.
    pub fn next(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let ilvl = ilvl.min(8);
        let abstract_id = self.nums.get(num_id)?.clone();
        let level = self.levels.get(&(abstract_id.clone(), ilvl))?;
        if matches!(level.format.as_str(), "bullet" | "none") || level.text.is_empty() {
            return None;
        }
        let counters = self.counters.entry(abstract_id.clone()).or_default();
        let i = usize::from(ilvl);
        counters[i] = Some(counters[i].map_or(level.start, |c| c.saturating_add(1)));
        for deeper in &mut counters[i + 1..] {
            *deeper = None;
        }
        let counters = *counters;
        let mut text = level.text.clone();
        for k in (0..=i).rev() {
            let place = format!("%{}", k + 1);
            if !text.contains(&place) {
                continue;
            }
            let (start, format) = self
                .levels
                .get(&(abstract_id.clone(), k as u8))
                .map_or((1, "decimal"), |l| (l.start, l.format.as_str()));
            let value = counters[k].unwrap_or(start);
            text = text.replace(&place, &number(value, format));
        }
        Some(text)
    }
}

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// 1 → 一, 10 → 十, 21 → 二十一 (up to 999; larger numbers in digits).
fn chinese(n: u32) -> String {
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n > 10 {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if !n.is_multiple_of(10) {
                DIGITS[(n % 10) as usize]
            } else {
                ""
            }
        ),
        100..=999 => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", DIGITS[rest as usize]),
                10..=19 => format!("一{}", chinese(rest)),
                _ => chinese(rest),
            };
            format!("{}百{tail}", DIGITS[(n / 100) as usize])
        }
        _ => n.to_string(),
    }
}

fn letters(n: u32, upper: bool) -> String {
    if n == 0 {
        return String::new();
    }
    let base = if upper { b'A' } else { b'a' };
    let c = (base + ((n - 1) % 26) as u8) as char;
    c.to_string().repeat(((n - 1) / 26 + 1) as usize)
}

fn roman(mut n: u32, upper: bool) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    if upper { out.to_uppercase() } else { out }
}

/// A counter in a list format.
fn number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese(n),
        "upperLetter" => letters(n, true),
        "lowerLetter" => letters(n, false),
        "upperRoman" => roman(n, true),
        "lowerRoman" => roman(n, false),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1).map_or(n.to_string(), String::from)
        }
        "decimalZero" if n < 10 => format!("0{n}"),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<w:numbering xmlns:w="w">
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:pStyle w:val="Heading1"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#;

    #[test]
    fn levels_count_and_restart() {
        let mut n = Numbering::parse(XML);
        let got: Vec<Option<String>> = [
            (0, "3"),
            (1, "3"),
            (1, "3"),
            (2, "3"),
            (0, "3"),
            (1, "3"),
            (0, "4"),
            (0, "9"),
        ]
        .iter()
        .map(|(l, id)| n.next(id, *l))
        .collect();
        let want = ["一、", "（一）", "（二）", "1.", "二、", "（一）"];
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g.as_deref(), Some(w));
        }
        assert_eq!(got[6], None, "bullets have no number");
        assert_eq!(got[7], None, "an undefined list");
        assert_eq!(n.style_level("Heading1"), Some(0));
    }

    #[test]
    fn formats() {
        assert_eq!(chinese(10), "十");
        assert_eq!(chinese(21), "二十一");
        assert_eq!(chinese(105), "一百零五");
        assert_eq!(chinese(110), "一百一十");
        assert_eq!(number(3, "upperLetter"), "C");
        assert_eq!(number(14, "lowerRoman"), "xiv");
        assert_eq!(number(2, "decimalEnclosedCircle"), "②");
    }
}
