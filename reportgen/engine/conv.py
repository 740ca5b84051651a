"""1-D convolution for a network whose input is a 2-D point.

What the convolution slides over
--------------------------------
The lab's input is a single point x = (x0, x1): there is no image or sequence in which
weights could be shared across positions. A fixed, parameter-free *lift* therefore turns
each point into a short 1-D signal with one channel, and the convolution slides over that:

- ``"proj4"`` (the default) and ``"proj8"``: the point's projections onto L = 4 or 8
  equally spaced directions of the half circle, s_t = x0 cos(pi t / L) + x1 sin(pi t / L)
  for t = 0 .. L-1. For L = 4 the signal is [x0, (x0 + x1)/sqrt 2, x1, (x1 - x0)/sqrt 2].
  Neighbouring positions are neighbouring directions, so a kernel of width k is one
  pattern detector applied to every group of k adjacent directions (shifting along the
  signal = rotating the direction by pi / L); the weights are genuinely shared.
- ``"raw"``: the point itself, the 2-sample signal [x0, x1]. With kernel 2 and "valid"
  padding the convolution has one output position and is exactly a dense layer 2 -> C.

The lift is *linear* on purpose: it adds no hand-made nonlinear feature (such as x0 x1
or |x0 - x1|, which would make XOR separable before any learning), so every nonlinearity
the network uses is learned. The price is honesty about what a convolution can do here:
lift followed by convolution is a linear map of x, i.e. a dense layer 2 -> L_out C_out
whose weight matrix is constrained (built from k C_in shared numbers per output channel).
What changes compared with a dense layer is the parametrisation and the number of hidden
units per parameter, not what the first layer can see.

Layers and shapes
-----------------
``Lift``: (n, 2) -> (n, L, 1). ``Conv1D``: (n, L, C_in) -> (n, L_out, C_out), stride 1,
padding "valid" (L_out = L - k + 1) or "same" (L_out = L; zeros, (k-1)//2 on the left and
the rest on the right). ``Flatten``: (n, L_out, C) -> (n, L_out C), position-major, so the
dense layers that follow take L_out C inputs. All of them follow the protocol of
``layers.Dense`` (``parameters``, ``forward``, ``backward``, ``grads``, ``activation``,
``output``, ``stack``, ``member``), and all accept a leading stack axis K: a
stacked ``Conv1D`` holds W (K, k, C_in, C_out) and b (K, 1, 1, C_out) and takes an input
(n, L, C_in) shared by the K networks or (K, n, L, C_in), one per network.

Forward (cross-correlation, as in every deep-learning library), for sample i, output
position l and output channel o, with x~ the zero-padded input:

    z[i, l, o] = b[o] + sum_{j < k} sum_c x~[i, l + j, c] W[j, c, o],   a = f(z)

Backward, from delta = dL/dz:

    dL/dW[j, c, o] = sum_i sum_l x~[i, l + j, c] delta[i, l, o]
    dL/db[o]       = sum_i sum_l delta[i, l, o]
    dL/dx~[i, p, c] = sum_j sum_o delta[i, p - j, o] W[j, c, o]   (terms with 0 <= p - j < L_out)

and dL/dx is dL/dx~ without the padded positions. Both passes are vectorised: the input's
windows (n, L_out, k, C_in) are flattened into an (n L_out, k C_in) matrix and multiplied
by W reshaped to (k C_in, C_out); only the scatter of dL/dx~ loops over the k kernel taps.
"""
import numpy as np

from .activations import Activation
from .layers import WeightedLayer, _ones

