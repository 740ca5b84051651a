"""4. Discussion: learning rates, hidden widths, no activation functions, and what else was
tried (initialisation, biases, the loss, the batch size, a bias-free ReLU network).

``facts(inputs)`` returns a ``DiscussionFacts``: one dataclass per part, holding every value the
prose states, with the choosing, counting and comparing done here; the template only words
them. Every "faster", "better", "fastest" is the comparison rule's (``report.rule``), applied
seed by seed on whether and from which epoch a run held 100%; a cause is stated as measured
only when a measurement here separates the runs it explains from the others (each such
separation is a field of its own), otherwise the template labels it a possible reason.

Other sections read ``inputs.facts("discussion")``: the introduction its learning-rate
speeds and failures, the narrowest width that solved XOR, the best XOR run without
activations and the straight-line ceiling; the questions its learning-rate classification,
the no-activation part and the initialisation counts.
"""
import dataclasses
import math

import numpy as np

from ...engine import Network, datasets
from ...i18n import N_, _, pgettext
from ...results import ExperimentResults
from ...engine.activations import ACTIVATIONS
from ...engine.initializers import INITIALIZERS
from ...engine.losses import LOSSES, accuracy
from ...experiments import stability
from ...experiments.record import HISTORY_POINTS
from ...figures.labels import translated_label
from .. import rule
from ..facts import (CONSTANT_SPREAD, SATURATION_SLOPE, SHORT_HOLD, Row, SweepFacts,
                     best_linear_accuracy, chance, constant_output, dead_units, held_briefly,
                     hidden_saturation, loss_increase_share, output_saturation, output_spread,
                     saturation, still_learning)
from .base import Figure, Needs, Part, Section, overlay_figure
from .results import BOTH, DATASET_NAMES, boundaries
from .tables import main_kind, sweep_table

#: the no-activation experiment compares the main network's hidden activation with none
WITH, WITHOUT = "sigmoid", "identity"
#: the class rule of the engine (``losses.accuracy``): class 1 when ŷ is above this
CLASS_THRESHOLD = 0.5

#: the data sets as the prose names them after a preposition ("on the linear set")
SET_NAMES = {"linear": N_("the linear set"), "xor": "XOR"}
#: how a comparison came out, from the first setting's side
FASTER, SLOWER, BETTER, WORSE, UNCLEAR, TIED = (
    "faster", "slower", "better", "worse", "no clear difference", "tied")


def _with_and_without(experiment):
    """The no-activation experiment needs a setting with sigmoid hidden units and one with
    none (identity)."""
    kinds = {s.overrides.get("activation") for s in experiment.settings}
    missing = [a for a in (WITH, WITHOUT) if a not in kinds]
    if missing:
        return (f"activation: the report compares hidden activations {WITH!r} and {WITHOUT!r} "
                f"(none); no setting has {missing[0]!r}")
    return None


#: what the sections that discuss the network without activations read of its experiment
NO_ACTIVATION = Needs(("activation", "output_activation"), 2, _with_and_without)


def _values(field, *wanted, absent=None):
    """A Needs check: the settings of the experiment set ``field`` to each of ``wanted``
    (``absent`` stands for a setting that leaves the field to the base)."""
    def check(experiment):
        seen = {s.overrides.get(field, experiment.base.get(field, absent))
                for s in experiment.settings}
        missing = [w for w in wanted if w not in seen]
        if missing:
            return (f"{field}: the report compares {', '.join(map(repr, wanted))}; no setting "
                    f"has {missing[0]!r}")
        return None
    return check


def _mini_and_full_batch(experiment):
    sizes = {s.overrides.get("batch_size", experiment.base.get("batch_size"))
             for s in experiment.settings}
    if None not in sizes or sizes == {None}:
        return ("batch_size: the report compares mini-batches with the full batch; it needs a "
                "setting with a batch_size and one without")
    return None


def _some_own_length(experiment):
    own = [s for s in experiment.settings if "epochs" in s.overrides]
    if not own or len(own) == len(experiment.settings):
        return ("epochs: the report shows the wide networks, which set their own epochs, apart "
                "from the others; it needs settings of both kinds")
    return None


def _relu_without_bias(experiment):
    for s in experiment.settings:
        fields = {**experiment.base, **s.overrides}
        if fields.get("activation") == "relu" and fields.get("bias") is False:
            return None
    return "the report discusses a ReLU network without biases; no setting is one"


# ---------------------------------------------------------------- shared measures

@dataclasses.dataclass
class Comparison:
    """The comparison rule on two settings of one experiment, on one data set, from the
    first one's side: ``outcome`` is FASTER or BETTER when the rule finds ``a`` ahead of
    ``b``, SLOWER or WORSE when behind, TIED when every seed is a tie, else UNCLEAR."""

    a: str                      # the settings as the prose names them
    b: str
    dataset: str
    outcome: str
    wins: int                   # seeds on which a was ahead
    losses: int
    ties: int
    seeds: int
    needed: int                 # seeds a side must win

    @property
    def separated(self):
        return self.outcome not in (UNCLEAR, TIED)


def compare(sweep, a, b, dataset, name_a, name_b):
    verdict = sweep.compare(a, b, dataset)
    if verdict.tie:
        outcome = TIED
    elif verdict.winner is None:
        outcome = UNCLEAR
    elif verdict.winner == a.setting:
        outcome = FASTER if verdict.kind == "faster" else BETTER
    else:
        outcome = SLOWER if verdict.kind == "faster" else WORSE
    return Comparison(name_a, name_b, dataset, outcome, verdict.wins, verdict.losses,
                      verdict.ties, verdict.seeds, verdict.needed)


@dataclasses.dataclass
class Instability:
    """How one setting's runs on one data set wobbled: seeds whose accuracy fell back after
    first reaching 100%, and seeds with loss spikes."""

    name: str
    dataset: str
    runs: int
    converged: int
    fell_back: int
    lowest: float | None        # the lowest accuracy of those seeds after first reaching 100%
    spiked: int                 # seeds whose loss rose above SPIKE_FACTOR × its running minimum
    most_spikes: int            # the most spike episodes of one run
    largest_spike: float | None = None  # the largest spike of any of its runs: the loss over
                                # its running minimum (None: not known, as for a diverged run)


def instability(res, setting, dataset, name):
    runs = res.runs(setting, dataset)
    back = [r for r in runs if r.fell_back]
    return Instability(name, dataset, len(runs), sum(r.succeeded for r in runs), len(back),
                       min(r.stability["lowest_after_100"] for r in back) if back else None,
                       sum(r.stability["spikes"] > 0 for r in runs),
                       max(r.stability["spikes"] for r in runs),
                       max((r.stability["largest_spike"] for r in runs
                            if r.stability["spikes"] and r.stability["largest_spike"]),
                           default=None))


def _unstable(res, named, datasets_=BOTH):
    """Instability of every (setting, data set) among ``named`` ({setting: name}) with a
    seed that fell back or spiked."""
    out = []
    for setting, name in named.items():
        for d in datasets_:
            item = instability(res, setting, d, name)
            if item.fell_back or item.spiked:
                out.append(item)
    return out


def _spec_key(run):
    spec = run.spec.to_dict()
    spec.pop("seed")
    return spec


def is_main(sweep, row, main_spec):
    """Whether every run of ``row`` is the main network's (the same spec but for the seed):
    then they are the main network's own runs, and their numbers are Table 1's."""
    return main_kind(sweep.res.runs(row.setting), main_spec) == "main"


def _epochs(sweep):
    """The run length of an experiment (its longest, if they differ)."""
    return max(run.spec.epochs for run in sweep.res.runs())


def _late_epochs(epochs):
    """How many epochs ``late_loss_change`` spans."""
    return max(1, round(stability.LATE_SHARE * epochs))


def _sizes_name(sizes):
    return "-".join(map(str, sizes))


def _lr_name(lr):
    return _("learning rate {lr}").format(lr=f"{lr:g}")


def _network_name(activation):
    """A network named by its hidden activation (the registry's display name): "the ReLU
    network"."""
    return _("the {activation} network").format(activation=_(ACTIVATIONS[activation].display))


def _batch_size_name(size):
    return _("the full batch") if size is None else _("batch size {size}").format(size=size)


def _loss_name(loss):
    return _(LOSSES[loss].display)


# ---------------------------------------------------------------- A. learning rates

