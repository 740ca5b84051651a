"""5. Extra: optimizers, activation functions, convolutional layers.

``facts(inputs)`` returns an ``ExtraFacts``. Every "faster", "better", "slower" or "worse" it
holds is a verdict of the comparison rule (``report.rule``) on held epochs, paired by seed;
"converged" means the accuracy held 100% to the end. Where a run first reached 100% and then
fell back, or its loss spiked, the facts say so with the numbers. Explanations are facts only
where a measurement separates the runs they explain (dead ReLU units); the rest are marked as
hypotheses in the template.
"""
import dataclasses
import math

import numpy as np

from ...engine import datasets
from ...engine.activations import ACTIVATIONS
from ...engine.conv import LIFTS
from ...engine.optimizers import OPTIMIZERS
from ...experiments.stability import SPIKE_FACTOR
from ...i18n import N_, _, ngettext, pgettext
from ...results import Summary
from ..facts import (CONSTANT_SPREAD, SHORT_HOLD, Row, SweepFacts, chance, constant_output,
                     dead_units, held_briefly)
from ..filters import listing, plain, words
from .base import (Figure, Needs, NotSupported, Part, Section, Table, diagrams, functions,
                   overlay_figure, part_facts, supported)
from .discussion import NO_ACTIVATION, main_spec_of
from .results import BOTH, DATASET_NAMES
from .tables import (SWEEP_COLUMNS, main_note, mark_main, shown_rows, sweep_caption, sweep_table,
                     translated_rows)

#: the data set the comparisons of this section are made on
XOR = "xor"
#: the optimizer the others are measured against ("times fewer epochs than SGD")
BASELINE_OPTIMIZER = "sgd"
#: the lab's activation, which the others are compared with at each learning rate
REFERENCE_ACTIVATION = "sigmoid"
#: tanh, whose slope peaks higher than the sigmoid's; ReLU, whose units can die, and leaky
#: ReLU, whose cannot
TANH, RELU, LEAKY_RELU = "tanh", "relu", "leaky_relu"
#: a convolutional network is compared with the dense network nearest to it in parameter
#: count, when that count is within this share of its own
PAIR_TOLERANCE = 0.1
#: the lifted signal written out, for the lifts whose projections are simple to write
LIFT_SIGNALS = {"proj4": r"(x_0,\ (x_0 + x_1)/\sqrt{2},\ x_1,\ (x_1 - x_0)/\sqrt{2})"}
#: run-spec fields that may differ from the main network's in a row that still "is" it:
#: the seed, and the hyper-parameters of optimizers it does not use
_NOT_THE_NETWORK = {"seed"} | {p.name for entry in OPTIMIZERS.values() for p in entry.parameters}


def optimizer_names():
    """(name, display name) of every optimizer implemented, in the registry's order."""
    return [(name, entry.display) for name, entry in OPTIMIZERS.items()]


def activation_names():
    """(name, display name) of every activation implemented, in the registry's order."""
    return [(name, entry.display) for name, entry in ACTIVATIONS.items()]


def display(field, value):
    """How the prose names an optimizer or activation: its registry display name (in English:
    the template translates it where it shows it)."""
    registry = {"optimizer": OPTIMIZERS, "activation": ACTIVATIONS}[field]
    return registry[value].display


def at_rate(name, lr):
    """An optimizer or activation (``name``: its display name) at a learning rate, as the
    prose names a setting, in the language being written: "RMSprop at learning rate 0.1"."""
    return _("{name} at learning rate {lr}").format(name=_(name), lr=plain(lr))


def label(row: Row, field):
    """A setting as the prose names it: "RMSprop at learning rate 0.1"."""
    return at_rate(display(field, row.overrides[field]), row.overrides["lr"])


# --- the facts ------------------------------------------------------------------------------

@dataclasses.dataclass
class Stability:
    """How a setting's runs on one data set behaved after first reaching 100%."""

    fell_back: int               # seeds whose accuracy dropped below 100% after first reaching it
    lowest: float | None         # the lowest accuracy after that, over those seeds
    not_recovered: int           # of those seeds, the ones that did not converge
    spiked: int                  # seeds with a loss spike (above SPIKE_FACTOR x the running min)
    largest_spike: float | None  # the largest loss / running-minimum ratio over those seeds
    brief: int = 0               # seeds that converged but held 100% over less than the last
    #                              ``short_hold`` of their epochs
    latest: int | None = None    # the latest epoch from which one of those held it
    epochs: int | None = None    # the epochs those seeds ran
    short_hold: float = SHORT_HOLD


