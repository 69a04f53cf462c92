"""`nnlab.step`: the numbers of `nnlab step` and its LaTeX form."""

import pytest

import nnlab


def test_the_course_step_has_every_number():
    # The course's example (README, `nnlab step`): w = 1,0.5,1,-1,1,1, b = 0.5,0,0.5,
    # x = (1, 0), y = 2, lr 0.01.
    s = nnlab.step()
    assert s.prediction == 2.5
    assert s.loss == 0.25
    assert s.gradients["w5"] == 1.5
    assert s.after["w1"] == 0.99
    assert s.change["w1"] == -0.010000000000000009
    assert s.nodes[0]["equation"] == "z1 = 1·1 + 0·1 + 0.5 = 1.5 -> relu -> a1 = 1.5"
    md = s._repr_markdown_()
    assert r"$$\frac{\partial L}{\partial w_{5}} = 2(\hat{y} - y) \cdot \mathrm{relu}'(z_{3}) \cdot a_{1} = 1 \cdot 1 \cdot 1.5 = 1.5$$" in md
    assert "dL/dw5 = 2(y_hat - y) · relu'(z3) · a1 = 1 · 1 · 1.5 = 1.5" in s.text


def test_options_and_steps():
    s = nnlab.step(init="high-high", lr=0.1, input=[2, 1], target=3, steps=3, check=True)
    assert s.steps == 3 and len(s.rows) == 4  # row k: after k steps
    assert s.lr == 0.1
    assert s.input == [2.0, 1.0]
    assert s.check["passed"] is True


@pytest.mark.parametrize("kw, message", [
    ({"lr": 0}, "lr: '0' must be finite and above 0"),
    ({"epochs": 3}, "epochs: not an option of step"),
    ({"input": [1, 2, 3]}, "input:"),
])
def test_bad_values(kw, message):
    with pytest.raises(ValueError) as e:
        nnlab.step(**kw)
    assert str(e.value).startswith(message)


def test_penalties_and_features_take_the_cli_path():
    # The course's step with l2 = 0.1 (hand derivation, crates/core/src/regularize.rs):
    # loss 0.25 + 0.1·Σw² = 0.25 + 0.1·5.25 = 0.775; dL/dw5 = 1.5 + 2·0.1·w5 = 1.7,
    # dL/dw2 = 1 + 2·0.1·0.5 = 1.1, dL/dw4 = 0 + 2·0.1·(-1) = -0.2, dL/db1 = 1 (biases are not
    # penalized). `nnlab step --l2 0.1 --json` prints these same values (one library path).
    s = nnlab.step(l2=0.1)
    assert s.loss == 0.775
    assert (s.gradients["w5"], s.gradients["w2"], s.gradients["w4"]) == (1.7, 1.1, -0.2)
    assert s.gradients["b1"] == 1.0
    # Feature crosses as `nnlab step --features`: three inputs for a two-input network.
    with pytest.raises(ValueError) as e:
        nnlab.step(features="x1,x2,x1^2")
    assert str(e.value) == (
        "features: x1, x2, x1^2 give 3 inputs, but the network 2-2-1 takes 2 (give arch)"
    )
    crossed = nnlab.step(features="x1,x2,x1^2", arch="3-2-1", weights="const:0.5",
                         biases="const:0.5", input=[2, 1])
    # x = (2, 1, 4): z1 = z2 = 0.5·(2 + 1 + 4) + 0.5 = 4, ŷ = 0.5·(4 + 4) + 0.5 = 4.5.
    assert crossed.input == [2.0, 1.0, 4.0]
    assert crossed.prediction == 4.5
