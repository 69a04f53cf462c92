//! Issue 17, the server under load: every error status carries the API's JSON body (also
//! the ones hyper and axum answer by themselves), timeouts for heads and bodies, a cap on
//! open connections that holds against a few hundred stalled clients, and the import limit
//! that lets the longest session's export back in.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::routing::get;
use nnlab_serve::limits::{MAX_BODY_BYTES, MAX_EPOCHS, MAX_IMPORT_BYTES};
use nnlab_serve::ServeOptions;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `bytes` as they are and reads the answer until the server closes.
async fn raw(addr: SocketAddr, bytes: &[u8]) -> common::Reply {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    s.write_all(bytes).await.expect("write");
    read_all(&mut s).await
}

async fn read_all(s: &mut TcpStream) -> common::Reply {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server neither answered nor closed");
    common::parse(&answer)
}

fn quick(max_connections: usize) -> ServeOptions {
    ServeOptions {
        max_connections,
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
    }
}

async fn start_quick(options: ServeOptions) -> SocketAddr {
    let app = nnlab_serve::router(
        Arc::new(nnlab_serve::Sessions::default()),
        Arc::new(nnlab_serve::RunStore::disabled()),
    );
    common::start_app(app, options).await
}

#[tokio::test]
async fn every_error_status_has_the_json_body() {
    let addr = common::start().await;
    // 404: the fallback.
    let r = common::get(addr, "/nowhere").await;
    assert_eq!(
        (r.status, r.error()),
        (404, "no such page or API route".into())
    );
    // 405: axum's empty answer gets a body naming what the route takes.
    let r = common::get(addr, "/api/step").await;
    assert_eq!(
        (r.status, r.error()),
        (405, "GET /api/step: this route answers POST".into())
    );
    assert!(
        r.headers.to_ascii_lowercase().contains("allow: post"),
        "{}",
        r.headers
    );
    // 413: one byte over the 1 MiB of an ordinary body.
    let big = "x".repeat(MAX_BODY_BYTES + 1);
    let r = common::request(addr, "POST", "/api/step", Some(&big)).await;
    assert_eq!(
        (r.status, r.error()),
        (
            413,
            "request body: longer than the server reads (1048576 bytes; 15314944 for an import)"
                .into()
        )
    );
    // 414: hyper refuses URIs over 65,534 bytes by itself, with an empty answer.
    let long = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let r = raw(addr, long.as_bytes()).await;
    assert_eq!(
        (r.status, r.error()),
        (
            414,
            "the request's URI is longer than the server reads (64 KiB)".into()
        )
    );
    // 431: more than hyper's 100 headers.
    let mut many = "GET / HTTP/1.1\r\nHost: x\r\n".to_string();
    for k in 0..120 {
        many.push_str(&format!("x-h{k}: 1\r\n"));
    }
    many.push_str("\r\n");
    let r = raw(addr, many.as_bytes()).await;
    assert_eq!(r.status, 431, "{}", r.body);
    assert!(
        r.error().starts_with("the request's headers are more"),
        "{}",
        r.body
    );
    // 400: a head that is not HTTP.
    let r = raw(addr, b"HELLO THERE\r\n\r\n").await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(
        r.error().starts_with("the request's head is not HTTP/1.1"),
        "{}",
        r.body
    );
}

async fn panics() -> &'static str {
    panic!("a bug in a handler")
}

#[tokio::test]
async fn a_panic_is_a_500_and_plain_text_errors_become_json() {
    let app = axum::Router::new().route("/panic", get(panics)).route(
        "/slow-down",
        get(|| async { (StatusCode::TOO_MANY_REQUESTS, "slow down") }),
    );
    let addr = common::start_app(app, ServeOptions::default()).await;
    let r = common::get(addr, "/panic").await;
    assert_eq!(
        (r.status, r.error()),
        (500, "the request failed inside the server (a panic)".into())
    );
    let r = common::get(addr, "/slow-down").await;
    assert_eq!((r.status, r.error()), (429, "slow down".into()));
    // The server goes on after the panic.
    assert_eq!(common::get(addr, "/slow-down").await.status, 429);
}

