"""Keyword arguments as the text a user would type after the flag: ``lr=0.1`` is
``--lr 0.1``, ``weights=[1, 0.5]`` is ``--weights 1,0.5``, ``shuffle=True`` is
``--shuffle``. The Rust side parses them with the CLI's key table, so values, defaults
and error texts are the CLI's. ``data=`` also takes a pandas DataFrame or NumPy arrays,
handed over as CSV text (floats as ``repr``, the shortest text that reads back to the
same float, so the rows keep their bits).
"""

import os

import numpy as np
import pandas as pd

#: The name a DataFrame or arrays go by in messages and in the run's data summary.
FRAME = "DataFrame"


def text(value):
    """``value`` as flag text: booleans ``true``/``false``, ``None`` ``off``, floats by
    ``repr``, sequences (lists, tuples, ranges, arrays) comma-joined."""
    if value is None:
        return "off"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    if isinstance(value, (list, tuple, range, np.ndarray, pd.Series)):
        return ",".join(text(v) for v in value)
    return str(value)


def frame_of(data):
    """A DataFrame from ``data`` when it is one or NumPy arrays ``(X, y)`` (columns
    ``x1..xk`` and ``y``), else ``None`` (a path or ``builtin:NAME``)."""
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, tuple) and len(data) == 2:
        x, y = (np.asarray(a) for a in data)
        if x.ndim == 1:
            x = x.reshape(-1, 1)
        frame = pd.DataFrame(x, columns=[f"x{i + 1}" for i in range(x.shape[1])])
        frame["y"] = np.asarray(y).reshape(-1)
        return frame
    return None


def settings(kw):
    """``(pairs, csv)``: the keywords as ``(key, text)`` pairs and, for a DataFrame or
    arrays given as ``data``, their rows as CSV text (arrays name their columns, so their
    ``inputs`` and ``target`` default to ``x1..xk`` and ``y``)."""
    kw = dict(kw)
    csv = None
    data = kw.get("data")
    frame = frame_of(data)
    if frame is not None:
        kw["data"] = FRAME
        if not isinstance(data, pd.DataFrame):
            kw.setdefault("inputs", list(frame.columns[:-1]))
            kw.setdefault("target", frame.columns[-1])
        csv = frame.to_csv(index=False)
    return [(k, text(v)) for k, v in kw.items()], csv
