// nnlab playground: the charts' axis ticks. Round numbers only: steps of 1, 2 or 5 × 10^k,
// labels of at most 4 significant digits, whole epochs on an epoch axis, powers of ten on a
// log axis. Pure arithmetic on the range to show (no math of the network).
"use strict";

// The smallest of 1, 2, 5 × 10^k that is at least `raw`.
function niceStep(raw) {
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5]) if (m * mag >= raw * (1 - 1e-9)) return clean(m * mag);
  return clean(10 * mag);
}

// k·step in floating point is 0.30000000000000004; twelve digits keep the decimal intended.
const clean = (v) => Number(v.toPrecision(12));

// Ticks for a linear axis over [lo, hi], at most about `maxTicks` of them. `integer` allows
// only whole steps (epochs); `expand` widens the domain to the ticks around it (a value
// axis), otherwise the domain stays [lo, hi] and the ticks fall inside it. Returns
// {lo, hi, step, ticks}: the domain to draw, the step, the values to label.
function linearTicks(lo, hi, maxTicks, opts = {}) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lo: 0, hi: 1, step: 1, ticks: [0, 1] };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    // One value (every prediction equal): a range around it, ±10 % (±1 at zero or for whole steps).
    const d = opts.integer || lo === 0 ? 1 : Math.abs(lo) / 10;
    [lo, hi] = opts.integer ? [lo, lo + d] : [lo - d, hi + d];
  }
  let step = niceStep((hi - lo) / Math.max(1, maxTicks));
  // At most 4 significant digits: no step below a thousandth of the largest magnitude.
  const big = Math.max(Math.abs(lo), Math.abs(hi));
  step = Math.max(step, Math.pow(10, Math.floor(Math.log10(big) + 1e-12) - 3));
  if (opts.integer) step = Math.max(1, step);
  if (opts.expand) [lo, hi] = [clean(Math.floor(lo / step + 1e-9) * step), clean(Math.ceil(hi / step - 1e-9) * step)];
  const ticks = [];
  for (let k = Math.ceil(lo / step - 1e-9); k <= Math.floor(hi / step + 1e-9); k++) ticks.push(clean(k * step));
  return { lo, hi, step, ticks };
}

// Ticks for a log axis over [lo, hi] (lo > 0): the domain widened to whole decades, a tick
// at each power of ten (every second or fifth one when there are many decades), and at 2
// and 5 × 10^k too when the domain spans fewer than two decades. `step` is null: each label
// takes its own value's digits.
function logTicks(lo, hi, maxTicks) {
  if (!(lo > 0) || !(hi > 0) || !Number.isFinite(hi)) return { lo: 1, hi: 10, step: null, ticks: [1, 10] };
  let e0 = Math.floor(Math.log10(lo) + 1e-12), e1 = Math.ceil(Math.log10(hi) - 1e-12);
  if (e1 <= e0) e1 = e0 + 1;
  const every = niceStep(Math.max(1, (e1 - e0) / Math.max(1, maxTicks)));
  const pow = (m, e) => Number(`${m}e${e}`);
  const ticks = [];
  for (let e = e0; e <= e1; e++) {
    if (e % every === 0 || every === 1) ticks.push(pow(1, e));
    if (e1 - e0 < 2 && e < e1) ticks.push(pow(2, e), pow(5, e));
  }
  ticks.sort((a, b) => a - b);
  return { lo: pow(1, e0), hi: pow(1, e1), step: null, ticks };
}

// A tick's text: the decimals its step needs (0.2 steps: "0.4", not "0.4000000001"),
// exponent form outside [0.001, 100000) with at most 4 significant digits ("2.5e-4", "1e6").
function tickLabel(v, step) {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3).replace(/\.?0+e/, "e").replace("e+", "e");
  const d = Math.max(0, Math.min(12, Math.ceil(-Math.log10(Math.abs(step || v)) - 1e-9)));
  return String(Number(v.toFixed(d)));
}
