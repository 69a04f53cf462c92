//! # nnlab-train: training small networks, epoch by epoch
//!
//! Training works on plain slices ([`Samples`]), whatever produced them. A [`Trainer`]
//! holds a run's whole state and is stepped by sample, batch or epoch (with undo by
//! [`Snapshot`] and a preview of the next step's update, [`UpdatePreview`]); [`train`]
//! steps one through the epochs set by a [`TrainConfig`] (serde data with the course's
//! defaults: 300 epochs, `lr = 0.01`, per-sample SGD, rows in file order, squared error),
//! streams an [`Event`] per epoch, and returns a [`TrainOutcome`] with the loss history and
//! how the run ended.
//!
//! The course's ReLU 2-2-1 network with per-sample SGD runs on a fast kernel (about 17 ns
//! per sample-step on a 3.2 GHz Zen 3, `benches/course_sgd.rs`) that gives the same bits as
//! the general path, which handles
//! every other network, loss, [`Optimizer`] (SGD, momentum, Adam), batch size, [`Schedule`],
//! [`EarlyStopping`] and frozen parameters. Mini-batches large enough to pay run on a
//! batched engine that writes each batch's passes as matrix products (`matrixmultiply`'s
//! single-threaded `dgemm`): 8-64-64-1 with Adam at batch 64 trains about 6× faster than
//! one sample at a time, and agrees with the general path to rounding (tested to 1e-12
//! relative; `benches/batched.rs`, `tests/batched.rs`).
//!
//! Expected outcome below: on four rows of `y = x1 + x2`, 300 epochs from the course's
//! starting point complete and the mean loss ends far below the first epoch's.
//!
//! ```
//! use nnlab_core::course;
//! use nnlab_train::{train, Event, Samples, TrainConfig, TrainStatus};
//!
//! let x = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
//! let y = [0.0, 1.0, 1.0, 2.0];
//! let data = Samples::new(&x, &y, 2, 1).unwrap();
//! let mut net = course::network([1.0, 0.5, 1.0, -1.0, 1.0, 1.0], [0.5, 0.0, 0.5]);
//! let mut epochs_seen = 0;
//! let out = train(&mut net, &data, None, &TrainConfig::default(), &mut |e| {
//!     if let Event::Epoch(_) = e { epochs_seen += 1 }
//! }).unwrap();
//! assert_eq!(out.status, TrainStatus::Completed);
//! assert_eq!((out.history.len(), epochs_seen, out.sample_steps), (300, 300, 1200));
//! assert!(out.history[299].train_loss < out.history[0].train_loss / 10.0);
//! assert_eq!(out.final_net, net);
//! ```

mod batched;
mod config;
pub mod curvature;
mod early_stop;
mod engine;
mod error;
mod event;
mod fast;
mod fast_batch;
mod form;
mod general;
pub mod metrics;
mod optimizer;
mod outcome;
mod plateau;
mod preview;
mod samples;
mod schedule;
mod state;
mod trainer;

pub use config::{BatchSize, Kernel, TrainConfig};
pub use early_stop::EarlyStopping;
pub use error::TrainError;
pub use event::{EpochRecord, Event, TrainOutcome, TrainStatus};
pub use metrics::{classify, compute, compute_by, predict_all, ClassMetrics, Metrics};
pub use optimizer::{Optimizer, OptimizerSlots, DEFAULT_ADAM, DEFAULT_MOMENTUM};
pub use outcome::train;
pub use preview::{ParamUpdate, UpdatePreview};
pub use samples::Samples;
pub use schedule::{Schedule, PLATEAU_DEFAULT};
pub use trainer::{Snapshot, Trainer, Unit};
