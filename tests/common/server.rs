//! A `jixiao serve` of the tests: the binary started on a free loopback
//! port (the OS picks it: `--listen 127.0.0.1:0`) with a ledger of its own,
//! its address read from what it prints, stopped when dropped; and an HTTP
//! client that builds multipart bodies and keeps cookies by hand.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    pub ledger: PathBuf,
}

impl Server {
    /// Starts a server on `ledger` with `args` besides.
    pub fn start(ledger: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
            .arg("serve")
            .arg("--ledger")
            .arg(ledger)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env("JIXIAO_CACHE_DIR", super::CACHE_DIR)
            .env("JIXIAO_CACHE_KEY", super::CACHE_KEY)
            .env_remove("JIXIAO_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("jixiao serve starts");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        let started = Instant::now();
        while !line.contains("http://") {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    use std::io::Read;
                    let _ = e.read_to_string(&mut err);
                }
                panic!("jixiao serve did not start: {err}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "start-up took too long"
            );
        }
        let url = line[line.find("http://").unwrap()..]
            .trim()
            .trim_end_matches('/')
            .to_string();
        // The rest of what it prints is not read: keep its pipe open.
        std::thread::spawn(move || for _ in reader.lines() {});
        Server {
            child,
            url,
            ledger: ledger.to_path_buf(),
        }
    }

    /// Kills the server at once (as a crash would).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A response: status, headers of interest and body.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: String,
    pub set_cookie: Vec<String>,
    pub location: Option<String>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// An HTTP client that reports every status (4xx and 5xx are answers
/// here, not errors) and follows no redirect.
pub struct Client {
    agent: ureq::Agent,
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    pub fn new() -> Client {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Client { agent }
    }

    fn reply(mut r: ureq::http::Response<ureq::Body>) -> Reply {
        let header = |name: &str| {
            r.headers()
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_string))
                .collect::<Vec<_>>()
        };
        let content_type = header("content-type")
            .into_iter()
            .next()
            .unwrap_or_default();
        let set_cookie = header("set-cookie");
        let location = header("location").into_iter().next();
        let status = r.status().as_u16();
        let body = r
            .body_mut()
            .with_config()
            .limit(512 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_default();
        Reply {
            status,
            body,
            content_type,
            set_cookie,
            location,
        }
    }

    /// GET with the given headers.
    pub fn get(&self, url: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(url);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Client::reply(req.call().expect("the server answers"))
    }

    /// POST of `body` as `content_type` with the given headers.
    pub fn post(
        &self,
        url: &str,
        content_type: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.agent.post(url).header("content-type", content_type);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Client::reply(req.send(body).expect("the server answers"))
    }
}

/// A multipart/form-data body of `file` parts (name, bytes) and text
/// fields: its content type and bytes.
pub fn multipart(files: &[(&str, &[u8])], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "jixiao-test-boundary-7d1f3a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (file, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
