"""6. Questions: what activation functions, the learning rate, weights and biases are for,
answered with the measurements of this report.

``facts(inputs)`` returns a ``QuestionsFacts``: the measurements each answer cites, read from the
discussion's facts (its learning rates classified, its no-activation and initialisation parts)
rather than computed again.
"""
import dataclasses

from ...i18n import N_
from ...results import Summary
from .base import Needs, Section, supported
from .discussion import NO_ACTIVATION


@dataclasses.dataclass
class ActivationAnswer:
    """1. Without hidden activations the network is a linear model."""

    best_xor_without: float     # the best final XOR accuracy of any run without hidden activations
    xor_linear_ceiling: float   # the best accuracy a straight line reaches on the XOR points
    sigmoid_xor: float          # the mean XOR accuracy of the same network with sigmoids
    best_activation: str | None  # the activation setting the rule finds better on XOR than each
                                # other one shown ("tanh at learning rate 1"; None: none)
    activations_compared: bool = True   # the engine trained every activation (else none is
                                # named better or not)


@dataclasses.dataclass
class Unstable:
    """A rate that converged on every seed, some of whose runs fell back on the way."""

    name: str                   # "learning rate 3"
    fell_back: int              # its runs that fell back, over both data sets
    runs: int


def _unstable(lr):
    converged = {r.name for r in lr.converged}
    found = {}
    for u in lr.unstable:
        if u.name in converged and u.fell_back:
            fell, runs = found.get(u.name, (0, 0))
            found[u.name] = (fell + u.fell_back, runs + u.runs)
    return [Unstable(name, fell, runs) for name, (fell, runs) in found.items()]


@dataclasses.dataclass
class LearningRateAnswer:
    """2. Too small and too large learning rates (the discussion's classification: lists of its
    ``Rate``, in increasing learning rate)."""

    too_small: list
    too_small_learning: int     # their failed runs still learning at the end
    too_small_flat: int         # and those on a plateau of the loss
    too_large: list
    failures: list              # the discussion's measured failures of too-large rates
    unstable: list              # Unstable: converged rates whose seeds fell back on the way
    any_converged: bool         # some rate converged on every seed of both data sets
    clean_range: bool           # some rate converged, none failed between converged rates, and
                                # some rate was too small or too large: a range can be named
    low: float | None           # the converged range
    high: float | None
    larger_faster: bool         # within it, every larger rate was faster by the rule on both sets
    diverged: list              # the no-activation networks with a diverged run, by prose name
    main_rate: "Rate | None" = None  # the main network's rate, whose share of rising-loss
                                # epochs the too-large rates' are set against


@dataclasses.dataclass
class BiasAnswer:
    """3. Weights and biases, on XOR, over the initialisation experiment."""

    initialisations: int        # distinct initialisation methods
    solved_with_bias: int       # XOR runs with biases that converged
    runs_with_bias: int
    solved_without_bias: int
    runs_without_bias: int
    uniform_xor: Summary | None  # uniform [0, 1) weights with biases (None: not in the experiment)
    bias_better: int            # initialisations for which biases did better on XOR by the rule
    bias_worse: int


@dataclasses.dataclass
class QuestionsFacts:
    activation: ActivationAnswer
    learning_rate: LearningRateAnswer
    bias: BiasAnswer


def _best(activations):
    """The activation the rule finds better on XOR than the others, if they were compared."""
    best = activations.fastest_xor if supported(activations) else None
    return None if best is None else best.label


def facts(inputs):
    discussion, extra = inputs.facts("discussion"), inputs.facts("extra")
    noact, lr, other = discussion.no_activation, discussion.learning_rate, discussion.other
    init = inputs.sweeps["initialisation"]
    uniform = other.uniform_bias
    return QuestionsFacts(
        activation=ActivationAnswer(
            best_xor_without=noact.best_xor, xor_linear_ceiling=discussion.xor_linear_ceiling,
            sigmoid_xor=noact.main["xor"].mean_accuracy,
            best_activation=_best(extra.activations),
            activations_compared=supported(extra.activations)),
        learning_rate=LearningRateAnswer(
            too_small=lr.too_small, too_small_learning=lr.too_small_learning,
            too_small_flat=lr.too_small_flat, too_large=lr.too_large, failures=lr.failures,
            unstable=_unstable(lr),
            any_converged=bool(lr.converged),
            clean_range=bool(lr.converged) and not lr.between
            and bool(lr.too_small or lr.too_large),
            low=lr.low, high=lr.high, larger_faster=lr.larger_faster,
            diverged=[d.name for d in noact.diverged],
            main_rate=lr.main),
        bias=BiasAnswer(
            initialisations=other.initialisations,
            solved_with_bias=other.xor_solved_with_bias,
            runs_with_bias=sum(r["xor"].runs for r in init.rows_where(bias=True)),
            solved_without_bias=other.xor_solved_without_bias,
            runs_without_bias=sum(r["xor"].runs for r in init.rows_where(bias=False)),
            uniform_xor=None if uniform is None else uniform["xor"],
            bias_better=other.bias_better, bias_worse=other.bias_worse))


SECTION = Section(
    id="questions", title=N_("Questions"), template="sections/questions.html.j2",
    facts=facts,
    needs={"no_activation": NO_ACTIVATION,
           "learning_rate": Needs(("lr",), 3), "initialisation": Needs(("init", "bias"), 2)},
)
