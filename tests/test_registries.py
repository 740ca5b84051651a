"""The engine's choices are registries: an entry registered once is offered by the command
line, accepted by RunSpec and the experiment files, and (an activation) gradient-checked,
with nothing else to edit."""
import dataclasses
import textwrap

import numpy as np
import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.engine import RunSpec, datasets, train, train_many
from reportgen.engine.activations import ACTIVATIONS, ActivationEntry
from reportgen.engine.gradcheck import check
from reportgen.engine.initializers import INITIALIZERS
from reportgen.engine.losses import LOSSES
from reportgen.engine.optimizers import MOMENTUM, OPTIMIZERS, Optimizer, OptimizerEntry, \
    make_optimizer
from reportgen.engine.registry import HyperParameter, Range
from reportgen.engine.spec import FIELDS
from reportgen.experiments import ConfigError
from reportgen.experiments.config import load
from reportgen.experiments.gradchecks import check_specs


# ---------------------------------------------------------------- throwaway entries

def softsign(z, out=None):
    d = np.abs(z)
    d += 1.0
    return np.divide(z, d, out=out)


def softsign_derivative(a):
    d = 1.0 - np.abs(a)      # 1 / (1 + |z|) = 1 - |a|
    return d * d


def softsign_backprop(grad, a):
    grad *= softsign_derivative(a)
    return grad


SOFTSIGN = ActivationEntry(
    name="test_softsign", display="softsign", function=softsign,
    derivative=softsign_derivative, backprop=softsign_backprop,
    tex=r"f(z) = \frac{z}{1 + |z|}", derivative_tex=r"f'(z) = (1 - |f(z)|)^{2}")


class Signum(Optimizer):
    """v <- mu v + (1 - mu) g;  p <- p - lr sign(v)"""

    state_names = ("velocity",)

    def update(self, param, grad, state, h):
        v = state["velocity"]
        v *= h["momentum"]
        v += (1.0 - h["momentum"]) * grad
        param -= h["lr"] * np.sign(v)


SIGNUM = OptimizerEntry(
    name="test_signum", display="signum", cls=Signum,
    tex=r"v \leftarrow \mu v + (1 - \mu) g, \quad \theta \leftarrow \theta - \eta\, \mathrm{sign}(v)",
    parameters=(MOMENTUM,))


@pytest.fixture
def softsign_registered():
    with ACTIVATIONS.registered(SOFTSIGN):
        yield SOFTSIGN
    assert "test_softsign" not in ACTIVATIONS


@pytest.fixture
def signum_registered():
    with OPTIMIZERS.registered(SIGNUM):
        yield SIGNUM
    assert "test_signum" not in OPTIMIZERS


def _help():
    out = CliRunner().invoke(main, ["train", "--help"], terminal_width=200)
    assert out.exit_code == 0, out.output
    return out.output


def _experiment(tmp_path, body):
    path = tmp_path / "throwaway.toml"
    path.write_text(textwrap.dedent(body))
    return path


# ---------------------------------------------------------------- a new activation

def test_a_registered_activation_is_offered_by_train(softsign_registered):
    assert "test_softsign" in _help().split("--activation [", 1)[1].split("]", 1)[0]
    out = CliRunner().invoke(main, ["train", "--activation", "test_softsign", "--epochs", "20",
                                    "--lr", "0.5"])
    assert out.exit_code == 0, out.output
    assert "Accuracy:" in out.output


def test_a_removed_activation_is_not_offered():
    assert "test_softsign" not in _help()
    out = CliRunner().invoke(main, ["train", "--activation", "test_softsign"])
    assert out.exit_code == 2


def test_a_registered_activation_is_a_valid_spec_and_trains(softsign_registered):
    spec = RunSpec(activation="test_softsign", lr=0.5, epochs=30, seed=3)
    X, y = datasets.xor_easy()
    result = train(spec, X, y)
    assert result.status == "ok" and len(result.loss) == 31
    with pytest.raises(ValueError, match="allowed: .*identity, test_softsign$"):
        RunSpec(activation="nope")


