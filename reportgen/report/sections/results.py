"""3. Results of your testing: comparison figures, per-sample predictions, learning curves,
decision boundaries of the main network."""
import dataclasses

import numpy as np

from ... import demo
from ...engine import datasets, train
from ...engine.losses import accuracy
from ...experiments import foreign
from ...experiments.summary import summary_cells
from ...i18n import N_, _, pgettext
from ...results import Summary, lower_median
from .. import rule
from ..filters import listing, pct, sci
from .base import Figure, Needs, Part, Section, Table, curves, scatter
from ..facts import SHORT_HOLD, held_briefly
from .tables import converged_cell

BOTH = ["linear", "xor"]
#: how the prose names each data set (translated where shown)
DATASET_NAMES = {"linear": N_("linear"), "xor": "XOR"}
#: how the prose names a data set after "on": "on the linear set", "on XOR"
SET_NAMES = {"linear": N_("the linear set"), "xor": "XOR"}
#: the data set as a sentence names it with "the ... set": "the linear set", "the XOR set"
THE_SET = {"linear": N_("the linear set"), "xor": N_("the XOR set")}
#: the data set of the demo's printout, which the screenshot shows
DEMO_DATASET = "xor"
#: the course's demo asks for at least this accuracy on both data sets
DEMO_ACCURACY = 0.9
#: the decision boundaries are compared with the data's rule on a grid of this many points a side
BOUNDARY_GRID = 200


def the_set(dataset, name):
    """``dataset`` as a sentence names it with "the ... set" (``THE_SET``), translated; a data
    set of no entry there by its ``name``."""
    return _(THE_SET[dataset]) if dataset in THE_SET else _("the {name} set").format(
        name=_(name))


@dataclasses.dataclass
class OnDataset:
    """One setting's summary on one data set."""

    dataset: str        # "xor"
    name: str           # the data set as the prose names it after "on": "the linear set", "XOR"
    summary: Summary


def boundary_agreement(run, dataset, resolution=BOUNDARY_GRID):
    """Share of a grid of ``resolution`` points a side over the unit square where the
    network's class matches the data's rule."""
    axis = np.linspace(0, 1, resolution)
    grid = np.column_stack([a.ravel() for a in np.meshgrid(axis, axis)])
    predicted = run.predict(grid)[:, 0] > 0.5
    return float(np.mean(predicted == (datasets.RULES[dataset](grid) > 0.5)))


def _comparison(res, dataset):
    from ...figures.labels import dataset_title
    from ...i18n import _

    run = res.runs(res.settings[0], dataset)[0]
    X, y = datasets.load(dataset)
    return scatter.comparison(X, y, run.predict(X),
                              suptitle=_("{dataset}: main network, seed {seed}").format(
                                  dataset=dataset_title(dataset), seed=run.seed))


def boundaries(res, setting_labels, dataset_list):
    """Decision-boundary panels of seed 0 of each (setting, label), on each data set (the
    labels are message ids: the panels' titles are in the language being written)."""
    from ...figures.labels import dataset_name
    from ...i18n import _

    panels = []
    for setting, label in setting_labels:
        for dataset in dataset_list:
            run = res.runs(setting, dataset)[0]
            X, y = datasets.load(dataset)
            acc = run.final_accuracy
            # TRANSLATORS: a decision-boundary panel's title: "main: XOR (100%)"
            title = _("{setting}: {dataset} ({accuracy}%)").format(
                setting=_(label), dataset=_(dataset_name(dataset)), accuracy=f"{100 * acc:.0f}")
            panels.append((title, X, y, run.predict))
    return scatter.decision_boundaries(panels, ncols=2)


def figures(inputs, facts):
    from ...i18n import N_

    main = inputs.results["main"]
    return [
        Figure("comparison_linear", _("Ground truth and prediction on the linear data set "
                                      "(main network, seed 0)."),
               lambda: _comparison(main, "linear"), ("main",), 0.85),
        Figure("comparison_xor", _("Ground truth and prediction on the XOR data set "
                                   "(main network, seed 0)."),
               lambda: _comparison(main, "xor"), ("main",), 0.85),
        Figure("main_curves", _("Learning curves of the main network: training loss (log "
                                "scale) and accuracy per epoch; line: geometric mean (loss) and "
                                "mean (accuracy) over seeds, band: min to max."),
               lambda: curves.loss_and_accuracy(main, main.settings[0], BOTH), ("main",)),
        Figure("main_boundaries", _("Decision boundaries of the main network (seed 0). "
                                    "Background: the network's output ŷ; black line: ŷ = 0.5."),
               lambda: boundaries(main, [(main.settings[0], N_("main"))], BOTH), ("main",), 0.9),
    ]


