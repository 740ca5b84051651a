import numpy as np
import pytest

from reportgen.engine import Network, RunSpec, datasets, train

# Documented in the README: the lab's 2-4-4-1 sigmoid network, MSE, plain SGD, normal init.
HEADLINE = dict(sizes=(2, 4, 4, 1), activation="sigmoid", init="normal", optimizer="sgd",
                lr=1.0, seed=0, epochs=5000)


@pytest.mark.parametrize("dataset,within", [("xor", 3500), ("linear", 1200)])
def test_headline_network_reaches_100_percent(dataset, within):
    X, y = datasets.load(dataset)
    result = train(RunSpec(**HEADLINE), X, y)
    assert result.status == "ok"
    assert result.epochs_to_100 is not None and result.epochs_to_100 <= within
    assert result.final_accuracy == 1.0
    assert len(result.loss) == len(result.accuracy) == 5001
    assert result.loss[-1] < 0.01 < result.loss[0]
    np.testing.assert_array_equal(result.network.forward(X) > 0.5, y > 0.5)


def test_accuracy_history_matches_the_network_after_each_epoch():
    X, y = datasets.xor_easy()
    spec = RunSpec(**{**HEADLINE, "epochs": 7})
    result = train(spec, X, y)
    again = train(spec.replace(epochs=3), X, y)
    np.testing.assert_array_equal(result.loss[:4], again.loss)
    net = Network.from_spec(spec)
    assert result.loss[0] == pytest.approx(float(np.mean((net.forward(X) - y) ** 2)), rel=1e-12)


def test_same_spec_same_bits():
    X, y = datasets.linear()
    spec = RunSpec(sizes=(2, 6, 1), batch_size=16, optimizer="adam", lr=0.01, epochs=40, seed=4)
    a, b = train(spec, X, y), train(spec, X, y)
    assert a.loss.tobytes() == b.loss.tobytes()
    c = train(spec.replace(seed=5), X, y)
    assert a.loss.tobytes() != c.loss.tobytes()


def test_divergence_is_a_result_not_an_exception():
    X, y = datasets.xor_easy()
    spec = RunSpec(activation="identity", output_activation="identity", lr=1e4, epochs=200)
    result = train(spec, X, y)
    assert result.status == "diverged"
    assert not np.isfinite(result.loss[-1])
    assert np.all(np.isfinite(result.loss[:-1]))
    assert len(result.loss) < 201


def test_mini_batches_train_and_batch_size_keeps_initial_weights():
    X, y = datasets.linear()
    full = train(RunSpec(epochs=1), X, y)
    mini = train(RunSpec(epochs=300, batch_size=10, lr=0.5), X, y)
    assert full.loss[0] == mini.loss[0]
    assert mini.final_accuracy >= 0.95


@pytest.mark.parametrize("field,value,message", [
    ("activation", "softplus", "activation: unknown 'softplus'; allowed: sigmoid, tanh"),
    ("optimizer", "lbfgs", "optimizer: unknown"),
    ("loss", "hinge", "loss: unknown"),
    ("init", "zeros", "init: unknown"),
    ("sizes", (3, 4, 1), "sizes: must start at 2"),
    ("sizes", (2, 4, 2), "sizes: must start at 2"),
    ("lr", 0, "lr: must be > 0"),
    ("lr", -0.1, "lr: must be > 0, got -0.1"),
    ("lr", "fast", "lr: must be a finite number"),
    ("lr", float("nan"), "lr: must be a finite number, got nan"),
    ("activation", ["sigmoid"], "activation: unknown \\['sigmoid'\\]"),
    ("epochs", 0, "epochs: must be >= 1"),
    ("epochs", 2.5, "epochs: must be an integer"),
    ("batch_size", 0, "batch_size: must be an integer >= 1"),
])
def test_invalid_specs_name_the_field(field, value, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        RunSpec(**{field: value})


def test_bce_needs_a_sigmoid_output():
    with pytest.raises(ValueError, match="loss: 'bce' needs output_activation 'sigmoid'"):
        RunSpec(loss="bce", output_activation="identity")


def test_public_api_of_the_issue():
    spec = RunSpec(sizes=(2, 4, 4, 1), activation="sigmoid", output_activation="sigmoid",
                   bias=True, init="uniform", seed=0, optimizer="sgd", lr=0.1,
                   epochs=5, batch_size=None, loss="mse")
    net = Network.from_spec(spec)
    shapes = {k: v.shape for k, v in net.parameters().items()}
    assert shapes == {"W1": (2, 4), "b1": (4,), "W2": (4, 4), "b2": (4,), "W3": (4, 1), "b3": (1,)}
    net.parameters()["W1"][:] = 0.0
    assert not net.layers[0].W.any()
    no_bias = Network.from_spec(spec.replace(bias=False))
    assert list(no_bias.parameters()) == ["W1", "W2", "W3"]
    X, y = datasets.xor_easy()
    before = {k: v.copy() for k, v in net.parameters().items()}
    loss, grads = net.loss_and_gradients(X, y, loss="mse")
    assert np.isscalar(loss) or np.ndim(loss) == 0
    assert {k: g.shape for k, g in grads.items()} == shapes
    for k, v in net.parameters().items():
        np.testing.assert_array_equal(v, before[k])
    assert net.forward(X).shape == (21, 1)