def test_a_registered_activation_is_accepted_by_experiment_files(tmp_path, softsign_registered):
    path = _experiment(tmp_path, """
        [base]
        epochs = 10
        [sweep]
        activation = ["sigmoid", "test_softsign"]
    """)
    experiment = load(path)
    assert [s.overrides["activation"] for s in experiment.settings] == ["sigmoid", "test_softsign"]


def test_an_unregistered_activation_is_a_config_error(tmp_path):
    path = _experiment(tmp_path, """
        [sweep]
        activation = ["sigmoid", "test_softsign"]
    """)
    with pytest.raises(ConfigError, match=r"sweep\.activation\[1\]: unknown 'test_softsign'"):
        load(path)


def test_a_registered_activation_is_gradient_checked(softsign_registered):
    checks = [(label, loss, bias, spec) for label, loss, bias, spec in check_specs()
              if label == f"dense {ACTIVATIONS['test_softsign'].display}"]
    assert [(loss, bias) for _, loss, bias, _ in checks] == [
        ("mse", True), ("mse", False), ("bce", True), ("bce", False)]
    for _, _, _, spec in checks:
        assert check(spec) < 1e-6


# ---------------------------------------------------------------- a new optimizer

def test_a_registered_optimizer_is_offered_by_train(signum_registered):
    assert "test_signum" in _help().split("--optimizer [", 1)[1].split("]", 1)[0]
    out = CliRunner().invoke(main, ["train", "--optimizer", "test_signum", "--lr", "0.05",
                                    "--epochs", "20"])
    assert out.exit_code == 0, out.output


def test_a_registered_optimizer_takes_its_hyper_parameters_from_the_spec(signum_registered):
    spec = RunSpec(optimizer="test_signum", momentum=0.5, lr=0.05, epochs=25)
    with pytest.raises(ValueError, match="^momentum: must be < 1, got 1.5$"):
        spec.replace(momentum=1.5)
    # hand-computed: v1 = 0.5 * 0.5 = 0.25, p1 = 1 - 0.1; v2 = 0.125 - 0.5 = -0.375, p2 = 1
    opt = make_optimizer("test_signum", lr=0.1, momentum=0.5, rho=0.3)
    assert (opt.lr, opt.momentum) == (0.1, 0.5)
    params = {"W1": np.array([1.0])}
    trail = []
    for g in (0.5, -1.0):
        opt.step(params, {"W1": np.array([g])})
        trail.append(params["W1"][0])
    assert trail == pytest.approx([0.9, 1.0], abs=1e-15)
    # stacked with different momenta, each network trains as it does alone
    X, y = datasets.xor_easy()
    specs = [spec, spec.replace(momentum=0.8, seed=1), spec.replace(seed=2, lr=0.01)]
    for together, spec_k in zip(train_many(specs, X, y), specs, strict=True):
        alone = train(spec_k, X, y)
        assert together.loss.tobytes() == alone.loss.tobytes()


def test_a_registered_optimizer_is_accepted_by_experiment_files(tmp_path, signum_registered):
    path = _experiment(tmp_path, """
        [base]
        momentum = 0.5
        [sweep]
        optimizer = ["sgd", "test_signum"]
        lr = [0.01, 0.1]
    """)
    assert len(load(path).settings) == 4


def test_an_optimizer_needs_its_hyper_parameters_to_be_run_spec_fields():
    entry = dataclasses.replace(SIGNUM, name="test_nesterov", parameters=(
        HyperParameter("nesterov_gamma", 0.5, r"\gamma", Range(0)),))
    with OPTIMIZERS.registered(entry):
        with pytest.raises(ValueError, match="^optimizer: 'test_nesterov' takes hyper-parameter "
                                             "'nesterov_gamma', which is not a run-spec field"):
            RunSpec(optimizer="test_nesterov")
        RunSpec(optimizer="sgd")   # the others are still valid


def test_a_name_is_registered_once():
    with pytest.raises(ValueError, match="optimizer: 'adam' is already registered"):
        OPTIMIZERS.register(dataclasses.replace(SIGNUM, name="adam"))
    assert OPTIMIZERS["adam"].display == "Adam"


# ---------------------------------------------------------------- the entries describe themselves

