"""train_many: the same results as training each network alone, whatever its stack."""
import numpy as np
import pytest

from reportgen.engine import Network, RunSpec, datasets, train, train_many
from reportgen.engine.training import reference_train

XOR = datasets.xor_easy()
LINEAR = datasets.linear()

BASE = RunSpec(sizes=(2, 4, 4, 1), epochs=40, lr=1.0)

#: A mixed list: several groups form (sizes, bias, batch size, optimizer, activation), and
#: within a group members differ in seed, init, lr and optimizer hyper-parameters.
MIXED = [
    BASE,
    BASE.replace(seed=1, lr=0.5),
    BASE.replace(sizes=(2, 3, 1), seed=2),
    BASE.replace(seed=3, init="xavier"),
    BASE.replace(optimizer="momentum", lr=0.3, momentum=0.8, seed=4),
    BASE.replace(optimizer="adam", lr=0.05, seed=5),
    BASE.replace(optimizer="adam", lr=0.02, beta1=0.8, beta2=0.99, seed=6, init="he"),
    BASE.replace(optimizer="adagrad", lr=0.3, seed=7),
    BASE.replace(optimizer="rmsprop", lr=0.01, rho=0.8, seed=8, init="uniform"),
    BASE.replace(bias=False, seed=9),
    BASE.replace(bias=False, seed=10, init="xavier"),
    # diverges: identity activations with a huge learning rate
    BASE.replace(activation="identity", output_activation="identity", lr=1e4, seed=11),
    BASE.replace(activation="identity", output_activation="identity", lr=1e-3, seed=12),
    # mini-batches: each network shuffles with its own seed
    BASE.replace(batch_size=5, seed=13),
    BASE.replace(batch_size=5, seed=14, lr=0.3),
    BASE.replace(batch_size=5, seed=15, optimizer="momentum", lr=0.1),
    BASE.replace(sizes=(2, 8, 8, 1), activation="tanh", seed=16, lr=0.2),
    BASE.replace(sizes=(2, 8, 8, 1), activation="tanh", seed=17, lr=0.1),
    BASE.replace(activation="relu", loss="bce", seed=18, init="he", lr=0.5),
    BASE.replace(activation="leaky_relu", seed=19, init="he", lr=0.5),
    BASE.replace(seed=20, lr=2.0, epochs=40),
]


def assert_same_bits(a, b):
    assert a.loss.tobytes() == b.loss.tobytes()
    assert a.accuracy.tobytes() == b.accuracy.tobytes()
    assert (a.epochs_to_100, a.status) == (b.epochs_to_100, b.status)
    for name, value in a.network.parameters().items():
        assert value.tobytes() == b.network.parameters()[name].tobytes(), name


@pytest.fixture(scope="module")
def mixed_results():
    return train_many(MIXED, *XOR)


def test_the_mixed_list_forms_several_groups_and_has_a_diverging_member(mixed_results):
    statuses = [r.status for r in mixed_results]
    assert statuses.count("diverged") == 1 and statuses[11] == "diverged"
    assert len(mixed_results[11].loss) < BASE.epochs + 1


def test_train_many_matches_the_plain_reference(mixed_results):
    """``reference_train`` (engine/training.py) defines training; the fast path gives its
    numbers and networks bit for bit."""
    X, y = XOR
    for spec, got in zip(MIXED, mixed_results, strict=True):
        assert got.spec == spec
        loss, acc, net = reference_train(spec, X, y)
        assert len(got.loss) == len(loss), spec
        assert got.loss.tobytes() == loss.tobytes(), spec
        assert got.accuracy.tobytes() == acc.tobytes(), spec
        for name, value in got.network.parameters().items():
            assert value.tobytes() == net.parameters()[name].tobytes(), (spec, name)
        reached = np.flatnonzero(acc == 1.0)
        assert got.epochs_to_100 == (int(reached[0]) if reached.size else None)
        assert got.status == ("ok" if np.isfinite(loss[-1]) else "diverged")
        if got.status == "ok":
            with np.errstate(all="ignore"):
                np.testing.assert_allclose(got.network.forward(X), net.forward(X), rtol=1e-9)


