//! Who may use the workbench, and how a request proves it. On loopback
//! without a token, anyone on this machine may (as with any local
//! program), but a request must name this machine as its host (a page of
//! another site cannot rebind a name to it). With a token — required on
//! any other address — every request needs it: a browser logs in once
//! with it and gets a session cookie (HttpOnly, SameSite=Strict); a script
//! sends it as `Authorization: Bearer`. Every request that changes
//! something and comes from a browser carries the session's CSRF token
//! (a header from the page's script, or the `csrf` query parameter of a
//! form), and its Origin, when it has one, must be this server's.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, Method, header};

/// The session cookie's name.
pub const COOKIE: &str = "jixiao_session";

/// How long a session lasts without use.
const IDLE: Duration = Duration::from_secs(12 * 3600);

/// The most sessions kept (the oldest go first).
const MAX_SESSIONS: usize = 10_000;

#[derive(Debug, Clone)]
struct Session {
    csrf: String,
    used: Instant,
}

/// The workbench's access rules and its sessions.
pub struct Auth {
    token: Option<String>,
    /// Whether the server listens on a loopback address only.
    loopback: bool,
    /// The names it is reached by besides this machine's (`--host`).
    hosts: Vec<String>,
    sessions: Mutex<HashMap<String, Session>>,
}

/// A random token of 32 hex digits.
pub fn random() -> String {
    let mut bytes = [0u8; 16];
    // Without randomness no session could be safe: say so and stop.
    getrandom::fill(&mut bytes).expect("the system's random source is available");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal in time whatever the inputs: a token is not guessed a byte at a
/// time.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie's value from the request.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// What a request is, for the access rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// A script with the token.
    Bearer,
    /// A browser with a session (its id and CSRF token).
    Browser { session: String, csrf: String },
    /// Nobody known: allowed only without a token.
    Anonymous,
}

impl Auth {
    /// `token` as given at start (surrounding white space is not part of
    /// it, as it is not of what a client presents); `hosts` the names the
    /// server is reached by besides this machine's (`--host`).
    pub fn new(token: Option<String>, loopback: bool, hosts: Vec<String>) -> Auth {
        Auth {
            token: token
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
            loopback,
            hosts,
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// Whether requests must prove they have the token.
    pub fn required(&self) -> bool {
        self.token.is_some()
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new session (after a login, or a first visit without a token):
    /// its id and CSRF token.
    pub fn open_session(&self) -> (String, String) {
        let (id, csrf) = (random(), random());
        let mut s = self.sessions();
        if s.len() >= MAX_SESSIONS {
            let now = Instant::now();
            s.retain(|_, v| now.duration_since(v.used) < IDLE);
            if s.len() >= MAX_SESSIONS
                && let Some(oldest) = s.iter().min_by_key(|(_, v)| v.used).map(|(k, _)| k.clone())
            {
                s.remove(&oldest);
            }
        }
        s.insert(
            id.clone(),
            Session {
                csrf: csrf.clone(),
                used: Instant::now(),
            },
        );
        (id, csrf)
    }

    /// Whether `given` is the token.
    pub fn token_is(&self, given: &str) -> bool {
        self.token.as_deref().is_some_and(|t| same(t, given.trim()))
    }

    /// Who sent a request.
    pub fn who(&self, headers: &HeaderMap) -> Who {
        if let Some(v) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            && let Some(t) = v.strip_prefix("Bearer ")
            && self.token_is(t)
        {
            return Who::Bearer;
        }
        if let Some(id) = cookie(headers, COOKIE) {
            let mut s = self.sessions();
            if let Some(session) = s.get_mut(id) {
                if session.used.elapsed() < IDLE {
                    session.used = Instant::now();
                    return Who::Browser {
                        session: id.to_string(),
                        csrf: session.csrf.clone(),
                    };
                }
                s.remove(id);
            }
        }
        Who::Anonymous
    }

    /// Whether a request naming `host` may be served: one naming this
    /// machine (`localhost`, a loopback address written as an address:
    /// `127.0.0.1`, `[::1]`), or a name given with `--host`; on another
    /// address than loopback (with a token), any address literal too, and
    /// any name when no `--host` was given. A name that only looks like an
    /// address (`127.0.0.1.example.com`, the way DNS rebinding reaches a
    /// server on loopback) is refused.
    pub fn host_ok(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host.rsplit_once(':').map_or(host, |(n, _)| n),
        };
        if name.eq_ignore_ascii_case("localhost")
            || self.hosts.iter().any(|h| h.eq_ignore_ascii_case(name))
        {
            return true;
        }
        match name.parse::<std::net::IpAddr>() {
            Ok(ip) => ip.is_loopback() || !self.loopback,
            Err(_) => !self.loopback && self.hosts.is_empty(),
        }
    }

    /// Whether a request that changes something may go ahead: a script
    /// with the token; a browser with its session's CSRF token (and its
    /// Origin, if it says one, this server's); without a token, a program
    /// on this machine that is no browser (no cookie, no Origin).
    pub fn may_change(
        &self,
        method: &Method,
        headers: &HeaderMap,
        who: &Who,
        csrf: Option<&str>,
    ) -> bool {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return true;
        }
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            let ours = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                .is_some_and(|o| o == host);
            if !ours {
                return false;
            }
        }
        match who {
            Who::Bearer => true,
            Who::Browser { csrf: expected, .. } => csrf.is_some_and(|c| same(c, expected)),
            Who::Anonymous => {
                !self.required()
                    && headers.get(header::ORIGIN).is_none()
                    && headers.get(header::COOKIE).is_none()
            }
        }
    }

