"""nnlab against plain Python, NumPy and PyTorch on the same machine, in one run.

For each comparison this script writes the data and starting parameters to files (raw
little-endian float64 and JSON) under bench/compare/out/, runs nnlab's side (the
nnlab-bench binary, which reads those files) and each Python side on the same data, checks
that every side computed the same thing (bit-identical where the operation order matches,
else a stated relative tolerance), and only then reports times: the median of several
repetitions, ns per sample-step and the ratio to nnlab. A failed check stops the run with
an error. The table goes to out/results.md and replaces the generated section of
BENCHMARKS.md.

Usage: python compare.py --bench-bin PATH [--quick]   (run.sh does this)
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import pysides as ps

try:
    import torch
    import torchsides as ts
except Exception as e:  # a missing or broken PyTorch skips its rows, loudly
    torch = None
    TORCH_ERROR = str(e).splitlines()[0] if str(e) else type(e).__name__
else:
    TORCH_ERROR = None

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ROOT = HERE.parent.parent
BEGIN, END = "<!-- compare:begin -->", "<!-- compare:end -->"
ALL_THREADS = os.cpu_count() or 1


class CheckFailed(Exception):
    pass


# ---------------------------------------------------------------- data and files
def course_data(rows, seed):
    """The course's data: x1 integer in [0,5), x2 integer in [0,10), y = x1² + x2 + noise in
    [0,10), each column min-max scaled."""
    rng = np.random.default_rng(seed)
    x1 = rng.integers(0, 5, rows).astype(float)
    x2 = rng.integers(0, 10, rows).astype(float)
    y = x1 * x1 + x2 + rng.uniform(0, 10, rows)
    cols = [(c - c.min()) / (c.max() - c.min()) for c in (x1, x2, y)]
    return np.column_stack(cols[:2]), cols[2]


COURSE_START = [1.0, 0.5, 1.0, -1.0, 1.0, 1.0, 0.5, 0.0, 0.5]  # the "course" preset


def write_case(name, X, y, extra):
    d = OUT / name
    d.mkdir(parents=True, exist_ok=True)
    np.ascontiguousarray(X, dtype="<f8").tofile(d / "x.f64")
    np.ascontiguousarray(y, dtype="<f8").tofile(d / "y.f64")
    for fname, value in extra.items():
        if fname.endswith(".f64"):  # numbers travel as raw float64: JSON text may not round-trip
            np.ascontiguousarray(value, dtype="<f8").tofile(d / fname)
        else:
            (d / fname).write_text(json.dumps(value))
    return d


def nnlab(args, *cmd):
    out = subprocess.run([args.bench_bin, *map(str, cmd)], check=True, capture_output=True,
                         text=True)
    return json.loads(out.stdout)


def timed(fn, reps):
    """(median seconds, last result) of `reps` calls."""
    times, res = [], None
    for _ in range(reps):
        t = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), res


# ---------------------------------------------------------------- checks
def bits_equal(a, b):
    return np.array_equal(np.asarray(a, float).view(np.uint64), np.asarray(b, float).view(np.uint64))


def check(what, ref_loss, ref_params, loss, params, tol):
    """tol None: the same bits; else |a - b| <= tol·max(|b|, 1e-300) for the loss and the
    largest parameter difference relative to the largest parameter."""
    if tol is None:
        ok = bits_equal(ref_loss, loss) and bits_equal(ref_params, params)
        detail = "bit-identical" if ok else "not bit-identical"
    else:
        rl = abs(loss - ref_loss) / max(abs(ref_loss), 1e-300)
        rp = float(np.max(np.abs(np.asarray(params) - np.asarray(ref_params)))) / max(
            float(np.max(np.abs(ref_params))), 1e-300)
        ok = rl <= tol and rp <= tol
        same = bits_equal(ref_loss, loss) and bits_equal(ref_params, params)
        detail = "bit-identical" if same else f"rel. diff loss {rl:.1e}, params {rp:.1e} (tol {tol:.0e})"
    print(f"  check {what}: {'ok' if ok else 'FAILED'} ({detail})", flush=True)
    if not ok:
        raise CheckFailed(f"{what}: {detail}; nnlab loss {np.ravel(ref_loss)[:4]} vs "
                          f"{np.ravel(loss)[:4]}")
    return detail


# ---------------------------------------------------------------- the comparisons
def row(tool, secs, steps, ref_secs, check_detail, note=""):
    return {"tool": tool, "secs": secs, "ns": secs / steps * 1e9, "ratio": secs / ref_secs,
            "check": check_detail, "note": note}


def on_cpu(r):
    """A note with the median on-CPU time of nnlab's training thread, when it reported one:
    on a loaded machine the wall time also counts the time other work held the core."""
    cpu = r.get("cpu_times_s") or []
    return f"on-CPU {fmt_secs(statistics.median(cpu))}" if cpu else ""


def course_sgd(args, rows, epochs, slow_epochs):
    """(a) per-sample SGD. Slow tools are timed on the first `slow_epochs` epochs and checked
    against nnlab's loss after that epoch; their wall time is scaled to all epochs."""
    lr = 0.01
    X, y = course_data(rows, seed=rows)
    d = write_case(f"course_{rows}", X, y, {"params.f64": COURSE_START})
    r = nnlab(args, "course", "--data", d, "--epochs", epochs, "--lr", lr, "--reps", args.reps)
    assert r["fast_kernel"], "nnlab did not use its fast course kernel"
    ref_secs = statistics.median(r["times_s"])
    steps = rows * epochs
    out = [row("nnlab (`train`, fast course kernel)", ref_secs, steps, ref_secs, "reference")]
    x1, x2 = X[:, 0].tolist(), X[:, 1].tolist()
    ys = y.tolist()
    e = min(slow_epochs, epochs)
    ref_e = r["epoch_losses"][e - 1]
    sides = [("Python loop (notebook)", lambda: ps.py_sgd(x1, x2, ys, COURSE_START, lr, e), None),
             ("NumPy per sample", lambda: ps.np_sgd(X, y, COURSE_START, lr, e), 1e-9)]
    if torch is not None:
        for th in sorted({1, ALL_THREADS}):
            sides.append((f"PyTorch per sample, {th} thread{'s' if th > 1 else ''}",
                          (lambda th=th: (torch.set_num_threads(th),
                                          ts.torch_sgd(X, y, COURSE_START, lr, e))[1]), 1e-9))
    for name, fn, tol in sides:
        secs, (losses, params) = timed(fn, args.slow_reps)
        if e == epochs:
            detail = check(name, r["epoch_losses"][-1], r["params"], losses[-1], params, tol)
        else:
            detail = check(name, ref_e, ref_e, losses[-1], losses[-1], tol) + f" (epoch {e})"
        scale = epochs / e
        note = f"timed on {e} of {epochs} epochs, scaled" if e < epochs else ""
        out.append(row(name, secs * scale, steps, ref_secs, detail, note))
    return out


