"""2. Experiment setups: the sigmoid, the network, backpropagation and the update rules."""
from . import shared
from .base import Figure, Part, Section, diagrams, functions


def figures(inputs, facts):
    spec = facts.main_spec
    return [
        Figure("sigmoid", "The logistic sigmoid σ(z) and its derivative "
               "σ'(z) = σ(z)(1 − σ(z)), which never exceeds 0.25.",
               lambda: functions.activation("sigmoid"), width=0.55),
        Figure("network", f"The main network, drawn from experiments/main.toml: "
               f"{'-'.join(map(str, spec.sizes))} units, {spec.activation} hidden and "
               f"{spec.output_activation} output units, "
               f"{'with' if spec.bias else 'without'} biases.",
               lambda: diagrams.network(spec.sizes, activation=spec.activation,
                                        output_activation=spec.output_activation,
                                        bias=spec.bias), ("main",), 0.9),
    ]


SECTION = Section(
    id="setups", title="Experiment setups", template="sections/setups.html.j2",
    facts=shared.facts, figures=figures,
    parts=(Part("sigmoid", "Sigmoid functions"), Part("network", "Neural network"),
           Part("backprop", "Backpropagation")),
)
