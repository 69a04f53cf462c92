"""Shared paths for the package's tests (run from a clone: `pytest python/tests`)."""

import pathlib

import matplotlib

matplotlib.use("Agg")  # no display in CI

#: The clone's root (python/tests/ -> ../..).
ROOT = pathlib.Path(__file__).resolve().parents[2]
#: The insurance table nnlab ships (crates/data/data/README.md has its source).
INSURANCE = ROOT / "crates" / "data" / "data" / "insurance.csv"


def read_csv_exact(path):
    """``pd.read_csv`` reading every number correctly rounded, as nnlab and Python's
    ``float()`` do (before pandas 3 its default fast parser may miss by one unit in the last
    place)."""
    import pandas as pd

    exact = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}
    return pd.read_csv(path, **exact)


def nnlab_cli():
    """The nnlab binary: on PATH, else the workspace's newer build of release and debug
    (`cargo test --workspace`, which CI runs first, builds the debug one; a release binary
    left from before the last change would be stale); None when there is none."""
    import shutil

    built = [p for p in [ROOT / "target" / "release" / "nnlab", ROOT / "target" / "debug" / "nnlab"]
             if p.exists()]
    newest = max(built, key=lambda p: p.stat().st_mtime, default=None)
    return shutil.which("nnlab") or (None if newest is None else str(newest))
