"""A run's network as a Keras or PyTorch model: the same layer sizes and activations, in
float64, with the run's starting or final weights in the framework's layout. nnlab keeps
one row of weights per neuron, ``(out, in)``: that is ``torch.nn.Linear.weight``; a Keras
``Dense`` kernel is its transpose ``(in, out)``. The frameworks are optional extras
(``pip install './python[keras]'``, ``'./python[torch]'``), imported only here."""

import importlib
import os
import sys

import numpy as np


def layers_of(run, which):
    """The layers (``activation``, ``weights``, ``biases``) of the run's ``which`` network."""
    if which not in ("initial", "final"):
        raise ValueError(f"which: {which!r} is neither 'initial' nor 'final'")
    return run.result[f"{which}_network"]["layers"]


def _need(module, extra, what):
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(
            f"{what} needs {module}, which is not installed: pip install 'nnlab[{extra}]' "
            f"(from a clone: pip install './python[{extra}]')"
        ) from e


def _split(name):
    head, _, slope = name.partition(":")
    if head not in ("relu", "leaky_relu", "sigmoid", "tanh", "identity", "softmax"):
        raise ValueError(f"activation: {name!r} has no counterpart here")
    return head, float(slope) if slope else None


def to_keras(run, which="final"):
    """A ``keras.Sequential`` of ``Dense`` layers in float64. Without a ``KERAS_BACKEND``
    set before Keras was first imported, the JAX backend is chosen, with its float64
    (``jax_enable_x64``) switched on."""
    layers = layers_of(run, which)
    if "keras" not in sys.modules:
        os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = _need("keras", "keras", "Run.to_keras")
    if keras.backend.backend() == "jax":
        import jax

        jax.config.update("jax_enable_x64", True)

    def activation(name):
        head, slope = _split(name)
        if head == "leaky_relu":
            return lambda z: keras.activations.leaky_relu(z, negative_slope=slope)
        return "linear" if head == "identity" else head

    n_in = len(layers[0]["weights"][0])
    model = keras.Sequential(
        [keras.Input((n_in,), dtype="float64")]
        + [keras.layers.Dense(len(l["biases"]), activation=activation(l["activation"]),
                              dtype="float64") for l in layers]
    )
    for dense, l in zip(model.layers, layers):
        dense.set_weights([np.asarray(l["weights"], dtype=np.float64).T,
                           np.asarray(l["biases"], dtype=np.float64)])
    return model


def to_torch(run, which="final"):
    """A ``torch.nn.Sequential`` of ``Linear`` layers (float64) and activation modules."""
    layers = layers_of(run, which)
    torch = _need("torch", "torch", "Run.to_torch")

    def activation(name):
        head, slope = _split(name)
        if head == "leaky_relu":
            return torch.nn.LeakyReLU(slope)
        if head == "softmax":
            return torch.nn.Softmax(dim=-1)
        return {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh,
                "identity": torch.nn.Identity}[head]()

    modules = []
    for l in layers:
        w = torch.tensor(l["weights"], dtype=torch.float64)
        linear = torch.nn.Linear(w.shape[1], w.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(w)
            linear.bias.copy_(torch.tensor(l["biases"], dtype=torch.float64))
        modules += [linear, activation(l["activation"])]
    return torch.nn.Sequential(*modules)
