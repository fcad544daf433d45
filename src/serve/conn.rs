//! The workbench's connections: accepted, bounded and timed here, so that
//! slow or idle clients cannot keep it from answering others. A client
//! must send a request's headers within [`HEADER_TIME`] (which also closes
//! a connection left idle between requests); one address holds at most
//! [`PER_CLIENT`] connections and all clients [`ALL_CLIENTS`] — one past
//! either is closed at once, before anything is read from it.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// Time a client has to send a request's headers, counted from when the
/// connection is ready for the next request.
pub const HEADER_TIME: Duration = Duration::from_secs(15);
/// Connections one client address may hold at once (a browser opens six).
pub const PER_CLIENT: usize = 64;
/// Connections all clients may hold at once.
pub const ALL_CLIENTS: usize = 512;
/// How long a stopping server waits for requests under way.
const DRAIN: Duration = Duration::from_secs(10);

/// The connections held now, by client address.
#[derive(Default)]
struct Held {
    by_client: HashMap<IpAddr, usize>,
    all: usize,
}

/// One connection counted until dropped.
struct Slot {
    held: Arc<Mutex<Held>>,
    client: IpAddr,
}

impl Slot {
    fn take(held: &Arc<Mutex<Held>>, client: IpAddr) -> Option<Slot> {
        let mut h = held.lock().unwrap_or_else(|p| p.into_inner());
        let mine = h.by_client.get(&client).copied().unwrap_or(0);
        if mine >= PER_CLIENT || h.all >= ALL_CLIENTS {
            return None;
        }
        h.by_client.insert(client, mine + 1);
        h.all += 1;
        Some(Slot {
            held: held.clone(),
            client,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut h = self.held.lock().unwrap_or_else(|p| p.into_inner());
        h.all = h.all.saturating_sub(1);
        if let Some(n) = h.by_client.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                h.by_client.remove(&self.client);
            }
        }
    }
}

/// Serves `router` on `listener` until `stop` completes; then waits a
/// little for the requests under way.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let held = Arc::new(Mutex::new(Held::default()));
    let mut stop = std::pin::pin!(stop);
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut stop => break,
        };
        let (stream, addr) = match accepted {
            Ok(x) => x,
            // Out of descriptors or a connection reset before it was
            // taken: the listener goes on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Some(slot) = Slot::take(&held, addr.ip()) else {
            drop(stream);
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        tasks.spawn(async move {
            let _slot = slot;
            // HTTP/1 only: telling the version apart would first wait for
            // bytes, without the header timeout.
            let mut builder =
                hyper_util::server::conn::auto::Builder::new(TokioExecutor::new()).http1_only();
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIME);
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
        // Finished connections are reaped as others come.
        while tasks.try_join_next().is_some() {}
    }
    let _ = tokio::time::timeout(DRAIN, async { while tasks.join_next().await.is_some() {} }).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_per_client_and_given_back() {
        let held = Arc::new(Mutex::new(Held::default()));
        let a: IpAddr = "127.0.0.1".parse().unwrap();
        let b: IpAddr = "127.0.0.2".parse().unwrap();
        let taken: Vec<Slot> = (0..PER_CLIENT)
            .map(|_| Slot::take(&held, a).unwrap())
            .collect();
        assert!(Slot::take(&held, a).is_none(), "one past the client's");
        assert!(Slot::take(&held, b).is_some(), "another client is served");
        drop(taken);
        assert!(Slot::take(&held, a).is_some(), "given back when closed");
        assert_eq!(held.lock().unwrap().all, 0);
    }
}
