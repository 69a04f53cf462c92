//! The run store as the server sees it (`GET /api/runs`, `GET /api/runs/{id}`,
//! `POST /api/sessions/{id}/save`): the SQLite file `nnlab train` records into, opened once
//! when the server starts.
//!
//! A store that is disabled (`--no-store`) or cannot be opened does not stop the server: the
//! run routes answer 503 with the reason, and the page shows it in its runs panel. SQLite
//! calls block, so they run on tokio's blocking threads, one at a time behind a mutex (one
//! connection; SQLite serialises writers anyway).

use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path as UrlPath, Query, State};
use axum::Json;
use nnlab_lab::flat::lookup;
use nnlab_lab::verdict::Outcome;
use nnlab_store::{ParamList, RunStatus, RunSummary, StoreError, StoredRun};
use nnlab_train::EpochRecord;
// Only to tell a busy store (503) from a broken one (500) in `StoreError::Sqlite`.
use rusqlite::ErrorCode;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::routes::{parse, query};
use crate::save::saved_run;
use crate::sessions::Sessions;
use crate::ApiError;

/// Runs `GET /api/runs` lists unless `limit` says otherwise, and the most it lists.
pub const DEFAULT_LIST: usize = 20;
pub const MAX_LIST: usize = 500;
/// The tag of runs saved from the playground (`nnlab runs list --experiment playground`).
pub const PLAYGROUND_TAG: &str = "playground";

/// The server's run store: open, or the reason it is not.
pub struct RunStore {
    store: Result<Mutex<nnlab_store::Store>, String>,
    path: Option<String>,
}

impl RunStore {
    /// Opens (creating if needed) the store at `path`; a failure is kept as the reason the
    /// run routes give, never an error of the server.
    pub fn open(path: &Path) -> RunStore {
        RunStore {
            store: nnlab_store::Store::open(path)
                .map(Mutex::new)
                .map_err(|e| format!("the run store cannot be opened: {e}")),
            path: Some(path.display().to_string()),
        }
    }

    /// No store (`nnlab serve --no-store`).
    pub fn disabled() -> RunStore {
        RunStore::unavailable("the run store is disabled (nnlab serve --no-store)")
    }

    /// No store, for the reason given (e.g. no platform data directory).
    pub fn unavailable(why: impl std::fmt::Display) -> RunStore {
        RunStore {
            store: Err(why.to_string().replace('\n', " ")),
            path: None,
        }
    }

    /// The store's file, when one was named.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// Why runs can be neither listed nor saved, or `None` when the store is open.
    pub fn why_unavailable(&self) -> Option<&str> {
        self.store.as_ref().err().map(String::as_str)
    }

    /// Runs `f` on the open store off the async threads.
    async fn with<T: Send + 'static>(
        self: Arc<Self>,
        f: impl FnOnce(&mut nnlab_store::Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        if let Err(why) = &self.store {
            return Err(ApiError::unavailable(why));
        }
        tokio::task::spawn_blocking(move || match &self.store {
            // A panic while holding the lock cannot leave half a transaction behind (SQLite
            // rolls it back), so a poisoned lock is still usable.
            Ok(m) => f(&mut m.lock().unwrap_or_else(|e| e.into_inner())).map_err(store_error),
            Err(why) => Err(ApiError::unavailable(why)),
        })
        .await
        .map_err(|e| ApiError::internal(format!("the run store request failed: {e}")))?
    }
}

