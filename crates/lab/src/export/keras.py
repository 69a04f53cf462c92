"""Replays an nnlab run in Keras (written by `nnlab export --framework keras`).

The run's network with its starting weights (initial.json, nnlab's layout: one row of
weights per neuron, so each Dense kernel is its transpose), trained on the run's scaled
training rows (train.csv) in file order, one row per update (plain SGD, batch 1, no
shuffle), at the run's rate for the run's epochs, in float64. The loss per row is nnlab's
squared error summed over the outputs, L = sum (y_hat - y)^2, so dL/dy_hat = 2 (y_hat - y):
for one output that is Keras's "mse" (its mean over outputs differs only with several).
Prints the final parameters as JSON in nnlab's layout (`layers`: `weights`, `biases`).

Run: `KERAS_BACKEND=jax python replay.py` (JAX's float64 is switched on below; the
TensorFlow and PyTorch backends need nothing more).
"""

import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")
if os.environ["KERAS_BACKEND"] == "jax":
    import jax

    jax.config.update("jax_enable_x64", True)  # before any array exists

import keras
import numpy as np

keras.config.set_floatx("float64")

here = pathlib.Path(__file__).resolve().parent
spec = json.loads((here / "initial.json").read_text())
data = np.loadtxt(here / "train.csv", delimiter=",", skiprows=1, dtype=np.float64, ndmin=2)
x, y = data[:, : spec["inputs"]], data[:, spec["inputs"] :]


def activation(name):
    """nnlab's activation names as Keras functions (leaky_relu:S takes its slope)."""
    head, _, slope = name.partition(":")
    if head == "leaky_relu":
        return lambda z: keras.activations.leaky_relu(z, negative_slope=float(slope))
    return {"relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh", "identity": "linear"}[head]


model = keras.Sequential(
    [keras.Input((spec["inputs"],))]
    + [keras.layers.Dense(len(l["biases"]), activation=activation(l["activation"]))
       for l in spec["layers"]]
)
for dense, l in zip(model.layers, spec["layers"]):
    dense.set_weights([np.asarray(l["weights"]).T, np.asarray(l["biases"])])


def squared_error(y_true, y_pred):
    return keras.ops.sum(keras.ops.square(y_pred - y_true), axis=-1)


model.compile(optimizer=keras.optimizers.SGD(learning_rate=spec["lr"]), loss=squared_error)
model.fit(x, y, batch_size=1, epochs=spec["epochs"], shuffle=False, verbose=0)
final = [
    {"weights": np.asarray(k).T.tolist(), "biases": np.asarray(b).tolist()}
    for k, b in (dense.get_weights() for dense in model.layers)
]
print(json.dumps({"layers": final}))
