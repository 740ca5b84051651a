"""Network: a chain of layers with a forward pass and hand-written backpropagation.

A dense spec builds Dense layers only. A spec with ``conv`` layers builds
Lift -> Conv1D ... -> Flatten -> Dense ... (see ``conv.py``); Lift and Flatten have no
parameters and do not count in the parameter names W1, b1, W2, ...
"""
import copy

import numpy as np

from .activations import Activation
from .conv import LIFTS, Conv1D, Flatten, Lift, output_length
from .initializers import INITIALIZERS
from .layers import Dense
from .losses import LOSSES


def build_layers(spec, rng):
    """The layers a spec describes, weights drawn from ``rng`` in layer order."""
    hidden = Activation.from_spec(spec.activation, spec)
    output = Activation.from_spec(spec.output_activation, spec)
    init = INITIALIZERS[spec.init]
    layers = []
    dense_in = spec.sizes[0]
    if spec.conv:
        layers.append(Lift(spec.lift))
        length, channels = LIFTS[spec.lift], 1
        for conv in spec.conv:
            shape = (conv.kernel, channels, conv.channels)
            W = init(rng, conv.kernel * channels, conv.kernel * conv.channels, shape)
            b = np.zeros(conv.channels) if spec.bias else None
            layers.append(Conv1D(W, b, hidden, conv.padding))
            length, channels = output_length(length, conv.kernel, conv.padding), conv.channels
        layers.append(Flatten())
        dense_in = length * channels
    pairs = list(zip((dense_in,) + spec.sizes[1:-1], spec.sizes[1:]))
    for i, (fan_in, fan_out) in enumerate(pairs):
        W = init(rng, fan_in, fan_out, (fan_in, fan_out))
        b = np.zeros(fan_out) if spec.bias else None
        layers.append(Dense(W, b, output if i == len(pairs) - 1 else hidden))
    return layers


