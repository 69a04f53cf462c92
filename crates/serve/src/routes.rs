//! The HTTP routes (see `API.md`): glue from requests to [`Session`] and [`step_report`].

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRef, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use nnlab_lab::Experiment;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::limits::{MAX_BODY_BYTES, MAX_GRID, MAX_IMPORT_BYTES};
use crate::runs::{self, RunStore};
use crate::session::{ParamEdit, Session, StepRequest};
use crate::sessions::Sessions;
use crate::step_api::{step_report, StepApiRequest};
use crate::view::{SessionState, StateOptions};
use crate::ApiError;
use crate::{exchange, play};

type Shared = Arc<Sessions>;
type ApiResult<T> = Result<T, ApiError>;

const JS: &str = "text/javascript; charset=utf-8";

/// The page's static files: path, content type, body. A new script or style is one line
/// here (and its tag in `index.html`). The tab icon also answers at `/favicon.ico`, which
/// browsers ask for on every load whatever the page links.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "/",
        "text/html; charset=utf-8",
        include_str!("../assets/index.html"),
    ),
    ("/errors.js", JS, include_str!("../assets/errors.js")),
    ("/app.js", JS, include_str!("../assets/app.js")),
    ("/present.js", JS, include_str!("../assets/present.js")),
    ("/draw.js", JS, include_str!("../assets/draw.js")),
    ("/network.js", JS, include_str!("../assets/network.js")),
    ("/charts.js", JS, include_str!("../assets/charts.js")),
    ("/setup.js", JS, include_str!("../assets/setup.js")),
    ("/ticks.js", JS, include_str!("../assets/ticks.js")),
    ("/neurons.js", JS, include_str!("../assets/neurons.js")),
    ("/netedit.js", JS, include_str!("../assets/netedit.js")),
    (
        "/style.css",
        "text/css; charset=utf-8",
        include_str!("../assets/style.css"),
    ),
    (
        "/favicon.svg",
        "image/svg+xml",
        include_str!("../assets/favicon.svg"),
    ),
    (
        "/favicon.ico",
        "image/svg+xml",
        include_str!("../assets/favicon.svg"),
    ),
];

/// What every handler may reach: the sessions and the run store.
#[derive(Clone)]
pub struct AppState {
    pub sessions: Arc<Sessions>,
    pub runs: Arc<RunStore>,
}

impl FromRef<AppState> for Arc<Sessions> {
    fn from_ref(app: &AppState) -> Arc<Sessions> {
        app.sessions.clone()
    }
}

impl FromRef<AppState> for Arc<RunStore> {
    fn from_ref(app: &AppState) -> Arc<RunStore> {
        app.runs.clone()
    }
}

