"""1. Introduction: the lab, the data sets, what was built, the key findings.

``facts(inputs)`` returns an ``IntroductionFacts``: what the engine implements, counted from its
registries, and the key findings, read from the other sections' facts (the results', the
discussion's, the extra section's, the appendix's) rather than computed again.
"""
import dataclasses

from ...engine import datasets
from ...engine.activations import ACTIVATIONS
from ...engine.initializers import INITIALIZERS
from ...engine.losses import LOSSES
from ...engine.optimizers import OPTIMIZERS
from ...i18n import N_, _
from ...results import Summary
from .base import Figure, Needs, Section, scatter, supported
from .results import SET_NAMES
from .extra import Pick

#: the optimizer of the main network as the key findings name it (translated where shown)
MAIN_OPTIMIZER_NAMES = {"sgd": N_("plain gradient descent")}


@dataclasses.dataclass
class UsedFacts:
    """What the runs of this report used, by display name in the registries' order: a feature
    no run used is not named."""

    activations: list           # hidden activations
    losses: list
    optimizers: list
    initialisations: list
    batch_sizes: list           # the mini-batch sizes used (full batch not included)
    full_batch: bool            # some run trained on the whole data set at every step
    without_bias: bool          # some run had no biases
    conv: bool                  # some run had a convolutional layer


def used_facts(results):
    specs = [run.spec for res in results.values() for run in res.runs()]

    def used(registry, field):
        names = {getattr(spec, field) for spec in specs}
        return [entry.display for name, entry in registry.items() if name in names]

    return UsedFacts(
        activations=used(ACTIVATIONS, "activation"), losses=used(LOSSES, "loss"),
        optimizers=used(OPTIMIZERS, "optimizer"), initialisations=used(INITIALIZERS, "init"),
        batch_sizes=sorted({s.batch_size for s in specs if s.batch_size is not None}),
        full_batch=any(s.batch_size is None for s in specs),
        without_bias=any(not s.bias for s in specs), conv=any(s.conv for s in specs))


@dataclasses.dataclass
class ShortRate:
    """A learning rate that left some seed of some data set short of converging."""

    name: str                       # "learning rate 0.01"
    converged: dict                 # {dataset: seeds that converged}
    runs: int                       # seeds per data set


@dataclasses.dataclass
class Wobble:
    """How unsteady a setting named in the findings was on the way, on one data set."""

    dataset: str                    # as the prose names it after "on": "XOR", "the linear set"
    runs: int                       # its runs there
    fell_back: int                  # runs whose accuracy fell back after first reaching 100%
    spiked: int                     # runs with a loss spike


def wobble(summaries):
    """The Wobble, per data set, of a setting's {dataset: Summary}, XOR first; the data sets
    where it was steady are left out."""
    order = sorted(summaries, key=lambda d: d != "xor")
    return [Wobble(SET_NAMES[d], summaries[d].runs, summaries[d].fell_back, summaries[d].spiked)
            for d in order if summaries[d].fell_back or summaries[d].spiked]


@dataclasses.dataclass
class IntroductionFacts:
    """What the engine implements, how this build measured it, and the key findings."""

    used: UsedFacts
    gradcheck_max: float            # the largest relative error of the gradient checks
    seeds: int                      # seeds per setting (of the main network)
    training_runs: int              # distinct runs over all experiments
    quick: bool                     # built with --quick
    main_sizes: list                # units per layer of the main network, input first
    main_lab_like: bool             # configured as the lab's network
    main_activation: str            # display names of its hidden activation, loss, optimizer
    main_loss: str
    main_optimizer: str
    main_lr: float
    main_linear: Summary            # the main network over its seeds, on each data set
    main_xor: Summary
    lr_fastest_xor: str | None      # the learning rate the rule finds faster on XOR than each
                                    # other rate that converged on every XOR seed ("learning
                                    # rate 10"; None: no single one)
    lr_fastest_xor_epochs: int | None   # its median epoch from which 100% held
    lr_compared: int                # how many rates converged on every XOR seed
    lr_failed: list                 # ShortRate of the rates that left some seed of some data
                                    # set short of converging, in increasing order
    narrowest_xor_width: int | None  # units per hidden layer of the narrowest network that solved
                                    # XOR on every seed (None: no width did)
    no_activation_best_xor: float   # the best final XOR accuracy without hidden activations
    linear_points: int              # points of each data set
    xor_points: int
    xor_linear_ceiling: float       # the best accuracy a straight line reaches on the XOR points
    fastest_optimizer: Pick | None  # the optimizer at its best learning rate fastest to solve
                                    # every XOR seed (None: none did)
    optimizers_compared: int        # optimizers of the optimizer experiment
    conv_comparisons: int           # convolutional networks, each against a dense one of
    conv_xor_wins: int              # similar size: did better or faster on XOR
    conv_xor_losses: int            # did worse or slower
    optimizers_supported: bool = True   # the engine trained every optimizer (else no finding
                                    # on them is stated)
    conv_supported: bool = True     # the engine trained every network of the conv experiment
    lr_candidates: list = dataclasses.field(default_factory=list)  # the rates that converged
                                    # on every XOR seed, increasing
    lr_fastest_wobble: list = dataclasses.field(default_factory=list)  # Wobble of the fastest
                                    # rate per data set: how unsteady it was on the way
    optimizer_wobble: list = dataclasses.field(default_factory=list)   # the same for the
                                    # optimizer named


