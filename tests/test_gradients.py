"""Finite-difference checks of the hand-written backpropagation."""
import itertools

import numpy as np
import pytest

from reportgen.engine import Network, RunSpec
from reportgen.engine.activations import ACTIVATIONS
from reportgen.engine.gradcheck import check, max_relative_error, numeric_gradient
from reportgen.engine.losses import LOSSES


@pytest.mark.parametrize("activation,loss,bias",
                         list(itertools.product(ACTIVATIONS, LOSSES, [True, False])))
def test_backprop_matches_finite_differences(activation, loss, bias):
    """Every registered hidden activation x every registered loss, with and without bias."""
    spec = RunSpec(sizes=(2, 5, 3, 1), activation=activation, bias=bias, init="xavier", seed=11,
                   loss=loss, output_activation=LOSSES[loss].required_output or "sigmoid")
    assert check(spec) < 1e-6


def test_every_output_activation_with_mse():
    for name in ACTIVATIONS:
        spec = RunSpec(sizes=(2, 4, 1), activation="tanh", output_activation=name, seed=2,
                       init="xavier")
        assert check(spec) < 1e-6, name


@pytest.mark.parametrize("sizes", [(2, 1), (2, 3, 1), (2, 4, 4, 3, 1)])
def test_any_number_of_hidden_layers(sizes):
    spec = RunSpec(sizes=sizes, activation="tanh", init="xavier", seed=3)
    net = Network.from_spec(spec)
    expected = [f"{k}{i}" for i in range(1, len(sizes)) for k in "Wb"]
    assert list(net.parameters()) == expected
    assert check(spec) < 1e-6


def test_identity_output_with_mse_gradient():
    spec = RunSpec(sizes=(2, 4, 1), activation="tanh", output_activation="identity", seed=2,
                   init="xavier")
    assert check(spec) < 1e-6


def test_gradient_check_can_fail():
    """A deliberately wrong gradient is caught: the check is not vacuous."""
    net = Network.from_spec(RunSpec(sizes=(2, 3, 1), seed=0))
    rng = np.random.default_rng(1)
    X, y = rng.uniform(-1, 1, (6, 2)), rng.integers(0, 2, (6, 1)).astype(float)
    _, analytic = net.loss_and_gradients(X, y, "mse")
    analytic["W1"] = analytic["W1"] * 1.01
    assert max_relative_error(analytic, numeric_gradient(net, X, y, "mse")) > 1e-3
