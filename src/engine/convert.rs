//! Conversion of a validated report (and of TOML parameter values) into the
//! Rhai values rules read.

use rhai::{Array, Dynamic, Map};

use crate::report::{Node, Value};

/// Tables and row arrays that every report map has, empty when the file
/// leaves them out, so rules need not test for them.
const TABLES: &[&str] = &["budget", "total"];
const ROWS: &[&str] = &[
    "summary",
    "indicators",
    "problems",
    "measures",
    "sections",
    "waivers",
];

fn node(n: &Node) -> Dynamic {
    match &n.value {
        Value::Str(s) | Value::Date(s) => s.as_str().into(),
        Value::Int(i) => (*i).into(),
        Value::Float(x) => (*x).into(),
        Value::Bool(b) => (*b).into(),
        Value::Array(items) => items.iter().map(node).collect::<Array>().into(),
        Value::Table(entries) => entries
            .iter()
            .map(|(k, v)| (k.name.as_str().into(), node(v)))
            .collect::<Map>()
            .into(),
    }
}

/// The report as one shared, read-only Rhai map.
pub fn report(root: &Node) -> Dynamic {
    let mut map = node(root).try_cast::<Map>().unwrap_or_default();
    for t in TABLES {
        map.entry((*t).into()).or_insert_with(|| Map::new().into());
    }
    for r in ROWS {
        map.entry((*r).into())
            .or_insert_with(|| Array::new().into());
    }
    // Read-only all the way down, then shared: a rule that assigns into the
    // report gets an error instead of changing what later rules see.
    Dynamic::from_map(map).into_read_only().into_shared()
}

/// A TOML value (a parameter) as a Rhai value; integers become floats so
/// that arithmetic with report numbers never truncates.
pub fn toml(v: &toml::Value) -> Dynamic {
    match v {
        toml::Value::String(s) => s.as_str().into(),
        toml::Value::Integer(i) => (*i as f64).into(),
        toml::Value::Float(x) => (*x).into(),
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(a) => a.iter().map(toml).collect::<Array>().into(),
        toml::Value::Table(t) => t
            .iter()
            .map(|(k, v)| (k.as_str().into(), toml(v)))
            .collect::<Map>()
            .into(),
    }
}
