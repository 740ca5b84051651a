"""4. Discussion: learning rates, hidden widths, no activation functions, initialisation.

``facts(inputs)`` returns a ``DiscussionFacts``: one dataclass per part, holding every value the
prose states, with the choosing, counting and ranking done here; the template only words them.
Other sections read the learning-rate classification as
``inputs.facts("discussion").learning_rate``.
"""
import dataclasses

from ...engine import datasets
from ..facts import (NEAR_CHANCE, Row, SweepFacts, best_linear_accuracy, loss_increase_share,
                     saturation)
from .base import Figure, Needs, Part, Section, curves
from .results import BOTH, DATASET_NAMES, boundaries
from .tables import sweep_table

#: the data sets in the order the prose takes them, with the names it gives them
#: a hidden sigmoid output s counts as saturated when its slope s(1 - s) is below this
SATURATION_SLOPE = 0.01
#: the no-activation experiment compares the main network's hidden activation with none
WITH, WITHOUT = "sigmoid", "identity"


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


# ---------------------------------------------------------------- A. learning rates

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
    converged: bool             # every seed of both data sets ended at 100%
    diverged: int               # runs that diverged, over both data sets
    runs: int                   # runs, over both data sets


@dataclasses.dataclass
class RateSpeed:
    """On one data set, the fastest and the slowest learning rate among those that brought every
    seed of that data set to 100% (whether or not they did on the other data set)."""

    dataset: str
    fastest: str | None           # its setting: fewest median epochs to 100% (None: no rate did)
    fastest_epochs: float | None  # its median epochs to 100%
    slowest: str | None           # the most median epochs to 100%
    slowest_epochs: float | None
    speedup: float | None         # slowest_epochs / fastest_epochs (None when they are one rate)


@dataclasses.dataclass
class SaturationComparison:
    """How saturated the hidden sigmoids of the too-large rates ended, against a converged rate."""

    too_large: list             # the too-large Rates whose saturation was measured, in lr order
    reference: Rate             # the lowest converged rate
    higher: bool                # some too-large rate saturated a larger share than the reference


@dataclasses.dataclass
class LearningRateFacts:
    """The learning-rate sweep classified: a rate *converged* when every seed of both data sets
    ended at 100%; a rate that did not is *too small* below every converged rate, *too large*
    above every converged one, and *between* otherwise (every failed rate is "between" when none
    converged). Lists of Rates are in increasing learning rate."""

    rates: list                 # every Rate
    lowest: float               # the smallest learning rate tried
    highest: float              # the largest
    converged: list             # Rates that converged
    low: float | None           # the smallest converged learning rate (None: none converged)
    high: float | None          # the largest converged learning rate
    failed: list                # Rates that did not converge (too_small + between + too_large)
    too_small: list
    too_large: list
    between: list
    larger_no_slower: bool      # among the converged rates, every larger one needed no more
                                # median epochs to 100% on either data set (False if none converged)
    speeds: list                # RateSpeed per data set, in DATASET_NAMES order
    near_chance_level: float    # NEAR_CHANCE
    too_large_near_chance: list  # too-large Rates with a mean XOR accuracy below near_chance_level
    saturation_slope: float     # SATURATION_SLOPE
    saturation: SaturationComparison | None  # None unless some too-large rate and the lowest
                                # converged rate both had their saturation measured
    diverged: list              # Rates with at least one diverged run
    bounded_loss: bool          # every run has a sigmoid output and the MSE loss, so a sample's
                                # loss is at most 1 and cannot blow up


def _rate(sweep, row, X_xor):
    runs = sweep.res.runs(row.setting)
    return Rate(
        setting=row.setting, lr=row.overrides["lr"], epochs=runs[0].spec.epochs,
        summaries=dict(row.summaries),
        loss_increase={d: loss_increase_share(sweep.res, row.setting, d) for d in sweep.datasets},
        saturation=saturation(sweep.res, row.setting, "xor", X_xor, threshold=SATURATION_SLOPE),
        converged=all(row.all_succeeded(d) for d in sweep.datasets),
        diverged=sum(row[d].diverged for d in sweep.datasets),
        runs=sum(row[d].runs for d in sweep.datasets))


