"""Weight initialisations: functions of (rng, fan_in, fan_out, shape) in a table.

Biases always start at zero.
"""
import numpy as np


def uniform(rng, fan_in, fan_out, shape):
    """Uniform on [0, 1): the lab's most common choice."""
    return rng.random(shape)


def normal(rng, fan_in, fan_out, shape):
    """Standard normal."""
    return rng.standard_normal(shape)


def xavier(rng, fan_in, fan_out, shape):
    """Glorot normal: std = sqrt(2 / (fan_in + fan_out))."""
    return rng.standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))


def he(rng, fan_in, fan_out, shape):
    """He normal: std = sqrt(2 / fan_in), for ReLU-like layers."""
    return rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)


INITIALIZERS = {
    "uniform": uniform,
    "normal": normal,
    "xavier": xavier,
    "he": he,
}
