// nnlab playground: editing the network's shape (TensorFlow Playground's +/− neurons and
// layers), share links that carry the trained state, and when the page repaints. Loaded
// after draw.js and charts.js, before app.js, whose state (`st`, `sid`, `hist`) and helpers
// (`act`, `api`, `urlFrom`, `valuesFromSettings`) it uses when called. Like them it computes
// no math: the server resizes the network (PUT /api/sessions/{id}/arch) and replays links.
"use strict";

// ---------- +/− neurons and layers ----------
// The hidden layer sizes of the network shown: `2-3-4-1` has [3, 4].
function hiddenSizes() {
  return st.network.layers.slice(0, -1).map((l) => l.biases.length);
}

// Asks the server for the network with these hidden sizes (followShape then updates the
// form and the URL).
function resizeTo(hidden) {
  const sizes = [st.step.input.length, ...hidden, st.network.layers[st.network.layers.length - 1].biases.length];
  return act("PUT", "/arch", { arch: sizes.join("-") });
}

// The options a resize changes (the shape, and what of the model no longer fits it).
const SHAPE_KEYS = ["arch", "activation", "init", "weights", "biases", "freeze"];
let shownShape = null; // the arch the form's shape options describe

// When the session's shape changed (a resize, its undo, a replayed link), the form's shape
// options and the URL follow it: the applied form's text where the session's start has the
// option as it is now, the state's settings where it changed.
function followShape() {
  if (!appliedSetup || st.settings.arch === shownShape) return;
  shownShape = st.settings.arch;
  const now = valuesFromSettings(st.settings);
  const values = {};
  for (const k of SHAPE_KEYS) if (k in now) values[k] = st.settings[k] === appliedSetup.settings[k] ? appliedSetup.form[k] : now[k];
  writeForm(values);
  history.replaceState(null, "", urlFrom(readForm()));
}

function editButton(text, title, onClick, disabled) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.title = title;
  b.disabled = disabled;
  b.addEventListener("click", onClick);
  return b;
}

// Where the diagram sits relative to the bar above it: measured only when the layout is
// done anyway (a ResizeObserver's callback), never while rendering, where reading a
// position forces the browser to lay out the whole page (it cost 160 ms a step at
// 10-16-16-1).
let netGeom = null;
const netObserver = new ResizeObserver(() => {
  const bar = document.getElementById("netedit");
  if (!bar) return;
  const n = $("#net").getBoundingClientRect(), b = bar.getBoundingClientRect();
  netGeom = { left: n.left - b.left, width: n.width, height: n.height };
  placeLayerButtons();
});

// The x of the diagram's coordinate `x` in the bar (the svg's viewBox, scaled and aligned
// as its preserveAspectRatio says).
function barX(x) {
  const svg = $("#net");
  const vb = svg.viewBox.baseVal;
  if (!netGeom || !vb || !vb.width) return null;
  const par = svg.preserveAspectRatio.baseVal;
  if (par.align === SVGPreserveAspectRatio.SVG_PRESERVEASPECTRATIO_NONE) return netGeom.left + ((x - vb.x) * netGeom.width) / vb.width;
  const fit = par.meetOrSlice === SVGPreserveAspectRatio.SVG_MEETORSLICE_SLICE ? Math.max : Math.min;
  const scale = fit(netGeom.width / vb.width, netGeom.height / vb.height);
  const align = (par.align - 2) % 3; // 0: xMin, 1: xMid, 2: xMax
  return netGeom.left + (align * (netGeom.width - vb.width * scale)) / 2 + (x - vb.x) * scale;
}

// Puts each hidden layer's pair over its column: the cx of the column's first neuron.
function placeLayerButtons() {
  for (const pair of document.querySelectorAll("#netedit .netedit-layer")) {
    const circle = document.querySelector(`#net circle[data-node="${CSS.escape(pair.dataset.node)}"]`);
    const x = circle && barX(Number(circle.getAttribute("cx")));
    pair.hidden = x === null;
    if (x !== null) pair.style.left = `${x}px`;
  }
}

// "+ − layers" for the count of hidden layers (in the controls' row), and over the diagram a
// bar with a "+ −" pair above each hidden layer's column (one line: the diagram keeps the
// height).
function drawNetEdit() {
  let bar = document.getElementById("netedit");
  if (!bar) {
    bar = document.createElement("div");
    bar.id = "netedit";
    bar.setAttribute("aria-label", "add or remove neurons and layers");
    $("#net").before(bar);
    netObserver.observe($("#net"));
    netObserver.observe(bar);
  }
  const hidden = hiddenSizes();
  followShape();
  // Rebuilt only when the shape (or the limits) changes: most states have the last one's.
  const key = JSON.stringify([hidden, LIMITS]);
  if (bar.shownKey === key) return placeLayerButtons();
  bar.shownKey = key;
  bar.replaceChildren();
  const atLayers = LIMITS !== null && hidden.length + 1 >= LIMITS.max_layers;
  let layers = document.getElementById("netedit-layers");
  if (!layers) {
    layers = document.createElement("span");
    layers.id = "netedit-layers";
    $("#controls").appendChild(layers);
  }
  layers.replaceChildren(
    "layers ",
    // The server's limits (layers after the input, neurons a layer) stop the + buttons
    // before a request that would be refused.
    editButton("+", atLayers ? `the server allows at most ${LIMITS.max_layers} layers after the input` : "add a hidden layer before the output (as wide as the last one)", () => resizeTo([...hidden, hidden[hidden.length - 1] ?? 2]), atLayers),
    editButton("−", "remove the last hidden layer", () => resizeTo(hidden.slice(0, -1)), hidden.length === 0),
    ` ${hidden.length} hidden`,
  );
  hidden.forEach((n, l) => {
    const node = st.step.nodes.find((d) => d.layer === l + 1);
    if (!node) return;
    const pair = document.createElement("span");
    pair.className = "netedit-layer";
    pair.dataset.layer = l + 1;
    pair.dataset.node = node.name;
    const set = (k) => hidden.map((m, i) => (i === l ? k : m));
    const full = LIMITS !== null && n >= LIMITS.max_width;
    pair.append(
      editButton("+", full ? `the server allows at most ${LIMITS.max_width} neurons a layer` : `add a neuron to hidden layer ${l + 1} (${n} now)`, () => resizeTo(set(n + 1)), full),
      editButton("−", `remove the last neuron of hidden layer ${l + 1} (${n} now)`, () => resizeTo(set(n - 1)), n <= 1),
    );
    bar.appendChild(pair);
  });
  placeLayerButtons();
}

