"""Losses: their value per network and the gradient at the output layer's input.

Arrays may carry a leading stack axis (one slice per network trained together):
every reduction is over the last two axes (samples, outputs), so a single network
gets a scalar and a stack of K networks gets K values.

Each loss is one registry entry (``LOSSES``): its value, its output-layer delta, its TeX.
"""
import dataclasses
from typing import Callable

import numpy as np

from .registry import Registry

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


@dataclasses.dataclass(frozen=True, eq=False)
class LossEntry:
    """One loss: its value, its gradient at the output layer, and how the report writes it.

    ``value(yhat, y)`` is the loss per network (reduced over the last two axes);
    ``output_delta(yhat, y, output_activation)`` is dL/dz at the output layer's input, a
    fresh array.
    """

    name: str
    #: the name in the report's prose
    display: str
    value: Callable
    output_delta: Callable
    #: the definition, TeX
    tex: str
    #: dL/dz at the output layer (delta of the output layer, with output Y-hat), TeX
    delta_tex: str
    #: the output activation the loss needs (its delta relies on it), or None
    required_output: str | None = None


#: name -> LossEntry
LOSSES = Registry("loss")
register = LOSSES.register

register(LossEntry(
    name="mse", display="mean squared error", value=mse, output_delta=mse_output_delta,
    tex=r"L = \frac{1}{n} \sum_{i=1}^{n} (\hat{y}_i - y_i)^{2}",
    delta_tex=r"\delta = \frac{2}{n}(\hat{Y} - Y) \odot f'(Z)"))
register(LossEntry(
    name="bce", display="binary cross-entropy", value=bce, output_delta=bce_output_delta,
    tex=r"L = -\frac{1}{n}\sum_i [y_i \ln \hat{y}_i + (1 - y_i)\ln(1 - \hat{y}_i)]",
    delta_tex=r"\delta = (\hat{Y} - Y)/n",
    required_output="sigmoid"))


def accuracy(yhat, y):
    """Fraction of samples whose class (1 when yhat > 0.5) matches the label."""
    return _mean((yhat > 0.5) == (y > 0.5), dtype=np.float64)
