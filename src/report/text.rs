//! Reading report prose the way a reviewer does: placeholders that only
//! pretend to answer, heading numbers (一、 （一） 1. （1）), years in a
//! title, and how alike two sentences are.

/// Whether a text is empty, a placeholder ("/", "—", "……", "略", "暂无",
/// "无", "没有", those followed by 问题/说明) or an unfilled template prompt
/// ("（200字以内）", a bare "指标2：……").
pub fn is_placeholder(text: &str) -> bool {
    if has_prompt(text) {
        return true;
    }
    let mut t = text
        .trim()
        .trim_end_matches(['。', '.', '；', ';', '！'])
        .trim();
    // "指标2：……" numbers an item and says nothing; look at what follows.
    if let Some(rest) = t.strip_prefix("指标") {
        let digits = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
            .count();
        let rest = &rest[rest
            .char_indices()
            .nth(digits)
            .map_or(rest.len(), |(i, _)| i)..];
        if digits > 0
            && let Some(after) = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':'))
        {
            t = after.trim();
        }
    }
    if t.chars().all(|c| "/／\\—–-─…．.·、 　".contains(c)) {
        return true;
    }
    const WORDS: &[&str] = &["略", "暂无", "无", "没有"];
    let bare = t
        .strip_suffix("问题")
        .or_else(|| t.strip_suffix("说明"))
        .unwrap_or(t);
    if WORDS.contains(&bare) {
        return true;
    }
    let wrapped = |open: char, close: char| {
        t.starts_with(open) && t.ends_with(close) && t.chars().count() > 1
    };
    wrapped('（', '）') || wrapped('(', ')')
}

/// Whether a text holds a form's "（N字以内）" prompt anywhere: a
/// department that pasted the form's instructions back ("1.预算执行率=…，
/// 未达到90%的需说明原因（100字以内）；2.…") has explained nothing.
pub fn has_prompt(text: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find(['（', '(']) {
        let after = &rest[i + rest[i..].chars().next().map_or(1, char::len_utf8)..];
        let inner = after.trim_start();
        let digits = inner
            .chars()
            .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
            .count();
        if digits > 0 {
            let tail: String = inner.chars().skip(digits).collect();
            let tail = tail.trim_start();
            if let Some(t) = tail
                .strip_prefix("字以内")
                .or_else(|| tail.strip_prefix("字内"))
                && t.trim_start().starts_with(['）', ')'])
            {
                return true;
            }
        }
        rest = after;
    }
    false
}

/// Characters of each text that [`similarity`] compares: enough for any
/// problem or measure, and a bound on the time one call can take (a helper
/// cannot be interrupted by the rule's wall-clock limit).
pub const SIMILARITY_CHARS: usize = 2_000;

/// Similarity of two texts in 0..=1: the Dice coefficient of their
/// character bigrams (punctuation and blanks ignored), over the first
/// [`SIMILARITY_CHARS`] characters of each.
pub fn similarity(a: &str, b: &str) -> f64 {
    fn bigrams(s: &str) -> Vec<(char, char)> {
        let chars: Vec<char> = s
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(SIMILARITY_CHARS)
            .collect();
        let mut v: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
        v.sort_unstable();
        v
    }
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

/// The number of a heading as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingNumber {
    /// 1 for 一、, 2 for （一）, 3 for 1. or 1、, 4 for （1）.
    pub level: i64,
    pub n: i64,
    /// The number as printed, e.g. "(二)".
    pub printed: String,
}

fn chinese_numeral(s: &str) -> Option<i64> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as i64)
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|&d| d > 0),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Reads the number at the start of a heading, if it has one.
pub fn heading_number(heading: &str) -> Option<HeadingNumber> {
    let h = heading.trim_start();
    let numeral_len = |s: &str, f: &dyn Fn(char) -> bool| {
        s.char_indices()
            .find(|(_, c)| !f(*c))
            .map_or(s.len(), |(i, _)| i)
    };
    let is_cn = |c: char| "〇一二三四五六七八九十".contains(c);
    let is_digit = |c: char| c.is_ascii_digit();
    // （一） (一) （1） (1), brackets of either width.
    if let Some(inner) = h.strip_prefix('（').or_else(|| h.strip_prefix('(')) {
        for (level, f, parse) in [
            (
                2,
                &is_cn as &dyn Fn(char) -> bool,
                &chinese_numeral as &dyn Fn(&str) -> Option<i64>,
            ),
            (4, &is_digit, &|s: &str| s.parse().ok()),
        ] {
            let len = numeral_len(inner, f);
            if len == 0 || (level == 4 && len > 3) {
                continue;
            }
            let close = inner[len..]
                .chars()
                .next()
                .filter(|c| *c == '）' || *c == ')')?;
            let n = parse(&inner[..len])?;
            let printed_len = h.len() - inner.len() + len + close.len_utf8();
            return Some(HeadingNumber {
                level,
                n,
                printed: h[..printed_len].to_string(),
            });
        }
        return None;
    }
    let len = numeral_len(h, &is_cn);
    if len > 0 {
        let sep = h[len..]
            .chars()
            .next()
            .filter(|c| *c == '、' || *c == '，' || *c == '.')?;
        return Some(HeadingNumber {
            level: 1,
            n: chinese_numeral(&h[..len])?,
            printed: h[..len + sep.len_utf8()].to_string(),
        });
    }
    let len = numeral_len(h, &is_digit);
    if len > 0 && len <= 3 {
        let mut rest = h[len..].chars();
        let sep = rest.next().filter(|c| matches!(c, '、' | '.' | '．'))?;
        // "1.5亿元" is a number, not a heading number.
        if rest.next().is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        return Some(HeadingNumber {
            level: 3,
            n: h[..len].parse().ok()?,
            printed: h[..len + sep.len_utf8()].to_string(),
        });
    }
    None
}

