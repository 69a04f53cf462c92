// nnlab playground: the charts (SVG, axes and labels; every value from the API). Loaded
// before app.js, whose state (`st`, `hist`, `overlays`) they read when called.
"use strict";


// ---------- charts (SVG, axes and labels; values from the API) ----------
// The charts' SVG size (viewBox): small enough that their text stays readable when three
// charts share the middle column of a 1280-pixel-wide window.
const CW = 300, CH = 190;
const BOX = { l: 54, r: CW - 12, t: 18, b: CH - 32 };

// An axis label: three significant digits fit the margin.
function tick(v) {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

function axes(svg, title, xlab, ylab, xr, yr, logY) {
  svg.innerHTML = "";
  const box = BOX;
  el("text", { x: CW / 2, y: 12, "text-anchor": "middle", "font-weight": "600" }, svg, title);
  el("line", { x1: box.l, y1: box.b, x2: box.r, y2: box.b, stroke: "#333" }, svg);
  el("line", { x1: box.l, y1: box.t, x2: box.l, y2: box.b, stroke: "#333" }, svg);
  el("text", { x: (box.l + box.r) / 2, y: CH - 4, "text-anchor": "middle" }, svg, xlab);
  el("text", { x: 9, y: (box.t + box.b) / 2, "text-anchor": "middle", transform: `rotate(-90 9 ${(box.t + box.b) / 2})` }, svg, ylab);
  const tY = (v) => (logY ? Math.log10(v) : v);
  const [y0, y1] = [tY(yr[0]), tY(yr[1])];
  const sx = (x) => box.l + ((x - xr[0]) / (xr[1] - xr[0] || 1)) * (box.r - box.l);
  const sy = (y) => box.b - ((tY(y) - y0) / (y1 - y0 || 1)) * (box.b - box.t);
  for (let k = 0; k <= 4; k++) {
    const xv = xr[0] + ((xr[1] - xr[0]) * k) / 4;
    el("text", { x: sx(xv), y: box.b + 12, "text-anchor": "middle" }, svg, tick(xv));
    const yv = logY ? Math.pow(10, y0 + ((y1 - y0) * k) / 4) : yr[0] + ((yr[1] - yr[0]) * k) / 4;
    el("text", { x: box.l - 3, y: sy(yv) + 3, "text-anchor": "end" }, svg, tick(yv));
    el("line", { x1: box.l, x2: box.r, y1: sy(yv), y2: sy(yv), stroke: "#eee" }, svg);
  }
  return { sx, sy, box };
}

function drawLoss() {
  const svg = $("#chart-loss");
  const logY = $("#log-y").checked;
  const pts = hist.filter((h) => Number.isFinite(h.train_loss));
  const over = [...overlays.values()];
  const overVals = over.flatMap((o) => o.points.map((p) => p[1]));
  if (!pts.length && !overVals.length) { axes(svg, "loss per epoch (no epoch yet)", "epoch", "mean loss", [0, 1], [0, 1], false); drawLegend(); return; }
  const vals = pts.flatMap((h) => [h.train_loss].concat(h.test_loss !== null && h.test_loss !== undefined ? [h.test_loss] : [])).concat(overVals);
  const pos = vals.filter((v) => v > 0);
  const lo = logY ? Math.min(...pos) : Math.min(0, ...vals), hi = Math.max(...vals);
  const lastEpoch = Math.max(2, pts.length ? pts[pts.length - 1].epoch : 0, ...over.map((o) => (o.points.length ? o.points[o.points.length - 1][0] : 0)));
  const { sx, sy } = axes(svg, "train / test loss per epoch", "epoch", `mean ${st.config.train.loss}` + (logY ? " (log)" : ""), [1, lastEpoch], [lo, hi], logY && pos.length > 0);
  // Stored runs first (dashed), so the live curves stay on top.
  for (const [id, o] of overlays) {
    const d = o.points.filter((p) => !logY || p[1] > 0).map((p, k) => `${k ? "L" : "M"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join("");
    if (d) el("path", { d, fill: "none", stroke: o.color, "stroke-width": 1.4, "stroke-dasharray": "5 3", class: `overlay overlay-run-${id}` }, svg);
  }
  const line = (key, color) => {
    const d = pts.filter((h) => h[key] !== null && h[key] !== undefined && (!logY || h[key] > 0)).map((h, k) => `${k ? "L" : "M"}${sx(h.epoch).toFixed(1)},${sy(h[key]).toFixed(1)}`).join("");
    if (d) el("path", { d, fill: "none", stroke: color, "stroke-width": 1.6, class: `series-${key}` }, svg);
  };
  line("train_loss", "#2563eb");
  line("test_loss", "#ea580c");
  el("text", { x: BOX.r - 4, y: BOX.t + 12, "text-anchor": "end", fill: "#2563eb" }, svg, "train");
  if (pts.some((h) => h.test_loss !== null && h.test_loss !== undefined)) el("text", { x: BOX.r - 4, y: BOX.t + 25, "text-anchor": "end", fill: "#ea580c" }, svg, "test");
  drawLegend();
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

async function drawPredictions() {
  if (!sid) return;
  const id = sid;
  let p;
  try { p = await api("GET", `/api/sessions/${id}/predictions`); } catch (e) { return; }
  if (id !== sid) return;
  const svg = $("#chart-pred");
  const all = p.rows.filter((r) => Number.isFinite(r.prediction));
  if (!all.length) { axes(svg, "predictions vs targets", "target", "prediction", [0, 1], [0, 1]); return; }
  const vals = all.flatMap((r) => [r.target, r.prediction]);
  const lo = Math.min(...vals), hi = Math.max(...vals);
  const { sx, sy } = axes(svg, "predictions vs targets (original units)", `target ${p.target}`, "prediction", [lo, hi], [lo, hi]);
  el("line", { x1: sx(lo), y1: sy(lo), x2: sx(hi), y2: sy(hi), stroke: "#9ca3af", "stroke-dasharray": "4 3" }, svg);
  for (const r of all.slice(0, 2000)) el("circle", { cx: sx(r.target), cy: sy(r.prediction), r: 2.2, fill: r.set === "test" ? "#ea580c" : "#2563eb", "fill-opacity": 0.6 }, svg);
}

async function drawPlane() {
  const svg = $("#chart-plane");
  if (!sid || st.step.input.length !== 2) { axes(svg, "output over the input plane (needs 2 inputs)", "", "", [0, 1], [0, 1]); return; }
  const id = sid;
  let g;
  try { g = await api("GET", `/api/sessions/${id}/grid?n=24`); } catch (e) { return; }
  if (id !== sid) return;
  const zs = g.z.flat().filter(Number.isFinite);
  const zlo = Math.min(...zs), zhi = Math.max(...zs);
  const { sx, sy } = axes(svg, `network output y_hat over (${g.x1_name}, ${g.x2_name})`, g.x1_name, g.x2_name, [g.x1[0], g.x1[g.x1.length - 1]], [g.x2[0], g.x2[g.x2.length - 1]]);
  const n = g.x1.length;
  const dx = (g.x1[n - 1] - g.x1[0]) / (n - 1), dy = (g.x2[n - 1] - g.x2[0]) / (n - 1);
  g.z.forEach((row, j) => row.forEach((z, i) => {
    const t = Number.isFinite(z) ? (z - zlo) / (zhi - zlo || 1) : 0;
    const x0 = sx(g.x1[i] - dx / 2), x1 = sx(g.x1[i] + dx / 2), y0 = sy(g.x2[j] + dy / 2), y1 = sy(g.x2[j] - dy / 2);
    const rect = el("rect", { x: Math.max(BOX.l, x0), y: Math.max(BOX.t, y0), width: Math.max(0, Math.min(BOX.r, x1) - Math.max(BOX.l, x0)), height: Math.max(0, Math.min(BOX.b, y1) - Math.max(BOX.t, y0)), fill: `hsl(${220 - 200 * t}, 70%, ${85 - 35 * t}%)` }, svg);
    el("title", {}, rect, `y_hat(${fmt(g.x1[i])}, ${fmt(g.x2[j])}) = ${full(z)}`);
  }));
  el("text", { x: BOX.r - 4, y: BOX.t + 12, "text-anchor": "end" }, svg, `${fmt(zlo)} (blue) .. ${fmt(zhi)} (red)`);
}