@dataclasses.dataclass
class RateOn:
    """One learning rate on one data set, over its seeds: what the runs that did not
    converge ended like."""

    dataset: str
    runs: int
    failed: int                 # seeds that did not converge
    still_learning: int         # of those, seeds still learning at the end (see
                                # ``experiments.stability``: a new low in the last epochs)
    flat: int                   # the others among the failed seeds
    flat_change: float | None   # the largest |relative loss change| of those over that stretch
    constant: int               # failed seeds whose output was the same on every point
    constant_saturated: int     # of those, seeds whose sigmoid output was saturated on every point
    output_slope: float | None  # the largest output slope ŷ(1 - ŷ) on any point of those
    hidden_low: float | None    # the lowest share of saturated hidden sigmoid outputs among
                                # the failed seeds (None: not measured)
    at_chance: int              # failed seeds that ended at or below chance


@dataclasses.dataclass
class Rate:
    """One learning rate of the sweep."""

    setting: str                # its label, e.g. "lr=0.1"
    lr: float
    epochs: int                 # the epochs its runs trained for
    summaries: dict             # {dataset: results.Summary over its seeds}
    loss_increase: dict         # {dataset: share of recorded epochs where the loss rose,
                                #  mean over seeds}
    saturation: float | None    # share of hidden sigmoid outputs on the XOR points whose slope is
                                # below SATURATION_SLOPE after training, mean over seeds (None: not
                                # a sigmoid network, or some run did not end "ok")
    converged: bool             # every seed of both data sets held 100% to the end
    diverged: int               # runs that diverged, over both data sets
    runs: int                   # runs, over both data sets
    name: str = ""              # as the prose names it: "learning rate 0.1"
    on: dict = dataclasses.field(default_factory=dict)   # {dataset: RateOn}
    main: bool = False          # its runs are the main network's (Table 1)


@dataclasses.dataclass
class RateSpeed:
    """On one data set, among the learning rates that converged on every seed of it (whether
    or not they did on the other data set): the one the rule finds faster than every other
    (``fastest``) and the one every other is faster than (``slowest``)."""

    dataset: str
    fastest: str | None         # its setting (None: no single rate is faster than all others)
    fastest_epochs: int | None  # its median epoch from which 100% held
    slowest: str | None
    slowest_epochs: int | None
    speedup: float | None       # slowest_epochs / fastest_epochs (None unless both are named)
    candidates: list = dataclasses.field(default_factory=list)  # the learning rates compared
    fastest_name: str | None = None
    slowest_name: str | None = None
    steps: list = dataclasses.field(default_factory=list)  # Comparison of each candidate with
                                # the next smaller one, in increasing learning rate


@dataclasses.dataclass
class Failure:
    """The seeds of one too-large learning rate that did not converge on one data set, and
    which measurement separates them from the runs that did."""

    name: str
    dataset: str
    failed: int
    runs: int
    constant: int               # failed seeds with the same output on every point
    constant_saturated: int     # of those, with the sigmoid output saturated on every point
    output_slope: float | None  # the largest output slope ŷ(1 - ŷ) of those, on any point
    hidden_low: float | None    # the lowest hidden saturation among the failed seeds
    hidden_converged: float | None  # the highest among every converged run of the sweep on
                                # this data set
    still_learning: int         # failed seeds still learning at the end
    flat_change: float | None   # the largest |relative loss change| of the others over the
                                # last epochs (see RateOn)
    at_chance: int              # failed seeds that ended at or below chance
    constant_explains: bool     # every failed seed outputs a saturated constant (no converged
                                # run can: it tells the classes apart)
    hidden_explains: bool       # every failed seed has more saturated hidden outputs than any
                                # converged run (at the end of training: it does not tell
                                # cause from consequence)
    datasets: list = dataclasses.field(default_factory=list)  # the data sets it covers: the
                                # constant-output failures of one rate are one Failure


@dataclasses.dataclass
class WidthRate:
    """One learning rate at two widths (the learning-rate-at-two-widths experiment)."""

    lr: float
    narrow: dict                # {dataset: Summary} at the narrow width
    wide: dict                  # {dataset: Summary} at the wide width
    comparisons: list           # Comparison of wide against narrow, per data set


@dataclasses.dataclass
class AtRate:
    lr: float
    comparison: Comparison


@dataclasses.dataclass
class NoneAt:
    lr: float
    datasets: list
    comparisons: list = dataclasses.field(default_factory=list)  # Comparison of the wide
                                # network against the narrow one on those data sets: the rule
                                # then compares only the accuracies the failed runs ended at


@dataclasses.dataclass
class RatesAtWidths:
    epochs: int
    narrow: str                 # "2-4-4-1"
    wide: str
    rates: list                 # WidthRate, in increasing learning rate
    converged_narrow: dict      # {dataset: the learning rates at which every seed converged}
    converged_wide: dict
    separated: list             # AtRate of every comparison the rule separates, where some
                                # seed converged at one of the widths
    none_converged: list        # NoneAt: the rates and data sets where no seed converged at
                                # either width
    narrow_is_main: bool        # its narrow rows include the main network (same runs)


@dataclasses.dataclass
class LearningRateFacts:
    """The learning-rate sweep classified: a rate *converged* when every seed of both data
    sets held 100% to the end; a rate that did not is *too small* below every converged rate,
    *too large* above every converged one, and *between* otherwise (every failed rate is
    "between" when none converged). Lists of Rates are in increasing learning rate."""

    rates: list                 # every Rate
    lowest: float               # the smallest learning rate tried
    highest: float              # the largest
    epochs: int                 # the run length
    late_epochs: int            # the last epochs over which "still learning" is measured
    converged: list             # Rates that converged
    low: float | None           # the smallest converged learning rate (None: none converged)
    high: float | None          # the largest converged learning rate
    failed: list                # Rates that did not converge (too_small + between + too_large)
    too_small: list
    too_large: list
    between: list
    too_small_learning: int     # seeds of the too-small rates still learning at the end, and
    too_small_flat: int         # those that did not converge and were not (both data sets)
    larger_faster: bool         # on every data set, each converged rate was faster (rule) than
                                # the next smaller converged one (False if fewer than two)
    speeds: list                # RateSpeed per data set, in DATASET_NAMES order
    failures: list              # Failure per too-large rate and data set with a failed seed
    unstable: list              # Instability of every rate and data set where a seed fell back
                                # or spiked
    main: Rate | None           # the rate whose runs are the main network's
    diverged: list              # Rates with at least one diverged run
    bounded_loss: bool          # every run has a sigmoid output and the MSE loss, so a sample's
                                # loss is at most 1 and cannot blow up
    widths: RatesAtWidths       # the sweep repeated at two widths, for fewer epochs


def _rate_on(res, setting, dataset, X, y):
    runs = res.runs(setting, dataset)
    failed = [r for r in runs if not r.succeeded]
    learning = [r for r in failed if still_learning(r)]
    flat = [r for r in failed if r not in learning]
    changes = [abs(r.stability["late_loss_change"]) for r in flat
               if r.stability["late_loss_change"] is not None]
    constant = [r for r in failed if constant_output(r, X)]
    saturated = [r for r in constant if output_saturation(r, X) == 1.0]
    hidden = [hidden_saturation(r, X) for r in failed]
    level = chance(y)
    return RateOn(
        dataset, len(runs), len(failed), len(learning), len(flat),
        max(changes) if changes else None, len(constant), len(saturated),
        max(_slope(r, X) for r in saturated) if saturated else None,
        min(hidden) if failed and None not in hidden else None,
        sum(r.final_accuracy <= level for r in failed))


def _slope(run, X):
    out = run.predict(X)
    return float(np.max(out * (1 - out)))


def _rate(sweep, row, data, main_spec):
    runs = sweep.res.runs(row.setting)
    return Rate(
        setting=row.setting, lr=row.overrides["lr"], epochs=runs[0].spec.epochs,
        summaries=dict(row.summaries),
        loss_increase={d: loss_increase_share(sweep.res, row.setting, d) for d in sweep.datasets},
        saturation=saturation(sweep.res, row.setting, "xor", data["xor"][0],
                              threshold=SATURATION_SLOPE),
        converged=all(row.all_succeeded(d) for d in sweep.datasets),
        diverged=sum(row[d].diverged for d in sweep.datasets),
        runs=sum(row[d].runs for d in sweep.datasets), name=_lr_name(row.overrides["lr"]),
        on={d: _rate_on(sweep.res, row.setting, d, *data[d]) for d in sweep.datasets},
        main=is_main(sweep, row, main_spec))


def _speed(sweep, dataset, rates):
    """RateSpeed on ``dataset`` among ``rates`` (in increasing learning rate)."""
    rows = [sweep.row(r.setting) for r in rates if sweep.row(r.setting).all_succeeded(dataset)]
    names = {r.setting: r.name for r in rates}
    fast = sweep.winner(dataset, rows) if len(rows) > 1 else None
    slow = sweep.loser(dataset, rows) if len(rows) > 1 else None
    steps = [compare(sweep, b, a, dataset, names[b.setting], names[a.setting])
             for a, b in zip(rows, rows[1:])]
    return RateSpeed(
        dataset, fast and fast.setting, fast and fast[dataset].median_held_epoch,
        slow and slow.setting, slow and slow[dataset].median_held_epoch,
        sweep.speedup(dataset, slow, fast) if fast and slow else None,
        [r.overrides["lr"] for r in rows], fast and names[fast.setting],
        slow and names[slow.setting], steps)