def stability_of(runs):
    fell = [r for r in runs if r.fell_back]
    spiked = [r for r in runs if r.stability["spikes"] > 0]
    spikes = [r.stability["largest_spike"] for r in spiked
              if r.stability["largest_spike"] is not None]
    brief = [r for r in runs if held_briefly(r)]
    return Stability(
        fell_back=len(fell),
        lowest=min(r.stability["lowest_after_100"] for r in fell) if fell else None,
        not_recovered=sum(r.held_100 is None for r in fell), spiked=len(spiked),
        largest_spike=max(spikes) if spikes else None, brief=len(brief),
        latest=max((r.held_100 for r in brief), default=None),
        epochs=max((r.epochs_run for r in brief), default=None))


@dataclasses.dataclass
class Outcome:
    """A setting on one data set: its summary and its stability."""

    dataset: str
    name: str                    # the data set as the prose names it
    summary: Summary
    stability: Stability


@dataclasses.dataclass
class Shown:
    """An optimizer (or activation) at the learning rate chosen to show it
    (``SweepFacts.best_per``: a display choice, not a finding)."""

    name: str                    # as the registry names it: "adam", "leaky_relu"
    display: str                 # as the prose does: "Adam", "leaky ReLU"
    setting: str                 # the setting's label in the table
    label: str                   # "Adam at learning rate 0.1"
    lr: float
    outcomes: list               # Outcome per data set, in the experiment's order


@dataclasses.dataclass
class Rival:
    """A setting of the table the rule does not separate from the pick."""

    label: str
    verdict: str                 # how the pick did against it: "same", "tied", "worse", "slower"
    pick_wins: int               # seeds on which the pick was better
    rival_wins: int
    ties: int


@dataclasses.dataclass
class Pick:
    """The setting the comparison rule finds better than each other one shown, on XOR."""

    name: str                    # the optimizer or activation, as the registry names it
    setting: str
    lr: float
    epochs: int | None           # its median epoch from which 100% held on XOR
    display: str = ""
    label: str = ""              # "Adam at learning rate 0.1"
    kind: str = "faster"         # "faster": every one of them converged on every seed, so it
    #                              won on held epochs; "better": some won by converging at all
    converged: int = 0           # its seeds that converged on XOR
    runs: int = 0
    needed: int = 0              # seeds it had to win against each
    others: int = 0              # how many it was compared with
    stability: Stability | None = None
    rivals: list = dataclasses.field(default_factory=list)   # Rival of the whole table
    tried_max: float | None = None   # the largest learning rate the sweep tried for it
    at_edge: bool = False            # its learning rate is that one: no larger rate was tried
    in_main_sweep: bool = False      # it is the main network's, which the learning-rate sweep
                                     # trains at larger rates


@dataclasses.dataclass
class Versus:
    """The rule on two settings at one learning rate: how ``a`` did against ``b``."""

    a: str                       # display names
    b: str
    lr: float
    verdict: str                 # "faster", "better", "slower", "worse", "same" (no clear
    #                              difference) or "tied" (every seed a tie)
    wins: int                    # seeds on which a was better
    losses: int
    ties: int


@dataclasses.dataclass
class MainMatch:
    """The row of a sweep that has the main network's configuration."""

    label: str
    same_runs: bool              # its runs are the main network's (the same epochs too)
    main_epochs: int


@dataclasses.dataclass
class AtChance:
    """A setting some of whose XOR runs ended no better than chance."""

    label: str
    at_chance: int               # seeds whose final accuracy was at or below chance
    runs: int
    constant: int                # of those, networks whose output is the same on every point


@dataclasses.dataclass
class Spiky:
    """A setting whose loss spiked on some seed."""

    label: str
    on: list                     # Outcome of each data set where it spiked


@dataclasses.dataclass
class Reversal:
    """Two optimizers the rule ranks one way at one learning rate and the other way at another."""

    a: str
    b: str
    a_lr: float                  # where a did better than b
    b_lr: float                  # where b did better than a


