//! A bounded load test on loopback: 50 concurrent sessions, each stepping and reading its
//! state, plus the step round trip and the play update rate. Prints figures; asserts nothing.
//!
//! `cargo run --release -p nnlab-serve --example load`

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SESSIONS: usize = 50;
const REQUESTS_PER_SESSION: usize = 40;

async fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(head.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn id_of(body: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).expect("json");
    v["id"].as_str().expect("id").to_string()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = nnlab_serve::router(
        Arc::new(nnlab_serve::Sessions::default()),
        Arc::new(nnlab_serve::RunStore::disabled()),
    );
    tokio::spawn(nnlab_serve::serve_app(
        listener,
        app,
        nnlab_serve::ServeOptions::default(),
    ));

    // 1. Round trip of one sample step on the course network (step + full state back).
    let (_, body) = request(addr, "POST", "/api/sessions", "{}").await;
    let id = id_of(&body);
    let mut times = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        let (status, _) = request(
            addr,
            "POST",
            &format!("/api/sessions/{id}/step"),
            r#"{"unit":"sample"}"#,
        )
        .await;
        assert_eq!(status, 200);
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "step round trip (sample, course net, 100 rows, full state back): median {:?}, p95 {:?}",
        percentile(&times, 0.5),
        percentile(&times, 0.95)
    );
    let mut times = Vec::new();
    for _ in 0..500 {
        let t = Instant::now();
        let (status, _) = request(addr, "POST", "/api/step", r#"{"input":[1,0],"target":2}"#).await;
        assert_eq!(status, 200);
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "POST /api/step round trip: median {:?}, p95 {:?}",
        percentile(&times, 0.5),
        percentile(&times, 0.95)
    );

    // 2. Updates per second while playing: count SSE events over 3 s.
    let (_, body) = request(
        addr,
        "POST",
        "/api/sessions",
        r#"{"train":{"epochs":100000}}"#,
    )
    .await;
    let id = id_of(&body);
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(
        format!("GET /api/sessions/{id}/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
    )
    .await
    .expect("write");
    request(
        addr,
        "POST",
        &format!("/api/sessions/{id}/play"),
        r#"{"epochs_per_second":300}"#,
    )
    .await;
    let start = Instant::now();
    let mut events = 0;
    let mut buf = vec![0u8; 1 << 16];
    let mut carry = String::new();
    while start.elapsed() < Duration::from_secs(3) {
        let left = Duration::from_secs(3).saturating_sub(start.elapsed());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => {
                carry.push_str(&String::from_utf8_lossy(&buf[..n]));
                events += carry.matches("event: state").count();
                carry = carry
                    .rsplit("event: state")
                    .next()
                    .unwrap_or("")
                    .to_string();
            }
            _ => break,
        }
    }
    request(addr, "POST", &format!("/api/sessions/{id}/pause"), "").await;
    let (_, state) = request(addr, "GET", &format!("/api/sessions/{id}?since=100000"), "").await;
    let epoch = serde_json::from_str::<serde_json::Value>(&state)
        .map(|v| v["epoch"].clone())
        .unwrap_or_default();
    println!(
        "play at 300 epochs/s: {:.1} updates/s over 3 s, {epoch} epochs",
        events as f64 / 3.0
    );

    // 3. 50 concurrent sessions, each: create, then 40 requests alternating epoch steps and state reads.
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..SESSIONS {
        tasks.push(tokio::spawn(async move {
            let (_, body) = request(addr, "POST", "/api/sessions", "{}").await;
            let id = id_of(&body);
            let mut lat = Vec::new();
            for k in 0..REQUESTS_PER_SESSION {
                let t = Instant::now();
                let (status, _) = if k % 2 == 0 {
                    request(
                        addr,
                        "POST",
                        &format!("/api/sessions/{id}/step"),
                        r#"{"unit":"epoch"}"#,
                    )
                    .await
                } else {
                    request(addr, "GET", &format!("/api/sessions/{id}"), "").await
                };
                assert_eq!(status, 200);
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.expect("task"));
    }
    let wall = t.elapsed();
    all.sort();
    println!(
        "{SESSIONS} concurrent sessions x {REQUESTS_PER_SESSION} requests: {} requests in {wall:?} ({:.0} req/s), median {:?}, p95 {:?}, max {:?}",
        all.len(),
        all.len() as f64 / wall.as_secs_f64(),
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        all[all.len() - 1]
    );
}