def _failure(sweep, rate, dataset, X):
    on = rate.on[dataset]
    converged = [hidden_saturation(r, X) for r in sweep.res.runs(dataset=dataset) if r.succeeded]
    known = converged and None not in converged
    top = max(converged) if known else None
    return Failure(
        rate.name, dataset, on.failed, on.runs, on.constant, on.constant_saturated,
        on.output_slope, on.hidden_low, top, on.still_learning, on.flat_change, on.at_chance,
        constant_explains=on.constant_saturated == on.failed,
        hidden_explains=on.hidden_low is not None and top is not None and on.hidden_low > top)


def _merge_constant(failures):
    """One Failure per rate for the data sets where every failed seed output a saturated
    constant (the prose says it once for all of them); the others as they are."""
    out = []
    for f in failures:
        f = dataclasses.replace(f, datasets=f.datasets or [f.dataset])
        same = next((o for o in out if o.constant_explains and f.constant_explains
                     and o.name == f.name), None)
        if same is None:
            out.append(f)
            continue
        out[out.index(same)] = dataclasses.replace(
            same, datasets=same.datasets + f.datasets, failed=same.failed + f.failed,
            runs=same.runs + f.runs, constant=same.constant + f.constant,
            constant_saturated=same.constant_saturated + f.constant_saturated,
            output_slope=max(same.output_slope, f.output_slope),
            still_learning=same.still_learning + f.still_learning,
            flat_change=max((x for x in (same.flat_change, f.flat_change) if x is not None),
                            default=None),
            at_chance=same.at_chance + f.at_chance)
    return out


def rates_at_widths(sweep: SweepFacts, main_spec) -> RatesAtWidths:
    """The learning-rate sweep at two widths: which rates converged at each, and the rule's
    verdict of the wide network against the narrow one at each rate."""
    widths = sorted({tuple(r.overrides["sizes"]) for r in sweep.rows}, key=lambda s: max(s[1:-1]))
    narrow, wide = widths[0], widths[-1]
    lrs = sorted({r.overrides["lr"] for r in sweep.rows})

    def row(sizes, lr):
        return next(r for r in sweep.rows
                    if tuple(r.overrides["sizes"]) == sizes and r.overrides["lr"] == lr)

    rates, separated, none = [], [], []
    for lr in lrs:
        a, b = row(wide, lr), row(narrow, lr)
        comparisons = [compare(sweep, a, b, d, _sizes_name(wide), _sizes_name(narrow))
                       for d in DATASET_NAMES]
        rates.append(WidthRate(lr, dict(b.summaries), dict(a.summaries), comparisons))
        failed_both = [d for d in DATASET_NAMES if not a[d].succeeded and not b[d].succeeded]
        if failed_both:
            none.append(NoneAt(lr, failed_both,
                               [c for c in comparisons if c.dataset in failed_both]))
        separated += [AtRate(lr, c) for c in comparisons
                      if c.separated and c.dataset not in failed_both]
    return RatesAtWidths(
        epochs=_epochs(sweep), narrow=_sizes_name(narrow), wide=_sizes_name(wide), rates=rates,
        converged_narrow={d: [lr for lr in lrs if row(narrow, lr).all_succeeded(d)]
                          for d in DATASET_NAMES},
        converged_wide={d: [lr for lr in lrs if row(wide, lr).all_succeeded(d)]
                        for d in DATASET_NAMES},
        separated=separated, none_converged=none,
        narrow_is_main=any(is_main(sweep, row(narrow, lr), main_spec) for lr in lrs))


def learning_rate_facts(sweep: SweepFacts, main_spec, widths: SweepFacts) -> LearningRateFacts:
    data = {d: datasets.load(d) for d in sweep.datasets}
    rates = sorted((_rate(sweep, row, data, main_spec) for row in sweep.rows),
                   key=lambda r: r.lr)
    converged = [r for r in rates if r.converged]
    failed = [r for r in rates if not r.converged]
    low = converged[0].lr if converged else None
    high = converged[-1].lr if converged else None
    too_small = [r for r in failed if low is not None and r.lr < low]
    too_large = [r for r in failed if high is not None and r.lr > high]
    between = [r for r in failed if r not in too_small and r not in too_large]
    converged_rows = [sweep.row(r.setting) for r in converged]
    return LearningRateFacts(
        rates=rates, lowest=rates[0].lr, highest=rates[-1].lr, epochs=_epochs(sweep),
        late_epochs=_late_epochs(_epochs(sweep)),
        converged=converged, low=low, high=high, failed=failed,
        too_small=too_small, too_large=too_large, between=between,
        too_small_learning=sum(r.on[d].still_learning for r in too_small for d in r.on),
        too_small_flat=sum(r.on[d].flat for r in too_small for d in r.on),
        larger_faster=all(sweep.each_faster(d, converged_rows) for d in sweep.datasets),
        speeds=[_speed(sweep, d, rates) for d in DATASET_NAMES],
        failures=_merge_constant([_failure(sweep, r, d, data[d][0]) for r in too_large
                                  for d in DATASET_NAMES if r.on[d].failed]),
        unstable=_unstable(sweep.res, {r.setting: r.name for r in rates}),
        main=next((r for r in rates if r.main), None),
        diverged=[r for r in rates if r.diverged],
        bounded_loss=all(run.spec.output_activation == "sigmoid" and run.spec.loss == "mse"
                         for run in sweep.res.runs()),
        widths=rates_at_widths(widths, main_spec))


# ---------------------------------------------------------------- B. hidden units

@dataclasses.dataclass
class Width:
    """One network of the width sweeps."""

    setting: str
    width: int                  # units of the first hidden layer
    hidden: tuple               # units of every hidden layer
    summaries: dict             # {dataset: results.Summary over its seeds}
    name: str = ""              # its layer sizes, "2-4-4-1"
    main: bool = False          # its runs are the main network's (Table 1)


@dataclasses.dataclass
class NarrowestSolved:
    """On one data set, the narrowest width that converged on every seed."""

    dataset: str
    width: int | None           # None: no width did
    narrower: list              # the Widths narrower than it (none of them did), narrowest first


@dataclasses.dataclass
class WidthSpeed:
    """On one data set, among the widths that converged on every seed of it: the rule's
    fastest, and each one against the next narrower one."""

    dataset: str
    candidates: list            # names, narrowest first
    fastest: Width | None       # faster than every other candidate (None: none is)
    steps: list                 # Comparison of each candidate with the next narrower one
    wider_faster: bool          # every step is FASTER (at least two candidates)


@dataclasses.dataclass
class Unequal:
    """A network whose hidden layers differ in width, against the equal-width networks of
    its narrower and its wider layer."""

    name: str
    hidden: tuple
    summaries: dict
    comparisons: list           # Comparison of it against each equal-width network, per data set
    others: list                # the names of those networks
    separated: list             # the comparisons the rule separates


@dataclasses.dataclass
class Mirror:
    a: str
    b: str
    comparisons: list           # Comparison of a against b, per data set
    separated: list             # those the rule separates


@dataclasses.dataclass
class WideFacts:
    """The wide networks, trained for fewer epochs."""

    epochs: int
    widths: list                # Width, narrowest first
    all_converged: bool         # every seed of every width converged on both data sets
    speeds: list                # WidthSpeed per data set
    unstable: list              # Instability of each width that fell back or spiked
    brief: int = 0              # converged runs that held 100% only over the last SHORT_HOLD


@dataclasses.dataclass
class HiddenUnitsFacts:
    widths: list                # every equal-width Width, narrowest first
    narrowest: int              # units per layer of the narrowest network
    widest: int
    epochs: int
    narrowest_solved: list      # NarrowestSolved per data set, in DATASET_NAMES order
    speeds: list                # WidthSpeed per data set
    single_unit_xor_best: float | None  # when the narrowest network has one unit in every hidden
                                # layer and none of its XOR seeds ever reached 100%: the best
                                # final XOR accuracy of its runs (otherwise None)
    unstable: list              # Instability of the equal widths that fell back or spiked
    unequal: list               # Unequal networks (hidden layers of different widths)
    mirrored: list              # Mirror: two unequal networks with the same layers in the
                                # opposite order (empty: no such pair)
    widest_fastest: list        # the data sets on which the widest network was the fastest
    unequal_separated: bool     # the rule separates some unequal network from another network
    main: Width | None          # the width whose runs are the main network's
    wide: WideFacts             # the wide networks, trained for fewer epochs


