"""Gradient-descent optimizers: one small class each, registered with its description.

``step(params, grads)`` updates the parameter arrays in place. Hyper-parameters are
floats, or arrays of shape (K,) when K networks are trained as one stack (parameters
then have a leading axis of size K); ``keep(mask)`` drops networks from the stack.

Each class is registered in ``OPTIMIZERS`` by the ``optimizer`` decorator, with its
display name, its update rule in TeX and the hyper-parameters it takes (declared once
below, shared by the optimizers that take them: each is a RunSpec field of that name).
An optimizer object holds its hyper-parameters as named attributes (``opt.lr``,
``opt.momentum``), with the declared defaults for those not given.
"""
import dataclasses

import numpy as np

from .registry import HyperParameter, Range, Registry, WithHyperParameters

#: the learning rate, which every optimizer takes (it is not in their ``hyper``)
LEARNING_RATE = HyperParameter("lr", 1.0, r"\eta", Range(0), "learning rate")
MOMENTUM = HyperParameter("momentum", 0.9, r"\mu", Range(0, 1, low_inclusive=True),
                          "momentum coefficient")
RHO = HyperParameter("rho", 0.9, r"\rho", Range(0, 1, low_inclusive=True),
                     "decay of the running mean of squared gradients")
BETA1 = HyperParameter("beta1", 0.9, r"\beta_1", Range(0, 1, low_inclusive=True),
                       "decay of the running mean of gradients")
BETA2 = HyperParameter("beta2", 0.999, r"\beta_2", Range(0, 1, low_inclusive=True),
                       "decay of the running mean of squared gradients")
EPS = HyperParameter("eps", 1e-8, r"\epsilon", Range(0), "added to the divisor")


@dataclasses.dataclass(frozen=True, eq=False)
class OptimizerEntry(WithHyperParameters):
    """One optimizer: its class, its hyper-parameters and how the report writes it."""

    name: str
    #: the name in the report's prose ("RMSprop")
    display: str
    #: the Optimizer subclass
    cls: type
    #: the update rule, TeX (theta: a parameter, g: its gradient, eta: the learning rate)
    tex: str
    #: HyperParameter declarations besides the learning rate
    parameters: tuple = ()
    #: definitions the update rule uses, TeX (Adam's bias-corrected moments), or None
    where_tex: str | None = None

    def make(self, lr, **hyper):
        """An optimizer object with learning rate ``lr`` and the hyper-parameters it takes
        from ``hyper`` (defaults for those missing; others are ignored)."""
        return self.cls(lr, **{name: hyper.get(name, default)
                               for name, default in self.hyper.items()})


#: name -> OptimizerEntry, in the order the report lists them
OPTIMIZERS = Registry("optimizer")


def optimizer(name, display, tex, parameters=(), where_tex=None):
    """Class decorator: register the class as optimizer ``name`` (see ``OptimizerEntry``)."""
    def register(cls):
        cls.entry = OPTIMIZERS.register(OptimizerEntry(name, display, cls, tex, tuple(parameters),
                                                       where_tex))
        return cls
    return register


class Optimizer:
    """Holds hyper-parameters and per-parameter state; subclasses write ``update``."""

    #: names of the per-parameter state arrays, each initialised to zeros
    state_names = ()
    #: the registry entry (set by the ``optimizer`` decorator): its hyper-parameters'
    #: defaults apply to those not given
    entry = None

    def __init__(self, lr, **hyper):
        declared = self.entry.hyper if self.entry is not None else hyper
        unknown = sorted(set(hyper) - set(declared))
        if unknown:
            raise TypeError(f"{type(self).__name__} takes no hyper-parameter {unknown[0]!r}")
        #: names of the hyper-parameters, each a named attribute: lr first
        self.hyper_names = ("lr",) + tuple(declared)
        self.lr = lr
        for name, default in declared.items():
            setattr(self, name, hyper.get(name, default))
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

    @property
    def hyper(self):
        """{name: value} of the hyper-parameters, lr included."""
        return {name: getattr(self, name) for name in self.hyper_names}

    def keep(self, mask):
        """Keep only the stacked networks where ``mask`` is true."""
        for name, value in self.hyper.items():
            if np.ndim(value):
                setattr(self, name, value[mask])
        for state in self.state.values():
            for key in state:
                state[key] = state[key][mask]
        self._shaped.clear()
        self._slots.clear()

    def _hyper_for(self, param):
        """Hyper-parameters shaped to broadcast against ``param`` (K values along axis 0)."""
        if param.ndim not in self._shaped:
            shaped = {
                name: np.reshape(value, (-1,) + (1,) * (param.ndim - 1)) if np.ndim(value) else value
                for name, value in self.hyper.items()
            }
            self._shaped[param.ndim] = {**shaped, **self.derived(shaped)}
        return self._shaped[param.ndim]

    def derived(self, h):
        """Constants ``update`` computes from the hyper-parameters (such as 1 - rho), worked
        out once instead of on every step: the same expressions, so the same bits."""
        return {}


@optimizer("sgd", "SGD", r"\theta \leftarrow \theta - \eta\, g")
class SGD(Optimizer):
    """p <- p - lr g"""

    def __init__(self, lr, **hyper):
        super().__init__(lr, **hyper)
        self._unit_lr = bool(np.all(np.asarray(lr) == 1.0))

    def update(self, param, grad, state, h):
        if self._unit_lr:  # 1 g is g exactly: one array operation instead of two
            param -= grad
        else:
            param -= h["lr"] * grad


