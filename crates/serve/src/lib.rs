//! # nnlab-serve: a browser playground that shows the math behind every number
//!
//! `nnlab serve` starts an HTTP server (axum) with one page and a JSON API. The page does no
//! math of its own: every number it shows comes from the library through the API, so what a
//! student sees in the browser is what `nnlab step` and `nnlab train` compute.
//!
//! - `POST /api/step` answers with exactly the object `nnlab step --json` prints
//!   ([`nnlab_report::StepReport`]).
//! - Sessions train an [`nnlab_lab::Experiment`] one sample, batch or epoch at a time with
//!   the trainer `nnlab train` runs ([`nnlab_train::Trainer`]), so whole epochs give its
//!   bits; each state shows what the next sample step will really do
//!   ([`nnlab_train::UpdatePreview`]). Sessions can be reset, undone, edited, played
//!   (server-sent events), resized (+/− neurons and layers), exported, imported and
//!   shared as a link that replays their actions bit for bit.
//! - Sessions can be saved into the run store `nnlab train` records into ([`RunStore`]),
//!   whose recent runs the page lists and overlays on its loss chart.
//!
//! The API is documented in `API.md` beside this crate's `Cargo.toml`; the limits are in
//! [`limits`].
//!
//! The server under load ([`ServeOptions`]): a request's head must arrive within a timeout
//! (which also closes idle kept-alive connections), its body within another, at most so many
//! connections are open at once, and every error status, including the ones hyper and axum
//! answer by themselves (400, 405, 408, 413, 414, 431, 500, 503), carries the same
//! `{"error": "..."}` body.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! let runs = nnlab_serve::RunStore::open("runs.sqlite".as_ref());
//! nnlab_serve::serve(listener, runs, nnlab_serve::ServeOptions::default()).await;
//! # Ok(())
//! # }
//! ```

mod data;
mod error;
mod exchange;
mod guard;
pub mod limits;
mod play;
mod replay;
mod resize;
mod routes;
pub mod runs;
mod save;
mod server;
mod session;
mod sessions;
mod step_api;
mod view;
mod wire;

use std::sync::Arc;

pub use data::{Grid, NeuronGrid, Point, PredictionRow};
pub use error::ApiError;
pub use routes::{router, AppState};
pub use runs::RunStore;
pub use save::{run_result, saved_run, SavedRun};
pub use server::{bind, open_file_limit, serve_app, ServeError, ServeOptions};
pub use session::{ParamEdit, Session, StepRequest};
pub use sessions::Sessions;
pub use step_api::{step_report, StepApiRequest, Values};
pub use view::{Names, Replay, SessionState, StateOptions};

/// The API's documentation (Markdown), as the README shows it.
pub const API_DOC: &str = include_str!("../API.md");

/// Serves the page and the API on `listener` until the process ends, saving runs into
/// `runs` (see [`RunStore::open`], [`RunStore::disabled`]), within `options`.
pub async fn serve(listener: tokio::net::TcpListener, runs: RunStore, options: ServeOptions) {
    let app = router(Arc::new(Sessions::default()), Arc::new(runs));
    serve_app(listener, app, options).await
}

/// True for addresses that only this machine can reach (127.0.0.0/8, ::1): the server binds
/// anything else only when asked with an explicit `--host`.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_loopback_addresses_are_local() {
        for host in ["127.0.0.1", "127.5.6.7", "::1", "localhost"] {
            assert!(super::is_loopback(host), "{host}");
        }
        for host in ["0.0.0.0", "192.168.1.2", "::", "example.org"] {
            assert!(!super::is_loopback(host), "{host}");
        }
    }
}
