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
    parameters, the arrays its ``backward`` writes their gradients into, and ``bind``."""

    def __init__(self, W, b, activation):
        self.activation = activation
        self.output = None
        self.W, self.b = W, b
        self.bind(self.parameters(), {name: np.zeros_like(value)
                                      for name, value in self.parameters().items()})

    def parameters(self):
        """Live parameter arrays: {"W": W, "b": b} (no "b" without bias)."""
        return {"W": self.W} if self.b is None else {"W": self.W, "b": self.b}

    def bind(self, params, grads):
        """Use ``params`` as W and b, and write gradients into ``grads`` (same names and
        shapes): a network binds views of its flat buffers here (see ``Network``)."""
        self.W, self.b = params["W"], params.get("b")
        self.grads = grads
        # the same arrays, in the shapes the backward pass computes them in
        self._grad_out = {name: grad.reshape(self._gradient_shape(name, grad))
                          for name, grad in grads.items()}

    def _gradient_shape(self, name, grad):
        # b is stacked as (K, 1, .., out) to broadcast over samples (and positions); its
        # gradient comes out as (K, out)
        return grad.shape[:1] + grad.shape[-1:] if name == "b" and grad.ndim > 1 else grad.shape


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
        """Write dL/dW, dL/db from dL/dz into ``grads``; return dL/dx (or None when not needed)."""
        np.matmul(_transpose(self.input), grad_z, out=self._grad_out["W"])
        if self.b is not None:
            # as a product with ones: a reduction over the middle axis of (K, n, out) is
            # several times slower than K small matrix-vector products
            np.matmul(_ones(grad_z.shape[-2]), grad_z, out=self._grad_out["b"])
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
