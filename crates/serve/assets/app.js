// nnlab playground. This script draws and asks; it computes no math of its own: every
// number shown comes from the server (nnlab's library) through the JSON API.
"use strict";

const $ = (s) => document.querySelector(s);
const SVGNS = "http://www.w3.org/2000/svg";
// The setup form's defaults, choices and help come from GET /api/schema, the key table that
// also makes nnlab's flags and TOML keys (loadSchema): the page holds none of its own.
let SCHEMA = new Map();  // key -> {key, flag, path, help, default, switch, choices, group, applies_to}
let DEFAULTS = {};       // form field -> its schema default as text ("" when off); left out of links
// Labels the page shows for some choices instead of the bare value.
const LABELS = { data: { generate: "generate: y = x1² + x2 + noise" } };

let sid = null;          // session id
let st = null;           // the last SessionState
let hist = [];           // loss history per epoch (EpochRecord)
let sel = null;          // {kind: "param", name} or {kind: "node", layer, neuron}
let events = null;       // EventSource while playing
let csvText = null;      // uploaded CSV text (never in the URL)
let lastPredFetch = 0;
let chartTimer = null;    // the pending refresh of the two charts that need requests
// Stored runs overlaid on the loss chart, by run id: {label, color, points: [[epoch, loss]]}.
const overlays = new Map();
// Dashed overlay colours, none of them the live curves' blue (train) or orange (test).
const OVERLAY_COLORS = ["#16a34a", "#9333ea", "#db2777", "#0891b2", "#a16207", "#475569"];

// ---------- API ----------
async function api(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers["content-type"] = "application/json"; }
  const res = await fetch(path, opts);
  const json = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(json.error || `HTTP ${res.status}`);
  return json;
}

function setStatus(text, isError) {
  const s = $("#status");
  s.textContent = text;
  s.style.color = isError ? "#fca5a5" : "";
}

// ---------- setup form <-> URL <-> Experiment ----------
// Fills every form field named like a schema key: its default, its choices (a select's
// options, a text field's suggestions) and its help as the tooltip where the page has none.
// The page's own options stay: an empty one ("default") first, others (CSV upload) last.
async function loadSchema() {
  const schema = await api("GET", "/api/schema");
  SCHEMA = new Map(schema.keys.map((k) => [k.key, k]));
  DEFAULTS = {};
  for (const el of $("#setup-form").elements) {
    const key = SCHEMA.get(el.name);
    if (!key) continue;
    DEFAULTS[key.key] = key.default ?? "";
    if (!el.title) el.title = key.help;
    if (key.choices && el.tagName === "SELECT" && !el.multiple) {
      const own = [...el.options];
      el.replaceChildren(...own.filter((o) => !o.value));
      for (const c of key.choices) el.add(new Option(LABELS[key.key]?.[c] ?? c, c));
      for (const o of own.filter((o) => o.value)) el.add(o);
    } else if (key.choices && el.tagName === "INPUT" && el.type !== "checkbox") {
      const list = el.form.appendChild(document.createElement("datalist"));
      list.id = `choices-${key.key}`;
      for (const c of key.choices) list.appendChild(new Option(c, c));
      el.setAttribute("list", list.id);
    }
  }
  writeForm(DEFAULTS);
}

function readForm() {
  const f = $("#setup-form");
  const out = {};
  for (const k of Object.keys(DEFAULTS)) {
    const el = f.elements[k];
    if (!el) continue;
    if (el.type === "checkbox") out[k] = String(el.checked);
    else if (el.multiple) out[k] = [...el.selectedOptions].map((o) => o.value).join(",");
    else out[k] = el.value;
  }
  return out;
}

function writeForm(values) {
  const f = $("#setup-form");
  for (const [k, v] of Object.entries(values)) {
    const el = f.elements[k];
    if (!el || v === undefined) continue;
    if (el.type === "checkbox") el.checked = v === "true";
    else if (el.multiple) { const want = v.split(","); for (const o of el.options) o.selected = want.includes(o.value); }
    else el.value = v;
  }
  showSourceFields();
}

