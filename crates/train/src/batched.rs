//! The batched path: any network, loss, optimizer, batch size and frozen set, with each
//! mini-batch's forward and backward pass written as matrix products over all its rows.
//!
//! For layer `l` with weights `W` (`n_out × n_in`, row-major as in [`nnlab_core::Layer`])
//! and the batch's inputs to it `A_prev` (`m × n_in`, one row per sample):
//!
//! ```text
//! Z      = A_prev · Wᵀ, then + b on every row        A = f(Z)  (softmax: row by row)
//! dZ     = dA ∘ f'(Z)                                 (softmax: its Jacobian, row by row)
//! dZ_out = nnlab_core::output::output_gradient row by row (y_hat - y after sigmoid + BCE or
//!          softmax + CCE, else loss'(y_hat, y) / n_out through the output's derivative)
//! dW    += dZᵀ · A_prev                               the sum over the batch's rows of dz_r ⊗ a_r
//! db    += Σ_r dZ[r]                                  in row order
//! dA_prev = dZ · W
//! g = (dW, db) · (1/|B|); g[frozen] = 0; optimizer step
//! ```
//!
//! That is the general path's mathematics ([`crate::state`]): the same per-sample losses
//! summed left to right into the epoch loss, the same divergence checks (the first
//! non-finite sample loss stops the epoch before its batch's update; a non-finite parameter
//! after an update stops it after), the same optimizers. Only the order of the sums inside
//! each product differs (and the matrix kernel fuses multiply-adds), so the results agree
//! with the general path to rounding, not to the bit: within 1e-15 relative on the cases of
//! `tests/batched.rs`, which holds them to 1e-12.
//!
//! Products of at least [`GEMM_MIN_FLOPS`] multiply-adds go to `matrixmultiply::dgemm`
//! (single-threaded, so the bits never depend on the thread count); smaller ones, where the
//! library's packing costs more than it saves, run as plain loops. A batch is processed in
//! chunks of at most [`CHUNK`] rows whose gradients are added up, so a full batch of a
//! million rows needs no more memory than one of 256.
//!
//! The engine allocates nothing per batch: every buffer is made once in
//! [`BatchedEngine::new`]. (`dgemm` itself takes a packing buffer from the allocator on each
//! call, a few KiB; at the sizes where it runs, that costs far less than it saves.)

use nnlab_core::output::output_gradient;
use nnlab_core::{sample_loss, Activation, Gradients, Loss, Network, ParamId, Regularization};

use crate::engine::{Divergence, Engine, EpochRun};
use crate::general::{all_finite, copy_params, with_penalty, zero_frozen};
use crate::optimizer::OptimizerState;
use crate::Samples;
use crate::TrainConfig;

/// Rows per chunk: 256 rows of a 64-wide layer (128 KiB per buffer) stay in L2.
pub(crate) const CHUNK: usize = 256;

/// Products with fewer multiply-adds (`m·k·n`) than this run as plain loops: below it,
/// `dgemm`'s per-call packing costs about what its kernel saves. Measured with
/// `benches/batched.rs` at batch 64 (thresholds 0, 300, 1000, 4096 and never): plain loops
/// only held their own on products of 256 multiply-adds or fewer (the 2-2-1 network);
/// from about 1,000 up `dgemm` won, by 2× on 2-8-1 and 8-4-4-1.
pub(crate) const GEMM_MIN_FLOPS: usize = 1024;

/// Per-layer buffers for one chunk of rows, each `rows × n_out` row-major.
struct LayerBufs {
    /// `z` of every row.
    z: Vec<f64>,
    /// `a = f(z)` of every row.
    a: Vec<f64>,
    /// `dL/da`, then (in place) `dL/dz`.
    d: Vec<f64>,
    /// One row's worth (`n_out`): the output's `dL/da` of a row, or a softmax row's `dL/da`.
    row: Vec<f64>,
}

pub(crate) struct BatchedEngine<'a> {
    net: Network,
    train: Samples<'a>,
    loss: Loss,
    reg: Regularization,
    batch: usize,
    chunk: usize,
    frozen: Vec<ParamId>,
    optimizer: OptimizerState,
    grads: Gradients,
    layers: Vec<LayerBufs>,
    /// A shuffled chunk's inputs and targets, gathered into row order.
    x: Vec<f64>,
    y: Vec<f64>,
}

