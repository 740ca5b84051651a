"""3. Results of your testing: comparison figures, per-sample predictions, learning curves,
decision boundaries of the main network."""
import dataclasses

import numpy as np

from ...engine import datasets
from ...engine.losses import accuracy
from ...experiments.summary import summary_cells
from ...results import Summary
from ..filters import num, pct
from .base import Figure, Needs, Part, Section, Table, curves, scatter

BOTH = ["linear", "xor"]
#: how the prose names each data set
DATASET_NAMES = {"linear": "linear", "xor": "XOR"}
#: how many samples of each data set the per-sample tables list (None: all)
SHOWN = {"xor": None, "linear": 12}
#: the course's demo asks for at least this accuracy on both data sets
DEMO_ACCURACY = 0.9
#: the decision boundaries are compared with the data's rule on a grid of this many points a side
BOUNDARY_GRID = 200


@dataclasses.dataclass
class OnDataset:
    """One setting's summary on one data set."""

    dataset: str        # "xor"
    name: str           # the data set as the prose names it: "XOR"
    summary: Summary


def boundary_agreement(run, dataset, resolution=BOUNDARY_GRID):
    """Share of a grid of ``resolution`` points a side over the unit square where the
    network's class matches the data's rule."""
    axis = np.linspace(0, 1, resolution)
    grid = np.column_stack([a.ravel() for a in np.meshgrid(axis, axis)])
    predicted = run.predict(grid)[:, 0] > 0.5
    return float(np.mean(predicted == (datasets.RULES[dataset](grid) > 0.5)))


def _comparison(res, dataset):
    run = res.runs(res.settings[0], dataset)[0]
    X, y = datasets.load(dataset)
    return scatter.comparison(X, y, run.predict(X),
                              suptitle=f"{dataset} data set: main network, seed {run.seed}")


def boundaries(res, setting_labels, dataset_list):
    """Decision-boundary panels of seed 0 of each (setting, label), on each data set."""
    panels = []
    for setting, label in setting_labels:
        for dataset in dataset_list:
            run = res.runs(setting, dataset)[0]
            X, y = datasets.load(dataset)
            acc = run.final_accuracy
            panels.append((f"{label}: {dataset} ({100 * acc:.0f}%)", X, y, run.predict))
    return scatter.decision_boundaries(panels, ncols=2)


def figures(inputs, facts):
    main = inputs.results["main"]
    return [
        Figure("comparison_linear", "Ground truth and prediction on the linear data set "
               "(main network, seed 0).", lambda: _comparison(main, "linear"), ("main",), 0.85),
        Figure("comparison_xor", "Ground truth and prediction on the XOR data set "
               "(main network, seed 0).", lambda: _comparison(main, "xor"), ("main",), 0.85),
        Figure("main_curves", "Learning curves of the main network: training loss (log "
               "scale) and accuracy per epoch; line: mean over seeds, band: min to max.",
               lambda: curves.loss_and_accuracy(main, main.settings[0], BOTH), ("main",)),
        Figure("main_boundaries", "Decision boundaries of the main network (seed 0). "
               "Background: the network's output ŷ; black line: ŷ = 0.5.",
               lambda: boundaries(main, [(main.settings[0], "main")], BOTH), ("main",), 0.9),
    ]


def prediction_rows(run, dataset, limit=None):
    """Per-sample rows (index, inputs, truth, ŷ, class, correct), the correct count and n."""
    X, y = datasets.load(dataset)
    yhat = run.predict(X)[:, 0]
    rows = []
    for i in range(len(X) if limit is None else limit):
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
    shown: int          # how many samples its table lists
    rows: list          # the table's rows: index, x₀, x₁, truth, ŷ, class, correct


def predictions(inputs, dataset):
    """Seed 0 of the main network on ``dataset``, its table listing SHOWN[dataset] samples."""
    main = inputs.results["main"]
    run = main.runs(main.settings[0], dataset)[0]
    rows, correct, total = prediction_rows(run, dataset, SHOWN[dataset])
    return Predictions(dataset, DATASET_NAMES[dataset], run.seed, correct, total,
                       correct == total, len(rows), rows)


