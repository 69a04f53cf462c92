// nnlab playground. This script draws and asks; it computes no math of its own: every
// number shown comes from the server (nnlab's library) through the JSON API.
"use strict";

const $ = (s) => document.querySelector(s);
const SVGNS = "http://www.w3.org/2000/svg";
// The setup form's defaults, choices and help come from GET /api/schema, the key table that
// also makes nnlab's flags and TOML keys (loadSchema): the page holds none of its own.
let SCHEMA = new Map();  // key -> {key, flag, path, help, default, switch, choices, group, applies_to}
let LIMITS = null;       // the server's limits (max_layers, max_width, ...), from the schema
let DEFAULTS = {};       // form field -> its schema default as text ("" when off); left out of links
// Labels the page shows for some choices instead of the bare value.
const LABELS = { data: { generate: "generate: y = x1² + x2 + noise", "builtin:course": "builtin:course: the course's example (1 row)" } };

let sid = null;          // session id
let st = null;           // the last SessionState
let hist = [];           // loss history per epoch (EpochRecord)
let sel = null;          // {kind: "param", name} or {kind: "node", layer, neuron}
let events = null;       // EventSource while playing
let csvText = null;      // uploaded CSV text (never in the URL)
// Stored runs overlaid on the loss chart, by run id: {label, color, points: [[epoch, loss]]}.
const overlays = new Map();
// Dashed overlay colours, none of them the live curves' blue (train) or orange (test).
const OVERLAY_COLORS = ["#16a34a", "#9333ea", "#db2777", "#0891b2", "#a16207", "#475569"];

// ---------- API ----------
async function api(method, path, body) {
  // A page whose setup never started a session (a link to an uploaded CSV, before the file
  // is chosen) must not ask for `/api/sessions/null`.
  if (path.startsWith("/api/sessions/") && !path.startsWith("/api/sessions/import") && !sid) {
    throw new Error("no session yet: choose the CSV file (or another source) and apply the setup");
  }
  const opts = { method, headers: {} };
  if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers["content-type"] = "application/json"; }
  const res = await fetch(path, opts);
  const json = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(json.error || `HTTP ${res.status}`);
  return json;
}

function setStatus(text, isError) {
  const s = $("#status");
  setText(s, text);
  // (style.color reads back as rgb(...): the colour last written is kept to compare.)
  const color = isError ? "#fca5a5" : "";
  if (s.shownColor !== color) s.style.color = s.shownColor = color;
}

// ---------- setup form <-> URL <-> Experiment ----------
// Fills every form field named like a schema key: its default, its choices (a select's
// options, a text field's suggestions) and its help as the tooltip where the page has none.
// The page's own options stay: an empty one ("default") first, others (CSV upload) last.
async function loadSchema() {
  const schema = await api("GET", "/api/schema");
  SCHEMA = new Map(schema.keys.map((k) => [k.key, k]));
  LIMITS = schema.limits;
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
    else {
      // A menu without this value (an import's `adam:0.9,0.999,1e-7`, arguments spelled out)
      // gains it rather than showing nothing and losing it from the next setup.
      if (el.tagName === "SELECT" && v !== "" && ![...el.options].some((o) => o.value === v)) el.add(new Option(v, v));
      el.value = v;
    }
  }
  showSourceFields();
}

// Whether option `k` applies to the data source `src` (the schema's `applies_to`): a link
// to generated data carries no `inputs=`/`target=` left over from an earlier upload.
function appliesTo(k, src) {
  const a = SCHEMA.get(k)?.applies_to ?? "any";
  if (a === "generated") return src === "generate";
  if (a === "table" || a === "csv") return src !== "generate";
  return true;
}

// The page's URL for the form's values `f` (a link to that setup).
function urlFrom(f) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== DEFAULTS[k] && appliesTo(k, f.data)) q.set(k, v);
  for (const [k, v] of viewOptions()) q.set(k, v);  // presenter mode (present.js)
  const s = q.toString();
  return location.pathname + (s ? "?" + s : "");
}

function urlFromForm() {
  return urlFrom(readForm());
}

