"""Activation functions and their derivatives, registered in tables.

Every derivative is written in terms of the activation's *output* ``a`` (as the lab
writes the sigmoid's: s * (1 - s)), so backpropagation needs only the cached outputs.
This works for every function here because each is monotonic: the output fixes the
slope (for the ReLUs, the sign of the output tells which side of zero the input was).

Every function takes ``out=None`` like a NumPy ufunc: an array (usually ``z`` itself, when
the caller no longer needs it) that it may overwrite with its result to save allocating;
it returns the result either way.
"""
import numpy as np


#: exp(-z) is capped at exp(708) < the float64 maximum, so it never overflows; the
#: sigmoid of any z below -708 comes out as 1 / (1 + exp(708)), about 3e-308, not 0.
SIGMOID_EXP_CAP = 708.0

# Constant operands as 0-d arrays: NumPy converts a Python float operand on every call,
# which on the small arrays of training costs about half as much as the operation itself.
_ONE = np.array(1.0)
_EXP_CAP = np.array(SIGMOID_EXP_CAP)


def sigmoid(z, out=None):
    """Logistic function 1 / (1 + exp(-z)), stable for large |z|: never inf nor NaN from
    a finite z, accurate to a few ulp at both ends (the sigmoid is the reciprocal of a
    number >= 1). Five in-place ufunc calls: the cost of training is mostly this."""
    a = np.negative(z, out=out)
    np.minimum(a, _EXP_CAP, out=a)
    np.exp(a, out=a)
    np.add(a, _ONE, out=a)
    # 1 / a as a division, not np.reciprocal: the same IEEE quotient, but NumPy's division
    # loop is vectorised and its reciprocal loop is not (about 40% less time)
    return np.divide(_ONE, a, out=a)


def sigmoid_derivative(a):
    return a * (1.0 - a)


def tanh_derivative(a):
    return 1.0 - a * a


def tanh(z, out=None):
    return np.tanh(z, out=out)


def relu(z, out=None):
    return np.maximum(z, 0.0, out=out)


def relu_derivative(a):
    return (a > 0).astype(a.dtype)


def leaky_relu(z, slope, out=None):
    if 0.0 <= slope <= 1.0:
        # max(z, slope z) picks z above zero and slope z below, bit for bit like the
        # np.where below (slope z never rounds past z), in two ufunc calls instead of three
        return np.maximum(z, slope * z, out=out)
    return np.where(z > 0, z, slope * z)


def leaky_relu_derivative(a, slope):
    return np.where(a > 0, 1.0, slope)


def identity(z, out=None):
    return z


def identity_derivative(a):
    return np.ones_like(a)


# Backpropagation through an activation: grad * f'(z), written into ``grad`` (which the
# caller owns). Each gives the same bits as ``grad * derivative(a)`` with fewer temporary
# arrays: multiplication is commutative in floating point, and multiplying by a boolean
# mask is multiplying by 1.0 or 0.0.

def sigmoid_backprop(grad, a):
    d = np.subtract(_ONE, a)
    d *= a
    grad *= d
    return grad


def tanh_backprop(grad, a):
    d = np.multiply(a, a)
    np.subtract(_ONE, d, out=d)
    grad *= d
    return grad


def relu_backprop(grad, a):
    grad *= a > 0
    return grad


def leaky_relu_backprop(grad, a, slope):
    grad *= leaky_relu_derivative(a, slope)
    return grad


def identity_backprop(grad, a):
    return grad


#: name -> (function, derivative in terms of the output)
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "identity": (identity, identity_derivative),
}

#: Activations whose functions take the leaky slope as a second argument.
_SLOPED = {"leaky_relu"}


#: name -> grad * derivative, in place on grad
BACKPROPS = {
    "sigmoid": sigmoid_backprop,
    "tanh": tanh_backprop,
    "relu": relu_backprop,
    "leaky_relu": leaky_relu_backprop,
    "identity": identity_backprop,
}


class Activation:
    """One activation function bound to its parameters (the leaky slope)."""

    def __init__(self, name, leaky_slope=0.01):
        if name not in ACTIVATIONS:
            raise ValueError(f"activation: unknown {name!r}; allowed: {', '.join(ACTIVATIONS)}")
        self.name = name
        self._function, self._derivative = ACTIVATIONS[name]
        self._backprop = BACKPROPS[name]
        self._extra = (leaky_slope,) if name in _SLOPED else ()

    def __call__(self, z, out=None):
        """f(z); ``out`` (such as ``z`` itself) may be overwritten with the result."""
        return self._function(z, *self._extra, out=out)

    def derivative(self, a):
        """d activation / dz, from the activation's output ``a``."""
        return self._derivative(a, *self._extra)

    def backprop(self, grad, a):
        """``grad * derivative(a)``, bit for bit, written into ``grad`` (which must be the
        caller's to overwrite, and of the broadcast shape)."""
        return self._backprop(grad, a, *self._extra)

    def __repr__(self):
        return f"Activation({self.name!r})"