def _widths(sweep, main_spec):
    return [Width(r.setting, r.overrides["sizes"][1], tuple(r.overrides["sizes"][1:-1]),
                  dict(r.summaries), _sizes_name(r.overrides["sizes"]),
                  is_main(sweep, r, main_spec))
            for r in sweep.rows]


def _width_speed(sweep, widths, dataset):
    rows = [sweep.row(w.setting) for w in widths if sweep.row(w.setting).all_succeeded(dataset)]
    names = {w.setting: w for w in widths}
    fast = sweep.winner(dataset, rows) if len(rows) > 1 else None
    steps = [compare(sweep, b, a, dataset, names[b.setting].name, names[a.setting].name)
             for a, b in zip(rows, rows[1:])]
    return WidthSpeed(dataset, [names[r.setting].name for r in rows],
                      fast and names[fast.setting], steps,
                      bool(steps) and all(s.outcome == FASTER for s in steps))


def _unequal(sweep, equal, w):
    by_width = {e.width: e for e in equal}
    comparisons = []
    for units in sorted(set(w.hidden)):
        other = by_width.get(units)
        if other is not None:
            comparisons += [compare(sweep, sweep.row(w.setting), sweep.row(other.setting), d,
                                    w.name, other.name) for d in DATASET_NAMES]
    return Unequal(w.name, w.hidden, w.summaries, comparisons,
                   list(dict.fromkeys(c.b for c in comparisons)),
                   [c for c in comparisons if c.separated])


def wide_facts(sweep, main_spec, settings):
    widths = sorted((w for w in _widths(sweep, main_spec) if w.setting in settings),
                    key=lambda w: w.width)
    return WideFacts(max(sweep.res.runs(w.setting)[0].spec.epochs for w in widths), widths,
                     all(sweep.row(w.setting).all_succeeded(d) for w in widths for d in DATASET_NAMES),
                     [_width_speed(sweep, widths, d) for d in DATASET_NAMES],
                     _unstable(sweep.res, {w.setting: w.name for w in widths}),
                     sum(held_briefly(r) for w in widths for r in sweep.res.runs(w.setting)))


def own_length(sweep):
    """The settings of the width experiment that set their own number of epochs (the wide
    networks), and the others."""
    own = [r.setting for r in sweep.rows if "epochs" in r.overrides]
    return own, [r.setting for r in sweep.rows if r.setting not in own]


def hidden_units_facts(sweep: SweepFacts, main_spec) -> HiddenUnitsFacts:
    wide, rest = own_length(sweep)
    every = [w for w in _widths(sweep, main_spec) if w.setting in rest]
    widths = sorted((w for w in every if len(set(w.hidden)) == 1), key=lambda w: w.width)
    unequal = [w for w in every if len(set(w.hidden)) > 1]
    rows = [sweep.row(w.setting) for w in widths]
    solved = []
    for d in DATASET_NAMES:
        ok = sweep.succeeded(d, rows)
        first = rows.index(ok[0]) if ok else None
        solved.append(NarrowestSolved(d, widths[first].width if ok else None,
                                      widths[:first] if ok else []))
    narrow = rows[0]
    speeds = [_width_speed(sweep, widths, d) for d in DATASET_NAMES]
    unequal_facts = [_unequal(sweep, widths, w) for w in unequal]
    pairs = [(a, b) for i, a in enumerate(unequal) for b in unequal[i + 1:]
             if a.hidden == tuple(reversed(b.hidden))]
    mirrored = []
    for a, b in pairs:
        comparisons = [compare(sweep, sweep.row(a.setting), sweep.row(b.setting), d, a.name,
                               b.name) for d in DATASET_NAMES]
        mirrored.append(Mirror(a.name, b.name, comparisons,
                               [c for c in comparisons if c.separated]))
    return HiddenUnitsFacts(
        widths=widths, narrowest=widths[0].width, widest=widths[-1].width,
        epochs=max(sweep.res.runs(s)[0].spec.epochs for s in rest),
        narrowest_solved=solved,
        speeds=speeds,
        single_unit_xor_best=sweep.max_accuracy("xor", [narrow])
        if max(widths[0].hidden) == 1 and narrow.never_reached("xor") else None,
        unstable=_unstable(sweep.res, {w.setting: w.name for w in widths}),
        unequal=unequal_facts, mirrored=mirrored,
        widest_fastest=[sp.dataset for sp in speeds
                        if sp.fastest is not None and sp.fastest.width == widths[-1].width],
        unequal_separated=any(c.separated for u in unequal_facts for c in u.comparisons)
        or any(m.separated for m in mirrored),
        main=next((w for w in widths if w.main), None),
        wide=wide_facts(sweep, main_spec, wide))


# ---------------------------------------------------------------- C. no activation

@dataclasses.dataclass
class Divergence:
    setting: str
    diverged: int               # runs that diverged, over both data sets
    runs: int                   # runs, over both data sets
    name: str = ""              # as the prose names the setting


@dataclasses.dataclass
class LinearOutcome:
    """A network without any activation (a linear model) on XOR: where gradient descent on
    the squared error ended, against the least-squares fit."""

    setting: str
    name: str                   # as the prose names it
    finished: int               # runs that did not diverge
    runs: int
    at_fit: int                 # of those, runs whose outputs are the least-squares fit's
                                # (within FIT_TOLERANCE on every point)
    largest_gap: float | None   # the largest |ŷ - ŷ_fit| over those runs and points
    constant: int               # runs with the same output on every point
    tolerance: float = 0.0      # FIT_TOLERANCE


@dataclasses.dataclass
class LogisticOutcome:
    """The network without hidden activations but with its sigmoid output, on XOR."""

    runs: int
    at_ceiling: int             # seeds that ended at the best straight line's accuracy
    constant: int               # seeds with the same output on every point
    constant_at_chance: int     # of those, seeds that ended at the majority share


@dataclasses.dataclass
class NoActivationFacts:
    input_size: int             # W = W_1 ... W_k, the product of the weight matrices, is
    output_size: int            # input_size × output_size
    weight_matrices: int        # k
    main: Row                   # the network with sigmoid hidden activations
    main_is_main: bool          # its runs are the main network's (Table 1)
    main_name: str              # it as the prose names it
    fit_at_chance: bool         # the least-squares fit scores chance on XOR
    without: list               # the settings without hidden activations
    reached_xor: list           # of those, the ones where some seed reached 100% on XOR
    best_xor: float             # the best final XOR accuracy of any run without hidden activations
    logistic: Row | None        # identity hidden layers, sigmoid output (None: not in the
                                # experiment)
    logistic_xor: LogisticOutcome | None
    compared: list              # Comparison of the logistic network with the main one, per data set
    diverged: list              # Divergence of every setting with a diverged run
    fit_accuracy: float         # the least-squares linear fit's accuracy on XOR (ŷ > threshold)
    fit_correct: int
    fit_constant: bool          # that fit gives every XOR point the same value
    fit_value: float            # its mean output on the XOR points
    fit_below_ceiling: bool     # it scores less than the best straight line
    linear: list                # LinearOutcome of each network without any activation
    boundary_constant: list = dataclasses.field(default_factory=list)  # the data sets on which
                                # the run the boundary figure draws (seed 0 of the first setting
                                # without hidden activations) outputs a constant


#: a linear network's outputs count as the least-squares fit's when they are this close
FIT_TOLERANCE = 1e-6


def _noact_name(sweep, row):
    """A setting of the no-activation experiment as the prose names it: by its activations
    (registry display names) and, where the experiment's settings differ in it, its learning
    rate."""
    spec = sweep.res.runs(row.setting)[0].spec
    hidden, output = spec.activation, spec.output_activation
    if hidden == WITHOUT and output == WITHOUT:
        name = _("the fully linear network")
    elif hidden == WITHOUT and output == "sigmoid":
        name = _("the logistic model")
    elif hidden == WITHOUT:
        name = _("the network without hidden activations ({output} output)").format(
            output=_(ACTIVATIONS[output].display))
    else:
        name = _network_name(hidden)
    rates = {r.spec.lr for r in sweep.res.runs()}
    return (_("{network} at {rate}").format(network=name, rate=_lr_name(spec.lr))
            if len(rates) > 1 else name)


def least_squares_fit(X, y):
    """The least-squares linear fit of ``y`` on [x0, x1, 1]: its outputs on ``X``."""
    A = np.column_stack([X, np.ones(len(X))])
    weights, *_rest = np.linalg.lstsq(A, y, rcond=None)
    return A @ weights