function urlFromForm() {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(readForm())) if (v !== DEFAULTS[k]) q.set(k, v);
  const s = q.toString();
  return location.pathname + (s ? "?" + s : "");
}

function formFromUrl() {
  const q = new URLSearchParams(location.search);
  const values = {};
  for (const k of Object.keys(DEFAULTS)) if (q.has(k)) values[k] = q.get(k);
  // Links made before the fields took the key table's names: `source` is `data`, and an
  // `init` that is no preset was an initializer of the weights.
  if (q.has("source") && !q.has("data")) values.data = q.get("source");
  if (values.init && !(SCHEMA.get("init")?.choices ?? []).includes(values.init)) {
    values.weights ??= values.init;
    delete values.init;
  }
  writeForm(values);
}

function experimentFrom(f) {
  const num = (v) => Number(v);
  const exp = {
    seed: num(f.seed),
    data: { source: f.data, test_fraction: num(f.test_fraction) },
    model: { arch: f.arch.trim(), activation: f.activation.trim() },
    train: {
      epochs: num(f.epochs), lr: num(f.lr), loss: f.loss, optimizer: f.optimizer,
      schedule: f.schedule.trim(), shuffle: f.shuffle === "true",
      batch_size: f.batch_size.trim() === "full" ? "full" : num(f.batch_size),
    },
  };
  if (f.data === "generate") {
    exp.data.generator = { rows: num(f.rows), x1: f.x1, x2: f.x2, noise: f.noise, integer: f.integer === "true", distribution: f.distribution };
  } else if (f.data === "upload") {
    exp.data.source = "upload.csv";
    exp.data.inputs = f.inputs ? f.inputs.split(",") : [];
    exp.data.target = f.target;
  }
  // Both given is the server's error to name (a preset sets the weights itself).
  if (f.init) exp.model.init = f.init;
  if (f.weights.trim()) exp.model.weights = f.weights.trim();
  return exp;
}

function showSourceFields() {
  const src = $("#setup-form").elements.data.value;
  document.querySelector(".gen").hidden = src !== "generate";
  document.querySelector(".csv").hidden = src !== "upload";
}

async function applySetup() {
  $("#setup-error").textContent = "";
  stopEvents();
  const f = readForm();
  if (f.data === "upload" && !csvText) { $("#setup-error").textContent = "choose a CSV file first"; return; }
  const exp = experimentFrom(f);
  try {
    const body = f.data === "upload" ? { experiment: exp, csv: csvText } : exp;
    const created = await api("POST", "/api/sessions", body);
    sid = created.id;
    history.replaceState(null, "", urlFromForm());
    sel = null;
    await refresh(true);
  } catch (e) {
    $("#setup-error").textContent = e.message;
    setStatus("setup error", true);
  }
}

// ---------- session actions ----------
async function refresh(full) {
  const s = await api("GET", `/api/sessions/${sid}`);
  show(s, full);
}

function show(s, full) {
  if (full || s.history_from === 0) hist = s.history.slice();
  else hist = hist.slice(0, s.history_from).concat(s.history);
  st = s;
  render();
}

async function act(method, path, body) {
  try {
    const s = await api(method, `/api/sessions/${sid}${path}`, body);
    show(s, true);
  } catch (e) {
    setStatus(e.message, true);
  }
}

function stopEvents() {
  if (events) { events.close(); events = null; }
}

async function togglePlay() {
  if (st && st.playing) { await act("POST", "/pause"); stopEvents(); return; }
  const eps = Number($("#speed").value);
  // Start playing first, then listen. A stream opened before the server has started
  // playing begins with the not-yet-playing state, and would close itself at once.
  await act("POST", "/play", { epochs_per_second: eps });
  if (!st || !st.playing) return;
  stopEvents();
  events = new EventSource(`/api/sessions/${sid}/events?since=${hist.length}`);
  events.addEventListener("state", (ev) => {
    const s = JSON.parse(ev.data);
    show(s, false);
    if (!s.playing) stopEvents();
  });
}

