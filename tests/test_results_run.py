"""results.Run: a run record's fields as attributes, its spec and trained network made once."""
import pickle

import numpy as np
import pytest

from reportgen import results
from reportgen.experiments.record import record_from_result
from reportgen.engine import Network, RunSpec, datasets, train

FIELDS = ("key", "dataset", "seed", "status", "final_loss", "final_accuracy", "epochs_to_100",
          "epochs_run", "wall_time_s")


@pytest.fixture(scope="module")
def record():
    spec = RunSpec(sizes=(2, 4, 1), lr=1.0, epochs=200, seed=3)
    X, y = datasets.load("xor")
    return record_from_result(train(spec, X, y), "xor", "k123", 0.25)


@pytest.fixture
def run(record):
    return results.Run("lr=1", record)


def test_record_fields_are_attributes(run, record):
    assert run.setting == "lr=1"
    for name in FIELDS:
        assert getattr(run, name) == record[name], name
    assert run.key == "k123" and run.dataset == "xor" and run.seed == 3
    assert run.wall_time_s == 0.25 and run.epochs_run == 200
    assert run.succeeded == (record["final_accuracy"] == 1.0)


def test_unknown_attributes_raise_attribute_error(run):
    for name in ("no_such_field", "histroy", "spec_", "parameter"):
        with pytest.raises(AttributeError):
            getattr(run, name)
    assert not hasattr(run, "final_acc")
    with pytest.raises(AttributeError):
        run.seed = 4          # fields are read from the record, not set on the run
    with pytest.raises(AttributeError):
        run.extra = 1


def test_spec_and_network_are_made_once(run, monkeypatch):
    assert run.spec is run.spec and run.spec == RunSpec.from_dict(run.record["spec"])
    built = []
    from_spec = Network.from_spec.__func__
    monkeypatch.setattr(Network, "from_spec",
                        classmethod(lambda cls, spec: built.append(spec) or from_spec(cls, spec)))
    X, _ = datasets.load("xor")
    for _ in range(3):
        run.predict(X)
        run.hidden_outputs(X)
    assert len(built) == 1


def test_predict_is_consistent_and_network_cannot_corrupt_it(run):
    X, y = datasets.load("xor")
    first = run.predict(X).copy()
    assert first.shape == (len(X), 1)
    # the network the stored parameters give, and the record's own accuracy
    assert np.array_equal(first, run.network().forward(X))
    assert float(((first > 0.5) == (y > 0.5)).mean()) == run.final_accuracy
    # a caller's network is its own: changing it changes nothing for predict
    net = run.network()
    assert net is not run.network()
    for value in net.parameters().values():
        value[...] = 0.0
    assert not np.array_equal(net.forward(X), first)
    run.predict(X)[...] = -1.0            # nor does writing into what predict returned
    assert np.array_equal(run.predict(X), first)
    assert np.array_equal(run.predict(X[:5]), first[:5])
    # the parameters are read-only
    with pytest.raises(ValueError):
        run.parameters["W1"][0, 0] = 1.0
    with pytest.raises(TypeError):
        run.parameters["W1"] = np.zeros((2, 4))
    # the hidden outputs are those of the same network
    hidden = run.hidden_outputs(X)
    assert hidden.shape == (len(X) * 4,) and np.array_equal(hidden, run.hidden_outputs(X))


def test_runs_compare_and_pickle_by_their_data(run, record):
    X, _ = datasets.load("xor")
    run.predict(X)
    copy = pickle.loads(pickle.dumps(run))
    assert copy == run and copy is not run and copy.record == record
    assert np.array_equal(copy.predict(X), run.predict(X))
    assert run != results.Run("lr=2", record)