def _linear_outcome(sweep, row, X, fit):
    runs = sweep.res.runs(row.setting, "xor")
    done = [r for r in runs if r.status == "ok"]
    gaps = [float(np.max(np.abs(r.predict(X) - fit))) for r in done]
    return LinearOutcome(row.setting, _noact_name(sweep, row), len(done), len(runs),
                         sum(g <= FIT_TOLERANCE for g in gaps), max(gaps) if gaps else None,
                         sum(constant_output(r, X) for r in done), FIT_TOLERANCE)


def no_activation_facts(sweep: SweepFacts, main_spec, ceiling) -> NoActivationFacts:
    main = sweep.rows_where(activation=WITH)[0]       # there is one: see _with_and_without
    linear = sweep.rows_where(activation=WITHOUT)
    logistic = next(iter(sweep.rows_where(activation=WITHOUT, output_activation="sigmoid")),
                    None)
    none_at_all = sweep.rows_where(activation=WITHOUT, output_activation=WITHOUT)
    sizes = sweep.res.runs(linear[0].setting)[0].spec.sizes
    X, y = datasets.load("xor")
    fit = least_squares_fit(X, y)
    fit_accuracy = float(accuracy(fit, y))
    level = chance(y)
    logistic_runs = sweep.res.runs(logistic.setting, "xor") if logistic else []
    constant = [r for r in logistic_runs if constant_output(r, X)]
    return NoActivationFacts(
        input_size=sizes[0], output_size=sizes[-1], weight_matrices=len(sizes) - 1,
        main=main, main_is_main=is_main(sweep, main, main_spec),
        without=[r.setting for r in linear],
        reached_xor=[_noact_name(sweep, r) for r in linear if not r.never_reached("xor")],
        best_xor=sweep.max_accuracy("xor", linear), logistic=logistic,
        logistic_xor=LogisticOutcome(
            len(logistic_runs), sum(math.isclose(r.final_accuracy, ceiling) for r in logistic_runs),
            len(constant), sum(r.final_accuracy <= level for r in constant)) if logistic else None,
        compared=[compare(sweep, logistic, main, d, _("the logistic model"),
                          _("the main network")) for d in DATASET_NAMES] if logistic else [],
        diverged=[Divergence(r.setting, sum(r[d].diverged for d in sweep.datasets),
                             sum(r[d].runs for d in sweep.datasets), _noact_name(sweep, r))
                  for r in sweep.diverged()],
        main_name=_noact_name(sweep, main), fit_at_chance=math.isclose(fit_accuracy, level),
        fit_accuracy=fit_accuracy, fit_correct=round(fit_accuracy * len(X)),
        fit_constant=bool(np.ptp(fit) < CONSTANT_SPREAD), fit_value=float(np.mean(fit)),
        fit_below_ceiling=fit_accuracy < ceiling,
        linear=[_linear_outcome(sweep, r, X, fit) for r in none_at_all],
        boundary_constant=[d for d in DATASET_NAMES
                           if constant_output(sweep.res.runs(linear[0].setting, d)[0],
                                              datasets.load(d)[0])])


# ---------------------------------------------------------------- D. other things tried

@dataclasses.dataclass
class InitStart:
    """How one initialisation's networks start (with biases), on the XOR points."""

    init: str                   # its name in the prose
    positive: float             # share of the initial weights that are positive, over seeds
    likeness: list              # per seed, the hidden units' likeness at the start (see
                                # ``likeness``)
    likeness_end: list          # the same after training
    converged: int              # seeds that converged on XOR
    runs: int

    @property
    def low(self):
        return _lowest(self.likeness)

    @property
    def high(self):
        return _highest(self.likeness)

    @property
    def end_low(self):
        return _lowest(self.likeness_end)

    @property
    def end_high(self):
        return _highest(self.likeness_end)

    def to_data(self):
        return {**{f.name: getattr(self, f.name) for f in dataclasses.fields(self)},
                "low": self.low, "high": self.high, "end_low": self.end_low,
                "end_high": self.end_high}


def _lowest(values):
    known = [v for v in values if v is not None]
    return min(known) if known else None


def _highest(values):
    known = [v for v in values if v is not None]
    return max(known) if known else None


@dataclasses.dataclass
class BiasVerdict:
    """One initialisation with biases against the same without, on one data set."""

    init: str
    comparison: Comparison


@dataclasses.dataclass
class OtherFacts:
    """Initialisations and biases (on XOR unless said otherwise)."""

    initialisations: int        # distinct initialisation methods
    init_names: list            # their names in the prose, in the experiment's order
    best: Row | None            # the rule's best setting on XOR (None: none beats every other)
    best_name: str | None
    worst: Row | None           # the setting every other beats on XOR (None: none)
    worst_name: str | None
    uniform_bias: Row | None    # uniform [0, 1) weights with biases (None: not in the experiment)
    uniform_bias_solved_all: bool  # it converged on XOR on every seed
    uniform_still_learning: int  # of its XOR seeds that did not converge, those still learning
    uniform_failed: int
    uniform_failed_runs: int    # uniform runs, with or without biases, that did not converge on XOR
    uniform_converged_runs: int  # uniform runs, with or without biases, that converged on XOR
    xor_solved_with_bias: int   # XOR runs with biases that converged, over every initialisation
    xor_solved_without_bias: int
    runs_with_bias: int
    runs_without_bias: int
    bias_verdicts: list         # BiasVerdict per initialisation, on XOR
    bias_better: int            # initialisations where biases were better or faster on XOR
    bias_worse: int
    linear_solved: int          # settings that converged on every seed of the linear set
    settings: int
    starts: list                # InitStart per initialisation
    uniform_start: InitStart | None
    failed_likeness: tuple      # (lowest, highest) start likeness of the uniform runs that did
                                # not converge on XOR, with or without biases (None, None: none)
    failed_likeness_end: tuple  # the same after training
    converged_likeness: float | None  # the highest start likeness of any run that converged on XOR
    converged_likeness_end: float | None  # the same at the end
    likeness_separates: bool    # every uniform run (with or without biases) that did not
                                # converge on XOR started more alike than every converged run
    likeness_end_separates: bool  # the same at the end of training
    main_name: str | None       # the setting whose runs are the main network's
    epochs: int
    late_epochs: int
    other_failed_likeness: tuple = (None, None)  # (lowest, highest) start likeness of the
                                # other XOR runs that did not converge (not uniform)
    all_failed_separate: bool = False  # every XOR run that did not converge, whatever its
                                # initialisation, started more alike than every converged one
    init_tex: list = dataclasses.field(default_factory=list)  # each one's draw, TeX (the
                                # registry's), in init_names' order


@dataclasses.dataclass
class LossFacts:
    """The main network on two losses."""

    epochs: int
    names: list                 # the losses' display names: the squared error first
    rows: list                  # their Rows, in that order
    comparisons: list           # Comparison of the second against the first, per data set
    unstable: list              # Instability of each that fell back or spiked
    squared_is_main: bool       # the squared-error runs are the main network's
    deltas: list                # each loss's gradient at the output unit's input, TeX
    second_ahead: bool          # the second loss was faster or better on some data set


@dataclasses.dataclass
class BatchSize:
    name: str                   # "batch size 10", "the full batch"
    size: int | None            # None: the full batch
    updates: dict               # {dataset: updates per epoch}
    summaries: dict
    total_updates: dict         # {dataset: updates over the whole run}


@dataclasses.dataclass
class BatchFacts:
    epochs: int
    points: dict                # {dataset: training points}
    sizes: list                 # BatchSize, smallest first, the full batch last
    comparisons: list           # Comparison of each mini-batch size against the full batch
    unstable: list
    full_is_main: bool          # the full-batch runs are the main network's
    equal_updates: list = dataclasses.field(default_factory=list)  # EqualUpdates of each
                                # mini-batch size and data set (empty: not comparable)


@dataclasses.dataclass
class OriginOutput:
    """Outputs at the point (0, 0) of one network without biases, over seeds and data sets."""

    name: str
    lowest: float               # the lowest ŷ(0, 0) of its runs
    highest: float
    exact: bool                 # every run gives exactly the class threshold there


@dataclasses.dataclass
class BiasFreeFacts:
    """The network without biases, with ReLU hidden units against sigmoid ones."""

    epochs: int
    relu: Row
    relu_name: str
    others: list                # Rows of the other networks without biases
    outputs: list               # OriginOutput of each network, ReLU first
    threshold: float            # the class rule: class 1 when ŷ > threshold
    threshold_is_class_0: bool  # the engine's accuracy counts ŷ = threshold as class 0
    origin_label: int | None    # the XOR label of the point (0, 0) (None: not an XOR point)
    xor_points: int
    comparisons: list           # Comparison of the ReLU network with each other one, per data set
    dead_low: float | None      # the share of ReLU hidden units dead after training, lowest and
    dead_high: float | None     # highest over its runs
    twins: list = dataclasses.field(default_factory=list)  # Twin: its networks that another
                                # table trains for another number of epochs