impl<'a> BatchedEngine<'a> {
    /// An engine that starts from `net` and the optimizer's state so far.
    pub(crate) fn new(
        net: &Network,
        optimizer: OptimizerState,
        train: Samples<'a>,
        cfg: &TrainConfig,
        batch: usize,
        frozen: Vec<ParamId>,
    ) -> BatchedEngine<'a> {
        let batch = batch.max(1);
        let chunk = batch.min(CHUNK);
        BatchedEngine {
            net: net.clone(),
            train,
            loss: cfg.loss,
            reg: cfg.regularization(),
            batch,
            chunk,
            frozen,
            optimizer,
            grads: Gradients::zeros(net),
            layers: net
                .layers()
                .iter()
                .map(|l| LayerBufs {
                    z: vec![0.0; chunk * l.n_out()],
                    a: vec![0.0; chunk * l.n_out()],
                    d: vec![0.0; chunk * l.n_out()],
                    row: vec![0.0; l.n_out()],
                })
                .collect(),
            x: vec![0.0; chunk * net.n_inputs()],
            y: vec![0.0; chunk * net.n_outputs()],
        }
    }
}

/// The forward pass of `m` rows `x` (`m × n_inputs`): fills every layer's `z` and `a`.
fn forward(net: &Network, bufs: &mut [LayerBufs], x: &[f64], m: usize) {
    for (l, layer) in net.layers().iter().enumerate() {
        let (n_in, n_out) = (layer.n_in(), layer.n_out());
        let (before, rest) = bufs.split_at_mut(l);
        let input: &[f64] = if l == 0 { x } else { &before[l - 1].a };
        let bufs = &mut rest[0];
        // Z (m × n_out) = A_prev (m × n_in) · Wᵀ (n_in × n_out).
        gemm(
            (m, n_in, n_out),
            Mat::new(input, n_in, 1),
            Mat::new(layer.weights_flat(), 1, n_in),
            false,
            &mut bufs.z,
        );
        let z = &mut bufs.z[..m * n_out];
        for row in z.chunks_exact_mut(n_out) {
            for (zj, bj) in row.iter_mut().zip(layer.biases()) {
                *zj += bj;
            }
        }
        activate(layer.activation, n_out, z, &mut bufs.a[..m * n_out]);
    }
}

/// The backward pass of the `m` rows last run forward from `x`, with targets `y`: adds
/// their gradient sums into `grads` (overwriting them when `first`).
fn backward(
    net: &Network,
    bufs: &mut [LayerBufs],
    loss: Loss,
    grads: &mut Gradients,
    (x, y): (&[f64], &[f64]),
    m: usize,
    first: bool,
) {
    let last = bufs.len() - 1;
    let n_out = net.n_outputs();
    let act = net.output_activation();
    {
        let out = &mut bufs[last];
        // A row's dL/da goes to `row` (unused after); the output's `d` receives dL/dz.
        let da = &mut out.row;
        let rows = out.d[..m * n_out].chunks_exact_mut(n_out);
        for (((dz, z), y_hat), y) in rows
            .zip(out.z.chunks_exact(n_out))
            .zip(out.a.chunks_exact(n_out))
            .zip(y.chunks_exact(n_out))
        {
            output_gradient(loss, act, z, y_hat, y, da, dz);
        }
    }
    for l in (0..=last).rev() {
        let layer = &net.layers()[l];
        let (n_in, n_out) = (layer.n_in(), layer.n_out());
        let (before, rest) = bufs.split_at_mut(l);
        let bufs = &mut rest[0];
        let dz = &mut bufs.d[..m * n_out];
        if l < last {
            let zs = &bufs.z[..m * n_out];
            derivative(layer.activation, zs, &bufs.a, dz, &mut bufs.row);
        }
        let input: &[f64] = if l == 0 { x } else { &before[l - 1].a };
        let g = &mut grads.layers[l];
        // dW (n_out × n_in) += dZᵀ (n_out × m) · A_prev (m × n_in).
        gemm(
            (n_out, m, n_in),
            Mat::new(dz, 1, n_out),
            Mat::new(input, n_in, 1),
            !first,
            &mut g.dw,
        );
        if first {
            g.db.fill(0.0);
        }
        for row in dz.chunks_exact(n_out) {
            for (db, d) in g.db.iter_mut().zip(row) {
                *db += d;
            }
        }
        if l > 0 {
            // dA_prev (m × n_in) = dZ (m × n_out) · W (n_out × n_in).
            gemm(
                (m, n_out, n_in),
                Mat::new(dz, n_out, 1),
                Mat::new(layer.weights_flat(), n_in, 1),
                false,
                &mut before[l - 1].d,
            );
        }
    }
}

