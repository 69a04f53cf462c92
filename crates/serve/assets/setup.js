// nnlab playground: the setup form's extras. A preset menu (the course's own example in one
// click), a grid of every starting weight and bias with a freeze checkbox each (writing the
// form's `weights`, `biases` and `freeze` fields, the lists `--weights`, `--biases` and
// `--freeze` take), sliders beside `noise` and `test_fraction`, and the row the math panel
// explains. Loaded after draw.js and before app.js; like them it computes no math: the
// values come from the session's state, the rules from the server.
"use strict";

// ---------- presets ----------
// Each preset is a setup: the schema's defaults with these fields changed. "course example"
// is the course's worked example (the one row x = (1, 0), y = 2 of builtin:course, unscaled,
// all rows in training) on the `course` start, which `nnlab step` uses by default (its
// `--input 1,0 --target 2`): with the other fields at their defaults (lr, loss, plain SGD,
// batch 1) the page shows exactly what `nnlab step` prints.
const PRESETS = {
  course: {
    label: "course example: x = (1, 0), y = 2, no scaling",
    fields: { data: "builtin:course", scale: "none", test_fraction: "0", init: "course", arch: "2-2-1", activation: "relu" },
  },
};

// The form's fields for preset `name`: every field at its default, then the preset's own.
function presetFields(name) {
  return { ...DEFAULTS, ...PRESETS[name].fields };
}

function applyPreset(name) {
  if (!PRESETS[name]) return;
  writeForm(presetFields(name));
  applySetup();
}

function setupPresets() {
  const f = $("#setup-form");
  const label = document.createElement("label");
  label.textContent = "preset ";
  const menu = document.createElement("select");
  menu.id = "preset";
  menu.title = "Fill the whole form with a prepared setup and apply it";
  menu.add(new Option("choose a preset…", ""));
  for (const [name, p] of Object.entries(PRESETS)) menu.add(new Option(p.label, name));
  label.appendChild(menu);
  f.insertBefore(label, f.firstChild);
  menu.addEventListener("change", () => applyPreset(menu.value));
  // A field changed by hand no longer is the preset.
  f.addEventListener("input", (e) => { if (e.target !== menu) menu.value = ""; });
}

// ---------- starting values: one field and one freeze box per parameter ----------
let gridSid = null;       // the session the grid was built from
let pendingStart = null;  // an import's starting values (by name), for the next build

// Called by the import before its session's first state: that state's params are the
// trained ones; the grid shows the values the run started from.
function setStartValues(values) {
  pendingStart = values || null;
}

// The weights' names of the session's network, as the library spells them (draw.js).
function weightNames() {
  const names = new Set();
  st.network.layers.forEach((L, l) => L.weights.forEach((row, j) => row.forEach((_, i) => names.add(wName(l, j, i)))));
  return names;
}

// Builds the grid from the session's parameters (their display order is the order the
// comma lists of --weights and --biases take, weights and biases apart).
function buildGrid() {
  const box = $("#start-grid");
  const values = pendingStart || st.params;
  pendingStart = null;
  const frozen = new Set($("#setup-form").elements.freeze.value.split(",").map((p) => p.trim()).filter((p) => p));
  const weights = weightNames();
  const t = document.createElement("table");
  t.id = "start-values";
  const head = t.createTHead().insertRow();
  for (const c of ["p", "start", "freeze"]) head.appendChild(document.createElement("th")).textContent = c;
  const body = t.createTBody();
  for (const name of Object.keys(st.params)) {
    const tr = body.insertRow();
    tr.dataset.name = name;
    tr.dataset.kind = weights.has(name) ? "weight" : "bias";
    const cell = tr.insertCell();
    cell.textContent = name;
    cell.title = name;
    const v = document.createElement("input");
    v.className = "start";
    v.value = String(values[name]);
    v.title = `the starting value of ${name}`;
    v.addEventListener("change", writeStartLists);
    tr.insertCell().appendChild(v);
    const fz = document.createElement("input");
    fz.type = "checkbox";
    fz.className = "freeze";
    fz.checked = frozen.has(name);
    fz.title = `${name} never changes while training`;
    fz.addEventListener("change", writeFreeze);
    tr.insertCell().appendChild(fz);
  }
  const n = body.rows.length;
  $("#start-summary").textContent = `starting values and freezing (${n} parameters of ${st.step.arch})`;
  box.replaceChildren(t);
  // Small networks show their values at once; big ones on request.
  $("#start-details").open = n <= 20;
  gridSid = sid;
}

// The grid's values as the form's two comma lists (and no preset, which would set them).
function writeStartLists() {
  const f = $("#setup-form").elements;
  const list = (kind) => [...document.querySelectorAll(`#start-values tr[data-kind=${kind}] input.start`)].map((i) => i.value.trim()).join(",");
  f.weights.value = list("weight");
  f.biases.value = list("bias");
  f.init.value = "";
  $("#preset").value = "";
}

function writeFreeze() {
  const names = [...document.querySelectorAll("#start-values tr")].filter((tr) => tr.querySelector("input.freeze:checked")).map((tr) => tr.dataset.name);
  $("#setup-form").elements.freeze.value = names.join(",");
  $("#preset").value = "";
}

// The grid belongs to the applied setup: an arch typed but not applied yet is said, not
// guessed (the names and counts are the library's, known once the session exists).
function noteArch() {
  if (!st) return;
  const typed = $("#setup-form").elements.arch.value.trim();
  setText($("#start-note"), typed && typed !== st.step.arch ? `the values of ${st.step.arch}: apply the setup to edit those of ${typed}` : "");
}