def full_batch(args, rows, epochs, slow_epochs):
    """(b) full-batch gradient descent: mean gradient over all rows, one update per epoch."""
    lr = 0.5
    X, y = course_data(rows, seed=3)
    d = write_case("full_batch", X, y, {"params.f64": COURSE_START})
    r = nnlab(args, "course", "--data", d, "--epochs", epochs, "--lr", lr, "--full-batch",
              "--reps", args.reps)
    assert r["fast_kernel"], "nnlab did not use its fast full-batch kernel"
    ref_secs = statistics.median(r["times_s"])
    steps = rows * epochs
    out = [row("nnlab (`train`, batch_size = full)", ref_secs, steps, ref_secs, "reference",
               on_cpu(r))]
    x1, x2, ys = X[:, 0].tolist(), X[:, 1].tolist(), y.tolist()
    e = min(slow_epochs, epochs)
    secs, (losses, params) = timed(lambda: ps.py_full_batch(x1, x2, ys, COURSE_START, lr, e), 1)
    detail = check("Python loop full batch", r["epoch_losses"][e - 1], r["epoch_losses"][e - 1],
                   losses[-1], losses[-1], None) + f" (epoch {e})"
    out.append(row("Python loop (notebook)", secs * epochs / e, steps, ref_secs, detail,
                   f"timed on {e} of {epochs} epochs, scaled"))
    sides = [("NumPy full batch", lambda: ps.np_full_batch(X, y, COURSE_START, lr, epochs))]
    if torch is not None:
        for th in sorted({1, ALL_THREADS}):
            sides.append((f"PyTorch full batch, {th} thread{'s' if th > 1 else ''}",
                          (lambda th=th: (torch.set_num_threads(th),
                                          ts.torch_full_batch(X, y, COURSE_START, lr, epochs))[1])))
    for name, fn in sides:
        secs, (losses, params) = timed(fn, args.reps)
        detail = check(name, r["epoch_losses"][-1], r["params"], losses[-1], params, 1e-9)
        out.append(row(name, secs, steps, ref_secs, detail))
    return out


