//! A PDF content stream read one operation at a time: its operands (numbers,
//! names, strings, arrays, dictionaries) then its operator, without ever
//! holding more than the current operation. `lopdf`'s own decoder builds
//! every operation of a stream before the first is looked at — about 150
//! bytes each, so a stream of a few million drawing operators asks for
//! gigabytes. Operands beyond [`MAX_OPERANDS`], array items beyond
//! [`MAX_ITEMS`] and nesting beyond [`MAX_NESTING`] are left out; inline
//! images (`BI … ID … EI`) are passed over.

use lopdf::{Dictionary, Object, StringFormat};

/// Operands kept for one operation (a real operator takes at most six;
/// `TJ` and `d` take one array).
pub const MAX_OPERANDS: usize = 64;
/// Items kept of one array (a `TJ` line of text is a few hundred).
pub const MAX_ITEMS: usize = 100_000;
/// Arrays and dictionaries nested in an operand.
pub const MAX_NESTING: usize = 32;

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_space(b) && !is_delimiter(b)
}

/// The operations of one content stream.
pub struct Ops<'a> {
    data: &'a [u8],
    at: usize,
}

/// A token of a content stream.
enum Token {
    Object(Object),
    Keyword(String),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    /// Something that is none of these (a stray `)` or `}`): passed over.
    Junk,
}

