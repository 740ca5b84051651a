"""A student's engine for the Backpropagation lab, written apart from reportgen (NumPy only):
one network at a time, dense layers only, plain gradient descent only.

It follows reportgen's engine protocol: ``train(spec, X, y)`` returns a result with ``loss``,
``accuracy`` (one value per epoch, measured before each update, so ``epochs`` values) and
``network``; ``Network.from_spec``, ``parameters()`` and ``loss_and_gradients`` enable
reportgen's checks. What it does not implement it refuses with NotImplementedError.
"""
import numpy as np


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


ACTIVATIONS = {   # name: (function, derivative in terms of the output a)
    "sigmoid": (sigmoid, lambda a, spec: a * (1 - a)),
    "tanh": (np.tanh, lambda a, spec: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0), lambda a, spec: (a > 0) * 1.0),
    "identity": (lambda z: z, lambda a, spec: np.ones_like(a)),
}


def _init(rng, how, fan_in, fan_out):
    shapes = (fan_in, fan_out)
    if how == "uniform":
        return rng.random(shapes)
    if how == "normal":
        return rng.standard_normal(shapes)
    if how == "xavier":
        return rng.standard_normal(shapes) * np.sqrt(2 / (fan_in + fan_out))
    if how == "he":
        return rng.standard_normal(shapes) * np.sqrt(2 / fan_in)
    raise NotImplementedError(f"initialisation {how!r}")


class Network:
    def __init__(self, spec, rng):
        for field, value, allowed in (("activation", spec.activation, ACTIVATIONS),
                                      ("output_activation", spec.output_activation, ACTIVATIONS)):
            if value not in allowed:
                raise NotImplementedError(f"{field} {value!r}")
        if spec.conv:
            raise NotImplementedError("convolutional layers")
        self.spec = spec
        self.params = {}
        sizes = spec.sizes
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
            self.params[f"W{i}"] = _init(rng, spec.init, fan_in, fan_out)
            if spec.bias:
                self.params[f"b{i}"] = np.zeros(fan_out)
        self.layers = len(sizes) - 1

    @classmethod
    def from_spec(cls, spec):
        return cls(spec, np.random.default_rng(spec.seed))

    def parameters(self):
        return self.params

    def _activation(self, i):
        return self.spec.output_activation if i == self.layers else self.spec.activation

    def forward(self, X):
        self.outputs = [X]
        for i in range(1, self.layers + 1):
            z = self.outputs[-1] @ self.params[f"W{i}"]
            if self.spec.bias:
                z = z + self.params[f"b{i}"]
            self.outputs.append(ACTIVATIONS[self._activation(i)][0](z))
        return self.outputs[-1]

    def backward(self, y, loss):
        yhat, n = self.outputs[-1], len(y)
        if loss == "mse":
            delta = 2 * (yhat - y) / n * ACTIVATIONS[self._activation(self.layers)][1](yhat, self.spec)
        elif loss == "bce" and self.spec.output_activation == "sigmoid":
            delta = (yhat - y) / n
        else:
            raise NotImplementedError(f"loss {loss!r}")
        grads = {}
        for i in range(self.layers, 0, -1):
            grads[f"W{i}"] = self.outputs[i - 1].T @ delta
            if self.spec.bias:
                grads[f"b{i}"] = delta.sum(axis=0)
            if i > 1:
                a = self.outputs[i - 1]
                delta = (delta @ self.params[f"W{i}"].T) * ACTIVATIONS[self._activation(i - 1)][1](a, self.spec)
        return grads

    def loss_and_gradients(self, X, y, loss="mse"):
        yhat = self.forward(X)
        return loss_value(yhat, y, loss), self.backward(y, loss)


def loss_value(yhat, y, loss):
    if loss == "mse":
        return float(np.mean((yhat - y) ** 2))
    p = np.clip(yhat, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


class Result:
    def __init__(self, loss, accuracy, network):
        self.loss, self.accuracy, self.network = loss, accuracy, network


def train(spec, X, y):
    if spec.optimizer != "sgd":
        raise NotImplementedError(f"optimizer {spec.optimizer!r}: this engine has plain SGD only")
    if spec.loss not in ("mse", "bce"):
        raise NotImplementedError(f"loss {spec.loss!r}")
    net = Network.from_spec(spec)
    shuffle = np.random.default_rng([spec.seed, 7])
    batch = spec.batch_size or len(X)
    losses, accuracies = [], []
    with np.errstate(all="ignore"):
        for epoch in range(spec.epochs):
            yhat = net.forward(X)
            losses.append(loss_value(yhat, y, spec.loss))
            accuracies.append(float(np.mean((yhat > 0.5) == (y > 0.5))))
            if not np.isfinite(losses[-1]):
                break
            order = shuffle.permutation(len(X)) if batch < len(X) else np.arange(len(X))
            for start in range(0, len(X), batch):
                idx = order[start:start + batch]
                net.forward(X[idx])
                for name, grad in net.backward(y[idx], spec.loss).items():
                    net.params[name] -= spec.lr * grad
    return Result(losses, accuracies, net)
