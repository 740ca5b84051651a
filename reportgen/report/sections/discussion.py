"""4. Discussion: learning rates, hidden widths, no activation functions, initialisation."""
from . import shared
from .base import Figure, Needs, Part, Section, curves
from .results import BOTH, boundaries
from .tables import sweep_table


def figures(inputs, facts):
    lr, hidden, noact, init = (inputs.results[k] for k in
                               ("learning_rate", "hidden_units", "no_activation", "initialisation"))
    return [
        Figure("lr_curves", "Training loss for each learning rate (mean over seeds, band min "
               "to max).", lambda: curves.overlay(lr, lr.settings, BOTH,
                                                  legend_title="learning rate"),
               ("learning_rate",)),
        Figure("hidden_curves", "Training loss for each hidden width (units per hidden layer; "
               "mean over seeds, band min to max).",
               lambda: curves.overlay(hidden, hidden.settings, BOTH, legend_title="layer sizes"),
               ("hidden_units",)),
        Figure("noact_curves", "Training loss with and without activation functions (mean "
               "over seeds, band min to max; a dotted line marks where a run diverged).",
               lambda: curves.overlay(noact, noact.settings, BOTH, legend_title="network"),
               ("no_activation",)),
        Figure("noact_boundaries", "Decision boundaries without hidden activations (seed 0): "
               "the boundary of a linear model is a straight line.",
               lambda: boundaries(noact, [(noact.settings[1], "identity hidden")], BOTH),
               ("no_activation",), 0.9),
        Figure("init_curves", "Training loss for each initialisation, with biases (mean over "
               "seeds, band min to max).",
               lambda: curves.overlay(init, [s for s in init.settings
                                             if init.overrides(s)["bias"]],
                                      BOTH, legend_title="initialisation"),
               ("initialisation",)),
    ]


def tables(inputs, facts):
    f = inputs.sweeps
    return [sweep_table("lr", "Learning rates", f["learning_rate"]),
            sweep_table("hidden", "Hidden widths", f["hidden_units"]),
            sweep_table("noact", "With and without activation functions", f["no_activation"]),
            sweep_table("init", "Initialisations and biases", f["initialisation"])]


SECTION = Section(
    id="discussion", title="Discussion", template="sections/discussion.html.j2",
    facts=shared.facts, figures=figures, tables=tables,
    needs={"learning_rate": Needs(("lr",), 3), "hidden_units": Needs(("sizes",), 2),
           "no_activation": Needs(("activation", "output_activation"), 2),
           "initialisation": Needs(("init", "bias"), 2)},
    parts=(Part("learning_rate", "Try different learning rates"),
           Part("hidden_units", "Try different numbers of hidden units"),
           Part("no_activation", "Try without activation functions"),
           Part("other", "Anything you want to share: initialisation and biases")),
)