class Network:
    """Layers applied in order; parameters are named W1, b1, W2, ... by layer, counting
    only the layers that have parameters.

    Every parameter is a view into one array, ``flat`` ((P,), or (K, P) for a stack),
    and every gradient a view into ``flat_grad`` of the same shape: an optimizer updates
    all parameters in one array operation instead of one per parameter array.
    """

    def __init__(self, layers, stacked=False):
        self.layers = layers
        self.stacked = stacked
        # Which layers have parameters never changes (``keep`` only drops networks):
        # the numbering and the backward plan are worked out once, not on every step.
        self._numbered_layers = [
            (i, layer) for i, layer in
            enumerate((layer for layer in layers if layer.parameters()), start=1)]
        self._grad_names = [(f"{name}{i}", layer, name)
                            for i, layer in self._numbered_layers
                            for name in layer.parameters()]
        lead = self._lead()
        params = [value for _, layer in self._numbered_layers
                  for value in layer.parameters().values()]
        self._bind(np.concatenate([p.reshape(lead + (-1,)) for p in params], axis=-1)
                   if params else np.zeros(lead + (0,)))
        # layers below the first one with parameters need no gradient at all
        self._first = first = next(
            (i for i, layer in enumerate(layers) if layer.parameters()), len(layers))
        # backward visits (layer, activation of the layer below or None): None when the
        # layer below needs no gradient, or its activation's slope is 1 (an identity: the
        # gradient passes unchanged)
        self._backward_plan = [
            (layers[i], i > first,
             None if i == first or layers[i - 1].activation.entry.unit_derivative
             else layers[i - 1])
            for i in range(len(layers) - 1, first - 1, -1)]

    @classmethod
    def from_spec(cls, spec):
        """A fresh network with weights initialised from ``spec.seed``."""
        return cls(build_layers(spec, np.random.default_rng(spec.seed)))

    @classmethod
    def stack(cls, networks):
        """One network whose weights hold several same-shaped networks along axis 0."""
        layers = [type(group[0]).stack(group) for group in zip(*(net.layers for net in networks))]
        return cls(layers, stacked=True)

    def member(self, k):
        """The k-th network of a stack, as a single network."""
        return Network([layer.member(k) for layer in self.layers])

    def _lead(self):
        """The stack axis of the parameter arrays: (K,) for a stack, () for one network."""
        if not self.stacked or not self._numbered_layers:
            return ()
        return self._numbered_layers[0][1].W.shape[:1]

    def _bind(self, flat):
        """Make ``flat`` the parameters, with a gradient buffer of its shape, and give every
        layer views of both in its parameters' shapes."""
        self.flat = flat
        self.flat_grad = np.zeros_like(flat)
        lead, start = flat.shape[:-1], 0
        for _, layer in self._numbered_layers:
            params, grads = {}, {}
            for name, value in layer.parameters().items():
                shape = lead + value.shape[len(lead):]
                end = start + value[(0,) * len(lead)].size
                params[name] = flat[..., start:end].reshape(shape)
                grads[name] = self.flat_grad[..., start:end].reshape(shape)
                start = end
            layer.bind(params, grads)

    def keep(self, mask):
        """Keep only the stacked networks where ``mask`` is true."""
        self._bind(self.flat[mask])

    def astype(self, dtype):
        """A copy of this network whose parameters have ``dtype``."""
        clone = copy.deepcopy(self)
        clone._bind(self.flat.astype(dtype))
        return clone

    def _numbered(self):
        """(number, layer) for the layers with parameters, numbered from 1."""
        return self._numbered_layers

    def parameters(self):
        """Live parameter arrays in layer order: {"W1": ..., "b1": ..., "W2": ...}."""
        return {f"{name}{i}": value
                for i, layer in self._numbered()
                for name, value in layer.parameters().items()}

    def forward(self, X):
        """Predictions (n, 1), or (K, n, 1) for a stack."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def fix_input(self, X):
        """Prepare for many forward passes on the same, unchanging X (full-batch training),
        and return what to pass to ``forward_fixed`` for each of them.

        The layers below the first one with parameters (a conv network's lift) give the
        same output every time: it is computed once here, made read-only, and returned
        (for a network that starts with a weighted layer, that is X itself); the first
        layer with parameters may precompute what depends on its input alone
        (``Conv1D.fix_input``). The network's weights may change between the passes.
        """
        x = X
        for layer in self.layers[:self._first]:
            x = layer.forward(x)
        if x is X or self._first == len(self.layers):
            return x
        x.setflags(write=False)
        fix = getattr(self.layers[self._first], "fix_input", None)
        if fix is not None:
            fix(x)
        return x

    def forward_fixed(self, x):
        """``forward(X)`` for the X given to ``fix_input``, which returned ``x``: the same
        predictions, bit for bit, with the layers below the first weighted one skipped.
        Like ``forward``, it caches what ``backward`` needs."""
        for layer in self.layers[self._first:]:
            x = layer.forward(x)
        return x

    def backward(self, y, loss="mse"):
        """Gradients of the loss of the last forward pass, named like ``parameters()``: views
        of ``flat_grad``, which the next ``backward`` overwrites."""
        self.backpropagate(y, loss)
        return {name: layer.grads[key] for name, layer, key in self._grad_names}

    def backpropagate(self, y, loss="mse"):
        """Write the gradients of the loss of the last forward pass into ``flat_grad``."""
        output_delta = LOSSES[loss].output_delta
        last = self.layers[-1]
        grad_z = output_delta(last.output, y, last.activation)
        for layer, need_input_grad, below in self._backward_plan:
            grad_z = layer.backward(grad_z, need_input_grad)
            if below is not None:
                # grad_x is a fresh array (or a view of one): multiplied in place
                grad_z = below.activation.backprop(grad_z, below.output)

    def loss_and_gradients(self, X, y, loss="mse"):
        """Loss and its gradient for every parameter; the weights are not changed."""
        yhat = self.forward(X)
        return LOSSES[loss].value(yhat, y), self.backward(y, loss)

    def parameter_count(self):
        """Number of trainable scalars (per network, for a stack)."""
        params = self.parameters()
        total = sum(p.size for p in params.values())
        return total // params["W1"].shape[0] if self.stacked else total
