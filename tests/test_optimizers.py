"""Each optimizer's step against numbers worked out by hand on a one-parameter example."""
import numpy as np
import pytest

from reportgen.engine.optimizers import make_optimizer

P0, G1, G2 = 1.0, 0.5, -0.25


def two_steps(name, **hyper):
    params = {"W1": np.array([P0])}
    opt = make_optimizer(name, **hyper)
    trail = []
    for g in (G1, G2):
        opt.step(params, {"W1": np.array([g])})
        trail.append(params["W1"][0])
    return trail


def test_sgd():
    assert two_steps("sgd", lr=0.1) == pytest.approx([1.0 - 0.05, 0.95 + 0.025], abs=1e-15)


def test_momentum():
    # v1 = -0.1*0.5 = -0.05; p1 = 0.95. v2 = 0.9*-0.05 - 0.1*-0.25 = -0.02; p2 = 0.93
    assert two_steps("momentum", lr=0.1, momentum=0.9) == pytest.approx([0.95, 0.93], abs=1e-15)


def test_adagrad():
    # G1 = 0.25 -> p1 = 1 - 0.1*0.5/0.5 = 0.9; G2 = 0.3125 -> p2 = 0.9 + 0.1*0.25/sqrt(0.3125)
    expected = [0.9, 0.9 + 0.025 / np.sqrt(0.3125)]
    assert two_steps("adagrad", lr=0.1, eps=0.0) == pytest.approx(expected, abs=1e-15)


def test_rmsprop():
    # S1 = 0.1*0.25 = 0.025 -> p1 = 1 - 0.1*0.5/sqrt(0.025)
    s1 = 0.025
    p1 = 1 - 0.05 / np.sqrt(s1)
    s2 = 0.9 * s1 + 0.1 * 0.0625
    p2 = p1 + 0.025 / np.sqrt(s2)
    assert two_steps("rmsprop", lr=0.1, rho=0.9, eps=0.0) == pytest.approx([p1, p2], abs=1e-15)


def test_adam():
    # step 1: m^ = g, v^ = g^2 -> p1 = p0 - lr * sign(g) = 0.9
    m2 = 0.9 * 0.05 + 0.1 * G2          # m1 = 0.1*0.5 = 0.05
    v2 = 0.999 * 0.00025 + 0.001 * G2 ** 2   # v1 = 0.001*0.25
    m_hat, v_hat = m2 / (1 - 0.81), v2 / (1 - 0.999 ** 2)
    p2 = 0.9 - 0.1 * m_hat / np.sqrt(v_hat)
    got = two_steps("adam", lr=0.1, beta1=0.9, beta2=0.999, eps=0.0)
    assert got == pytest.approx([0.9, p2], abs=1e-14)


def test_stacked_hyper_parameters_apply_per_network():
    params = {"W1": np.ones((2, 3, 1)), "b1": np.ones((2, 1, 1))}
    grads = {"W1": np.ones((2, 3, 1)), "b1": np.ones((2, 1, 1))}
    opt = make_optimizer("sgd", lr=np.array([0.1, 0.5]))
    opt.step(params, grads)
    np.testing.assert_allclose(params["W1"][:, 0, 0], [0.9, 0.5])
    opt.keep(np.array([False, True]))
    params = {k: v[1:] for k, v in params.items()}
    opt.step(params, {k: v[1:] for k, v in grads.items()})
    np.testing.assert_allclose(params["W1"][:, 0, 0], [0.0])
