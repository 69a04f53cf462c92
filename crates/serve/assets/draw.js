// nnlab playground: the math panel, the parameter table and the diagnostics, drawn from the
// last SessionState (`st`, declared in app.js); the diagram is network.js's, the number
// display present.js's. Loaded before app.js; like it, it computes no math of its own.
"use strict";

// ---------- rendering ----------
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
  // The loss chart first: it reads its size from the layout (charts.js frame), which is
  // still the last frame's here; after the drawing below it made the browser lay the whole
  // page out mid-render (about 50 ms a click at 10-16-16-1).
  drawLoss();
  const status = s.status.status === "completed" ? (s.playing ? "playing" : "ready") : s.status.status.replace("_", " ");
  setStatus(`${s.network.layers.length ? s.step.arch : ""} · epoch ${s.epoch} · ${status}`, s.status.status === "diverged");
  setText($("#btn-play"), s.playing ? "Pause" : "Play");
  // Nothing to undo, or every epoch run: the buttons say so instead of answering 409.
  setDisabled($("#btn-undo"), s.undo === 0);
  setDisabled($("#btn-play"), !s.playing && (s.status.status !== "completed" || s.epoch >= s.config.train.epochs));
  setText($("#progress"), `epoch ${s.epoch}, row ${s.position}/${s.rows} of this epoch, batch ${s.batch_size}, lr ${fmt(s.lr)}, undo ${s.undo}`);
  const losses = $("#losses");
  losses.replaceChildren("train loss ", numSpan(s.train_loss));
  if (s.test_loss !== null && s.test_loss !== undefined) losses.append("   test loss ", numSpan(s.test_loss));
  losses.append(`   (mean ${s.config.train.loss}, ${units()})`);
  drawNetwork();
  drawNetEdit();
  drawPanels();
  drawSetupExtras();
  // The predictions and input-plane charts need requests: charts.js asks for them once a
  // burst of clicks settles, at most twice a second while playing, one at a time.
  scheduleCharts();
}

// As setText, for a button's `disabled` (a write of the same value restyles it too).
function setDisabled(b, on) {
  if (b.disabled !== on) b.disabled = on;
}

function flaggedNodes() {
  // Neurons the diagnostics name (dead ReLU, symmetry) and any non-finite value.
  const names = new Set();
  for (const d of st.diagnostics) if (d.severity === "warning") for (const n of d.involved) names.add(n);
  return names;
}

function select(what) {
  sel = what;
  render();
  // A big network's states carry the selected parameter's chain-rule factors or node's
  // backward equations only (app.js stateQuery): another one's come with the state asked
  // for again, or with the stream opened again while playing.
  const node = sel && sel.kind === "node" ? st.step.nodes.find((n) => n.layer === sel.layer && n.neuron === sel.neuron + 1) : null;
  const missing = sel && sel.kind === "param" ? !st.step.gradient_factors.some((g) => g.name === sel.name) : Boolean(node && !node.dl_da_equation);
  if (missing) {
    if (st.playing) listen(); else act("GET", "");
  }
}

// The math panel is drawn again for every state, and most of it shows what it showed: its
// children are written through `panelWriter`, which keeps a child whose key (all that it
// shows) is the last drawing's at that place and makes the others anew, so the browser
// styles, lays out and paints only what changed.
function panelWriter(p) {
  let k = 0;
  // Whatever a key leaves out and every text depends on: the digits shown, the input names.
  const view = `${digits()}|${(st.data.inputs || []).join(",")}|`;
  return {
    // The child for `key` (made by `make` where the last drawing had another there).
    put(key, make) {
      const old = p.children[k++];
      if (old && old.panelKey === view + key) return old;
      const e = make();
      e.panelKey = view + key;
      if (old) old.replaceWith(e); else p.appendChild(e);
      return e;
    },
    // An equation of the server's, its numbers short (exact on hover and click: present.js).
    eq(text) {
      return this.put(`eq ${text}`, () => eqElement(text));
    },
    // A paragraph of texts and JSON numbers (shown as numSpan shows them).
    para(cls, ...parts) {
      return this.put(`p ${cls} ${JSON.stringify(parts)}`, () => {
        const e = document.createElement("p");
        if (cls) e.className = cls;
        e.append(...parts.map((x) => (typeof x === "string" ? x : numSpan(x.num))));
        return e;
      });
    },
    // Drops the children past the last one put.
    end() {
      while (p.children.length > k) p.lastElementChild.remove();
    },
  };
}

function drawMath() {
  const w = panelWriter($("#math-panel"));
  const r = st.step;
  const ed = $("#editor");
  // The row explained, each input under its name in the data, original beside scaled.
  const target = Array.isArray(r.target) ? r.target[0] : r.target;
  w.put(`row ${JSON.stringify([st.row, st.row_input, st.row_target, r.input, target, st.config.data.scale, st.data.target])}`, rowValues);
  if (!sel) {
    w.eq(r.loss_equation);
    w.para("muted", "Click a weight, a bias or a node to see its equations.");
    drawUpdate(w, null);
    ed.hidden = true;
    return;
  }
  if (sel.kind === "node") {
    ed.hidden = true;
    const n = r.nodes.find((n) => n.layer === sel.layer && n.neuron === sel.neuron + 1);
    if (!n) return w.end();
    w.para("", `${n.name} (row ${st.row}, ${units()})`);
    w.eq(n.equation);
    if (n.layer === r.nodes[r.nodes.length - 1].layer) w.eq(r.loss_equation);
    // Empty until the state asked for again with this node's (select) arrives.
    if (n.dl_da_equation) w.eq(n.dl_da_equation);
    if (n.dl_dz_equation) w.eq(n.dl_dz_equation);
    return w.end();
  }
  const name = sel.name;
  ed.hidden = false;
  setText($("#edit-name"), name);
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
  w.para("", `${name}: its gradient on row ${st.row} (${units()})`);
  if (g) {
    w.eq(`dL/d${name} = ${g.formula}`);
    w.eq(`        = ${g.factors.map(full).join(" · ")}`);
    w.eq(`        = ${full(g.value)}`);
  }
  w.eq(r.loss_equation);
  drawUpdate(w, name);
}

