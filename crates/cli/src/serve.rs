//! `nnlab serve`: the browser playground (`nnlab-serve`), on this machine only unless
//! `--host` says otherwise. Runs saved from the page go into the run store `nnlab train`
//! records into (same `--store`, `NNLAB_STORE` and `--no-store` as `nnlab train`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use nnlab_lab::LabError;
use nnlab_serve::RunStore;

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
    /// The run store the page lists and saves runs into (a SQLite file) [default:
    /// $NNLAB_STORE, else nnlab/runs.sqlite in the platform's data directory]
    #[arg(long, value_name = "PATH")]
    store: Option<PathBuf>,
    /// Neither list nor save runs
    #[arg(long, conflicts_with = "store")]
    no_store: bool,
}

impl ServeArgs {
    /// The run store: a store that cannot be opened is reported, and the playground runs
    /// without it (its runs panel says why) rather than not at all.
    fn runs(&self) -> RunStore {
        if self.no_store {
            return RunStore::disabled();
        }
        let path = match &self.store {
            Some(p) => p.clone(),
            None => match nnlab_store::default_path() {
                Ok(p) => p,
                Err(e) => return RunStore::unavailable(e),
            },
        };
        RunStore::open(&path)
    }
}

/// Binds, prints the address, serves until interrupted. A port that cannot be bound (in
/// use, not permitted, a bad host) is bad input: one line, exit code 2.
pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .map_err(|e| LabError::Config {
                key: "--host/--port".into(),
                message: format!("cannot listen on {}:{}: {e}", args.host, args.port),
            })?;
        let addr = listener.local_addr()?;
        if !nnlab_serve::is_loopback(&args.host) {
            eprintln!("warning: listening on {addr}, reachable from other machines");
        }
        // Opening may wait for another process's lock (and migrate): off the executor.
        let runs = tokio::task::block_in_place(|| args.runs());
        match (runs.why_unavailable(), runs.path()) {
            (None, Some(path)) => eprintln!("runs: listed from and saved to {path}"),
            (Some(why), _) if !args.no_store => eprintln!("warning: runs are not saved: {why}"),
            _ => {}
        }
        println!("nnlab serve: open http://{addr}/ (Ctrl-C stops)");
        tokio::select! {
            served = nnlab_serve::serve(listener, runs) => served?,
            _ = tokio::signal::ctrl_c() => {}
        }
        Ok(ExitCode::SUCCESS)
    })
}