@dataclasses.dataclass
class PartDFacts:
    """What part D contains besides initialisation and biases."""

    loss: LossFacts
    batch: BatchFacts
    bias_free: BiasFreeFacts


def _initial_layers(run, X):
    net = Network.from_spec(run.spec)
    net.forward(X)
    return [layer.output.reshape(len(X), -1).copy() for layer in net.layers[:-1]]


def likeness(layers):
    """How alike a network's hidden units are on some points: the mean, over every pair of
    units of the same hidden layer, of the absolute correlation of their outputs over the
    points (1: the units move together; pairs with a constant unit are left out)."""
    values = []
    for layer in layers:
        spread = layer.std(axis=0) > 0
        if spread.sum() < 2:
            continue
        corr = np.corrcoef(layer[:, spread].T)
        upper = np.triu_indices(corr.shape[0], 1)
        values.extend(np.abs(corr[upper]).tolist())
    return float(np.mean(values)) if values else None


def _positive_share(run):
    weights = [w for name, w in Network.from_spec(run.spec).parameters().items()
               if name.startswith("W")]
    return float(np.mean(np.concatenate([w.ravel() for w in weights]) > 0))


def _init_name(init):
    return _(INITIALIZERS[init].display)


def _init_setting_name(row):
    if row.overrides["bias"]:
        return _("{init} weights with biases").format(init=_init_name(row.overrides["init"]))
    return _("{init} weights without biases").format(init=_init_name(row.overrides["init"]))


def other_facts(sweep: SweepFacts, main_spec) -> OtherFacts:
    X, _labels_xor = datasets.load("xor")
    uniform = next(iter(sweep.rows_where(init="uniform", bias=True)), None)
    with_rows, without_rows = sweep.rows_where(bias=True), sweep.rows_where(bias=False)
    best, worst = sweep.winner("xor"), sweep.loser("xor")
    inits = list(dict.fromkeys(r.overrides["init"] for r in sweep.rows))
    verdicts = []
    for init in inits:
        a = next(iter(sweep.rows_where(init=init, bias=True)), None)
        b = next(iter(sweep.rows_where(init=init, bias=False)), None)
        if a and b:
            verdicts.append(BiasVerdict(_init_name(init), compare(
                sweep, a, b, "xor", _("the network with biases"), _("the one without"))))
    starts = []
    for init in inits:
        rows = sweep.rows_where(init=init, bias=True) or sweep.rows_where(init=init)
        runs = sweep.res.runs(rows[0].setting, "xor")
        starts.append(InitStart(
            _init_name(init), float(np.mean([_positive_share(r) for r in runs])),
            [likeness(_initial_layers(r, X)) for r in runs],
            [likeness(r.hidden_layers(X)) if r.status == "ok" else None for r in runs],
            sum(r.succeeded for r in runs), len(runs)))
    every = sweep.res.runs(dataset="xor")
    converged = [r for r in every if r.succeeded]
    failed_uniform = [r for r in every if r.spec.init == "uniform" and not r.succeeded]
    failed_other = [r for r in every if r.spec.init != "uniform" and not r.succeeded]
    start = {id(r): likeness(_initial_layers(r, X))
             for r in converged + failed_uniform + failed_other}
    end = {id(r): likeness(r.hidden_layers(X)) for r in converged + failed_uniform
           if r.status == "ok"}

    def top(values):
        known = [v for v in values if v is not None]
        return max(known) if known else None

    def separates(measure, failed=failed_uniform):
        low = [measure.get(id(r)) for r in failed]
        high = top(measure.get(id(r)) for r in converged)
        return bool(failed) and high is not None and None not in low and min(low) > high

    uniform_runs = sweep.res.runs(uniform.setting, "xor") if uniform else []
    uniform_failed = [r for r in uniform_runs if not r.succeeded]
    main = next((r for r in sweep.rows if is_main(sweep, r, main_spec)), None)
    return OtherFacts(
        initialisations=len(inits), init_names=[_init_name(i) for i in inits],
        init_tex=[INITIALIZERS[i].tex for i in inits],
        best=best, best_name=best and _init_setting_name(best),
        worst=worst, worst_name=worst and _init_setting_name(worst), uniform_bias=uniform,
        uniform_bias_solved_all=uniform is not None and uniform.all_succeeded("xor"),
        uniform_still_learning=sum(bool(still_learning(r)) for r in uniform_failed),
        uniform_failed=len(uniform_failed), uniform_failed_runs=len(failed_uniform),
        uniform_converged_runs=sum(r.spec.init == "uniform" for r in converged),
        xor_solved_with_bias=sum(r["xor"].succeeded for r in with_rows),
        xor_solved_without_bias=sum(r["xor"].succeeded for r in without_rows),
        runs_with_bias=sum(r["xor"].runs for r in with_rows),
        runs_without_bias=sum(r["xor"].runs for r in without_rows),
        bias_verdicts=verdicts,
        bias_better=sum(v.comparison.outcome in (FASTER, BETTER) for v in verdicts),
        bias_worse=sum(v.comparison.outcome in (SLOWER, WORSE) for v in verdicts),
        linear_solved=len(sweep.succeeded("linear")), settings=len(sweep.rows),
        starts=starts, uniform_start=next((s for s, i in zip(starts, inits) if i == "uniform"),
                                          None),
        failed_likeness=(_lowest(start[id(r)] for r in failed_uniform),
                         _highest(start[id(r)] for r in failed_uniform)),
        failed_likeness_end=(_lowest(end.get(id(r)) for r in failed_uniform),
                             _highest(end.get(id(r)) for r in failed_uniform)),
        converged_likeness=top(start[id(r)] for r in converged),
        converged_likeness_end=top(end.get(id(r)) for r in converged),
        likeness_separates=separates(start), likeness_end_separates=separates(end),
        other_failed_likeness=(_lowest(start[id(r)] for r in failed_other),
                               _highest(start[id(r)] for r in failed_other)),
        all_failed_separate=separates(start, failed_uniform + failed_other),
        main_name=main and _init_setting_name(main), epochs=_epochs(sweep),
        late_epochs=_late_epochs(_epochs(sweep)))


def loss_facts(sweep, main_spec):
    def loss_of(row):
        return sweep.res.runs(row.setting)[0].spec.loss

    rows = sorted(sweep.rows, key=lambda r: loss_of(r) != "mse")
    names = [_loss_name(loss_of(r)) for r in rows]
    comparisons = [compare(sweep, rows[1], rows[0], d, names[1], names[0]) for d in DATASET_NAMES]
    return LossFacts(
        _epochs(sweep), names, rows, comparisons,
        _unstable(sweep.res, {r.setting: n for r, n in zip(rows, names)}),
        is_main(sweep, rows[0], main_spec), [LOSSES[loss_of(r)].delta_tex for r in rows],
        any(c.outcome in (FASTER, BETTER) for c in comparisons))


@dataclasses.dataclass
class EqualUpdates:
    """A mini-batch size on one data set against the main network's full-batch runs (the
    same setting trained longer) after as many updates: how many seeds of each had reached
    100% (``epochs_to_100`` is exact, measured on every epoch)."""

    name: str
    dataset: str
    updates: int                # the mini-batch runs' updates over their epochs
    reached: int                # of its seeds, those that reached 100% within them
    runs: int
    full_reached: int           # of the main network's seeds, those at 100% by epoch ``updates``
    full_runs: int
    held: int = 0               # of the mini-batch seeds, those that held 100% to their end


def equal_updates(sweep, sizes, full, main_res):
    """EqualUpdates of every mini-batch size, when the main network is the full-batch setting
    trained for at least as many epochs as the mini-batches make updates (else empty)."""
    def same(spec):
        spec = dict(spec)
        spec.pop("epochs")
        return spec

    main_runs = main_res.runs(main_res.settings[0])
    full_spec = same(_spec_key(sweep.res.runs(full.setting)[0]))
    if same(_spec_key(main_runs[0])) != full_spec:
        return []
    out = []
    for b in sizes:
        if b.size is None:
            continue
        for d in DATASET_NAMES:
            updates = b.total_updates[d]
            on = [r for r in main_runs if r.dataset == d]
            if updates > min(r.spec.epochs for r in on) or b.updates[d] == 1:
                continue
            out.append(EqualUpdates(
                b.name, d, updates, b.summaries[d].reached_100, b.summaries[d].runs,
                sum(r.epochs_to_100 is not None and r.epochs_to_100 <= updates for r in on),
                len(on), b.summaries[d].succeeded))
    return out


