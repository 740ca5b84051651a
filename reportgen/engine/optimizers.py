"""Gradient-descent optimizers, one small class each.

``step(params, grads)`` updates the parameter arrays in place. Hyper-parameters are
floats, or arrays of shape (K,) when K networks are trained as one stack (parameters
then have a leading axis of size K); ``keep(mask)`` drops networks from the stack.
"""
import numpy as np


class Optimizer:
    """Holds hyper-parameters and per-parameter state; subclasses write ``update``."""

    #: names of the per-parameter state arrays, each initialised to zeros
    state_names = ()

    def __init__(self, lr, **hyper):
        self.hyper = {"lr": lr, **hyper}
        self.state = {}
        self.t = 0
        self._shaped = {}
        self._slots = {}  # name -> (state, shaped hyper-parameters), cleared by keep

    def step(self, params, grads):
        """Apply one update to every array in ``params`` from the same-named ``grads``."""
        self.t += 1
        slots = self._slots
        update = self.update
        for name, param in params.items():
            slot = slots.get(name)
            if slot is None:
                if name not in self.state:
                    self.state[name] = {s: np.zeros_like(param) for s in self.state_names}
                slot = slots[name] = (self.state[name], self._hyper_for(param))
            update(param, grads[name], *slot)

    def update(self, param, grad, state, hyper):
        raise NotImplementedError

    def keep(self, mask):
        """Keep only the stacked networks where ``mask`` is true."""
        for name, value in self.hyper.items():
            if np.ndim(value):
                self.hyper[name] = value[mask]
        for state in self.state.values():
            for key in state:
                state[key] = state[key][mask]
        self._shaped.clear()
        self._slots.clear()

    def _hyper_for(self, param):
        """Hyper-parameters shaped to broadcast against ``param`` (K values along axis 0)."""
        if param.ndim not in self._shaped:
            self._shaped[param.ndim] = {
                name: np.reshape(value, (-1,) + (1,) * (param.ndim - 1)) if np.ndim(value) else value
                for name, value in self.hyper.items()
            }
        return self._shaped[param.ndim]


class SGD(Optimizer):
    """p <- p - lr g"""

    def update(self, param, grad, state, h):
        param -= h["lr"] * grad


class Momentum(Optimizer):
    """v <- mu v - lr g;  p <- p + v"""

    state_names = ("velocity",)

    def update(self, param, grad, state, h):
        v = state["velocity"]
        v *= h["momentum"]
        v -= h["lr"] * grad
        param += v


class Adagrad(Optimizer):
    """G <- G + g^2;  p <- p - lr g / (sqrt(G) + eps)"""

    state_names = ("sum_sq",)

    def update(self, param, grad, state, h):
        state["sum_sq"] += grad * grad
        param -= h["lr"] * grad / (np.sqrt(state["sum_sq"]) + h["eps"])


class RMSprop(Optimizer):
    """S <- rho S + (1 - rho) g^2;  p <- p - lr g / (sqrt(S) + eps)"""

    state_names = ("mean_sq",)

    def update(self, param, grad, state, h):
        s = state["mean_sq"]
        s *= h["rho"]
        s += (1.0 - h["rho"]) * grad * grad
        param -= h["lr"] * grad / (np.sqrt(s) + h["eps"])


class Adam(Optimizer):
    """m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    p <- p - lr m^ / (sqrt(v^) + eps), with m^ = m / (1 - b1^t), v^ = v / (1 - b2^t)"""

    state_names = ("m", "v")

    def update(self, param, grad, state, h):
        m, v = state["m"], state["v"]
        m *= h["beta1"]
        m += (1.0 - h["beta1"]) * grad
        v *= h["beta2"]
        v += (1.0 - h["beta2"]) * grad * grad
        m_hat = m / (1.0 - h["beta1"] ** self.t)
        v_hat = v / (1.0 - h["beta2"] ** self.t)
        param -= h["lr"] * m_hat / (np.sqrt(v_hat) + h["eps"])


#: name -> (class, names of the RunSpec fields it takes besides lr)
OPTIMIZERS = {
    "sgd": (SGD, ()),
    "momentum": (Momentum, ("momentum",)),
    "adagrad": (Adagrad, ("eps",)),
    "rmsprop": (RMSprop, ("rho", "eps")),
    "adam": (Adam, ("beta1", "beta2", "eps")),
}


def make_optimizer(name, lr, **hyper):
    """Build the named optimizer from lr and the hyper-parameters it takes (others ignored)."""
    cls, fields = OPTIMIZERS[name]
    return cls(lr, **{f: hyper[f] for f in fields})
