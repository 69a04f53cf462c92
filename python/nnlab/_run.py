"""A finished run as Python objects: the facts of ``nnlab train --json`` as DataFrames and
dicts, ``predict`` and the chart from the Rust side (the same numbers and the same
``loss.svg`` the CLI writes)."""

import html
import json

import numpy as np
import pandas as pd

from . import _frameworks, _native


def rows_of(rows, inputs):
    """``rows`` (a DataFrame, whose columns ``inputs`` are taken by name, an array or a list
    of rows, or one flat row) as a list of float rows."""
    if isinstance(rows, pd.DataFrame):
        rows = rows[list(inputs)].to_numpy(dtype=float)
    rows = np.asarray(rows, dtype=float)
    if rows.ndim == 1:
        rows = rows.reshape(1, -1)
    return rows.tolist()


def predict(run, rows, store=None):
    """Predictions in original units for ``rows`` from ``run``: a :class:`Run`, the folder
    of one (``nnlab train --out DIR``, read as ``nnlab predict DIR`` reads it), or the id of
    a run in the run store (``store``: its file, default as ``nnlab.runs``; the run's data
    are loaded again to refit the scaler and must be the rows it was trained on)."""
    if isinstance(run, Run):
        return run.predict(rows)
    if isinstance(run, (int, np.integer)) and not isinstance(run, bool):
        store = None if store is None else str(store)
        native = lambda r: _native.predict_stored(int(run), r, store)  # noqa: E731
    else:
        native = lambda r: _native.predict_dir(str(run), r)  # noqa: E731
    inputs = native([])[0] if isinstance(rows, pd.DataFrame) else []
    return np.asarray(native(rows_of(rows, inputs))[1])


class Run:
    """One training run.

    Attributes: ``history`` (DataFrame ``epoch, train_loss, test_loss, lr``), ``initial``
    and ``final`` (parameters by name), ``metrics`` (``train``/``test``, scaled and
    ``original`` units), ``outcome`` (``learned``, ``stuck``, ...), ``verdict`` (why),
    ``diagnostics`` (list of dicts), ``predictions`` (DataFrame ``set, row, <inputs>,
    target, prediction`` in original units), ``config`` (the resolved configuration),
    ``data`` (where the rows came from), ``status``, ``result`` (the whole JSON as a dict),
    ``run_id`` (its id in the run store when recorded, else ``None``).
    """

    def __init__(self, native):
        self._native = native
        self.run_id = native.run_id
        r = json.loads(native.json())
        self.result = r
        self.config = r["config"]
        self.data = r["data"]
        self.status = r["status"]
        self.history = pd.DataFrame(
            r["history"], columns=["epoch", "train_loss", "test_loss", "lr"]
        ).astype({"test_loss": float})
        self.initial = r["initial"]
        self.final = r["final"]
        self.metrics = r["metrics"]
        self.outcome = r["outcome"]
        self.verdict = r["verdict"]
        self.diagnostics = r["diagnostics"]
        inputs, target = self.data["inputs"], self.data["target"]
        rows = [
            [p["set"], p["row"], *p["inputs"], p["target"], p["prediction"]]
            for p in r["predictions"]
        ]
        self.predictions = pd.DataFrame(
            rows, columns=["set", "row", *inputs, target, "prediction"]
        )

    def predict(self, rows):
        """The final network's predictions in original units for ``rows``: a DataFrame
        (its input columns are picked by name), a 2-D array or a list of rows in the order
        of ``data["inputs"]``; one row may be a flat list. Returns a NumPy array."""
        return np.asarray(self._native.predict(rows_of(rows, self.data["inputs"])))

    def to_keras(self, which="final"):
        """The network as a ``keras.Sequential`` in float64 with the ``"final"`` or
        ``"initial"`` weights (Dense kernels ``(in, out)``); needs ``nnlab[keras]``."""
        return _frameworks.to_keras(self, which)

    def to_torch(self, which="final"):
        """The network as a ``torch.nn.Sequential`` in float64 with the ``"final"`` or
        ``"initial"`` weights (Linear weights ``(out, in)``); needs ``nnlab[torch]``."""
        return _frameworks.to_torch(self, which)

    def export(self, out, framework="keras"):
        """Writes the folder that replays this run in ``framework`` (``"keras"`` or
        ``"torch"``) into ``out``, as ``nnlab export`` does: ``replay.py``,
        ``initial.json``, ``train.csv``. Returns the paths written."""
        return self._native.export(framework, str(out))

    def summary(self, width=50):
        """The summary ``nnlab train`` prints."""
        return self._native.summary(width)

    def plot(self, ax=None, log_y=False):
        """The loss per epoch (train, and test when there is a test set) as a matplotlib
        figure."""
        import matplotlib.pyplot as plt

        if ax is None:
            fig, ax = plt.subplots(figsize=(7, 4))
        else:
            fig = ax.figure
        h = self.history
        ax.plot(h.epoch, h.train_loss, label="train loss")
        if h.test_loss.notna().any():
            ax.plot(h.epoch, h.test_loss, label="test loss")
        model, train = self.config["model"], self.config["train"]
        ax.set_title(f"Loss per epoch: {model['arch']} on {self.config['data']['source']} (lr {train['lr']})")
        ax.set_xlabel("epoch")
        ax.set_ylabel(f"mean {train['loss']} (scaled units)")
        if log_y:
            ax.set_yscale("log")
        ax.legend()
        return fig

    def __repr__(self):
        last = self.history.train_loss.iloc[-1] if len(self.history) else float("nan")
        return (
            f"<nnlab.Run {self.config['model']['arch']} on {self.data['source'][:40]!r}: "
            f"{self.outcome}, {len(self.history)} epochs, final train loss {last!r}>"
        )

    def _repr_html_(self):
        svg = self._native.loss_svg(640, 400) or ""
        return (
            f"<div><b>{html.escape(self.outcome)}</b>: {html.escape(self.verdict['reason'])}"
            f"<div>{svg}</div><pre>{html.escape(self.summary())}</pre></div>"
        )
