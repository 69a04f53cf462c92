// nnlab playground: the charts (loss per epoch, predictions vs targets, the output over the
// input plane), SVG drawn at their on-screen pixel size; every value from the API. Loaded
// before app.js, whose state (`st`, `hist`, `overlays`, `sid`) they read when called; the
// tick arithmetic is in ticks.js, the per-neuron tiles in neurons.js.
"use strict";

// ---------- the frame: one SVG user unit is one screen pixel ----------
// The viewBox is the element's own size (read again on every draw; a ResizeObserver redraws
// on a change), so the CSS font size of the svg (12 px, larger in presenter mode) is the size
// on screen: a fixed viewBox scaled down made 9 px text and thumbnails.
//
// Every chart's size is read before any is drawn (measureCharts): drawing one and then
// reading the next one's size and font made the browser style and lay the page out again in
// between (a style and a layout pass more per refresh: BENCHMARKS.md, "Fewer forced
// layouts").
function chartSize(svg) {
  // The inner size (inside its border) in CSS pixels, fractions kept: rounding made a user
  // unit 0.998 px.
  const r = svg.getBoundingClientRect();
  const w = Number((r.width - 2 * svg.clientLeft).toFixed(2)), h = Number((r.height - 2 * svg.clientTop).toFixed(2));
  return { w, h, fs: parseFloat(getComputedStyle(svg).fontSize) || 12 };
}

// Sizes read for the drawings that follow at once (`ids`: a size kept longer could be out
// of date).
const measured = new Map();
function measureCharts(ids) {
  for (const id of ids) measured.set(id, chartSize($(id)));
}

// Draws the chart `id` with `paint(svg)`, at the size measureCharts read for it, else its
// size now.
function drawChart(id, paint) {
  const svg = $(id);
  svg.drawSize = measured.get(id) || chartSize(svg);
  measured.delete(id);
  try {
    paint(svg);
  } finally {
    svg.drawSize = undefined;
  }
}

// The chart's size (its drawSize while drawChart draws it), with the viewBox set to it;
// clears the chart.
function frame(svg) {
  const { w, h, fs } = svg.drawSize || chartSize(svg);
  if (w > 0 && h > 0) svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.innerHTML = "";
  return { w, h, fs };
}

// The chart's type size (read before its frame is drawn).
const chartFont = (svg) => (svg.drawSize || chartSize(svg)).fs;

// About how many characters of the chart font fit in `width` pixels.
const fits = (width, fs) => Math.max(4, Math.floor(width / (0.6 * fs)));

// A line of text cut to `max` characters with "…"; the whole text is its tooltip.
function label(parent, attrs, text, max) {
  const t = el("text", attrs, parent, text.length > max ? text.slice(0, max - 1) + "…" : text);
  if (text.length > max) el("title", {}, t, text);
  return t;
}

// A chart that has nothing to plot says why, centred, in lines that fit its width.
function emptyChart(svg, message) {
  const { w, h, fs } = frame(svg);
  const max = fits(w - fs, fs);
  const lines = [];
  for (const word of message.split(" ")) {
    const last = lines.length ? lines[lines.length - 1] : null;
    if (last !== null && (last + " " + word).length <= max) lines[lines.length - 1] = last + " " + word;
    else lines.push(word);
  }
  lines.forEach((line, k) => label(svg, { x: w / 2, y: h / 2 + (k - (lines.length - 1) / 2) * 1.3 * fs, "text-anchor": "middle", class: "chart-note" }, line, max));
}

// An axis spec: {lo, hi, log, integer, expand}. Returns the domain and its labelled ticks.
function axisTicks(a, maxTicks) {
  return a.log ? logTicks(a.lo, a.hi, maxTicks) : linearTicks(a.lo, a.hi, maxTicks, a);
}