def sweep(args, epochs, threads):
    """(c) 10 learning rates × 100 seeds, 100 rows × `epochs` each, one shared data set."""
    X, y = course_data(100, seed=2024)
    lrs = np.repeat(np.geomspace(0.001, 0.1, 10), 100)
    starts = np.vstack([np.concatenate([np.random.default_rng(s).uniform(0.1, 1.0, 6),
                                        np.zeros(3)]) for s in range(100)] * 10)
    d = write_case("sweep", X, y, {"lrs.f64": lrs, "params.f64": starts})
    r = nnlab(args, "sweep", "--data", d, "--epochs", epochs, "--threads", threads,
              "--reps", args.reps)
    if r["diverged"]:
        raise CheckFailed(f"sweep: {r['diverged']} runs diverged; pick smaller learning rates")
    ref_secs = statistics.median(r["times_s"])
    steps = len(lrs) * 100 * epochs
    out = [row(f"nnlab (`lanes::train_lanes`, {threads} threads)", ref_secs, steps, ref_secs,
               "reference")]
    secs, last = timed(lambda: ps.np_sweep(X[:, 0], X[:, 1], y, starts, lrs, epochs),
                       args.slow_reps)
    ref = np.array(r["final_losses"], dtype=float)
    detail = check("NumPy vectorized across runs", ref, ref, last, last, None)
    out.append(row("NumPy vectorized across the 1000 runs", secs, steps, ref_secs, detail))
    return out


def general_net(args, rows, epochs, batch):
    """(d) 8-64-64-1 ReLU, squared error, mini-batches of `batch` in row order, Adam."""
    lr = 1e-3
    rng = np.random.default_rng(8)
    X = rng.uniform(-1.0, 1.0, (rows, 8))
    y = (np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2] - 0.5 * X[:, 3] ** 2
         + 0.1 * X[:, 4:].sum(axis=1) + 0.05 * rng.standard_normal(rows))
    layers = []
    for n_in, n_out, act in [(8, 64, "relu"), (64, 64, "relu"), (64, 1, "identity")]:
        lim = (6.0 / n_in) ** 0.5  # He uniform
        layers.append({"w": rng.uniform(-lim, lim, (n_out, n_in)).tolist(),
                       "b": [0.0] * n_out, "activation": act})
    shape = [{"n_in": len(l["w"][0]), "n_out": len(l["w"]), "activation": l["activation"]}
             for l in layers]
    flat = np.concatenate([np.concatenate([np.ravel(l["w"]), l["b"]]) for l in layers])
    d = write_case("general", X, y, {"network.json": {"layers": shape}, "params.f64": flat})
    r = nnlab(args, "general", "--data", d, "--epochs", epochs, "--lr", lr, "--batch", batch,
              "--kernel", "auto", "--reps", args.reps)
    ref_secs = statistics.median(r["times_s"])
    steps = rows * epochs
    out = [row("nnlab (`train`, batched engine, 1 thread)", ref_secs, steps, ref_secs, "reference",
               on_cpu(r))]
    # The per-sample general path (`kernel = "general"`), for comparison: same mathematics,
    # another summation order, so checked with a tolerance like the other sides.
    g = nnlab(args, "general", "--data", d, "--epochs", epochs, "--lr", lr, "--batch", batch,
              "--kernel", "general", "--reps", args.reps)
    detail = check("nnlab per-sample general path", r["epoch_losses"][-1], r["params"],
                   g["epoch_losses"][-1], g["params"], 1e-6)
    out.append(row("nnlab (`train`, per-sample general path, 1 thread)",
                   statistics.median(g["times_s"]), steps, ref_secs, detail))
    sides = [("NumPy", lambda: ps.np_general(X, y, layers, lr, batch, epochs))]
    if torch is not None:
        for th in sorted({1, ALL_THREADS}):
            sides.append((f"PyTorch, {th} thread{'s' if th > 1 else ''}",
                          (lambda th=th: (torch.set_num_threads(th),
                                          ts.torch_general(X, y, layers, lr, batch, epochs))[1])))
    for name, fn in sides:
        secs, (losses, params) = timed(fn, args.reps)
        detail = check(name, r["epoch_losses"][-1], r["params"], losses[-1], params, 1e-6)
        out.append(row(name, secs, steps, ref_secs, detail))
    return out


# ---------------------------------------------------------------- report
def machine():
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"{model}, {ALL_THREADS} cores, {platform.system()} {platform.release()}, "
            f"load average at the end {load} (other work on the machine inflates every time, "
            "the threaded ones most)")


def fmt_secs(s):
    return f"{s * 1e3:.1f} ms" if s < 10 else f"{s:.1f} s"


