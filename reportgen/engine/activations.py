"""Activation functions and their derivatives, registered in tables.

Every derivative is written in terms of the activation's *output* ``a`` (as the lab
writes the sigmoid's: s * (1 - s)), so backpropagation needs only the cached outputs.
This works for every function here because each is monotonic: the output fixes the
slope (for the ReLUs, the sign of the output tells which side of zero the input was).
"""
import numpy as np


def sigmoid(z):
    """Logistic function, stable for large |z|: exp only ever sees -|z|."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(a):
    return a * (1.0 - a)


def tanh_derivative(a):
    return 1.0 - a * a


def relu(z):
    return np.maximum(z, 0.0)


def relu_derivative(a):
    return (a > 0).astype(a.dtype)


def leaky_relu(z, slope):
    return np.where(z > 0, z, slope * z)


def leaky_relu_derivative(a, slope):
    return np.where(a > 0, 1.0, slope)


def identity(z):
    return z


def identity_derivative(a):
    return np.ones_like(a)


#: name -> (function, derivative in terms of the output)
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (np.tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "identity": (identity, identity_derivative),
}

#: Activations whose functions take the leaky slope as a second argument.
_SLOPED = {"leaky_relu"}


class Activation:
    """One activation function bound to its parameters (the leaky slope)."""

    def __init__(self, name, leaky_slope=0.01):
        if name not in ACTIVATIONS:
            raise ValueError(f"activation: unknown {name!r}; allowed: {', '.join(ACTIVATIONS)}")
        self.name = name
        self._function, self._derivative = ACTIVATIONS[name]
        self._extra = (leaky_slope,) if name in _SLOPED else ()

    def __call__(self, z):
        return self._function(z, *self._extra)

    def derivative(self, a):
        """d activation / dz, from the activation's output ``a``."""
        return self._derivative(a, *self._extra)

    def __repr__(self):
        return f"Activation({self.name!r})"
