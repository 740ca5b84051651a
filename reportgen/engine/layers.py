"""Layers: each caches what its backward pass needs.

Weights may carry a leading stack axis of size K (K networks of the same shape trained
in the same NumPy calls). ``np.matmul`` broadcasts over that axis, so the same code
serves one network or a stack: an input of shape (n, d) is shared by every network,
an input of shape (K, n, d) holds one batch per network.
"""
import functools

import numpy as np


def _transpose(a):
    # the method, not np.swapaxes: this runs several times per epoch on small arrays,
    # where the wrapper's dispatch costs more than the (view-only) transposition
    return a.swapaxes(-1, -2)


@functools.lru_cache(maxsize=None)
def _ones(n):
    """A read-only vector of n ones: ``_ones(n) @ g`` sums g over its samples axis."""
    ones = np.ones(n)
    ones.setflags(write=False)
    return ones


class WeightedLayer:
    """What every layer with weights W, optional bias b and an activation shares: its
    parameters, their gradients after ``backward``, and keeping part of a stack."""

    def __init__(self, W, b, activation):
        self.W = W
        self.b = b
        self.activation = activation
        self.output = None
        self.grads = {}

    def parameters(self):
        """Live parameter arrays: {"W": W, "b": b} (no "b" without bias)."""
        return {"W": self.W} if self.b is None else {"W": self.W, "b": self.b}

    def keep(self, mask):
        """Keep only the stacked layers where ``mask`` is true."""
        self.W = self.W[mask]
        if self.b is not None:
            self.b = self.b[mask]


class Dense(WeightedLayer):
    """Fully connected layer: a = f(x W + b)."""

    def __init__(self, W, b, activation):
        super().__init__(W, b, activation)
        self.input = None

    def forward(self, x):
        self.input = x
        z = np.matmul(x, self.W)
        if self.b is not None:
            z += self.b
        self.output = self.activation(z, out=z)  # z is ours: the activation may overwrite it
        return self.output

    def backward(self, grad_z, need_input_grad=True):
        """Store dL/dW, dL/db from dL/dz; return dL/dx (or None when not needed)."""
        self.grads["W"] = np.matmul(_transpose(self.input), grad_z)
        if self.b is not None:
            # as a product with ones: a reduction over the middle axis of (K, n, out) is
            # several times slower than K small matrix-vector products
            self.grads["b"] = np.matmul(_ones(grad_z.shape[-2]), grad_z).reshape(self.b.shape)
        return np.matmul(grad_z, _transpose(self.W)) if need_input_grad else None

    @classmethod
    def stack(cls, layers):
        """One layer holding the weights of several same-shaped layers along axis 0."""
        W = np.stack([layer.W for layer in layers])
        b = None if layers[0].b is None else np.stack([layer.b for layer in layers])[:, None, :]
        return cls(W, b, layers[0].activation)

    def member(self, k):
        """The k-th layer of a stack, as a single (unstacked) layer."""
        return Dense(self.W[k].copy(), None if self.b is None else self.b[k, 0].copy(), self.activation)