def prediction_rows(run, dataset):
    """Per-sample rows (index, inputs, truth, ŷ, class, correct), the correct count and n."""
    X, y = datasets.load(dataset)
    yhat = run.predict(X)[:, 0]
    rows = []
    for i in range(len(X)):
        cls = int(yhat[i] > 0.5)
        rows.append([i, f"{X[i, 0]:.3f}", f"{X[i, 1]:.3f}", int(y[i, 0]), f"{yhat[i]:.4f}", cls,
                     "✓" if cls == int(y[i, 0]) else "✗"])
    correct = round(float(accuracy(yhat[:, None], y)) * len(X))
    return rows, correct, len(X)


@dataclasses.dataclass
class Predictions:
    """One network (a seed of the main network) on every sample of one data set."""

    dataset: str
    name: str           # as the prose names the data set
    seed: int
    correct: int
    total: int
    all_correct: bool
    rows: list          # the table's rows: index, x₀, x₁, truth, ŷ, class, correct

    @property
    def the_set(self):
        """The data set as a sentence names it, in the language being written: "the linear
        set", "the XOR set"."""
        return the_set(self.dataset, self.name)


def predictions(inputs, dataset):
    """Seed 0 of the main network on every sample of ``dataset``."""
    main = inputs.results["main"]
    run = main.runs(main.settings[0], dataset)[0]
    rows, correct, total = prediction_rows(run, dataset)
    return Predictions(dataset, DATASET_NAMES[dataset], run.seed, correct, total,
                       correct == total, rows)


@dataclasses.dataclass
class Demo:
    """The live demo's printout for the shown seed of the main network: the text
    ``reportgen train`` prints (``demo.printout``), and the command that prints it."""

    dataset: str
    name: str            # as the prose names the data set
    command: str | None  # None when the main network sets something the command cannot
    lines: list

    @property
    def the_set(self):
        """The data set as a sentence names it, in the language being written: "the linear
        set", "the XOR set"."""
        return the_set(self.dataset, self.name)


def demo_facts(inputs, dataset=DEMO_DATASET):
    """Train the shown run's spec again, as ``reportgen train`` does, and print it. A seed fixes
    a run bit for bit, so this is the run of the tables; the check makes sure of it."""
    main = inputs.results["main"]
    run = main.runs(main.settings[0], dataset)[0]
    X, y = datasets.load(dataset)
    engine = inputs.engine
    result = train(run.spec, X, y) if engine is None or engine.builtin \
        else foreign.train(engine, run.spec, X, y, dataset)
    if float(result.loss[-1]) != run.final_loss and run.final_loss is not None:
        raise ValueError(f"the demo of the main network on {dataset} (seed {run.seed}) ended at "
                         f"loss {float(result.loss[-1])!r}, its results file says "
                         f"{run.final_loss!r}: the results are not this code's")
    return Demo(dataset, DATASET_NAMES[dataset], demo.command(run.spec, dataset),
                demo.printout(result, dataset, X, y))


@dataclasses.dataclass
class ShownSeed:
    """The seed the figures show, among the seeds of the main network on XOR: whether it is a
    typical one (it was not chosen for looking good: it is the first)."""

    held: int | None             # the epoch from which it held 100% (None: it did not converge)
    earlier: int                 # other seeds that converged and held 100% from an earlier epoch
    later: int                   # other seeds that converged later, or not at all
    converged: int               # seeds that converged
    runs: int
    median: int | None           # their median held epoch


def shown_seed(runs, seed):
    """The ShownSeed of ``seed`` among ``runs`` (one per seed)."""
    shown = next(r for r in runs if r.seed == seed)
    others = [r for r in runs if r is not shown]
    converged = [r.held_100 for r in runs if r.held_100 is not None]
    if shown.held_100 is None:
        earlier, later = len([r for r in others if r.held_100 is not None]), 0
    else:
        earlier = sum(r.held_100 is not None and r.held_100 < shown.held_100 for r in others)
        later = sum(r.held_100 is None or r.held_100 > shown.held_100 for r in others)
    return ShownSeed(shown.held_100, earlier, later, len(converged), len(runs),
                     lower_median(converged) if converged else None)


@dataclasses.dataclass
class ResultsFacts:
    """The main network: its seeds, seed 0 on every sample, its accuracy over seeds, its
    learning curves and its decision boundaries."""

    seeds: list                  # the seeds of the main network
    seed_count: int
    shown_seed: int              # the seed of the figures and per-sample tables
    demo: Demo                   # the live demo's printout, the section's screenshot
    predictions: list            # Predictions per data set, in the experiment's order
    main: list                   # OnDataset: the main network over all seeds, per data set
    demo_accuracy: float         # what the course's demo asks for on both data sets
    worst_mean_accuracy: float   # the lower of the mean accuracies over seeds
    meets_demo: bool             # the mean accuracy meets the demo's on both data sets
    linear_epochs: int | None    # median epoch from which 100% held (None: no seed converged)
    xor_epochs: int | None
    xor_vs_linear: rule.Verdict  # the comparison rule on the two data sets, seed by seed
    linear_final_loss: float | None   # median final loss
    xor_final_loss: float | None
    boundary_grid: int           # points a side of the grid the boundaries are measured on
    boundary_linear: float       # share of the grid where the linear network's class matches
    boundary_xor: float          # the diagonal / quadrant rule (seed ``shown_seed``)
    shown: "ShownSeed"           # how the shown seed's XOR run compares with the others
    xor_points: int              # the XOR data set's training points


