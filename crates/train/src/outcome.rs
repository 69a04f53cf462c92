//! How a run ends: [`Trainer::finish`] turns the trainer into a [`TrainOutcome`], and
//! [`train`] is a [`Trainer`] stepped through `cfg.epochs` epochs, then finished.

use nnlab_core::Network;

use crate::{Event, Samples, TrainConfig, TrainError, TrainOutcome, TrainStatus, Trainer, Unit};

impl Trainer {
    /// The run as it stands, with the closing events (`StoppedEarly` or `Diverged`, then
    /// `Finished`) sent to `on_event`.
    pub fn finish(self, on_event: &mut dyn FnMut(&Event)) -> TrainOutcome {
        let st = self.state;
        match &st.status {
            TrainStatus::StoppedEarly { epoch, best_epoch } => on_event(&Event::StoppedEarly {
                epoch: *epoch,
                best_epoch: *best_epoch,
            }),
            TrainStatus::Diverged {
                epoch,
                sample,
                row,
                parameter,
                value,
                suggestion,
            } => on_event(&Event::Diverged {
                epoch: *epoch,
                sample: *sample,
                row: *row,
                parameter: parameter.clone(),
                value: *value,
                suggestion: suggestion.clone(),
            }),
            TrainStatus::Completed => {}
        }
        on_event(&Event::Finished);
        let best_epoch = match &st.stopper {
            Some(s) if s.best_epoch > 0 => Some(s.best_epoch),
            _ => st.argmin.map(|(_, e)| e),
        };
        TrainOutcome {
            status: st.status,
            history: self.history,
            initial: self.initial,
            final_net: st.net,
            best_epoch,
            sample_steps: st.sample_steps,
            fast_kernel: st.course_kernel,
        }
    }
}

/// Trains `net` in place on `train`, evaluating on `test` after each epoch, and streams
/// progress to `on_event`: a [`Trainer`] stepped through `cfg.epochs` epochs.
///
/// Errors (before anything runs) on an invalid config, unusable samples or samples whose
/// widths differ from the network's. A run that diverges is not an error: it returns
/// [`TrainStatus::Diverged`] with the history of the complete epochs before it.
///
/// With [`Kernel::Auto`](crate::Kernel::Auto): the fast course kernels run when the network
/// is the ReLU 2-2-1 course network with squared error, SGD, batch size 1 or full and
/// nothing frozen (the same bits as the general path); else the batched engine runs when a
/// mini-batch's products are large enough to pay (any network but the course's shape, batch
/// size at least 2, batch · weights at least 1,500; equal to the general path to rounding,
/// not to the bit); else the general path, one sample at a time.
pub fn train(
    net: &mut Network,
    train: &Samples,
    test: Option<&Samples>,
    cfg: &TrainConfig,
    on_event: &mut dyn FnMut(&Event),
) -> Result<TrainOutcome, TrainError> {
    let mut trainer = Trainer::new(net.clone(), cfg, train, test)?;
    on_event(&Event::Start {
        epochs: cfg.epochs,
        rows: train.n_rows(),
    });
    trainer.step(train, test, Unit::Epoch, cfg.epochs, on_event)?;
    let out = trainer.finish(on_event);
    net.clone_from(&out.final_net);
    Ok(out)
}