@optimizer("momentum", "momentum",
           r"v \leftarrow \mu v - \eta g, \quad \theta \leftarrow \theta + v",
           parameters=(MOMENTUM,))
class Momentum(Optimizer):
    """v <- mu v - lr g;  p <- p + v"""

    state_names = ("velocity",)

    def update(self, param, grad, state, h):
        v = state["velocity"]
        v *= h["momentum"]
        v -= h["lr"] * grad
        param += v


def _divided_step(param, grad, accumulated, scratch, h):
    """p <- p - lr g / (sqrt(accumulated) + eps), in the formula's order; the divisor is
    computed in ``scratch``, an array of the parameter's shape that is free to overwrite."""
    divisor = np.sqrt(accumulated, out=scratch)
    divisor += h["eps"]
    step = h["lr"] * grad
    step /= divisor
    param -= step


@optimizer("adagrad", "Adagrad",
           r"G \leftarrow G + g^{2}, \quad \theta \leftarrow \theta - \eta\, g / (\sqrt{G} + \epsilon)",
           parameters=(EPS,))
class Adagrad(Optimizer):
    """G <- G + g^2;  p <- p - lr g / (sqrt(G) + eps)"""

    state_names = ("sum_sq",)

    def update(self, param, grad, state, h):
        # the formula's operations in its order; g^2's array then holds the divisor
        sum_sq = state["sum_sq"]
        grad_sq = np.multiply(grad, grad)
        sum_sq += grad_sq
        _divided_step(param, grad, sum_sq, grad_sq, h)


@optimizer("rmsprop", "RMSprop",
           r"S \leftarrow \rho S + (1 - \rho) g^{2}, \quad "
           r"\theta \leftarrow \theta - \eta\, g / (\sqrt{S} + \epsilon)",
           parameters=(RHO, EPS))
class RMSprop(Optimizer):
    """S <- rho S + (1 - rho) g^2;  p <- p - lr g / (sqrt(S) + eps)"""

    state_names = ("mean_sq",)

    def derived(self, h):
        return {"1-rho": 1.0 - h["rho"]}

    def update(self, param, grad, state, h):
        # the formula's operations in its order; (1 - rho) g^2's array then holds the divisor
        mean_sq = state["mean_sq"]
        mean_sq *= h["rho"]
        new_sq = h["1-rho"] * grad
        new_sq *= grad
        mean_sq += new_sq
        _divided_step(param, grad, mean_sq, new_sq, h)


def _bias_correction(beta, t):
    """1 - beta^t, each power by the C library's pow as for a single float: NumPy's
    vectorised power can differ from it in the last bit (it does on AVX-512 machines), and a
    network must train the same alone as in a stack."""
    if np.ndim(beta):
        # one pow per distinct beta: a stack of many networks usually shares a few
        values, where = np.unique(beta, return_inverse=True)
        powers = np.array([float(b) ** t for b in values])
        return 1.0 - powers[where].reshape(np.shape(beta))
    return 1.0 - beta ** t


@optimizer("adam", "Adam",
           r"m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad "
           r"v \leftarrow \beta_2 v + (1 - \beta_2) g^{2}, \quad "
           r"\theta \leftarrow \theta - \eta\, \hat{m} / (\sqrt{\hat{v}} + \epsilon)",
           parameters=(BETA1, BETA2, EPS),
           where_tex=r"\hat{m} = m / (1 - \beta_1^{t}), \ \hat{v} = v / (1 - \beta_2^{t})")
class Adam(Optimizer):
    """m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    p <- p - lr m^ / (sqrt(v^) + eps), with m^ = m / (1 - b1^t), v^ = v / (1 - b2^t)"""

    state_names = ("m", "v")

    def __init__(self, lr, **hyper):
        super().__init__(lr, **hyper)
        self._corrections = {}

    def derived(self, h):
        return {"1-beta1": 1.0 - h["beta1"], "1-beta2": 1.0 - h["beta2"]}

    def step(self, params, grads):
        self._corrections = {}  # id(shaped hyper-parameters) -> bias corrections at this t
        super().step(params, grads)

    def update(self, param, grad, state, h):
        corrections = self._corrections.get(id(h))
        if corrections is None:  # the same for every parameter of a step
            corrections = self._corrections[id(h)] = (_bias_correction(h["beta1"], self.t),
                                                       _bias_correction(h["beta2"], self.t))
        # The formula's operations in its order. Two temporary arrays serve throughout, each
        # renamed for what it holds at each stage: the first holds (1 - b1) g, then m^, then
        # the step lr m^ / (sqrt(v^) + eps); the second (1 - b2) g^2, then v^, then the
        # divisor sqrt(v^) + eps.
        m, v = state["m"], state["v"]
        m *= h["beta1"]
        new_m = h["1-beta1"] * grad
        m += new_m
        v *= h["beta2"]
        new_v = h["1-beta2"] * grad
        new_v *= grad
        v += new_v
        m_hat = np.divide(m, corrections[0], out=new_m)
        v_hat = np.divide(v, corrections[1], out=new_v)
        divisor = np.sqrt(v_hat, out=v_hat)
        divisor += h["eps"]
        step = np.multiply(h["lr"], m_hat, out=m_hat)
        step /= divisor
        param -= step


def make_optimizer(name, lr, **hyper):
    """Build the named optimizer from lr and the hyper-parameters it takes (others ignored;
    defaults for those missing)."""
    return OPTIMIZERS[name].make(lr, **hyper)
