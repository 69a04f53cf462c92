"""nnlab in Python: the CLI's commands as functions over the same Rust library.

    >>> import nnlab
    >>> r = nnlab.train()                     # the course network, as `nnlab train`
    >>> r.history.train_loss.iloc[-1]
    0.010783029129625823

Keyword names are the configuration keys (the CLI flag with ``-`` as ``_``: ``lr``,
``test_fraction``, ``init``); a bad value raises ``ValueError`` with the CLI's message.
"""

import json

from . import _native
from ._run import Run, predict
from ._runs import Runs, runs
from ._step import Step, step
from ._sweep import Sweep, experiment, experiments, sweep
from ._settings import settings as _settings

__all__ = [
    "Run", "Runs", "Step", "Sweep", "config", "experiment", "experiments", "predict", "runs", "schema", "step", "sweep",
    "train",
]


def train(record=False, store=None, experiment=None, **kw):
    """Trains one run, as ``nnlab train`` with the same options, and returns a
    :class:`Run`. ``data=`` takes a CSV path, ``builtin:NAME``, a pandas DataFrame (with
    ``inputs=`` and ``target=``, as for a CSV) or NumPy arrays ``(X, y)``. With
    ``record=True`` (or a ``store`` path) the run is recorded in the run store, tagged
    ``experiment``, as ``nnlab train`` records it (``Run.run_id``; see :data:`runs`);
    off by default, so trying things in a notebook leaves no trace."""
    pairs, csv = _settings(kw)
    record = record or store is not None
    store = None if store is None else str(store)
    return Run(_native.train(pairs, csv, record, store, experiment))


def config(**kw):
    """The resolved configuration of these options (checked, not run), as a dict."""
    pairs, _ = _settings(kw)
    return json.loads(_native.config(pairs))


def schema():
    """Every option: key, flag, TOML path, help, default, choices (``GET /api/schema``)."""
    return json.loads(_native.schema())["keys"]