#: padding name -> how many zeros go (left, right) for kernel width k, stride 1
PADDINGS = {
    "valid": lambda k: (0, 0),
    "same": lambda k: ((k - 1) // 2, k - 1 - (k - 1) // 2),
}


def output_length(length, kernel, padding):
    """Signal length after a stride-1 convolution."""
    left, right = PADDINGS[padding](kernel)
    return length + left + right - kernel + 1


def _projection_matrix(length):
    theta = np.pi * np.arange(length) / length
    P = np.stack([np.cos(theta), np.sin(theta)])
    P[np.abs(P) < 1e-15] = 0.0  # cos(pi/2) is 6e-17, not 0: keep the signal's zeros exact
    return P


#: lift name -> signal length
LIFTS = {"proj4": 4, "proj8": 8, "raw": 2}

_IDENTITY = Activation("identity")


class _Parameterless:
    """Shared protocol of layers with no trainable parameters (stateless apart from caches)."""

    activation = _IDENTITY

    def __init__(self):
        self.output = None
        self.grads = {}

    def parameters(self):
        return {}

    @classmethod
    def stack(cls, layers):
        return layers[0]._fresh()

    def member(self, k):
        return self._fresh()


class Lift(_Parameterless):
    """Fixed map of each point (.., n, 2) to a one-channel signal (.., n, L, 1); see above."""

    def __init__(self, name="proj4"):
        super().__init__()
        if name not in LIFTS:
            raise ValueError(f"lift: unknown {name!r}; allowed: {', '.join(LIFTS)}")
        self.name = name
        self.length = LIFTS[name]
        self.P = None if name == "raw" else _projection_matrix(self.length)

    def _fresh(self):
        return Lift(self.name)

    def forward(self, x):
        self.output = (x if self.P is None else x @ self.P)[..., None]
        return self.output

    def backward(self, grad_z, need_input_grad=True):
        if not need_input_grad:
            return None
        g = grad_z[..., 0]
        return g if self.P is None else g @ self.P.T


class Flatten(_Parameterless):
    """(.., n, L, C) -> (.., n, L C), position-major; backward reshapes back."""

    def __init__(self):
        super().__init__()
        self.input_shape = None

    def _fresh(self):
        return Flatten()

    def forward(self, x):
        self.input_shape = x.shape
        self.output = x.reshape(x.shape[:-2] + (-1,))
        return self.output

    def backward(self, grad_z, need_input_grad=True):
        return grad_z.reshape(self.input_shape) if need_input_grad else None


class Conv1D(WeightedLayer):
    """Stride-1 1-D convolution with shared weights: a = f(conv(x, W) + b).

    ``W`` has shape (kernel, in_channels, out_channels), ``b`` (out_channels,) or None;
    stacked: (K, kernel, in, out) and (K, 1, 1, out).
    """

    def __init__(self, W, b, activation, padding="valid"):
        if padding not in PADDINGS:
            raise ValueError(f"padding: unknown {padding!r}; allowed: {', '.join(PADDINGS)}")
        super().__init__(W, b, activation)
        self.padding = padding
        self.input_shape = None
        self.cols = None
        self._fixed = None  # (input, its cols), see fix_input

    @property
    def kernel_size(self):
        return self.W.shape[-3]

    @property
    def in_channels(self):
        return self.W.shape[-2]

    @property
    def out_channels(self):
        return self.W.shape[-1]

    def _padded(self, x):
        left, right = PADDINGS[self.padding](self.kernel_size)
        if left or right:
            pad = [(0, 0)] * x.ndim
            pad[-2] = (left, right)
            x = np.pad(x, pad)
        return x

    def _columns(self, x):
        """The windows of x as rows (.., n L_out, k C_in), ordered like W, and L_out."""
        k, c_in = self.kernel_size, self.in_channels
        windows = np.lib.stride_tricks.sliding_window_view(self._padded(x), k, axis=-2)
        # windows: (.., n, L_out, C_in, k) -> rows (.., n L_out, k C_in), ordered like W
        lead, l_out = windows.shape[:-3], windows.shape[-3]
        return np.swapaxes(windows, -1, -2).reshape(lead[:-1] + (lead[-1] * l_out, k * c_in)), l_out

    def fix_input(self, x):
        """Declare that ``x`` (which must not change) will be the input of many forward
        passes, as in full-batch training: its windows are then built once, not per pass."""
        self._fixed = (x, self._columns(x))

    def forward(self, x):
        k, c_in = self.kernel_size, self.in_channels
        self.input_shape = x.shape
        if self._fixed is not None and x is self._fixed[0]:
            self.cols, l_out = self._fixed[1]
        else:
            self.cols, l_out = self._columns(x)
        z = self.cols @ self.W.reshape(self.W.shape[:-3] + (k * c_in, self.out_channels))
        z = z.reshape(z.shape[:-2] + (x.shape[-3], l_out, self.out_channels))
        if self.b is not None:
            z += self.b
        self.output = self.activation(z, out=z)  # z is ours: the activation may overwrite it
        return self.output

    def backward(self, grad_z, need_input_grad=True):
        """Store dL/dW, dL/db from dL/dz (.., n, L_out, C_out); return dL/dx (or None)."""
        k, c_in, c_out = self.kernel_size, self.in_channels, self.out_channels
        n, l_out = grad_z.shape[-3], grad_z.shape[-2]
        delta = grad_z.reshape(grad_z.shape[:-3] + (n * l_out, c_out))
        np.matmul(self.cols.swapaxes(-1, -2), delta, out=self._grad_out["W"])
        if self.b is not None:
            # as a product with ones, like Dense: a reduction over the middle axes of
            # (K, n, L_out, C_out) is several times slower than K matrix-vector products
            np.matmul(_ones(n * l_out), delta, out=self._grad_out["b"])
        if not need_input_grad:
            return None
        W2 = self.W.reshape(self.W.shape[:-3] + (k * c_in, c_out))
        grad_cols = (delta @ np.swapaxes(W2, -1, -2)).reshape(grad_z.shape[:-3] + (n, l_out, k, c_in))
        left, right = PADDINGS[self.padding](k)
        length = self.input_shape[-2]
        grad_padded = np.zeros(grad_cols.shape[:-4] + (n, length + left + right, c_in), grad_cols.dtype)
        for j in range(k):
            grad_padded[..., j:j + l_out, :] += grad_cols[..., j, :]
        return grad_padded[..., left:left + length, :]

    def _gradient_shape(self, name, grad):
        # dL/dW comes out as the (k C_in, C_out) kernel matrix
        if name == "W":
            return grad.shape[:-3] + (grad.shape[-3] * grad.shape[-2], grad.shape[-1])
        return super()._gradient_shape(name, grad)

    @classmethod
    def stack(cls, layers):
        """One layer holding the weights of several same-shaped layers along axis 0."""
        W = np.stack([layer.W for layer in layers])
        b = None if layers[0].b is None else np.stack([layer.b for layer in layers])[:, None, None, :]
        return cls(W, b, layers[0].activation, layers[0].padding)

    def member(self, k):
        """The k-th layer of a stack, as a single (unstacked) layer."""
        return Conv1D(self.W[k].copy(), None if self.b is None else self.b[k, 0, 0].copy(),
                      self.activation, self.padding)
