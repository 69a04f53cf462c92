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

// ---------- tables that fit their panel ----------
// A table whose cells never wrap is as wide as its longest texts; where that is wider than
// its panel, its type shrinks (the padding is in em, so everything scales together) instead
// of a column being cut off. The width is worked out from the texts and the monospace
// font's advance, without asking the browser to lay the page out.
const FIT = ["#row-values", "#update", "#params"];
const CELL_PAD_EM = 0.7;  // the cells' left + right padding (style.css: th, td)
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
function fitTables() {
  for (const t of FIT.map((s) => document.querySelector(s)).filter((t) => t && t.rows.length)) {
    t.style.fontSize = "";
    const css = getComputedStyle(t);
    const fs = parseFloat(css.fontSize);
    const have = mathWidth || t.parentElement.clientWidth;
    // Columns the stylesheet hides (the change column on a phone) take no room.
    const shown = [...t.rows[0].cells].map((c) => getComputedStyle(c).display !== "none");
    const chars = shown.map(() => 0);
    for (const row of t.rows) [...row.cells].forEach((c, k) => { if (shown[k]) chars[k] = Math.max(chars[k], c.textContent.length); });
    const need = fs * chars.reduce((sum, n, k) => sum + (shown[k] ? n * advance(css.fontFamily) + CELL_PAD_EM : 0), 0);
    if (need > have && have > 0) t.style.fontSize = `${Math.max(7, Math.floor(((fs * have) / need) * 0.98 * 10) / 10)}px`;
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