/// A store error as a status: an unknown run is 404, a busy store 503, our failures 500.
fn store_error(e: StoreError) -> ApiError {
    match &e {
        StoreError::NotFound { .. } => ApiError::not_found(e),
        StoreError::Sqlite { source, .. }
            if matches!(
                source.sqlite_error_code(),
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
            ) =>
        {
            ApiError::unavailable(e)
        }
        StoreError::Input { .. } => ApiError::bad(e),
        _ => ApiError::internal(e),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    limit: Option<usize>,
}

/// `GET /api/runs`: the store's path and its newest runs.
#[derive(Serialize)]
pub(crate) struct RunList {
    store: Option<String>,
    runs: Vec<RunRow>,
}

/// One run as the runs panel lists it.
#[derive(Debug, Serialize)]
pub(crate) struct RunRow {
    id: i64,
    started: String,
    status: RunStatus,
    experiment: Option<String>,
    sweep: Option<String>,
    arch: Value,
    activation: Value,
    optimizer: Value,
    lr: Value,
    data: Value,
    /// Epochs run (`null` while running).
    epochs: Option<usize>,
    /// The last epoch's mean training loss (`null` while running or when not finite).
    final_loss: Option<f64>,
    /// `learned`, `stuck`, ... (`null` while running, or recorded before outcomes were kept).
    outcome: Option<Outcome>,
}

impl RunRow {
    fn of(r: &RunSummary) -> RunRow {
        let at = |path: &str| lookup(&r.config, path).cloned().unwrap_or(Value::Null);
        RunRow {
            id: r.id,
            started: r.started.clone(),
            status: r.status,
            experiment: r.experiment.clone(),
            sweep: r.sweep.clone(),
            arch: at("model.arch"),
            activation: at("model.activation"),
            optimizer: at("train.optimizer.kind"),
            lr: at("train.lr"),
            data: at("data.source"),
            epochs: r.epochs_run,
            final_loss: r.final_loss,
            outcome: r.outcome,
        }
    }
}

pub(crate) async fn list(
    State(runs): State<Arc<RunStore>>,
    q: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<RunList>, ApiError> {
    let limit = query(q)?.limit.unwrap_or(DEFAULT_LIST);
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(ApiError::bad(format!(
            "limit: {limit} is not in 1..={MAX_LIST}"
        )));
    }
    let path = runs.path().map(str::to_string);
    let rows = runs
        .with(move |s| {
            s.list(&nnlab_store::Filter {
                limit: Some(limit),
                ..Default::default()
            })
        })
        .await?;
    Ok(Json(RunList {
        store: path,
        runs: rows.iter().map(RunRow::of).collect(),
    }))
}

/// Parameters in their stored (display) order: `{"w1": 1.0, ...}`, `null` where not finite.
struct OrderedParams(Vec<(String, Option<f64>)>);

impl Serialize for OrderedParams {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `GET /api/runs/{id}`: everything stored about one run.
#[derive(Serialize)]
pub(crate) struct StoredRunView {
    #[serde(flatten)]
    row: RunRow,
    finished: Option<String>,
    version: String,
    seeds: (u64, u64, u64),
    /// The resolved configuration (as JSON and as `config.toml` text).
    config: Value,
    config_toml: String,
    status_detail: Value,
    metrics: Value,
    diagnostics: Value,
    initial_params: Option<OrderedParams>,
    final_params: Option<OrderedParams>,
    history: Vec<EpochRecord>,
}

fn params(
    run: &StoredRun,
    text: &Option<String>,
    what: &str,
) -> Result<Option<OrderedParams>, ApiError> {
    text.as_deref()
        .map(|t| {
            ParamList::parse(t)
                .map(|p| OrderedParams(p.0))
                .map_err(|e| {
                    ApiError::internal(format!(
                        "run {}: {what} do not read back: {e}",
                        run.summary.id
                    ))
                })
        })
        .transpose()
}

pub(crate) async fn get(
    State(runs): State<Arc<RunStore>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<StoredRunView>, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found(format!("no run '{id}' (run ids are whole numbers)")))?;
    let run = runs.with(move |s| s.get(id)).await?;
    Ok(Json(StoredRunView {
        row: RunRow::of(&run.summary),
        initial_params: params(&run, &run.initial_params, "initial parameters")?,
        final_params: params(&run, &run.final_params, "final parameters")?,
        finished: run.summary.finished,
        version: run.summary.version,
        seeds: run.summary.seeds,
        config: run.summary.config,
        config_toml: run.config_toml,
        status_detail: run.status_detail,
        metrics: run.summary.metrics,
        diagnostics: run.diagnostics,
        history: run.history,
    }))
}

/// `POST /api/sessions/{id}/save`: an optional `{"experiment": NAME}` tag.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SaveRequest {
    experiment: Option<String>,
}

/// The saved run's id, and whether rerunning its configuration gives its numbers again.
#[derive(Serialize)]
pub(crate) struct Saved {
    id: i64,
    experiment: String,
    /// True when `nnlab runs rerun ID` reproduces the saved run bit for bit.
    reproducible: bool,
    /// Why it does not, when it does not.
    notes: Vec<String>,
}

pub(crate) async fn save(
    State(sessions): State<Arc<Sessions>>,
    State(runs): State<Arc<RunStore>>,
    UrlPath(id): UrlPath<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Saved>, ApiError> {
    // No body (or `null`) is allowed: the tag then is the default.
    let req: SaveRequest = match body {
        Ok(b) if b.iter().all(u8::is_ascii_whitespace) => SaveRequest::default(),
        other => parse::<Option<SaveRequest>>(other)?.unwrap_or_default(),
    };
    let experiment = req.experiment.unwrap_or_else(|| PLAYGROUND_TAG.into());
    if experiment.trim().is_empty() || experiment.chars().count() > 100 {
        return Err(ApiError::bad(
            "experiment: give a name of 1 to 100 characters",
        ));
    }
    if let Some(why) = runs.why_unavailable() {
        return Err(ApiError::unavailable(why));
    }
    let entry = sessions.get(&id)?;
    let saved = tokio::task::spawn_blocking(move || saved_run(&entry.lock()))
        .await
        .map_err(|e| ApiError::internal(format!("the request failed: {e}")))??;
    let tag = experiment.clone();
    let record = saved.record;
    let new_id = runs
        .with(move |s| s.record(&record.tagged(Some(&tag), None)))
        .await?;
    Ok(Json(Saved {
        id: new_id,
        experiment,
        reproducible: saved.notes.is_empty(),
        notes: saved.notes,
    }))
}
