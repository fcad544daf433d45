//! Files built to exhaust a reader's memory or time (the second
//! adversarial review): each is checked in a batch beside an honest report
//! and must be an error entry for itself alone — naming the limit it hit —
//! with the honest report checked in the same output, exit code 2, and the
//! process under 512 MB at its peak (measured by the kernel for that child
//! alone). A hang or an abort fails the test. The files are made here, in
//! memory, from their recipe: nothing of them is committed.

mod common;
use common::temp_dir;

use std::io::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

const HONEST: &str = "examples/jingdezhen-education-2021.txt";

/// What a run of the binary gave, with its peak resident memory.
struct Measured {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    peak_mb: u64,
    took: Duration,
}

/// Runs the binary in `cwd`, killed after `limit`, and reads its peak
/// resident memory from the kernel's accounting of that one child.
#[cfg(target_os = "linux")]
fn measured(cwd: &Path, args: &[&str], limit: Duration) -> Measured {
    use std::os::unix::process::ExitStatusExt;
    // Beside the folder, not in it: the folder may be what is checked.
    let out = cwd.with_extension("stdout.json");
    let err = cwd.with_extension("stderr.txt");
    let started = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("JIXIAO_CACHE_KEY", common::CACHE_KEY)
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    // A hang is killed, and then fails the test below.
    let watchdog = std::thread::spawn(move || {
        let until = Instant::now() + limit;
        while Instant::now() < until {
            std::thread::sleep(Duration::from_millis(50));
            // SAFETY: signal 0 only asks whether the process still exists.
            if unsafe { libc::kill(pid, 0) } != 0 {
                return;
            }
        }
        // SAFETY: the child is ours and not yet reaped.
        unsafe { libc::kill(pid, libc::SIGKILL) };
    });
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, once.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4");
    let took = started.elapsed();
    let _ = watchdog.join();
    std::mem::forget(child);
    let status = std::process::ExitStatus::from_raw(status);
    Measured {
        code: status.code(),
        stdout: std::fs::read_to_string(&out).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err).unwrap_or_default(),
        peak_mb: usage.ru_maxrss as u64 / 1024,
        took,
    }
}

/// `files` written into a fresh folder and checked there as a batch,
/// whole process measured, with its JSON output.
fn checked_folder(case: &str, files: &[(&str, &[u8])]) -> (Measured, Value) {
    let dir = temp_dir(case);
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let m = measured(
        &dir,
        &["check", ".", "--format", "json", "--no-cache"],
        Duration::from_secs(300),
    );
    eprintln!(
        "{case}: exit {:?}, {:.1} s, peak {} MB",
        m.code,
        m.took.as_secs_f64(),
        m.peak_mb
    );
    let out: Value = serde_json::from_str(&m.stdout)
        .unwrap_or_else(|e| panic!("{case}: {e}: exit {:?} {}", m.code, m.stderr));
    assert!(m.peak_mb < 512, "{case}: peak {} MB", m.peak_mb);
    (m, out)
}

/// The report of `out` from file `name`.
fn report_of<'a>(out: &'a Value, name: &str) -> &'a Value {
    out["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(name)))
        .unwrap_or_else(|| panic!("no {name} in {out}"))
}

/// A hostile file checked beside an honest report: its own error entry
/// with `code`, the honest report checked, exit 2, under 512 MB.
fn refused_alone(case: &str, file: &str, bytes: &[u8], code: &str) {
    let honest_bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(HONEST)).unwrap();
    let (m, out) = checked_folder(case, &[(file, bytes), ("honest.txt", &honest_bytes)]);
    assert_eq!(m.code, Some(2), "{case}: {}", m.stderr);
    let honest = report_of(&out, "honest.txt");
    assert_eq!(
        honest["errors"].as_array().map(Vec::len),
        Some(0),
        "{case}: {honest}"
    );
    assert!(
        honest["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty()),
        "{case}: the honest report is checked"
    );
    let hostile = report_of(&out, file);
    let errors = hostile["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{case}: {hostile}");
    assert_eq!(errors[0]["code"], code, "{case}: {hostile}");
    let message = errors[0]["message"].as_str().unwrap();
    eprintln!("{case}: {message}");
    assert!(
        message.contains("上限"),
        "{case}: the limit is named: {message}"
    );
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, bytes) in parts {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

// ------------------------------------------------ repeats in packages

#[test]
fn a_cell_repeated_over_a_whole_ods_sheet_is_refused_by_its_text() {
    let long = "很长的文字".repeat(4_000);
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="自评表"><table:table-row table:number-rows-repeated="5000"><table:table-cell table:number-columns-repeated="64" office:value-type="string"><text:p>{long}</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let ods = zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ]);
    refused_alone("ods-repeats", "重复.ods", &ods, "jixiao::import::limit");
}

