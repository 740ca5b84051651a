"""5. Extra: optimizers, activation functions, convolutional layers."""
import dataclasses

from ...engine.activations import ACTIVATIONS
from ...engine.optimizers import OPTIMIZERS
from ...results import Summary
from ..facts import NEAR_CHANCE, Row, SweepFacts
from ..filters import words
from .base import Figure, Needs, Part, Section, Table, curves, diagrams, functions
from .discussion import NO_ACTIVATION
from .results import BOTH, DATASET_NAMES, OnDataset
from ...experiments.summary import summary_rows
from .tables import SWEEP_COLUMNS, sweep_caption, sweep_table

#: the data set the comparisons of this section are made on
XOR = "xor"
#: the optimizer the others are measured against ("times fewer epochs than plain SGD")
BASELINE_OPTIMIZER = "sgd"
#: the lab's activation, which the others are introduced as alternatives to
REFERENCE_ACTIVATION = "sigmoid"
#: the activations compared pairwise: the one whose derivative peaks at 1 against the sigmoid;
#: ReLU, which can die, against leaky ReLU, which cannot
TANH, RELU, LEAKY_RELU = "tanh", "relu", "leaky_relu"

#: where running prose names one differently from its display name
PROSE_NAMES = {"sgd": "plain SGD", "identity": "the identity"}



def optimizer_names():
    """(name, display name) of every optimizer the engine implements, in the engine's order."""
    return [(name, entry.display) for name, entry in OPTIMIZERS.items()]


def activation_names():
    """(name, display name) of every activation the engine implements, in the engine's order."""
    return [(name, entry.display) for name, entry in ACTIVATIONS.items()]


def prose_name(name, display):
    return PROSE_NAMES.get(name, display)


# --- the facts ------------------------------------------------------------------------------

@dataclasses.dataclass
class BestSetting:
    """An optimizer (or activation) at its best learning rate."""

    name: str           # as the engine names it: "adam", "leaky_relu"
    setting: str
    lr: float
    outcomes: list      # OnDataset, one per data set, in the experiment's order


@dataclasses.dataclass
class Pick:
    """A setting chosen for its speed on XOR."""

    name: str           # the optimizer or activation
    setting: str
    lr: float
    epochs: float       # median epochs to first reach 100% on XOR


@dataclasses.dataclass
class NearChance:
    """Settings near chance on XOR, by where their step lies against their optimizer's best."""

    side: str           # "small", "large" or "best"
    settings: list      # setting labels


@dataclasses.dataclass
class OptimizerFacts:
    engine: list                 # prose names of every optimizer of the engine: "plain SGD", ...
    engine_count: int
    lrs: list                    # the learning rates of the sweep, in its order
    epochs: int
    best: list                   # BestSetting per optimizer, in the sweep's order
    fastest_xor: Pick | None     # the fastest at its best to solve every XOR seed
    speedup: float | None        # baseline's median epochs / fastest's; None when the fastest
    #                              is the baseline or the baseline failed some XOR seed
    near_chance_level: float
    near_chance: list            # NearChance, non-empty groups only: small, large, best


@dataclasses.dataclass
class Formula:
    """An activation of the engine's registry, its definition and derivative as TeX."""

    name: str
    display: str
    tex: str
    derivative_tex: str
    hyper: list                  # (symbol, value) of its hyper-parameters, at the sweep's
    no_activation: bool          # what the no-activation experiment puts in the sigmoid's place


@dataclasses.dataclass
class ActivationFacts:
    engine: list                 # prose names of the engine's activations besides the sigmoid
    formulas: list               # Formula of each of them, in the registry's order
    lrs: list                    # the learning rates of the sweep
    best: list                   # BestSetting per activation, in the sweep's order
    fastest_xor: Pick | None     # among the activations at their best, solving every XOR seed
    slowest_xor: Pick | None     # likewise; None when it is the fastest
    tanh_beats_sigmoid: bool | None   # None unless both reached 100% on XOR
    relu_failed: list            # ReLU settings that left some XOR seed short of 100%
    relu_failures: int
    leaky_failures: int          # the same count for leaky ReLU
    leaky_fails_less: bool


@dataclasses.dataclass
class PairOutcome:
    dataset: str
    name: str
    verdict: str                 # "better", "worse", "faster", "slower" or "same" (for conv)
    conv: Summary
    dense: Summary


@dataclasses.dataclass
class ConvPair:
    """A convolutional network and the dense network nearest to it in parameter count."""

    conv: str
    conv_params: int
    dense: str
    dense_params: int
    outcomes: list               # PairOutcome per data set


@dataclasses.dataclass
class ConvolutionFacts:
    params: dict                 # setting -> parameter count, every setting
    pairs: list                  # ConvPair per convolutional network
    comparisons: int
    xor_wins: int                # pairs where conv did better or faster on XOR
    xor_losses: int              # worse or slower
    xor_outcome: str             # "helped" (more wins), "even", or "hurt" (more losses)
    bigger_winners: list         # ConvPair that won on XOR and have more parameters