    /// Whether a request is let in at all.
    pub fn admitted(&self, who: &Who) -> bool {
        !self.required() || *who != Who::Anonymous
    }
}

/// The `Set-Cookie` value of a session.
pub fn session_cookie(id: &str) -> String {
    format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn a_token_is_needed_once_set_and_sessions_carry_their_csrf() {
        let a = Auth::new(Some("  s3cret\n".into()), false, vec![]);
        assert_eq!(a.who(&headers(&[])), Who::Anonymous);
        assert!(!a.admitted(&Who::Anonymous));
        assert_eq!(
            a.who(&headers(&[("authorization", "Bearer s3cret")])),
            Who::Bearer
        );
        assert_eq!(
            a.who(&headers(&[("authorization", "Bearer wrong")])),
            Who::Anonymous
        );
        let (id, csrf) = a.open_session();
        let h = headers(&[
            ("cookie", &format!("other=1; {COOKIE}={id}")),
            ("host", "h:1"),
        ]);
        let who = a.who(&h);
        assert_eq!(
            who,
            Who::Browser {
                session: id.clone(),
                csrf: csrf.clone()
            }
        );
        assert!(a.may_change(&Method::POST, &h, &who, Some(&csrf)));
        assert!(!a.may_change(&Method::POST, &h, &who, Some("forged")));
        assert!(!a.may_change(&Method::POST, &h, &who, None));
        let cross = headers(&[
            ("cookie", &format!("{COOKIE}={id}")),
            ("host", "h:1"),
            ("origin", "http://evil.example"),
        ]);
        assert!(!a.may_change(&Method::POST, &cross, &who, Some(&csrf)));
    }

    #[test]
    fn on_loopback_without_a_token_only_this_machine_is_served() {
        let a = Auth::new(None, true, vec!["jixiao.internal".into()]);
        assert!(a.host_ok(&headers(&[("host", "127.0.0.1:8421")])));
        assert!(a.host_ok(&headers(&[("host", "127.3.4.5:8421")])));
        assert!(a.host_ok(&headers(&[("host", "localhost:8421")])));
        assert!(a.host_ok(&headers(&[("host", "LocalHost")])));
        assert!(a.host_ok(&headers(&[("host", "[::1]:8421")])));
        assert!(a.host_ok(&headers(&[("host", "jixiao.internal:8421")])));
        // DNS rebinding: names that only look like this machine's.
        for evil in [
            "attacker.example:8421",
            "127.0.0.1.attacker.example:8421",
            "127.evil:8421",
            "localhost.attacker.example",
            "10.0.0.5:8421",
        ] {
            assert!(!a.host_ok(&headers(&[("host", evil)])), "{evil}");
        }
        assert!(!a.host_ok(&headers(&[])));
        let lan = Auth::new(
            Some("0123456789".into()),
            false,
            vec!["jixiao.internal".into()],
        );
        assert!(lan.host_ok(&headers(&[("host", "10.0.0.5:8421")])));
        assert!(!lan.host_ok(&headers(&[("host", "attacker.example")])));
        // A local script may post; a browser page of another site may not.
        let script = headers(&[("host", "127.0.0.1:8421")]);
        assert!(a.may_change(&Method::POST, &script, &Who::Anonymous, None));
        let page = headers(&[
            ("host", "127.0.0.1:8421"),
            ("origin", "http://evil.example"),
        ]);
        assert!(!a.may_change(&Method::POST, &page, &Who::Anonymous, None));
    }
}
