"""6. Questions: what activation functions, the learning rate, weights and biases are for,
answered with this build's measurements."""
from . import shared
from .base import Needs, Section

SECTION = Section(
    id="questions", title="Questions", template="sections/questions.html.j2",
    facts=shared.facts,
    needs={"no_activation": Needs(("activation", "output_activation"), 2),
           "learning_rate": Needs(("lr",), 3), "initialisation": Needs(("init", "bias"), 2)},
)