def batch_facts(sweep, main_spec, main_res=None):
    points = {d: len(datasets.load(d)[0]) for d in DATASET_NAMES}

    def size_of(row):
        return sweep.res.runs(row.setting)[0].spec.batch_size

    def effective(row, d):
        size = size_of(row)
        return None if size is None or size >= points[d] else size

    rows = sorted(sweep.rows, key=lambda r: math.inf if size_of(r) is None else size_of(r))
    full = next(r for r in rows if all(effective(r, d) is None for d in DATASET_NAMES))
    sizes, named = [], {}
    for r in rows:
        size = size_of(r)
        name = _batch_size_name(None if r is full else size)
        named[r.setting] = name
        updates = {d: 1 if effective(r, d) is None else math.ceil(points[d] / size)
                   for d in DATASET_NAMES}
        sizes.append(BatchSize(
            name, None if r is full else size, updates, dict(r.summaries),
            {d: updates[d] * _epochs(sweep) for d in DATASET_NAMES}))
    return BatchFacts(
        _epochs(sweep), points, sizes,
        [compare(sweep, r, full, d, named[r.setting], _batch_size_name(None))
         for r in rows if r is not full for d in DATASET_NAMES],
        _unstable(sweep.res, named), is_main(sweep, full, main_spec),
        equal_updates(sweep, sizes, full, main_res) if main_res is not None else [])


@dataclasses.dataclass
class Twin:
    """A network of one table that another table trains for another number of epochs."""

    name: str                   # as this table's prose names it
    table: str                  # the other table's id
    row: str                    # the row there, as the prose names it
    epochs: int                 # its epochs there


def twins(sweep, names, other, table, other_name):
    """Twin of each row of ``sweep`` whose spec (but for seed and epochs) is that of a row of
    ``other``, trained for a different number of epochs."""
    found = []
    for r in sweep.rows:
        for o in other.rows:
            twin = other.res.runs(o.setting)[0]
            if main_kind(sweep.res.runs(r.setting), _spec_key(twin)) == "setting":
                found.append(Twin(names[r.setting], table, other_name(other, o),
                                  twin.spec.epochs))
    return found


def bias_free_facts(sweep, init=None):
    origin = np.zeros((1, 2))
    X, y = datasets.load("xor")
    at = np.flatnonzero(np.all(X == 0, axis=1))

    def activation(row):
        return sweep.res.runs(row.setting)[0].spec.activation

    relu = next(r for r in sweep.rows if activation(r) == "relu")
    others = [r for r in sweep.rows if r is not relu]
    names = {r.setting: _network_name(activation(r)) for r in sweep.rows}
    outputs = []
    for r in [relu, *others]:
        values = [float(run.predict(origin)[0, 0]) for run in sweep.res.runs(r.setting)
                  if run.status == "ok"]
        outputs.append(OriginOutput(names[r.setting], min(values), max(values),
                                    all(v == CLASS_THRESHOLD for v in values)))
    dead = [dead_units(run, datasets.load(run.dataset)[0]) for run in sweep.res.runs(relu.setting)]
    dead = [d for d in dead if d is not None]
    return BiasFreeFacts(
        epochs=_epochs(sweep), relu=relu, relu_name=names[relu.setting], others=others,
        outputs=outputs, threshold=CLASS_THRESHOLD,
        threshold_is_class_0=bool(accuracy(np.array([[CLASS_THRESHOLD]]),
                                           np.array([[0.0]])) == 1.0),
        origin_label=int(y[at[0], 0]) if at.size else None, xor_points=len(X),
        comparisons=[compare(sweep, relu, o, d, names[relu.setting], names[o.setting])
                     for o in others for d in DATASET_NAMES],
        dead_low=min(dead) if dead else None, dead_high=max(dead) if dead else None,
        twins=twins(sweep, names, init, "init",
                    lambda sw, r: translated_label(r.setting, sw.res.overrides(r.setting)))
        if init is not None else [])


# ---------------------------------------------------------------- the section

@dataclasses.dataclass
class RuleFacts:
    """The comparison rule as the report states it."""

    seeds: int                  # seeds per setting and data set
    needed: int                 # seeds a setting must be ahead on
    by_chance: float            # the probability that one given setting is ahead on at least
                                # ``needed`` seeds when two settings are alike (each seed a coin
                                # toss, no ties)
    by_chance_either: float     # the same for either of the two: a verdict of some difference
    spike_factor: float         # a loss spike: above this many times the running minimum
    still_learning: float       # "still learning": the lowest loss fell by more than this share
    late_share: float           # over this last share of the epochs
    constant_spread: float      # "a constant output": outputs within this of each other
    saturation_slope: float     # a saturated sigmoid: slope s(1 - s) below this
    history_points: int = HISTORY_POINTS  # a run's history is recorded at up to this many
                                # evenly spaced epochs
    tie_share: float = rule.TIE_SHARE  # held epochs closer than this share of the run tie


@dataclasses.dataclass
class MainRow:
    """A row of one of the section's tables that is the main network itself."""

    table: str                  # the table's id
    name: str                   # the row as the prose names it
    setting: str                # its setting's label


@dataclasses.dataclass
class BriefHold:
    """A row of the section's tables with seeds that held 100% only over the last epochs."""

    table: str                  # the table's id
    name: str                   # the row as the prose names it
    dataset: str
    brief: int                  # its seeds that held 100% over less than the last SHORT_HOLD
    converged: int              # its seeds that converged
    latest: int                 # the latest epoch from which one of them held it
    epochs: int                 # of how many


def brief_holds(sweeps):
    """BriefHold of every row and data set of the section's tables that has such seeds."""
    found = []
    for table_id, experiment, _what, name in TABLES:
        sweep = sweeps[experiment]
        for r in sweep.rows:
            if r.setting not in _table_rows(table_id, sweep):
                continue
            for d in sweep.datasets:
                runs = [run for run in sweep.res.runs(r.setting, d) if held_briefly(run)]
                if runs:
                    found.append(BriefHold(table_id, name(sweep, r), d, len(runs),
                                           r[d].succeeded, max(run.held_100 for run in runs),
                                           max(run.epochs_run for run in runs)))
    return found


@dataclasses.dataclass
class DiscussionFacts:
    seeds: int                  # seeds per setting and data set (of the learning-rate sweep)
    dataset_names: dict         # DATASET_NAMES
    set_names: dict             # {dataset: how the prose names it after "on": SET_NAMES}
    rule: RuleFacts
    chance: dict                # {dataset: the majority class's share: what one class scores}
    chance_correct: dict        # {dataset: how many points that is}
    points: dict                # {dataset: training points}
    threshold: float            # the class rule: class 1 when ŷ is above it
    main_epochs: int            # the main network's run length
    main_rows: list             # MainRow of every table row that is the main network
    learning_rate: LearningRateFacts
    hidden_units: HiddenUnitsFacts
    no_activation: NoActivationFacts
    other: OtherFacts
    part_d: PartDFacts
    xor_points: int             # points of the XOR data set
    xor_linear_ceiling: float   # the best accuracy any straight line reaches on them
    xor_linear_correct: int     # how many points that line classifies correctly
    mixed_outcomes: int         # setting–data-set pairs of every experiment of the report that
                                # converged on some seeds but not on others
    report_seeds: int           # seeds per setting of the main network
    brief_holds: list           # BriefHold of the section's tables
    short_hold: float = SHORT_HOLD


def rule_facts(seeds):
    needed = math.ceil(rule.MAJORITY * seeds)
    by_chance = sum(math.comb(seeds, k) for k in range(needed, seeds + 1)) / 2 ** seeds
    # ahead on a majority of the seeds: the two settings' chances are disjoint, and add
    return RuleFacts(seeds, needed, by_chance, 2 * by_chance, stability.SPIKE_FACTOR,
                     stability.STILL_LEARNING, stability.LATE_SHARE, CONSTANT_SPREAD,
                     SATURATION_SLOPE)


def main_spec_of(inputs):
    main = inputs.results["main"]
    return _spec_key(main.runs(main.settings[0])[0])


def _batch_name(sweep, row):
    return _batch_size_name(sweep.res.runs(row.setting)[0].spec.batch_size)


def _bias_free_name(sweep, row):
    return _network_name(sweep.res.runs(row.setting)[0].spec.activation)


def _width_rate_name(sizes, lr):
    """A row of the learning-rate-at-two-widths table: "2-4-4-1 at learning rate 1"."""
    return _("{sizes} at {rate}").format(sizes=_sizes_name(sizes), rate=_lr_name(lr))


