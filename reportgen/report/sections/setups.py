"""2. Experiment setups: the sigmoid, the network, backpropagation and the update rules."""
import dataclasses

import numpy as np

from ...engine.activations import ACTIVATIONS, SIGMOID_EXP_CAP
from ...engine.initializers import INITIALIZERS
from ...engine.optimizers import OPTIMIZERS
from ...i18n import N_, _

from .base import Figure, Needs, Part, Section, diagrams, functions

#: the lab's network, which this section's equations are written for: sigmoid hidden and
#: output units, MSE, plain gradient descent, two hidden layers (four layers of units)
LAB = dict(activation="sigmoid", output_activation="sigmoid", loss="mse", optimizer="sgd")
LAB_LAYERS = 4
#: the optimizer the equations of backpropagation end with, the others listed after it
PLAIN = "sgd"
#: hyper-parameter symbols as the prose writes them (others appear as equations)
UNICODE_SYMBOLS = {r"\mu": "μ", r"\rho": "ρ", r"\beta_1": "β₁", r"\beta_2": "β₂",
                   r"\epsilon": "ε"}
#: the hyper-parameter stated once for all the optimizers that have it
SHARED = "eps"


@dataclasses.dataclass
class Layer:
    """One dense layer of the main network, as the shapes table lists it."""

    index: int          # 1 for the first hidden layer
    output: bool        # the output layer (else a hidden one)
    inputs: int         # rows of W
    units: int          # columns of W, length of b
    parameters: int     # weights and biases


@dataclasses.dataclass
class Hyper:
    """One hyper-parameter of an update rule, with the value the optimizer experiment uses."""

    name: str           # the RunSpec field
    symbol: str         # as the prose writes it ("μ"), or None: then ``tex`` is shown
    tex: str
    value: float


@dataclasses.dataclass
class UpdateRule:
    """One optimizer of the engine's registry, as the section writes its update."""

    name: str
    display: str
    tex: str             # the update
    where_tex: str | None  # what the update's symbols stand for (Adam's bias corrections)
    hyper: list          # Hyper, but the shared one


@dataclasses.dataclass
class SetupsFacts:
    """The main network's configuration (experiments/main.toml) and the hyper-parameters of
    the optimizers of the optimizer experiment."""

    sizes: list                  # units per layer, input first
    activation: str              # hidden units
    output_activation: str
    bias: bool
    loss: str
    optimizer: str
    lr: float
    init: str                    # "normal", "uniform", "xavier" or "he"
    init_description: str        # the distribution the weights are drawn from (the registry's)
    epochs: int
    batch_size: int | None       # None: full batch
    sigmoid_peak: float          # the largest slope of the sigmoid, σ'(0), as the code computes it
    lab_like: bool               # configured as the lab's network the equations describe
    layers: list                 # Layer, input side first
    plain: UpdateRule            # plain gradient descent
    plain_is_main: bool          # the main network is trained with it
    others: list                 # UpdateRule of every other optimizer, in the registry's order
    shared: Hyper | None         # the hyper-parameter the others share (ε), if any has it
    engine: str                  # the engine module's name
    listings: list               # listings.Listing: its code, in the order they are shown
    exp_cap: float | None = None  # the built-in engine's cap on the sigmoid's exponent (None:
                                 # another engine, whose code this section does not describe)


def layers(sizes, bias):
    return [Layer(i, i == len(sizes) - 1, sizes[i - 1], sizes[i],
                  sizes[i - 1] * sizes[i] + (sizes[i] if bias else 0))
            for i in range(1, len(sizes))]


def _sigmoid_peak():
    """σ'(0), from the code's sigmoid and its derivative."""
    from ...engine.activations import sigmoid, sigmoid_derivative

    return float(sigmoid_derivative(sigmoid(np.zeros(1)))[0])


def facts(inputs):
    main = inputs.results["main"]
    spec = main.runs(main.settings[0], "xor")[0].spec
    hyper_spec = inputs.results["optimizers"].runs()[0].spec
    rules = update_rules(hyper_spec)
    shared = next((h for rule in rules for h in rule.hyper if h.name == SHARED), None)
    for rule in rules:
        rule.hyper = [h for h in rule.hyper if h.name != SHARED]
    lab_like = (all(getattr(spec, k) == v for k, v in LAB.items())
                and len(spec.sizes) == LAB_LAYERS and not spec.conv)
    return SetupsFacts(
        sizes=list(spec.sizes), activation=spec.activation,
        output_activation=spec.output_activation, bias=spec.bias, loss=spec.loss,
        optimizer=spec.optimizer, lr=spec.lr, init=spec.init,
        init_description=INITIALIZERS[spec.init].description, epochs=spec.epochs,
        batch_size=spec.batch_size, sigmoid_peak=_sigmoid_peak(), lab_like=lab_like, layers=layers(spec.sizes, spec.bias),
        plain=next(r for r in rules if r.name == PLAIN), plain_is_main=spec.optimizer == PLAIN,
        others=[r for r in rules if r.name != PLAIN], shared=shared,
        engine=inputs.code.engine, listings=list(inputs.code.listings),
        exp_cap=SIGMOID_EXP_CAP if inputs.code.builtin else None)


def update_rules(spec):
    """The update rule of every registered optimizer, its hyper-parameters at ``spec``'s."""
    return [UpdateRule(entry.name, entry.display, entry.tex, entry.where_tex,
                       [Hyper(p.name, UNICODE_SYMBOLS.get(p.symbol), p.symbol,
                              getattr(spec, p.name)) for p in entry.parameters])
            for entry in OPTIMIZERS.values()]


def figures(inputs, facts):
    sigmoid = _("The logistic sigmoid σ(z) and its derivative σ'(z) = σ(z)(1 − σ(z)), which "
                "never exceeds {peak}.").format(peak=f"{facts.sigmoid_peak:g}")
    network = (_("The main network, drawn from its configuration: {sizes} units, {hidden} "
                 "hidden and {output} output units, with biases.") if facts.bias else
               _("The main network, drawn from its configuration: {sizes} units, {hidden} "
                 "hidden and {output} output units, without biases.")).format(
        sizes="-".join(map(str, facts.sizes)),
        hidden=_(ACTIVATIONS[facts.activation].display),
        output=_(ACTIVATIONS[facts.output_activation].display))
    return [
        Figure("sigmoid", sigmoid, lambda: functions.activation("sigmoid"), width=0.55),
        Figure("network", network,
               lambda: diagrams.network(tuple(facts.sizes), activation=facts.activation,
                                        output_activation=facts.output_activation,
                                        bias=facts.bias), ("main",), 0.9),
    ]


SECTION = Section(
    id="setups", title=N_("Experiment setups"), template="sections/setups.html.j2",
    facts=facts, figures=figures, needs={"main": Needs(), "optimizers": Needs(partial=True)},
    parts=(Part("sigmoid", N_("Sigmoid functions")), Part("network", N_("Neural network")),
           Part("backprop", N_("Backpropagation"))),
)