@dataclasses.dataclass
class OptimizerFacts:
    engine: list                 # display names of every optimizer implemented
    engine_count: int
    lrs: list                    # the learning rates of the sweep, in its order
    epochs: int
    main: MainMatch | None       # the row with the main network's configuration
    shown: list                  # Shown per optimizer, in the sweep's order
    fastest_xor: Pick | None     # better than each other shown on XOR, by the rule
    slowest_xor: Pick | None     # worse than each other shown
    baseline: str                # the display name of the optimizer speedups are against
    speedup: float | None        # baseline's median held epoch / the pick's, when the rule
    #                              found the pick faster than the baseline (both converged)
    reversal: Reversal | None
    chance: float                # XOR's majority share
    chance_points: int           # its majority class's points
    xor_points: int
    at_chance: list              # AtChance
    constant_spread: float       # outputs within this of each other count as one constant
    spike_factor: float
    spiky: list                  # Spiky, every setting with a loss spike


@dataclasses.dataclass
class Formula:
    """An activation of the registry, its definition and derivative as TeX."""

    name: str
    display: str
    tex: str
    derivative_tex: str
    hyper: list                  # (symbol, value) of its hyper-parameters, at the sweep's
    no_activation: bool          # what the no-activation experiment puts in the sigmoid's place


@dataclasses.dataclass
class DeadUnits:
    """Dead ReLU units (off on every training point) at the end of training on XOR, as shares
    of the hidden units, in the ReLU runs that did not converge and in those that did."""

    failed: list                 # one share per run that did not converge
    converged_low: float | None  # the range over the runs that converged
    converged_high: float | None
    separates: bool              # every failed run had more dead units than every converged one


@dataclasses.dataclass
class ActivationFacts:
    engine: list                 # display names of the activations besides the sigmoid
    formulas: list               # Formula of each of them, in the registry's order
    lrs: list                    # the learning rates of the sweep
    epochs: int
    compared: list               # display names of the activations of the sweep
    output: str                  # the output unit's activation, as the prose names it
    reference: str               # the activation the others are compared with: the sigmoid
    main: MainMatch | None
    shown: list                  # Shown per activation
    fastest_xor: Pick | None
    slowest_xor: Pick | None
    against_reference: list      # [[Versus per learning rate] per activation]: each against
    #                              the sigmoid at the same learning rate, on XOR
    tanh_won: bool               # tanh did better or faster than the sigmoid at some rate
    tanh_peak: float             # the largest slope of tanh and of the sigmoid, from the code
    sigmoid_peak: float
    relu_failed: list            # AtChance-like: (label, converged, runs) of the ReLU settings
    #                              that left some XOR seed unconverged
    dead: DeadUnits | None       # None when no ReLU run failed (nothing to explain)
    leaky_slope: float
    leaky_against_relu: list     # Versus per learning rate
    spike_factor: float
    spiky: list                  # Spiky, every setting with a loss spike


@dataclasses.dataclass
class Failed:
    label: str
    converged: int
    runs: int


@dataclasses.dataclass
class PairOutcome:
    dataset: str
    name: str
    verdict: str                 # how the convolutional network did: see Versus.verdict
    wins: int                    # seeds on which the convolutional network was better
    losses: int
    ties: int
    conv: Summary
    dense: Summary


@dataclasses.dataclass
class ConvPair:
    """A convolutional network and the dense network nearest to it in parameter count."""

    conv: str                    # as the prose names them
    conv_setting: str            # as the table does
    conv_params: int
    dense: str | None            # None: no dense network within PAIR_TOLERANCE
    dense_setting: str | None
    dense_params: int | None
    outcomes: list               # PairOutcome per data set ([] when unpaired)


@dataclasses.dataclass
class ConvolutionFacts:
    params: dict                 # setting -> parameter count, every setting
    lift_length: int             # positions of the lifted signal
    lift_tex: str | None         # the lifted signal written out, where it is simple
    optimizer: str               # how every network of the experiment was trained
    lr: float
    epochs: int
    tolerance: float
    pairs: list                  # ConvPair per convolutional network
    comparisons: int             # pairs compared
    xor_wins: int                # pairs where conv did better or faster on XOR
    xor_losses: int              # worse or slower
    bigger_winners: list         # ConvPair that won on XOR and have more parameters


@dataclasses.dataclass
class ExtraFacts:
    """Each part's facts (a NotSupported where the engine did not train its experiment)."""

    optimizers: OptimizerFacts | NotSupported
    activations: ActivationFacts | NotSupported
    convolution: ConvolutionFacts | NotSupported


def _lrs(sweep: SweepFacts):
    """The distinct learning rates of a sweep, in its order."""
    return list(dict.fromkeys(r.overrides["lr"] for r in sweep.rows))


