//! A server on an ephemeral loopback port and a minimal HTTP/1.1 client for the tests.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Starts the server on 127.0.0.1:0 without a run store and returns its address.
pub async fn start() -> SocketAddr {
    start_with(nnlab_serve::RunStore::disabled()).await
}

/// Starts the server on 127.0.0.1:0 saving runs into `runs`; returns its address.
pub async fn start_with(runs: nnlab_serve::RunStore) -> SocketAddr {
    let app = nnlab_serve::router(Arc::new(nnlab_serve::Sessions::default()), Arc::new(runs));
    start_app(app, nnlab_serve::ServeOptions::default()).await
}

/// Serves `app` on 127.0.0.1:0 as `nnlab serve` does, within `options`; returns its address.
pub async fn start_app(app: axum::Router, options: nnlab_serve::ServeOptions) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(nnlab_serve::serve_app(listener, app, options));
    addr
}

/// One response: status and body text.
pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    /// The `error` message of a JSON error reply.
    pub fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .expect("an error message")
            .to_string()
    }
}

/// Sends one request (`Connection: close`) and reads the whole reply.
pub async fn request(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> Reply {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let body = body.unwrap_or("");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.expect("write");
    s.write_all(body.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.expect("read");
    parse(&raw)
}

pub fn parse(raw: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(raw).to_string();
    let (headers, body) = text.split_once("\r\n\r\n").expect("a header");
    let status = headers[9..12].parse().expect("a status");
    let body = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Reply {
        status,
        headers: headers.to_string(),
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

pub async fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path, None).await
}

pub async fn post(addr: SocketAddr, path: &str, body: &Value) -> Reply {
    request(addr, "POST", path, Some(&body.to_string())).await
}

pub async fn put(addr: SocketAddr, path: &str, body: &Value) -> Reply {
    request(addr, "PUT", path, Some(&body.to_string())).await
}

/// Creates a session and returns its id.
pub async fn session(addr: SocketAddr, body: &Value) -> String {
    let r = post(addr, "/api/sessions", body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["id"].as_str().expect("an id").to_string()
}

/// The course's names on 2-2-1 and the general names of the same parameters once the network
/// is resized (crates/core's params.rs: `w2` is into neuron 2 from input 1).
pub const COURSE_AS_GENERAL: [(&str, &str); 9] = [
    ("w1", "L1.w[1][1]"),
    ("w2", "L1.w[2][1]"),
    ("w3", "L1.w[1][2]"),
    ("w4", "L1.w[2][2]"),
    ("w5", "L2.w[1][1]"),
    ("w6", "L2.w[1][2]"),
    ("b1", "L1.b[1]"),
    ("b2", "L1.b[2]"),
    ("b3", "L2.b[1]"),
];
