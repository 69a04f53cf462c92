"""Replays an nnlab run in PyTorch (written by `nnlab export --framework torch`).

The run's network with its starting weights (initial.json, nnlab's layout: one row of
weights per neuron, which is torch.nn.Linear's (out, in) weight), trained on the run's
scaled training rows (train.csv) in file order, one row per update (plain SGD, batch 1,
no shuffle), at the run's rate for the run's epochs, in float64. The loss per row is
nnlab's squared error summed over the outputs, L = sum (y_hat - y)^2. Prints the final
parameters as JSON in nnlab's layout (`layers`: `weights`, `biases`).

Run: `python replay.py`.
"""

import json
import pathlib

import numpy as np
import torch

torch.set_default_dtype(torch.float64)

here = pathlib.Path(__file__).resolve().parent
spec = json.loads((here / "initial.json").read_text())
data = torch.from_numpy(
    np.loadtxt(here / "train.csv", delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
)
x, y = data[:, : spec["inputs"]], data[:, spec["inputs"] :]


def activation(name):
    """nnlab's activation names as torch modules (leaky_relu:S takes its slope)."""
    head, _, slope = name.partition(":")
    if head == "leaky_relu":
        return torch.nn.LeakyReLU(float(slope))
    return {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh,
            "identity": torch.nn.Identity}[head]()


modules, linears, width = [], [], spec["inputs"]
for l in spec["layers"]:
    linear = torch.nn.Linear(width, len(l["biases"]))
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(l["weights"]))
        linear.bias.copy_(torch.tensor(l["biases"]))
    modules += [linear, activation(l["activation"])]
    linears.append(linear)
    width = len(l["biases"])
model = torch.nn.Sequential(*modules)
optimizer = torch.optim.SGD(model.parameters(), lr=spec["lr"])
for _ in range(spec["epochs"]):
    for i in range(len(x)):
        optimizer.zero_grad()
        loss = ((model(x[i : i + 1]) - y[i : i + 1]) ** 2).sum()
        loss.backward()
        optimizer.step()
final = [{"weights": l.weight.tolist(), "biases": l.bias.tolist()} for l in linears]
print(json.dumps({"layers": final}))