// The title, the axes with round ticks, the grid lines and the axis labels; returns the
// scales and the plot box. `right` is extra room on the right (the colour bar).
function axes(svg, spec) {
  const { w, h, fs } = frame(svg);
  const charW = 0.62 * fs;
  // The y ticks first: their longest label sets the left margin.
  const yEstimate = Math.max(2, Math.floor((h - 4.6 * fs) / (2.2 * fs)));
  const yt = axisTicks(spec.y, yEstimate);
  const yLabels = yt.ticks.map((v) => tickLabel(v, yt.step));
  const box = {
    l: Math.ceil(1.8 * fs + charW * Math.max(1, ...yLabels.map((s) => s.length))),
    r: w - Math.ceil(0.8 * fs + (spec.right || 0)),
    t: Math.ceil(1.7 * fs),
    b: h - Math.ceil(2.9 * fs),
  };
  // A chart squeezed below its margins still draws (an empty box), never negative sizes.
  box.r = Math.max(box.r, box.l + 1);
  box.b = Math.max(box.b, box.t + 1);
  const xt = axisTicks(spec.x, Math.max(2, Math.floor((box.r - box.l) / (6 * charW))));
  // Bold type is wider: a title gets 0.9 of the plain characters that fit.
  label(svg, { x: w / 2, y: 1.1 * fs, "text-anchor": "middle", "font-weight": "600", class: "chart-title" }, spec.title, Math.floor(0.9 * fits(w, fs)));
  const scale = (t, a, b) => {
    const f = t.log ? Math.log10 : (v) => v;
    const [d0, d1] = [f(t.lo), f(t.hi)];
    return (v) => a + ((f(v) - d0) / (d1 - d0 || 1)) * (b - a);
  };
  const sx = scale({ ...xt, log: spec.x.log }, box.l, box.r);
  const sy = scale({ ...yt, log: spec.y.log }, box.b, box.t);
  const g = el("g", { class: "ticks" }, svg);
  yt.ticks.forEach((v, k) => {
    el("line", { x1: box.l, x2: box.r, y1: sy(v), y2: sy(v), stroke: "#e5e7eb" }, g);
    el("text", { x: box.l - 0.3 * fs, y: sy(v) + 0.35 * fs, "text-anchor": "end", class: "tick-y" }, g, yLabels[k]);
  });
  for (const v of xt.ticks) {
    el("line", { x1: sx(v), x2: sx(v), y1: box.b, y2: box.b + 0.3 * fs, stroke: "#333" }, g);
    // A label that would pass the chart's edge (the last tick of a wide number, "3e186") is
    // left out, its tick kept: cut off it read "3e18", moved inside it ran into its neighbour.
    const text = tickLabel(v, xt.step), half = 0.5 * charW * text.length;
    if (sx(v) + half <= w && sx(v) - half >= 0) el("text", { x: sx(v), y: box.b + 1.25 * fs, "text-anchor": "middle", class: "tick-x" }, g, text);
  }
  el("line", { x1: box.l, y1: box.b, x2: box.r, y2: box.b, stroke: "#333" }, svg);
  el("line", { x1: box.l, y1: box.t, x2: box.l, y2: box.b, stroke: "#333" }, svg);
  label(svg, { x: (box.l + box.r) / 2, y: h - 0.45 * fs, "text-anchor": "middle", class: "axis-label" }, spec.xlab, fits(w, fs));
  const my = (box.t + box.b) / 2;
  label(svg, { x: 0.9 * fs, y: my, "text-anchor": "middle", transform: `rotate(-90 ${0.9 * fs} ${my})`, class: "axis-label" }, spec.ylab, fits(box.b - box.t + 2 * fs, fs));
  return { sx, sy, box, fs, w, h, xt, yt };
}

// A data point: training rows are circles, test rows squares (also where colour is taken
// by the value, as on the heatmap). `title` is the row with its exact numbers.
function mark(parent, set, x, y, size, attrs, title) {
  const m = set === "test"
    ? el("rect", { x: x - size, y: y - size, width: 2 * size, height: 2 * size, class: "pt pt-test", ...attrs }, parent)
    : el("circle", { cx: x, cy: y, r: size, class: "pt pt-train", ...attrs }, parent);
  if (title) el("title", {}, m, title);
  return m;
}

