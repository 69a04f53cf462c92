//! Export and import of a session (`GET /api/sessions/{id}/export`,
//! `POST /api/sessions/import`): the configuration, both networks, the history and the
//! position in the current epoch, as JSON a student can keep and load again.
//!
//! An import is exact when it can be: the export's configuration is trained again from
//! its start to the exported epoch and row, and when that gives the exported history and
//! final parameters bit for bit, the imported session is that replay, with the optimizer's
//! moments, the shuffle stream, the plateau schedule and early stopping where the exported
//! session had them (none of which the export carries). Otherwise (a parameter was edited,
//! the replay would be longer than [`MAX_SAMPLE_STEPS`]) it starts from the exported
//! parameters with fresh optimizer state, and says so (`"exact": false`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::Json;
use nnlab_core::{NamedValues, Network};
use nnlab_data::Scaler;
use nnlab_lab::Experiment;
use nnlab_train::{EpochRecord, Unit};
use serde::{Deserialize, Serialize};

use crate::limits::{MAX_EPOCHS, MAX_SAMPLE_STEPS};
use crate::routes::{blocking, parse};
use crate::session::Session;
use crate::sessions::Sessions;
use crate::ApiError;

/// `params.json`'s shape, as `nnlab train --out` writes it.
#[derive(Serialize, Deserialize)]
struct ParamsFile {
    initial: NamedValues,
    #[serde(rename = "final")]
    final_params: NamedValues,
    initial_network: Network,
    final_network: Network,
    scaler: Scaler,
}

/// `GET .../export` and the body of `POST /api/sessions/import`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Export {
    config: Experiment,
    params: ParamsFile,
    history: Vec<EpochRecord>,
    /// Rows of the current epoch already processed (older exports lack it: 0).
    #[serde(default)]
    position: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    csv: Option<String>,
}

/// The answer of an import.
#[derive(Serialize)]
pub(crate) struct Imported {
    id: String,
    /// True when the session continues exactly as the exported one would have (optimizer
    /// state, shuffle stream and schedule replayed); false when it starts from the exported
    /// parameters with fresh optimizer state.
    exact: bool,
}

pub(crate) async fn export(
    State(store): State<Arc<Sessions>>,
    Path(id): Path<String>,
) -> Result<Json<Export>, ApiError> {
    let entry = store.get(&id)?;
    let s = entry.lock();
    let net = s.trainer().network().clone();
    Ok(Json(Export {
        config: s.experiment.clone(),
        params: ParamsFile {
            initial: NamedValues::of(&s.initial),
            final_params: NamedValues::of(&net),
            initial_network: s.initial.clone(),
            final_network: net,
            scaler: s.data.scaler.clone(),
        },
        history: s.trainer().history().to_vec(),
        position: s.trainer().position(),
        csv: s.csv.clone(),
    }))
}

pub(crate) async fn import(
    State(store): State<Arc<Sessions>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Imported>, ApiError> {
    let req: Export = parse(body)?;
    let (session, exact) = blocking(move || restore(req)).await?;
    let id = store.insert(session)?;
    Ok(Json(Imported { id, exact }))
}

/// The session an export describes, replayed when that reproduces it.
fn restore(req: Export) -> Result<(Session, bool), ApiError> {
    let mut s = Session::new(&req.config, req.csv)?;
    let epochs = req.history.len();
    let rows = s.trainer().n_rows();
    if req.position >= rows {
        return Err(ApiError::bad(format!(
            "position: {} is not below the {rows} training rows",
            req.position
        )));
    }
    let cost = epochs.saturating_mul(rows).saturating_add(req.position);
    if epochs <= MAX_EPOCHS
        && cost <= MAX_SAMPLE_STEPS
        && same_bits(&s.initial, &req.params.initial_network)
    {
        if epochs > 0 {
            s.advance(Unit::Epoch, epochs)?;
        }
        if req.position > 0 && s.trainer().is_running() {
            s.advance(Unit::Sample, req.position)?;
        }
        if same_bits(s.trainer().network(), &req.params.final_network)
            && same_history(s.trainer().history(), &req.history)
            && s.trainer().position() == req.position
        {
            return Ok((s, true));
        }
    }
    s.resume(req.params.final_network, req.history)?;
    Ok((s, false))
}

fn same_bits(a: &Network, b: &Network) -> bool {
    let (a, b) = (a.params_flat(), b.params_flat());
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits())
}

fn same_history(a: &[EpochRecord], b: &[EpochRecord]) -> bool {
    let bits = |v: Option<f64>| v.map(f64::to_bits);
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.epoch == y.epoch
                && x.train_loss.to_bits() == y.train_loss.to_bits()
                && bits(x.test_loss) == bits(y.test_loss)
                && x.lr.to_bits() == y.lr.to_bits()
        })
}
