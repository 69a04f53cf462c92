//! `nnlab serve`: the browser playground (`nnlab-serve`), on this machine only unless
//! `--host` says otherwise.

use std::process::ExitCode;

use clap::Args;

/// Flags of `nnlab serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port to listen on (0: any free port, printed at start)
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// The address to listen on. Anything but a loopback address (127.0.0.1, ::1,
    /// localhost) lets other machines reach the playground
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
}

/// Binds, prints the address, serves until interrupted.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "--host/--port: cannot listen on {}:{}: {e}",
                    args.host,
                    args.port
                )
            })?;
        let addr = listener.local_addr()?;
        if !nnlab_serve::is_loopback(&args.host) {
            eprintln!("warning: listening on {addr}, reachable from other machines");
        }
        println!("nnlab serve: open http://{addr}/ (Ctrl-C stops)");
        tokio::select! {
            served = nnlab_serve::serve(listener) => served?,
            _ = tokio::signal::ctrl_c() => {}
        }
        Ok(ExitCode::SUCCESS)
    })
}