def outcomes(sweep: SweepFacts, row: Row):
    return [Outcome(d, DATASET_NAMES[d], row[d], stability_of(sweep.runs(row, d)))
            for d in sweep.datasets]


def shown(sweep: SweepFacts, field):
    return [Shown(value, display(field, value), row.setting, label(row, field),
                  row.overrides["lr"], outcomes(sweep, row))
            for value, row in sweep.best_per(field).items()]


def said(verdict, a):
    """How setting ``a`` did against the other one of ``verdict``, in one word."""
    if verdict.tie:
        return "tied"
    if verdict.winner is None:
        return "same"
    won = verdict.winner == a
    return {"faster": ("faster", "slower"), "better": ("better", "worse")}[verdict.kind][not won]


def versus(sweep, a: Row, b: Row, field):
    v = sweep.compare(a, b, XOR)
    return Versus(display(field, a.overrides[field]), display(field, b.overrides[field]),
                  a.overrides["lr"], said(v, a.setting), v.wins, v.losses, v.ties)


def _picks(sweep: SweepFacts, rows, field, main_res):
    """The best and the worst ``_pick``, each told whether it is the main network's."""
    main = getattr(main_res.runs()[0].spec, field)
    picks = _pick(sweep, rows, field), _pick(sweep, rows, field, best=False)
    for pick in picks:
        if pick is not None:
            pick.in_main_sweep = pick.name == main
    return picks


def _pick(sweep: SweepFacts, rows, field, best=True):
    """The row of ``rows`` the rule finds better (``best``) or worse than each other one on XOR,
    as a Pick; its rivals: the other rows of the sweep the rule does not separate from it."""
    row = (sweep.winner if best else sweep.loser)(XOR, rows)
    if row is None or len(rows) < 2:
        return None
    verdicts = [sweep.compare(row, other, XOR) for other in rows if other is not row]
    rivals = []
    for other in sweep.rows:
        if other is row or any(other is r for r in rows):
            continue
        v = sweep.compare(row, other, XOR)
        if v.winner != row.setting:
            rivals.append(Rival(label(other, field), said(v, row.setting), v.wins, v.losses,
                                v.ties))
    s = row[XOR]
    tried_max = max(r.overrides["lr"] for r in sweep.rows
                    if r.overrides[field] == row.overrides[field])
    return Pick(row.overrides[field], row.setting, row.overrides["lr"], s.median_held_epoch,
                display=display(field, row.overrides[field]), label=label(row, field),
                kind="faster" if all(v.kind == "faster" for v in verdicts) else "better",
                converged=s.succeeded, runs=s.runs, needed=max(v.needed for v in verdicts),
                others=len(verdicts), stability=stability_of(sweep.runs(row, XOR)),
                rivals=rivals if best else [], tried_max=tried_max,
                at_edge=row.overrides["lr"] == tried_max)


def main_match(sweep: SweepFacts, main_res, field):
    """The row of ``sweep`` whose runs have the main network's configuration (all but the
    epochs, the seed and unused optimizer hyper-parameters), if one has."""
    def config(spec, ignore=()):
        data = spec.to_dict()
        return {k: v for k, v in data.items() if k not in _NOT_THE_NETWORK | set(ignore)}

    main_runs = main_res.runs()
    main = config(main_runs[0].spec, ("epochs",))
    main_keys = {(r.dataset, r.seed): r.key for r in main_runs}
    for row in sweep.rows:
        runs = [r for d in sweep.datasets for r in sweep.runs(row, d)]
        if all(config(r.spec, ("epochs",)) == main for r in runs):
            same = all(main_keys.get((r.dataset, r.seed)) == r.key for r in runs)
            return MainMatch(label(row, field), same, main_runs[0].spec.epochs)
    return None


def _reversal(sweep: SweepFacts):
    """Two optimizers, the baseline first where it is one, that the rule ranks one way at one
    learning rate and the other way at another, on XOR."""
    names = list(dict.fromkeys(r.overrides["optimizer"] for r in sweep.rows))
    names.sort(key=lambda n: n != BASELINE_OPTIMIZER)
    lrs = _lrs(sweep)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            won = {}
            for lr in lrs:
                ra, rb = (sweep.rows_where(optimizer=n, lr=lr) for n in (a, b))
                if ra and rb:
                    winner = sweep.compare(ra[0], rb[0], XOR).winner
                    if winner is not None:
                        won.setdefault(winner == ra[0].setting, lr)
            if True in won and False in won:
                return Reversal(display("optimizer", a), display("optimizer", b),
                                won[True], won[False])
    return None


