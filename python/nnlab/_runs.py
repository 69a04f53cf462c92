"""``nnlab.runs``: the run store, as ``nnlab runs list | show | delete`` read it.

    >>> nnlab.train(lr=0.1, record=True).run_id      # recorded, as `nnlab train` records
    >>> nnlab.runs.list(outcome="learned")           # DataFrame, newest first
    >>> nnlab.runs.show(12)["history"]               # DataFrame epoch, train_loss, ...
    >>> nnlab.runs(store="lab.sqlite").list()        # another store file
"""

import json

import pandas as pd

from . import _native
from ._settings import text


class Runs:
    """The run store at ``store`` (default: ``NNLAB_STORE``, else the platform's data
    directory, as the CLI's ``--store``)."""

    def __init__(self, store=None):
        self.store = None if store is None else text(store)

    def __call__(self, store=None):
        """The store at another path: ``nnlab.runs(store="lab.sqlite")``."""
        return Runs(store)

    def list(self, status=None, outcome=None, experiment=None, sweep=None, where=(), limit=None):
        """The matching runs, newest first, one row each (``nnlab runs list``): ``where``
        takes the CLI's ``KEY=VALUE`` conditions (``"lr=0.1"``)."""
        where = [where] if isinstance(where, str) else list(where)
        rows = json.loads(_native.runs_list(self.store, status, outcome, experiment, sweep,
                                            where, limit))
        return pd.DataFrame(rows)

    def show(self, id):
        """Everything stored about run ``id`` (``nnlab runs show ID --json``), its history
        as a DataFrame."""
        run = json.loads(_native.runs_show(int(id), self.store))
        run["history"] = pd.DataFrame(run["history"],
                                      columns=["epoch", "train_loss", "test_loss", "lr"])
        return run

    def delete(self, ids):
        """Deletes the runs ``ids`` (one id or several); returns how many there were."""
        ids = [ids] if isinstance(ids, int) else list(ids)
        return _native.runs_delete([int(i) for i in ids], self.store)

    def __repr__(self):
        return f"<nnlab.runs: store {self.store or 'default'}>"


runs = Runs()
