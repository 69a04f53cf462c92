//! `nnlab serve` as a user starts it: a port already in use is one line on stderr and exit
//! code 2 (issue 5), not a panic or a backtrace.

use std::process::Command;

#[test]
fn a_port_in_use_is_bad_input_with_one_line() {
    // Hold a loopback port so the server cannot bind it.
    let held = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = held.local_addr().expect("an address").port();
    let out = Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(["serve", "--no-store", "--port", &port.to_string()])
        .output()
        .expect("nnlab runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: --host/--port: cannot listen on 127.0.0.1:{port}: "
        )),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn store_and_no_store_conflict() {
    let out = Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(["serve", "--no-store", "--store", "x.sqlite"])
        .output()
        .expect("nnlab runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be used with"));
}