/// A place where the heading numbers of a report break their sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// Numbers skipped: `missing` are the numbers (as printed) left out.
    Gap {
        index: usize,
        after: Option<String>,
        printed: String,
        missing: Vec<String>,
    },
    /// The same number as the previous heading of its level.
    Repeat {
        index: usize,
        printed: String,
        expected: String,
    },
    /// A number lower than the previous heading of its level.
    Order {
        index: usize,
        printed: String,
        previous: String,
        expected: String,
    },
    /// A heading without a number where most headings have one;
    /// `suggested` is the number its neighbours imply, if they do.
    Unnumbered {
        index: usize,
        suggested: Option<String>,
    },
}

/// Checks the numbering of headings in document order. Each level counts
/// from 1 and restarts under a new parent; a document that opens with a
/// deeper heading is taken to have its parent. When most headings are
/// numbered, unnumbered ones are reported, and a gap that unnumbered
/// headings right before it fill is reported only through them (with the
/// number each should carry).
pub fn numbering(headings: &[&str]) -> Vec<Break> {
    let nums: Vec<Option<HeadingNumber>> = headings.iter().map(|h| heading_number(h)).collect();
    let numbered = nums.iter().filter(|n| n.is_some()).count();
    let flag_unnumbered = numbered * 2 > nums.len();
    let mut last = [0i64; 5];
    let mut started = [false; 5];
    let mut pending: Vec<usize> = Vec::new();
    let mut suggested: Vec<Option<String>> = vec![None; nums.len()];
    let mut out = Vec::new();
    for (index, n) in nums.iter().enumerate() {
        let Some(n) = n else {
            pending.push(index);
            continue;
        };
        let level = n.level.clamp(1, 4) as usize;
        if level > 1 && !started[level - 1] && last[level - 1] == 0 {
            last[level - 1] = 1;
            started[level - 1] = true;
        }
        started[level] = true;
        let prev = last[level];
        let expected = prev + 1;
        if n.n > expected {
            let gap = (n.n - expected) as usize;
            if flag_unnumbered && pending.len() >= gap {
                for (k, &at) in pending[pending.len() - gap..].iter().enumerate() {
                    suggested[at] = Some(numeral(level as i64, expected + k as i64));
                }
            } else {
                let mut missing: Vec<String> = (expected..n.n.min(expected + 10))
                    .map(|k| numeral(level as i64, k))
                    .collect();
                if n.n > expected + 10 {
                    missing.push("……".into());
                }
                out.push(Break::Gap {
                    index,
                    after: (prev > 0).then(|| numeral(level as i64, prev)),
                    printed: n.printed.clone(),
                    missing,
                });
            }
        } else if n.n == prev {
            out.push(Break::Repeat {
                index,
                printed: n.printed.clone(),
                expected: numeral(level as i64, expected),
            });
        } else if n.n < prev {
            out.push(Break::Order {
                index,
                printed: n.printed.clone(),
                previous: numeral(level as i64, prev),
                expected: numeral(level as i64, expected),
            });
        }
        last[level] = n.n;
        for l in level + 1..5 {
            last[l] = 0;
            started[l] = false;
        }
        pending.clear();
    }
    if flag_unnumbered {
        for (index, n) in nums.iter().enumerate() {
            if n.is_none() {
                out.push(Break::Unnumbered {
                    index,
                    suggested: suggested[index].take(),
                });
            }
        }
    }
    out
}

/// How a heading of this level and number is normally printed.
pub fn numeral(level: i64, n: i64) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let cn = |n: i64| -> String {
        match n {
            1..=9 => DIGITS[n as usize].to_string(),
            10 => "十".into(),
            11..=19 => format!("十{}", DIGITS[(n % 10) as usize]),
            20..=99 if n % 10 == 0 => format!("{}十", DIGITS[(n / 10) as usize]),
            20..=99 => format!(
                "{}十{}",
                DIGITS[(n / 10) as usize],
                DIGITS[(n % 10) as usize]
            ),
            _ => n.to_string(),
        }
    };
    match level {
        1 => format!("{}、", cn(n)),
        2 => format!("（{}）", cn(n)),
        3 => format!("{n}."),
        _ => format!("（{n}）"),
    }
}

