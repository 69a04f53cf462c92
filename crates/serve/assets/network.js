// nnlab playground: the network diagram, drawn from the last SessionState (`st`). Its
// coordinates are its on-screen pixels (the viewBox is the element's size, redrawn when that
// changes), so its type is the CSS size and nothing letterboxes. Labels are placed most
// important first (inputs, outputs, node values, biases, weights), each only where it
// overlaps nothing placed before it and stays inside the picture; a group of labels (all the
// weights, all the node values) is shown in the richest form in which every one of them fits,
// else a shorter one, else not at all: its full names and numbers stay in the tooltips
// (<title>) and the tables. Loaded after present.js and draw.js.
"use strict";

// The diagram's type: advance of one character, ascent and height of a line (monospace), as
// measured by the browser once per font size.
let typeMetrics = null;
function measureType(svg, fs) {
  if (typeMetrics && typeMetrics.fs === fs) return typeMetrics;
  const probe = el("text", { x: 0, y: 0 }, svg, "0000000000");
  const b = probe.getBBox();
  probe.remove();
  typeMetrics = { fs, charW: b.width / 10 || fs * 0.61, ascent: -b.y || fs * 0.93, height: b.height || fs * 1.17 };
  return typeMetrics;
}

// The diagram's CSS font size, read once per window size and mode (the stylesheet's
// `--net-fs` depends on nothing else): read in every drawing, it made the browser style
// everything the render had changed before it there, and again before the paint.
let netFontKey = "", netFontSize = 12;
function netFont(live) {
  const key = `${innerWidth}x${innerHeight} ${document.body.className}`;
  if (key !== netFontKey) {
    netFontKey = key;
    netFontSize = parseFloat(getComputedStyle(live).fontSize) || 12;
  }
  return netFontSize;
}

// Boxes already taken (labels and nodes), and whether a new one fits among them.
class Placer {
  constructor(W, H, type) { this.W = W; this.H = H; this.type = type; this.boxes = []; }
  // The box of `text` at (x, baseline y) with `anchor`, padded by a pixel.
  box(text, x, y, anchor) {
    const w = [...text].length * this.type.charW;
    const x0 = anchor === "end" ? x - w : anchor === "middle" ? x - w / 2 : x;
    const y0 = y - this.type.ascent;
    return { x0: x0 - 1, y0: y0 - 1, x1: x0 + w + 1, y1: y0 + this.type.height + 1 };
  }
  free(b, extra) {
    if (b.x0 < 0 || b.y0 < 0 || b.x1 > this.W || b.y1 > this.H) return false;
    const hit = (o) => b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1;
    return !this.boxes.some(hit) && !extra.some(hit);
  }
  // Places every label of one variant (each at its first free candidate position), or none.
  // A label: {text, at: [[x, y, anchor], ...], ...attributes for drawing}.
  tryAll(labels) {
    const taken = [];
    const placed = [];
    for (const l of labels) {
      const spot = l.at.find(([x, y, a]) => this.free(this.box(l.text, x, y, a), taken));
      if (!spot) return null;
      const box = this.box(l.text, ...spot);
      taken.push(box);
      placed.push({ ...l, spot, box });
    }
    this.boxes.push(...taken);
    return placed;
  }
  // The first variant (a list of labels) that fits entirely; [] when none does.
  group(variants) {
    for (const v of variants) {
      const placed = v.length ? this.tryAll(v) : [];
      if (placed) return placed;
    }
    return [];
  }
}

// The size the diagram was last drawn at ("640x340"); its box as the resize observer last
// reported it (so that drawing reads no layout); whether the last drawing's labels have been
// checked against the browser's boxes.
let netSize = "";
let netBox = null;
let labelsChecked = false;
let netDrawings = 0; // drawings so far (the label check is the last one's)

// Where the last drawing put things: the svg size and each layer's column x (layer 0 = the
// inputs), for controls laid over the diagram.
let netGeometry = null;

