"""nnlab's classification losses and L1/L2 penalty against PyTorch (float64, CPU).

Trains the same network from the same start on the same rows, per-sample SGD (batch 1),
rows in file order, on both sides, and checks that every epoch's mean loss agrees to 1e-12
relative (and the final parameters to 1e-12 relative to max(1, |p|)):

- sigmoid output + binary cross-entropy, with an L1 and an L2 penalty: nnlab through
  `nnlab train --data FILE.csv ... --json` (the CLI, its CSV reader and its flags) and
  through `nnlab-bench classify`; PyTorch with `BCEWithLogitsLoss` on the output's logit;
- softmax output + categorical cross-entropy, with an L2 penalty: nnlab through
  `nnlab-bench classify` (the CLI cannot take a one-hot target column yet); PyTorch with
  `CrossEntropyLoss` on the logits and the class index.

The penalty is a term of each update's loss, as nnlab defines it (crates/core/src/
regularize.rs): `loss = data_loss + l1·Σ|w| + l2·Σw²` over the weights (no biases), so the
PyTorch side adds exactly that to each sample's loss before `backward()` (not
`weight_decay`). Each epoch's loss is the mean over its samples of that total.

Usage: python classification.py --nnlab target/release/nnlab --bench-bin target/release/nnlab-bench
Exits 0 when every check passes, 1 when one fails, 2 when PyTorch cannot be imported (it
says why; nothing is compared then).
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

try:
    import torch
except Exception as e:  # say exactly what failed; never fake the comparison
    print(f"classification.py: PyTorch cannot be imported: {type(e).__name__}: {e}", file=sys.stderr)
    sys.exit(2)

TOL = 1e-12
EPOCHS = 30


def circle_data(rows, seed):
    """Points uniform in [-1, 1)², label 1 inside the circle of radius 0.7."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, (rows, 2))
    y = (np.sum(x * x, axis=1) < 0.49).astype(float)
    return x, y


def three_class_data(rows, seed):
    """Points uniform in [-1, 1)², class by the third of the angle they fall in."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, (rows, 2))
    angle = np.arctan2(x[:, 1], x[:, 0]) + np.pi
    cls = np.minimum((angle / (2 * np.pi) * 3).astype(int), 2)
    return x, cls


def random_layers(sizes, acts, seed):
    """[(W (n_out × n_in), b, activation)] with Glorot-uniform weights, small biases."""
    rng = np.random.default_rng(seed)
    layers = []
    for n_in, n_out, act in zip(sizes[:-1], sizes[1:], acts):
        lim = np.sqrt(6.0 / (n_in + n_out))
        layers.append((rng.uniform(-lim, lim, (n_out, n_in)), rng.uniform(-0.1, 0.1, n_out), act))
    return layers


def flat_params(layers):
    """nnlab's parameter order: each layer's weights row by row (one row per neuron), then
    its biases."""
    return np.concatenate([np.concatenate([w.ravel(), b]) for w, b, _ in layers])


# ---------------------------------------------------------------- PyTorch
def torch_train(x, y, layers, loss, lr, l1, l2):
    """Per-sample SGD in row order; returns (epoch mean losses, final flat parameters)."""
    ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w, _, _ in layers]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for _, b, _ in layers]
    acts = {"tanh": torch.tanh, "relu": torch.relu}
    X = torch.from_numpy(x)
    if loss == "bce":
        criterion = torch.nn.BCEWithLogitsLoss()  # mean over the outputs of one sample
        Y = torch.from_numpy(y).reshape(-1, 1)
    else:
        criterion = torch.nn.CrossEntropyLoss()  # one sample: -log_softmax[class]
        Y = torch.from_numpy(np.asarray(y, dtype=np.int64))
    losses = []
    for _ in range(EPOCHS):
        total = 0.0
        for i in range(len(X)):
            h = X[i]
            for k, (w, b) in enumerate(zip(ws, bs)):
                z = w @ h + b
                h = z if k == len(ws) - 1 else acts[layers[k][2]](z)
            if loss == "bce":
                data = criterion(h, Y[i])
            else:
                data = criterion(h.reshape(1, -1), Y[i].reshape(1))
            penalty = torch.zeros((), dtype=torch.float64)
            if l1:
                penalty = penalty + l1 * sum(w.abs().sum() for w in ws)
            if l2:
                penalty = penalty + l2 * sum((w * w).sum() for w in ws)
            sample = data + penalty
            for p in ws + bs:
                p.grad = None
            sample.backward()
            with torch.no_grad():
                for p in ws + bs:
                    p -= lr * p.grad
            total += sample.item()
        losses.append(total / len(X))
    final = [np.concatenate([w.detach().numpy().ravel(), b.detach().numpy()]) for w, b in zip(ws, bs)]
    return losses, np.concatenate(final)


# ---------------------------------------------------------------- nnlab
def run_json(cmd):
    """Runs `cmd` and parses its stdout as JSON; a failure shows its stderr."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[0]} {cmd[1]} failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def nnlab_cli(nnlab, x, y, layers, lr, l1, l2, tmp):
    """`nnlab train` on a CSV of the rows (repr-exact text), the start given as --weights and
    --biases lists, no scaling."""
    csv = tmp / "circle.csv"
    with open(csv, "w") as f:
        f.write("x1,x2,label\n")
        for (a, b), t in zip(x, y):
            f.write(f"{float(a)!r},{float(b)!r},{int(t)}\n")
    weights = ",".join(repr(float(v)) for w, _, _ in layers for v in w.ravel())
    biases = ",".join(repr(float(v)) for _, b, _ in layers for v in b)
    arch = "-".join(str(n) for n in [layers[0][0].shape[1]] + [w.shape[0] for w, _, _ in layers])
    acts = ",".join(a for _, _, a in layers)
    cmd = [nnlab, "train", "--data", str(csv), "--inputs", "x1,x2", "--target", "label",
           "--scale", "none", "--arch", arch, "--activation", acts, "--weights", weights,
           "--biases", biases, "--loss", "binary_cross_entropy", "--epochs", str(EPOCHS),
           "--lr", repr(lr), "--l1", repr(l1), "--l2", repr(l2), "--json", "--no-store", "-q"]
    out = run_json(cmd)
    final = out["final"]
    return [r["train_loss"] for r in out["history"]], np.array(list(final.values()))