def _at_chance(sweep: SweepFacts, field, X, level):
    found = []
    for row in sweep.rows:
        low = [r for r in sweep.runs(row, XOR) if r.final_accuracy <= level + 1e-12]
        if low:
            found.append(AtChance(label(row, field), len(low), row[XOR].runs,
                                  sum(constant_output(r, X) for r in low)))
    return found


def _spiky(sweep: SweepFacts, field):
    found = [Spiky(label(row, field), [o for o in outcomes(sweep, row) if o.stability.spiked])
             for row in sweep.rows]
    return [k for k in found if k.on]


def optimizer_facts(sweep: SweepFacts, main_res):
    shown_rows = list(sweep.best_per("optimizer").values())
    fastest, slowest = _picks(sweep, shown_rows, "optimizer", main_res)
    baseline = sweep.best_per("optimizer").get(BASELINE_OPTIMIZER)
    speedup = None
    if fastest and baseline and baseline.setting != fastest.setting:
        v = sweep.compare(sweep.row(fastest.setting), baseline, XOR)
        if v.winner == fastest.setting and v.kind == "faster":
            speedup = sweep.speedup(XOR, baseline, sweep.row(fastest.setting))
    X, y = datasets.load(XOR)
    majority = int(max(np.sum(y > 0.5), np.sum(y <= 0.5)))
    engine = [d for _, d in optimizer_names()]
    return OptimizerFacts(
        engine=engine, engine_count=len(engine), lrs=_lrs(sweep),
        epochs=sweep.res.runs()[0].spec.epochs, main=main_match(sweep, main_res, "optimizer"),
        shown=shown(sweep, "optimizer"), fastest_xor=fastest, slowest_xor=slowest,
        baseline=display("optimizer", BASELINE_OPTIMIZER), speedup=speedup,
        reversal=_reversal(sweep), chance=chance(y), chance_points=majority,
        xor_points=len(y), at_chance=_at_chance(sweep, "optimizer", X, chance(y)),
        constant_spread=CONSTANT_SPREAD,
        spike_factor=SPIKE_FACTOR, spiky=_spiky(sweep, "optimizer"))


def formulas(spec, no_activation):
    """The registry's activations but the reference one, with their hyper-parameters at
    ``spec``'s; ``no_activation``: the names that stand for "no activation"."""
    return [Formula(name, entry.display, entry.tex, entry.derivative_tex,
                    [(entry.symbols[field], getattr(spec, field)) for field in entry.hyper],
                    name in no_activation)
            for name, entry in ACTIVATIONS.items() if name != REFERENCE_ACTIVATION]


def peak_slope(name):
    """The largest slope of an activation, from its code (at z = 0 for tanh and the sigmoid)."""
    entry = ACTIVATIONS[name]
    z = np.linspace(-6.0, 6.0, 1201)
    return float(np.max(entry.derivative(entry.function(z.copy()))))


def dead_units_of(sweep: SweepFacts, rows):
    """Dead units of the ReLU runs of ``rows`` on XOR, failed against converged."""
    X, _ = datasets.load(XOR)
    failed, converged = [], []
    for row in rows:
        for run in sweep.runs(row, XOR):
            share = dead_units(run, X)
            if share is not None:
                (converged if run.held_100 is not None else failed).append(share)
    return dead_shares(failed, converged)


def dead_shares(failed, converged):
    """DeadUnits from the dead shares of the runs that did not converge and of those that did
    (None when every run converged: there is nothing to explain). The shares separate the two
    only when every failed run had more dead units than every converged one."""
    if not failed:
        return None
    return DeadUnits(failed=sorted(failed), converged_low=min(converged, default=None),
                     converged_high=max(converged, default=None),
                     separates=bool(converged) and min(failed) > max(converged))