def facts(inputs):
    main, results = inputs.sweeps["main"], inputs.results["main"]
    row = main.rows[0]
    preds = {d: predictions(inputs, d) for d in main.datasets}
    linear, xor = row["linear"], row["xor"]
    boundary = {d: boundary_agreement(results.runs(row.setting, d)[0], d)
                for d in main.datasets}
    worst = min(row[d].mean_accuracy for d in main.datasets)
    return ResultsFacts(
        seeds=list(results.data["seeds"]), seed_count=main.seeds, shown_seed=preds["xor"].seed,
        demo=demo_facts(inputs), predictions=list(preds.values()),
        main=[OnDataset(d, SET_NAMES[d], row[d]) for d in main.datasets],
        shown=shown_seed(results.runs(row.setting, "xor"), preds["xor"].seed),
        demo_accuracy=DEMO_ACCURACY, worst_mean_accuracy=worst, meets_demo=worst >= DEMO_ACCURACY,
        linear_epochs=linear.median_held_epoch, xor_epochs=xor.median_held_epoch,
        xor_vs_linear=rule.compare("XOR", results.runs(row.setting, "xor"), "linear",
                                   results.runs(row.setting, "linear"), "both"),
        linear_final_loss=linear.median_final_loss, xor_final_loss=xor.median_final_loss,
        boundary_grid=BOUNDARY_GRID, boundary_linear=boundary["linear"],
        boundary_xor=boundary["xor"],
        xor_points=preds["xor"].total)


def tables(inputs, facts):
    main = inputs.sweeps["main"]
    setting = main.rows[0].setting
    xor = next(p for p in facts.predictions if p.dataset == "xor")
    epochs = sorted({run.spec.epochs for run in main.res.runs()})
    rows = [[_(DATASET_NAMES[d]), *_main_cells(main.res, setting, d),
             sci(main.rows[0][d].median_final_loss)] for d in main.datasets]
    late = any(held_briefly(r) for d in main.datasets for r in main.res.runs(setting, d))
    caption = (_("Accuracy of the main network over {seeds} seeds ({epochs} epochs) (\"late\": "
                 "of the seeds that converged, those that held 100% only over less than the last "
                 "{share} of the epochs).") if late else
               _("Accuracy of the main network over {seeds} seeds ({epochs} epochs)."))
    return [Table("main_accuracy",
                  caption.format(seeds=main.seeds, epochs=listing([f"{e:,}" for e in epochs]),
                                 share=f"{SHORT_HOLD:.0%}"),
                  [pgettext("table header", "data set"),
                   pgettext("table header", "final accuracy (mean ± std)"),
                   pgettext("table header", "converged"),
                   pgettext("table header", "held 100% from (median epoch)"),
                   pgettext("table header", "fell back"),
                   pgettext("table header", "final loss (median, runs that did not diverge)")],
                  rows),
            predictions_table("predictions_xor", xor,
                              _("Every sample of the XOR data set: input, ground truth, "
                                "prediction ŷ and predicted class (main network, seed "
                                "{seed}).").format(seed=xor.seed))]


def _main_cells(res, setting, dataset):
    """Accuracy, converged, held from, fell back: as the sweep tables write them."""
    accuracy, converged, held, fell = summary_cells(res, setting, dataset)[:4]
    return [accuracy, converged_cell(res, setting, dataset, converged), held, fell]


def predictions_table(table_id, p, caption):
    """The per-sample table of ``p`` (Predictions)."""
    return Table(table_id, caption,
                 ["#", "x₀", "x₁", pgettext("table header", "truth"),
                  pgettext("table header", "prediction ŷ"), pgettext("table header", "class"),
                  pgettext("table header", "correct")],
                 p.rows, align=["r", "r", "r", "c", "r", "c", "c"],
                 note=_("Accuracy on all {total} samples: {correct}/{total} = "
                        "{accuracy}.").format(total=p.total, correct=p.correct,
                                              accuracy=pct(p.correct / p.total)))


SECTION = Section(
    id="results", title=N_("Results of your testing"), template="sections/results.html.j2",
    facts=facts, figures=figures, tables=tables, needs={"main": Needs()},
    parts=(Part("comparison", N_("Screenshot and comparison figure")),
           Part("accuracy", N_("Show the accuracy of your prediction")),
           Part("curves", N_("Learning curve (loss, epoch curve)")),
           Part("boundaries", N_("Anything you want to present: decision boundaries"))),
)