def _speed(sweep, dataset):
    fast, slow = sweep.fastest(dataset), sweep.slowest(dataset)
    if fast is None:
        return RateSpeed(dataset, None, None, None, None, None)
    return RateSpeed(dataset, fast.setting, fast[dataset].median_epochs_to_100, slow.setting,
                     slow[dataset].median_epochs_to_100,
                     None if slow.setting == fast.setting else sweep.speedup(dataset, slow, fast))


def learning_rate_facts(sweep: SweepFacts) -> LearningRateFacts:
    X_xor, _ = datasets.load("xor")
    rates = sorted((_rate(sweep, row, X_xor) for row in sweep.rows), key=lambda r: r.lr)
    converged = [r for r in rates if r.converged]
    failed = [r for r in rates if not r.converged]
    low = converged[0].lr if converged else None
    high = converged[-1].lr if converged else None
    too_small = [r for r in failed if low is not None and r.lr < low]
    too_large = [r for r in failed if high is not None and r.lr > high]
    between = [r for r in failed if r not in too_small and r not in too_large]
    measured = [r for r in too_large if r.saturation is not None]
    reference = converged[0] if converged and converged[0].saturation is not None else None
    converged_rows = [sweep.row(r.setting) for r in converged]
    return LearningRateFacts(
        rates=rates, lowest=rates[0].lr, highest=rates[-1].lr,
        converged=converged, low=low, high=high, failed=failed,
        too_small=too_small, too_large=too_large, between=between,
        larger_no_slower=all(sweep.monotone_faster(d, converged_rows) for d in sweep.datasets),
        speeds=[_speed(sweep, d) for d in DATASET_NAMES],
        near_chance_level=NEAR_CHANCE,
        too_large_near_chance=[r for r in too_large
                               if r.summaries["xor"].mean_accuracy < NEAR_CHANCE],
        saturation_slope=SATURATION_SLOPE,
        saturation=SaturationComparison(
            measured, reference, max(r.saturation for r in measured) > reference.saturation)
        if measured and reference else None,
        diverged=[r for r in rates if r.diverged],
        bounded_loss=all(run.spec.output_activation == "sigmoid" and run.spec.loss == "mse"
                         for run in sweep.res.runs()))


# ---------------------------------------------------------------- B. hidden units

@dataclasses.dataclass
class Width:
    """One hidden width of the sweep (every hidden layer has ``width`` units)."""

    setting: str
    width: int                  # units of the first hidden layer
    hidden: tuple               # units of every hidden layer
    summaries: dict             # {dataset: results.Summary over its seeds}


@dataclasses.dataclass
class NarrowestSolved:
    """On one data set, the narrowest width that ended at 100% on every seed."""

    dataset: str
    width: int | None           # None: no width did
    narrower: list              # the Widths narrower than it (none of them did), narrowest first


@dataclasses.dataclass
class XorWidthTrend:
    """Median epochs to 100% on XOR along the widths that solved it on every seed."""

    solved: list                # those Widths, narrowest first (at least two)
    narrowest: Width
    widest: Width
    wider_no_slower: bool       # every wider one needed no more median epochs than the narrower


@dataclasses.dataclass
class HiddenUnitsFacts:
    widths: list                # every Width, narrowest first
    narrowest: int              # units per layer of the narrowest network
    widest: int
    narrowest_solved: list      # NarrowestSolved per data set, in DATASET_NAMES order
    xor_trend: XorWidthTrend | None  # None when fewer than two widths solved XOR on every seed
    single_unit_xor_best: float | None  # when the narrowest network has one unit in every hidden
                                # layer and none of its XOR seeds ever reached 100%: the best
                                # final XOR accuracy of its runs (otherwise None)