// ---------- share links that carry the trained state ----------
// A link to the session as it stands: its starting setup and the actions since (the
// state's `replay`), which the server replays bit for bit when the link is opened. A session
// without a log (imported without its optimizer state) gets a link to its setup only.
//
// The setup is the form as it was applied, in the user's own spelling (`adam`, where the
// state's settings spell out `adam:0.9,0.999,1e-7`, which the form's menu lacks), except
// for the options the session's start no longer shares with it (a reset after a resize
// starts from the new shape): those come from the start's settings.
let appliedSetup = null; // {form, settings}: the form as applied, the session's start's settings
function rememberSetup() {
  appliedSetup = { form: readForm(), settings: st.replay ? st.replay.settings : st.settings };
  shownShape = appliedSetup.settings.arch;
}

function shareLink() {
  if (!st || !st.replay || !appliedSetup) return { url: location.origin + urlFrom(readForm()), exact: false };
  const start = valuesFromSettings(st.replay.settings);
  const values = { ...appliedSetup.form };
  for (const [k, v] of Object.entries(st.replay.settings)) if (k in values && v !== appliedSetup.settings[k]) values[k] = start[k];
  let url = urlFrom(values);
  if (st.replay.log) url += (url.includes("?") ? "&" : "?") + "replay=" + encodeURIComponent(st.replay.log);
  return { url: location.origin + url, exact: true };
}

function copyLink() {
  const { url, exact } = shareLink();
  if (navigator.clipboard) navigator.clipboard.writeText(url).catch(() => {});
  setStatus(exact
    ? `link (opens this run at epoch ${st.epoch}, row ${st.position}, bit for bit): ${url}`
    : `link to the setup only (this session was imported without its optimizer state; share its export instead): ${url}`);
}

// The replay a link was opened with, sent with the first setup the page applies.
let linkReplay = new URLSearchParams(location.search).get("replay");
let linkReplayed = false;

// The body of POST /api/sessions for `exp` (and the uploaded CSV text): the link's replay
// goes with the first one only.
function sessionBody(exp, csv) {
  const replay = linkReplay;
  linkReplay = null;
  linkReplayed = Boolean(replay);
  if (csv === null && !replay) return exp;
  const body = { experiment: exp };
  if (csv !== null) body.csv = csv;
  if (replay) body.replay = replay;
  return body;
}

// After a setup is applied: a replayed link's session may have another shape than its
// start (a resize was replayed), so the form and the URL take the session's configuration.
function afterSetup() {
  rememberSetup();
  if (!linkReplayed) return;
  linkReplayed = false;
  followShape();
  setStatus(`opened a shared run: replayed to epoch ${st.epoch}, row ${st.position} (${st.replay ? st.replay.log : ""})`);
}

// ---------- when the page repaints ----------
// States that arrive while playing are painted once per animation frame: one that arrives
// while a frame is pending replaces the pending one (its history was merged on arrival),
// so a fast stream never queues repaints. An answer to a click is painted at once
// (`show`), which drops a pending streamed state, now older.
let pendingState = null;
let frameRequested = false;
function showStreamed(s) {
  mergeHistory(s, false);
  pendingState = s;
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    if (!pendingState) return;
    st = pendingState;
    pendingState = null;
    render();
  });
}

function dropPendingState() {
  pendingState = null;
}

// The math panel, the parameter table and the diagnostics (the tables fitted to their
// column, present.js). While playing a network of more
// than PANEL_ROWS parameters they are drawn half a second after the last time (with the
// state then), so the diagram, the loss chart and the status get every frame in between:
// at 10-16-16-1 the two tables are 930 rows, whose layout took about 150 ms a state. A
// state that is not playing (every click's answer, and the last state of a play) draws
// them at once.
const PANEL_ROWS = 50;
let panelTimer = null;
function drawPanels() {
  const big = Object.keys(st.step.before).length > PANEL_ROWS;
  if (st.playing && big) {
    panelTimer ??= setTimeout(() => {
      panelTimer = null;
      drawPanelsNow();
    }, 500);
    return;
  }
  clearTimeout(panelTimer);
  panelTimer = null;
  drawPanelsNow();
}

function drawPanelsNow() {
  drawMath();
  drawParams();
  drawDiagnostics();
  fitTables();
}