@dataclasses.dataclass
class ExtraFacts:
    optimizers: OptimizerFacts
    activations: ActivationFacts
    convolution: ConvolutionFacts


def _outcomes(row: Row, datasets):
    return [OnDataset(d, DATASET_NAMES[d], row[d]) for d in datasets]


def _lrs(sweep: SweepFacts):
    """The distinct learning rates of a sweep, in its order."""
    return list(dict.fromkeys(r.overrides["lr"] for r in sweep.rows))


def _best(sweep: SweepFacts, field):
    return [BestSetting(name, row.setting, row.overrides["lr"], _outcomes(row, sweep.datasets))
            for name, row in sweep.best_per(field).items()]


def _pick(row: Row | None, field):
    return None if row is None else Pick(row.overrides[field], row.setting, row.overrides["lr"],
                                         row[XOR].median_epochs_to_100)


def _near_chance(sweep: SweepFacts, best_lr):
    sides = {"small": [], "large": [], "best": []}
    for row in sweep.rows:
        if row[XOR].mean_accuracy < NEAR_CHANCE:
            step, best_step = row.overrides["lr"], best_lr[row.overrides["optimizer"]]
            sides["small" if step < best_step else "large" if step > best_step else "best"] \
                .append(row.setting)
    return [NearChance(side, settings) for side, settings in sides.items() if settings]


def optimizer_facts(sweep: SweepFacts, epochs):
    best_rows = sweep.best_per("optimizer")
    fastest = sweep.fastest(XOR, list(best_rows.values()))
    baseline = best_rows.get(BASELINE_OPTIMIZER)
    speedup = (sweep.speedup(XOR, baseline, fastest)
               if fastest and baseline and baseline.all_succeeded(XOR)
               and baseline.setting != fastest.setting else None)
    engine = [prose_name(n, d) for n, d in optimizer_names()]
    return OptimizerFacts(
        engine=engine, engine_count=len(engine),
        lrs=_lrs(sweep), epochs=epochs,
        best=_best(sweep, "optimizer"), fastest_xor=_pick(fastest, "optimizer"),
        speedup=speedup, near_chance_level=NEAR_CHANCE,
        near_chance=_near_chance(sweep, {k: r.overrides["lr"] for k, r in best_rows.items()}))


def formulas(spec, no_activation):
    """The registry's activations but the reference one, with their hyper-parameters at
    ``spec``'s; ``no_activation``: the names that stand for "no activation"."""
    return [Formula(name, entry.display, entry.tex, entry.derivative_tex,
                    [(entry.symbols[field], getattr(spec, field)) for field in entry.hyper],
                    name in no_activation)
            for name, entry in ACTIVATIONS.items() if name != REFERENCE_ACTIVATION]


def activation_facts(sweep: SweepFacts, spec, no_activation):
    best_rows = sweep.best_per("activation")
    fastest = sweep.fastest(XOR, list(best_rows.values()))
    slowest = sweep.slowest(XOR, list(best_rows.values()))
    sig, tanh = best_rows.get(REFERENCE_ACTIVATION), best_rows.get(TANH)
    tanh_beats = None
    if sig and tanh and None not in (sig[XOR].median_epochs_to_100,
                                     tanh[XOR].median_epochs_to_100):
        tanh_beats = tanh[XOR].median_epochs_to_100 < sig[XOR].median_epochs_to_100
    relu_failed = sweep.failed(XOR, sweep.rows_where(activation=RELU))
    leaky_failed = sweep.failed(XOR, sweep.rows_where(activation=LEAKY_RELU))
    return ActivationFacts(
        engine=[prose_name(n, d) for n, d in activation_names() if n != REFERENCE_ACTIVATION],
        formulas=formulas(spec, no_activation), lrs=_lrs(sweep),
        best=_best(sweep, "activation"), fastest_xor=_pick(fastest, "activation"),
        slowest_xor=(_pick(slowest, "activation")
                     if slowest and slowest.setting != fastest.setting else None),
        tanh_beats_sigmoid=tanh_beats, relu_failed=[r.setting for r in relu_failed],
        relu_failures=len(relu_failed), leaky_failures=len(leaky_failed),
        leaky_fails_less=len(leaky_failed) < len(relu_failed))


WINS, LOSSES = ("better", "faster"), ("worse", "slower")
#: when a convolutional network and its dense partner solve a data set on as many seeds, the
#: convolutional one is "faster" when its median epochs to 100% are below this share of the
#: dense one's, "slower" above SLOWER_RATIO, and "same" in between
FASTER_RATIO, SLOWER_RATIO = 0.8, 1.25


