"""2. Experiment setups: the sigmoid, the network, backpropagation and the update rules."""
import dataclasses

from .base import Figure, Needs, Part, Section, diagrams, functions

#: the lab's network, which this section's equations are written for: sigmoid hidden and
#: output units, MSE, plain gradient descent, two hidden layers (four layers of units)
LAB = dict(activation="sigmoid", output_activation="sigmoid", loss="mse", optimizer="sgd")
LAB_LAYERS = 4


@dataclasses.dataclass
class Layer:
    """One dense layer of the main network, as the shapes table lists it."""

    index: int          # 1 for the first hidden layer
    output: bool        # the output layer (else a hidden one)
    inputs: int         # rows of W
    units: int          # columns of W, length of b
    parameters: int     # weights and biases


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
    epochs: int
    batch_size: int | None       # None: full batch
    lab_like: bool               # configured as the lab's network the equations describe
    layers: list                 # Layer, input side first
    momentum: float              # μ
    rho: float                   # ρ of RMSprop
    beta1: float                 # β₁, β₂ of Adam
    beta2: float
    eps: float                   # ε of the adaptive methods


def layers(sizes, bias):
    return [Layer(i, i == len(sizes) - 1, sizes[i - 1], sizes[i],
                  sizes[i - 1] * sizes[i] + (sizes[i] if bias else 0))
            for i in range(1, len(sizes))]


def facts(inputs):
    main = inputs.results["main"]
    spec = main.runs(main.settings[0], "xor")[0].spec
    hyper = inputs.results["optimizers"].runs()[0].spec
    lab_like = (all(getattr(spec, k) == v for k, v in LAB.items())
                and len(spec.sizes) == LAB_LAYERS and not spec.conv)
    return SetupsFacts(
        sizes=list(spec.sizes), activation=spec.activation,
        output_activation=spec.output_activation, bias=spec.bias, loss=spec.loss,
        optimizer=spec.optimizer, lr=spec.lr, init=spec.init, epochs=spec.epochs,
        batch_size=spec.batch_size, lab_like=lab_like, layers=layers(spec.sizes, spec.bias),
        momentum=hyper.momentum, rho=hyper.rho, beta1=hyper.beta1, beta2=hyper.beta2,
        eps=hyper.eps)


def figures(inputs, facts):
    return [
        Figure("sigmoid", "The logistic sigmoid σ(z) and its derivative "
               "σ'(z) = σ(z)(1 − σ(z)), which never exceeds 0.25.",
               lambda: functions.activation("sigmoid"), width=0.55),
        Figure("network", f"The main network, drawn from experiments/main.toml: "
               f"{'-'.join(map(str, facts.sizes))} units, {facts.activation} hidden and "
               f"{facts.output_activation} output units, "
               f"{'with' if facts.bias else 'without'} biases.",
               lambda: diagrams.network(tuple(facts.sizes), activation=facts.activation,
                                        output_activation=facts.output_activation,
                                        bias=facts.bias), ("main",), 0.9),
    ]


SECTION = Section(
    id="setups", title="Experiment setups", template="sections/setups.html.j2",
    facts=facts, figures=figures, needs={"main": Needs(), "optimizers": Needs()},
    parts=(Part("sigmoid", "Sigmoid functions"), Part("network", "Neural network"),
           Part("backprop", "Backpropagation")),
)
