//! What the trainer's next sample step will really do ([`Trainer::preview`]): the sample's
//! loss, where it stands in its batch and, when it completes the batch, every parameter's
//! update under the configured optimizer, with the rule's formula and numbers.
//!
//! The preview runs the step itself on a copy of the trainer's state, so its `after` is
//! exactly what the step then writes (tested bit for bit for SGD, momentum and Adam).
//!
//! ```
//! use nnlab_core::course;
//! use nnlab_train::{Samples, TrainConfig, Trainer, Unit};
//!
//! // Two rows, one batch of 2: the first sample only adds its gradient to the batch's sum.
//! let data = Samples::new(&[1.0, 0.0, 0.0, 1.0], &[2.0, 1.0], 2, 1).unwrap();
//! let net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let cfg = TrainConfig { batch_size: "2".parse().unwrap(), ..TrainConfig::default() };
//! let mut t = Trainer::new(net, &cfg, &data, None).unwrap();
//! let p = t.preview(&data).unwrap().unwrap();
//! assert_eq!((p.batch_sample, p.batch_size, p.updates), (1, 2, false));
//! t.step(&data, None, Unit::Sample, 1, &mut |_| {}).unwrap();
//! let p = t.preview(&data).unwrap().unwrap();
//! assert!(p.updates);
//! t.step(&data, None, Unit::Sample, 1, &mut |_| {}).unwrap();
//! let w1 = p.params.iter().find(|q| q.name == "w1").unwrap();
//! assert_eq!(w1.after, t.network().params_flat()[0]);
//! ```

use serde::Serialize;

use crate::general::grad_at;
use crate::optimizer::OptimizerSlots;
use crate::state::{Sample, Scratch, State};
use crate::{Samples, TrainError, TrainStatus, Trainer};

/// The next sample step (see the module doc).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdatePreview {
    /// 1-based epoch the sample belongs to.
    pub epoch: usize,
    /// 1-based position of the sample in its epoch.
    pub sample: usize,
    /// 1-based data row of the sample.
    pub row: usize,
    /// The sample's loss with the current parameters (before any update).
    pub loss: f64,
    /// The learning rate of the sample's epoch.
    pub lr: f64,
    /// The sample is number `batch_sample` of the `batch_size` rows of its batch.
    pub batch_sample: usize,
    pub batch_size: usize,
    /// True when the sample completes its batch, so the optimizer updates.
    pub updates: bool,
    /// How the batch's gradient is formed, with its numbers.
    pub batch_formula: String,
    /// The optimizer's update rule with its numbers (for the update that completes the
    /// batch).
    pub formula: String,
    /// The trainer's status after the step (`diverged` when this step makes it diverge).
    pub status: TrainStatus,
    /// Every parameter in display order.
    pub params: Vec<ParamUpdate>,
}

/// One parameter in an [`UpdatePreview`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamUpdate {
    pub name: String,
    pub before: f64,
    /// When the batch is not complete: the batch's gradient sum `Σg` so far, this sample's
    /// included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sum: Option<f64>,
    /// When the sample completes the batch: the gradient the optimizer uses, the batch's
    /// mean `(Σg)·(1/B)` (a batch of one: the sample's gradient as is; 0 when frozen).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gradient: Option<f64>,
    /// Frozen parameters never move.
    pub frozen: bool,
    /// The optimizer's state for this parameter after the update (momentum's velocity;
    /// Adam's `m`, `v`, `m_hat`, `v_hat`).
    #[serde(flatten)]
    pub state: OptimizerSlots,
    /// The value after the step: exactly what the trainer writes.
    pub after: f64,
}

impl Trainer {
    /// What the next sample step will do (see the module doc); `None` once training has
    /// ended. Errors when `train` is not shaped like the set the trainer was made with.
    pub fn preview(&self, train: &Samples) -> Result<Option<UpdatePreview>, TrainError> {
        self.check_train(train)?;
        if !self.is_running() {
            return Ok(None);
        }
        let s = &self.setup;
        let mut st = self.state.clone();
        let mut sc = Scratch::new(&st.net);
        if st.position == 0 {
            st.begin_epoch(s, &mut |_| {});
        }
        let k = st.position;
        let (start, end) = State::batch_of(s, k);
        let (size, row, lr, epoch) = (end - start, st.row_at(k), st.lr, st.epoch + 1);
        let loss = match st.sample(s, train, &mut sc) {
            Sample::Done { loss, .. } | Sample::Diverged { loss } => loss,
        };
        // A non-finite loss stops the step before its backward pass.
        let computed = loss.is_finite();
        let updates = computed && k + 1 == end;
        let before = &self.state.net;
        let params = before
            .named_param_ids()
            .into_iter()
            .map(|(name, id)| {
                let batch_sum = || {
                    if size == 1 {
                        grad_at(&sc.grads, before, id)
                    } else {
                        grad_at(&st.batch_grads, before, id)
                    }
                };
                ParamUpdate {
                    before: before.get(id),
                    sum: (computed && !updates).then(batch_sum),
                    gradient: updates.then(batch_sum),
                    frozen: s.frozen.contains(&id),
                    state: if updates {
                        st.optimizer.slots(before, id)
                    } else {
                        OptimizerSlots::default()
                    },
                    after: st.net.get(id),
                    name,
                }
            })
            .collect();
        let t = self.state.optimizer.steps() + 1;
        Ok(Some(UpdatePreview {
            epoch,
            sample: k + 1,
            row: row + 1,
            loss,
            lr,
            batch_sample: k + 1 - start,
            batch_size: size,
            updates,
            batch_formula: batch_formula(
                k + 1 - start,
                size,
                &frozen_names(self),
                s.cfg.regularization().is_active(),
            ),
            formula: s.cfg.optimizer.rule(lr, t),
            status: st.status,
            params,
        }))
    }
}

fn frozen_names(t: &Trainer) -> Vec<String> {
    let net = &t.state.net;
    t.setup
        .frozen
        .iter()
        .map(|&id| net.param_name(id))
        .collect()
}

/// How the gradient of a batch of `size` rows is formed, at its sample `k` (1-based); with
/// a `penalty`, its gradient joins once, when the batch completes.
fn batch_formula(k: usize, size: usize, frozen: &[String], penalty: bool) -> String {
    let mut text = if size == 1 {
        "g = dL/dp of this sample (a batch of one row)".to_string()
    } else if k == size {
        format!("g = (g_1 + ... + g_{size})·(1/{size}): sample {k} of {size} completes the batch")
    } else {
        format!(
            "sample {k} of {size}: Σg = g_1 + ... + g_{k} so far; no update until sample {size}"
        )
    };
    if penalty && k == size {
        text.push_str("; + the L1/L2 penalty's gradient λ1·sign(w) + 2λ2·w on every weight");
    }
    if !frozen.is_empty() {
        text.push_str(&format!("; frozen (g = 0): {}", frozen.join(", ")));
    }
    text
}
