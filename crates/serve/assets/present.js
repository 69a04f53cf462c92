// nnlab playground: how values are shown. The server's numbers are exact (JSON numbers, and
// the shortest round-trip text inside its equation strings); the page shows them short, 6
// significant digits (4 in presenter mode), and keeps the exact text in each number's
// `title` (hover) and `data-value`; a click on a number shows it exactly, a second click
// short again. Presenter mode (the header's "Presenter" button, or `?present=1`) is large
// type and high contrast for a lecture hall: a view preference the URL keeps, not an
// experiment option (so it is not in /api/schema). Input names come from the data. Loaded
// before draw.js, which uses all of this.
"use strict";

// The exact text of a JSON number (JavaScript's shortest round trip).
const full = (v) => (v === null || v === undefined ? "NaN" : String(v));

// `v` with `digits` significant digits, trailing zeros dropped (16884.9 at 4 digits is
// 16880, as a lecturer would say it); the exponent form below 1e-4 and from 1e6 on.
function sig(v, digits) {
  if (v === null || v === undefined) return "NaN";
  if (typeof v !== "number") return String(v);
  if (!Number.isFinite(v) || v === 0) return String(v);
  const rounded = Number(v.toPrecision(digits));
  const a = Math.abs(rounded);
  if (a < 1e-4 || a >= 1e6) {
    const [m, e] = v.toExponential(digits - 1).split("e");
    return `${m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m}e${e}`;
  }
  return String(rounded);
}

const presenting = () => document.body.classList.contains("present");
// Digits shown in equations and tables.
const digits = () => (presenting() ? 4 : 6);
const short = (v) => sig(v, digits());
// Four digits where space is scarce (the diagram, the progress line, axis-like labels).
const fmt = (v) => sig(v, 4);

// Numbers the user clicked to see exactly, by their exact text.
const EXACT = new Set();

// How the exact text `raw` ("0.30000000000000004", "1e-07", "inf") is shown now.
function shownText(raw) {
  if (EXACT.has(raw)) return raw;
  const v = Number(raw);
  return Number.isFinite(v) ? short(v) : raw;
}

// Makes `e` show the number whose exact text is `raw`.
function setNum(e, raw) {
  e.classList.add("num");
  e.dataset.value = raw;
  e.title = raw;
  e.textContent = shownText(raw);
  return e;
}

// Makes `e` show `text`, writing only a change: writing the same text replaces the text node
// all the same, and the browser then lays out its box again on every state (the status,
// the buttons and the notes a render writes mostly say what they said).
function setText(e, text) {
  if (e.textContent !== text) e.textContent = text;
}

// A span showing the JSON number `v`.
const numSpan = (v) => setNum(document.createElement("span"), full(v));

// A click on any number toggles its exact text, everywhere that number is shown.
document.addEventListener("click", (ev) => {
  const t = ev.target.closest && ev.target.closest(".num[data-value]");
  if (!t) return;
  const raw = t.dataset.value;
  if (EXACT.has(raw)) EXACT.delete(raw); else EXACT.add(raw);
  for (const e of document.querySelectorAll(".num[data-value]")) if (e.dataset.value === raw) e.textContent = shownText(raw);
});

// ---------- input names from the data ----------
// What input i (0-based) is called in the data (`age`, `bmi`); `x1`, `x2` for the generator.
function inputName(i) {
  const names = st && st.data && st.data.inputs;
  return (names && names[i]) || `x${i + 1}`;
}
// Whether the network sees other numbers than the data's (any scaling but `none`).
const scaled = () => st.config.data.scale !== "none";

