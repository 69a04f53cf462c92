//! The accept loop: each connection is hyper's HTTP/1.1 with a header-read timeout, at most
//! [`ServeOptions::max_connections`] are open at once, and a request body has a deadline.
//!
//! A client that opens connections and never finishes a head holds each for
//! `header_timeout` at most (then gets a 408 if it had begun one), and past the cap a new
//! connection is answered 503 and closed at once: open files stay below the cap plus
//! [`RESERVED_FILES`] whatever the clients do. A handler that panics answers 500.

use std::convert::Infallible;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::response::IntoResponse;
use axum::Router;
use futures_util::FutureExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::limits::{
    DEFAULT_BODY_TIMEOUT_SECS, DEFAULT_HEADER_TIMEOUT_SECS, DEFAULT_MAX_CONNECTIONS,
    LINGERING_REFUSALS, LISTEN_BACKLOG, RESERVED_FILES,
};
use crate::wire::{raw_reply, Wire};
use crate::{guard, ApiError};

/// How long the server writes an answer of its own (a 408) to a client before it gives up.
const OWN_ANSWER_WRITE: Duration = Duration::from_secs(1);
/// How long a refused connection is read from before it closes (see [`refuse`]).
const REFUSAL_LINGER: Duration = Duration::from_millis(100);
/// The pause after a failed accept (out of file descriptors, say) before the next.
const ACCEPT_RETRY: Duration = Duration::from_millis(50);

/// The connection limits of [`serve_app`] (`nnlab serve`'s flags of the same names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// Connections open at once (`--max-connections`); one more is answered 503.
    pub max_connections: usize,
    /// How long a request's head may take, counted from when the server waits for it
    /// (`--header-timeout`); a kept-alive connection idle this long is closed.
    pub header_timeout: Duration,
    /// How long a request's body may take after its head (`--body-timeout`); then 408.
    pub body_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_SECS),
            body_timeout: Duration::from_secs(DEFAULT_BODY_TIMEOUT_SECS),
        }
    }
}

/// Options the server cannot run with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServeError {
    #[error("{option}: {message}")]
    Option {
        option: &'static str,
        message: String,
    },
}

impl ServeOptions {
    /// Checks the options against each other and against `open_files`, the process's
    /// open-file limit (`ulimit -n`; `None` where it cannot be read): the cap and
    /// [`RESERVED_FILES`] must fit in it, or the server would fail its accepts instead.
    pub fn check(&self, open_files: Option<u64>) -> Result<(), ServeError> {
        let option = |option, message| Err(ServeError::Option { option, message });
        if self.max_connections == 0 {
            return option("--max-connections", "0 would refuse every request".into());
        }
        if self.header_timeout.is_zero() || self.body_timeout.is_zero() {
            return option(
                "--header-timeout/--body-timeout",
                "must be at least 1 s".into(),
            );
        }
        if let Some(limit) = open_files {
            let fits = limit.saturating_sub(RESERVED_FILES);
            if self.max_connections as u64 > fits {
                return option(
                    "--max-connections",
                    format!(
                        "{} is more than this process may open: its open-file limit is {limit} \
                         (`ulimit -n`), less {RESERVED_FILES} kept for the store, the \
                         runtime and refusals, {fits}; lower --max-connections or raise the limit",
                        self.max_connections
                    ),
                );
            }
        }
        Ok(())
    }
}

/// This process's open-file limit (the soft `RLIMIT_NOFILE`), where it can be read.
pub fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes one `rlimit` into the struct we own, nothing else.
        let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
        // `rlim_t` is u64 on Linux, not on every unix.
        #[allow(clippy::unnecessary_cast)]
        (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur as u64)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// A listener on `host:port` (the first of the host's addresses that binds) with a queue
/// of [`LISTEN_BACKLOG`] connections.
pub async fn bind(host: &str, port: u16) -> std::io::Result<TcpListener> {
    let mut failed = None;
    for addr in tokio::net::lookup_host((host, port)).await? {
        let socket = if addr.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        // As std's `TcpListener::bind` does on unix: a restarted server binds its port
        // while the last one's connections are in TIME_WAIT.
        #[cfg(unix)]
        socket.set_reuseaddr(true)?;
        if let Err(e) = socket.bind(addr) {
            failed = Some(e);
            continue;
        }
        match socket.listen(LISTEN_BACKLOG) {
            Ok(listener) => return Ok(listener),
            Err(e) => failed = Some(e),
        }
    }
    Err(failed.unwrap_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::AddrNotAvailable,
            "the host has no address",
        )
    }))
}

