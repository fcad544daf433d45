//! The workbench's API and its guard, through the real binary on a free
//! loopback port with a fresh ledger: uploads give the findings `check`
//! gives; decisions (and their 422s) survive a restart and carry over to
//! the second round, which shows what was fixed; every export; the token,
//! the session and CSRF rules; the upload limits (413) and file names that
//! never become paths; a killed server's ledger; one server per ledger.

mod common;
use common::server::{Client, Reply, Server, multipart};
use common::temp_dir;

use std::path::Path;

use jixiao::serve::pages::overview::encode;

const ROUND_ONE: &str = "tests/data/import/corpus/w13-many-faults.docx";
const ROUND_TWO: &str = "tests/data/import/corpus/w15-round-two.docx";
const WORKBOOK: &str = "tests/data/import/corpus/x07-faults.xlsx";

fn read(path: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn name(path: &str) -> &str {
    path.rsplit('/').next().unwrap()
}

fn upload(c: &Client, s: &Server, paths: &[&str], headers: &[(&str, &str)]) -> Reply {
    let bytes: Vec<Vec<u8>> = paths.iter().map(|p| read(p)).collect();
    let files: Vec<(&str, &[u8])> = paths
        .iter()
        .zip(&bytes)
        .map(|(p, b)| (name(p), b.as_slice()))
        .collect();
    let (ct, body) = multipart(&files, &[("by", "张三")]);
    c.post(&format!("{}/api/submissions", s.url), &ct, &body, headers)
}

/// What `check --format json` says of a file: each finding's rule,
/// message and data paths.
fn checked(path: &str) -> Vec<(String, String, Vec<String>)> {
    let out = common::jixiao()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", path, "--format", "json", "--no-cache"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    said(&v["reports"][0])
}

fn said(report: &serde_json::Value) -> Vec<(String, String, Vec<String>)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
                d["labels"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["path"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn decide(c: &Client, s: &Server, finding: &str, body: serde_json::Value) -> Reply {
    c.post(
        &format!("{}/api/findings/{finding}/decision", s.url),
        "application/json",
        body.to_string().as_bytes(),
        &[],
    )
}

#[test]
fn uploads_decisions_restarts_and_the_second_round() {
    let dir = temp_dir("serve-rounds");
    let ledger = dir.join("台账.sqlite");
    let c = Client::new();
    let mut s = Server::start(&ledger, &[]);
    let up = upload(&c, &s, &[ROUND_ONE, WORKBOOK], &[]);
    assert_eq!(up.status, 201, "{}", up.text());
    let given = up.json();
    let subs = given["submissions"].as_array().unwrap();
    assert_eq!(subs.len(), 2);
    for sub in subs {
        for key in ["id", "name", "status", "round"] {
            assert!(!sub[key].is_null(), "{key} in {sub}");
        }
        assert_eq!(sub["round"], 1);
        assert_eq!(sub["uploader"], "张三");
    }
    let first = subs[0]["id"].as_i64().unwrap();
    let list = c.get(&format!("{}/api/submissions", s.url), &[]).json();
    assert_eq!(list["submissions"].as_array().unwrap().len(), 2);

    // The same findings as check, in the shape of its JSON reports.
    for (sub, path) in subs.iter().zip([ROUND_ONE, WORKBOOK]) {
        let r = c
            .get(&format!("{}/api/submissions/{}", s.url, sub["id"]), &[])
            .json();
        assert_eq!(said(&r), checked(path), "{path}");
        assert_eq!(r["status"], "fail");
        for d in r["diagnostics"].as_array().unwrap() {
            assert!(d["id"].is_string() && d["decision"].is_null(), "{d}");
        }
    }
    let report = c
        .get(&format!("{}/api/submissions/{first}", s.url), &[])
        .json();
    let ids: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    let rule_of = |i: usize| {
        report["diagnostics"][i]["rule"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let persisting = (0..ids.len())
        .find(|&i| rule_of(i) == "problem-has-measure")
        .unwrap();
    let fixed = (0..ids.len())
        .find(|&i| rule_of(i) == "weights-sum")
        .unwrap();

    // 422 for a waiver without a reason or an approver, a false positive
    // without a note, an unknown decision; 404 for an unknown finding.
    for body in [
        serde_json::json!({"decision": "waived", "by": "李四"}),
        serde_json::json!({"decision": "waived", "reason": "已报批"}),
        serde_json::json!({"decision": "false-positive", "by": "李四"}),
        serde_json::json!({"decision": "maybe"}),
    ] {
        assert_eq!(decide(&c, &s, &ids[persisting], body).status, 422);
    }
    assert_eq!(
        decide(
            &c,
            &s,
            "1-000000000000",
            serde_json::json!({"decision": "confirmed"})
        )
        .status,
        404
    );
    let waived = decide(
        &c,
        &s,
        &ids[persisting],
        serde_json::json!({"decision": "waived", "reason": "措施已在年度计划中安排", "by": "李四"}),
    );
    assert_eq!(waived.status, 200, "{}", waived.text());
    assert_eq!(
        decide(
            &c,
            &s,
            &ids[fixed],
            serde_json::json!({"decision": "confirmed", "by": "王五"})
        )
        .status,
        200
    );

    // A 豁免 is a waiver everywhere: in the report, as check shows one, and
    // in the list's counts, which leave it out.
    let listed = c.get(&format!("{}/api/submissions", s.url), &[]).json();
    let entry = &listed["submissions"][0];
    assert_eq!(entry["errors"], subs[0]["errors"].as_i64().unwrap() - 1);
    assert_eq!(entry["undecided"], ids.len() - 2);
    let now = c
        .get(&format!("{}/api/submissions/{first}", s.url), &[])
        .json();
    assert_eq!(
        now["diagnostics"][persisting]["waived"]["approved_by"],
        "李四"
    );

    // Restarted on the same ledger, everything is there.
    s.kill();
    let s = Server::start(&ledger, &[]);
    let again = c
        .get(&format!("{}/api/submissions/{first}", s.url), &[])
        .json();
    assert_eq!(said(&again), said(&report));
    assert_eq!(again["diagnostics"][persisting]["decision"], "waived");
    assert_eq!(again["diagnostics"][persisting]["decided_by"], "李四");
    assert_eq!(again["diagnostics"][fixed]["decision"], "confirmed");

    // The corrected report: round 2, compared with round 1.
    let up = upload(&c, &s, &[ROUND_TWO], &[]);
    assert_eq!(up.status, 201, "{}", up.text());
    let second = &up.json()["submissions"][0];
    assert_eq!(second["round"], 2);
    assert_eq!(second["previous"], first);
    let r2 = c
        .get(&format!("{}/api/submissions/{}", s.url, second["id"]), &[])
        .json();
    let diags = r2["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{r2}");
    assert_eq!(diags[0]["rule"], "problem-has-measure");
    assert_eq!(diags[0]["baseline"], "persisting");
    assert_eq!(diags[0]["decision"], "waived", "the decision carries over");
    assert_eq!(diags[0]["carried_from"], ids[persisting].as_str());
    let fixed_rules: Vec<&str> = r2["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        fixed_rules.contains(&"weights-sum") && fixed_rules.len() == 8,
        "{fixed_rules:?}"
    );
    // The first round is kept, marked superseded; the same file again is
    // not a third round.
    let list = c.get(&format!("{}/api/submissions", s.url), &[]).json();
    assert_eq!(list["submissions"].as_array().unwrap().len(), 3);
    let dup = upload(&c, &s, &[ROUND_TWO], &[]).json();
    assert_eq!(dup["submissions"][0]["duplicate"], true);
    assert_eq!(dup["submissions"][0]["round"], 2);
}

#[test]
fn every_export_and_the_pages() {
    let dir = temp_dir("serve-export");
    let c = Client::new();
    let s = Server::start(&dir.join("t.sqlite"), &[]);
    assert_eq!(upload(&c, &s, &[ROUND_ONE, WORKBOOK], &[]).status, 201);
    let html = c.get(&format!("{}/api/export/html", s.url), &[]);
    assert_eq!(html.status, 200);
    assert!(html.content_type.starts_with("text/html"));
    assert!(html.text().contains("乐平市农业农村局") && html.text().contains("浮梁县交通运输局"));
    let md = c.get(&format!("{}/api/export/md", s.url), &[]);
    assert!(md.text().starts_with("<!-- generator: jixiao -->"));
    let json = c.get(&format!("{}/api/export/json", s.url), &[]).json();
    assert_eq!(json["reports"].as_array().unwrap().len(), 2);
    let xlsx = c.get(&format!("{}/api/export/xlsx", s.url), &[]);
    assert!(xlsx.body.starts_with(b"PK"));
    let zip = c.get(&format!("{}/api/export/notices", s.url), &[]);
    assert_eq!(zip.content_type, "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body)).unwrap();
    let names: Vec<String> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.ends_with("-整改通知.docx")));
    let mut doc = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_index(0).unwrap(), &mut doc).unwrap();
    assert!(doc.starts_with(b"PK"));
    // A filter keeps one report.
    let one = c
        .get(
            &format!("{}/api/export/json?q=%E4%B9%90%E5%B9%B3", s.url),
            &[],
        )
        .json();
    assert_eq!(one["reports"].as_array().unwrap().len(), 1);
    assert_eq!(c.get(&format!("{}/api/export/pdf", s.url), &[]).status, 404);
    for page in ["/", "/s/1", "/rules", "/rules/weights-sum", "/export"] {
        let r = c.get(&format!("{}{page}", s.url), &[]);
        assert_eq!(r.status, 200, "{page}");
        assert!(r.content_type.starts_with("text/html"));
        assert!(r.text().contains("jixiao 审核台"), "{page}");
    }
    assert_eq!(c.get(&format!("{}/s/99", s.url), &[]).status, 404);
    assert_eq!(
        c.get(&format!("{}/api/submissions/99", s.url), &[]).status,
        404
    );
}

/// A session of a browser: its cookie and CSRF token, from a page.
fn session(c: &Client, s: &Server, headers: &[(&str, &str)]) -> (String, String) {
    let page = c.get(&format!("{}/", s.url), headers);
    assert_eq!(page.status, 200, "{}", page.text());
    let cookie = page
        .set_cookie
        .iter()
        .find(|c| c.starts_with("jixiao_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .or_else(|| {
            headers
                .iter()
                .find(|(k, _)| *k == "cookie")
                .map(|(_, v)| v.to_string())
        })
        .unwrap();
    let text = page.text();
    let at = text.find("name=\"csrf\" content=\"").unwrap() + "name=\"csrf\" content=\"".len();
    let csrf = text[at..at + 32].to_string();
    (cookie, csrf)
}

#[test]
fn a_token_is_required_off_loopback_and_forms_need_their_csrf_token() {
    let dir = temp_dir("serve-guard");
    // Another address without a token: refused at once.
    let refused = common::jixiao()
        .args(["serve", "--listen", "0.0.0.0:0", "--ledger"])
        .arg(dir.join("open.sqlite"))
        .env_remove("JIXIAO_TOKEN")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("必须设定口令"));
    // A token too short to hold, an address that is none: refused too,
    // before any ledger is made.
    for (args, said) in [
        (
            ["--listen", "0.0.0.0:0", "--token", "short"],
            "至少 8 个字符",
        ),
        (
            ["--listen", "本机", "--token", "correct-horse-battery"],
            "应写成 IP:端口",
        ),
    ] {
        let out = common::jixiao()
            .arg("serve")
            .args(args)
            .arg("--ledger")
            .arg(dir.join("open.sqlite"))
            .env_remove("JIXIAO_TOKEN")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{args:?}: {err}");
    }
    assert!(!dir.join("open.sqlite").exists());

    let c = Client::new();
    let s = Server::start(&dir.join("t.sqlite"), &["--token", "correct-horse-battery"]);
    assert_eq!(
        c.get(&format!("{}/api/submissions", s.url), &[]).status,
        401
    );
    assert_eq!(
        c.get(
            &format!("{}/api/submissions", s.url),
            &[("authorization", "Bearer wrong-token")]
        )
        .status,
        401
    );
    let bearer = [("authorization", "Bearer correct-horse-battery")];
    assert_eq!(
        c.get(&format!("{}/api/submissions", s.url), &bearer).status,
        200
    );
    assert_eq!(upload(&c, &s, &[ROUND_ONE], &[]).status, 401);
    assert_eq!(upload(&c, &s, &[ROUND_ONE], &bearer).status, 201);
    // A page without a session is 401 with the login form; a wrong token
    // is refused; the right one gives an HttpOnly, SameSite=Strict session.
    let page = c.get(&format!("{}/", s.url), &[]);
    assert_eq!(page.status, 401);
    assert!(page.text().contains("name=\"token\""));
    assert_eq!(c.get(&format!("{}/s/1", s.url), &[]).status, 401);
    let wrong = c.post(
        &format!("{}/login", s.url),
        "application/x-www-form-urlencoded",
        b"token=nope",
        &[],
    );
    assert_eq!(wrong.status, 401);
    let login = c.post(
        &format!("{}/login", s.url),
        "application/x-www-form-urlencoded",
        b"token=correct-horse-battery",
        &[],
    );
    assert_eq!(login.status, 303);
    let set = login.set_cookie.join(";");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = login.set_cookie[0].split(';').next().unwrap().to_string();
    let (cookie, csrf) = session(&c, &s, &[("cookie", &cookie)]);
    let decide_form = |csrf: Option<&str>, origin: Option<&str>| {
        let report = c
            .get(&format!("{}/api/submissions/1", s.url), &bearer)
            .json();
        let finding = report["diagnostics"][0]["id"].as_str().unwrap().to_string();
        let url = match csrf {
            Some(t) => format!("{}/s/1/decide?csrf={t}", s.url),
            None => format!("{}/s/1/decide", s.url),
        };
        let mut headers = vec![("cookie", cookie.as_str())];
        if let Some(o) = origin {
            headers.push(("origin", o));
        }
        c.post(
            &url,
            "application/x-www-form-urlencoded",
            format!("finding={finding}&decision=confirmed&reason=&by=x").as_bytes(),
            &headers,
        )
        .status
    };
    assert_eq!(decide_form(None, None), 403, "no CSRF token");
    assert_eq!(
        decide_form(Some("0123456789abcdef0123456789abcdef"), None),
        403,
        "a forged one"
    );
    assert_eq!(
        decide_form(Some(&csrf), Some("http://evil.example")),
        403,
        "another site"
    );
    assert_eq!(decide_form(Some(&csrf), None), 303, "the page's own form");
}

#[test]
fn without_a_token_only_this_machine_and_no_other_site_may_use_it() {
    let dir = temp_dir("serve-local");
    let c = Client::new();
    let s = Server::start(&dir.join("t.sqlite"), &[]);
    // A name that is not this machine (DNS rebinding) is refused.
    assert_eq!(
        c.get(
            &format!("{}/api/submissions", s.url),
            &[("host", "attacker.example")]
        )
        .status,
        403
    );
    // A page of another site posting in the reviewer's browser is refused.
    let from_page = upload(&c, &s, &[ROUND_ONE], &[("origin", "http://evil.example")]);
    assert_eq!(from_page.status, 403);
    // The browser's own session posts with its token.
    let (cookie, csrf) = session(&c, &s, &[]);
    let with_cookie = upload(&c, &s, &[ROUND_ONE], &[("cookie", &cookie)]);
    assert_eq!(with_cookie.status, 403, "a cookie without the token");
    let ok = upload(
        &c,
        &s,
        &[ROUND_ONE],
        &[("cookie", &cookie), ("x-csrf-token", &csrf)],
    );
    assert_eq!(ok.status, 201, "{}", ok.text());
}

#[test]
fn uploads_are_bounded_and_names_never_become_paths() {
    let dir = temp_dir("serve-limits");
    let ledger_dir = dir.join("ledger");
    std::fs::create_dir_all(&ledger_dir).unwrap();
    let c = Client::new();
    let s = Server::start(&ledger_dir.join("t.sqlite"), &[]);
    let big = vec![b'x'; 33 * 1024 * 1024];
    let (ct, body) = multipart(&[("big.docx", &big)], &[]);
    let r = c.post(&format!("{}/api/submissions", s.url), &ct, &body, &[]);
    assert_eq!(r.status, 413, "{}", r.text());
    let small = read(ROUND_ONE);
    let many: Vec<(String, &[u8])> = (0..201)
        .map(|i| (format!("{i}.docx"), small.as_slice()))
        .collect();
    let many: Vec<(&str, &[u8])> = many.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let (ct, body) = multipart(&many, &[]);
    assert_eq!(
        c.post(&format!("{}/api/submissions", s.url), &ct, &body, &[])
            .status,
        413
    );

    let before = listing(&dir);
    let (ct, body) = multipart(&[("../../x.docx", &small)], &[]);
    let r = c.post(&format!("{}/api/submissions", s.url), &ct, &body, &[]);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["submissions"][0]["name"], "x.docx");
    let after = listing(&dir);
    let outside: Vec<&String> = after
        .iter()
        .filter(|p| !before.contains(p) && !p.starts_with("ledger/t.sqlite"))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
    assert!(!dir.parent().unwrap().join("x.docx").exists());
}

fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
        }
    }
    out.sort();
    out
}