impl<'a> Ops<'a> {
    pub fn new(data: &'a [u8]) -> Ops<'a> {
        Ops { data, at: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.at += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular(&mut self) -> &'a [u8] {
        let start = self.at;
        while self.peek().is_some_and(is_regular) {
            self.at += 1;
        }
        &self.data[start..self.at]
    }

    fn literal(&mut self) -> Vec<u8> {
        // After the opening parenthesis.
        let mut out = Vec::new();
        let mut depth = 1usize;
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.at += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.at += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xFF) as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.at += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                other => out.push(other),
            }
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        // After the opening `<`.
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.at += 1;
            let v = match b {
                b'>' => break,
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    fn name(&mut self) -> Vec<u8> {
        // After the `/`.
        let raw = self.regular();
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'#'
                && let Some(v) = raw
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
            out.push(raw[i]);
            i += 1;
        }
        out
    }

    fn token(&mut self) -> Option<Token> {
        self.skip_space();
        let b = self.peek()?;
        self.at += 1;
        Some(match b {
            b'(' => Token::Object(Object::String(self.literal(), StringFormat::Literal)),
            b'<' if self.peek() == Some(b'<') => {
                self.at += 1;
                Token::DictStart
            }
            b'<' => Token::Object(Object::String(self.hex(), StringFormat::Hexadecimal)),
            b'>' if self.peek() == Some(b'>') => {
                self.at += 1;
                Token::DictEnd
            }
            b'[' => Token::ArrayStart,
            b']' => Token::ArrayEnd,
            b'/' => Token::Object(Object::Name(self.name())),
            b')' | b'>' | b'{' | b'}' => Token::Junk,
            _ => {
                self.at -= 1;
                let word = self.regular();
                if word.is_empty() {
                    self.at += 1;
                    return Some(Token::Junk);
                }
                match number(word) {
                    Some(n) => Token::Object(n),
                    None => match word {
                        b"true" => Token::Object(Object::Boolean(true)),
                        b"false" => Token::Object(Object::Boolean(false)),
                        b"null" => Token::Object(Object::Null),
                        _ => Token::Keyword(String::from_utf8_lossy(word).into_owned()),
                    },
                }
            }
        })
    }

    /// An array or dictionary's items after its opening token, to its
    /// closing one (or the end of the stream).
    fn compound(&mut self, dict: bool, depth: usize) -> Object {
        let mut items = Vec::new();
        loop {
            let Some(t) = self.token() else { break };
            let item = match t {
                Token::ArrayEnd if !dict => break,
                Token::DictEnd if dict => break,
                Token::ArrayStart | Token::DictStart if depth >= MAX_NESTING => {
                    self.skip_nested();
                    continue;
                }
                Token::ArrayStart => self.compound(false, depth + 1),
                Token::DictStart => self.compound(true, depth + 1),
                Token::Object(o) => o,
                Token::Keyword(_) | Token::Junk | Token::ArrayEnd | Token::DictEnd => continue,
            };
            if items.len() < MAX_ITEMS {
                items.push(item);
            }
        }
        if dict {
            let mut d = Dictionary::new();
            let mut it = items.into_iter();
            while let (Some(Object::Name(k)), Some(v)) = (it.next(), it.next()) {
                d.set(k, v);
            }
            Object::Dictionary(d)
        } else {
            Object::Array(items)
        }
    }

    /// Passes over an array or dictionary nested too deep, after its
    /// opening token, counting its nesting instead of recursing.
    fn skip_nested(&mut self) {
        let mut open = 1usize;
        while open > 0 {
            match self.token() {
                None => return,
                Some(Token::ArrayStart | Token::DictStart) => open += 1,
                Some(Token::ArrayEnd | Token::DictEnd) => open -= 1,
                Some(_) => {}
            }
        }
    }

    /// Passes over an inline image's data, after its `ID`: to the `EI` that
    /// stands alone between white space.
    fn skip_inline_image(&mut self) {
        let rest = &self.data[self.at..];
        let mut from = 0;
        while let Some(i) = memchr::memmem::find(&rest[from..], b"EI") {
            let at = from + i;
            let before = at == 0 || is_space(rest[at - 1]);
            let after = rest.get(at + 2).is_none_or(|b| is_space(*b));
            if before && after {
                self.at += at + 2;
                return;
            }
            from = at + 2;
        }
        self.at = self.data.len();
    }

    /// The next operation: its operator, with its operands in `operands`
    /// (cleared first); None at the end of the stream.
    pub fn next_into(&mut self, operands: &mut Vec<Object>) -> Option<String> {
        operands.clear();
        loop {
            let t = self.token()?;
            let object = match t {
                Token::Keyword(k) => {
                    if k == "ID" {
                        self.skip_inline_image();
                        operands.clear();
                        continue;
                    }
                    return Some(k);
                }
                Token::Object(o) => o,
                Token::ArrayStart => self.compound(false, 1),
                Token::DictStart => self.compound(true, 1),
                Token::ArrayEnd | Token::DictEnd | Token::Junk => continue,
            };
            if operands.len() < MAX_OPERANDS {
                operands.push(object);
            }
        }
    }
}

fn number(word: &[u8]) -> Option<Object> {
    let first = *word.first()?;
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return None;
    }
    let text = std::str::from_utf8(word).ok()?;
    if !text.contains('.')
        && let Ok(i) = text.parse::<i64>()
    {
        return Some(Object::Integer(i));
    }
    let f: f64 = text.parse().ok().or_else(|| {
        // `-.5`, `5.` parse; a lone sign or dot is 0 to a viewer.
        text.chars()
            .all(|c| matches!(c, '+' | '-' | '.'))
            .then_some(0.0)
    })?;
    f.is_finite().then_some(Object::Real(f as f32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(s: &[u8]) -> Vec<(String, Vec<Object>)> {
        let mut o = Ops::new(s);
        let mut operands = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = o.next_into(&mut operands) {
            out.push((op, operands.clone()));
        }
        out
    }

    #[test]
    fn operations_as_lopdf_reads_them() {
        let src = b"q 1 0 0 1 72.5 -3 cm BT /F1 12 Tf [(a\\(b\\)) -250 <4E2D>] TJ (x\\101y) Tj ET Q % c\n/P <</MCID 0>> BDC EMC";
        let got = ops(src);
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(
            names,
            ["q", "cm", "BT", "Tf", "TJ", "Tj", "ET", "Q", "BDC", "EMC"]
        );
        assert_eq!(got[1].1[4], Object::Real(72.5));
        assert_eq!(got[1].1[5], Object::Integer(-3));
        assert_eq!(got[3].1[0], Object::Name(b"F1".to_vec()));
        let Object::Array(tj) = &got[4].1[0] else {
            panic!("{:?}", got[4])
        };
        assert_eq!(
            tj[0],
            Object::String(b"a(b)".to_vec(), StringFormat::Literal)
        );
        assert_eq!(
            tj[2],
            Object::String(vec![0x4E, 0x2D], StringFormat::Hexadecimal)
        );
        assert_eq!(
            got[5].1[0],
            Object::String(b"xAy".to_vec(), StringFormat::Literal)
        );
    }

    #[test]
    fn inline_images_and_junk_are_passed_over_and_operands_bounded() {
        let got = ops(b"BI /W 2 /H 2 ID x\x01EIx\x02 EI Q ) } 1 2 re");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["BI", "Q", "re"]);
        let many = "1 ".repeat(1000) + "m";
        assert_eq!(ops(many.as_bytes())[0].1.len(), MAX_OPERANDS);
        let deep = "[".repeat(10_000) + " TJ";
        assert_eq!(
            ops(deep.as_bytes()).len(),
            0,
            "an unclosed array runs to the end"
        );
    }
}