const showTest = () => $("#show-test").checked;

// ---------- loss per epoch ----------
function drawLoss() {
  drawChart("#chart-loss", paintLoss);
}

function paintLoss(svg) {
  const logY = $("#log-y").checked;
  const pts = hist.filter((h) => Number.isFinite(h.train_loss));
  const over = [...overlays.values()];
  const overVals = over.flatMap((o) => o.points.map((p) => p[1]));
  drawLegend();
  if (!pts.length && !overVals.length) { emptyChart(svg, "loss per epoch: no epoch yet"); return; }
  const has = (v) => v !== null && v !== undefined;
  const vals = pts.flatMap((h) => [h.train_loss].concat(has(h.test_loss) ? [h.test_loss] : [])).concat(overVals);
  const pos = vals.filter((v) => v > 0);
  const log = logY && pos.length > 0;
  const lo = log ? Math.min(...pos) : Math.min(0, ...vals), hi = Math.max(...vals);
  const lastEpoch = Math.max(2, pts.length ? pts[pts.length - 1].epoch : 0, ...over.map((o) => (o.points.length ? o.points[o.points.length - 1][0] : 0)));
  const { sx, sy, box, fs } = axes(svg, {
    title: "loss per epoch", xlab: "epoch", ylab: `mean ${st.config.train.loss}` + (log ? " (log)" : ""),
    x: { lo: 1, hi: lastEpoch, integer: true }, y: { lo, hi, log, expand: true },
  });
  const path = (points) => points.filter((p) => !log || p[1] > 0).map((p, k) => `${k ? "L" : "M"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join("");
  // Stored runs first (dashed), so the live curves stay on top.
  for (const [id, o] of overlays) {
    const d = path(o.points);
    if (d) el("path", { d, fill: "none", stroke: o.color, "stroke-width": 1.4, "stroke-dasharray": "5 3", class: `overlay overlay-run-${id}` }, svg);
  }
  const line = (key, color) => {
    const d = path(pts.filter((h) => has(h[key])).map((h) => [h.epoch, h[key]]));
    if (d) el("path", { d, fill: "none", stroke: color, "stroke-width": 1.8, class: `series-${key}` }, svg);
    // Few epochs: each is also a dot (one epoch is no line at all), its value on hover.
    const few = pts.filter((h) => has(h[key]) && (!log || h[key] > 0));
    if (few.length <= 20) for (const h of few) el("title", {}, el("circle", { cx: sx(h.epoch), cy: sy(h[key]), r: 3, fill: color, class: `dot-${key}` }, svg), `epoch ${h.epoch}: ${full(h[key])}`);
  };
  line("train_loss", "#2563eb");
  line("test_loss", "#ea580c");
  el("text", { x: box.r - 4, y: box.t + fs, "text-anchor": "end", fill: "#2563eb" }, svg, "train");
  if (pts.some((h) => has(h.test_loss))) el("text", { x: box.r - 4, y: box.t + 2.2 * fs, "text-anchor": "end", fill: "#ea580c" }, svg, "test");
}

// The overlays' legend under the loss chart: one chip per stored run, × removes it.
function drawLegend() {
  const box = $("#overlay-legend");
  box.innerHTML = "";
  for (const [id, o] of overlays) {
    const chip = document.createElement("span");
    chip.className = "chip";
    chip.dataset.run = id;
    chip.style.borderColor = o.color;
    chip.title = `stored run ${id}: its train loss per epoch (dashed)`;
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.borderColor = o.color;
    chip.append(sw, document.createTextNode(o.label));
    const x = document.createElement("button");
    x.textContent = "×";
    x.title = `remove run ${id} from the chart`;
    x.className = "chip-remove";
    x.addEventListener("click", () => toggleOverlay(id));
    chip.appendChild(x);
    box.appendChild(chip);
  }
}

// ---------- the two charts that need requests: fetched, kept, painted ----------
// The last answers, so a resize, presenter mode or the test-points toggle repaints without
// asking again. `points` (the rows over the plane) do not change within a session.
const chartData = { sid: null, pred: null, grid: null, points: null };

function paintPredictions() {
  drawChart("#chart-pred", paintPredictionsInto);
}

function paintPredictionsInto(svg) {
  const p = chartData.pred;
  const all = p ? p.rows.filter((r) => Number.isFinite(r.prediction) && (r.set !== "test" || showTest())) : [];
  if (!all.length) { emptyChart(svg, p ? "predictions: none finite" : "predictions: loading"); return; }
  const vals = all.flatMap((r) => [r.target, r.prediction]);
  const lo = Math.min(...vals), hi = Math.max(...vals);
  const { sx, sy, xt, yt, fs } = axes(svg, {
    title: "predictions vs targets", xlab: `target ${p.target} (original units)`, ylab: "prediction",
    x: { lo, hi, expand: true }, y: { lo, hi, expand: true },
  });
  // prediction = target, inside both axes' domains (their round ends can differ).
  const [d0, d1] = [Math.max(xt.lo, yt.lo), Math.min(xt.hi, yt.hi)];
  el("line", { x1: sx(d0), y1: sy(d0), x2: sx(d1), y2: sy(d1), stroke: "#9ca3af", "stroke-dasharray": "4 3", class: "identity" }, svg);
  const g = el("g", { class: "points" }, svg);
  const size = Math.max(2, fs / 5);
  for (const r of all.slice(0, 2000)) {
    const color = r.set === "test" ? "#ea580c" : "#2563eb";
    mark(g, r.set, sx(r.target), sy(r.prediction), size, { fill: color, "fill-opacity": 0.6, "data-row": r.row, "data-prediction": full(r.prediction) },
      `${r.set} row ${r.row}: target ${full(r.target)}, prediction ${full(r.prediction)}`);
  }
}

// The heatmap's colours, blue (low) to red (high), for t in [0, 1]; a value that is not
// finite is black.
const heat = (t) => `hsl(${220 - 200 * t}, 70%, ${85 - 35 * t}%)`;

// A classifier's colours (matplotlib's tab10, as the decision.png of `nnlab train`): a
// cell takes its predicted class's colour, mixed with white by its strength
// (p - 1/K) / (1 - 1/K), so the boundary (every class equally likely) is white.
const CLASS_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
function classColour(c, p, k) {
  const hex = CLASS_COLOURS[c % CLASS_COLOURS.length];
  const s = Math.min(1, Math.max(0, (p - 1 / k) / (1 - 1 / k)));
  if (!Number.isFinite(s)) return "#111";
  const mix = (at) => Math.round(255 - (255 - parseInt(hex.slice(at, at + 2), 16)) * s);
  return `rgb(${mix(1)}, ${mix(3)}, ${mix(5)})`;
}

function paintPlane() {
  drawChart("#chart-plane", paintPlaneInto);
}

function paintPlaneInto(svg) {
  const g = chartData.grid;
  if (!st || st.step.input.length !== 2) { emptyChart(svg, `output over the input plane: needs 2 inputs (this data has ${st ? st.step.input.length : "?"})`); return; }
  if (!g) { emptyChart(svg, "output over the input plane: loading"); return; }
  if (g.classes && g.class) { paintClassPlane(svg, g); return; }
  const points = (chartData.points || []).filter((q) => q.set !== "test" || showTest());
  // One colour scale for the output and the targets, so a point's colour against the map
  // around it shows how well the network fits it.
  const finite = g.z.flat().filter(Number.isFinite);
  const zs = finite.concat(points.map((q) => q.y).filter(Number.isFinite));
  if (!finite.length) { emptyChart(svg, "output over the input plane: no finite value (an overflow)"); return; }
  const zlo = Math.min(...zs), zhi = Math.max(...zs);
  const fs0 = chartFont(svg);
  const bt = linearTicks(zlo, zhi, 5, {});
  const barLabels = bt.ticks.map((v) => tickLabel(v, bt.step));
  const barRoom = 1.6 * fs0 + 0.62 * fs0 * Math.max(1, ...barLabels.map((s) => s.length));
  const n = g.x1.length;
  const { sx, sy, box, fs } = axes(svg, {
    title: `y_hat over (${g.x1_name}, ${g.x2_name})`, xlab: g.x1_name, ylab: g.x2_name, right: barRoom,
    x: { lo: g.x1[0], hi: g.x1[n - 1] }, y: { lo: g.x2[0], hi: g.x2[n - 1] },
  });
  const tz = (z) => Math.min(1, Math.max(0, (z - zlo) / (zhi - zlo || 1)));
  const dx = (g.x1[n - 1] - g.x1[0]) / (n - 1), dy = (g.x2[n - 1] - g.x2[0]) / (n - 1);
  const cells = el("g", { class: "cells" }, svg);
  g.z.forEach((row, j) => row.forEach((z, i) => {
    const x0 = Math.max(box.l, sx(g.x1[i] - dx / 2)), x1 = Math.min(box.r, sx(g.x1[i] + dx / 2));
    const y0 = Math.max(box.t, sy(g.x2[j] + dy / 2)), y1 = Math.min(box.b, sy(g.x2[j] - dy / 2));
    const rect = el("rect", { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0), fill: Number.isFinite(z) ? heat(tz(z)) : "#111", class: "cell" }, cells);
    el("title", {}, rect, `y_hat(${fmt(g.x1[i])}, ${fmt(g.x2[j])}) = ${full(z)}`);
  }));
  const pg = el("g", { class: "points" }, svg);
  const size = Math.max(2.5, fs / 4);
  for (const q of points.slice(0, 2000)) {
    mark(pg, q.set, sx(q.x1), sy(q.x2), size, { fill: heat(tz(q.y)), stroke: "#111", "stroke-width": 1 },
      `${q.set} row: ${g.x1_name} ${full(q.x1)}, ${g.x2_name} ${full(q.x2)}, target ${full(q.y)}`);
  }
  // The row the math panel explains, ringed.
  if (st.row_input.length === 2) {
    const ring = el("circle", { cx: sx(st.row_input[0]), cy: sy(st.row_input[1]), r: 2.2 * size, fill: "none", stroke: "#f59e0b", "stroke-width": 2.5, class: "pt-row" }, svg);
    el("title", {}, ring, `row ${st.row}, the one the math explains: ${g.x1_name} ${full(st.row_input[0])}, ${g.x2_name} ${full(st.row_input[1])}`);
  }
  colourBar(svg, { x: box.r + 0.8 * fs, t: box.t, b: box.b, w: 0.9 * fs, fs }, zlo, zhi, bt, barLabels);
}

// A classifier's plane: each cell its predicted class's colour by its probability, the rows
// filled with their true class's colour, and a colour bar of the probability: P(class 1)
// from 0 to 1 for two classes, one column per class from 1/K to 1 for more.
function paintClassPlane(svg, g) {
  const points = (chartData.points || []).filter((q) => q.set !== "test" || showTest());
  const k = g.classes.length;
  const two = k === 2;
  const [lo, hi] = two ? [0, 1] : [1 / k, 1];
  const fs0 = chartFont(svg);
  const bt = linearTicks(lo, hi, 5, {});
  const barLabels = bt.ticks.map((v) => tickLabel(v, bt.step));
  const columns = two ? 1 : k;
  const barRoom = 0.9 * fs0 * (columns - 1) + 1.6 * fs0 + 0.62 * fs0 * Math.max(1, ...barLabels.map((s) => s.length));
  const n = g.x1.length;
  const what = two ? `P(${g.classes[1]})` : "P(predicted class)";
  const { sx, sy, box, fs } = axes(svg, {
    title: `${what} over (${g.x1_name}, ${g.x2_name})`, xlab: g.x1_name, ylab: g.x2_name, right: barRoom,
    x: { lo: g.x1[0], hi: g.x1[n - 1] }, y: { lo: g.x2[0], hi: g.x2[n - 1] },
  });
  const dx = (g.x1[n - 1] - g.x1[0]) / (n - 1), dy = (g.x2[n - 1] - g.x2[0]) / (n - 1);
  const cells = el("g", { class: "cells" }, svg);
  g.class.forEach((row, j) => row.forEach(([c, p], i) => {
    const x0 = Math.max(box.l, sx(g.x1[i] - dx / 2)), x1 = Math.min(box.r, sx(g.x1[i] + dx / 2));
    const y0 = Math.max(box.t, sy(g.x2[j] + dy / 2)), y1 = Math.min(box.b, sy(g.x2[j] - dy / 2));
    const rect = el("rect", { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0), fill: classColour(c, p, k), class: "cell", "data-class": c }, cells);
    el("title", {}, rect, `(${fmt(g.x1[i])}, ${fmt(g.x2[j])}): class ${g.classes[c]} with p = ${full(p)}`);
  }));
  const pg = el("g", { class: "points" }, svg);
  const size = Math.max(2.5, fs / 4);
  for (const q of points.slice(0, 2000)) {
    mark(pg, q.set, sx(q.x1), sy(q.x2), size, { fill: CLASS_COLOURS[q.y % CLASS_COLOURS.length], stroke: "#111", "stroke-width": 1, "data-class": q.y },
      `${q.set} row: ${g.x1_name} ${full(q.x1)}, ${g.x2_name} ${full(q.x2)}, class ${g.classes[q.y]}`);
  }
  if (st.row_input.length === 2) {
    const ring = el("circle", { cx: sx(st.row_input[0]), cy: sy(st.row_input[1]), r: 2.2 * size, fill: "none", stroke: "#f59e0b", "stroke-width": 2.5, class: "pt-row" }, svg);
    el("title", {}, ring, `row ${st.row}, the one the math explains: ${g.x1_name} ${full(st.row_input[0])}, ${g.x2_name} ${full(st.row_input[1])}`);
  }
  // Two classes: P(class 1) runs from class 0's colour (p = 0) through white to class 1's.
  const stops = (c) => (t) => {
    const v = lo + (hi - lo) * t;
    return two ? (v >= 0.5 ? classColour(1, v, 2) : classColour(0, 1 - v, 2)) : classColour(c, v, k);
  };
  const w = 0.9 * fs;
  for (let c = 0; c < columns; c++) {
    const at = { x: box.r + 0.8 * fs + c * w, t: box.t, b: box.b, w, fs };
    colourBar(svg, at, lo, hi, bt, c === columns - 1 ? barLabels : null, stops(c), c);
  }
}

// A vertical colour bar beside the heatmap, low at the bottom, with round ticks (none
// when `labels` is null: a column of several side by side); `colour(t)` for t in [0, 1]
// gives its gradient (the heatmap's own by default).
function colourBar(svg, at, lo, hi, ticks, labels, colour = heat, column = 0) {
  const id = column ? `${svg.id}-bar${column}` : `${svg.id}-bar`;
  const defs = el("defs", {}, svg);
  const grad = el("linearGradient", { id, x1: 0, y1: 1, x2: 0, y2: 0 }, defs);
  for (let k = 0; k <= 10; k++) el("stop", { offset: k / 10, "stop-color": colour(k / 10) }, grad);
  const bar = el("g", { class: "colour-bar" }, svg);
  el("rect", { x: at.x, y: at.t, width: at.w, height: Math.max(0, at.b - at.t), fill: `url(#${id})`, stroke: "#9ca3af" }, bar);
  if (!labels) return;
  const y = (v) => at.b - ((v - lo) / (hi - lo || 1)) * (at.b - at.t);
  ticks.ticks.forEach((v, k) => {
    el("line", { x1: at.x + at.w, x2: at.x + at.w + 0.3 * at.fs, y1: y(v), y2: y(v), stroke: "#333" }, bar);
    el("text", { x: at.x + at.w + 0.45 * at.fs, y: y(v) + 0.35 * at.fs, class: "tick-bar", "data-value": v }, bar, labels[k]);
  });
}

// ---------- refreshing them: one request at a time, in order ----------
// A refresh asks for both charts' data. Only one is in flight: a state that arrives
// meanwhile asks for one more when it returns, so the last answer painted is always one
// asked after the last change. (Several in flight could return out of order, and an old
// answer, held up behind the play loop, then painted over the new one: the predictions
// chart showed the axes of a state from before Play.) While playing they follow at most
// twice a second; bursts of clicks settle for 100 ms; Play and its end refresh at once.
const charts = { busy: false, again: false, timer: null, last: 0, playing: false };

function scheduleCharts() {
  const playing = Boolean(st && st.playing);
  clearTimeout(charts.timer);
  const wait = playing !== charts.playing ? 0 : playing ? Math.max(0, 500 - (Date.now() - charts.last)) : 100;
  charts.playing = playing;
  charts.timer = setTimeout(refreshCharts, wait);
}

async function refreshCharts() {
  if (charts.busy) { charts.again = true; return; }
  charts.busy = true;
  charts.last = Date.now();
  try {
    await fetchCharts();
  } finally {
    charts.busy = false;
  }
  if (charts.again) {
    charts.again = false;
    const wait = charts.playing ? Math.max(0, 500 - (Date.now() - charts.last)) : 0;
    clearTimeout(charts.timer);
    charts.timer = setTimeout(refreshCharts, wait);
  }
}

async function fetchCharts() {
  if (!sid || !st) return;
  const id = sid;
  if (chartData.sid !== id) Object.assign(chartData, { sid: id, pred: null, grid: null, points: null });
  const plane = st.step.input.length === 2;
  const tiles = plane && neuronTilesOn();
  const q = `n=24${tiles ? "&neurons=true" : ""}${chartData.points ? "" : "&points=true"}`;
  const [pred, grid] = await Promise.all([
    api("GET", `/api/sessions/${id}/predictions`).catch(() => null),
    plane ? api("GET", `/api/sessions/${id}/grid?${q}`).catch(() => null) : null,
  ]);
  if (id !== sid) return;
  if (pred) chartData.pred = pred;
  if (grid) {
    if (grid.points) chartData.points = grid.points;
    chartData.grid = grid;
  }
  measureCharts(["#chart-pred", "#chart-plane"]);
  paintPredictions();
  paintPlane();
  paintNeuronTiles();
}

// Everything drawn again from what is kept (no request): a resize, presenter mode (its
// larger type), the test-points toggle. Coalesced to one per animation frame.
let repaintFrame = 0;
function repaintCharts() {
  if (repaintFrame) return;
  repaintFrame = requestAnimationFrame(() => {
    repaintFrame = 0;
    if (!st) return;
    measureCharts(["#chart-loss", "#chart-pred", "#chart-plane"]);
    drawLoss();
    paintPredictions();
    paintPlane();
    paintNeuronTiles();
  });
}

// Watched once every script has run (app.js declares the state the repaint reads).
document.addEventListener("DOMContentLoaded", () => {
  const chartSize = new ResizeObserver(repaintCharts);
  for (const id of ["chart-loss", "chart-pred", "chart-plane"]) chartSize.observe(document.getElementById(id));
  new MutationObserver(repaintCharts).observe(document.body, { attributes: true, attributeFilter: ["class"] });
  document.getElementById("show-test").addEventListener("change", repaintCharts);
});
