//! Inputs that cannot be loaded: each gives a coded diagnostic whose first
//! label is on the line of the problem, and the check exits 2.

use jixiao::diagnostic::line_col;
use jixiao::report::{LoadOptions, load_bytes};

const HEAD: &str = "format = \"jixiao-report/1\"\nkind = \"department\"\ntitle = \"示例局2021年度报告\"\ndepartment = \"示例局\"\nyear = 2021\n";

/// (what, file text, expected code, expected line of the first label)
fn cases() -> Vec<(&'static str, String, &'static str, Option<usize>)> {
    vec![
        (
            "unterminated string",
            format!("{HEAD}[budget]\nexplanation = \"未完\n"),
            "jixiao::load::syntax",
            Some(7),
        ),
        (
            "duplicate key",
            format!("{HEAD}[budget]\nexecuted = 1\nexecuted = 2\n"),
            "jixiao::load::syntax",
            Some(8),
        ),
        (
            "duplicate table",
            format!("{HEAD}[budget]\nexecuted = 1\n[budget]\n"),
            "jixiao::load::syntax",
            Some(8),
        ),
        (
            "text for a number",
            format!("{HEAD}[budget]\nexecuted = \"66941.43\"\n"),
            "jixiao::load::type",
            Some(7),
        ),
        (
            "number for text",
            format!("{HEAD}[[problems]]\nid = 1\ntitle = \"问题\"\n"),
            "jixiao::load::type",
            Some(7),
        ),
        (
            "bare rate",
            format!("{HEAD}[budget]\nrate = 0.98\n"),
            "jixiao::load::bare-rate",
            Some(7),
        ),
        (
            "rate without percent",
            format!("{HEAD}[total]\nscore_rate = \"98\"\n"),
            "jixiao::load::rate",
            Some(7),
        ),
        (
            "negative amount",
            format!("{HEAD}[budget]\nexecuted = -5\n"),
            "jixiao::load::number",
            Some(7),
        ),
        (
            "nan",
            format!("{HEAD}[budget]\nexecuted = nan\n"),
            "jixiao::load::number",
            Some(7),
        ),
        (
            "infinite",
            format!("{HEAD}[budget]\nexecuted = inf\n"),
            "jixiao::load::number",
            Some(7),
        ),
        (
            "absurd",
            format!("{HEAD}[budget]\nexecuted = 1e300\n"),
            "jixiao::load::number",
            Some(7),
        ),
        (
            "missing title",
            HEAD.replace("title = \"示例局2021年度报告\"\n", ""),
            "jixiao::load::missing",
            Some(1),
        ),
        (
            "row without name",
            format!("{HEAD}[[summary]]\nweight = 10\n"),
            "jixiao::load::missing",
            Some(6),
        ),
        (
            "unknown format",
            HEAD.replace("jixiao-report/1", "jixiao-report/9"),
            "jixiao::load::format",
            Some(1),
        ),
        (
            "bad kind",
            HEAD.replace("\"department\"", "\"部门\""),
            "jixiao::load::value",
            Some(2),
        ),
        (
            "project without name",
            HEAD.replace("\"department\"\n", "\"project\"\n"),
            "jixiao::load::missing",
            Some(2),
        ),
        (
            "table for rows",
            format!("{HEAD}[summary]\nname = \"产出\"\n"),
            "jixiao::load::type",
            Some(6),
        ),
        (
            "year as text",
            HEAD.replace("year = 2021", "year = \"2021\""),
            "jixiao::load::type",
            Some(5),
        ),
        (
            "empty file",
            String::new(),
            "jixiao::load::missing",
            Some(1),
        ),
        (
            "only comments",
            "# 只有注释\n# 没有内容\n".into(),
            "jixiao::load::missing",
            Some(1),
        ),
    ]
}

#[test]
fn every_bad_input_has_a_coded_diagnostic_on_its_line() {
    for (what, text, code, line) in cases() {
        let err = load_bytes("bad.toml", text.as_bytes(), LoadOptions::default())
            .err()
            .unwrap_or_else(|| panic!("{what}: should not load"));
        let first = &err.errors[0];
        assert_eq!(first.code, code, "{what}: {first:?}");
        assert!(!first.message.is_empty());
        if let Some(line) = line {
            let (span, _) = first
                .labels
                .first()
                .unwrap_or_else(|| panic!("{what}: no label"));
            assert_eq!(
                line_col(&err.source, span.start).0,
                line,
                "{what}: {first:?}"
            );
        }
    }
}

#[test]
fn non_utf8_names_the_encoding_problem() {
    let gbk = b"format = \"jixiao-report/1\"\ntitle = \"\xbe\xb0\xb5\xc2\xd5\xf2\"\n";
    let err = load_bytes("gbk.toml", gbk, LoadOptions::default()).unwrap_err();
    assert_eq!(err.errors[0].code, "jixiao::load::encoding");
    assert!(err.errors[0].message.contains("UTF-8"));
    assert_eq!(line_col(&err.source, err.errors[0].labels[0].0.start).0, 2);
}

#[test]
fn crlf_files_keep_exact_spans() {
    let text = format!("{HEAD}[budget]\nexecuted = 12.5\n").replace('\n', "\r\n");
    let r = load_bytes("crlf.toml", text.as_bytes(), LoadOptions::default()).unwrap();
    let span = r.span_of("budget.executed").unwrap();
    assert_eq!(&text[span.clone()], "12.5");
    assert_eq!(line_col(&text, span.start), (7, 12));
}

#[test]
fn files_over_the_size_limit_are_refused_before_parsing() {
    let path = std::env::temp_dir().join(format!("jixiao-big-{}.toml", std::process::id()));
    let big = "#".repeat(jixiao::report::MAX_FILE_BYTES as usize + 1);
    std::fs::write(&path, big).unwrap();
    let err = jixiao::report::load_file(&path, "big.toml", LoadOptions::default()).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(err.errors[0].code, "jixiao::load::too-large");
    assert!(err.errors[0].message.contains("超过上限"));
}