// ---------- equations ----------
// A number as the server writes it inside an equation (not the digits of a name such as x1,
// L1.w[2][1], z(L1.n2) or the exponent of ^2), or an input's symbol x1..x10.
const TOKEN = /(?<![\w.[\]^'])(?:(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|-?inf|nan)|x(\d+))(?![\w.[\]])/g;

// The equation `text` in parts: {num: exact text} or {input: symbol, name} or {text}.
function eqParts(text) {
  const parts = [];
  let at = 0;
  for (const m of String(text).matchAll(TOKEN)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index) });
    if (m[1] !== undefined) parts.push({ num: m[1] });
    else {
      const name = inputName(Number(m[2]) - 1);
      parts.push(name === m[0] ? { text: m[0] } : { input: m[0], name });
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

// The equation as an element: each number a span (short, exact in title and data-value),
// each input symbol its data name (the symbol in data-symbol and the title).
function eqElement(text, tag) {
  const d = document.createElement(tag || "div");
  d.className = "eq";
  for (const p of eqParts(text)) {
    if (p.text !== undefined) d.appendChild(document.createTextNode(p.text));
    else if (p.num !== undefined) d.appendChild(setNum(document.createElement("span"), p.num));
    else {
      const s = document.createElement("span");
      s.className = "input-name";
      s.dataset.symbol = p.input;
      s.title = `${p.input}: the input column ${p.name}`;
      s.textContent = p.name;
      d.appendChild(s);
    }
  }
  return d;
}

// The same equation as plain text with short numbers (for SVG tooltips, which hold no spans).
const eqText = (text) => eqParts(text).map((p) => p.text ?? (p.num !== undefined ? shownText(p.num) : p.name)).join("");

// ---------- the row the math explains: original and scaled values side by side ----------
function rowValues() {
  const t = document.createElement("table");
  t.id = "row-values";
  const head = t.insertRow();
  const on = scaled();
  for (const h of [`row ${st.row}`, "data", ...(on ? ["scaled"] : [])]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.appendChild(th);
  }
  if (on) head.lastChild.title = `${st.config.data.scale}-scaled: the numbers the network sees`;
  const add = (label, symbol, orig, value) => {
    const tr = t.insertRow();
    const name = tr.insertCell();
    name.textContent = label;
    name.title = symbol;
    setNum(tr.insertCell(), full(orig));
    if (on) setNum(tr.insertCell(), full(value));
  };
  st.step.input.forEach((x, i) => add(`${inputName(i)}${inputName(i) === `x${i + 1}` ? "" : ` (x${i + 1})`}`, `input x${i + 1}`, st.row_input[i], x));
  const y = Array.isArray(st.step.target) ? st.step.target[0] : st.step.target;
  add(st.data.target === "y" ? "y" : `${st.data.target} (y)`, "the target y", st.row_target, y);
  const wrap = document.createElement("div");
  wrap.className = "fit";
  wrap.appendChild(t);
  return wrap;
}

// ---------- long tables: only the rows in view ----------
// A table of more than LONG_ROWS rows (the parameter table and the math panel's update
// table: 465 rows each at 10-16-16-1) is a scroll box VIEW_ROWS rows high holding only the
// rows in view and OVERSCAN either side, between two spacer rows for the rest: building and
// laying out all 930 rows took ~150 ms a state. Its rows are `--row` pixels high (a whole
// number, from the type size fitTables settles on, so 465 rows add up exactly), which makes
// the first row in view the scroll offset over `--row`, with nothing measured; its columns
// are as wide as their longest text in ALL the rows (a fixed layout), so scrolling moves no
// column. Every row is reachable by scrolling; the selected parameter's is scrolled into view.
const LONG_ROWS = 60, VIEW_ROWS = 16, OVERSCAN = 8, ROW_EM = 1.6;
// Where each long table was scrolled to, in rows, by its id (the update table is rebuilt
// with every state; its scroll position is kept).
const longTop = new Map();

// A row of a table: {name, cls, cells}; a cell is a text or {raw, cls} (an exact number).
function rowElement(r) {
  const tr = document.createElement("tr");
  tr.dataset.name = r.name;
  if (r.cls) tr.className = r.cls;
  for (const c of r.cells) {
    const td = document.createElement("td");
    if (typeof c === "string") td.textContent = c;
    else {
      if (c.cls) td.className = c.cls;
      setNum(td, c.raw);
    }
    tr.appendChild(td);
  }
  return tr;
}
// The text a cell shows (what fitTables counts).
const cellText = (c) => (typeof c === "string" ? c : shownText(c.raw));

// Makes the row element `tr` (rowElement's, with as many cells) show row `r`, writing only
// what differs: a state's rows keep their names and shape, and rebuilding them made the
// browser create, style and lay out every cell again (two tables of 40 rows a state).
function rowInto(tr, r) {
  if (tr.dataset.name !== r.name) tr.dataset.name = r.name;
  if (tr.className !== (r.cls || "")) tr.className = r.cls || "";
  r.cells.forEach((c, k) => {
    const td = tr.cells[k];
    if (typeof c === "string") {
      if (td.textContent !== c) td.textContent = c;
      return;
    }
    const cls = c.cls ? `${c.cls} num` : "num";
    if (td.className !== cls) td.className = cls;
    if (td.dataset.value !== c.raw) {
      td.dataset.value = c.raw;
      td.title = c.raw;
    }
    const text = shownText(c.raw);
    if (td.textContent !== text) td.textContent = text;
  });
}

// The body `body` made to show `rows` from its row `from` on, before its last `tail` rows
// (a spacer), reusing the rows there (a spacer or a row of another shape is replaced).
function syncRows(body, rows, from, tail) {
  const end = () => body.rows.length - tail;
  rows.forEach((r, k) => {
    const tr = from + k < end() ? body.rows[from + k] : null;
    if (tr && tr.className !== "gap" && tr.cells.length === r.cells.length) rowInto(tr, r);
    else if (tr) tr.replaceWith(rowElement(r));
    else body.insertBefore(rowElement(r), tail ? body.rows[end()] : null);
  });
  while (end() > from + rows.length) body.rows[from + rows.length].remove();
}

// Fills the table `t`'s body with `rows`: all of them, or for a long table the ones in view;
// `show` is the index of a row to scroll into view (-1: none).
function fillRows(t, rows, show) {
  const box = t.parentElement, body = t.tBodies[0];
  const long = rows.length > LONG_ROWS;
  box.classList.toggle("long", long);
  t.longRows = long ? rows : null;
  if (!long) {
    syncRows(body, rows, 0, 0);
    return;
  }
  let top = longTop.get(t.id) || 0;
  if (show >= 0 && (show < top || show >= top + VIEW_ROWS - 1)) top = Math.max(0, show - (VIEW_ROWS >> 1));
  top = Math.min(top, Math.max(0, rows.length - VIEW_ROWS));
  longTop.set(t.id, top);
  // fitTables scrolls the box there once the row height is known; for a newly selected row
  // always, even where the last reported scroll put it: a scroll not yet reported would
  // otherwise keep the box where it is (a full-suite CI run once saw the selected row never
  // drawn, the box at the top; not reproduced alone).
  box.pendingTop = top;
  box.mustScroll = show >= 0;
  box.drawn = -1;
  drawWindow(t);
  if (!box.watched) {
    box.watched = true;
    box.addEventListener("scroll", () => {
      const px = parseFloat(box.style.getPropertyValue("--row"));
      if (!t.longRows || !px || box.pendingTop !== undefined) return;
      box.atPx = box.scrollTop;
      longTop.set(t.id, box.atPx / px);
      box.frame ??= requestAnimationFrame(() => { box.frame = null; drawWindow(t); });
    });
  }
}

// The rows in view of the long table `t` (and OVERSCAN either side), between spacers.
function drawWindow(t) {
  const rows = t.longRows, box = t.parentElement;
  if (!rows) return;
  const first = Math.max(0, Math.floor(longTop.get(t.id) || 0) - OVERSCAN);
  const end = Math.min(rows.length, first + VIEW_ROWS + 2 * OVERSCAN);
  if (first === box.drawn) return;
  box.drawn = first;
  // The spacers are the body's first and last rows, kept from the last window.
  const body = t.tBodies[0];
  const isGap = (tr) => tr && tr.className === "gap";
  if (body.rows.length < 2 || !isGap(body.rows[0]) || !isGap(body.rows[body.rows.length - 1])) {
    const gap = () => {
      const tr = document.createElement("tr");
      tr.className = "gap";
      tr.insertCell();
      return tr;
    };
    body.replaceChildren(gap(), gap());
  }
  const setGap = (tr, n) => {
    const td = tr.cells[0];
    if (td.colSpan !== rows[0].cells.length) td.colSpan = rows[0].cells.length;
    const h = `calc(var(--row) * ${n})`;
    if (td.style.height !== h) td.style.height = h;
  };
  setGap(body.rows[0], first);
  setGap(body.rows[body.rows.length - 1], rows.length - end);
  syncRows(body, rows.slice(first, end), 1, 1);
}

// ---------- tables that fit their panel ----------
// A table whose cells never wrap is as wide as its longest texts; where that is wider than
// its panel, its type shrinks (the padding is in em, so everything scales together) instead
// of a column being cut off. The width is worked out from the texts and the monospace
// font's advance, without asking the browser to lay the page out.
const FIT = ["#row-values", "#update", "#params"];
const CELL_PAD_EM = 0.7;  // the cells' left + right padding (style.css: th, td)
const LONG_PAD_EM = 0.5;  // the same in a long table (style.css: .long), room for its scroll bar
const advances = new Map();  // font family -> advance of one character, in em
function advance(family) {
  if (!advances.has(family)) {
    const ctx = document.createElement("canvas").getContext("2d");
    ctx.font = `100px ${family}`;
    advances.set(family, ctx.measureText("0000000000").width / 1000 || 0.61);
  }
  return advances.get(family);
}
let mathWidth = 0;  // the math column's content width, from its resize observer
let scrollbar = null;  // a scroll box's scroll bar width, measured once
// The tables' type (size, family) and which of their columns show, as the stylesheet makes
// them, read once per table shape, window width and mode: read in every render, they made the
// browser recompute the whole page's style there (50 ms a state at 10-16-16-1, whose render
// changes a thousand diagram elements).
const looks = new Map();
function look(t) {
  const key = `${t.id} ${t.rows[0].cells.length} ${innerWidth} ${presenting()}`;
  if (!looks.has(key)) {
    t.style.fontSize = "";
    const css = getComputedStyle(t);
    // Columns the stylesheet hides (the change column on a phone) take no room.
    const shown = [...t.rows[0].cells].map((c) => getComputedStyle(c).display !== "none");
    looks.set(key, { fs: parseFloat(css.fontSize), family: css.fontFamily, shown });
  }
  return looks.get(key);
}
function fitTables() {
  for (const t of FIT.map((s) => document.querySelector(s)).filter((t) => t && t.rows.length)) {
    const { fs, family, shown } = look(t);
    const box = t.parentElement;
    const long = Boolean(t.longRows);
    if (long && scrollbar === null) scrollbar = box.offsetWidth - box.clientWidth;
    const have = (mathWidth || box.clientWidth) - (long ? scrollbar : 0);
    const chars = shown.map(() => 0);
    const count = (texts) => texts.forEach((x, k) => { if (shown[k]) chars[k] = Math.max(chars[k], x.length); });
    count([...t.rows[0].cells].map((c) => c.textContent));
    if (long) for (const r of t.longRows) count(r.cells.map(cellText));
    else for (const row of t.rows) count([...row.cells].map((c) => c.textContent));
    const em = chars.map((n, k) => (shown[k] ? n * advance(family) + (long ? LONG_PAD_EM : CELL_PAD_EM) : 0));
    const need = fs * em.reduce((a, b) => a + b, 0);
    let size = fs;
    if (need > have && have > 0) {
      // 2% to spare where the browser sizes the columns; a long table's are the widths below.
      size = Math.max(7, Math.floor(((fs * have) / need) * (long ? 1 : 0.98) * 10) / 10);
    }
    t.style.fontSize = size === fs ? "" : `${size}px`;
    if (!long) continue;
    [...t.rows[0].cells].forEach((c, k) => { c.style.width = `${em[k]}em`; });
    const px = Math.max(1, Math.round(ROW_EM * size));
    box.style.setProperty("--row", `${px}px`);
    // Scrolled only where it is not yet (setting scrollTop lays the page out at once).
    const want = Math.round((box.pendingTop ?? 0) * px);
    if (box.pendingTop !== undefined && (box.mustScroll || want !== (box.atPx ?? 0))) box.scrollTop = want;
    box.atPx = want;
    box.pendingTop = undefined;
    box.mustScroll = false;
  }
}
// Again when the column's width changes (on the next frame: a resize observer must not
// change what it observes in its own callback).
new ResizeObserver((entries) => {
  const w = entries[0].contentRect.width;
  if (Math.round(w) !== Math.round(mathWidth)) { mathWidth = w; requestAnimationFrame(fitTables); }
}).observe(document.getElementById("math"));

// ---------- presenter mode ----------
// The URL options that are view preferences (urlFromForm keeps them in every link).
const viewOptions = () => (presenting() ? [["present", "1"]] : []);

// Turns presenter mode on or off, keeps the URL's `present=` in step, and redraws (`redraw`:
// not at load, before there is a state to draw).
function setPresent(on, redraw) {
  document.body.classList.toggle("present", on);
  const b = document.getElementById("btn-present");
  b.setAttribute("aria-pressed", String(on));
  const q = new URLSearchParams(location.search);
  if (on) q.set("present", "1"); else q.delete("present");
  const s = q.toString();
  history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
  if (redraw && st) render();
}

if (new URLSearchParams(location.search).get("present") === "1") setPresent(true, false);
document.getElementById("btn-present").addEventListener("click", () => setPresent(!presenting(), true));
