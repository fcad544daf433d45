//! Data paths (`budget.executed`, `summary[1].score`,
//! `measures[0].addresses[1]`): parsing them and resolving them to the node,
//! and so the span, they name in a loaded report.

use super::raw::{Node, Value};

/// One step of a data path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits a path into steps; `None` when it is not a well-formed path.
pub fn parse(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return None;
        }
        steps.push(Step::Key(key));
        while !rest.is_empty() {
            let close = rest.find(']')?;
            if !rest.starts_with('[') {
                return None;
            }
            steps.push(Step::Index(rest[1..close].parse().ok()?));
            rest = &rest[close + 1..];
        }
    }
    Some(steps)
}

/// The node `path` names below `root`, if the file has it.
pub fn resolve<'n>(root: &'n Node, path: &str) -> Option<&'n Node> {
    let mut node = root;
    for step in parse(path)? {
        node = match (step, &node.value) {
            (Step::Key(k), Value::Table(_)) => node.get(k)?,
            (Step::Index(i), Value::Array(items)) => items.get(i)?,
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::raw;

    #[test]
    fn parses_paths() {
        assert_eq!(
            parse("measures[0].addresses[1]"),
            Some(vec![
                Step::Key("measures"),
                Step::Index(0),
                Step::Key("addresses"),
                Step::Index(1)
            ])
        );
        assert_eq!(parse("budget.executed").map(|s| s.len()), Some(2));
        for bad in ["", "a..b", "a[", "a[x]", "a]0[", "[0]", "a b"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn resolves_to_exact_spans() {
        let src = "[[m]]\nid = \"1\"\naddresses = [\"1\", \"2\"]\n[[m]]\nid = \"2\"\n";
        let root = raw::parse(src).unwrap();
        let span = |p: &str| resolve(&root, p).map(|n| &src[n.span.clone()]);
        assert_eq!(span("m[0].addresses[1]"), Some("\"2\""));
        assert_eq!(span("m[1]"), Some("[[m]]"));
        assert_eq!(span("m[1].id"), Some("\"2\""));
        assert_eq!(span("m[2]"), None);
        assert_eq!(span("m[0].nope"), None);
        assert_eq!(span("m.id"), None);
    }
}
