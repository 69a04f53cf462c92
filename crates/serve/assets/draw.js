// nnlab playground: the network diagram, the math panel, the parameter table and the
// diagnostics, drawn from the last SessionState (`st`, declared in app.js). Loaded before
// app.js; like it, it computes no math of its own.
"use strict";


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

// The units the network works in: scaled, unless the setup turned scaling off (the course's
// own example, x = (1, 0) and y = 2, is unscaled).
function units() { return st.config.data.scale === "none" ? "original units, no scaling" : `${st.config.data.scale}-scaled units`; }

function render() {
  const s = st;
  const status = s.status.status === "completed" ? (s.playing ? "playing" : "ready") : s.status.status.replace("_", " ");
  setStatus(`${s.network.layers.length ? s.step.arch : ""} · epoch ${s.epoch} · ${status}`, s.status.status === "diverged");
  $("#btn-play").textContent = s.playing ? "Pause" : "Play";
  // Nothing to undo, or every epoch run: the buttons say so instead of answering 409.
  $("#btn-undo").disabled = s.undo === 0;
  $("#btn-play").disabled = !s.playing && (s.status.status !== "completed" || s.epoch >= s.config.train.epochs);
  $("#progress").textContent = `epoch ${s.epoch}, row ${s.position}/${s.rows} of this epoch, batch ${s.batch_size}, lr ${fmt(s.lr)}, undo ${s.undo}`;
  $("#losses").textContent = `train loss ${full(s.train_loss)}` + (s.test_loss !== null && s.test_loss !== undefined ? `   test loss ${full(s.test_loss)}` : "") + `   (mean ${s.config.train.loss}, ${units()})`;
  drawNetwork();
  drawNetEdit();
  drawPanels();
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
  el("text", { x: W - 6, y: 14, "text-anchor": "end" }, svg, `row ${st.row}: target y=${fmt(Array.isArray(st.step.target) ? st.step.target[0] : st.step.target)}, y_hat=${fmt(last.a)}, loss=${fmt(st.step.loss)} (${units()})`);
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
    h.textContent = `${n.name} (row ${st.row}, ${units()})`;
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
  // The range is set when a parameter is selected (or when its value leaves the range by
  // other means), never while the slider is dragged: widening it under the pointer made a
  // drag run away (1.19 -> 2.14 -> 4.17 -> 8.57 -> 18).
  const dragging = document.activeElement === slider;
  if (slider.dataset.name !== name || (!dragging && Math.abs(v) > Number(slider.max))) {
    const span = Math.max(2, Math.ceil(Math.abs(v) * 2));
    slider.min = -span; slider.max = span; slider.dataset.name = name;
  }
  if (!dragging) slider.value = v;
  const g = r.gradient_factors.find((f) => f.name === name);
  const h = document.createElement("p");
  h.textContent = `${name}: its gradient on row ${st.row} (${units()})`;
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
  // A copy: the status and outcome lines below are the panel's, not findings of the state
  // (pushed into st.diagnostics they lacked `involved` and broke the next redraw).
  const list = st.diagnostics.length ? [...st.diagnostics] : [{ severity: "info", message: "no findings yet" }];
  if (st.status.status !== "completed") list.unshift({ severity: "warning", message: `${st.status.status}: ${st.status.suggestion || ""}` });
  // The outcome of the training so far, judged as `nnlab train` judges a finished run.
  if (st.verdict) {
    list.unshift({ severity: st.verdict.healthy ? "info" : "warning", message: `outcome so far: ${st.verdict.outcome}: ${st.verdict.reason}`, outcome: true });
  }
  for (const d of list) {
    const li = document.createElement("li");
    li.className = d.outcome ? `${d.severity} outcome` : d.severity;
    li.textContent = d.message;
    ul.appendChild(li);
  }
}

