//! Step one of loading: TOML text to a tree of values that keeps the byte
//! span of every key and value, and nothing else.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// One TOML value with the byte span of its text in the file.
///
/// For an entry of an array of tables the span is its `[[name]]` header; for
/// a `[table]` it is the `[name]` header.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub value: Value,
}

/// A key of a table with the span of the key's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or datetime, as written.
    Date(String),
    Array(Vec<Node>),
    Table(Vec<(Key, Node)>),
}

impl Value {
    /// The TOML type's name in Chinese, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "字符串",
            Value::Int(_) => "整数",
            Value::Float(_) => "小数",
            Value::Bool(_) => "布尔值",
            Value::Date(_) => "日期",
            Value::Array(_) => "数组",
            Value::Table(_) => "表",
        }
    }
}

impl Node {
    /// The value at `key` when this node is a table.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, n)| n)
    }

    /// The key and value at `key` when this node is a table.
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Table(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, n)| (k, n)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }
}

/// A TOML syntax error: message and the span it points at.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

/// Parses TOML text into a [`Node`] tree. The root's span is empty.
pub fn parse(source: &str) -> Result<Node, SyntaxError> {
    let table = DeTable::parse(source).map_err(|e| SyntaxError {
        message: e.message().trim().to_string(),
        span: e.span().unwrap_or(0..0),
    })?;
    let span = table.span();
    Ok(Node {
        span,
        value: convert_table(table.into_inner()),
    })
}

fn convert_table(table: DeTable<'_>) -> Value {
    let mut entries: Vec<(Key, Node)> = table
        .into_iter()
        .map(|(k, v)| {
            let key = Key {
                span: k.span(),
                name: k.into_inner().into_owned(),
            };
            (key, convert(v))
        })
        .collect();
    // Keep the order of the file, whatever order the map iterates in.
    entries.sort_by_key(|(k, _)| k.span.start);
    Value::Table(entries)
}

fn convert(v: serde_spanned::Spanned<DeValue<'_>>) -> Node {
    let span = v.span();
    let value = match v.into_inner() {
        DeValue::String(s) => Value::Str(s.into_owned()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Int(n),
            // Out of the i64 range: keep it as a float so validation can
            // reject it as too large with its span.
            Err(_) => Value::Float(f64::INFINITY),
        },
        DeValue::Float(f) => Value::Float(parse_float(f.as_str())),
        DeValue::Boolean(b) => Value::Bool(b),
        DeValue::Datetime(d) => Value::Date(d.to_string()),
        DeValue::Array(a) => Value::Array(a.into_iter().map(convert).collect()),
        DeValue::Table(t) => convert_table(t),
    };
    Node { span, value }
}

fn parse_float(text: &str) -> f64 {
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    match cleaned.as_str() {
        "inf" | "+inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        "nan" | "+nan" | "-nan" => f64::NAN,
        other => other.parse().unwrap_or(f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_mark_values_and_headers() {
        let src = "title = \"x\"\n[budget]\nexecuted = 1_000.5\n[[rows]]\nid = \"1\"\n";
        let root = parse(src).unwrap();
        let t = root.get("title").unwrap();
        assert_eq!(&src[t.span.clone()], "\"x\"");
        let b = root.get("budget").unwrap();
        assert_eq!(&src[b.span.clone()], "[budget]");
        let e = b.get("executed").unwrap();
        assert_eq!(e.value, Value::Float(1000.5));
        let rows = root.get("rows").unwrap().as_array().unwrap();
        assert_eq!(&src[rows[0].span.clone()], "[[rows]]");
    }

    #[test]
    fn syntax_error_has_span() {
        let err = parse("a = 1\na = 2\n").unwrap_err();
        assert_eq!(err.span, 6..7);
        assert!(err.message.contains("duplicate key"));
    }

    #[test]
    fn entries_keep_file_order() {
        let root = parse("b = 1\na = 2\n").unwrap();
        let Value::Table(entries) = &root.value else {
            panic!("root is a table")
        };
        let names: Vec<_> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
    }
}