def facts(inputs):
    results, discussion = inputs.facts("results"), inputs.facts("discussion")
    extra, appendix, setups = (inputs.facts(s) for s in ("extra", "appendix", "setups"))
    main = {on.dataset: on.summary for on in results.main}
    lr = discussion.learning_rate
    lr_xor = next(speed for speed in lr.speeds if speed.dataset == "xor")
    xor_width = next(n for n in discussion.hidden_units.narrowest_solved if n.dataset == "xor")
    conv, opt = extra.convolution, extra.optimizers
    return IntroductionFacts(
        used=used_facts(inputs.results), gradcheck_max=appendix.gradcheck_max, seeds=results.seed_count,
        training_runs=appendix.training_runs, quick=inputs.quick,
        main_sizes=list(setups.sizes), main_lab_like=setups.lab_like,
        main_activation=ACTIVATIONS[setups.activation].display,
        main_loss=setups.loss.upper(), main_optimizer=MAIN_OPTIMIZER_NAMES.get(
            setups.optimizer, OPTIMIZERS[setups.optimizer].display), main_lr=setups.lr,
        main_linear=main["linear"], main_xor=main["xor"],
        lr_fastest_xor=lr_xor.fastest_name, lr_fastest_xor_epochs=lr_xor.fastest_epochs,
        lr_compared=len(lr_xor.candidates), lr_candidates=sorted(lr_xor.candidates),
        lr_failed=[
            ShortRate(r.name, {d: s.succeeded for d, s in r.summaries.items()},
                      next(iter(r.summaries.values())).runs) for r in lr.failed],
        lr_fastest_wobble=next((wobble(r.summaries) for r in lr.rates
                                if r.setting == lr_xor.fastest), []),
        optimizer_wobble=_optimizer_wobble(inputs, opt),
        narrowest_xor_width=xor_width.width,
        no_activation_best_xor=discussion.no_activation.best_xor,
        linear_points=len(datasets.load("linear")[0]), xor_points=discussion.xor_points, xor_linear_ceiling=discussion.xor_linear_ceiling,
        optimizers_supported=supported(opt),
        fastest_optimizer=opt.fastest_xor if supported(opt) else None,
        optimizers_compared=len(opt.shown) if supported(opt) else 0,
        conv_supported=supported(conv),
        conv_comparisons=conv.comparisons if supported(conv) else 0,
        conv_xor_wins=conv.xor_wins if supported(conv) else 0,
        conv_xor_losses=conv.xor_losses if supported(conv) else 0)


def _optimizer_wobble(inputs, opt):
    if not supported(opt) or opt.fastest_xor is None:
        return []
    res = inputs.results["optimizers"]
    return wobble({d: res.summary(opt.fastest_xor.setting, d) for d in res.datasets})


def _datasets_figure():
    from ...figures.labels import dataset_name
    from ...i18n import _, ngettext

    return scatter.data_sets([(ngettext("{dataset} ({count} point)", "{dataset} ({count} points)",
                                        len(X)).format(dataset=_(dataset_name(name)), count=len(X)),
                               X, y)
                              for name, (X, y) in ((n, datasets.load(n))
                                                   for n in ("linear", "xor"))])


def figures(inputs, facts):
    return [Figure("datasets", _("The two data sets. Left: {linear} points drawn uniformly from "
                                 "the unit square, labelled by the diagonal. Right: the course's "
                                 "{xor} fixed XOR points. Class 0 red, class 1 blue.").format(
                                     linear=facts.linear_points, xor=facts.xor_points),
                   _datasets_figure, width=0.8)]


SECTION = Section(
    id="introduction", title=N_("Introduction"), template="sections/introduction.html.j2",
    facts=facts, figures=figures,
    needs={"main": Needs(), "learning_rate": Needs(("lr",), 3),
           "hidden_units": Needs(("sizes",), 2),
           # read through the extra section's part, which says what the engine did not train
           "optimizers": Needs(("optimizer", "lr"), 2, partial=True)},
)
