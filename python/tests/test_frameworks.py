"""`Run.to_keras`, `Run.to_torch` and `Run.export`: the run's network in the frameworks,
and the Keras replay of the course run reproducing nnlab's final parameters."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import nnlab
from nnlab import _frameworks

# Keras picks its backend at its first import: JAX, the backend the replay is checked on.
os.environ.setdefault("KERAS_BACKEND", "jax")

KERAS_MISSING = "Keras or JAX is not installed: pip install './python[keras]' (python/test does)"


def keras_or_skip():
    pytest.importorskip("jax", reason=KERAS_MISSING)
    return pytest.importorskip("keras", reason=KERAS_MISSING)


# The course's start and example (README, `nnlab step`): input (1, 0);
# h1 = relu(w1·1 + w3·0 + b1) = relu(1 + 0 + 0.5) = 1.5, h2 = relu(w2·1 + w4·0 + b2) = 0.5,
# y_hat = relu(w5·h1 + w6·h2 + b3) = 1.5 + 0.5 + 0.5 = 2.5.
COURSE_X = np.array([[1.0, 0.0]])
COURSE_Y_HAT = 2.5


def test_to_keras_has_the_runs_weights_as_dense_kernels_in_float64():
    keras = keras_or_skip()
    r = nnlab.train(epochs=2)
    m = r.to_keras("initial")
    kernel, bias = m.layers[0].get_weights()
    # nnlab's rows are neurons, (out, in) = [[w1, w3], [w2, w4]]; Keras's kernel is (in, out).
    np.testing.assert_array_equal(kernel, [[1.0, 0.5], [1.0, -1.0]])
    np.testing.assert_array_equal(bias, [0.5, 0.0])
    assert kernel.dtype == np.float64
    y_hat = keras.ops.convert_to_numpy(m(COURSE_X))
    assert y_hat.dtype == np.float64 and y_hat.tolist() == [[COURSE_Y_HAT]]
    # The final network: its outputs are the run's final network's (scaled units).
    final = r.to_keras()
    w = [np.asarray(l["weights"]).T for l in r.result["final_network"]["layers"]]
    assert final.layers[1].get_weights()[0].tolist() == w[1].tolist()


def test_to_torch_has_the_runs_weights_as_linear_weights_in_float64():
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: pip install './python[torch]'")
    m = nnlab.train(epochs=2).to_torch("initial")
    assert m[0].weight.tolist() == [[1.0, 1.0], [0.5, -1.0]]  # (out, in), as nnlab's rows
    assert m[0].weight.dtype == torch.float64
    assert m(torch.tensor(COURSE_X)).tolist() == [[COURSE_Y_HAT]]


def test_which_and_a_missing_framework_are_explained():
    r = nnlab.train(epochs=1)
    with pytest.raises(ValueError, match="which: 'best' is neither 'initial' nor 'final'"):
        r.to_keras("best")
    with pytest.raises(ImportError, match=r"pip install 'nnlab\[keras\]'"):
        _frameworks._need("nnlab_no_such_module", "keras", "Run.to_keras")


def test_export_refuses_what_it_cannot_replay_and_writes_three_files(tmp_path):
    with pytest.raises(ValueError, match="train.batch_size: is 4, not 1"):
        nnlab.train(epochs=1, batch_size=4).export(tmp_path / "x")
    with pytest.raises(ValueError, match="framework: 'jax' is not a framework"):
        nnlab.train(epochs=1).export(tmp_path / "x", framework="jax")
    written = nnlab.train(epochs=1).export(tmp_path / "t", framework="torch")
    assert sorted(os.path.basename(p) for p in written) == ["initial.json", "replay.py", "train.csv"]


def relative_difference(ours, theirs):
    """The largest |a - b| / |a| over every weight and bias (|b| where a is 0)."""
    worst = 0.0
    for la, lb in zip(ours, theirs):
        for key in ("weights", "biases"):
            a, b = np.ravel(la[key]), np.ravel(lb[key])
            scale = np.where(a != 0, np.abs(a), np.maximum(np.abs(b), 1e-300))
            worst = max(worst, float(np.max(np.abs(a - b) / scale)))
    return worst


def replay(out, **kw):
    """Trains, exports to Keras and runs replay.py; nnlab's and Keras's final layers."""
    r = nnlab.train(**kw)
    r.export(out, framework="keras")
    env = dict(os.environ, KERAS_BACKEND="jax")
    done = subprocess.run([sys.executable, str(out / "replay.py")], capture_output=True,
                          text=True, env=env, check=True)
    return r.result["final_network"]["layers"], json.loads(done.stdout.splitlines()[-1])["layers"]


def test_the_keras_replay_of_the_course_run_gives_nnlabs_final_parameters(tmp_path):
    keras_or_skip()
    # The course run: 2-2-1 ReLU, 100 rows, 300 epochs of per-row SGD at lr 0.01 (30,000
    # updates). Measured with Keras 3 on JAX in float64: see the README's "Keras and
    # PyTorch" for the difference found.
    ours, theirs = replay(tmp_path / "course")
    assert relative_difference(ours, theirs) <= 1e-12