def activation_facts(sweep: SweepFacts, spec, no_activation, main_res):
    shown_rows = list(sweep.best_per("activation").values())
    lrs = _lrs(sweep)
    against = []
    for name in dict.fromkeys(r.overrides["activation"] for r in sweep.rows):
        if name == REFERENCE_ACTIVATION:
            continue
        pairs = [(sweep.rows_where(activation=name, lr=lr),
                  sweep.rows_where(activation=REFERENCE_ACTIVATION, lr=lr)) for lr in lrs]
        row = [versus(sweep, a[0], b[0], "activation") for a, b in pairs if a and b]
        if row:
            against.append(row)
    tanh_won = any(v.a == display("activation", TANH) and v.verdict in ("faster", "better")
                   for row in against for v in row)
    relu_rows = sweep.rows_where(activation=RELU)
    relu_failed = [Failed(label(r, "activation"), r[XOR].succeeded, r[XOR].runs)
                   for r in relu_rows if r[XOR].succeeded < r[XOR].runs]
    leaky = []
    for lr in lrs:
        a, b = sweep.rows_where(activation=LEAKY_RELU, lr=lr), sweep.rows_where(activation=RELU,
                                                                                lr=lr)
        if a and b:
            leaky.append(versus(sweep, a[0], b[0], "activation"))
    picks = _picks(sweep, shown_rows, "activation", main_res)
    return ActivationFacts(
        engine=[d for n, d in activation_names() if n != REFERENCE_ACTIVATION],
        formulas=formulas(spec, no_activation), lrs=lrs, epochs=spec.epochs,
        compared=[display("activation", n) for n in
                  dict.fromkeys(r.overrides["activation"] for r in sweep.rows)],
        output=display("activation", spec.output_activation),
        reference=display("activation", REFERENCE_ACTIVATION),
        main=main_match(sweep, main_res, "activation"), shown=shown(sweep, "activation"),
        fastest_xor=picks[0], slowest_xor=picks[1],
        against_reference=against, tanh_won=tanh_won,
        tanh_peak=peak_slope(TANH), sigmoid_peak=peak_slope(REFERENCE_ACTIVATION),
        relu_failed=relu_failed, dead=dead_units_of(sweep, relu_rows) if relu_failed else None,
        leaky_slope=spec.leaky_slope, leaky_against_relu=leaky,
        spike_factor=SPIKE_FACTOR, spiky=_spiky(sweep, "activation"))


def network_name(spec):
    """A network as the prose names it: "2-7-7-1" (dense), or its convolution and dense units:
    "2 channels, kernel 2, valid padding and 4 dense units" (in the language being written)."""
    if not spec.conv:
        return "-".join(map(str, spec.sizes))
    layers = pgettext("between clauses", "; ").join(
        ngettext("{channels} channel, kernel {kernel}, {padding} padding",
                 "{channels} channels, kernel {kernel}, {padding} padding",
                 c.channels).format(channels=c.channels, kernel=c.kernel, padding=c.padding)
        for c in spec.conv)
    hidden = spec.sizes[1:-1]
    if len(hidden) == 1:
        units = ngettext("{units} dense unit", "{units} dense units", hidden[0]).format(
            units=hidden[0])
    else:
        units = _("dense layers of {sizes} units").format(sizes=", ".join(map(str, hidden)))
    return _("{convolution} and {dense}").format(convolution=layers, dense=units)


def nearest_dense(conv_params, dense_params, tolerance=PAIR_TOLERANCE):
    """The label of ``dense_params`` ({label: count}) nearest to ``conv_params``, if within
    ``tolerance`` of it (ties: the first); else None."""
    if not dense_params:
        return None
    best = min(dense_params, key=lambda k: abs(dense_params[k] - conv_params))
    return best if abs(dense_params[best] - conv_params) <= tolerance * conv_params else None


def pair_outcome(sweep, conv: Row, dense: Row, dataset):
    v = sweep.compare(conv, dense, dataset)
    return PairOutcome(dataset, DATASET_NAMES[dataset], said(v, conv.setting), v.wins,
                       v.losses, v.ties, conv[dataset], dense[dataset])


