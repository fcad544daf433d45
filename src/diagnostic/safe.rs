//! Text from files and file names shown safely: on a terminal, where a
//! control character could move the cursor, recolour or fake a line of
//! output, wherever else it is printed, and in the name of a file written.

/// Text safe to print on a terminal: control characters (C0 but newline
/// and tab, DEL, C1) and bidirectional overrides become `?`, one `?` per
/// byte, so that byte offsets into the text stay valid. A report cannot
/// move the cursor, recolour or hide text this way.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t' && c != '\r')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if bad(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Text from a report (a sheet's, a department's name) as part of a file
/// name: what no file system takes, and control characters, become `_`.
pub fn file_name_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Whether a character may not reach a terminal as it is: control
/// characters (C0 but newline and tab, DEL, C1) and bidirectional
/// overrides, and with `line`, newlines and tabs too.
fn unsafe_char(c: char, line: bool) -> bool {
    (c.is_control() && (line || (c != '\n' && c != '\t')))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escaped(text: &str, line: bool) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| unsafe_char(c, line)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if line => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' if line => out.push_str("\\t"),
            c if unsafe_char(c, line) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A name or other one-line text from a file or a file name (a path, a
/// rule id or title), safe to print: every control character, newlines
/// included, is shown escaped (`\n`, `\u{1b}`), so that it can neither
/// drive the terminal nor fake a line of output.
pub fn sanitize_line(text: &str) -> std::borrow::Cow<'_, str> {
    escaped(text, true)
}

/// Text of several lines from a file (a rule's documentation, a
/// message), safe to print: control characters but newline and tab are
/// shown escaped.
pub fn sanitize_text(text: &str) -> std::borrow::Cow<'_, str> {
    escaped(text, false)
}

/// A writer that passes everything through [`sanitize`], for outputs that
/// may be shown on a terminal (Markdown minutes are often `cat`-ed).
pub struct Sanitized<'a>(pub &'a mut dyn std::io::Write);

impl std::io::Write for Sanitized<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => self
                .0
                .write_all(sanitize(text).as_bytes())
                .map(|_| buf.len()),
            Err(_) => self.0.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// [`sanitize`] for shared text, sharing it when nothing changes.
pub fn sanitize_arc(text: &std::sync::Arc<str>) -> std::sync::Arc<str> {
    match sanitize(text) {
        std::borrow::Cow::Borrowed(_) => text.clone(),
        std::borrow::Cow::Owned(s) => std::sync::Arc::from(s),
    }
}
