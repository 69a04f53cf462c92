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
from ._run import Run
from ._step import Step, step
from ._sweep import Sweep, experiment, experiments, sweep
from ._settings import settings as _settings

__all__ = [
    "Run", "Step", "Sweep", "config", "experiment", "experiments", "schema", "step", "sweep",
    "train",
]


def train(**kw):
    """Trains one run, as ``nnlab train`` with the same options, and returns a
    :class:`Run`. ``data=`` takes a CSV path, ``builtin:NAME``, a pandas DataFrame (with
    ``inputs=`` and ``target=``, as for a CSV) or NumPy arrays ``(X, y)``."""
    pairs, csv = _settings(kw)
    return Run(_native.train(pairs, csv))


def config(**kw):
    """The resolved configuration of these options (checked, not run), as a dict."""
    pairs, _ = _settings(kw)
    return json.loads(_native.config(pairs))


def schema():
    """Every option: key, flag, TOML path, help, default, choices (``GET /api/schema``)."""
    return json.loads(_native.schema())["keys"]