function setupGrid() {
  const f = $("#setup-form");
  const d = document.createElement("details");
  d.id = "start-details";
  d.innerHTML = '<summary id="start-summary">starting values and freezing</summary><p id="start-note" class="muted"></p><div id="start-grid"></div>';
  const network = f.elements.biases.closest("fieldset");
  network.appendChild(d);
  f.elements.arch.addEventListener("input", noteArch);
  // The freeze field typed by hand ticks the boxes it names.
  f.elements.freeze.addEventListener("input", () => {
    const frozen = new Set(f.elements.freeze.value.split(",").map((p) => p.trim()));
    for (const tr of document.querySelectorAll("#start-values tr[data-name]")) tr.querySelector("input.freeze").checked = frozen.has(tr.dataset.name);
  });
}

// ---------- sliders beside noise and the test fraction ----------
let sliderTimer = null;
// Re-applies the setup once a drag pauses (each apply starts a new session).
function applySoon() {
  clearTimeout(sliderTimer);
  sliderTimer = setTimeout(applySetup, 400);
}

// `noise` is a range LO,HI (the schema's help); the slider sets its width, keeping LO.
function noiseRange(text) {
  const p = String(text).split(",").map(Number);
  return p.length === 2 && p.every(Number.isFinite) ? p : null;
}

function addSlider(field, attrs, toSlider, fromSlider) {
  const s = document.createElement("input");
  s.type = "range";
  s.id = `slider-${field.name}`;
  Object.assign(s, attrs);
  s.title = `drag to change ${field.name}; the setup is applied when you let go`;
  field.insertAdjacentElement("afterend", s);
  const sync = () => { const v = toSlider(field.value); if (v !== null) s.value = v; };
  field.addEventListener("input", sync);
  field.addEventListener("change", sync);
  s.addEventListener("input", () => { field.value = fromSlider(Number(s.value), field.value); applySoon(); });
  sync();
  return sync;
}

const sliderSyncs = [];
function setupSliders() {
  const f = $("#setup-form").elements;
  sliderSyncs.push(addSlider(f.noise, { min: 0.5, max: 40, step: 0.5 },
    (t) => { const r = noiseRange(t); return r ? r[1] - r[0] : null; },
    (w, t) => { const lo = (noiseRange(t) || [0])[0]; return `${lo},${lo + w}`; }));
  sliderSyncs.push(addSlider(f.test_fraction, { min: 0, max: 0.9, step: 0.05 },
    (t) => (String(t).trim() !== "" && Number.isFinite(Number(t)) ? Number(t) : null),
    (v) => String(Number(v.toFixed(2)))));
}

// ---------- the row the math explains ----------
// null: the row the next sample step visits (the server's default); else {sid, row} for
// the session it was chosen in, so a new session starts on its next row again.
let rowPick = null;

function pickedRow() {
  return rowPick && rowPick.sid === sid ? rowPick.row : null;
}

// The query that selects the row on state requests and the event stream (`sep` is the
// character before it: "?" or "&").
function rowQuery(sep) {
  const r = pickedRow();
  return r === null ? "" : `${sep}row=${r}`;
}

// A change answers with the state on the next row; with a row chosen, ask for that one.
async function onPickedRow(s) {
  const r = pickedRow();
  if (r === null || s.row === r) return s;
  return api("GET", `/api/sessions/${sid}${stateQuery("?")}`);
}

async function pickRow(r) {
  if (r === null) rowPick = null;
  else {
    if (!st) return;
    const n = st.rows;
    rowPick = { sid, row: ((Math.round(r) - 1 + n) % n) + 1 };
  }
  try {
    await refresh(true);
    if (events) listen();
  } catch (e) {
    setStatus(`row: ${e.message}`, true);
  }
}

function setupRowPicker() {
  const box = $("#row-picker");
  box.innerHTML = '<label>explain row <button type="button" id="row-prev" title="the previous training row">◀</button>'
    + '<input id="math-row" type="number" min="1" step="1"> <button type="button" id="row-next" title="the next training row">▶</button></label>'
    + ' <span id="row-of" class="muted"></span> <label><input id="row-auto" type="checkbox" checked> next row</label>'
    + '<p id="row-note" class="muted"></p>';
  $("#row-prev").addEventListener("click", () => pickRow((pickedRow() ?? st.row) - 1));
  $("#row-next").addEventListener("click", () => pickRow((pickedRow() ?? st.row) + 1));
  $("#math-row").addEventListener("change", (e) => { const r = Number(e.target.value); if (Number.isInteger(r)) pickRow(r); });
  $("#row-auto").addEventListener("change", (e) => pickRow(e.target.checked ? null : st.row));
}

// ---------- the hook render() calls ----------
function drawSetupExtras() {
  if (sid !== gridSid) buildGrid();
  noteArch();
  for (const sync of sliderSyncs) sync();
  const input = $("#math-row");
  if (input.max !== String(st.rows)) input.max = st.rows;
  if (document.activeElement !== input) input.value = st.row;
  setText($("#row-of"), `of ${st.rows} training rows`);
  $("#row-auto").checked = pickedRow() === null;
  // The parameter table's change and after are the trainer's next step, which visits its
  // own row: say so when the math explains another one.
  const u = st.update;
  setText($("#row-note"), u && u.row !== st.row ? `The trainer's next step is on row ${u.row}: the tables' change and after are that step's; dL/dp and the equations are row ${st.row}'s.` : "");
}

function setupExtras() {
  setupPresets();
  setupGrid();
  setupSliders();
  setupRowPicker();
}