def convolution_facts(sweep: SweepFacts):
    """Each convolutional network paired with the dense network nearest in parameter count."""
    first = {r.setting: sweep.res.runs(r.setting, sweep.datasets[0])[0] for r in sweep.rows}
    params = {s: run.network().parameter_count() for s, run in first.items()}
    dense = {r.setting: params[r.setting] for r in sweep.rows if not first[r.setting].spec.conv}
    conv_rows = [r for r in sweep.rows if first[r.setting].spec.conv]
    pairs = []
    for c in conv_rows:
        partner = nearest_dense(params[c.setting], dense)
        d = sweep.row(partner) if partner else None
        pairs.append(ConvPair(
            network_name(first[c.setting].spec), c.setting, params[c.setting],
            d and network_name(first[d.setting].spec), d and d.setting,
            d and params[d.setting],
            [pair_outcome(sweep, c, d, ds) for ds in sweep.datasets] if d else []))
    compared = [p for p in pairs if p.outcomes]
    on_xor = [(p, next(o for o in p.outcomes if o.dataset == XOR)) for p in compared]
    wins = [p for p, o in on_xor if o.verdict in ("better", "faster")]
    losses = [p for p, o in on_xor if o.verdict in ("worse", "slower")]
    spec = first[conv_rows[0].setting].spec
    return ConvolutionFacts(
        params=params, lift_length=LIFTS[spec.lift], lift_tex=LIFT_SIGNALS.get(spec.lift),
        optimizer=display("optimizer", spec.optimizer), lr=spec.lr, epochs=spec.epochs,
        tolerance=PAIR_TOLERANCE, pairs=pairs, comparisons=len(compared),
        xor_wins=len(wins), xor_losses=len(losses),
        bigger_winners=[p for p in wins if p.conv_params > p.dense_params])


def _no_activation(sweep):
    """The hidden activations the no-activation experiment uses instead of the sigmoid."""
    return {r.overrides["activation"] for r in sweep.rows} - {REFERENCE_ACTIVATION}


def facts(inputs):
    """Each part's facts, or a NotSupported where the engine did not train its experiment."""
    sweeps, results = inputs.sweeps, inputs.results
    return ExtraFacts(
        optimizers=part_facts(inputs, PARTS["optimizers"], lambda: optimizer_facts(
            sweeps["optimizers"], results["main"])),
        activations=part_facts(inputs, PARTS["activations"], lambda: activation_facts(
            sweeps["activations"], results["activations"].runs()[0].spec,
            _no_activation(sweeps["no_activation"]), results["main"])),
        convolution=part_facts(inputs, PARTS["convolution"],
                               lambda: convolution_facts(sweeps["convolution"])))


# --- figures and tables ---------------------------------------------------------------------

def _widest_conv_spec(res):
    specs = [res.runs(setting)[0].spec for setting in res.settings]
    conv_specs = [s for s in specs if s.conv]
    return max(conv_specs, key=lambda s: (s.conv[0].channels, s.conv[0].padding == "valid"))


def _by_part(inputs, facts, made):
    """What ``made`` (part id -> function of inputs and facts) gives for each part whose
    facts are not a NotSupported, in the parts' order."""
    return [item for part in PARTS if supported(getattr(facts, part))
            for item in made[part](inputs, facts)]


def figures(inputs, facts):
    return _by_part(inputs, facts, {"optimizers": _optimizer_figures,
                                    "activations": _activation_figures,
                                    "convolution": _convolution_figures})


def _optimizer_figures(inputs, facts):
    opt = inputs.results["optimizers"]
    shown_opt = [b.setting for b in facts.optimizers.shown]
    return [
        overlay_figure("optimizer_curves", _("Training loss of each optimizer at the learning "
                                             "rate chosen to show it (see the text; geometric "
                                             "mean over seeds, band min to max)."),
                       opt, shown_opt, BOTH, ("optimizers",),
                       legend_title=N_("optimizer")),
    ]


def _activation_figures(inputs, facts):
    act = inputs.results["activations"]
    shown_act = [b.setting for b in facts.activations.shown]
    return [
        Figure("activation_functions", _("The activations implemented (solid) and their "
                                          "derivatives (dashed)."),
               lambda: functions.activations(leaky_slope=act.runs()[0].spec.leaky_slope),
               ("activations",), width=1.0),
        overlay_figure("activation_curves", _("Training loss for each hidden activation at "
                                              "the learning rate chosen to show it, as for the "
                                              "optimizers (geometric mean over seeds, band min "
                                              "to max)."), act, shown_act, BOTH,
                       ("activations",), legend_title=N_("activation")),
    ]


def _convolution_figures(inputs, facts):
    conv = inputs.results["convolution"]
    widest = _widest_conv_spec(conv)
    layer = widest.conv[0]
    return [
        Figure("conv_network", _(
                   "The convolutional network with {channels} channels, kernel {kernel} and "
                   "{padding} padding, as drawn from its configuration: the fixed lift, the "
                   "convolution with one kernel window (orange) and the output cell it produces, "
                   "flatten, dense layer, output.").format(
                       channels=layer.channels, kernel=layer.kernel, padding=layer.padding),
               lambda: diagrams.conv_network(widest), ("convolution",), 0.95),
        overlay_figure("conv_curves", _("Training loss of the convolutional networks and the "
                                        "dense networks they are compared with (geometric mean "
                                        "over seeds, band min to max)."), conv, conv.settings,
                       BOTH, ("convolution",), legend_title=N_("network")),
    ]