function drawNetwork() {
  $("#net-caption").replaceChildren(`row ${st.row}: loss `, numSpan(st.step.loss), ` (${units()}${scaled() ? "; inputs and target: original → scaled" : ""})`);
  // Drawn into a detached svg, then written over the diagram's (morphInto), which keeps
  // every element that shows the same.
  const live = $("#net");
  const svg = document.createElementNS(SVGNS, "svg");
  const rect = netBox || live.getBoundingClientRect();
  const W = Math.max(240, Math.round(rect.width)), H = Math.max(160, Math.round(rect.height));
  live.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const fs = netFont(live);
  const type = measureType(live, fs);
  const lineH = type.height + 2;
  const sizes = [st.step.input.length].concat(st.network.layers.map((l) => l.biases.length));
  const last = sizes.length - 1;
  // Each layer spreads over the whole height (a lone node in the middle): no empty bands.
  const padY = lineH + 3;
  const r = Math.max(5, Math.min(Math.max(18, fs * 1.5), ((H - 2 * padY) / Math.max(...sizes)) * 0.3));
  const spacing = (l) => (sizes[l] > 1 ? (H - 2 * padY - 2 * r) / (sizes[l] - 1) : H - 2 * padY);
  const rowY = (l, j) => (sizes[l] > 1 ? padY + r + j * spacing(l) : H / 2);

  // The input and output labels decide the side margins: the richest form whose lines fit
  // between two nodes and in a fifth of the width (a quarter for the outputs' two lines).
  const width = (lines) => Math.max(0, ...lines.map((t) => [...t].length * type.charW));
  const pick = (variants, l, maxW) => variants.find((v) => v.length * lineH <= spacing(l) && width(v) <= maxW) || [];
  const on = scaled();
  const inputs = st.step.input.map((x, i) => {
    const name = inputName(i), orig = st.row_input[i];
    const short = name.length > 8 ? `${name.slice(0, 7)}…` : name;
    return [on ? [name, `${fmt(orig)} → ${fmt(x)}`] : [`${name}=${fmt(x)}`], [name], [short], [`x${i + 1}`]];
  });
  const inChoice = [0, 1, 2, 3].find((k) => inputs.every((v) => pick([v[k]], 0, W * 0.2).length)) ?? 4;
  const inLines = inputs.map((v) => v[inChoice] || []);
  const outNodes = st.step.nodes.filter((n) => n.layer === last);
  const targets = [].concat(st.step.target);
  const outputs = outNodes.map((n, j) => {
    const y = targets[j];
    const tname = outNodes.length === 1 ? st.data.target : `y[${j + 1}]`;
    const target = on && outNodes.length === 1 ? `${tname}=${fmt(st.row_target)} → ${fmt(y)}` : `${tname}=${fmt(y)}`;
    return [[`${n.a_name}=${fmt(n.a)}`, target], [`${n.a_name}=${fmt(n.a)}`, `y=${fmt(y)}`], [`${n.a_name}=${fmt(n.a)}`], [fmt(n.a)]];
  });
  const outChoice = [0, 1, 2, 3].find((k) => outputs.every((v) => pick([v[k]], last, W * 0.25).length)) ?? 4;
  const outLines = outputs.map((v) => v[outChoice] || []);
  const padL = r + 8 + Math.max(0, ...inLines.map(width));
  const padR = r + 8 + Math.max(0, ...outLines.map(width));
  const colX = (l) => padL + (l * (W - padL - padR)) / last;
  netGeometry = { W, H, r, x: sizes.map((_, l) => colX(l)) };

  const placer = new Placer(W, H, type);
  // The nodes are obstacles for every label.
  sizes.forEach((n, l) => { for (let j = 0; j < n; j++) placer.boxes.push({ x0: colX(l) - r - 1, y0: rowY(l, j) - r - 1, x1: colX(l) + r + 1, y1: rowY(l, j) + r + 1 }); });

  let wmax = 1e-12;
  st.network.layers.forEach((L) => L.weights.forEach((row) => row.forEach((w) => (wmax = Math.max(wmax, Math.abs(w))))));
  const flagged = flaggedNodes();
  const isSelParam = (name) => sel && sel.kind === "param" && sel.name === name;

  // Edges first, under the nodes; each names its weight on hover. Past EDGE_CANVAS edges
  // they are painted on one canvas instead (edgeCanvas).
  const edges = [];
  const nEdges = st.network.layers.reduce((n, L) => n + L.weights.length * (L.weights[0] || []).length, 0);
  const painted = nEdges > EDGE_CANVAS ? edgeCanvas(svg, W, H) : null;
  st.network.layers.forEach((L, l) => {
    L.weights.forEach((row, j) => row.forEach((w, i) => {
      const name = wName(l, j, i);
      const e = { name, w, l, i, j, x1: colX(l), y1: rowY(l, i), x2: colX(l + 1), y2: rowY(l + 1, j) };
      if (painted) {
        e.width = 0.6 + (r / 3.5) * Math.min(1, Math.abs(w) / wmax);
        edges.push(e);
        return;
      }
      const line = el("line", {
        x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2, class: "edge" + (isSelParam(name) ? " selected" : ""),
        stroke: !Number.isFinite(w) ? "#000" : w >= 0 ? "var(--pos)" : "var(--neg)",
        "stroke-width": 0.6 + (r / 3.5) * Math.min(1, Math.abs(w) / wmax), "stroke-opacity": 0.75, "data-name": name,
      }, svg);
      el("title", {}, line, `${name} = ${full(w)}`);
      edges.push(e);
    }));
  });

  if (painted) paintEdges(painted, edges, isSelParam);

  // Input nodes.
  st.step.input.forEach((x, i) => {
    const c = el("circle", { cx: colX(0), cy: rowY(0, i), r, class: "input", fill: "var(--input-fill)", stroke: "var(--input-stroke)" }, svg);
    el("title", {}, c, `${inputName(i) === `x${i + 1}` ? "" : `x${i + 1} = `}${inputName(i)}: ${full(st.row_input[i])} in the data` + (on ? `, ${full(x)} ${st.config.data.scale}-scaled (what the network sees)` : ""));
  });
  // Neurons; the tooltip carries the forward equation and the bias.
  st.step.nodes.forEach((n) => {
    const l = n.layer, j = n.neuron - 1;
    const bad = flagged.has(n.name) || !Number.isFinite(n.z) || !Number.isFinite(n.a);
    const isSel = sel && sel.kind === "node" && sel.layer === l && sel.neuron === j;
    const c = el("circle", { cx: colX(l), cy: rowY(l, j), r, class: "node" + (bad ? " flag" : "") + (isSel ? " selected" : ""), fill: "var(--node-fill)", stroke: "var(--node-stroke)", "stroke-width": 1.5, "data-node": n.name }, svg);
    const bname = bName(l - 1, j);
    el("title", {}, c, `${n.name}: ${eqText(n.equation)}; ${bname} = ${full(st.network.layers[l - 1].biases[j])}` + (bad ? "  (flagged: see diagnostics)" : ""));
  });

  // Labels, most important first.
  const lines = (texts, x, y0, anchor, extra) => texts.map((text, k) => ({ text, at: [[x, y0 + k * lineH, anchor]], ...extra }));
  const centered = (texts, cy) => cy + type.ascent - type.height / 2 - ((texts.length - 1) * lineH) / 2;
  const drawn = [];
  inLines.forEach((texts, i) => drawn.push(...placer.group([lines(texts, colX(0) - r - 5, centered(texts, rowY(0, i)), "end", { cls: "in-label" })])));
  outLines.forEach((texts, j) => drawn.push(...placer.group([lines(texts, colX(last) + r + 5, centered(texts, rowY(last, j)), "start", { cls: "out-label" })])));
  const hidden = st.step.nodes.filter((n) => n.layer !== last);
  const above = (n) => [colX(n.layer), rowY(n.layer, n.neuron - 1) - r - 4 - (type.height - type.ascent), "middle"];
  const below = (n) => [colX(n.layer), rowY(n.layer, n.neuron - 1) + r + 4 + type.ascent, "middle"];
  const right = (n) => [colX(n.layer) + r + 3, rowY(n.layer, n.neuron - 1) + type.ascent - type.height / 2, "start"];
  drawn.push(...placer.group([
    st.step.nodes.flatMap((n) => [{ text: `${n.z_name}=${fmt(n.z)}`, at: [above(n)] }].concat(n.layer === last ? [] : [{ text: `${n.a_name}=${fmt(n.a)}`, at: [below(n)] }])),
    hidden.map((n) => ({ text: `${n.a_name}=${fmt(n.a)}`, at: [right(n), below(n)] })),
    hidden.map((n) => ({ text: fmt(n.a), at: [right(n), below(n)] })),
  ]));
  const biases = st.step.nodes.map((n) => ({ n, name: bName(n.layer - 1, n.neuron - 1), b: st.network.layers[n.layer - 1].biases[n.neuron - 1] }));
  const bias = (b, text) => ({ text, at: [right(b.n), [colX(b.n.layer) + r * 0.7, rowY(b.n.layer, b.n.neuron - 1) - r * 0.7, "start"], below(b.n)], name: b.name, cls: "clickable bias", tip: `${b.name} = ${full(b.b)}` });
  drawn.push(...placer.group([biases.map((b) => bias(b, `${b.name}=${fmt(b.b)}`)), biases.map((b) => bias(b, "b"))]));
  // A weight's label sits on its edge, above (else below) the line, at the free point nearest
  // to a third of the way (alternating with two fifths, so that crossing edges part).
  const along = (e) => {
    const pref = (e.i + e.j) % 2 ? 0.42 : 0.3;
    const ts = Array.from({ length: 15 }, (_, k) => 0.15 + k * 0.05).sort((a, b) => Math.abs(a - pref) - Math.abs(b - pref));
    return ts.flatMap((t) => {
      const x = e.x1 + (e.x2 - e.x1) * t, y = e.y1 + (e.y2 - e.y1) * t;
      return [[x, y - 3, "middle"], [x, y + type.ascent + 3, "middle"]];
    });
  };
  const weight = (e, text) => ({ text, at: along(e), name: e.name, cls: "clickable weight", tip: `${e.name} = ${full(e.w)}` });
  // Painted edges (more than EDGE_CANVAS) are too dense for a label each: trying every spot
  // of every edge was most of drawNetwork at 10-16-16-1; their names are on hover.
  if (!painted) drawn.push(...placer.group([edges.map((e) => weight(e, `${e.name}=${fmt(e.w)}`)), edges.map((e) => weight(e, fmt(e.w)))]));

  // Each label on a backing that hides the edges under it.
  const backs = drawn.map((d) => el("rect", { class: "label-bg", x: d.box.x0, y: d.box.y0, width: d.box.x1 - d.box.x0, height: d.box.y1 - d.box.y0, rx: 2 }, svg));
  const texts = drawn.map((d) => {
    const [x, y, anchor] = d.spot;
    const t = el("text", { x, y, "text-anchor": anchor }, svg, d.text);
    if (d.cls) t.setAttribute("class", d.cls + (d.name && isSelParam(d.name) ? " selected" : ""));
    if (d.name) t.dataset.name = d.name;
    if (d.tip) el("title", {}, t, d.tip);
    return t;
  });
  // A big diagram (edges on the canvas) is written over the shown one, which keeps what
  // shows the same; a small one is cheaper to swap in whole (morphing cost 2 ms more script
  // than it saved at 2-2-1: BENCHMARKS.md, "A repaint that keeps what shows the same").
  if (painted) morphInto(live, svg);
  else swapInto(live, svg);
  const [liveTexts, liveBacks] = [texts, backs].map((list) => list.map((e) => e.live));
  netSize = `${W}x${H}`;
  labelsChecked = false;
  // The placement above estimates each label's box from the font's advance; the browser's
  // boxes have the last word: a label that would still overlap one before it is left out.
  // Checked before the next paint, when the browser lays the page out anyway (reading the
  // boxes now would lay it out once more).
  // Only the last drawing's (a later one keeps these elements for its own labels).
  const drawing = ++netDrawings;
  requestAnimationFrame(() => {
    if (drawing !== netDrawings || !liveTexts.length || !liveTexts[0].isConnected) return;
    const boxes = liveTexts.map((t) => t.getBBox());
    const kept = [];
    boxes.forEach((b, k) => {
      const hit = b.x < 0 || b.y < 0 || b.x + b.width > W || b.y + b.height > H ||
        kept.some((o) => b.x < o.x + o.width && o.x < b.x + b.width && b.y < o.y + o.height && o.y < b.y + b.height);
      if (hit) { liveTexts[k].remove(); liveBacks[k].remove(); } else kept.push(b);
    });
    labelsChecked = true;
  });
}