def test_train_many_equals_train_one_by_one_bit_for_bit(mixed_results):
    X, y = XOR
    for spec, got in zip(MIXED, mixed_results, strict=True):
        alone = train(spec, X, y)
        assert_same_bits(got, alone)
        assert not got.network.stacked
        with np.errstate(all="ignore"):
            np.testing.assert_array_equal(got.network.forward(X), alone.network.forward(X))


@pytest.mark.parametrize("data", [XOR, LINEAR], ids=["xor", "linear"])
@pytest.mark.parametrize("variant", [
    dict(),
    dict(sizes=(2, 3, 1)),
    dict(sizes=(2, 5, 3, 1), activation="tanh", lr=0.3),
    dict(optimizer="adam", lr=0.03),
    dict(batch_size=5),
    dict(batch_size=7, optimizer="rmsprop", lr=0.01),
    dict(bias=False, loss="bce", activation="relu", init="he", lr=0.3),
])
def test_a_member_does_not_depend_on_its_stack(data, variant):
    """The runner relies on this: results are the same whatever the batch a run lands in
    (and so whatever the number of processes)."""
    X, y = data
    spec = RunSpec(**{**dict(epochs=25), **variant})
    a = spec.replace(seed=100)
    others = [spec.replace(seed=s, lr=spec.lr * (1 + s / 10)) for s in range(1, 8)]
    b, c, d = others[:3]
    reference = train_many([a], X, y)[0]
    for stack in ([a, b], [a, c, d], [b, c, a], [d, a], others[3:] + [a] + others[:3],
                  [spec.replace(seed=s) for s in range(40)] + [a]):
        got = train_many(stack, X, y)[stack.index(a)]
        assert_same_bits(got, reference)


def test_a_member_does_not_depend_on_a_diverging_neighbour():
    X, y = XOR
    a = RunSpec(activation="identity", output_activation="identity", lr=1e-3, epochs=30)
    wild = a.replace(lr=1e4, seed=1)
    together = train_many([wild, a, wild.replace(seed=2)], X, y)
    assert [r.status for r in together] == ["diverged", "ok", "diverged"]
    assert_same_bits(together[1], train_many([a], X, y)[0])


@pytest.mark.parametrize("chunk", [1, 3, 5, 32])
def test_losses_are_the_same_whatever_the_chunk_they_are_computed_in(monkeypatch, chunk):
    """Losses and accuracies are worked out a chunk of epochs at a time: networks that
    diverge at different epochs, inside a chunk or at its edge, still stop at their own
    first non-finite loss with the parameters they had there, and the others go on."""
    from reportgen.engine import training
    monkeypatch.setattr(training, "CHUNK_EPOCHS", chunk)
    X, y = XOR
    calm = RunSpec(activation="identity", output_activation="identity", lr=1e-3, epochs=30,
                   seed=11)
    # with seed 11 these diverge after 12, 9, 8, 6 and 3 epochs
    wild = [calm.replace(lr=lr) for lr in (0.056, 0.0565, 0.06, 0.1, 1e4)]
    specs = [wild[0], calm, *wild[1:3], calm.replace(seed=3), *wild[3:], calm.replace(epochs=9)]
    got = train_many(specs, X, y)
    ends = []
    for spec, result in zip(specs, got, strict=True):
        loss, acc, net = reference_train(spec, X, y)
        assert result.loss.tobytes() == loss.tobytes()
        assert result.accuracy.tobytes() == acc.tobytes()
        for name, value in result.network.parameters().items():
            assert value.tobytes() == net.parameters()[name].tobytes(), (spec, name)
        ends.append(len(loss) - 1)
    assert ends == [12, 30, 9, 8, 30, 6, 3, 9]


def test_groups_keep_the_order_of_the_specs():
    X, y = LINEAR
    specs = [RunSpec(sizes=(2, w, 1), seed=s, epochs=5) for s in range(3) for w in (2, 3)]
    results = train_many(specs, X, y)
    assert [r.spec for r in results] == specs
    assert [r.network.parameters()["W1"].shape for r in results] == [(2, 2), (2, 3)] * 3


def test_an_empty_list_trains_nothing():
    assert train_many([], *XOR) == []