#[tokio::test]
async fn heads_and_bodies_that_do_not_arrive_in_time_are_408() {
    let addr = start_quick(quick(16)).await;
    // A head begun and never finished: 408 after the 1 s header timeout.
    let t = Instant::now();
    let r = raw(addr, b"GET / HTTP/1.1\r\nHost: x\r\n").await;
    assert_eq!(
        (r.status, r.error()),
        (
            408,
            "the request's head did not arrive within 1 s (--header-timeout)".into()
        )
    );
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    // A body announced as 10 bytes of which 2 come: 408 after the 1 s body timeout.
    let r = raw(
        addr,
        b"POST /api/step HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}",
    )
    .await;
    assert_eq!(
        (r.status, r.error()),
        (
            408,
            "the request's body did not arrive within 1 s (--body-timeout)".into()
        )
    );
    // A connection that sends nothing is closed without an answer.
    let mut idle = TcpStream::connect(addr).await.expect("connect");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), idle.read_to_end(&mut answer)).await;
    assert!(matches!(read, Ok(Ok(0))), "{read:?} {answer:?}");
}

/// The open file descriptors of this process (the test's clients and its server).
#[cfg(target_os = "linux")]
fn open_files() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

#[tokio::test]
async fn stalled_connections_past_the_cap_are_refused_and_the_rest_time_out() {
    const CAP: usize = 100;
    const STALLED: usize = 300;
    // 5 s for a head: long enough that none times out before the checks below, even on a
    // loaded machine.
    let addr = start_quick(ServeOptions {
        header_timeout: Duration::from_secs(5),
        ..quick(CAP)
    })
    .await;
    #[cfg(target_os = "linux")]
    let before = open_files();
    let mut stalled = Vec::new();
    for _ in 0..STALLED {
        let mut s = TcpStream::connect(addr).await.expect("connect");
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
            .await
            .expect("write");
        stalled.push(s);
    }
    // Give the accept loop time to reach every connection (and the refused ones' 100 ms of
    // reading to end).
    tokio::time::sleep(Duration::from_millis(600)).await;
    // The server holds at most CAP of them: this process has the 300 clients' sockets,
    // the CAP accepted ones and a few more (the tokio runtime's, the test harness's).
    #[cfg(target_os = "linux")]
    {
        let held = open_files() - before;
        assert!(held <= STALLED + CAP + 10, "{held} files open");
    }
    // A client past the cap is answered 503 at once.
    let r = common::get(addr, "/api/schema").await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(
        r.error(),
        "the server has 100 connections open, its limit (--max-connections); try again shortly"
    );
    assert!(r.headers.contains("retry-after: 1"), "{}", r.headers);
    let mut answers = std::collections::BTreeMap::new();
    for mut s in stalled {
        let r = read_all(&mut s).await;
        *answers.entry(r.status).or_insert(0) += 1;
        assert!(r.error().contains("--"), "{}", r.body);
    }
    // The first CAP waited for their heads until the 5 s timeout; the others were refused.
    assert_eq!(
        answers,
        [(408, CAP), (503, STALLED - CAP)].into_iter().collect()
    );
    // Their places are free again.
    let r = common::get(addr, "/api/schema").await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn the_longest_session_the_limits_allow_exports_and_imports_again() {
    let addr = common::start().await;
    // 8 rows, 2 of them a test set: every record has a test loss, as long as records get.
    let id = common::session(
        addr,
        &json!({"data": {"generator": {"rows": 8}, "test_fraction": 0.25},
                "train": {"epochs": MAX_EPOCHS}}),
    )
    .await;
    // 1,000 epochs a request (the step limit), the state without history or factors.
    let quiet = format!("since={MAX_EPOCHS}&factors=none&nodes=none&sgd=false");
    for _ in 0..MAX_EPOCHS / 1000 {
        let r = common::post(
            addr,
            &format!("/api/sessions/{id}/step?{quiet}"),
            &json!({"unit": "epoch", "count": 1000}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let export = common::get(addr, &format!("/api/sessions/{id}/export")).await;
    assert_eq!(export.status, 200);
    assert_eq!(
        export.json()["history"].as_array().map(Vec::len),
        Some(MAX_EPOCHS)
    );
    // Past the 1 MiB that ordinary bodies are held to, within the import's limit.
    let size = export.body.len();
    assert!(
        size > MAX_BODY_BYTES && size <= MAX_IMPORT_BYTES,
        "{size} bytes"
    );
    let r = common::request(addr, "POST", "/api/sessions/import", Some(&export.body)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // 100,000 epochs of 6 training rows are 600,000 sample steps: replayed exactly.
    assert_eq!(r.json()["exact"], json!(true));
    // One byte over the import limit is refused.
    let over = "x".repeat(MAX_IMPORT_BYTES + 1);
    let r = common::request(addr, "POST", "/api/sessions/import", Some(&over)).await;
    assert_eq!(r.status, 413, "{}", r.body);
}
