"""Losses: their value per network and the gradient at the output layer's input.

Arrays may carry a leading stack axis (one slice per network trained together):
every reduction is over the last two axes (samples, outputs), so a single network
gets a scalar and a stack of K networks gets K values.
"""
import numpy as np

#: Predictions are clipped to [EPS, 1 - EPS] inside the BCE logarithms only.
BCE_EPS = 1e-12


def _mean(a, dtype=None):
    """Mean over the last two axes (as ``np.mean``, bit for bit, without its overhead)."""
    return np.add.reduce(a, axis=(-2, -1), dtype=dtype) / (a.shape[-2] * a.shape[-1])


def mse(yhat, y):
    """Mean over samples of (yhat - y)^2."""
    d = np.subtract(yhat, y)
    return _mean(np.square(d, out=d))


def mse_output_delta(yhat, y, output_activation):
    """dL/dz at the output layer: 2 (yhat - y) / n times the activation's slope."""
    n = yhat.shape[-2]
    delta = np.subtract(yhat, y)
    delta *= 2.0 / n  # the same bits as (2 / n) * (yhat - y) * slope, in place
    return output_activation.backprop(delta, yhat)


def bce(yhat, y):
    """Mean binary cross-entropy; the logarithms see yhat clipped to [1e-12, 1 - 1e-12]."""
    p = np.clip(yhat, BCE_EPS, 1.0 - BCE_EPS)
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p), axis=(-2, -1))


def bce_output_delta(yhat, y, output_activation):
    """dL/dz for a sigmoid output: (yhat - y) / n, exact, with no division by yhat (1 - yhat)."""
    n = yhat.shape[-2]
    return (yhat - y) / n


#: name -> (value, output delta)
LOSSES = {
    "mse": (mse, mse_output_delta),
    "bce": (bce, bce_output_delta),
}

#: Losses that only make sense with a particular output activation.
REQUIRED_OUTPUT = {"bce": "sigmoid"}


def accuracy(yhat, y):
    """Fraction of samples whose class (1 when yhat > 0.5) matches the label."""
    return _mean((yhat > 0.5) == (y > 0.5), dtype=np.float64)
