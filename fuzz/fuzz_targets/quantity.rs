//! The quantity and rate parsers on arbitrary text: never panic, and a
//! parsed rate prints back to the same value.
#![no_main]

use jixiao::report::quantity::{format_number, parse_quantity, parse_rate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = parse_quantity(text);
    if let Some((value, _)) = parse_rate(text) {
        assert!(value.is_finite() && value >= 0.0);
        let printed = format!("{}%", format_number(value, 12));
        let (again, _) = parse_rate(&printed).expect("a printed rate parses");
        assert!((again - value).abs() <= value.abs() * 1e-9 + 1e-9, "{text:?} {value} {again}");
    }
});
