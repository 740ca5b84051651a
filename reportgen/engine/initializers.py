"""Weight initialisations: functions of (rng, fan_in, fan_out, shape), one registry entry
each (``INITIALIZERS``).

Biases always start at zero.
"""
import dataclasses
from typing import Callable

import numpy as np

from .registry import Registry


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


@dataclasses.dataclass(frozen=True, eq=False)
class InitializerEntry:
    """One weight initialisation: ``draw(rng, fan_in, fan_out, shape)`` and its wording."""

    name: str
    #: a short name ("Xavier")
    display: str
    #: what the weights are drawn from, for prose: "weights drawn from a <description>"
    description: str
    draw: Callable
    #: the distribution of a weight, TeX (n_in, n_out: the layer's fan-in and fan-out)
    tex: str

    def __call__(self, rng, fan_in, fan_out, shape):
        return self.draw(rng, fan_in, fan_out, shape)


#: name -> InitializerEntry
INITIALIZERS = Registry("init")
register = INITIALIZERS.register

register(InitializerEntry(
    name="uniform", display="uniform", description="uniform distribution on [0, 1)",
    draw=uniform, tex=r"W_{ij} \sim \mathcal{U}[0, 1)"))
register(InitializerEntry(
    name="normal", display="normal", description="standard normal distribution",
    draw=normal, tex=r"W_{ij} \sim \mathcal{N}(0, 1)"))
register(InitializerEntry(
    name="xavier", display="Xavier", description="Glorot (Xavier) normal distribution",
    draw=xavier,
    tex=r"W_{ij} \sim \mathcal{N}\left(0, \frac{2}{n_{\mathrm{in}} + n_{\mathrm{out}}}\right)"))
register(InitializerEntry(
    name="he", display="He", description="He normal distribution",
    draw=he, tex=r"W_{ij} \sim \mathcal{N}\left(0, \frac{2}{n_{\mathrm{in}}}\right)"))
