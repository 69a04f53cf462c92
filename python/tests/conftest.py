"""Shared paths for the package's tests (run from a clone: `pytest python/tests`)."""

import pathlib

import matplotlib

matplotlib.use("Agg")  # no display in CI

#: The clone's root (python/tests/ -> ../..).
ROOT = pathlib.Path(__file__).resolve().parents[2]
#: The insurance table nnlab ships (crates/data/data/README.md has its source).
INSURANCE = ROOT / "crates" / "data" / "data" / "insurance.csv"