def nnlab_bench(bench, x, targets, layers, loss, lr, l1, l2, tmp):
    """`nnlab-bench classify` on the raw float64 rows and parameters."""
    d = tmp / loss
    d.mkdir(exist_ok=True)
    np.ascontiguousarray(x, dtype="<f8").tofile(d / "x.f64")
    np.ascontiguousarray(targets, dtype="<f8").tofile(d / "y.f64")
    flat_params(layers).astype("<f8").tofile(d / "params.f64")
    shape = {"layers": [{"n_in": w.shape[1], "n_out": w.shape[0], "activation": a} for w, _, a in layers]}
    (d / "network.json").write_text(json.dumps(shape))
    name = {"bce": "binary_cross_entropy", "cce": "categorical_cross_entropy"}[loss]
    cmd = [bench, "classify", "--data", str(d), "--epochs", str(EPOCHS), "--lr", repr(lr),
           "--loss", name, "--l1", repr(l1), "--l2", repr(l2), "--reps", "1"]
    out = run_json(cmd)
    return out["epoch_losses"], np.array(out["params"])


def compare(name, ours, theirs):
    """Max relative difference of the epoch losses and of the parameters (to max(1, |p|))."""
    (lo, po), (lt, pt) = ours, theirs
    lo, lt = np.array(lo), np.array(lt)
    loss_rel = float(np.max(np.abs(lo - lt) / np.abs(lt)))
    param_rel = float(np.max(np.abs(po - pt) / np.maximum(1.0, np.abs(pt))))
    ok = loss_rel < TOL and param_rel < TOL and lt[-1] < lt[0]
    print(f"{name}: epoch losses {lt[0]:.6f} -> {lt[-1]:.6f}, max rel. diff losses {loss_rel:.2e}, "
          f"params {param_rel:.2e}: {'ok' if ok else 'FAILED'}")
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nnlab", required=True)
    ap.add_argument("--bench-bin", required=True)
    args = ap.parse_args()
    print(f"PyTorch {torch.__version__}, float64, per-sample SGD, {EPOCHS} epochs, tolerance {TOL:g}")
    ok = True
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        x, y = circle_data(200, 1)
        layers = random_layers([2, 6, 1], ["tanh", "sigmoid"], 2)
        lr, l1, l2 = 0.1, 0.001, 0.01
        ref = torch_train(x, y, layers, "bce", lr, l1, l2)
        ok &= compare("sigmoid + BCE, l1 0.001, l2 0.01 (nnlab train CLI)",
                      nnlab_cli(args.nnlab, x, y, layers, lr, l1, l2, tmp), ref)
        ok &= compare("sigmoid + BCE, l1 0.001, l2 0.01 (nnlab-bench)",
                      nnlab_bench(args.bench_bin, x, y, layers, "bce", lr, l1, l2, tmp), ref)
        x, cls = three_class_data(200, 3)
        one_hot = np.eye(3)[cls]
        layers = random_layers([2, 8, 3], ["tanh", "softmax"], 4)
        lr, l2 = 0.05, 0.001
        ref = torch_train(x, cls, layers, "cce", lr, 0.0, l2)
        ok &= compare("softmax + CCE, l2 0.001 (nnlab-bench)",
                      nnlab_bench(args.bench_bin, x, one_hot, layers, "cce", lr, 0.0, l2, tmp), ref)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