// Makes the children of `live` those of `made` (a detached drawing): an element of the same
// kind at the same place is kept and given the new one's attributes and children, others
// are moved in. Kept elements that show the same are not styled, laid out or painted again
// (a step changes the numbers, not the nodes or most label boxes). Each element of `made`
// gets `.live`, the element now in the page. Clicks are handled by one listener on the
// diagram (below), so no element's listener is left behind.
function morphInto(live, made) {
  const next = [...made.childNodes];
  next.forEach((n, k) => {
    const old = live.childNodes[k];
    if (old && n.nodeType === Node.TEXT_NODE && old.nodeType === Node.TEXT_NODE) {
      if (old.data !== n.data) old.data = n.data;
    } else if (old && n.nodeType === Node.ELEMENT_NODE && old.nodeName === n.nodeName) {
      for (const a of [...old.attributes]) if (!n.hasAttribute(a.name)) old.removeAttribute(a.name);
      for (const a of n.attributes) if (old.getAttribute(a.name) !== a.value) old.setAttribute(a.name, a.value);
      morphInto(old, n);
      n.live = old;
      return;
    } else if (old) old.replaceWith(n);
    else live.appendChild(n);
    n.live = n;
  });
  while (live.childNodes.length > next.length) live.lastChild.remove();
}

