"""`rng="numpy"` (`--rng numpy`): the generator draws as the course notebook does with
NumPy's legacy stream, checked against NumPy itself."""

import numpy as np
import pandas as pd
import pytest

import nnlab


def notebook_rows(seed, n=100):
    """The course notebook's data: `np.random.seed(seed)`, then per row x1 = randint(0, 5),
    x2 = randint(0, 10), noise = randint(0, 10), y = x1**2 + x2 + noise."""
    np.random.seed(seed)
    rows = []
    for _ in range(n):
        x1, x2, noise = np.random.randint(0, 5), np.random.randint(0, 10), np.random.randint(0, 10)
        rows.append((x1, x2, x1 ** 2 + x2 + noise))
    return pd.DataFrame(rows, columns=["x1", "x2", "y"]).astype(float)


@pytest.mark.parametrize("seed", [0, 1, 42, 2**32 - 1])
def test_the_same_rows_bit_for_bit(seed):
    r = nnlab.train(rng="numpy", data_seed=seed, epochs=1)
    got = r.predictions[["x1", "x2", "y"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, notebook_rows(seed), check_exact=True)


def test_continuous_draws_are_numpys_uniform():
    np.random.seed(3)
    expected = [(np.random.uniform(0, 5), np.random.uniform(0, 10), np.random.uniform(0, 10))
                for _ in range(100)]
    r = nnlab.train(rng="numpy", data_seed=3, integer=False, epochs=1)
    x = r.predictions[["x1", "x2"]].to_numpy()
    np.testing.assert_array_equal(x, np.array(expected)[:, :2])
    np.testing.assert_array_equal(r.predictions.y, [a * a + b + c for a, b, c in expected])


def test_the_same_training_run_as_the_notebooks_rows():
    from_numpy = nnlab.train(rng="numpy", data_seed=0)
    from_frame = nnlab.train(data=notebook_rows(0), inputs=["x1", "x2"], target="y")
    pd.testing.assert_frame_equal(from_numpy.history, from_frame.history, check_exact=True)
    assert from_numpy.final == from_frame.final


def test_numpy_takes_uniform_draws_only():
    with pytest.raises(ValueError, match="numpy draws uniform values only"):
        nnlab.train(rng="numpy", distribution="normal")
    with pytest.raises(ValueError, match="^rng: 'np' is not a random stream"):
        nnlab.train(rng="np")