#[test]
fn a_killed_server_loses_nothing_committed_and_one_ledger_has_one_server() {
    let dir = temp_dir("serve-kill");
    let ledger = dir.join("t.sqlite");
    let c = Client::new();
    let mut s = Server::start(&ledger, &[]);
    assert_eq!(upload(&c, &s, &[ROUND_ONE], &[]).status, 201);
    // A second server on the same ledger refuses to start.
    let second = common::jixiao()
        .args(["serve", "--listen", "127.0.0.1:0", "--ledger"])
        .arg(&ledger)
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&second.stderr).contains("正被另一个 jixiao serve 使用"));
    // Killed in the middle of a large upload.
    let url = s.url.clone();
    let uploading = std::thread::spawn(move || {
        let bytes: Vec<Vec<u8>> = (0..150).map(|_| read(ROUND_TWO)).collect();
        let files: Vec<(String, &[u8])> = bytes
            .iter()
            .enumerate()
            .map(|(i, b)| (format!("{i}.docx"), b.as_slice()))
            .collect();
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        let (ct, body) = multipart(&files, &[]);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let _ = agent
            .post(&format!("{url}/api/submissions"))
            .header("content-type", &ct)
            .send(&body[..]);
    });
    std::thread::sleep(std::time::Duration::from_millis(400));
    s.kill();
    let _ = uploading.join();
    // The ledger opens, whole, with what was committed.
    let s = Server::start(&ledger, &[]);
    let list = c.get(&format!("{}/api/submissions", s.url), &[]).json();
    let subs = list["submissions"].as_array().unwrap();
    assert!(!subs.is_empty());
    assert_eq!(subs[0]["name"], "w13-many-faults.docx");
    for sub in subs {
        let r = c.get(&format!("{}/api/submissions/{}", s.url, sub["id"]), &[]);
        assert_eq!(r.status, 200, "every recorded submission has its run");
    }
}