/// Four-digit years (1900–2099) written in a text.
pub fn years_in(text: &str) -> Vec<i64> {
    let bytes = text.as_bytes();
    let mut years = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let y: i64 = text[start..i].parse().unwrap_or(0);
                if (1900..2100).contains(&y) {
                    years.push(y);
                }
            }
        } else {
            i += 1;
        }
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "",
            " ",
            "/",
            "—",
            "……",
            "略",
            "暂无",
            "无",
            "无。",
            "没有",
            "暂无问题",
            "无说明",
            "（200字以内）",
            "(请填写)",
            "指标2：……",
            "指标２：",
            "--",
        ] {
            assert!(is_placeholder(p), "{p:?} is a placeholder");
        }
        for t in [
            "指标1：开展精品示范村建设数量",
            "无法按期完成，原因是资金延迟下达",
            "已整改",
            "（一）资金到位及时",
        ] {
            assert!(
                !is_placeholder(t) || t.starts_with('（'),
                "{t:?} is real text"
            );
        }
        assert!(!is_placeholder("指标1：开展精品示范村建设数量"));
        assert!(!is_placeholder("资金下达晚于计划"));
        // A form's prompt marks a text unfilled wherever it stands.
        for pasted in [
            "1.预算执行率=预算执行数/调整后预算数，未达到90%的需说明原因（100字以内）；2.年中发生预算调整的应单独说明理由。",
            "存在问题：（200字以内）",
            "(300字以内)",
            "主要问题（ 200 字以内 ）",
        ] {
            assert!(has_prompt(pasted) && is_placeholder(pasted), "{pasted}");
        }
        assert!(!has_prompt("全年完成（200人）培训"));
        assert!(!has_prompt("执行率为95%（见附表）"));
    }

    #[test]
    fn similarity_ranks_related_text_higher() {
        let p = "绩效指标设置科学性有待提高";
        assert!(
            similarity(p, "提高绩效指标设置的科学性")
                > similarity(p, "加强制度建设，提高绩效管理意识")
        );
        assert_eq!(similarity("", "x"), 0.0);
        assert!((similarity("绩效管理", "绩效管理") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn heading_numbers() {
        let h = |s: &str| heading_number(s).map(|h| (h.level, h.n, h.printed));
        assert_eq!(h("一、部门基本情况"), Some((1, 1, "一、".into())));
        assert_eq!(h("十二、其他"), Some((1, 12, "十二、".into())));
        assert_eq!(h("（一）部门概况"), Some((2, 1, "（一）".into())));
        assert_eq!(h("(二)当年部门履职总体目标"), Some((2, 2, "(二)".into())));
        assert_eq!(h("3.科学制定年度计划"), Some((3, 3, "3.".into())));
        assert_eq!(h("2、加强"), Some((3, 2, "2、".into())));
        assert_eq!(h("（4）其他"), Some((4, 4, "（4）".into())));
        assert_eq!(h("履职效果情况"), None);
        assert_eq!(h("2021年工作"), None);
        assert_eq!(h("1.5亿元"), None);
        assert_eq!(h("一是以深化"), None);
        assert_eq!(h("（12345678901234567890）"), None);
    }

    #[test]
    fn numerals_print_like_reports() {
        assert_eq!(numeral(1, 4), "四、");
        assert_eq!(numeral(2, 13), "（十三）");
        assert_eq!(numeral(2, 20), "（二十）");
        assert_eq!(numeral(3, 2), "2.");
        assert_eq!(chinese_numeral("二十一"), Some(21));
    }

    #[test]
    fn numbering_breaks() {
        let b = numbering(&[
            "（一）概况",
            "(二)目标",
            "当年目标",
            "(四)管理",
            "二、实现",
            "(一)履职",
            "(一)重复",
            "一、倒序",
            "附件",
        ]);
        assert_eq!(
            b,
            [
                Break::Repeat {
                    index: 6,
                    printed: "(一)".into(),
                    expected: "（二）".into()
                },
                Break::Order {
                    index: 7,
                    printed: "一、".into(),
                    previous: "二、".into(),
                    expected: "三、".into()
                },
                Break::Unnumbered {
                    index: 2,
                    suggested: Some("（三）".into())
                },
                Break::Unnumbered {
                    index: 8,
                    suggested: None
                },
            ]
        );
        let gap = numbering(&["1.部门概况", "999.其他"]);
        let Break::Gap { missing, after, .. } = &gap[0] else {
            panic!("{gap:?}")
        };
        assert_eq!(missing.len(), 11);
        assert_eq!(after.as_deref(), Some("1."));
    }

    #[test]
    fn years() {
        assert_eq!(
            years_in("景德镇市教育局2021年度部门整体支出绩效自评报告"),
            [2021]
        );
        assert_eq!(years_in("12345 与 2021、1899"), [2021]);
    }
}
