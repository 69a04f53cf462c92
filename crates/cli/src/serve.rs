//! `nnlab serve`: the browser playground (`nnlab-serve`), on this machine only unless
//! `--host` says otherwise. Runs saved from the page go into the run store `nnlab train`
//! records into (same `--store`, `NNLAB_STORE` and `--no-store` as `nnlab train`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::TypedValueParser;
use clap::Args;
use nnlab_lab::LabError;
use nnlab_serve::limits::{
    DEFAULT_BODY_TIMEOUT_SECS, DEFAULT_HEADER_TIMEOUT_SECS, DEFAULT_MAX_CONNECTIONS,
};
use nnlab_serve::{RunStore, ServeOptions};

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
    /// Connections open at once; one more is answered 503 and closed (with 64 files kept
    /// aside, it must fit `ulimit -n`)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS,
          value_parser = clap::value_parser!(u32).range(1..).map(|n| n as usize))]
    max_connections: usize,
    /// Seconds a request's head may take, from when the server waits for it: a
    /// connection that has not sent a whole head by then is closed (with a 408 if it
    /// began one), so is a kept-alive connection idle that long
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_HEADER_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Seconds a request's body may take after its head; then 408
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_BODY_TIMEOUT_SECS,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    body_timeout: u64,
}

impl ServeArgs {
    /// The connection limits, checked against this process's open-file limit.
    fn options(&self) -> Result<ServeOptions, LabError> {
        let options = ServeOptions {
            max_connections: self.max_connections,
            header_timeout: Duration::from_secs(self.header_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
        };
        options.check(nnlab_serve::open_file_limit()).map_err(
            |nnlab_serve::ServeError::Option { option, message }| LabError::Config {
                key: option.into(),
                message,
            },
        )?;
        Ok(options)
    }

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
    let options = args.options()?;
    runtime.block_on(async {
        let listener = nnlab_serve::bind(&args.host, args.port)
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
            () = nnlab_serve::serve(listener, runs, options) => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        Ok(ExitCode::SUCCESS)
    })
}
