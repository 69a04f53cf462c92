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

#[test]
fn a_connection_cap_past_the_open_file_limit_is_bad_input() {
    // No Linux process may open 4,294,967,295 files (the kernel caps it at fs.nr_open), so
    // the cap cannot fit and the server must say so before it listens.
    let out = Command::new(env!("CARGO_BIN_EXE_nnlab"))
        .args(["serve", "--no-store", "--port", "0"])
        .args(["--max-connections", "4294967295"])
        .output()
        .expect("nnlab runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: --max-connections: 4294967295 is more than this process may open: its \
             open-file limit is "
        ),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