def hidden_units_facts(sweep: SweepFacts) -> HiddenUnitsFacts:
    rows = sorted(sweep.rows, key=lambda r: r.overrides["sizes"][1])
    widths = [Width(r.setting, r.overrides["sizes"][1], tuple(r.overrides["sizes"][1:-1]),
                    dict(r.summaries)) for r in rows]
    solved = []
    for d in DATASET_NAMES:
        ok = sweep.succeeded(d, rows)
        first = rows.index(ok[0]) if ok else None
        solved.append(NarrowestSolved(d, widths[first].width if ok else None,
                                      widths[:first] if ok else []))
    xor = [w for w, r in zip(widths, rows) if r.all_succeeded("xor")]
    narrow = rows[0]
    return HiddenUnitsFacts(
        widths=widths, narrowest=widths[0].width, widest=widths[-1].width,
        narrowest_solved=solved,
        xor_trend=XorWidthTrend(xor, xor[0], xor[-1],
                                sweep.monotone_faster("xor", sweep.succeeded("xor", rows)))
        if len(xor) > 1 else None,
        single_unit_xor_best=sweep.max_accuracy("xor", [narrow])
        if max(widths[0].hidden) == 1 and narrow.never_reached("xor") else None)


# ---------------------------------------------------------------- C. no activation

@dataclasses.dataclass
class Divergence:
    setting: str
    diverged: int               # runs that diverged, over both data sets
    runs: int                   # runs, over both data sets


@dataclasses.dataclass
class NoActivationFacts:
    input_size: int             # W = W_1 ... W_k, the product of the weight matrices, is
    output_size: int            # input_size × output_size
    weight_matrices: int        # k
    main: Row                   # the network with sigmoid hidden activations
    without: list               # the settings without hidden activations
    reached_xor: list           # of those, the ones where some seed reached 100% on XOR
    best_xor: float             # the best final XOR accuracy of any run without hidden activations
    logistic: Row | None        # identity hidden layers, sigmoid output (None: not in the
                                # experiment)
    epochs_compared: bool       # logistic and main both reached 100% on the linear set on some
                                # seed, so their median epochs to 100% can be compared
    diverged: list              # Divergence of every setting with a diverged run


def no_activation_facts(sweep: SweepFacts) -> NoActivationFacts:
    main = sweep.rows_where(activation=WITH)[0]       # there is one: see _with_and_without
    linear = sweep.rows_where(activation=WITHOUT)
    logistic = next(iter(sweep.rows_where(activation=WITHOUT, output_activation="sigmoid")),
                    None)
    sizes = sweep.res.runs(linear[0].setting)[0].spec.sizes
    return NoActivationFacts(
        input_size=sizes[0], output_size=sizes[-1], weight_matrices=len(sizes) - 1,
        main=main, without=[r.setting for r in linear],
        reached_xor=[r.setting for r in linear if not r.never_reached("xor")],
        best_xor=sweep.max_accuracy("xor", linear), logistic=logistic,
        epochs_compared=logistic is not None
        and logistic["linear"].median_epochs_to_100 is not None
        and main["linear"].median_epochs_to_100 is not None,
        diverged=[Divergence(r.setting, sum(r[d].diverged for d in sweep.datasets),
                             sum(r[d].runs for d in sweep.datasets))
                  for r in sweep.diverged()])


# ---------------------------------------------------------------- D. initialisation

#: how the prose words the comparison of XOR runs solved with and without biases
BIAS_HELPED, BIAS_DID_NOT_HELP, BIAS_NO_DIFFERENCE = "helped", "did not help", "no difference"