def verdict(conv: Summary, dense: Summary):
    """How a convolutional network did against its dense partner on one data set: "better" or
    "worse" (more or fewer seeds at 100%), else "faster", "slower" or "same" (median epochs)."""
    if conv.success_rate != dense.success_rate:
        return "better" if conv.success_rate > dense.success_rate else "worse"
    if conv.median_epochs_to_100 is None or dense.median_epochs_to_100 is None:
        return "same"
    ratio = conv.median_epochs_to_100 / dense.median_epochs_to_100
    return "faster" if ratio < FASTER_RATIO else "slower" if ratio > SLOWER_RATIO else "same"


def convolution_facts(sweep: SweepFacts):
    """Each convolutional network paired with the dense network nearest in parameter count."""
    params = {r.setting: sweep.res.runs(r.setting, sweep.datasets[0])[0].network()
              .parameter_count() for r in sweep.rows}
    dense = [r for r in sweep.rows if "conv" not in r.overrides]
    pairs = []
    for c in (r for r in sweep.rows if "conv" in r.overrides):
        d = min(dense, key=lambda r: abs(params[r.setting] - params[c.setting]))
        pairs.append(ConvPair(c.setting, params[c.setting], d.setting, params[d.setting],
                              [PairOutcome(ds, DATASET_NAMES[ds], verdict(c[ds], d[ds]), c[ds],
                                           d[ds]) for ds in sweep.datasets]))
    wins = [p for p in pairs if p.outcomes[sweep.datasets.index(XOR)].verdict in WINS]
    losses = [p for p in pairs if p.outcomes[sweep.datasets.index(XOR)].verdict in LOSSES]
    outcome = ("helped" if len(wins) > len(losses) else
               "even" if len(wins) == len(losses) else "hurt")
    return ConvolutionFacts(params=params, pairs=pairs, comparisons=len(pairs),
                            xor_wins=len(wins), xor_losses=len(losses), xor_outcome=outcome,
                            bigger_winners=[p for p in wins if p.conv_params > p.dense_params])


def _no_activation(sweep):
    """The hidden activations the no-activation experiment uses instead of the sigmoid."""
    return {r.overrides["activation"] for r in sweep.rows} - {REFERENCE_ACTIVATION}


def facts(inputs):
    sweeps, results = inputs.sweeps, inputs.results
    return ExtraFacts(
        optimizers=optimizer_facts(sweeps["optimizers"],
                                   results["optimizers"].runs()[0].spec.epochs),
        activations=activation_facts(sweeps["activations"], results["activations"].runs()[0].spec,
                                     _no_activation(sweeps["no_activation"])),
        convolution=convolution_facts(sweeps["convolution"]))


# --- figures and tables ---------------------------------------------------------------------

def _widest_conv_spec(res):
    specs = [res.runs(setting)[0].spec for setting in res.settings]
    conv_specs = [s for s in specs if s.conv]
    return max(conv_specs, key=lambda s: (s.conv[0].channels, s.conv[0].padding == "valid"))


def figures(inputs, facts):
    opt, act, conv = (inputs.results[k] for k in ("optimizers", "activations", "convolution"))
    best_opt = [b.setting for b in facts.optimizers.best]
    best_act = [b.setting for b in facts.activations.best]
    return [
        Figure("optimizer_curves", "Training loss of each optimizer at its best learning rate "
               "(mean over seeds, band min to max).",
               lambda: curves.overlay(opt, best_opt, BOTH, legend_title="optimizer"),
               ("optimizers",)),
        Figure("activation_functions", "The hidden activations the engine implements (solid) "
               "and their derivatives (dashed).",
               lambda: functions.activations(leaky_slope=act.runs()[0].spec.leaky_slope),
               ("activations",), width=1.0),
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
    conv_rows = summary_rows(conv.res)
    params = facts.convolution.params
    op, ac = facts.optimizers, facts.activations
    return [sweep_table("optimizers", f"Optimizers at {words(len(op.lrs))} learning rates",
                        f["optimizers"]),
            sweep_table("activations", f"Hidden activations at {words(len(ac.lrs))} learning "
                        "rates", f["activations"]),
            Table("conv", sweep_caption("Convolutional and dense networks", conv.seeds,
                                        sorted({r.spec.epochs for r in conv.res.runs()})),
                  ["network", "parameters"] + SWEEP_COLUMNS[1:],
                  [[row[0], params[row[0]]] + row[1:] for row in conv_rows])]


def _both_kinds(experiment):
    """The convolution experiment needs convolutional and dense variants."""
    conv = ["conv" in s.overrides for s in experiment.settings]
    if not any(conv) or all(conv):
        return "the report compares convolutional with dense networks: it needs variants of both kinds"
    return None


SECTION = Section(
    id="extra", title="Extra", template="sections/extra.html.j2",
    facts=facts, figures=figures, tables=tables,
    needs={"optimizers": Needs(("optimizer", "lr"), 2),
           "no_activation": NO_ACTIVATION,
           "activations": Needs(("activation", "lr"), 2),
           "convolution": Needs((), 2, _both_kinds)},
    parts=(Part("optimizers", "Implement different optimizers"),
           Part("activations", "Implement different activation functions"),
           Part("convolution", "Implement convolutional layers")),
)