// Makes the children of `live` those of `made`, moved over whole; each gets `.live` as in
// morphInto.
function swapInto(live, made) {
  const next = [...made.childNodes];
  next.forEach((n) => { n.live = n; });
  live.replaceChildren(...next);
}

// A click on an edge or a weight's or bias's label selects its parameter, on a neuron that
// neuron (the edges painted on the canvas have their own listener: edgeCanvas). Heard on the
// way down (capture), so that a click that does not bubble (a script's `new
// MouseEvent("click")` on a node) still selects, as the element's own listener did.
document.getElementById("net").addEventListener("click", (ev) => {
  const t = ev.target.closest("[data-name], [data-node]");
  if (!t || t.closest("#net") === null) return;
  if (t.dataset.name) return select({ kind: "param", name: t.dataset.name });
  const n = st.step.nodes.find((d) => d.name === t.dataset.node);
  if (n) select({ kind: "node", layer: n.layer, neuron: n.neuron - 1 });
}, true);

// A big network's edges as SVG lines were most of its redraw: at 10-16-16-1 (465 edges) the
// browser's layout after a step took 51 ms with them and 11 ms without, drawNetwork 21 ms
// and 10 (the repaint test of browser_netedit.rs, debug server). Past this many edges they
// are painted on a canvas under the nodes and labels; a click or hover finds the edge
// nearest the pointer, so each still names its weight and selects it.
const EDGE_CANVAS = 60;
let edgeLayer = null; // {canvas, edges, pick, colours, mode}: the canvas kept across redraws, the last edges