/// `a = f(z)` element by element, the activation chosen once so each loop vectorizes;
/// softmax, which acts on a whole layer, row by row (`n_out` values per row).
fn activate(f: Activation, n_out: usize, z: &[f64], a: &mut [f64]) {
    let pairs = a.iter_mut().zip(z);
    match f {
        Activation::Relu => pairs.for_each(|(a, &z)| *a = Activation::Relu.f(z)),
        Activation::Identity => pairs.for_each(|(a, &z)| *a = z),
        Activation::Softmax => {
            for (a, z) in a.chunks_exact_mut(n_out).zip(z.chunks_exact(n_out)) {
                f.forward_layer(z, a);
            }
        }
        other => pairs.for_each(|(a, &z)| *a = other.f(z)),
    }
}

/// `d = d · f'(z)` element by element (turns `dL/da` into `dL/dz`); softmax row by row
/// through its Jacobian (`a` holds the rows' activations, `row` is one row of scratch).
fn derivative(f: Activation, z: &[f64], a: &[f64], d: &mut [f64], row: &mut [f64]) {
    let n_out = row.len();
    let pairs = d.iter_mut().zip(z);
    match f {
        Activation::Relu => pairs.for_each(|(d, &z)| *d *= Activation::Relu.df(z)),
        // f' = 1: d · 1 = d.
        Activation::Identity => {}
        Activation::Softmax => {
            for (d, (z, a)) in d
                .chunks_exact_mut(n_out)
                .zip(z.chunks_exact(n_out).zip(a.chunks_exact(n_out)))
            {
                row.copy_from_slice(d);
                f.backward_layer(z, a, row, d);
            }
        }
        other => pairs.for_each(|(d, &z)| *d *= other.df(z)),
    }
}

/// A read-only matrix view: element `(i, j)` is `data[i·rs + j·cs]`.
#[derive(Clone, Copy)]
struct Mat<'a> {
    data: &'a [f64],
    rs: usize,
    cs: usize,
}

