"""3. Results of your testing: comparison figures, per-sample predictions, learning curves,
decision boundaries of the main network."""
import dataclasses

from ...engine import datasets
from ...engine.losses import accuracy
from ...experiments.summary import summary_cells
from ..render import num, pct
from .base import Figure, Needs, Part, Section, Table, curves, scatter

BOTH = ["linear", "xor"]
#: how the prose names each data set
DATASET_NAMES = {"linear": "linear", "xor": "XOR"}
#: how many samples of each data set the per-sample tables list (None: all)
SHOWN = {"xor": None, "linear": 12}


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


def predictions(inputs):
    """{dataset: dict(correct, total, seed, shown)} of seed 0 of the main network."""
    out = {}
    for dataset, limit in SHOWN.items():
        run = inputs.results["main"].runs(inputs.results["main"].settings[0], dataset)[0]
        rows, correct, total = prediction_rows(run, dataset, limit)
        out[dataset] = dict(correct=correct, total=total, seed=run.seed, shown=len(rows),
                            rows=rows)
    return out


@dataclasses.dataclass
class ResultsFacts:
    """Seed 0 of the main network on every sample: {dataset: dict(correct, total, seed,
    shown, rows)}."""

    predictions: dict


def facts(inputs):
    return ResultsFacts(predictions(inputs))


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
    for dataset, p in facts.predictions.items():
        caption = (f"Every sample of the XOR data set: input, ground truth, prediction ŷ and "
                   f"predicted class (main network, seed {p['seed']})." if SHOWN[dataset] is None
                   else f"The first {p['shown']} of the {p['total']} samples of the linear data "
                        f"set (main network, seed {p['seed']}).")
        out.append(Table(f"predictions_{dataset}", caption,
                         ["#", "x₀", "x₁", "truth", "prediction ŷ", "class", "correct"],
                         p["rows"], align=["r", "r", "r", "c", "r", "c", "c"],
                         note=f"Accuracy on all {p['total']} samples: {p['correct']}/"
                              f"{p['total']} = {pct(p['correct'] / p['total'])}."))
    return out


SECTION = Section(
    id="results", title="Results of your testing", template="sections/results.html.j2",
    facts=facts, figures=figures, tables=tables, needs={"main": Needs()},
    parts=(Part("comparison", "Screenshot and comparison figure"),
           Part("accuracy", "Show the accuracy of your prediction"),
           Part("curves", "Learning curve (loss, epoch curve)"),
           Part("boundaries", "Anything you want to present: decision boundaries")),
)