// The canvas for this drawing, W × H, in a foreignObject under everything else of `svg`.
function edgeCanvas(svg, W, H) {
  if (!edgeLayer) {
    const canvas = document.createElement("canvas");
    canvas.id = "net-edges";
    const near = (ev) => {
      const p = [ev.offsetX, ev.offsetY];
      let best = null, bestD = Infinity;
      for (const e of edgeLayer.edges) {
        const dx = e.x2 - e.x1, dy = e.y2 - e.y1;
        const t = Math.max(0, Math.min(1, ((p[0] - e.x1) * dx + (p[1] - e.y1) * dy) / (dx * dx + dy * dy || 1)));
        const d = Math.hypot(e.x1 + t * dx - p[0], e.y1 + t * dy - p[1]);
        if (d < bestD) { bestD = d; best = e; }
      }
      return best && bestD <= Math.max(4, best.width / 2 + 2) ? best : null;
    };
    canvas.addEventListener("click", (ev) => { const e = near(ev); if (e) select({ kind: "param", name: e.name }); });
    canvas.addEventListener("mousemove", (ev) => {
      const e = near(ev);
      canvas.title = e ? `${e.name} = ${full(e.w)}` : "";
      canvas.style.cursor = e ? "pointer" : "";
    });
    edgeLayer = { canvas, edges: [], pick: near, colours: null, mode: null };
  }
  const { canvas } = edgeLayer;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(W * dpr) || canvas.height !== Math.round(H * dpr)) {
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
    canvas.style.width = `${W}px`;
    canvas.style.height = `${H}px`;
  }
  const fo = el("foreignObject", { x: 0, y: 0, width: W, height: H }, svg);
  fo.appendChild(canvas);
  // The edge colours are the style's (presenter mode has its own): read once per mode.
  const mode = document.body.className;
  if (edgeLayer.mode !== mode) {
    const css = getComputedStyle(document.body);
    edgeLayer.colours = { pos: css.getPropertyValue("--pos").trim(), neg: css.getPropertyValue("--neg").trim() };
    edgeLayer.mode = mode;
  }
  return { canvas, dpr };
}

