//! Play, pause, and the stream of updates while playing (server-sent events).
//!
//! A playing session advances `epochs_per_second / 30` epochs every 1/30 s (the fraction
//! carried over), until paused, until training ends (diverged, stopped early) or until it
//! reaches the experiment's `train.epochs`. Every change wakes the session's event streams,
//! which send the new [`crate::view::SessionState`] with the history records the client
//! has not seen.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::stream::{self, Stream};
use nnlab_train::Unit;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use crate::limits::{MAX_EPOCHS, MAX_EPOCHS_PER_SECOND, PLAY_UPDATES_PER_SECOND};
use crate::routes::{parse, query};
use crate::sessions::{Entry, Sessions};
use crate::view::{SessionState, StateOptions};
use crate::ApiError;

/// `{"epochs_per_second": n}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlayRequest {
    epochs_per_second: f64,
}

pub(crate) async fn play(
    State(store): State<Arc<Sessions>>,
    Path(id): Path<String>,
    q: Result<Query<StateOptions>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SessionState>, ApiError> {
    let q = query(q)?;
    let req: PlayRequest = parse(body)?;
    let eps = req.epochs_per_second;
    if !(eps > 0.0 && eps <= MAX_EPOCHS_PER_SECOND) {
        return Err(ApiError::bad(format!(
            "epochs_per_second: {eps} is not in (0, {MAX_EPOCHS_PER_SECOND}]"
        )));
    }
    let entry = store.get(&id)?;
    let (state, start) = {
        let mut s = entry.lock();
        if !s.trainer().is_running() {
            return Err(ApiError::conflict(
                "training has ended (diverged or stopped early): reset or undo first",
            ));
        }
        // Play with every epoch run would stop at once; refuse it before it saves an undo
        // point (it did, and the page showed nothing happening).
        let target = s.experiment.train.epochs.min(MAX_EPOCHS);
        if s.playing.is_none() && s.trainer().epoch() >= target {
            return Err(ApiError::conflict(format!(
                "all {target} epochs have run: raise epochs, step on, or reset"
            )));
        }
        let start = s.playing.is_none();
        s.start_play(eps);
        (s.state(&id, &q)?, start)
    };
    if start {
        tokio::spawn(play_loop(entry.clone()));
    }
    entry.notify();
    Ok(Json(state))
}

pub(crate) async fn pause(
    State(store): State<Arc<Sessions>>,
    Path(id): Path<String>,
    q: Result<Query<StateOptions>, QueryRejection>,
) -> Result<Json<SessionState>, ApiError> {
    let q = query(q)?;
    let entry = store.get(&id)?;
    let state = {
        let mut s = entry.lock();
        s.playing = None;
        s.state(&id, &q)?
    };
    entry.notify();
    Ok(Json(state))
}

/// Advances a playing session on a fixed tick until it stops playing.
async fn play_loop(entry: Arc<Entry>) {
    let mut tick =
        tokio::time::interval(Duration::from_micros(1_000_000 / PLAY_UPDATES_PER_SECOND));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut budget = 0.0;
    loop {
        tick.tick().await;
        let e = entry.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let mut s = e.lock();
            let eps = s.playing?;
            budget += eps / PLAY_UPDATES_PER_SECOND as f64;
            let target = s.experiment.train.epochs.min(MAX_EPOCHS);
            let left = target.saturating_sub(s.trainer().epoch());
            let k = (budget.floor() as usize).min(left);
            budget -= budget.floor();
            // An error here is "training has ended", which the checks below turn into a stop.
            if k > 0 {
                let _ = s.advance(Unit::Epoch, k);
            }
            if !s.trainer().is_running() || s.trainer().epoch() >= target {
                s.playing = None;
            }
            e.touch();
            Some((budget, k > 0 || s.playing.is_none()))
        })
        .await;
        match outcome {
            Ok(Some((b, changed))) => {
                budget = b;
                if changed {
                    entry.notify();
                }
            }
            _ => {
                entry.notify();
                break;
            }
        }
    }
}

/// `GET .../events`: the state now, then after every change (`event: state`).
pub(crate) async fn events(
    State(store): State<Arc<Sessions>>,
    Path(id): Path<String>,
    q: Result<Query<StateOptions>, QueryRejection>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let q = query(q)?;
    let entry = store.get(&id)?;
    let rx = entry.changed.subscribe();
    let start = (entry, rx, id, q, true);
    let stream = stream::unfold(
        start,
        move |(entry, mut rx, id, mut opt, first)| async move {
            if !first {
                match rx.recv().await {
                    Ok(()) | Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => return None,
                }
            }
            let state = entry.lock().state(&id, &opt);
            let event = match state {
                Ok(s) => {
                    let next = s.history_from + s.history.len();
                    let data = serde_json::to_string(&s).unwrap_or_else(|e| {
                        serde_json::json!({ "error": e.to_string() }).to_string()
                    });
                    opt.since = next;
                    Event::default().event("state").data(data)
                }
                Err(e) => Event::default()
                    .event("error")
                    .data(serde_json::json!({ "error": e.message }).to_string()),
            };
            Some((Ok(event), (entry, rx, id, opt, false)))
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
