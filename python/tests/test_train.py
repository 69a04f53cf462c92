"""`nnlab.train`: the CLI's bits, its options and error texts, DataFrames and arrays."""

import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd
import pytest

import nnlab
from conftest import INSURANCE, nnlab_cli, read_csv_exact

# The final epoch's loss of the default run: what `nnlab train` prints (README, and the
# CLI's tests hold it bit-identical to a scalar implementation of the course's equations).
COURSE_FINAL_LOSS = 0.010783029129625823


def test_default_run_has_the_clis_final_loss():
    r = nnlab.train()
    assert list(r.history.columns) == ["epoch", "train_loss", "test_loss", "lr"]
    assert len(r.history) == 300
    assert r.history.train_loss.iloc[-1] == COURSE_FINAL_LOSS
    assert r.history.test_loss.isna().all()  # no test set by default
    assert r.outcome == "learned"
    assert r.initial == {"w1": 1.0, "w2": 0.5, "w3": 1.0, "w4": -1.0, "w5": 1.0,
                         "w6": 1.0, "b1": 0.5, "b2": 0.0, "b3": 0.5}
    assert set(r.final) == set(r.initial)
    assert r.config["train"]["lr"] == 0.01
    assert r.metrics["train"]["n"] == 100


def test_the_readme_one_liner_prints_the_number():
    # The command; NumPy >= 2 spells a scalar's repr np.float64(...).
    out = subprocess.run(
        [sys.executable, "-c",
         "import nnlab; r = nnlab.train(); print(repr(r.history.train_loss.iloc[-1]))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert out in (repr(COURSE_FINAL_LOSS), f"np.float64({COURSE_FINAL_LOSS!r})")


def test_keywords_are_the_configuration_keys():
    r = nnlab.train(lr=0.1, epochs=5, test_fraction=0.2, weights=[1, 0.5, 1, -1, 1, 1],
                    shuffle=True, seed=3)
    assert len(r.history) == 5
    assert r.config["train"]["lr"] == 0.1
    assert r.config["train"]["shuffle"] is True
    assert r.config["data"]["test_fraction"] == 0.2
    assert (r.data["train_rows"], r.data["test_rows"]) == (80, 20)
    assert r.history.test_loss.notna().all()
    assert r.config["data_seed"] == 3


@pytest.mark.parametrize("kw, message", [
    # The CLI's messages (`--lr: 'abc' is not a number`), the option named as typed here.
    ({"lr": "abc"}, "lr: 'abc' is not a number"),
    ({"rows": 10, "data": "builtin:insurance"},
     "rows: does not apply to a built-in table (data = builtin:insurance)"),
    ({"data": "builtin:nope"}, "data: unknown built-in data set 'nope'"),
    ({"bogus": 1}, "unknown option 'bogus' (known: seed, data_seed,"),
])
def test_bad_values_raise_value_error_with_the_clis_text(kw, message):
    with pytest.raises(ValueError) as e:
        nnlab.train(**kw)
    assert str(e.value).startswith(message)


def test_a_dataframe_trains_to_the_same_bits_as_the_csv_file():
    cols = dict(inputs=["age", "bmi", "children", "smoker"], target="charges",
                arch="4-3-1", activation="relu,identity", epochs=5, test_fraction=0.2)
    from_file = nnlab.train(data=str(INSURANCE), **cols)
    frame = read_csv_exact(INSURANCE)
    from_frame = nnlab.train(data=frame, **cols)
    pd.testing.assert_frame_equal(from_file.history, from_frame.history, check_exact=True)
    assert from_file.final == from_frame.final
    assert from_frame.data["source"].startswith("CSV file DataFrame: inputs age, bmi")
    assert from_frame.data["encoding"] == from_file.data["encoding"]  # smoker: no=0, yes=1
    pd.testing.assert_frame_equal(from_file.predictions, from_frame.predictions, check_exact=True)


def test_numpy_arrays_train_as_their_dataframe():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 5, size=(40, 2))
    y = x[:, 0] ** 2 + x[:, 1]
    from_arrays = nnlab.train(data=(x, y), epochs=10)
    frame = pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": y})
    from_frame = nnlab.train(data=frame, inputs="x1,x2", target="y", epochs=10)
    assert from_arrays.final == from_frame.final
    assert from_arrays.data["inputs"] == ["x1", "x2"]


def test_predict_gives_the_runs_own_predictions():
    r = nnlab.train(epochs=20, test_fraction=0.2)
    p = r.predictions
    assert list(p.columns) == ["set", "row", "x1", "x2", "y", "prediction"]
    np.testing.assert_array_equal(r.predict(p), p.prediction.to_numpy())
    np.testing.assert_array_equal(r.predict(p[["x1", "x2"]].to_numpy()), p.prediction)
    assert r.predict([p.x1[0], p.x2[0]])[0] == p.prediction[0]
    with pytest.raises(ValueError, match="^row: row 1 has 3 values but the network takes 2"):
        r.predict([[1, 2, 3]])


def test_plot_and_html():
    import matplotlib.figure

    r = nnlab.train(epochs=10, test_fraction=0.2)
    fig = r.plot()
    assert isinstance(fig, matplotlib.figure.Figure)
    assert [l.get_label() for l in fig.axes[0].get_lines()] == ["train loss", "test loss"]
    page = r._repr_html_()
    assert "<svg" in page and f"<b>{r.outcome}</b>" in page
    assert "moved most" in page  # the CLI's summary (diagnostics) is part of it


def test_training_releases_the_gil():
    # While a long run trains in a thread, this thread keeps running: with the GIL held it
    # would stand still for the whole run, one gap as long as the run. 50 million sample-steps
    # of the course network: about 0.75 s in the release build pip makes (0.09 s was too
    # short to tell with 5 million).
    t = threading.Thread(target=lambda: nnlab.train(rows=5000, epochs=10000))
    start = time.perf_counter()
    t.start()
    last, longest_gap = start, 0.0
    while t.is_alive():
        now = time.perf_counter()
        longest_gap = max(longest_gap, now - last)
        last = now
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    t.join()
    assert elapsed > 0.2, "the run was too short to tell"
    assert longest_gap < elapsed / 2, (longest_gap, elapsed)


def test_predict_from_a_run_folder_as_nnlab_predict(tmp_path):
    # A folder as `nnlab train --out DIR` writes it: the CLI's own run, when the binary is
    # at hand; its predictions.csv holds the predictions for its rows.
    cli = nnlab_cli()
    if cli is None:
        pytest.skip("no nnlab binary built (cargo build)")
    subprocess.run([cli, "train", "-q", "--epochs", "5", "--out", str(tmp_path / "run"),
                    "--no-store"], check=True)
    p = read_csv_exact(tmp_path / "run" / "predictions.csv")
    got = nnlab.predict(tmp_path / "run", p)
    np.testing.assert_array_equal(got, p.prediction.to_numpy())
    one = p[["x1", "x2"]].head(1)
    assert nnlab.predict(tmp_path / "run", one.to_numpy()[0])[0] == p.prediction[0]
    with pytest.raises(ValueError, match="params.json"):
        nnlab.predict(tmp_path / "nope", [[1, 2]])
