"""5. Extra: optimizers, activation functions, convolutional layers."""
from . import shared
from .base import Figure, Needs, Part, Section, Table, curves, diagrams, functions
from .results import BOTH
from .tables import SWEEP_COLUMNS, sweep_caption, sweep_table


def _widest_conv_spec(res):
    specs = [res.runs(setting)[0].spec for setting in res.settings]
    conv_specs = [s for s in specs if s.conv]
    return max(conv_specs, key=lambda s: (s.conv[0].channels, s.conv[0].padding == "valid"))


def figures(inputs, facts):
    opt, act, conv = (inputs.results[k] for k in ("optimizers", "activations", "convolution"))
    best_opt = [r.setting for r in facts.best_opt.values()]
    best_act = [r.setting for r in facts.best_act.values()]
    return [
        Figure("optimizer_curves", "Training loss of each optimizer at its best learning rate "
               "(mean over seeds, band min to max).",
               lambda: curves.overlay(opt, best_opt, BOTH, legend_title="optimizer"),
               ("optimizers",)),
        Figure("activation_functions", "The hidden activations the engine implements (solid) "
               "and their derivatives (dashed).", lambda: functions.activations(), width=1.0),
        Figure("activation_curves", "Training loss for each hidden activation at its best "
               "learning rate (mean over seeds, band min to max).",
               lambda: curves.overlay(act, best_act, BOTH, legend_title="activation"),
               ("activations",)),
        Figure("conv_network", "The convolutional network of the experiment with the most "
               "channels, as drawn from its configuration: the fixed lift, the convolution "
               "with one kernel window (orange) and the output cell it produces, flatten, "
               "dense layer, output.", lambda: diagrams.conv_network(_widest_conv_spec(conv)),
               ("convolution",), 0.95),
        Figure("conv_curves", "Training loss of the convolutional networks and the dense "
               "networks of similar size (mean over seeds, band min to max).",
               lambda: curves.overlay(conv, conv.settings, BOTH, legend_title="network"),
               ("convolution",)),
    ]


def tables(inputs, facts):
    f = inputs.sweeps
    conv = f["convolution"]
    conv_rows = sweep_table("conv", "", conv).rows
    return [sweep_table("optimizers", "Optimizers at three learning rates", f["optimizers"]),
            sweep_table("activations", "Hidden activations at two learning rates",
                        f["activations"]),
            Table("conv", sweep_caption("Convolutional and dense networks", conv.seeds),
                  ["network", "parameters"] + SWEEP_COLUMNS[1:],
                  [[row[0], facts.cf["params"][row[0]]] + row[1:] for row in conv_rows])]


def _both_kinds(experiment):
    """The convolution experiment needs convolutional and dense variants."""
    conv = ["conv" in s.overrides for s in experiment.settings]
    if not any(conv) or all(conv):
        return "the report compares convolutional with dense networks: it needs variants of both kinds"
    return None


SECTION = Section(
    id="extra", title="Extra", template="sections/extra.html.j2",
    facts=shared.facts, figures=figures, tables=tables,
    needs={"optimizers": Needs(("optimizer", "lr"), 2),
           "activations": Needs(("activation", "lr"), 2),
           "convolution": Needs((), 2, _both_kinds)},
    parts=(Part("optimizers", "Implement different optimizers"),
           Part("activations", "Implement different activation functions"),
           Part("convolution", "Implement convolutional layers")),
)