impl<'a> Mat<'a> {
    fn new(data: &'a [f64], rs: usize, cs: usize) -> Mat<'a> {
        Mat { data, rs, cs }
    }
    /// Whether a `rows × cols` matrix with these strides lies inside `data`.
    fn fits(&self, rows: usize, cols: usize) -> bool {
        rows == 0 || cols == 0 || (rows - 1) * self.rs + (cols - 1) * self.cs < self.data.len()
    }
}

/// `C (m × n, row-major, contiguous) = A (m × k) · B (k × n)`, plus the old `C` when
/// `accumulate`.
///
/// Panics if a view does not hold its matrix: the engine sizes every buffer for its
/// network and chunk, so that is a bug here, never a consequence of user input.
fn gemm((m, k, n): (usize, usize, usize), a: Mat, b: Mat, accumulate: bool, c: &mut [f64]) {
    assert!(
        a.fits(m, k) && b.fits(k, n) && c.len() >= m * n,
        "gemm operands sized for their shapes"
    );
    if m == 0 || n == 0 {
        return;
    }
    if m * k * n < GEMM_MIN_FLOPS {
        gemm_loops((m, k, n), a, b, accumulate, &mut c[..m * n]);
        return;
    }
    let (beta, stride) = (if accumulate { 1.0 } else { 0.0 }, |s: usize| s as isize);
    // SAFETY: `fits` and the length check above keep every element dgemm reads
    // (A: (i·rsa + p·csa), B: (p·rsb + j·csb)) and writes (C: i·n + j) inside its slice; the
    // strides of C (n, 1) never alias; `c` is a unique borrow disjoint from `a` and `b`.
    unsafe {
        matrixmultiply::dgemm(
            m,
            k,
            n,
            1.0,
            a.data.as_ptr(),
            stride(a.rs),
            stride(a.cs),
            b.data.as_ptr(),
            stride(b.rs),
            stride(b.cs),
            beta,
            c.as_mut_ptr(),
            stride(n),
            1,
        );
    }
}

/// [`gemm`] as plain loops, for products too small for `dgemm` to pay: each `C[i][j]`
/// summed over `p` in order, the innermost loop running along contiguous memory.
fn gemm_loops((m, k, n): (usize, usize, usize), a: Mat, b: Mat, accumulate: bool, c: &mut [f64]) {
    if a.cs == 1 && b.rs == 1 {
        // The forward pass (`B = Wᵀ`): every C[i][j] is a dot product of two contiguous
        // rows, A's row i and W's row j, as the per-sample path computes it.
        for (i, row) in c.chunks_exact_mut(n).enumerate().take(m) {
            let ai = &a.data[i * a.rs..i * a.rs + k];
            for (j, cij) in row.iter_mut().enumerate() {
                let bj = &b.data[j * b.cs..j * b.cs + k];
                let dot = ai.iter().zip(bj).fold(0.0, |acc, (x, w)| acc + x * w);
                *cij = if accumulate { *cij + dot } else { dot };
            }
        }
        return;
    }
    for (i, row) in c.chunks_exact_mut(n).enumerate().take(m) {
        if !accumulate {
            row.fill(0.0);
        }
        for p in 0..k {
            let aip = a.data[i * a.rs + p * a.cs];
            for (j, cij) in row.iter_mut().enumerate() {
                *cij += aip * b.data[p * b.rs + j * b.cs];
            }
        }
    }
}

impl Engine for BatchedEngine<'_> {
    fn run_epoch(&mut self, order: Option<&[usize]>, lr: f64) -> EpochRun {
        let train = self.train;
        let (n_in, n_out) = (train.n_inputs, train.n_outputs);
        let n = train.n_rows();
        let mut loss_sum = 0.0;
        let mut start = 0;
        while start < n {
            let end = (start + self.batch).min(n);
            // The parameters are the batch's start for all its rows: one penalty per batch,
            // the value the general path computes at each of its samples.
            let penalty = self.reg.is_active().then(|| self.reg.penalty(&self.net));
            let mut c0 = start;
            while c0 < end {
                let c1 = (c0 + self.chunk).min(end);
                let m = c1 - c0;
                // Rows in file order are already a contiguous block; shuffled ones are
                // gathered (into buffers made once).
                let (x, y): (&[f64], &[f64]) = match order {
                    None => (
                        &train.x[c0 * n_in..c1 * n_in],
                        &train.y[c0 * n_out..c1 * n_out],
                    ),
                    Some(o) => {
                        for (k, &r) in o[c0..c1].iter().enumerate() {
                            self.x[k * n_in..(k + 1) * n_in].copy_from_slice(train.x_row(r));
                            self.y[k * n_out..(k + 1) * n_out].copy_from_slice(train.y_row(r));
                        }
                        (&self.x[..m * n_in], &self.y[..m * n_out])
                    }
                };
                forward(&self.net, &mut self.layers, x, m);
                let out = &self.layers[self.layers.len() - 1];
                for (k, ((z, y_hat), y_row)) in out
                    .z
                    .chunks_exact(n_out)
                    .zip(out.a.chunks_exact(n_out))
                    .zip(y.chunks_exact(n_out))
                    .take(m)
                    .enumerate()
                {
                    let mut loss = sample_loss(self.loss, z, y_hat, y_row);
                    if let Some(p) = penalty {
                        loss += p;
                    }
                    if !loss.is_finite() {
                        let s = c0 + k;
                        return EpochRun::Diverged(Divergence {
                            sample: s + 1,
                            row: order.map_or(s, |o| o[s]) + 1,
                            steps: s as u64,
                        });
                    }
                    loss_sum += loss;
                }
                backward(
                    &self.net,
                    &mut self.layers,
                    self.loss,
                    &mut self.grads,
                    (x, y),
                    m,
                    c0 == start,
                );
                c0 = c1;
            }
            if end - start > 1 {
                self.grads.scale(1.0 / (end - start) as f64);
            }
            self.reg.add_gradient(&self.net, &mut self.grads);
            zero_frozen(&mut self.grads, &self.net, &self.frozen);
            self.optimizer.step(&mut self.net, &self.grads, lr);
            if !all_finite(&self.net) {
                return EpochRun::Diverged(Divergence {
                    sample: end,
                    row: order.map_or(end - 1, |o| o[end - 1]) + 1,
                    steps: end as u64,
                });
            }
            start = end;
        }
        EpochRun::Done { loss_sum }
    }

    fn test_loss(&mut self, test: &Samples) -> f64 {
        let (n_in, n_out) = (test.n_inputs, test.n_outputs);
        let n = test.n_rows();
        let mut sum = 0.0;
        let mut c0 = 0;
        while c0 < n {
            let c1 = (c0 + self.chunk).min(n);
            forward(
                &self.net,
                &mut self.layers,
                &test.x[c0 * n_in..c1 * n_in],
                c1 - c0,
            );
            let out = &self.layers[self.layers.len() - 1];
            for ((z, y_hat), y) in out
                .z
                .chunks_exact(n_out)
                .zip(out.a.chunks_exact(n_out))
                .zip(test.y[c0 * n_out..c1 * n_out].chunks_exact(n_out))
            {
                sum += sample_loss(self.loss, z, y_hat, y);
            }
            c0 = c1;
        }
        with_penalty(sum / n as f64, &self.net, self.reg)
    }

    fn write_back(&self, net: &mut Network, optimizer: &mut OptimizerState) {
        copy_params(net, &self.net);
        optimizer.clone_from(&self.optimizer);
    }
}