def table(title, what, rows):
    lines = [f"### {title}", "", what, "",
             "| tool | wall time | ns per sample-step | × nnlab | same result |",
             "| --- | ---: | ---: | ---: | --- |"]
    for r in rows:
        note = f" ({r['note']})" if r["note"] else ""
        lines.append(f"| {r['tool']} | {fmt_secs(r['secs'])}{note} | {r['ns']:.1f} | "
                     f"{r['ratio']:.1f} | {r['check']} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench-bin", required=True)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and rows (a smoke run)")
    args = ap.parse_args()
    args.reps = 2 if args.quick else 5
    args.slow_reps = 1
    OUT.mkdir(exist_ok=True)
    q = args.quick
    versions = f"Python {platform.python_version()}, NumPy {np.__version__}, " + (
        f"PyTorch {torch.__version__} (float64, CPU)" if torch is not None
        else f"PyTorch skipped: {TORCH_ERROR}")
    print(versions, flush=True)
    sections = []
    print("(a) course network, per-sample SGD, 100 rows x 300 epochs", flush=True)
    sections.append(table("(a) Course network, per-sample SGD, 100 rows × 300 epochs",
                          "lr 0.01, rows in file order, start = the `course` preset.",
                          course_sgd(args, 100, 300, 30 if q else 300)))
    print("(a) course network, per-sample SGD, 3000 rows x 300 epochs", flush=True)
    sections.append(table("(a) Course network, per-sample SGD, 3,000 rows × 300 epochs",
                          "As above on 3,000 rows. Python, NumPy and PyTorch are timed on the "
                          "first epochs only (checked against nnlab's loss after that epoch) "
                          "and their wall time scaled to 300 epochs.",
                          course_sgd(args, 3000, 300, 2 if q else 10)))
    print("(b) full batch", flush=True)
    fb_rows = 20_000 if q else 100_000
    sections.append(table(f"(b) Course network, full-batch gradient descent, {fb_rows:,} rows × 100 epochs",
                          "Gradient = mean over all rows of the per-sample gradients, one "
                          "update per epoch, lr 0.5. ns per sample-step = ns per row per epoch.",
                          full_batch(args, fb_rows, 100, 2)))
    print("(c) sweep", flush=True)
    sw_epochs = 30 if q else 300
    sections.append(table(f"(c) Sweep: 1,000 runs (10 lrs × 100 seeds), 100 rows × {sw_epochs} epochs",
                          "lr in geomspace(0.001, 0.1, 10), starting weights uniform in "
                          "[0.1, 1] by seed, biases 0; one shared data set. Checked: every "
                          "run's final epoch loss.",
                          sweep(args, sw_epochs, 2)))
    print("(d) general network", flush=True)
    g_rows = 10_000 if q else 100_000
    sections.append(table(f"(d) General network 8-64-64-1 ReLU, Adam, mini-batch 64, {g_rows:,} rows × 1 epoch",
                          "Squared error, lr 0.001, Adam (0.9, 0.999, 1e-7), rows in file "
                          "order, He-uniform start written by NumPy. nnlab runs one thread: "
                          "`train` picks its batched engine here (each mini-batch's passes as "
                          "matrix products, matrixmultiply's single-threaded dgemm); the "
                          "per-sample general path (`kernel = \"general\"`) is shown too.",
                          general_net(args, g_rows, 1, 64)))
    stamp = datetime.date.today().isoformat()
    body = (f"Generated by `bench/compare/run.sh` on {stamp}. Machine: {machine()}. "
            f"{versions}. Wall time = median of {args.reps} runs for nnlab and the fast "
            "Python sides (1 run for the plain-Python and per-sample NumPy/PyTorch loops), "
            "training only (no data loading); × nnlab = wall time ÷ nnlab's. In (b) and (d), "
            "nnlab's row also gives in brackets the median on-CPU time of its training thread "
            "(Linux's schedstat), which other work on the machine does not inflate.\n\n"
            + "\n".join(sections))
    (OUT / "results.md").write_text(body)
    if not q:
        bm = ROOT / "BENCHMARKS.md"
        text = bm.read_text()
        if BEGIN not in text or END not in text:
            raise SystemExit(f"{bm}: markers {BEGIN} / {END} not found")
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        bm.write_text(head + BEGIN + "\n" + body + END + tail)
        print(f"updated {bm}")
    print(body)


if __name__ == "__main__":
    try:
        main()
    except CheckFailed as e:
        print(f"compare.py: correctness check failed: {e}", file=sys.stderr)
        sys.exit(1)