def test_large_groups_are_trained_in_several_stacks_with_the_same_results(monkeypatch):
    from reportgen.engine import training
    X, y = XOR
    specs = [RunSpec(sizes=(2, 3, 1), seed=s, epochs=10) for s in range(40)]
    whole = train_many(specs, X, y)
    monkeypatch.setattr(training, "STACK_ELEMENTS", 1)   # stacks of the minimum, 16
    for got, expected in zip(train_many(specs, X, y), whole, strict=True):
        assert_same_bits(got, expected)


def test_parameters_and_gradients_are_views_of_one_flat_array_each():
    specs = [BASE.replace(seed=s) for s in range(3)]
    stack = Network.stack([Network.from_spec(s) for s in specs])
    params = stack.parameters()
    assert stack.flat.shape == stack.flat_grad.shape == (3, stack.parameter_count())
    assert all(np.shares_memory(p, stack.flat) for p in params.values())
    stack.forward(XOR[0])
    grads = stack.backward(XOR[1])
    assert all(np.shares_memory(g, stack.flat_grad) for g in grads.values())
    assert np.count_nonzero(stack.flat_grad) > 0
    # one update of the flat array moves every parameter; keep drops whole networks
    before = {name: p.copy() for name, p in params.items()}
    stack.flat -= stack.flat_grad
    for name, p in stack.parameters().items():
        np.testing.assert_array_equal(p, before[name] - grads[name])
    stack.keep(np.array([True, False, True]))
    kept = stack.parameters()
    assert stack.flat.shape[0] == 2
    for name, p in kept.items():
        np.testing.assert_array_equal(p, (before[name] - grads[name])[[0, 2]])
        assert np.shares_memory(p, stack.flat)


def test_runs_that_differ_only_in_epochs_are_trained_once_as_prefixes(monkeypatch):
    """A shorter run is the start of the longer one: train_many trains the trajectory once
    and still gives each run exactly what training it alone gives."""
    X, y = XOR
    wild = BASE.replace(activation="identity", output_activation="identity", lr=0.1, seed=11)
    diverges_at = len(reference_train(wild, X, y)[0]) - 1
    assert 3 < diverges_at < 20
    specs = [BASE.replace(epochs=e) for e in (40, 7, 1, 40)]
    specs += [wild.replace(epochs=e) for e in (diverges_at - 2, diverges_at, diverges_at + 3, 40)]
    specs += [BASE.replace(batch_size=5, seed=13, epochs=e) for e in (12, 40)]
    specs += [BASE.replace(optimizer="adam", lr=0.05, seed=5, epochs=e) for e in (40, 15)]
    specs += [BASE.replace(seed=3, epochs=25)]
    built = []
    from_spec = Network.from_spec.__func__
    monkeypatch.setattr(Network, "from_spec",
                        classmethod(lambda cls, s: built.append(s) or from_spec(cls, s)))
    results = train_many(specs, X, y)
    assert sorted(s.epochs for s in built) == [25, 40, 40, 40, 40]
    for spec, got in zip(specs, results, strict=True):
        loss, acc, net = reference_train(spec, X, y)
        assert got.spec == spec
        assert got.loss.tobytes() == loss.tobytes()
        assert got.accuracy.tobytes() == acc.tobytes()
        assert got.status == ("diverged" if spec.epochs >= diverges_at and spec.lr == 0.1
                              else "ok")
        for name, value in got.network.parameters().items():
            assert value.tobytes() == net.parameters()[name].tobytes(), (spec, name)


@pytest.mark.parametrize("spec", [
    BASE,
    RunSpec(sizes=(2, 4, 1), conv=[{"channels": 2, "kernel": 2}], lr=1.0),
    RunSpec(sizes=(2, 3, 1), conv=[{"channels": 2, "kernel": 3, "padding": "same"}], bias=False),
], ids=["dense", "conv", "conv same"])
def test_forward_fixed_is_forward_on_the_fixed_input(spec):
    X, y = XOR
    net = Network.stack([Network.from_spec(spec.replace(seed=s)) for s in range(3)])
    fixed = net.fix_input(X)
    for _ in range(2):   # the weights change between passes: the fixed input still serves
        got = net.forward_fixed(fixed).copy()
        np.testing.assert_array_equal(got, net.forward(X))
        net.backpropagate(y)
        net.flat -= 0.5 * net.flat_grad