@dataclasses.dataclass
class ResultsFacts:
    """The main network: its seeds, seed 0 on every sample, its accuracy over seeds, its
    learning curves and its decision boundaries."""

    seeds: list                  # the seeds of the main network
    seed_count: int
    shown_seed: int              # the seed of the figures and per-sample tables
    predictions: list            # Predictions per data set, in the experiment's order
    linear_shown: int            # samples of the linear set its table lists
    main: list                   # OnDataset: the main network over all seeds, per data set
    demo_accuracy: float         # what the course's demo asks for on both data sets
    worst_mean_accuracy: float   # the lower of the mean accuracies over seeds
    meets_demo: bool             # the mean accuracy meets the demo's on both data sets
    linear_epochs: float | None  # median epochs to first reach 100% (None: no seed did)
    xor_epochs: float | None
    xor_slower: bool | None      # XOR took more median epochs (None unless both reached 100%)
    linear_final_loss: float | None   # median final loss
    xor_final_loss: float | None
    boundary_grid: int           # points a side of the grid the boundaries are measured on
    boundary_linear: float       # share of the grid where the linear network's class matches
    boundary_xor: float          # the diagonal / quadrant rule (seed ``shown_seed``)
    linear_more_faithful: bool   # boundary_linear > boundary_xor
    xor_points: int              # the XOR data set's training points


def facts(inputs):
    main, results = inputs.sweeps["main"], inputs.results["main"]
    row = main.rows[0]
    preds = {d: predictions(inputs, d) for d in main.datasets}
    linear, xor = row["linear"], row["xor"]
    boundary = {d: boundary_agreement(results.runs(row.setting, d)[0], d)
                for d in main.datasets}
    worst = min(row[d].mean_accuracy for d in main.datasets)
    both = None not in (linear.median_epochs_to_100, xor.median_epochs_to_100)
    return ResultsFacts(
        seeds=list(results.data["seeds"]), seed_count=main.seeds, shown_seed=preds["xor"].seed,
        predictions=list(preds.values()), linear_shown=preds["linear"].shown,
        main=[OnDataset(d, DATASET_NAMES[d], row[d]) for d in main.datasets],
        demo_accuracy=DEMO_ACCURACY, worst_mean_accuracy=worst, meets_demo=worst >= DEMO_ACCURACY,
        linear_epochs=linear.median_epochs_to_100, xor_epochs=xor.median_epochs_to_100,
        xor_slower=xor.median_epochs_to_100 > linear.median_epochs_to_100 if both else None,
        linear_final_loss=linear.median_final_loss, xor_final_loss=xor.median_final_loss,
        boundary_grid=BOUNDARY_GRID, boundary_linear=boundary["linear"],
        boundary_xor=boundary["xor"], linear_more_faithful=boundary["linear"] > boundary["xor"],
        xor_points=preds["xor"].total)


def tables(inputs, facts):
    main = inputs.sweeps["main"]
    setting = main.rows[0].setting
    out = [Table("main_accuracy",
                 f"Accuracy of the main network over {main.seeds} seeds (final epoch).",
                 ["data set", "final accuracy (mean ± std)", "ended at 100%",
                  "median epochs to first 100%",
                  "final loss (median, runs that did not diverge)"],
                 [[d, *summary_cells(main.res, setting, d)[:3],
                   num(main.rows[0][d].median_final_loss)] for d in main.datasets])]
    by_dataset = {p.dataset: p for p in facts.predictions}
    for dataset in SHOWN:
        p = by_dataset[dataset]
        caption = (f"Every sample of the XOR data set: input, ground truth, prediction ŷ and "
                   f"predicted class (main network, seed {p.seed})." if SHOWN[dataset] is None
                   else f"The first {p.shown} of the {p.total} samples of the linear data "
                        f"set (main network, seed {p.seed}).")
        out.append(Table(f"predictions_{dataset}", caption,
                         ["#", "x₀", "x₁", "truth", "prediction ŷ", "class", "correct"],
                         p.rows, align=["r", "r", "r", "c", "r", "c", "c"],
                         note=f"Accuracy on all {p.total} samples: {p.correct}/"
                              f"{p.total} = {pct(p.correct / p.total)}."))
    return out


SECTION = Section(
    id="results", title="Results of your testing", template="sections/results.html.j2",
    facts=facts, figures=figures, tables=tables, needs={"main": Needs()},
    parts=(Part("comparison", "Screenshot and comparison figure"),
           Part("accuracy", "Show the accuracy of your prediction"),
           Part("curves", "Learning curve (loss, epoch curve)"),
           Part("boundaries", "Anything you want to present: decision boundaries")),
)