// The next sample step as the trainer will take it (the session's `update`): how the
// batch's gradient is formed, the optimizer's rule with its numbers, and per parameter
// before, the batch's sum so far or the mean gradient the update uses, the optimizer's
// state after it, and after. `name` limits the table to one parameter. `w` is the math
// panel's writer (drawMath); the table is kept while its columns are, its rows updated.
function drawUpdate(w, name) {
  const u = st.update;
  if (!u) {
    w.para("", "Training has ended: no next step (reset or undo).");
    return w.end();
  }
  w.para("", `The next step: epoch ${u.epoch}, sample ${u.sample} (row ${u.row}), sample ${u.batch_sample} of ${u.batch_size} in its batch; loss `, { num: u.loss });
  w.eq(u.batch_formula);
  w.eq((u.updates ? "" : "at the batch's end: ") + u.formula);
  const rows = u.params.filter((q) => name === null || q.name === name);
  const extra = ["velocity", "m", "v", "m_hat", "v_hat"].filter((k) => rows.some((q) => q[k] !== undefined));
  const grad = u.updates ? "g" : "Σg so far";
  const cols = ["p", "before", grad, ...extra, "after"];
  const wrap = w.put(`update ${cols.join(" ")}`, () => {
    const t = document.createElement("table");
    t.id = "update";
    const wrap = document.createElement("div");
    wrap.className = "fit";
    wrap.appendChild(t);
    const head = t.createTHead().insertRow();
    for (const c of cols) {
      const th = document.createElement("th");
      th.textContent = c;
      head.appendChild(th);
    }
    t.createTBody();
    return wrap;
  });
  w.end();
  fillRows(wrap.firstChild, rows.map((q) => ({
    name: q.name,
    cells: [q.name + (q.frozen ? " (frozen)" : ""), ...[q.before, u.updates ? q.gradient : q.sum, ...extra.map((k) => q[k]), q.after].map((v) => ({ raw: full(v) }))],
  })), -1);
}

function drawParams() {
  const t = $("#params");
  const r = st.step;
  // dL/dp is this sample's gradient (the chain rule the math panel explains); change and
  // after are what the trainer's next step really writes (the session's `update`: the
  // optimizer's rule on the batch's mean gradient; no change before the batch is complete).
  // Six significant digits to read (four in presenter mode); the exact value in data-value
  // and the tooltip, and on a click (present.js).
  const next = new Map((st.update ? st.update.params : []).map((q) => [q.name, q]));
  const names = Object.keys(r.before);
  const rows = names.map((name) => {
    const q = next.get(name);
    const after = q ? q.after : r.before[name];
    const cols = [[r.before[name], "c-before"], [r.gradients[name], "c-grad"], [after - r.before[name], "c-change"], [after, "c-after"]];
    return { name, cls: sel && sel.name === name ? "sel" : "", cells: [name, ...cols.map(([v, cls]) => ({ raw: full(v), cls }))] };
  });
  // A newly selected parameter's row is scrolled into view (a long table shows 16 rows).
  const picked = sel && sel.kind === "param" && sel.name !== t.dataset.shown ? names.indexOf(sel.name) : -1;
  t.dataset.shown = sel && sel.kind === "param" ? sel.name : "";
  fillRows(t, rows, picked);
}

// A click on a row of the parameter table selects its parameter (the rows come and go with
// scrolling: one listener for them all).
document.querySelector("#params tbody").addEventListener("click", (ev) => {
  const tr = ev.target.closest("tr[data-name]");
  if (tr) select({ kind: "param", name: tr.dataset.name });
});

function drawDiagnostics() {
  const ul = $("#diagnostics");
  // A copy: the status and outcome lines below are the panel's, not findings of the state
  // (pushed into st.diagnostics they lacked `involved` and broke the next redraw).
  const list = st.diagnostics.length ? [...st.diagnostics] : [{ severity: "info", message: "no findings yet" }];
  if (st.status.status !== "completed") list.unshift({ severity: "warning", message: `${st.status.status}: ${st.status.suggestion || ""}` });
  // The outcome of the training so far, judged as `nnlab train` judges a finished run.
  if (st.verdict) {
    list.unshift({ severity: st.verdict.healthy ? "info" : "warning", message: `outcome so far: ${st.verdict.outcome}: ${st.verdict.reason}`, outcome: true });
  }
  // Redrawn only when the findings change (most states repeat the last one's).
  const key = JSON.stringify(list.map((d) => [d.severity, d.message, Boolean(d.outcome)]));
  if (ul.shownKey === key) return;
  ul.shownKey = key;
  ul.innerHTML = "";
  for (const d of list) {
    const li = document.createElement("li");
    li.className = d.outcome ? `${d.severity} outcome` : d.severity;
    li.textContent = d.message;
    ul.appendChild(li);
  }
}

