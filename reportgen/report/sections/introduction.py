"""1. Introduction: the lab, the data sets, what was built, the key findings."""
from ...engine import datasets
from . import shared
from .base import Figure, Needs, Section, scatter


def _datasets_figure():
    return scatter.data_sets([(f"{name} ({len(X)} points)", X, y)
                              for name, (X, y) in ((n, datasets.load(n)) for n in ("linear", "xor"))])


def figures(inputs, facts):
    return [Figure("datasets", "The two data sets. Left: 100 points drawn uniformly from the "
                   "unit square, labelled by the diagonal. Right: the course's 21 fixed XOR "
                   "points. Class 0 red, class 1 blue.", _datasets_figure, width=0.8)]


SECTION = Section(
    id="introduction", title="Introduction", template="sections/introduction.html.j2",
    facts=shared.facts, figures=figures,
    needs={"main": Needs(), "learning_rate": Needs(("lr",), 3),
           "hidden_units": Needs(("sizes",), 2), "optimizers": Needs(("optimizer", "lr"), 2)},
)
