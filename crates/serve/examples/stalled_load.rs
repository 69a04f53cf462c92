//! Issue 17's load test, the client side (`bench/serve_load.sh` runs it against a separate
//! `nnlab serve`, so that the server's open files and memory are its own). Loopback only:
//! the address must be a 127.0.0.0/8 or ::1 one. Every loop ends by itself within `--secs`.
//!
//! - `stalled_load sessions ADDR [--sessions 50] [--secs 20] [--stalled 1000]`: that many
//!   sessions each alternating an epoch step and a state read for `--secs`, while
//!   `--stalled` connections send half a head and never the rest (one that the server
//!   closes is opened again). Prints p50/p99/max of the sessions' requests and their
//!   statuses.
//! - `stalled_load flood ADDR [--stalled 10050] [--secs 15]`: opens that many stalled
//!   connections at once, holds them until the server answers or `--secs` pass, and prints
//!   how the server answered (503 at once past its cap, 408 after its header timeout).
//!   While they are held it asks `GET /api/schema` every 100 ms and prints those statuses.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A request that takes longer than this counts as failed (status 0).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Half a head: a request line and one header, no blank line.
const HALF_HEAD: &[u8] = b"GET /api/schema HTTP/1.1\r\nHost: stalled\r\n";

/// One request (`Connection: close`); status 0 when it failed or took too long.
async fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let exchange = async {
        let mut s = TcpStream::connect(addr).await?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        s.write_all(head.as_bytes()).await?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await?;
        Ok::<_, std::io::Error>(String::from_utf8_lossy(&raw).to_string())
    };
    match tokio::time::timeout(REQUEST_TIMEOUT, exchange).await {
        Ok(Ok(text)) => {
            let status = text.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
            let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
            (status, body.to_string())
        }
        _ => (0, String::new()),
    }
}

/// Opens a connection, sends half a head and waits for the server's answer (or its close)
/// until `until`; the status it got, 0 for none (closed, or still open at `until`).
async fn stall(addr: SocketAddr, until: Instant) -> u16 {
    let Ok(mut s) = TcpStream::connect(addr).await else {
        return 0;
    };
    if s.write_all(HALF_HEAD).await.is_err() {
        return 0;
    }
    let mut raw = Vec::new();
    let left = until.saturating_duration_since(Instant::now());
    let _ = tokio::time::timeout(left, s.read_to_end(&mut raw)).await;
    String::from_utf8_lossy(&raw)
        .get(9..12)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn flag(args: &[String], name: &str, default: u64) -> u64 {
    args.windows(2).find(|w| w[0] == name).map_or(default, |w| {
        w[1].parse().unwrap_or_else(|_| {
            eprintln!("{name}: '{}' is not a whole number", w[1]);
            std::process::exit(2)
        })
    })
}

fn counts(statuses: impl IntoIterator<Item = u16>) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for s in statuses {
        *counts.entry(s).or_insert(0) += 1;
    }
    counts
}

async fn sessions(addr: SocketAddr, n: u64, secs: u64, stalled: u64) {
    let until = Instant::now() + Duration::from_secs(secs);
    let reopened = Arc::new(AtomicUsize::new(0));
    let mut stallers = Vec::new();
    for _ in 0..stalled {
        let reopened = reopened.clone();
        stallers.push(tokio::spawn(async move {
            // The server closes a stalled connection after its header timeout: open
            // another, so that `stalled` are held all along.
            while Instant::now() < until {
                stall(addr, until).await;
                reopened.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }));
    }
    // Let the stalled connections open before timing anything.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut tasks = Vec::new();
    for _ in 0..n {
        tasks.push(tokio::spawn(async move {
            let (status, body) = request(addr, "POST", "/api/sessions", "{}").await;
            let id = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v["id"].as_str().map(String::from));
            let Some(id) = id else {
                return vec![(status, Duration::ZERO)];
            };
            let mut out = Vec::new();
            let quiet = "since=100000&factors=none&nodes=none&sgd=false";
            for k in 0.. {
                if Instant::now() >= until {
                    break;
                }
                let t = Instant::now();
                let (status, _) = if k % 2 == 0 {
                    let path = format!("/api/sessions/{id}/step?{quiet}");
                    request(addr, "POST", &path, r#"{"unit":"epoch"}"#).await
                } else {
                    request(addr, "GET", &format!("/api/sessions/{id}?{quiet}"), "").await
                };
                out.push((status, t.elapsed()));
            }
            out
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap_or_default());
    }
    for s in stallers {
        let _ = s.await;
    }
    let statuses = counts(all.iter().map(|(s, _)| *s));
    let mut times: Vec<Duration> = all.iter().map(|(_, t)| *t).collect();
    times.sort();
    if times.is_empty() {
        println!("no requests were made");
        return;
    }
    println!(
        "{n} sessions for {secs} s beside {stalled} stalled connections ({} stalled connections \
         opened in all): {} requests ({:.0} a second), statuses {statuses:?}, p50 {:?}, p99 {:?}, max {:?}",
        reopened.load(Ordering::Relaxed) + stalled as usize,
        times.len(),
        times.len() as f64 / secs as f64,
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times[times.len() - 1],
    );
}

async fn flood(addr: SocketAddr, n: u64, secs: u64) {
    let until = Instant::now() + Duration::from_secs(secs);
    let t = Instant::now();
    let mut held = Vec::new();
    for _ in 0..n {
        held.push(tokio::spawn(stall(addr, until)));
    }
    let mut probes = Vec::new();
    while Instant::now() < until {
        let t = Instant::now();
        let (status, _) = request(addr, "GET", "/api/schema", "").await;
        probes.push((status, t.elapsed()));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut answers = Vec::new();
    for h in held {
        answers.push(h.await.unwrap_or(0));
    }
    let slowest = probes.iter().map(|(_, t)| *t).max().unwrap_or_default();
    println!(
        "{n} stalled connections held up to {secs} s: answers {:?} (0: none, still open at the end or closed), \
         probes {:?}, slowest probe {slowest:?}, {:?} in all",
        counts(answers),
        counts(probes.iter().map(|(s, _)| *s)),
        t.elapsed()
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: stalled_load sessions|flood ADDR [--sessions N] [--secs S] [--stalled N]";
    let (Some(mode), Some(addr)) = (args.get(1), args.get(2)) else {
        eprintln!("{usage}");
        std::process::exit(2)
    };
    let addr: SocketAddr = match addr.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("ADDR: '{addr}' is not an address ({e}); {usage}");
            std::process::exit(2)
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!(
            "ADDR: {addr} is not a loopback address; this load test targets only this machine"
        );
        std::process::exit(2)
    }
    // Bounded: at most 10 minutes of load, at most 20,000 connections a process.
    let secs = flag(&args, "--secs", 20).min(600);
    match mode.as_str() {
        "sessions" => {
            let n = flag(&args, "--sessions", 50).min(200);
            sessions(addr, n, secs, flag(&args, "--stalled", 1000).min(10_000)).await
        }
        "flood" => flood(addr, flag(&args, "--stalled", 10_050).min(19_000), secs).await,
        _ => {
            eprintln!("{usage}");
            std::process::exit(2)
        }
    }
}