#: the section's tables in order: (table id, experiment, what the caption calls its rows, how
#: the prose names one of its rows: name(sweep, row)); the captions are translated where the
#: tables are made
TABLES = (
    ("lr", "learning_rate", N_("Learning rates"), lambda sw, r: _lr_name(r.overrides["lr"])),
    ("lr_widths", "learning_rate_widths", N_("Learning rates at two widths"),
     lambda sw, r: _width_rate_name(r.overrides["sizes"], r.overrides["lr"])),
    ("hidden", "hidden_units", N_("Hidden widths"),
     lambda sw, r: _sizes_name(r.overrides["sizes"])),
    ("wide", "hidden_units", N_("Wide hidden layers"),
     lambda sw, r: _sizes_name(r.overrides["sizes"])),
    ("noact", "no_activation", N_("With and without activation functions"), _noact_name),
    ("init", "initialisation", N_("Initialisations and biases"),
     lambda sw, r: _init_setting_name(r)),
    ("loss", "loss", N_("Losses"), lambda sw, r: _loss_name(sw.res.runs(r.setting)[0].spec.loss)),
    ("batch", "batch_size", N_("Batch sizes"), _batch_name),
    ("bias_free", "bias_free", N_("Networks without biases"), _bias_free_name),
)


def _table_rows(table_id, sweep):
    """The settings of ``sweep`` that table ``table_id`` shows: the width experiment is two
    tables, the networks of the main length and the wide ones, which set their own."""
    if sweep.name != "hidden_units":
        return [r.setting for r in sweep.rows]
    wide, rest = own_length(sweep)
    return wide if table_id == "wide" else rest


def _subset(sweep, settings):
    """SweepFacts of some settings of ``sweep`` only."""
    data = sweep.res.data
    return SweepFacts(ExperimentResults({
        **data, "settings": [s for s in data["settings"] if s["label"] in settings],
        "runs": [r for r in data["runs"] if r["setting"] in settings]}))


def main_rows(sweeps, main_spec):
    """MainRow of every row of the section's tables whose runs are the main network's."""
    return [MainRow(table_id, name(sweeps[experiment], r), r.setting)
            for table_id, experiment, _what, name in TABLES for r in sweeps[experiment].rows
            if r.setting in _table_rows(table_id, sweeps[experiment])
            and is_main(sweeps[experiment], r, main_spec)]


def facts(inputs):
    f = inputs.sweeps
    main_spec = main_spec_of(inputs)
    data = {d: datasets.load(d) for d in DATASET_NAMES}
    X_xor, y_xor = data["xor"]
    ceiling = best_linear_accuracy(X_xor, y_xor)
    seeds = f["learning_rate"].seeds
    return DiscussionFacts(
        seeds=seeds, dataset_names=dict(DATASET_NAMES),
        set_names={d: _(name) for d, name in SET_NAMES.items()},
        rule=rule_facts(seeds),
        chance={d: chance(y) for d, (_X, y) in data.items()},
        chance_correct={d: round(chance(y) * len(y)) for d, (_X, y) in data.items()},
        points={d: len(X) for d, (X, _y) in data.items()}, threshold=CLASS_THRESHOLD,
        main_epochs=main_spec["epochs"], main_rows=main_rows(f, main_spec),
        learning_rate=learning_rate_facts(f["learning_rate"], main_spec,
                                          f["learning_rate_widths"]),
        hidden_units=hidden_units_facts(f["hidden_units"], main_spec),
        no_activation=no_activation_facts(f["no_activation"], main_spec, ceiling),
        other=other_facts(f["initialisation"], main_spec),
        part_d=PartDFacts(
            loss=loss_facts(f["loss"], main_spec), batch=batch_facts(f["batch_size"], main_spec, inputs.results["main"]),
            bias_free=bias_free_facts(f["bias_free"], f["initialisation"])),
        xor_points=len(X_xor), xor_linear_ceiling=ceiling,
        xor_linear_correct=round(ceiling * len(X_xor)),
        mixed_outcomes=mixed_outcomes(f),
        report_seeds=f["main"].seeds, brief_holds=brief_holds(f))


def mixed_outcomes(sweeps):
    """Setting–data-set pairs of every experiment that converged on some seeds but not on
    others, each counted once: a setting two experiments share (the same runs but for the
    seed) is one pair."""
    mixed = set()
    for sweep in sweeps.values():
        for r in sweep.rows:
            for d in sweep.datasets:
                if 0 < r[d].succeeded < r[d].runs:
                    mixed.add((repr(sorted(_spec_key(sweep.res.runs(r.setting, d)[0]).items())),
                               d))
    return len(mixed)


def _labels(res, settings, name):
    return [name(res.overrides(s)) for s in settings]


def _boundaries_caption(constant):
    """The caption of the logistic model's decision boundaries; ``constant``: the data sets on
    which the run drawn outputs a constant."""
    if not constant:
        return _("Decision boundaries of the logistic model (identity hidden units, sigmoid "
                 "output; seed 0). Where a boundary ŷ = 0.5 is drawn it is a straight line.")
    sets = pgettext("joins clauses", "; ").join(
        _("on {set} this run outputs a constant on every training point, so it puts them all "
          "in one class").format(set=_(SET_NAMES[d])) for d in constant)
    return _("Decision boundaries of the logistic model (identity hidden units, sigmoid "
             "output; seed 0). Where a boundary ŷ = 0.5 is drawn it is a straight line; "
             "{constant}.").format(constant=sets)


def figures(inputs, facts):
    lr, hidden, noact, init = (inputs.results[k] for k in
                               ("learning_rate", "hidden_units", "no_activation", "initialisation"))
    equal = [w.setting for w in facts.hidden_units.widths]
    with_bias = [s for s in init.settings if init.overrides(s)["bias"]]
    out = [
        overlay_figure("lr_curves", _("Training loss for each learning rate (geometric mean "
                                      "over seeds, band min to max)."),
                       lr, lr.settings, BOTH, ("learning_rate",),
                       legend_title=pgettext("legend title", "learning rate"),
                       labels=_labels(lr, lr.settings, lambda o: f"{o['lr']:g}")),
        overlay_figure("hidden_curves", _("Training loss for each hidden width, both hidden "
                                          "layers the same width (geometric mean over seeds, "
                                          "band min to max)."), hidden,
                       equal, BOTH, ("hidden_units",),
                       legend_title=pgettext("legend title", "layer sizes"),
                       labels=_labels(hidden, equal, lambda o: _sizes_name(o["sizes"]))),
        overlay_figure("noact_curves", _("Training loss with and without activation functions "
                                         "(geometric mean over the seeds whose runs had not "
                                         "diverged yet, band min to max; a dotted line marks "
                                         "the first epoch at which one of them diverged)."),
                       noact, noact.settings, BOTH, ("no_activation",),
                       legend_title=pgettext("legend title", "network")),
        Figure("noact_boundaries", _boundaries_caption(facts.no_activation.boundary_constant),
               lambda: boundaries(noact, [(facts.no_activation.without[0],
                                           _("identity hidden"))], BOTH),
               ("no_activation",), 0.9),
        overlay_figure("init_curves", _("Training loss for each initialisation, with biases "
                                        "(geometric mean over seeds, band min to max)."),
                       init, with_bias, BOTH, ("initialisation",),
                       legend_title=pgettext("legend title", "initialisation"),
                       labels=_labels(init, with_bias, lambda o: _init_name(o["init"]))),
    ]
    batch = inputs.results["batch_size"]
    out.append(overlay_figure(
        "batch_curves", _("Training accuracy per epoch for each batch size over {epochs} epochs "
                          "(mean over seeds, band min to max).").format(
                              epochs=f"{facts.part_d.batch.epochs:,}"),
        batch, batch.settings, BOTH, ("batch_size",), metric="accuracy",
        legend_title=pgettext("legend title", "batch")))
    return out


def tables(inputs, facts):
    out = []
    main_spec = main_spec_of(inputs)
    for table_id, experiment, what, _name in TABLES:
        sweep = inputs.sweeps[experiment]
        shown = _table_rows(table_id, sweep)
        out.append(sweep_table(table_id, _(what), sweep if len(shown) == len(sweep.rows)
                               else _subset(sweep, shown), main_spec))
    return out


SECTION = Section(
    id="discussion", title=N_("Discussion"), template="sections/discussion.html.j2",
    facts=facts, figures=figures, tables=tables,
    needs={"main": Needs(),
           "learning_rate": Needs(("lr",), 3), "learning_rate_widths": Needs(("sizes", "lr"), 4),
           "hidden_units": Needs(("sizes",), 2, _some_own_length),
           "no_activation": NO_ACTIVATION,
           "initialisation": Needs(("init", "bias"), 2),
           "loss": Needs(("loss",), 2, _values("loss", "mse", "bce")),
           "batch_size": Needs((), 2, _mini_and_full_batch),
           "bias_free": Needs(("activation",), 2, _relu_without_bias)},
    parts=(Part("learning_rate", N_("Try different learning rates")),
           Part("hidden_units", N_("Try different numbers of hidden units")),
           Part("no_activation", N_("Try without activation functions")),
           Part("other", N_("Anything you want to share: weights, biases, loss, batches"))),
)