@dataclasses.dataclass
class OtherFacts:
    """Initialisations and biases (on XOR unless said otherwise)."""

    initialisations: int        # distinct initialisation methods
    best: Row                   # the best setting on XOR (most seeds at 100%, then accuracy, speed)
    worst: Row                  # the lowest mean XOR accuracy
    uniform_bias: Row | None    # uniform [0, 1) weights with biases (None: not in the experiment)
    uniform_bias_solved_all: bool  # it solved XOR on every seed
    xor_solved_with_bias: int   # XOR runs with biases that ended at 100%, over every initialisation
    xor_solved_without_bias: int
    bias_verdict: str           # BIAS_HELPED, BIAS_DID_NOT_HELP or BIAS_NO_DIFFERENCE
    linear_solved: int          # settings that ended at 100% on every seed of the linear set
    settings: int


def other_facts(sweep: SweepFacts) -> OtherFacts:
    uniform = next(iter(sweep.rows_where(init="uniform", bias=True)), None)
    with_bias = sum(r["xor"].succeeded for r in sweep.rows_where(bias=True))
    without_bias = sum(r["xor"].succeeded for r in sweep.rows_where(bias=False))
    return OtherFacts(
        initialisations=len({r.overrides["init"] for r in sweep.rows}),
        best=sweep.best("xor"), worst=sweep.worst_accuracy("xor"), uniform_bias=uniform,
        uniform_bias_solved_all=uniform is not None and uniform.all_succeeded("xor"),
        xor_solved_with_bias=with_bias, xor_solved_without_bias=without_bias,
        bias_verdict=BIAS_HELPED if with_bias > without_bias else
        BIAS_DID_NOT_HELP if with_bias < without_bias else BIAS_NO_DIFFERENCE,
        linear_solved=len(sweep.succeeded("linear")), settings=len(sweep.rows))


# ---------------------------------------------------------------- the section

@dataclasses.dataclass
class DiscussionFacts:
    seeds: int                  # seeds per setting and data set (of the learning-rate sweep)
    dataset_names: dict         # DATASET_NAMES
    learning_rate: LearningRateFacts
    hidden_units: HiddenUnitsFacts
    no_activation: NoActivationFacts
    other: OtherFacts
    xor_points: int             # points of the XOR data set
    xor_linear_ceiling: float   # the best accuracy any straight line reaches on them
    xor_linear_correct: int     # how many points that line classifies correctly
    mixed_outcomes: int         # setting–data-set pairs of every experiment of the report solved
                                # on some seeds but not on others
    report_seeds: int           # seeds per setting of the main network


def facts(inputs):
    f = inputs.sweeps
    X_xor, y_xor = datasets.load("xor")
    ceiling = best_linear_accuracy(X_xor, y_xor)
    return DiscussionFacts(
        seeds=f["learning_rate"].seeds, dataset_names=dict(DATASET_NAMES),
        learning_rate=learning_rate_facts(f["learning_rate"]),
        hidden_units=hidden_units_facts(f["hidden_units"]),
        no_activation=no_activation_facts(f["no_activation"]),
        other=other_facts(f["initialisation"]),
        xor_points=len(X_xor), xor_linear_ceiling=ceiling,
        xor_linear_correct=round(ceiling * len(X_xor)),
        mixed_outcomes=sum(1 for sweep in f.values() for r in sweep.rows for d in sweep.datasets
                           if 0 < r[d].succeeded < r[d].runs),
        report_seeds=f["main"].seeds)


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
               lambda: boundaries(noact, [(facts.no_activation.without[0], "identity hidden")],
                                  BOTH),
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
    facts=facts, figures=figures, tables=tables,
    needs={"learning_rate": Needs(("lr",), 3), "hidden_units": Needs(("sizes",), 2),
           "no_activation": NO_ACTIVATION,
           "initialisation": Needs(("init", "bias"), 2)},
    parts=(Part("learning_rate", "Try different learning rates"),
           Part("hidden_units", "Try different numbers of hidden units"),
           Part("no_activation", "Try without activation functions"),
           Part("other", "Anything you want to share: initialisation and biases")),
)
