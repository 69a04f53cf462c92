"""`init_rng="python"` against Python itself: the initial values are what
`random.seed(s)` then `round(random.uniform(lo, hi), k)` per parameter gives (weights
w1..w6 first, then biases b1..b3), bit for bit."""

import random

import pytest

import nnlab

NAMES = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]


def python_draws(seed, weights, biases):
    """The notebook's way: each (lo, hi, k) drawn with random.uniform, rounded when k."""
    random.seed(seed)
    out = []
    for (lo, hi, k), n in ((weights, 6), (biases, 3)):
        for _ in range(n):
            v = random.uniform(lo, hi)
            out.append(v if k is None else round(v, k))
    return dict(zip(NAMES, out))


@pytest.mark.parametrize("seed", [0, 1, 7, 42, 12345, 2**32 + 5, 2**63 - 1])
def test_uniform_rounded_draws_are_pythons(seed):
    r = nnlab.train(init_rng="python", init_seed=seed, weights="uniform:-10,10,round=2",
                    biases="uniform:-5,5,round=3", epochs=1, rows=5)
    assert r.initial == python_draws(seed, (-10, 10, 2), (-5, 5, 3))
    assert r.config["model"]["init_rng"] == "python"


def test_unrounded_draws_and_a_list_beside_them_are_pythons():
    r = nnlab.train(init_rng="python", init_seed=3, weights="uniform:-1,1",
                    biases=[0.5, 0, 0.5], epochs=1, rows=5)
    want = python_draws(3, (-1, 1, None), (0, 0, None))
    want.update(b1=0.5, b2=0.0, b3=0.5)  # a list draws nothing
    assert r.initial == want


def test_many_rounded_values_match_pythons_round():
    # 600 draws over a wide range with 0..5 decimals: every tie and near-tie Python's
    # round() meets on the exact decimal of the double.
    for seed in range(20):
        for k in range(6):
            r = nnlab.train(init_rng="python", init_seed=seed,
                            weights=f"uniform:-1000,1000,round={k}",
                            biases=f"uniform:-0.01,0.01,round={k}", epochs=1, rows=5)
            assert r.initial == python_draws(seed, (-1000, 1000, k), (-0.01, 0.01, k))


def test_strategies_python_cannot_draw_are_refused():
    with pytest.raises(ValueError, match="weights: init_rng python draws uniform"):
        nnlab.train(init_rng="python", weights="glorot", epochs=1)
    with pytest.raises(ValueError, match="'py' is not a random stream for initial values"):
        nnlab.train(init_rng="py", epochs=1)