#[test]
fn parameters_and_rules_change_what_is_found_and_read_only_forbids_it() {
    let dir = temp_dir("serve-rules");
    let c = Client::new();
    let s = Server::start(&dir.join("t.sqlite"), &[]);
    assert_eq!(upload(&c, &s, &[ROUND_ONE], &[]).status, 201);
    let rules_of = |s: &Server| -> Vec<String> {
        c.get(&format!("{}/api/submissions/1", s.url), &[]).json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let floor = "output-effect-weight-floor".to_string();
    assert!(rules_of(&s).contains(&floor));
    let (cookie, csrf) = session(&c, &s, &[]);
    let form = |path: &str, body: &str| {
        c.post(
            &format!("{}{path}?csrf={csrf}", s.url),
            "application/x-www-form-urlencoded",
            body.as_bytes(),
            &[("cookie", &cookie)],
        )
    };
    // A value of the wrong kind is refused with the reason.
    let bad = form(
        "/rules/output-effect-weight-floor/param",
        "name=min_share&value=%E4%B8%80%E5%8D%8A&by=x",
    );
    assert_eq!(bad.status, 422, "{}", bad.text());
    let ok = form(
        "/rules/output-effect-weight-floor/param",
        "name=min_share&value=50%25&by=x",
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert!(ok.text().contains("参数已保存"));
    assert!(
        !rules_of(&s).contains(&floor),
        "57.89% is above a floor of 50%"
    );
    // A broken script is previewed as broken and cannot be saved.
    let script =
        String::from_utf8(read("rules/year-consistent.rhai")).unwrap() + "\nlet x = 1 +;\n";
    let broken = form(
        "/rules/year-consistent/save",
        &format!("script={}&by=x", encode(&script)),
    );
    assert_eq!(broken.status, 422);
    assert!(
        broken.text().contains("不能保存") && broken.text().contains("语法错误"),
        "{}",
        broken.text()
    );
    let rules = c.get(&format!("{}/api/rules", s.url), &[]).json();
    let p = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "output-effect-weight-floor")
        .unwrap();
    let min = p["params"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "min_share")
        .unwrap();
    assert_eq!(min["value"], "\"50%\"");
    drop(s);

    let ro = Server::start(&dir.join("ro.sqlite"), &["--read-only-rules"]);
    let (cookie, csrf) = session(&c, &ro, &[]);
    let r = c.post(
        &format!("{}/rules/weights-sum/param?csrf={csrf}", ro.url),
        "application/x-www-form-urlencoded",
        b"name=expected_total&value=95",
        &[("cookie", &cookie)],
    );
    assert_eq!(r.status, 403);
}

// ------------------------------------------------ hostile clients

#[test]
fn rebinding_names_links_to_the_ledger_and_padded_tokens_are_handled() {
    let dir = temp_dir("serve-edges");
    let ledger = dir.join("t.sqlite");
    let c = Client::new();
    let s = Server::start(&ledger, &[]);
    let port = s.url.rsplit(':').next().unwrap().to_string();
    // DNS rebinding: a name that only starts like a loopback address.
    for host in [
        "127.0.0.1.rebind.example",
        "127.evil",
        "localhost.evil.example",
    ] {
        let r = c.get(
            &format!("{}/", s.url),
            &[("host", &format!("{host}:{port}"))],
        );
        assert_eq!(r.status, 403, "{host}");
        assert!(r.set_cookie.is_empty(), "{host}: no session for it");
    }
    for host in ["127.0.0.1", "127.8.9.10", "localhost"] {
        let r = c.get(
            &format!("{}/", s.url),
            &[("host", &format!("{host}:{port}"))],
        );
        assert_eq!(r.status, 200, "{host}");
    }
    // The ledger opened by another name is the same ledger.
    #[cfg(unix)]
    {
        let sym = dir.join("链接.sqlite");
        std::os::unix::fs::symlink(&ledger, &sym).unwrap();
        let hard = dir.join("硬链接.sqlite");
        std::fs::hard_link(&ledger, &hard).unwrap();
        for other in [&sym, &hard] {
            let second = common::jixiao()
                .args(["serve", "--listen", "127.0.0.1:0", "--ledger"])
                .arg(other)
                .timeout(std::time::Duration::from_secs(30))
                .output()
                .unwrap();
            assert_eq!(second.status.code(), Some(2), "{}", other.display());
            assert!(
                String::from_utf8_lossy(&second.stderr).contains("正被另一个 jixiao serve 使用"),
                "{}",
                String::from_utf8_lossy(&second.stderr)
            );
        }
    }
    drop(s);
    // A token given with white space around it is the token without it.
    let t = Server::start(&dir.join("t2.sqlite"), &["--token", "  s3cret-token \n"]);
    let r = c.get(
        &format!("{}/api/submissions", t.url),
        &[("authorization", "Bearer s3cret-token")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = c.get(&format!("{}/api/submissions", t.url), &[]);
    assert_eq!(r.status, 401);
}

#[test]
fn half_open_connections_do_not_keep_others_from_being_answered() {
    use std::io::{Read, Write};
    let dir = temp_dir("serve-slow");
    let s = Server::start(&dir.join("t.sqlite"), &[]);
    let addr: std::net::SocketAddr = s.url.trim_start_matches("http://").parse().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // 300 connections from another loopback address, each with half a
    // request's headers, held open.
    let held: Vec<tokio::net::TcpStream> = rt.block_on(async {
        let mut held = Vec::new();
        for _ in 0..300 {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
            if let Ok(mut stream) = socket.connect(addr).await {
                use tokio::io::AsyncWriteExt;
                let _ = stream
                    .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                    .await;
                held.push(stream);
            }
        }
        held
    });
    assert!(!held.is_empty());
    // Another client is answered meanwhile.
    let c = Client::new();
    for _ in 0..5 {
        let r = c.get(&format!("{}/api/submissions", s.url), &[]);
        assert_eq!(r.status, 200);
    }
    // An idle connection is closed by the server, not kept for ever.
    let mut idle = std::net::TcpStream::connect(addr).unwrap();
    idle.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 16];
    let n = idle.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "closed without an answer");
    assert!(started.elapsed() < std::time::Duration::from_secs(40));
    let _ = idle.write_all(b"x");
    drop(held);
}

#[test]
fn a_rule_that_fails_on_an_earlier_round_is_not_saved_and_a_broken_saved_rule_does_not_stop_the_start()
 {
    let dir = temp_dir("serve-broken-pack");
    let ledger = dir.join("t.sqlite");
    let c = Client::new();
    let s = Server::start(&ledger, &[]);
    assert_eq!(upload(&c, &s, &[ROUND_ONE], &[]).status, 201);
    assert_eq!(upload(&c, &s, &[ROUND_TWO], &[]).status, 201);
    let (cookie, csrf) = session(&c, &s, &[]);
    let form = |s: &Server, csrf: &str, cookie: &str, path: &str, body: &str| {
        c.post(
            &format!("{}{path}?csrf={csrf}", s.url),
            "application/x-www-form-urlencoded",
            body.as_bytes(),
            &[("cookie", cookie)],
        )
    };
    // Fails on round one only (its 过程 score is 26, round two's 24): the
    // save checks every round, so the preview does too.
    let original = String::from_utf8(read("rules/year-consistent.rhai")).unwrap();
    let (header, body): (Vec<&str>, Vec<&str>) =
        original.lines().partition(|l| l.starts_with("//!"));
    let script = format!(
        "{}\nif report.summary.len() > 1 && report.summary[1].score == 26 {{ throw \"第一轮\"; }}\n{}\n",
        header.join("\n"),
        body.join("\n")
    );
    let refused = form(
        &s,
        &csrf,
        &cookie,
        "/rules/year-consistent/save",
        &format!("script={}&by=x", encode(&script)),
    );
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert!(
        refused.text().contains("不能保存") && refused.text().contains("第一轮"),
        "{}",
        refused.text()
    );
    drop(s);
    // A script saved by another version that this one cannot compile.
    let conn = rusqlite::Connection::open(&ledger).unwrap();
    conn.execute(
        "INSERT INTO rule_changes (rule, kind, name, value, by, at) VALUES ('year-consistent', 'script', NULL, 'let x = 1 +;', '张三', '2026-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
    drop(conn);
    let s = Server::start(&ledger, &[]);
    let list = c.get(&format!("{}/api/submissions", s.url), &[]);
    assert_eq!(list.status, 200);
    let rules = c.get(&format!("{}/rules", s.url), &[]).text();
    assert!(rules.contains("在台账中的修改无法使用"), "{rules}");
    let page = c
        .get(&format!("{}/rules/year-consistent", s.url), &[])
        .text();
    assert!(page.contains("恢复为原规则"), "{page}");
    let (cookie, csrf) = session(&c, &s, &[]);
    let reverted = form(
        &s,
        &csrf,
        &cookie,
        "/rules/year-consistent/revert",
        "by=李四",
    );
    assert_eq!(reverted.status, 200, "{}", reverted.text());
    assert!(reverted.text().contains("已恢复为原规则"));
    drop(s);
    // Reverted for good: the next start has nothing to leave out.
    let s = Server::start(&ledger, &[]);
    let page = c
        .get(&format!("{}/rules/year-consistent", s.url), &[])
        .text();
    assert!(!page.contains("无法使用"), "{page}");
}

#[test]
fn two_projects_of_one_department_are_two_reports_never_rounds_of_each_other() {
    let dir = temp_dir("serve-two-projects");
    let report = |project: &str| {
        format!(
            "攸县教育局2024年度{project}项目支出绩效自评报告\n一、项目基本情况\n本项目由攸县教育局组织实施。\n二、项目资金使用情况\n2024年度，项目年初预算数为500.00万元，全年执行数为490.00万元，执行率为98.00%。\n三、项目绩效目标完成情况\n自评得分95分，绩效评级为“优”。\n"
        )
    };
    let (a, b) = (report("学生资助补助资金"), report("校园安全建设资金"));
    let c = Client::new();
    let s = Server::start(&dir.join("t.sqlite"), &[]);
    for (name, text) in [("学生资助.txt", &a), ("校园安全.txt", &b)] {
        let (ct, body) = multipart(&[(name, text.as_bytes())], &[]);
        let r = c.post(&format!("{}/api/submissions", s.url), &ct, &body, &[]);
        assert_eq!(r.status, 201, "{}", r.text());
        let sub = &r.json()["submissions"][0];
        assert_eq!(sub["round"], 1, "{name}: {sub}");
        assert!(sub["previous"].is_null(), "{name}: {sub}");
    }
    let list = c.get(&format!("{}/api/submissions", s.url), &[]).json();
    let projects: Vec<&str> = list["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["project"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(projects.len(), 2);
    assert!(projects.contains(&"学生资助补助资金") && projects.contains(&"校园安全建设资金"));
    // `--baseline`: the other project's run is no earlier round of it.
    std::fs::write(dir.join("学生资助.txt"), &a).unwrap();
    std::fs::write(dir.join("校园安全.txt"), &b).unwrap();
    let first = common::jixiao()
        .current_dir(&dir)
        .args(["check", "学生资助.txt", "--format", "json", "--no-cache"])
        .output()
        .unwrap();
    std::fs::write(dir.join("上次.json"), &first.stdout).unwrap();
    let second = common::jixiao()
        .current_dir(&dir)
        .args([
            "check",
            "校园安全.txt",
            "--format",
            "json",
            "--no-cache",
            "--baseline",
            "上次.json",
        ])
        .output()
        .unwrap();
    let out: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    let r = &out["reports"][0];
    assert_eq!(r["fixed"].as_array().map_or(0, Vec::len), 0, "{r}");
    for d in r["diagnostics"].as_array().unwrap() {
        assert_eq!(d["baseline"], "new", "{d}");
    }
}
