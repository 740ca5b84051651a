"""Activation functions and their derivatives, one registry entry each (``ACTIVATIONS``).

Every derivative is written in terms of the activation's *output* ``a`` (as the lab
writes the sigmoid's: s * (1 - s)), so backpropagation needs only the cached outputs.
This works for every function here because each is monotonic: the output fixes the
slope (for the ReLUs, the sign of the output tells which side of zero the input was).

Every function takes ``out=None`` like a NumPy ufunc: an array (usually ``z`` itself, when
the caller no longer needs it) that it may overwrite with its result to save allocating;
it returns the result either way.

To add an activation: write its function, derivative and backprop here and register an
``ActivationEntry`` (see the README's "Extending"); the gradient checks pick it up.
"""
import dataclasses
from typing import Callable

import numpy as np

from .registry import HyperParameter, Range, Registry, WithHyperParameters


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


@dataclasses.dataclass(frozen=True, eq=False)
class ActivationEntry(WithHyperParameters):
    """One activation function: its maths, its hyper-parameters and how the report writes it.

    ``function(z, *hyper, out=None)`` is f(z) (``out``, such as ``z`` itself, may be
    overwritten with the result); ``derivative(a, *hyper)`` is f'(z) written in terms of the
    output a = f(z); ``backprop(grad, a, *hyper)`` is ``grad * derivative(a)``, bit for bit,
    written into ``grad``. ``*hyper`` are the values of ``parameters``, in their order.
    """

    name: str
    #: the name in the report's prose ("leaky ReLU")
    display: str
    function: Callable
    derivative: Callable
    backprop: Callable
    #: the definition, TeX: r"\tanh(z) = ..."
    tex: str
    #: the derivative, TeX: r"\tanh'(z) = 1 - \tanh^{2}(z)"
    derivative_tex: str
    #: HyperParameter declarations, passed to the functions in this order
    parameters: tuple = ()
    #: f' = 1 everywhere: backpropagation through it changes nothing and is skipped
    unit_derivative: bool = False
    #: suits the output layer of the lab's classifier (its value is read against 0.5): the
    #: demo offers these as ``--output-activation``
    for_output: bool = False


#: name -> ActivationEntry, in the order the report lists them
ACTIVATIONS = Registry("activation")
register = ACTIVATIONS.register

#: the leaky ReLU's slope below zero
LEAKY_SLOPE = HyperParameter("leaky_slope", 0.01, "a", Range(0, 1, low_inclusive=True),
                             "slope of the leaky ReLU below zero")

register(ActivationEntry(
    name="sigmoid", display="sigmoid",
    function=sigmoid, derivative=sigmoid_derivative, backprop=sigmoid_backprop,
    tex=r"\sigma(z) = \frac{1}{1 + e^{-z}}",
    derivative_tex=r"\sigma'(z) = \sigma(z)\,\left(1 - \sigma(z)\right)",
    for_output=True))
register(ActivationEntry(
    name="tanh", display="tanh",
    function=tanh, derivative=tanh_derivative, backprop=tanh_backprop,
    tex=r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}",
    derivative_tex=r"\tanh'(z) = 1 - \tanh^{2}(z)"))
register(ActivationEntry(
    name="relu", display="ReLU",
    function=relu, derivative=relu_derivative, backprop=relu_backprop,
    tex=r"\mathrm{ReLU}(z) = \max(0, z)",
    derivative_tex=r"\mathrm{ReLU}'(z) = 1 \mathrm{\ if\ } z > 0 \mathrm{\ else\ } 0"))
register(ActivationEntry(
    name="leaky_relu", display="leaky ReLU",
    function=leaky_relu, derivative=leaky_relu_derivative, backprop=leaky_relu_backprop,
    tex=r"\mathrm{LeakyReLU}(z) = z \mathrm{\ if\ } z > 0 \mathrm{\ else\ } a z",
    derivative_tex=r"\mathrm{LeakyReLU}'(z) = 1 \mathrm{\ if\ } z > 0 \mathrm{\ else\ } a",
    parameters=(LEAKY_SLOPE,)))
register(ActivationEntry(
    name="identity", display="identity",
    function=identity, derivative=identity_derivative, backprop=identity_backprop,
    tex=r"f(z) = z", derivative_tex=r"f'(z) = 1",
    unit_derivative=True, for_output=True))


class Activation:
    """One activation function bound to its hyper-parameters (such as the leaky slope).

    ``Activation(name, **hyper)`` takes the hyper-parameters its entry declares from
    ``hyper`` (defaults for those missing; others are ignored, so that one set of
    settings serves every activation).
    """

    def __init__(self, name, **hyper):
        entry = ACTIVATIONS.get(name) if isinstance(name, str) else None
        if entry is None:
            raise ValueError(f"activation: unknown {name!r}; allowed: {', '.join(ACTIVATIONS)}")
        self.name = name
        self.entry = entry
        self._function, self._derivative = entry.function, entry.derivative
        self._backprop = entry.backprop
        self._extra = tuple(hyper.get(p.name, p.default) for p in entry.parameters)

    @classmethod
    def from_spec(cls, name, spec):
        """The activation ``name`` with the hyper-parameters of a RunSpec."""
        entry = ACTIVATIONS.get(name) if isinstance(name, str) else None
        hyper = {p.name: getattr(spec, p.name) for p in entry.parameters} if entry else {}
        return cls(name, **hyper)

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