/// Serves `app` on `listener` until the process ends, within `options`; every error
/// answer of `app` without a JSON body is given one (`{"error": its text or reason}`).
pub async fn serve_app(listener: TcpListener, app: Router, options: ServeOptions) {
    let open = Arc::new(Semaphore::new(options.max_connections));
    let lingering = Arc::new(Semaphore::new(LINGERING_REFUSALS));
    let options = Arc::new(options);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a client gone before its accept: neither ends
            // the server; the pause lets connections close.
            Err(_) => {
                tokio::time::sleep(ACCEPT_RETRY).await;
                continue;
            }
        };
        match open.clone().try_acquire_owned() {
            Ok(permit) => {
                let (app, options) = (app.clone(), options.clone());
                tokio::spawn(async move {
                    connection(stream, app, &options).await;
                    drop(permit);
                });
            }
            // Refused in the loop itself unless it may linger: a burst of refusals queued
            // as tasks would hold their sockets, past the cap, until the tasks ran.
            Err(_) => match lingering.clone().try_acquire_owned() {
                Ok(linger) => {
                    tokio::spawn(refuse(stream, options.max_connections, linger));
                }
                Err(_) => {
                    let _ = stream.try_write(&refusal(options.max_connections));
                }
            },
        }
    }
}

/// The 503 of a connection past the cap.
fn refusal(cap: usize) -> Vec<u8> {
    let busy = ApiError::busy(format!(
        "the server has {cap} connections open, its limit (--max-connections); try again shortly"
    ));
    raw_reply(&busy, "retry-after: 1\r\n")
}

/// Answers a connection past the cap with a 503 and closes it. A fresh socket's send
/// buffer takes the short answer whole, so the write never waits for the client. Closing a
/// socket with unread data resets the connection, which can destroy the answer before the
/// client reads it: what the client sends in the next [`REFUSAL_LINGER`] is read and
/// dropped first, by at most [`LINGERING_REFUSALS`] at once (a permit each).
async fn refuse(mut stream: TcpStream, cap: usize, _linger: OwnedSemaphorePermit) {
    let _ = stream.try_write(&refusal(cap));
    let _ = stream.shutdown().await;
    let mut discard = [0u8; 4096];
    let _ = tokio::time::timeout(REFUSAL_LINGER, async {
        while matches!(stream.read(&mut discard).await, Ok(n) if n > 0) {}
    })
    .await;
}

/// Serves one connection: requests until the client closes it or a timeout does.
async fn connection(stream: TcpStream, app: Router, options: &ServeOptions) {
    // Answers are written whole; waiting to fill a segment would only add latency.
    let _ = stream.set_nodelay(true);
    let body_timeout = options.body_timeout;
    let router = TowerToHyperService::new(app);
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let req = guard::with_body_deadline(req.map(Body::new), body_timeout);
        let request = guard::request_name(&req);
        let answer = hyper::service::Service::call(&router, req);
        // Boxed: hyper hands the connection back (for a 408) only when its parts are Unpin.
        async move {
            Ok::<_, Infallible>(match AssertUnwindSafe(answer).catch_unwind().await {
                Ok(Ok(answer)) => guard::json_errors(request, answer).await,
                Ok(Err(never)) => match never {},
                Err(_) => ApiError::internal("the request failed inside the server (a panic)")
                    .into_response(),
            })
        }
        .boxed()
    });
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(options.header_timeout);
    let mut conn = http.serve_connection(TokioIo::new(Wire::new(stream)), service);
    let served = std::future::poll_fn(|cx| Pin::new(&mut conn).poll_without_shutdown(cx)).await;
    let parts = conn.into_parts();
    let mut stream = parts.io.into_inner().into_inner();
    // A head begun and not finished in time is answered; an idle connection just closes.
    if served.is_err_and(|e| e.is_timeout()) && !parts.read_buf.is_empty() {
        let late = ApiError::timeout(format!(
            "the request's head did not arrive within {} s (--header-timeout)",
            options.header_timeout.as_secs()
        ));
        let _ =
            tokio::time::timeout(OWN_ANSWER_WRITE, stream.write_all(&raw_reply(&late, ""))).await;
    }
    let _ = tokio::time::timeout(OWN_ANSWER_WRITE, stream.shutdown()).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_must_fit_the_open_file_limit() {
        let options = ServeOptions {
            max_connections: 20_000,
            ..ServeOptions::default()
        };
        // 20,000 connections need 20,320 files with the 64 + 256 kept aside (limits.rs).
        assert_eq!(
            options.check(Some(20_000)).map_err(|e| e.to_string()),
            Err(
                "--max-connections: 20000 is more than this process may open: its open-file \
                 limit is 20000 (`ulimit -n`), less 320 kept for the store, the runtime and \
                 refusals, 19680; lower --max-connections or raise the limit"
                    .to_string()
            )
        );
        assert_eq!(options.check(Some(20_320)), Ok(()));
        assert_eq!(options.check(None), Ok(()));
        let zero = ServeOptions {
            max_connections: 0,
            ..ServeOptions::default()
        };
        assert!(zero.check(None).is_err());
    }
}