def conv_table_what(specs):
    """What the convolution table holds, with the dense layers after the convolution where every
    convolutional network has the same (its labels name the convolution only)."""
    after = {tuple(s.sizes[1:-1]) for s in specs if s.conv}
    hidden = next(iter(after)) if len(after) == 1 else ()
    if not hidden:
        return _("Convolutional and dense networks")
    if len(hidden) == 1:
        layers = ngettext("one dense layer of {units} unit", "one dense layer of {units} units",
                          hidden[0]).format(units=hidden[0])
    else:
        layers = _("dense layers of {sizes} units").format(sizes=listing(hidden))
    return _("Convolutional networks (ch: channels; k: the kernel size; same: zero padding that "
             "keeps the length; each followed by {layers}) and dense networks").format(
                 layers=layers)


def tables(inputs, facts):
    return _by_part(inputs, facts, {"optimizers": _optimizer_tables,
                                    "activations": _activation_tables,
                                    "convolution": _convolution_tables})


def _optimizer_tables(inputs, facts):
    n = len(facts.optimizers.lrs)
    what = ngettext("Optimizers at {n} learning rate", "Optimizers at {n} learning rates",
                    n).format(n=words(n))
    return [sweep_table("optimizers", what, inputs.sweeps["optimizers"], main_spec_of(inputs))]


def _activation_tables(inputs, facts):
    n = len(facts.activations.lrs)
    what = ngettext("Hidden activations at {n} learning rate",
                    "Hidden activations at {n} learning rates", n).format(n=words(n))
    return [sweep_table("activations", what, inputs.sweeps["activations"], main_spec_of(inputs))]


def _convolution_tables(inputs, facts):
    conv = inputs.sweeps["convolution"]
    params = facts.convolution.params
    rows, found = mark_main(conv.res, [[row[0], params[row[0]]] + row[1:]
                                       for row in shown_rows(conv.res)], main_spec_of(inputs))
    caption = sweep_caption(conv_table_what([r.spec for r in conv.res.runs()]), conv.seeds,
                            sorted({r.spec.epochs for r in conv.res.runs()}))
    return [Table("conv", caption + main_note(found),
                  [pgettext("table header", "network"), pgettext("table header", "parameters")]
                  + [_(column) for column in SWEEP_COLUMNS[1:]],
                  [[shown[0], row[1], *shown[1:]] for shown, row in zip(
                      translated_rows(conv.res, [[row[0], *row[2:]] for row in rows]), rows)])]


def _both_kinds(experiment):
    """The convolution experiment needs convolutional and dense variants, its convolutional
    ones over one projection lift (the prose describes it), all trained alike."""
    specs = [experiment.spec(s, 0) for s in experiment.settings]
    conv = [bool(s.conv) for s in specs]
    if not any(conv) or all(conv):
        return "the report compares convolutional with dense networks: it needs variants of both kinds"
    lifts = {s.lift for s in specs if s.conv}
    if len(lifts) > 1 or lifts & {"raw"}:
        return ("lift: the report describes one projection lift; the convolutional variants "
                f"use {', '.join(sorted(lifts))}")
    training = {(s.optimizer, s.lr, s.epochs) for s in specs}
    if len(training) > 1:
        return ("optimizer, lr, epochs: the report compares networks trained alike; the "
                "variants differ in how they are trained")
    return None


#: the parts, each with the experiment it reads (its facts are ``part_facts``)
PARTS = {part.id: part for part in (
    Part("optimizers", N_("Implement different optimizers"), reads=("optimizers",)),
    Part("activations", N_("Implement different activation functions"),
         reads=("activations", "no_activation")),
    Part("convolution", N_("Implement convolutional layers"), reads=("convolution",)))}

SECTION = Section(
    id="extra", title=N_("Extra"), template="sections/extra.html.j2",
    facts=facts, figures=figures, tables=tables,
    needs={"main": Needs(),
           "optimizers": Needs(("optimizer", "lr"), 2),
           "no_activation": NO_ACTIVATION,
           "activations": Needs(("activation", "lr"), 2),
           "convolution": Needs((), 2, _both_kinds)},
    parts=tuple(PARTS.values()),
)
