// nnlab playground: TensorFlow Playground's per-neuron view. For data with two inputs, one
// small tile per hidden neuron: its activation a over the input plane (GET grid with
// neurons=true: the library's forward pass, no math here) with the data's rows over it.
// Asked for and drawn only while "neuron outputs" is on, so they cost nothing when off.
// Clicking a tile selects that neuron, as clicking it in the diagram does.
"use strict";

const neuronTilesOn = () => {
  const box = document.getElementById("show-neurons");
  return Boolean(box && box.checked && !box.disabled);
};

function paintNeuronTiles() {
  const box = document.getElementById("neuron-tiles");
  const toggle = document.getElementById("show-neurons");
  const two = Boolean(st && st.step.input.length === 2);
  toggle.disabled = !two;
  toggle.parentElement.title = two
    ? "each hidden neuron's output a over the input plane, with the data"
    : "needs data with 2 inputs";
  const g = chartData.grid;
  box.innerHTML = "";
  box.hidden = !(neuronTilesOn() && g && g.neurons);
  if (box.hidden) return;
  const nodes = new Map(st.step.nodes.map((n) => [`${n.layer},${n.neuron}`, n]));
  const points = (chartData.points || []).filter((q) => q.set !== "test" || showTest());
  let row = null;
  for (const t of g.neurons) {
    if (!row || Number(row.dataset.layer) !== t.layer) {
      row = document.createElement("div");
      row.className = "tile-layer";
      row.dataset.layer = t.layer;
      const label = document.createElement("span");
      label.className = "tile-layer-name";
      label.textContent = `layer ${t.layer}`;
      row.appendChild(label);
      box.appendChild(row);
    }
    const node = nodes.get(`${t.layer},${t.neuron}`);
    row.appendChild(tile(t, node, g, points));
  }
  markSelectedTile();
}

// One neuron's tile: a canvas of its `a` (its own range, blue low to red high), the rows as
// circles (training) and squares (test), its name and range below.
function tile(t, node, g, points) {
  const fig = document.createElement("figure");
  fig.className = "tile";
  fig.dataset.layer = t.layer;
  fig.dataset.neuron = t.neuron;
  const name = node ? node.a_name : `a(L${t.layer}.n${t.neuron})`;
  const vals = t.a.flat().filter(Number.isFinite);
  const lo = vals.length ? Math.min(...vals) : 0, hi = vals.length ? Math.max(...vals) : 0;
  fig.dataset.min = full(lo);
  fig.dataset.max = full(hi);
  fig.title = `${name} over (${g.x1_name}, ${g.x2_name}): from ${full(lo)} to ${full(hi)}; click for its equations`;
  const canvas = document.createElement("canvas");
  fig.appendChild(canvas);
  const cap = document.createElement("figcaption");
  const title = document.createElement("b");
  title.textContent = name;
  const range = document.createElement("span");
  range.textContent = `${fmt(lo)} … ${fmt(hi)}`;
  cap.append(title, range);
  fig.appendChild(cap);
  fig.addEventListener("click", () => { select({ kind: "node", layer: t.layer, neuron: t.neuron - 1 }); markSelectedTile(); });
  // Drawn once in the document, at its CSS size times the screen's pixel ratio.
  requestAnimationFrame(() => drawTile(canvas, t.a, lo, hi, g, points));
  return fig;
}

function drawTile(canvas, a, lo, hi, g, points) {
  const ratio = window.devicePixelRatio || 1;
  const W = Math.max(1, Math.round(canvas.clientWidth * ratio)), H = Math.max(1, Math.round(canvas.clientHeight * ratio));
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext("2d");
  const n = g.x1.length;
  const cw = W / n, ch = H / n;
  a.forEach((r, j) => r.forEach((v, i) => {
    // A neuron constant over the plane (a dead ReLU: 0 everywhere) is grey, not a colour.
    ctx.fillStyle = !Number.isFinite(v) ? "#000" : hi > lo ? heat((v - lo) / (hi - lo)) : "#d1d5db";
    // x2 grows upwards; a cell spans half a grid step either side of its point.
    ctx.fillRect(Math.floor(i * cw), Math.floor((n - 1 - j) * ch), Math.ceil(cw), Math.ceil(ch));
  }));
  const span = (v, v0, v1) => (v1 > v0 ? ((v - v0) / (v1 - v0)) * (n - 1) + 0.5 : n / 2);
  const size = 2.2 * ratio;
  ctx.lineWidth = ratio;
  ctx.strokeStyle = "#111";
  ctx.fillStyle = "#fff";
  for (const q of points.slice(0, 2000)) {
    const x = span(q.x1, g.x1[0], g.x1[n - 1]) * cw, y = H - span(q.x2, g.x2[0], g.x2[n - 1]) * ch;
    ctx.beginPath();
    if (q.set === "test") ctx.rect(x - size, y - size, 2 * size, 2 * size);
    else ctx.arc(x, y, size, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}

// The selected neuron's tile is outlined (at once on a click; render() repaints the rest).
function markSelectedTile() {
  for (const fig of document.querySelectorAll("#neuron-tiles .tile")) {
    const on = Boolean(sel && sel.kind === "node" && sel.layer === Number(fig.dataset.layer) && sel.neuron === Number(fig.dataset.neuron) - 1);
    fig.classList.toggle("selected", on);
  }
}

document.getElementById("show-neurons").addEventListener("change", () => {
  if (!neuronTilesOn()) paintNeuronTiles();
  else refreshCharts();
});
