//! `jixiao serve`: the review workbench, a web application for reviewers
//! who do not use a terminal, over the review ledger (`crate::ledger`).
//! It drives the same `Review` as `check`: drop submissions in, read the
//! findings beside the document, decide on each, change a rule or a
//! parameter and see what it changes, take the meeting pack and the
//! 整改通知 away, and see in the second round what was fixed. It listens on
//! loopback unless told otherwise, and then only with a token.

mod api;
pub mod app;
pub mod auth;
pub mod bench;
mod conn;
pub mod export;
mod guard;
pub mod http;
mod pack;
pub mod pages;
pub mod rules;
mod site;
mod stored;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// The default address: this machine only.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8421";

/// The default ledger, in the working directory.
pub const DEFAULT_LEDGER: &str = "jixiao-审核台账.sqlite";

/// How the server is started.
#[derive(Debug, Clone)]
pub struct Options {
    pub ledger: PathBuf,
    pub listen: String,
    pub token: Option<String>,
    /// Names the server is reached by besides this machine's (`--host`).
    pub hosts: Vec<String>,
    pub open_browser: bool,
    pub bench: bench::Options,
}

/// Why the server did not start, in words for whoever started it.
#[derive(Debug)]
pub struct NotStarted(pub String);

/// Starts the server and serves until interrupted (Ctrl-C). Refuses to
/// listen on anything but loopback without a token.
pub fn run(options: Options) -> Result<(), NotStarted> {
    let addr: SocketAddr = options.listen.parse().map_err(|_| {
        NotStarted(format!(
            "--listen 的地址“{}”无效，应写成 IP:端口，如 {DEFAULT_LISTEN}",
            options.listen
        ))
    })?;
    // White space around a token (a copy from a file, a trailing newline)
    // is not part of it, as it is not of what clients present.
    let token = options
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from);
    let loopback = addr.ip().is_loopback();
    if !loopback && token.is_none() {
        return Err(NotStarted(format!(
            "审核台要在 {addr} 上供其他电脑访问，必须设定口令：加 --token 口令（或设环境变量 JIXIAO_TOKEN）；只在本机使用时不要加 --listen"
        )));
    }
    if let Some(t) = &token
        && t.len() < 8
    {
        return Err(NotStarted("口令（--token）至少 8 个字符".into()));
    }
    let bench =
        bench::Workbench::open(&options.ledger, options.bench.clone()).map_err(NotStarted)?;
    for (rule, why) in bench.broken() {
        eprintln!(
            "注意：台账中对规则 {rule} 的修改无法使用，暂按原规则检查（{why}）；可在审核台的“规则”页恢复为原规则。"
        );
    }
    let ledger_name = options.ledger.file_name().map_or_else(
        || options.ledger.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let app = Arc::new(app::App::new(
        bench,
        auth::Auth::new(token, loopback, options.hosts.clone()),
        ledger_name,
    ));
    // Rules run on the runtime's blocking threads and rayon's: each with
    // the stack rules need.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::engine::limits::STACK_BYTES)
        .build_global();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(crate::engine::limits::STACK_BYTES)
        .enable_all()
        .build()
        .map_err(|e| NotStarted(format!("无法启动服务：{e}")))?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| NotStarted(format!("无法在 {addr} 上监听：{e}")))?;
        let bound = listener
            .local_addr()
            .map_err(|e| NotStarted(format!("无法在 {addr} 上监听：{e}")))?;
        let url = format!("http://{bound}/");
        {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "jixiao 审核台已启动：{url}");
            let _ = writeln!(out, "台账：{}；按 Ctrl-C 停止。", options.ledger.display());
            let _ = out.flush();
        }
        if options.open_browser {
            open_browser(&url);
        }
        // Submissions last checked with another pack (another build, a
        // rule file edited on disk) are checked again, after the start.
        let rerun = app.clone();
        tokio::task::spawn_blocking(move || {
            if let Ok(n) = rerun.bench.rerun_all()
                && n > 0
            {
                println!("已用当前规则包重新检查 {n} 份报送。");
            }
        });
        conn::serve(listener, http::router(app), async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| NotStarted(format!("服务出错：{e}")))
    });
    // A check still running when the server is stopped does not keep the
    // process (and the ledger's lock): the process ends soon after.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    served
}

/// Opens `url` in the system's browser (errors are only said).
fn open_browser(url: &str) {
    let started = if cfg!(target_os = "windows") {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if started.is_err() {
        eprintln!("无法自动打开浏览器，请手动打开 {url}");
    }
}
