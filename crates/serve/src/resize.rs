//! Resizing a session's network (the page's +/− neurons and layers): the library's
//! [`nnlab_core::Network::resized`] and [`nnlab_lab::ModelConfig::with_arch`], with the
//! session's undo, log and limits around them.

use nnlab_lab::config::Arch;

use crate::limits::{check_network, check_sizes};
use crate::replay::{record, Action};
use crate::session::{new_trainer, BeforeArch, Session, UndoPoint};
use crate::ApiError;

impl Session {
    /// Resizes the network to `arch` (`2-3-1`; the input and output sizes stay the data's),
    /// keeping every parameter that still fits bit for bit (`Network::resized`) and drawing
    /// the new ones as the experiment's initializer does at the new shape (its init seed).
    /// The configuration follows (`model.arch`, what no longer fits the shape dropped, frozen
    /// names carried over); the history stays and the epoch count goes on after it, while
    /// the optimizer's state and the current epoch's progress start afresh, so the session
    /// is marked edited. One undo point.
    pub fn set_arch(&mut self, arch: &str) -> Result<(), ApiError> {
        let arch: Arch = arch
            .parse()
            .map_err(|m| ApiError::bad(format!("arch: {m}")))?;
        let net = self.trainer.network();
        if arch.sizes() == net.sizes() {
            return Err(ApiError::bad(format!(
                "arch: the network is {arch} already"
            )));
        }
        let sizes = arch.sizes();
        if sizes[0] != net.n_inputs() || sizes[sizes.len() - 1] != net.n_outputs() {
            return Err(ApiError::bad(format!(
                "arch: {arch} does not keep the data's {} inputs and {} output (change the hidden layers only)",
                net.n_inputs(),
                net.n_outputs()
            )));
        }
        check_sizes(&arch.to_string(), sizes)?;
        let mut experiment = self.experiment.clone();
        experiment.model = experiment.model.with_arch(arch.clone());
        let fresh = experiment
            .initial_network()
            .map_err(|e| ApiError::bad(e.in_syntax(nnlab_lab::Syntax::Json)))?;
        check_network(&fresh)?;
        let resized = net.resized(&fresh);
        // A frozen parameter stays frozen under its new name; one that is gone is dropped.
        experiment.train.freeze = (experiment.train.freeze.iter())
            .filter_map(|name| net.param_by_name(name).ok())
            .filter_map(|id| net.counterpart_in(id, &resized))
            .map(|id| resized.param_name(id))
            .collect();
        let mut trainer = new_trainer(&experiment, &self.data, resized)?;
        trainer.resume_after(self.trainer.history().to_vec());
        let before = BeforeArch {
            experiment: std::mem::replace(&mut self.experiment, experiment),
            initial: std::mem::replace(&mut self.initial, fresh),
            trainer: std::mem::replace(&mut self.trainer, trainer),
            snapshots: std::mem::take(&mut self.snapshots),
            edited: self.edited,
            log: self.log.clone(),
        };
        self.push_point(UndoPoint::Arch(Box::new(before)));
        self.edited = true;
        if let Some(log) = &mut self.log {
            record(log, Action::Arch(arch));
        }
        Ok(())
    }
}