def test_activation_entries():
    assert {name: e.display for name, e in ACTIVATIONS.items()} == {
        "sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU",
        "identity": "identity"}
    assert ACTIVATIONS["tanh"].tex == r"\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}"
    assert ACTIVATIONS["tanh"].derivative_tex == r"\tanh'(z) = 1 - \tanh^{2}(z)"
    assert {name: e.hyper for name, e in ACTIVATIONS.items() if e.hyper} == {
        "leaky_relu": {"leaky_slope": 0.01}}
    assert [name for name, e in ACTIVATIONS.items() if e.for_output] == ["sigmoid", "identity"]


def test_loss_entries():
    assert {name: (e.display, e.required_output) for name, e in LOSSES.items()} == {
        "mse": ("mean squared error", None), "bce": ("binary cross-entropy", "sigmoid")}
    assert all(e.tex.startswith("L = ") for e in LOSSES.values())


def test_optimizer_entries():
    # the lab's five (a new entry may follow them)
    assert list(OPTIMIZERS)[:5] == ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    assert {name: OPTIMIZERS[name].display for name in list(OPTIMIZERS)[:5]} == {
        "sgd": "SGD", "momentum": "momentum", "adagrad": "Adagrad", "rmsprop": "RMSprop",
        "adam": "Adam"}
    assert {name: OPTIMIZERS[name].hyper for name in list(OPTIMIZERS)[:5]} == {
        "sgd": {}, "momentum": {"momentum": 0.9}, "adagrad": {"eps": 1e-8},
        "rmsprop": {"rho": 0.9, "eps": 1e-8}, "adam": {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}}
    assert OPTIMIZERS["adam"].symbols == {"beta1": r"\beta_1", "beta2": r"\beta_2",
                                          "eps": r"\epsilon"}
    assert OPTIMIZERS["momentum"].tex == r"v \leftarrow \mu v - \eta g, \quad \theta \leftarrow \theta + v"
    assert all(e.cls.entry is e for e in OPTIMIZERS.values())


def test_initializer_entries():
    assert {name: e.description for name, e in INITIALIZERS.items()} == {
        "uniform": "uniform distribution on [0, 1)", "normal": "standard normal distribution",
        "xavier": "Glorot (Xavier) normal distribution", "he": "He normal distribution"}
    assert all(e.display and e.tex for e in INITIALIZERS.values())


def test_declared_hyper_parameters_are_run_spec_fields_with_the_same_defaults():
    defaults = RunSpec()
    for entry in (*ACTIVATIONS.values(), *OPTIMIZERS.values()):
        assert set(entry.symbols) == set(entry.hyper)
        for name, default in entry.hyper.items():
            assert name in FIELDS, (entry.name, name)
            assert getattr(defaults, name) == default, (entry.name, name)


def test_a_registered_optimizer_and_activation_reach_the_report(signum_registered,
                                                                softsign_registered):
    """The report's update rules, its count and list of optimizers and its activation
    formulas come from the registries: a new entry appears with nothing else edited."""
    from branches import render, text
    from reportgen.report.sections import extra, setups

    rules = setups.update_rules(RunSpec(momentum=0.7))
    signum = next(r for r in rules if r.name == "test_signum")
    assert signum.tex == SIGNUM.tex and [(h.symbol, h.value) for h in signum.hyper] == [("μ", 0.7)]
    assert ("test_signum", "signum") in extra.optimizer_names()
    softsign = next(f for f in extra.formulas(RunSpec(), set()) if f.name == "test_softsign")
    assert (softsign.tex, softsign.derivative_tex) == (SOFTSIGN.tex, SOFTSIGN.derivative_tex)
    import test_section_setups

    facts = test_section_setups.LAB
    page = text(render("setups", dataclasses.replace(facts, others=facts.others + [signum])))
    assert "signum: (μ = 0.7)." in page.replace(" .", ".")


def test_registered_entries_are_offered_by_the_editor_schema(softsign_registered,
                                                             signum_registered):
    from reportgen.experiments import editor_schema

    fields = editor_schema.experiment_schema()["definitions"]["field"]
    assert "test_softsign" in fields["activation"]["enum"]
    assert "test_softsign" in fields["output_activation"]["enum"]
    assert "test_signum" in fields["optimizer"]["enum"]
