"""``nnlab.step``: one gradient-descent step explained, as ``nnlab step``. Every number is
an attribute (the fields of ``nnlab step --json``); in Jupyter it shows as LaTeX equations
with the numbers plugged in (crates/report's renderer, its LaTeX mode)."""

import json

from . import _native
from ._settings import text


class Step:
    """One step (``steps=N``: the first in full, then ``rows``, one per step).

    Attributes (as ``nnlab step --json``): ``nodes`` (each node's ``z``, ``a`` and
    equations), ``prediction``, ``loss``, ``gradients``, ``gradient_factors``,
    ``before``, ``update``, ``after``, ``change`` (parameters by name), ``lr``; with
    ``steps``: ``rows`` and ``steps``. ``text`` is what ``nnlab step`` prints, ``report``
    the whole JSON as a dict.
    """

    def __init__(self, report_json, text_report, latex_markdown):
        self.report = json.loads(report_json)
        first = self.report.get("first", self.report)
        for key, value in first.items():
            setattr(self, key, value)
        self.rows = self.report.get("rows")
        self.steps = self.report.get("steps", 1)
        self.text = text_report
        self._markdown = latex_markdown

    def _repr_markdown_(self):
        return self._markdown

    def __repr__(self):
        return self.text


def step(input=None, target=None, steps=None, check=False, features=None, **kw):
    """One step on one example: ``input`` (default the course's ``(1, 0)``), ``target``
    (default ``2``), ``steps=N`` to repeat it, ``check=True`` for a finite-difference check,
    ``features="x1,x2,x1^2"`` for feature crosses of the input; the network and update
    options are ``nnlab step``'s: ``seed, arch, activation, init, weights, biases, lr,
    loss, l1, l2``."""
    pairs = [(k, text(v)) for k, v in kw.items()]
    args = [None if v is None else text(v) for v in (input, target, steps)]
    feats = None if features is None else text(features)
    return Step(*_native.step(pairs, *args, bool(check), feats))
