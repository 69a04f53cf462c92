"""`nnlab.sweep` and `nnlab.experiment`: the CLI's grids, as DataFrames."""

import pytest

import nnlab


def test_a_sweep_runs_every_combination_with_train_s_bits():
    s = nnlab.sweep(vary={"lr": [0.01, 0.1], "seed": range(3)}, epochs=20)
    assert len(s.runs) == 6
    assert list(s.runs.columns[:3]) == ["index", "lr", "seed"]
    assert list(s.runs.lr) == [0.01] * 3 + [0.1] * 3
    assert list(s.runs.seed) == [0, 1, 2] * 2
    # A sweep's run is the run `nnlab.train` makes with its settings (same bits).
    run = nnlab.train(lr=0.1, seed=1, epochs=20)
    assert s.runs.train_loss[4] == run.history.train_loss.iloc[-1]
    assert s.runs.outcome[4] == run.outcome
    # The summary: one row per lr, over the 3 seeds (the CLI's table: n, median, min, max).
    assert list(s.summary.lr) == ["0.01", "0.1"]
    assert list(s.summary.n) == [3, 3]
    assert s.summary["min"][0] == s.runs.train_loss[:3].min()
    assert s.summary["median"][0] == s.runs.train_loss[:3].median()
    assert s.report.startswith("# ") and "0.01" in s.report


def test_a_sweep_names_a_bad_factor():
    # The CLI's message, naming the factor as written there.
    with pytest.raises(ValueError, match="^--vary lr=abc: lr: 'abc' is not a number$"):
        nnlab.sweep(vary={"lr": ["abc"]})
    with pytest.raises(ValueError, match="^data: a sweep reads its data itself"):
        import pandas as pd
        nnlab.sweep(vary={"lr": [0.1]}, data=pd.DataFrame({"a": [1]}))


def test_an_experiment_of_the_catalogue():
    assert "learning-rate" in nnlab.experiments()
    e = nnlab.experiment("symmetry", epochs=5)
    assert set(e.runs.init) == {"identical", "unique", "mixed"}
    assert "symmetry" in e.report.lower()
    with pytest.raises(ValueError, match="nope"):
        nnlab.experiment("nope")
