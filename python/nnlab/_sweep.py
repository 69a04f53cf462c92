"""``nnlab.sweep`` and ``nnlab.experiment``: grids of runs, as ``nnlab sweep`` and ``nnlab
experiment run``, their runs and summaries as DataFrames (the records of ``nnlab sweep
--json``)."""

import json

import pandas as pd

from . import _native
from ._settings import frame_of, settings, text

#: The columns of ``Sweep.runs`` after the varied keys (``nnlab sweep --json``'s runs).
RUN_COLUMNS = ["status", "outcome", "diverged_epoch", "epochs_run", "train_loss", "test_loss",
               "train_r2", "test_r2", "train_mape", "test_mape", "diagnostics"]


def _numeric(column):
    """A column of setting texts as numbers when every one is a number (``lr``, ``seed``)."""
    try:
        return pd.to_numeric(column)
    except (ValueError, TypeError):
        return column


class Sweep:
    """The runs of a sweep: ``runs`` (one row per run: ``index``, each varied key, then
    status, outcome, losses, R² and MAPE, diagnostics), ``summary`` (one row per combination
    of the non-seed keys: the spread of the final loss over the seeds and the count of each
    outcome), ``judged_on``; ``report`` is the Markdown report (an experiment's findings)."""

    def __init__(self, native):
        self._native = native
        r = json.loads(native.json())
        self.result = r
        self.judged_on = r["judged_on"]
        rows = [{"index": run["index"], **run["values"],
                 **{c: run[c] for c in RUN_COLUMNS}} for run in r["runs"]]
        self.runs = pd.DataFrame(rows)
        for key in (r["runs"][0]["values"] if r["runs"] else {}):
            self.runs[key] = _numeric(self.runs[key])
        groups = []
        for g in r["groups"]:
            stats = dict(g["stats"])
            outcomes = stats.pop("outcomes")
            groups.append({**dict(g["settings"]), **stats, **outcomes})
        self.summary = pd.DataFrame(groups)

    @property
    def report(self):
        return self._native.markdown()

    def _repr_markdown_(self):
        return self.report

    def __repr__(self):
        return f"<nnlab.Sweep: {len(self.runs)} runs, judged on the {self.judged_on} set>"


def sweep(vary, **kw):
    """Every combination of ``vary`` (``{"lr": [0.01, 0.1], "seed": range(20)}``; a value
    may also be the text ``--vary`` takes, ``"0..20"``) over the options ``kw``, run on
    every core, as ``nnlab sweep``. ``data=`` is a path or ``builtin:NAME``."""
    if frame_of(kw.get("data")) is not None:
        raise ValueError("data: a sweep reads its data itself; give a CSV path or builtin:NAME")
    pairs, _ = settings(kw)
    factors = [f"{key}={text(values)}" for key, values in vary.items()]
    return Sweep(_native.sweep(pairs, factors))


def experiment(name, epochs=None, data=None):
    """The catalogue's experiment ``name`` (see :func:`experiments`), as ``nnlab experiment
    run NAME``: ``epochs`` overrides every run's, ``data`` is the insurance CSV for the
    entries that take it."""
    return Sweep(_native.experiment(name, epochs, None if data is None else text(data)))


def experiments():
    """The catalogue as a dict: name -> what it asks."""
    return dict(_native.experiments())