// The form's values for a state's `settings` (the options as the form spells them): an
// import's, or a share link's starting setup. Data the form cannot name is an upload.
function valuesFromSettings(settings) {
  const values = {};
  const sources = [...$("#setup-form").elements.data.options].map((o) => o.value);
  for (const [k, v] of Object.entries(settings)) if (k in DEFAULTS) values[k] = v ?? "";
  if (!sources.includes(values.data)) values.data = "upload";
  return values;
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
  // A field that is no number goes to the server as typed, so its error names the value
  // (`train.lr: invalid type: string "abc"`), not the `null` that NaN becomes in JSON.
  const num = (v) => (String(v).trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);
  const exp = {
    seed: num(f.seed),
    data: { source: f.data, test_fraction: num(f.test_fraction), scale: f.scale },
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
  if (f.biases.trim()) exp.model.biases = f.biases.trim();
  const frozen = f.freeze.split(",").map((p) => p.trim()).filter((p) => p);
  if (frozen.length) exp.train.freeze = frozen;
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
    const body = sessionBody(exp, f.data === "upload" ? csvText : null);
    const created = await api("POST", "/api/sessions", body);
    sid = created.id;
    history.replaceState(null, "", urlFromForm());
    sel = null;
    await refresh(true);
    afterSetup();
  } catch (e) {
    $("#setup-error").textContent = e.message;
    setStatus("setup error", true);
  }
}

// ---------- session actions ----------
// What the page asks of every state (`sep` is the character before it: "?" or "&"): the row
// the math explains (setup.js) and the chain-rule factors and backward equations the math
// panel shows: every parameter's and node's on a network of up to PANEL_ROWS parameters
// (netedit.js; a selection then needs no request), else the selected parameter's or node's
// only (all 465 factors of 10-16-16-1 are 76 KB of each 276 KB state). select() (draw.js)
// asks again for a parameter or node whose are missing.
function stateQuery(sep) {
  const small = st && Object.keys(st.step.before).length <= PANEL_ROWS;
  const factors = small ? "all" : sel && sel.kind === "param" ? sel.name : "none";
  const node = sel && sel.kind === "node" ? st.step.nodes.find((n) => n.layer === sel.layer && n.neuron === sel.neuron + 1) : null;
  // The step report's plain-SGD step is not shown (the tables show the trainer's next
  // step, `update`): a big network's states leave it out (38 KB at 10-16-16-1).
  const lean = small ? "" : `&nodes=${encodeURIComponent(node ? node.name : "none")}&sgd=false`;
  return `${sep}factors=${encodeURIComponent(factors)}${lean}${rowQuery("&")}`;
}

async function refresh(full) {
  const s = await api("GET", `/api/sessions/${sid}${stateQuery("?")}`);
  show(s, full);
}

// Paints state `s` now (streamed states go through showStreamed, netedit.js).
function show(s, full) {
  mergeHistory(s, full);
  dropPendingState();
  st = s;
  render();
}

function mergeHistory(s, full) {
  if (full || s.history_from === 0) hist = s.history.slice();
  else hist = hist.slice(0, s.history_from).concat(s.history);
}

async function act(method, path, body) {
  try {
    // The answer carries only the history records the page lacks (all of them after an
    // undo or reset that cut the history: `history_from` says where they start), on the
    // row the math explains (setup.js).
    const s = await api(method, `/api/sessions/${sid}${path}?since=${hist.length}${stateQuery("&")}`, body);
    show(await onPickedRow(s), false);
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
  listen();
}

// Follows the playing session's states (on the row the math explains, setup.js).
function listen() {
  stopEvents();
  events = new EventSource(`/api/sessions/${sid}/events?since=${hist.length}${stateQuery("&")}`);
  events.addEventListener("state", (ev) => {
    const s = JSON.parse(ev.data);
    showStreamed(s);
    if (!s.playing) stopEvents();
  });
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
    setStartValues(data.params?.initial);
    await refresh(true);
    // The form and the URL now describe the imported run (they kept the old setup, so a
    // shared link carried the wrong one), and the status says whether it replayed exactly.
    writeForm(valuesFromSettings(st.settings));
    rememberSetup();
    history.replaceState(null, "", urlFromForm());
    setStatus(created.exact
      ? `imported: the export's configuration replays it exactly (epoch ${st.epoch})`
      : `imported: continues from the exported parameters at epoch ${st.epoch}; the optimizer's state starts afresh, so it is marked edited`, false);
  } catch (e) {
    setStatus(`import: ${e.message}`, true);
  }
}

// ---------- wiring ----------
function wire() {
  setupExtras();
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
  $("#btn-link").addEventListener("click", copyLink);
}

wire();
loadSchema()
  .then(() => { formFromUrl(); return applySetup(); })
  .catch((e) => { $("#setup-error").textContent = `the form's options: ${e.message}`; setStatus("schema error", true); });
loadRuns();