// Paints `edges` as drawNetwork's SVG lines would look: blue positive, red negative, black
// not finite, width by |w|, the selected one on top in the selection's orange.
function paintEdges({ canvas, dpr }, edges, isSel) {
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.globalAlpha = 0.75;
  const { pos, neg } = edgeLayer.colours;
  let chosen = null;
  for (const e of edges) {
    if (isSel(e.name)) { chosen = e; continue; }
    ctx.strokeStyle = !Number.isFinite(e.w) ? "#000" : e.w >= 0 ? pos : neg;
    ctx.lineWidth = e.width;
    ctx.beginPath();
    ctx.moveTo(e.x1, e.y1);
    ctx.lineTo(e.x2, e.y2);
    ctx.stroke();
  }
  if (chosen) {
    ctx.globalAlpha = 1;
    ctx.strokeStyle = "#f59e0b";
    ctx.lineWidth = Math.max(3, chosen.width);
    ctx.beginPath();
    ctx.moveTo(chosen.x1, chosen.y1);
    ctx.lineTo(chosen.x2, chosen.y2);
    ctx.stroke();
  }
  edgeLayer.edges = edges;
}

// Redraw the diagram when its box changes size (window, layout, presenter mode), on the next
// frame: a resize observer must not change what it observes in its own callback.
new ResizeObserver((entries) => {
  netBox = entries[0].contentRect;
  requestAnimationFrame(() => {
    if (typeof st !== "undefined" && st && `${Math.max(240, Math.round(netBox.width))}x${Math.max(160, Math.round(netBox.height))}` !== netSize) drawNetwork();
  });
}).observe(document.getElementById("net"));