// ---------- rendering ----------
function fmt(v) {
  if (v === null || v === undefined) return "NaN";
  if (typeof v !== "number") return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
const full = (v) => (v === null || v === undefined ? "NaN" : String(v));
// Six significant digits to read (the exact value goes in a tooltip and data-value).
const short = (v) => (v === null || v === undefined ? "NaN" : Math.abs(v) >= 1e-4 || v === 0 ? String(Number(v.toPrecision(6))) : v.toExponential(5));

function el(tag, attrs, parent, text) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

// The parameter's display name, as the library spells it (course names on 2-2-1).
const COURSE = { "0,0,0": "w1", "0,1,0": "w2", "0,0,1": "w3", "0,1,1": "w4", "1,0,0": "w5", "1,0,1": "w6", "b0,0": "b1", "b0,1": "b2", "b1,0": "b3" };
function wName(l, j, i) { return st.step.course_names ? COURSE[`${l},${j},${i}`] : `L${l + 1}.w[${j + 1}][${i + 1}]`; }
function bName(l, j) { return st.step.course_names ? COURSE[`b${l},${j}`] : `L${l + 1}.b[${j + 1}]`; }

function render() {
  const s = st;
  const status = s.status.status === "completed" ? (s.playing ? "playing" : "ready") : s.status.status.replace("_", " ");
  setStatus(`${s.network.layers.length ? s.step.arch : ""} · epoch ${s.epoch} · ${status}`, s.status.status === "diverged");
  $("#btn-play").textContent = s.playing ? "Pause" : "Play";
  $("#progress").textContent = `epoch ${s.epoch}, row ${s.position}/${s.rows} of this epoch, batch ${s.batch_size}, lr ${fmt(s.lr)}, undo ${s.undo}`;
  $("#losses").textContent = `train loss ${full(s.train_loss)}` + (s.test_loss !== null && s.test_loss !== undefined ? `   test loss ${full(s.test_loss)}` : "") + `   (mean ${s.config.train.loss}, scaled units)`;
  drawNetwork();
  drawMath();
  drawParams();
  drawDiagnostics();
  drawLoss();
  const now = Date.now();
  // The predictions and input-plane charts need two more requests each time: they follow
  // once a burst of clicks settles (100 ms), at most twice a second while playing, so the
  // step's own numbers are painted first and the step requests never queue behind them.
  clearTimeout(chartTimer);
  const wait = s.playing ? Math.max(0, 500 - (now - lastPredFetch)) : 100;
  chartTimer = setTimeout(() => { lastPredFetch = Date.now(); drawPredictions(); drawPlane(); }, wait);
}

function flaggedNodes() {
  // Neurons the diagnostics name (dead ReLU, symmetry) and any non-finite value.
  const names = new Set();
  for (const d of st.diagnostics) if (d.severity === "warning") for (const n of d.involved) names.add(n);
  return names;
}

function drawNetwork() {
  const svg = $("#net");
  svg.innerHTML = "";
  const sizes = [st.step.input.length].concat(st.network.layers.map((l) => l.biases.length));
  const W = 640, H = 340, padX = 84, padY = 28;
  const colX = (l) => padX + (l * (W - 2 * padX)) / (sizes.length - 1);
  const rowY = (l, j) => padY + ((j + 0.5) * (H - 2 * padY)) / sizes[l];
  const r = Math.max(7, Math.min(22, (H - 2 * padY) / Math.max(...sizes) / 2.6));
  let wmax = 1e-12;
  st.network.layers.forEach((L) => L.weights.forEach((row) => row.forEach((w) => (wmax = Math.max(wmax, Math.abs(w))))));
  const flagged = flaggedNodes();
  const small = Math.max(...sizes) > 4;
  // Edges first, under the nodes.
  st.network.layers.forEach((L, l) => {
    L.weights.forEach((row, j) => row.forEach((w, i) => {
      const name = wName(l, j, i);
      const x1 = colX(l), y1 = rowY(l, i), x2 = colX(l + 1), y2 = rowY(l + 1, j);
      const line = el("line", {
        x1, y1, x2, y2, class: "edge" + (sel && sel.name === name ? " selected" : ""),
        stroke: !Number.isFinite(w) ? "#000" : w >= 0 ? "#2563eb" : "#dc2626",
        "stroke-width": 0.6 + 6 * Math.min(1, Math.abs(w) / wmax), "stroke-opacity": 0.75, "data-name": name,
      }, svg);
      el("title", {}, line, `${name} = ${full(w)}`);
      line.addEventListener("click", () => select({ kind: "param", name }));
      if (!small) {
        const t = 0.3 + 0.12 * ((i + j) % 2);
        const lx = x1 + (x2 - x1) * t, ly = y1 + (y2 - y1) * t - 4;
        const label = el("text", { x: lx, y: ly, "text-anchor": "middle", class: "clickable", "data-name": name }, svg, `${name}=${fmt(w)}`);
        label.addEventListener("click", () => select({ kind: "param", name }));
      }
    }));
  });
  // Input nodes.
  st.step.input.forEach((x, i) => {
    const cx = colX(0), cy = rowY(0, i);
    el("circle", { cx, cy, r, fill: "#eef2f7", stroke: "#64748b" }, svg);
    el("text", { x: cx - r - 4, y: cy + 4, "text-anchor": "end" }, svg, `x${i + 1}=${fmt(x)}`);
  });
  // Neurons with z, a and the bias.
  st.step.nodes.forEach((n) => {
    const l = n.layer, j = n.neuron - 1;
    const cx = colX(l), cy = rowY(l, j);
    const bad = flagged.has(n.name) || !Number.isFinite(n.z) || !Number.isFinite(n.a);
    const isSel = sel && sel.kind === "node" && sel.layer === l && sel.neuron === j;
    const c = el("circle", { cx, cy, r, class: "node" + (bad ? " flag" : "") + (isSel ? " selected" : ""), fill: "#fff", stroke: "#334155", "stroke-width": 1.5, "data-node": n.name }, svg);
    el("title", {}, c, `${n.name}: ${n.equation}` + (bad ? "  (flagged: see diagnostics)" : ""));
    c.addEventListener("click", () => select({ kind: "node", layer: l, neuron: j }));
    const bname = bName(l - 1, j);
    const bval = st.network.layers[l - 1].biases[j];
    if (!small) {
      el("text", { x: cx, y: cy - r - 4, "text-anchor": "middle" }, svg, `${n.z_name}=${fmt(n.z)}`);
      el("text", { x: cx, y: cy + r + 12, "text-anchor": "middle" }, svg, `${n.a_name}=${fmt(n.a)}`);
    } else {
      el("text", { x: cx + r + 2, y: cy + 4 }, svg, fmt(n.a));
    }
    const bt = el("text", { x: cx + (small ? -r - 2 : r + 4), y: cy + (small ? -r + 2 : 4), "text-anchor": small ? "end" : "start", class: "clickable" + (sel && sel.name === bname ? " selected" : ""), "data-name": bname, fill: "#7c3aed" }, svg, small ? "b" : `${bname}=${fmt(bval)}`);
    el("title", {}, bt, `${bname} = ${full(bval)}`);
    bt.addEventListener("click", () => select({ kind: "param", name: bname }));
  });
  const last = st.step.nodes[st.step.nodes.length - 1];
  el("text", { x: W - 6, y: 14, "text-anchor": "end" }, svg, `row ${st.row}: target y=${fmt(Array.isArray(st.step.target) ? st.step.target[0] : st.step.target)}, y_hat=${fmt(last.a)}, loss=${fmt(st.step.loss)} (scaled)`);
}

function select(what) {
  sel = what;
  render();
}

function eq(parent, text) {
  const d = document.createElement("div");
  d.className = "eq";
  d.textContent = text;
  parent.appendChild(d);
}

function drawMath() {
  const p = $("#math-panel");
  p.innerHTML = "";
  const r = st.step;
  const ed = $("#editor");
  if (!sel) {
    eq(p, r.loss_equation);
    const note = document.createElement("p");
    note.className = "muted";
    note.textContent = "Click a weight, a bias or a node to see its equations.";
    p.appendChild(note);
    drawUpdate(p, null);
    ed.hidden = true;
    return;
  }
  if (sel.kind === "node") {
    ed.hidden = true;
    const n = r.nodes.find((n) => n.layer === sel.layer && n.neuron === sel.neuron + 1);
    if (!n) return;
    const h = document.createElement("p");
    h.textContent = `${n.name} (row ${st.row}, scaled units)`;
    p.appendChild(h);
    eq(p, n.equation);
    if (n.layer === r.nodes[r.nodes.length - 1].layer) eq(p, r.loss_equation);
    eq(p, n.dl_da_equation);
    eq(p, n.dl_dz_equation);
    return;
  }
  const name = sel.name;
  ed.hidden = false;
  $("#edit-name").textContent = name;
  const v = r.before[name];
  if (document.activeElement !== $("#edit-value")) $("#edit-value").value = v;
  const slider = $("#edit-slider");
  const span = Math.max(2, Math.ceil(Math.abs(v) * 2));
  slider.min = -span; slider.max = span; slider.value = v;
  const g = r.gradient_factors.find((f) => f.name === name);
  const h = document.createElement("p");
  h.textContent = `${name}: its gradient on row ${st.row} (scaled units)`;
  p.appendChild(h);
  if (g) {
    eq(p, `dL/d${name} = ${g.formula}`);
    eq(p, `        = ${g.factors.map(full).join(" · ")}`);
    eq(p, `        = ${full(g.value)}`);
  }
  eq(p, r.loss_equation);
  drawUpdate(p, name);
}

// The next sample step as the trainer will take it (the session's `update`): how the
// batch's gradient is formed, the optimizer's rule with its numbers, and per parameter
// before, the batch's sum so far or the mean gradient the update uses, the optimizer's
// state after it, and after. `name` limits the table to one parameter.
function drawUpdate(p, name) {
  const u = st.update;
  const h = document.createElement("p");
  p.appendChild(h);
  if (!u) {
    h.textContent = "Training has ended: no next step (reset or undo).";
    return;
  }
  h.textContent = `The next step: epoch ${u.epoch}, sample ${u.sample} (row ${u.row}), sample ${u.batch_sample} of ${u.batch_size} in its batch; loss ${full(u.loss)}`;
  eq(p, u.batch_formula);
  eq(p, (u.updates ? "" : "at the batch's end: ") + u.formula);
  const rows = u.params.filter((q) => name === null || q.name === name);
  const extra = ["velocity", "m", "v", "m_hat", "v_hat"].filter((k) => rows.some((q) => q[k] !== undefined));
  const grad = u.updates ? "g" : "Σg so far";
  const cols = ["p", "before", grad, ...extra, "after"];
  const t = document.createElement("table");
  t.id = "update";
  const head = document.createElement("tr");
  for (const c of cols) {
    const th = document.createElement("th");
    th.textContent = c;
    head.appendChild(th);
  }
  t.appendChild(head);
  for (const q of rows) {
    const tr = document.createElement("tr");
    tr.dataset.name = q.name;
    const g = u.updates ? q.gradient : q.sum;
    const cells = [q.name + (q.frozen ? " (frozen)" : ""), q.before, g, ...extra.map((k) => q[k]), q.after];
    for (const v of cells) {
      const td = document.createElement("td");
      td.textContent = typeof v === "string" ? v : short(v);
      if (typeof v !== "string") td.dataset.value = td.title = full(v);
      tr.appendChild(td);
    }
    t.appendChild(tr);
  }
  p.appendChild(t);
}

function drawParams() {
  const tb = $("#params tbody");
  tb.innerHTML = "";
  const r = st.step;
  // dL/dp is this sample's gradient (the chain rule the math panel explains); change and
  // after are what the trainer's next step really writes (the session's `update`: the
  // optimizer's rule on the batch's mean gradient; no change before the batch is complete).
  const next = new Map((st.update ? st.update.params : []).map((q) => [q.name, q]));
  for (const name of Object.keys(r.before)) {
    const tr = document.createElement("tr");
    tr.dataset.name = name;
    if (sel && sel.name === name) tr.className = "sel";
    const name_td = document.createElement("td");
    name_td.textContent = name;
    tr.appendChild(name_td);
    // Six significant digits to read; the exact value in data-value and the tooltip.
    const q = next.get(name);
    const after = q ? q.after : r.before[name];
    for (const v of [r.before[name], r.gradients[name], after - r.before[name], after]) {
      const td = document.createElement("td");
      td.textContent = short(v);
      td.dataset.value = full(v);
      td.title = full(v);
      tr.appendChild(td);
    }
    tr.addEventListener("click", () => select({ kind: "param", name }));
    tb.appendChild(tr);
  }
}

function drawDiagnostics() {
  const ul = $("#diagnostics");
  ul.innerHTML = "";
  const list = st.diagnostics.length ? st.diagnostics : [{ severity: "info", message: "no findings yet" }];
  if (st.status.status !== "completed") list.unshift({ severity: "warning", message: `${st.status.status}: ${st.status.suggestion || ""}` });
  for (const d of list) {
    const li = document.createElement("li");
    li.className = d.severity;
    li.textContent = d.message;
    ul.appendChild(li);
  }
}

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

// ---------- editing a parameter ----------
let editTimer = null;
function editValue(v, now) {
  if (!sel || sel.kind !== "param" || !Number.isFinite(v)) return;
  clearTimeout(editTimer);
  const name = sel.name;
  const send = () => act("PUT", "/params", { name, value: v });
  if (now) send(); else editTimer = setTimeout(send, 60);
}

// ---------- CSV upload: the header names the columns ----------
async function loadCsv(file) {
  csvText = await file.text();
  const header = csvText.split(/\r?\n/, 1)[0].split(",").map((s) => s.trim().replace(/^"|"$/g, ""));
  const f = $("#setup-form");
  for (const sel of [f.elements.inputs, f.elements.target]) {
    sel.innerHTML = "";
    for (const name of header) { const o = document.createElement("option"); o.value = o.textContent = name; sel.appendChild(o); }
  }
  f.elements.target.value = header[header.length - 1];
  for (const o of f.elements.inputs.options) o.selected = o.value !== header[header.length - 1];
}

// ---------- stored runs: list, overlay, save ----------
function shortTime(t) {
  // "2024-03-01T12:00:00.250Z" -> "03-01 12:00"
  return typeof t === "string" && t.length >= 16 ? `${t.slice(5, 10)} ${t.slice(11, 16)}` : String(t);
}

async function loadRuns() {
  const note = $("#runs-note");
  let list;
  try {
    list = await api("GET", "/api/runs?limit=50");
  } catch (e) {
    // The store is disabled or could not be opened: say why; saving is off too.
    note.textContent = e.message;
    note.className = "error";
    $("#btn-save").disabled = true;
    $("#btn-save").title = e.message;
    $("#runs tbody").innerHTML = "";
    return;
  }
  $("#btn-save").disabled = false;
  note.className = "muted";
  note.textContent = `${list.runs.length ? "newest first" : "no runs yet"} · ${list.store || ""}`;
  const tb = $("#runs tbody");
  tb.innerHTML = "";
  for (const r of list.runs) {
    const tr = document.createElement("tr");
    tr.dataset.run = r.id;
    if (overlays.has(r.id)) tr.className = "overlaid";
    const cells = [r.id, shortTime(r.started), r.experiment || r.sweep || "", r.arch, r.lr, r.optimizer, r.epochs, r.final_loss, r.status.replace("_", " ")];
    cells.forEach((v, k) => {
      const td = document.createElement("td");
      td.textContent = v === null || v === undefined ? "–" : typeof v === "number" && k >= 4 ? fmt(v) : String(v);
      if (k === 1) td.title = r.started;
      if (k === 2) td.title = `data: ${r.data}, activation: ${r.activation}`;
      tr.appendChild(td);
    });
    const td = document.createElement("td");
    const b = document.createElement("button");
    b.className = "btn-overlay";
    b.textContent = overlays.has(r.id) ? "Remove" : "Overlay";
    b.title = `draw run ${r.id}'s train loss on the loss chart`;
    b.disabled = !r.epochs;
    b.addEventListener("click", () => toggleOverlay(r.id, r));
    td.appendChild(b);
    tr.appendChild(td);
    tb.appendChild(tr);
  }
}

async function toggleOverlay(id, row) {
  if (overlays.has(id)) {
    overlays.delete(id);
  } else {
    try {
      const run = await api("GET", `/api/runs/${id}`);
      const used = new Set([...overlays.values()].map((o) => o.color));
      const color = OVERLAY_COLORS.find((c) => !used.has(c)) || OVERLAY_COLORS[overlays.size % OVERLAY_COLORS.length];
      const points = run.history.filter((h) => Number.isFinite(h.train_loss)).map((h) => [h.epoch, h.train_loss]);
      const r = row || run;
      overlays.set(id, { label: `run ${id} · ${r.arch} lr ${fmt(r.lr)}`, color, points });
    } catch (e) {
      setStatus(`run ${id}: ${e.message}`, true);
      return;
    }
  }
  for (const tr of document.querySelectorAll("#runs tbody tr")) {
    const on = overlays.has(Number(tr.dataset.run));
    tr.className = on ? "overlaid" : "";
    const b = tr.querySelector(".btn-overlay");
    if (b) b.textContent = on ? "Remove" : "Overlay";
  }
  if (st) drawLoss();
}

async function saveRun() {
  if (!sid) return;
  try {
    const saved = await api("POST", `/api/sessions/${sid}/save`);
    setStatus(`saved as run ${saved.id}` + (saved.reproducible ? " (nnlab runs rerun reproduces it)" : ` (not rerunnable: ${saved.notes.join("; ")})`));
    await loadRuns();
  } catch (e) {
    setStatus(`save: ${e.message}`, true);
  }
}

// ---------- export / import ----------
async function exportJson() {
  const data = await api("GET", `/api/sessions/${sid}/export`);
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = "nnlab-session.json";
  a.click();
  URL.revokeObjectURL(a.href);
}

async function importJson(file) {
  try {
    const data = JSON.parse(await file.text());
    stopEvents();
    const created = await api("POST", "/api/sessions/import", data);
    sid = created.id;
    await refresh(true);
  } catch (e) {
    setStatus(`import: ${e.message}`, true);
  }
}

// ---------- wiring ----------
function wire() {
  $("#setup-form").addEventListener("submit", (e) => { e.preventDefault(); applySetup(); });
  $("#setup-form").elements.data.addEventListener("change", showSourceFields);
  $("#csv-file").addEventListener("change", (e) => e.target.files[0] && loadCsv(e.target.files[0]));
  $("#btn-sample").addEventListener("click", () => act("POST", "/step", { unit: "sample", count: 1 }));
  $("#btn-batch").addEventListener("click", () => act("POST", "/step", { unit: "batch", count: 1 }));
  $("#btn-epoch").addEventListener("click", () => act("POST", "/step", { unit: "epoch", count: 1 }));
  $("#btn-play").addEventListener("click", togglePlay);
  $("#btn-undo").addEventListener("click", () => { stopEvents(); act("POST", "/undo"); });
  $("#btn-reset").addEventListener("click", () => { stopEvents(); act("POST", "/reset"); });
  $("#speed").addEventListener("change", () => st && st.playing && act("POST", "/play", { epochs_per_second: Number($("#speed").value) }));
  $("#log-y").addEventListener("change", drawLoss);
  $("#edit-value").addEventListener("change", (e) => editValue(Number(e.target.value), true));
  $("#edit-slider").addEventListener("input", (e) => editValue(Number(e.target.value), false));
  $("#btn-export").addEventListener("click", exportJson);
  $("#btn-save").addEventListener("click", saveRun);
  $("#btn-runs-refresh").addEventListener("click", loadRuns);
  $("#file-import").addEventListener("change", (e) => e.target.files[0] && importJson(e.target.files[0]));
  $("#btn-link").addEventListener("click", () => {
    const link = location.origin + urlFromForm();
    if (navigator.clipboard) navigator.clipboard.writeText(link).catch(() => {});
    setStatus("link: " + link);
  });
}

wire();
loadSchema()
  .then(() => { formFromUrl(); return applySetup(); })
  .catch((e) => { $("#setup-error").textContent = `the form's options: ${e.message}`; setStatus("schema error", true); });
loadRuns();