/// The whole application: the page, its script and style, and the API, with the sessions
/// in `store` and saved runs in `runs`.
pub fn router(store: Arc<Sessions>, runs: Arc<RunStore>) -> Router {
    let mut router = Router::new();
    for &(path, content_type, body) in ASSETS {
        router = router.route(path, get(move || async move { asset(content_type, body) }));
    }
    router
        .route("/api/schema", get(api_schema))
        .route("/api/step", post(api_step))
        .route("/api/sessions", post(create))
        // An export of the longest session the limits allow is longer than other bodies.
        .route(
            "/api/sessions/import",
            post(exchange::import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
        .route("/api/sessions/{id}", get(state))
        .route("/api/sessions/{id}/step", post(step))
        .route("/api/sessions/{id}/reset", post(reset))
        .route("/api/sessions/{id}/undo", post(undo))
        .route("/api/sessions/{id}/params", axum::routing::put(edit))
        .route("/api/sessions/{id}/arch", axum::routing::put(arch))
        .route("/api/sessions/{id}/play", post(play::play))
        .route("/api/sessions/{id}/pause", post(play::pause))
        .route("/api/sessions/{id}/events", get(play::events))
        .route("/api/sessions/{id}/export", get(exchange::export))
        .route("/api/sessions/{id}/save", post(runs::save))
        .route("/api/runs", get(runs::list))
        .route("/api/runs/{id}", get(runs::get))
        .route("/api/sessions/{id}/predictions", get(predictions))
        .route("/api/sessions/{id}/grid", get(grid))
        .fallback(|| async { ApiError::not_found("no such page or API route") })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(AppState {
            sessions: store,
            runs,
        })
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Reads a JSON body; a body over the limit is a 413, one too slow a 408, bad JSON a 400
/// naming the problem.
pub(crate) fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> ApiResult<T> {
    let bytes = body.map_err(crate::guard::body_error)?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::bad(format!("request body: {e}")))
}

/// `GET /api/schema`: every option of an experiment (`nnlab_lab::schema`), from which the
/// page builds its form.
/// `GET /api/schema`: the key table and the server's limits.
#[derive(serde::Serialize)]
struct SchemaAnswer {
    #[serde(flatten)]
    schema: nnlab_lab::config::Schema,
    limits: crate::limits::PageLimits,
}

async fn api_schema() -> Json<SchemaAnswer> {
    Json(SchemaAnswer {
        schema: nnlab_lab::schema(),
        limits: crate::limits::PAGE_LIMITS,
    })
}

async fn api_step(
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<nnlab_report::StepReport>> {
    let req: StepApiRequest = parse(body)?;
    step_report(&req).map(Json)
}

/// `POST /api/sessions`: an `Experiment`, or `{"experiment": ..., "csv": "...",
/// "replay": "e30,w5=0.5"}` (a share link's action log, see [`crate::replay`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateRequest {
    experiment: Experiment,
    csv: Option<String>,
    replay: Option<String>,
}

#[derive(Serialize)]
struct Created {
    id: String,
}

/// Runs `f` off the async threads: data preparation and stepping can take a while.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("the request failed: {e}")))?
}

async fn create(
    State(store): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Created>> {
    let value: serde_json::Value = parse(body)?;
    let wrapped = value.get("experiment").is_some();
    let (exp, csv, replay) = if wrapped {
        let req: CreateRequest = serde_json::from_value(value)
            .map_err(|e| ApiError::bad(format!("request body: {e}")))?;
        (req.experiment, req.csv, req.replay)
    } else {
        // An error names the field by its path (`train.lr: ...`).
        let exp = Experiment::from_json(value).map_err(ApiError::bad)?;
        (exp, None, None)
    };
    let session = blocking(move || {
        let mut s = Session::new(&exp, csv)?;
        if let Some(text) = replay {
            s.replay(&text)?;
        }
        Ok(s)
    })
    .await?;
    let id = store.insert(session)?;
    Ok(Json(Created { id }))
}

pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> ApiResult<T> {
    q.map(|Query(t)| t)
        .map_err(|e| ApiError::bad(e.body_text()))
}

async fn state(
    State(store): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<StateOptions>, QueryRejection>,
) -> ApiResult<Json<SessionState>> {
    let q = query(q)?;
    let entry = store.get(&id)?;
    blocking(move || entry.lock().state(&id, &q))
        .await
        .map(Json)
}

/// Changes a session with `f` off the async threads, wakes its event streams, and answers
/// with its new state: at the query's `row`, with the history from its `since` (a page
/// that has the first `since` records needs only the rest; one step at epoch 10,000 sent
/// all 10,000 again).
async fn change(
    store: &Sessions,
    id: String,
    q: Result<Query<StateOptions>, QueryRejection>,
    f: impl FnOnce(&mut Session) -> ApiResult<()> + Send + 'static,
) -> ApiResult<Json<SessionState>> {
    let q = query(q)?;
    let entry = store.get(&id)?;
    let e = entry.clone();
    let state = blocking(move || {
        let mut s = e.lock();
        // A bad row is refused before the change, which would otherwise happen unanswered.
        let n = s.trainer().n_rows();
        if let Some(r) = q.row.filter(|r| !(1..=n).contains(r)) {
            return Err(ApiError::bad(format!("row: {r} is not in 1..={n}")));
        }
        f(&mut s)?;
        s.state(&id, &q)
    })
    .await?;
    entry.notify();
    Ok(Json(state))
}

async fn step(
    State(store): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<StateOptions>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<SessionState>> {
    let req: StepRequest = parse(body)?;
    change(&store, id, q, move |s| s.step(req).map(|_| ())).await
}

async fn reset(
    State(store): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<StateOptions>, QueryRejection>,
) -> ApiResult<Json<SessionState>> {
    change(&store, id, q, |s| {
        s.playing = None;
        s.reset()
    })
    .await
}

async fn undo(
    State(store): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<StateOptions>, QueryRejection>,
) -> ApiResult<Json<SessionState>> {
    change(&store, id, q, |s| {
        s.playing = None;
        s.undo()
    })
    .await
}

async fn edit(
    State(store): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<StateOptions>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<SessionState>> {
    let req: ParamEdit = parse(body)?;
    change(&store, id, q, move |s| s.edit(&req)).await
}

/// `{"arch": "2-3-1"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchRequest {
    arch: String,
}

async fn arch(
    State(store): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<StateOptions>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<SessionState>> {
    let req: ArchRequest = parse(body)?;
    change(&store, id, q, move |s| {
        s.playing = None;
        s.set_arch(&req.arch)
    })
    .await
}

async fn predictions(
    State(store): State<Shared>,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let entry = store.get(&id)?;
    blocking(move || {
        let s = entry.lock();
        let rows = crate::data::predictions(&s.data, s.trainer().network())?;
        Ok(Json(
            serde_json::json!({ "target": s.data.summary.target, "rows": rows }),
        ))
    })
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GridQuery {
    n: Option<usize>,
    /// Each hidden neuron's `a` over the grid too.
    #[serde(default)]
    neurons: bool,
    /// The data's rows too.
    #[serde(default)]
    points: bool,
}

async fn grid(
    State(store): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<GridQuery>, QueryRejection>,
) -> ApiResult<Json<crate::data::Grid>> {
    let q = query(q)?;
    let n = q.n.unwrap_or(30);
    let parts = crate::data::GridParts {
        neurons: q.neurons,
        points: q.points,
    };
    if !(2..=MAX_GRID).contains(&n) {
        return Err(ApiError::bad(format!("n: {n} is not in 2..={MAX_GRID}")));
    }
    let entry = store.get(&id)?;
    blocking(move || {
        let s = entry.lock();
        crate::data::grid(&s.data, s.trainer().network(), n, parts)
    })
    .await
    .map(Json)
}
