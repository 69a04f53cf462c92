//! The epoch loop every compiled copy inlines: the per-sample SGD step written out in the
//! [`lanes`](super) module docs, lane by lane.

use super::layout::{LaneRow, Lanes};
use super::LANES;

/// The epoch loop, inlined into each compiled copy.
#[inline(always)]
pub(super) fn epoch_body(lanes: &mut Lanes, rows: &[LaneRow]) -> [f64; LANES] {
    // Local copies, so the state is not re-read through `lanes` after every store.
    let Lanes {
        mut w1,
        mut w2,
        mut w3,
        mut w4,
        mut w5,
        mut w6,
        mut b1,
        mut b2,
        mut b3,
        lr,
    } = *lanes;
    let mut loss_sum = [0.0; LANES];
    for row in rows {
        // The whole step lane by lane; LLVM vectorizes the lane loop. (Written statement by
        // statement across all lanes instead, it measured 3-15% slower.)
        for l in 0..LANES {
            let (x1, x2, y) = (row.x1[l], row.x2[l], row.y[l]);
            let z1 = x1 * w1[l] + x2 * w3[l] + b1[l];
            let z2 = x1 * w2[l] + x2 * w4[l] + b2[l];
            let (a1, da1) = relu_and_slope(z1);
            let (a2, da2) = relu_and_slope(z2);
            let z3 = a1 * w5[l] + a2 * w6[l] + b3[l];
            let (y_hat, dy_hat) = relu_and_slope(z3);
            let d = y_hat - y;
            loss_sum[l] += d * d;
            let dl_dz3 = 2.0 * d * dy_hat;
            let dl_dz1 = dl_dz3 * w5[l] * da1;
            let dl_dz2 = dl_dz3 * w6[l] * da2;
            w1[l] -= lr[l] * (dl_dz1 * x1);
            w2[l] -= lr[l] * (dl_dz2 * x1);
            w3[l] -= lr[l] * (dl_dz1 * x2);
            w4[l] -= lr[l] * (dl_dz2 * x2);
            w5[l] -= lr[l] * (dl_dz3 * a1);
            w6[l] -= lr[l] * (dl_dz3 * a2);
            b1[l] -= lr[l] * dl_dz1;
            b2[l] -= lr[l] * dl_dz2;
            b3[l] -= lr[l] * dl_dz3;
        }
    }
    *lanes = Lanes {
        w1,
        w2,
        w3,
        w4,
        w5,
        w6,
        b1,
        b2,
        b3,
        lr,
    };
    loss_sum
}

/// `(relu(z), s)` from one compare: `relu(z) = z if z > 0 or z is NaN, else +0` is the scalar
/// kernel's relu exactly (NaN stays NaN, -0 becomes +0); `!(z <= 0)` is that condition as a
/// single unordered compare, and the select becomes compare + and.
///
/// `s` is `relu'(z) = 1 if z > 0, else 0` except that it is 1, not 0, for NaN z. Every `s`
/// only ever multiplies a value that is already NaN when its `z` is NaN (z1 or z2 NaN makes
/// a1 or a2, then z3, y_hat, d and dl_dz3 NaN; z3 NaN makes d NaN), and `NaN * 1` and
/// `NaN * 0` are the same NaN. So the products, and every lane's bits, equal the scalar
/// kernel's, and one compare per neuron is saved. Like the scalar kernel, `s` is multiplied
/// in rather than selected: `inf * 0` must stay NaN and `-x * 0` must stay -0.
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)]
fn relu_and_slope(z: f64) -> (f64, f64) {
    let pos_or_nan = !(z <= 0.0);
    if pos_or_nan {
        (z, 1.0)
    } else {
        (0.0, 0.0)
    }
}
