"""Finite-difference gradient checks of the hand-written backpropagation (float64)."""
import numpy as np

from .network import Network


def numeric_gradient(net, X, y, loss, h=1e-6):
    """Central differences of the loss, one parameter scalar at a time.

    The differences are taken on a copy of the network in extended precision
    (``np.longdouble``, where the platform has it): rounding in the loss, about
    eps / h, would otherwise swamp the smallest gradient entries.
    """
    wide = net.astype(np.longdouble)
    X, y = X.astype(np.longdouble), y.astype(np.longdouble)
    grads = {}
    for name, param in wide.parameters().items():
        g = np.zeros(param.shape)
        for idx in np.ndindex(param.shape):
            old = param[idx]
            param[idx] = old + h
            up = wide.loss_and_gradients(X, y, loss)[0]
            param[idx] = old - h
            down = wide.loss_and_gradients(X, y, loss)[0]
            param[idx] = old
            g[idx] = float((up - down) / (2 * h))
        grads[name] = g
    return grads


def max_relative_error(analytic, numeric):
    """max |a - n| / max(1e-7, |a| + |n|) over every parameter scalar."""
    worst = 0.0
    for name in analytic:
        a, n = analytic[name], numeric[name]
        worst = max(worst, float(np.max(np.abs(a - n) / np.maximum(1e-7, np.abs(a) + np.abs(n)))))
    return worst


#: how many random points a check takes
POINTS = 7


def check(spec, n=POINTS, data_seed=5):
    """Max relative error between backprop and finite differences for ``spec``'s network.

    Weights come from ``spec`` (Xavier recommended), biases are set non-zero, and the
    data are n random points in [-1, 1]^2 with random labels.
    """
    net = Network.from_spec(spec)
    rng = np.random.default_rng(data_seed)
    for name, param in net.parameters().items():
        if name.startswith("b"):
            param[...] = rng.normal(0, 0.3, param.shape)
    X = rng.uniform(-1, 1, (n, 2))
    y = rng.integers(0, 2, (n, 1)).astype(float)
    _, analytic = net.loss_and_gradients(X, y, spec.loss)
    return max_relative_error(analytic, numeric_gradient(net, X, y, spec.loss))
