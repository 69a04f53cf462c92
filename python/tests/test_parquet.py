"""`nnlab runs export --format parquet`: the two files read with `pandas.read_parquet`
(pyarrow) hold the CSV export's runs and every stored history, number for number."""

import json
import subprocess

import numpy as np
import pandas as pd
import pytest

from conftest import nnlab_cli, read_csv_exact


def cells(column):
    """A column as text, a missing value as the empty cell (as the CSV writes it)."""
    return ["" if pd.isna(v) else str(v) for v in column]


def test_the_parquet_export_reads_in_pandas_as_the_csv_export_and_the_stored_histories(tmp_path):
    cli = nnlab_cli()
    if cli is None:
        pytest.skip("no nnlab binary built (cargo build)")
    store = str(tmp_path / "runs.sqlite")

    def nnlab(*args):
        return subprocess.run([cli, *args, "--store", store], check=True,
                              capture_output=True, text=True).stdout

    # 4 runs of the course network (2 rates x 2 seeds), 20% of the rows held out.
    nnlab("sweep", "--vary", "lr=0.01,0.1", "--vary", "seed=0..2", "--epochs", "15",
          "--test-fraction", "0.2")
    nnlab("runs", "export", "--format", "parquet", "--out", str(tmp_path / "pq"))
    nnlab("runs", "export", "--format", "csv", "--out", str(tmp_path / "runs.csv"))

    runs = pd.read_parquet(tmp_path / "pq" / "runs.parquet")
    flat = read_csv_exact(tmp_path / "runs.csv")
    assert list(runs.columns) == list(flat.columns)
    assert len(runs) == 4
    for col in flat.columns:
        a, b = runs[col], flat[col]
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            # Exact: the CSV's shortest round-trip text read back, against Parquet's doubles.
            np.testing.assert_array_equal(a.to_numpy(dtype=float), b.to_numpy(dtype=float),
                                          err_msg=col)
        else:
            assert cells(a) == cells(b), col
    assert runs["id"].dtype == np.int64 and runs["final_loss"].dtype == np.float64

    curves = pd.read_parquet(tmp_path / "pq" / "curves.parquet")
    assert list(curves.columns) == ["id", "epoch", "train_loss", "test_loss", "lr"]
    assert len(curves) == 4 * 15
    for run_id in runs["id"]:
        shown = json.loads(nnlab("runs", "show", str(run_id), "--json"))
        want = pd.DataFrame(shown["history"], columns=["epoch", "train_loss", "test_loss", "lr"])
        got = curves[curves["id"] == run_id].drop(columns="id").reset_index(drop=True)
        assert got["test_loss"].notna().all()
        pd.testing.assert_frame_equal(got, want, check_exact=True, check_dtype=False)
