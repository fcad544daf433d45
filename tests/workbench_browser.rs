//! The workbench in a real browser: Debian's Chromium driven through
//! ChromeDriver (WebDriver, with fantoccini) against `jixiao serve` on a
//! free loopback port with a fresh ledger — upload two documents through
//! the page, open a report, record a decision, change a parameter and
//! preview a rule edit, restart the server and find it all still there.
//! A screenshot of every page is kept in `target/workbench-screens/`.
//! Needs `chromium` and `chromium-driver`, which `.ci/run` installs.

mod common;
use common::server::Server;
use common::temp_dir;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Clicks what was found.
async fn press(found: Result<Element, CmdError>) {
    found.unwrap().click().await.unwrap();
}

/// Types into what was found.
async fn fill(found: Result<Element, CmdError>, text: &str) {
    found.unwrap().send_keys(text).await.unwrap();
}

/// ChromeDriver on a free port, and a headless Chromium session on it.
async fn browser(profile: &Path) -> (Driver, Client) {
    let port = free_port();
    let driver =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is needed (apt-get install chromium-driver)");
    let driver = Driver(driver);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1300,1600",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
    (driver, client)
}

fn screens() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/workbench-screens");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    std::fs::write(screens().join(format!("{name}.png")), png).unwrap();
}

async fn body_text(c: &Client) -> String {
    c.find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_works_through_the_workbench_in_a_browser() {
    let dir = temp_dir("browser");
    let ledger = dir.join("台账.sqlite");
    let mut server = Server::start(&ledger, &[]);
    let (_driver, c) = browser(&dir.join("profile")).await;

    c.goto(&format!("{}/", server.url)).await.unwrap();
    assert!(body_text(&c).await.contains("批次总览"));
    shot(&c, "1-overview-empty").await;

    // Upload two documents through the page's form.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = [
        root.join("tests/data/import/corpus/w13-many-faults.docx"),
        root.join("tests/data/import/corpus/x07-faults.xlsx"),
    ];
    let input = c.find(Locator::Css("input[type=file]")).await.unwrap();
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    input.send_keys(&paths.join("\n")).await.unwrap();
    fill(c.find(Locator::Id("uploader")).await, "张三").await;
    press(c.find(Locator::Css("#drop button[type=submit]")).await).await;
    if c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("table#submissions"))
        .await
        .is_err()
    {
        panic!("no table after the upload: {}", body_text(&c).await);
    }
    let overview = body_text(&c).await;
    assert!(
        overview.contains("乐平市农业农村局") && overview.contains("浮梁县交通运输局"),
        "{overview}"
    );
    let rows = c
        .find_all(Locator::Css("table#submissions tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    shot(&c, "2-overview").await;

    // The report page: the department, the document and its findings.
    press(
        c.find(Locator::LinkText(
            "乐平市农业农村局2022年度部门整体支出绩效自评报告",
        ))
        .await,
    )
    .await;
    c.wait()
        .for_element(Locator::Css(".finding"))
        .await
        .unwrap();
    let page = body_text(&c).await;
    assert!(page.contains("单位：乐平市农业农村局"), "{page}");
    assert!(page.contains("权重合计为 95，应为 100"));
    assert!(c.find_all(Locator::Css(".doc mark")).await.unwrap().len() >= 10);
    shot(&c, "3-report").await;

    // A waiver, through the finding's form.
    let card = c
        .find(Locator::XPath(
            "//div[contains(@class,'finding')][.//p[contains(.,'权重合计为 95')]]",
        ))
        .await
        .unwrap();
    press(card.find(Locator::Css("summary")).await).await;
    let form = card
        .find(Locator::XPath(".//form[.//input[@value='waived']]"))
        .await
        .unwrap();
    fill(
        form.find(Locator::Css("input[name=reason]")).await,
        "效益指标按文件调减，已报批",
    )
    .await;
    fill(form.find(Locator::Css("input[name=by]")).await, "李四").await;
    press(form.find(Locator::Css("button")).await).await;
    c.wait()
        .for_element(Locator::Css(".decided"))
        .await
        .unwrap();
    let page = body_text(&c).await;
    assert!(page.contains("豁免：效益指标按文件调减，已报批"), "{page}");
    shot(&c, "4-decided").await;

    // A parameter changed, then a rule edit previewed.
    c.goto(&format!("{}/rules/output-effect-weight-floor", server.url))
        .await
        .unwrap();
    let form = c
        .find(Locator::XPath(
            "//form[.//input[@name='name' and @value='min_share']]",
        ))
        .await
        .unwrap();
    let value = form.find(Locator::Css("input[name=value]")).await.unwrap();
    value.clear().await.unwrap();
    value.send_keys("50%").await.unwrap();
    press(form.find(Locator::Css("button")).await).await;
    c.wait().for_element(Locator::Css(".notice")).await.unwrap();
    assert!(body_text(&c).await.contains("参数已保存"));
    shot(&c, "5-parameter").await;
    let editor = c.find(Locator::Css("textarea.script")).await.unwrap();
    editor
        .send_keys("\n// 审核科试改：加一行注释\n")
        .await
        .unwrap();
    press(
        c.find(Locator::XPath("//button[contains(.,'保存前预览')]"))
            .await,
    )
    .await;
    c.wait().for_element(Locator::Id("preview")).await.unwrap();
    let preview = body_text(&c).await;
    assert!(preview.contains("规则可以编译，夹具全部通过"), "{preview}");
    assert!(preview.contains("各报告的发现不变"), "{preview}");
    shot(&c, "6-rule-preview").await;
    c.goto(&format!("{}/rules", server.url)).await.unwrap();
    shot(&c, "7-rules").await;
    c.goto(&format!("{}/export", server.url)).await.unwrap();
    shot(&c, "8-export").await;

    // Restarted: the submissions, the decision and the parameter are kept.
    server.kill();
    let server = Server::start(&ledger, &[]);
    c.goto(&format!("{}/", server.url)).await.unwrap();
    c.wait()
        .for_element(Locator::Css("table#submissions"))
        .await
        .unwrap();
    assert_eq!(
        c.find_all(Locator::Css("table#submissions tbody tr"))
            .await
            .unwrap()
            .len(),
        2
    );
    c.goto(&format!("{}/s/1", server.url)).await.unwrap();
    let page = body_text(&c).await;
    assert!(page.contains("豁免：效益指标按文件调减，已报批"), "{page}");
    assert!(!page.contains("低于 60%"), "the parameter holds: {page}");
    shot(&c, "9-after-restart").await;
    c.close().await.unwrap();
}