fn xlsx_with(sheet: &str, shared: &str) -> Vec<u8> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let wb = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="自评表" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let wb_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    zip_of(&[
        ("[Content_Types].xml", ct.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", wb.as_bytes()),
        ("xl/_rels/workbook.xml.rels", wb_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ("xl/sharedStrings.xml", shared.as_bytes()),
    ])
}

fn column(c: usize) -> String {
    let mut s = String::new();
    let mut n = c + 1;
    while n > 0 {
        s.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    s
}

#[test]
fn one_long_shared_string_in_every_xlsx_cell_is_refused_by_its_text() {
    let shared = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "共享".repeat(5_000)
    );
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for r in 1..=5_000 {
        sheet.push_str(&format!("<row r=\"{r}\">"));
        for c in 0..64 {
            sheet.push_str(&format!("<c r=\"{}{r}\" t=\"s\"><v>0</v></c>", column(c)));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    refused_alone(
        "xlsx-shared",
        "共享.xlsx",
        &xlsx_with(&sheet, &shared),
        "jixiao::import::limit",
    );
}

fn docx_body(body: &str) -> Vec<u8> {
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[
        ("[Content_Types].xml", ct.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", doc.as_bytes()),
    ])
}

#[test]
fn a_vertical_merge_down_a_long_docx_table_is_refused_by_its_text() {
    let long = "合并".repeat(8_000);
    let mut body = String::from("<w:tbl><w:tr>");
    for _ in 0..64 {
        body.push_str(&format!(
            r#"<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>{long}</w:t></w:r></w:p></w:tc>"#
        ));
    }
    body.push_str("</w:tr>");
    let row = format!(
        "<w:tr>{}</w:tr>",
        "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>".repeat(64)
    );
    for _ in 0..5_000 {
        body.push_str(&row);
    }
    body.push_str("</w:tbl>");
    refused_alone(
        "docx-vmerge",
        "合并.docx",
        &docx_body(&body),
        "jixiao::import::limit",
    );
}

// ------------------------------------------------ paragraphs and lines

#[test]
fn millions_of_docx_paragraphs_are_refused_by_their_count() {
    let body = "<w:p><w:r><w:t>段</w:t></w:r></w:p>".repeat(1_700_000);
    refused_alone(
        "docx-paragraphs",
        "段落.docx",
        &docx_body(&body),
        "jixiao::import::limit",
    );
}

#[test]
fn millions_of_one_character_lines_are_refused_by_their_count() {
    let text = "a\n".repeat(4_000_000);
    refused_alone(
        "text-lines",
        "行.txt",
        text.as_bytes(),
        "jixiao::import::limit",
    );
}

// ------------------------------------------------------------- PDF

/// A PDF of `pages` pages, each drawing the content stream `content`
/// (deflated as given) with Helvetica as /F1 and the forms `forms` as
/// /X1, /X2 … (each a deflated content stream).
fn pdf(pages: usize, content: Vec<u8>, forms: Vec<Vec<u8>>) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n".to_vec();
    let mut offsets: Vec<usize> = Vec::new();
    let mut object = |out: &mut Vec<u8>, body: &[u8]| {
        offsets.push(out.len());
        let n = offsets.len();
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    };
    let stream = |dict: &str, data: &[u8]| {
        let mut b = format!(
            "<< {dict} /Filter /FlateDecode /Length {} >>\nstream\n",
            data.len()
        )
        .into_bytes();
        b.extend_from_slice(data);
        b.extend_from_slice(b"\nendstream");
        b
    };
    // 1 catalog, 2 pages, 3 font, 4 content, 5.. forms, then the pages.
    let first_page = 5 + forms.len();
    let kids: Vec<String> = (0..pages)
        .map(|i| format!("{} 0 R", first_page + i))
        .collect();
    object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
    object(
        &mut out,
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        )
        .as_bytes(),
    );
    object(
        &mut out,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    );
    object(&mut out, &stream("", &content));
    let xobjects: String = (0..forms.len())
        .map(|i| format!("/X{} {} 0 R ", i + 1, 5 + i))
        .collect();
    let resources = format!("<< /Font << /F1 3 0 R >> /XObject << {xobjects}>> >>");
    for f in &forms {
        object(
            &mut out,
            &stream(
                &format!(
                    "/Type /XObject /Subtype /Form /BBox [0 0 600 800] /Resources {resources}"
                ),
                f,
            ),
        );
    }
    for _ in 0..pages {
        object(
            &mut out,
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Resources {resources} /Contents 4 0 R >>"
            )
            .as_bytes(),
        );
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for o in &offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `unit` repeated `times` times, deflated as it is made (never whole in
/// memory).
fn deflated_repeat(unit: &[u8], times: usize) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk: Vec<u8> = unit.repeat((64 * 1024 / unit.len()).max(1));
    let per = chunk.len() / unit.len();
    let mut left = times;
    while left > 0 {
        let n = left.min(per);
        e.write_all(&chunk[..n * unit.len()]).unwrap();
        left -= n;
    }
    e.finish().unwrap()
}

fn deflated(bytes: &[u8]) -> Vec<u8> {
    deflated_repeat(bytes, 1)
}

#[test]
fn a_content_stream_that_inflates_to_a_gigabyte_is_refused_unread() {
    let bomb = deflated_repeat(b"          ", 100 << 20);
    refused_alone(
        "pdf-inflate",
        "膨胀.pdf",
        &pdf(1, bomb, vec![]),
        "jixiao::import::limit",
    );
}

#[test]
fn fourteen_million_rectangles_are_refused_unread() {
    let content = deflated_repeat(b"0 0 1 1 re\n", 14_000_000);
    refused_alone(
        "pdf-re",
        "矩形.pdf",
        &pdf(1, content, vec![]),
        "jixiao::import::limit",
    );
}

#[test]
fn millions_of_drawing_operations_stop_at_the_work_limit() {
    // Within the size a stream may unpack to, past the work a document
    // may take: 27 MB of stroked lines on each of five pages.
    let content = deflated_repeat(b"0 0 m 100 0 l S\n", 1_700_000);
    refused_alone(
        "pdf-lines",
        "线条.pdf",
        &pdf(5, content, vec![]),
        "jixiao::import::limit",
    );
}

#[test]
fn forms_drawing_each_other_a_thousand_times_stop_at_the_work_limit() {
    // X1 draws X2 a thousand times, X2 draws X3 …: 10^12 drawings.
    let draws = |next: usize| deflated(format!("/X{next} Do\n").repeat(1_000).as_bytes());
    let forms = vec![
        draws(2),
        draws(3),
        draws(4),
        deflated(b"BT /F1 12 Tf 72 700 Td (fan) Tj ET"),
    ];
    let content = deflated(b"/X1 Do");
    refused_alone(
        "pdf-fan",
        "扇出.pdf",
        &pdf(1, content, forms),
        "jixiao::import::limit",
    );
}

#[test]
fn two_thousand_pages_of_bordered_tables_are_laid_out_in_seconds() {
    // Each page: a table of 40 rows and 8 columns drawn cell by cell, as
    // office programs export it, with a number in every cell.
    let mut c = String::from("0.5 w\n");
    for r in 0..40 {
        for k in 0..8 {
            let (x, y) = (50 + k * 60, 750 - r * 18);
            c.push_str(&format!("{x} {y} 60 -18 re S\n"));
            c.push_str(&format!(
                "BT /F1 9 Tf {} {} Td ({}) Tj ET\n",
                x + 5,
                y - 13,
                r * 8 + k
            ));
        }
    }
    let file = pdf(2_000, deflated(c.as_bytes()), vec![]);
    let (_, out) = checked_folder("pdf-tables", &[("表格.pdf", &file)]);
    // The pages name no year: the document is read whole, then refused
    // for that, not for its size.
    assert_eq!(
        report_of(&out, "表格.pdf")["errors"][0]["code"],
        "jixiao::import::year",
        "{out}"
    );
}

// ------------------------------------------------------------- rules

/// Runs each rule (id, body) on the seed report, all in one pack: each
/// must be its own rule's error (or none), never the process's.
fn rules_errors(case: &str, rules: &[(&str, &str)]) -> (Measured, Vec<(String, String)>) {
    let dir = temp_dir(case);
    let pack = dir.join("rules");
    std::fs::create_dir_all(&pack).unwrap();
    for (id, body) in rules {
        let header = format!(
            "//! id = \"{id}\"\n//! title = \"测试\"\n//! severity = \"error\"\n//! basis = \"测试\"\n//! checks = \"测试\"\n//! why = \"测试\"\n//! example = \"测试\"\n"
        );
        std::fs::write(pack.join(format!("{id}.rhai")), format!("{header}{body}")).unwrap();
    }
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jingdezhen-education-2021.toml");
    let m = measured(
        &dir,
        &[
            "check",
            seed.to_str().unwrap(),
            "--rules",
            "rules",
            "--format",
            "json",
            "--no-cache",
        ],
        Duration::from_secs(120),
    );
    let out: Value = serde_json::from_str(&m.stdout)
        .unwrap_or_else(|e| panic!("{case}: {e}: exit {:?} {}", m.code, m.stderr));
    let errors = out["reports"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap_or_default().to_string(),
                e["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    (m, errors)
}

#[test]
fn built_ins_that_build_or_walk_values_stop_at_a_named_limit() {
    let deep_array = "let a = []; for i in 0..800 { a = [a]; }";
    let deep_map = "let m = #{}; for i in 0..800 { m = #{ x: m }; }";
    let cases: Vec<(&str, String, &str)> = vec![
        ("pad-empty", "let s = \"x\"; s.pad(10, \"\"); []".into(), "填充字符串不能为空"),
        (
            "pad-huge",
            "let a = [1]; a.pad(4611686018427387904, [1, 2, 3]); []".into(),
            "数组长度超过上限",
        ),
        (
            "pad-string-huge",
            "let s = \"x\"; s.pad(4611686018427387904, \"ab\"); []".into(),
            "字符串长度超过上限",
        ),
        (
            "deep-equal",
            format!("{deep_array} let b = a; if a == b {{ }} []"),
            "数据嵌套层数超过上限（64 层）",
        ),
        (
            "deep-contains",
            format!("{deep_array} let b = [a]; if b.contains(a) {{ }} []"),
            "数据嵌套层数超过上限（64 层）",
        ),
        (
            "deep-print",
            format!("{deep_map} print(m); []"),
            "数据嵌套层数超过上限（64 层）",
        ),
        (
            "deep-json",
            format!("{deep_map} let j = m.to_json(); []"),
            "数据嵌套层数超过上限（64 层）",
        ),
        (
            "in-retain",
            "let a = [1, 2, 3]; let b = a.retain(|x| { let s = \"a\"; for i in 0..25 { s += s; } true }); []".into(),
            "字符串长度超过上限",
        ),
        (
            "in-all",
            "let a = [1, 2, 3]; let b = a.all(|x| { loop { } }); []".into(),
            "运算次数上限",
        ),
        (
            "in-reduce",
            "let a = [1, 2, 3]; let b = a.reduce(|s, x| { let t = []; for i in 0..20000 { t.push(i); } s }, 0); []".into(),
            "数组长度超过上限",
        ),
        (
            "sort-slow",
            "let a = []; for i in 0..9000 { a.push(9000 - i); } a.sort(|x, y| { let n = 0; for j in 0..1000 { n += 1; } x - y }); []".into(),
            "运行时间超过上限",
        ),
    ];
    let rules: Vec<(&str, &str)> = cases.iter().map(|(id, b, _)| (*id, b.as_str())).collect();
    let (m, errors) = rules_errors("built-ins", &rules);
    assert!(!m.stderr.contains("panicked"), "{}", m.stderr);
    for (id, _, expected) in &cases {
        let said: Vec<&String> = errors
            .iter()
            .filter(|(file, _)| file.ends_with(&format!("{id}.rhai")))
            .map(|(_, m)| m)
            .collect();
        assert_eq!(said.len(), 1, "{id}: {errors:?}");
        assert!(said[0].contains(expected), "{id}: {}", said[0]);
        assert!(!said[0].contains("Script terminated"), "{id}: {}", said[0]);
    }
    assert!(m.peak_mb < 512, "peak {} MB", m.peak_mb);
}

#[test]
fn a_comparer_that_is_no_order_sorts_without_a_panic() {
    let (m, errors) = rules_errors(
        "comparer",
        &[
            (
                "no-order",
                "let a = []; for i in 0..300 { a.push(i); } a.sort(|x, y| if (x * 7 + y) % 3 == 0 { 1 } else { -1 }); if a.len() != 300 { throw \"lost items\"; } let b = a.order(); b.dedup(); if b.len() != 300 { throw \"dedup\"; } if !b.contains(299) || b.index_of(299) != 299 { throw \"index\"; } []",
            ),
            ("mixed", "let a = [1, \"x\"]; a.sort(); []"),
            (
                // Interpolation shows what it cannot print as its type
                // (Rhai's way): no error, and no deep recursion either.
                "deep-interpolate",
                "let a = []; for i in 0..800 { a = [a]; } let t = `${a}`; []",
            ),
        ],
    );
    assert!(!m.stderr.contains("panicked"), "{}", m.stderr);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].0.ends_with("mixed.rhai"), "{errors:?}");
    assert!(errors[0].1.contains("类型不同"), "{errors:?}");
}

// ------------------------------------------------ large honest documents

/// A Word report whose indicator table has `rows` rows, every one a
/// target missed without a reason, so that rules report each row.
fn long_table_report(rows: usize) -> Vec<u8> {
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let mut body = p("某县教育局2024年度部门整体支出绩效自评报告");
    body.push_str(&p("一、部门基本情况"));
    body.push_str(&p(
        "2024年度，本部门年初预算数为1800.00万元，全年执行数为1700.00万元，执行率为94.44%。",
    ));
    body.push_str(&p("二、绩效指标完成情况"));
    body.push_str("<w:tbl><w:tr>");
    for h in [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ] {
        body.push_str(&cell(h));
    }
    body.push_str("</w:tr>");
    for i in 0..rows {
        body.push_str("<w:tr>");
        for t in [
            "产出指标".to_string(),
            "数量指标".into(),
            format!("第{}所学校的设备配备率", i + 1),
            "≥100%".into(),
            "90%".into(),
            "1".into(),
            "1".into(),
            String::new(),
        ] {
            body.push_str(&cell(&t));
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    docx_body(&body)
}

/// 5,000 rows with its header row: as long as a table is read.
#[test]
fn a_five_thousand_row_word_table_is_checked_by_every_default_rule() {
    let (_, out) = checked_folder("long-table", &[("长表.docx", &long_table_report(4_999))]);
    let report = report_of(&out, "长表.docx");
    assert_eq!(
        report["errors"],
        serde_json::json!([]),
        "no rule may fail on its limits"
    );
    let fired = |rule: &str| {
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == rule)
            .count()
    };
    assert_eq!(fired("deviation-explained"), 4_999);
}

// ------------------------------------------------ settings and baselines

#[test]
fn a_today_that_is_no_date_and_a_baseline_of_the_wrong_shape_are_errors() {
    let dir = temp_dir("settings");
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/jingdezhen-education-2021.toml");
    let seed = seed.to_str().unwrap();
    for bad in ["2025-02-30", "tomorrow", "2025/03/31"] {
        let out = common::bin()
            .args(["check", seed])
            .env("JIXIAO_TODAY", bad)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("JIXIAO_TODAY"),
            "{bad}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // `diagnostics` of another type than jixiao writes: an error at its
    // place, not a baseline that silently matches nothing.
    let base = dir.join("上次.json");
    std::fs::write(
        &base,
        r#"{"version": 1, "reports": [{"department": "景德镇市教育局", "year": 2021, "kind": "department", "diagnostics": "无"}]}"#,
    )
    .unwrap();
    let out = common::bin()
        .args(["check", seed, "--baseline"])
        .arg(&base)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("不是 jixiao 的") && said.contains("expected a sequence"),
        "{said}"
    );
}
