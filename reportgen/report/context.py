"""Everything the templates see: metadata, facts, numbered figures and tables.

Tables are built here (rows of formatted cells) in the order they appear in the report,
which is what gives them their numbers; figures come numbered from ``figure_plan``.
"""
import numpy as np

from ..engine import datasets
from ..engine.losses import accuracy
from ..experiments.summary import HEADER as SUMMARY_HEADER, summary_cells, summary_rows
from .facts import NEAR_CHANCE, best_linear_accuracy, loss_increase_share, saturation
from .render import Section, TableRef, num, pct

DATASETS = ("linear", "xor")
SWEEP_COLUMNS = list(SUMMARY_HEADER)

SECTIONS = [
    Section("introduction", "Introduction", 1),
    Section("setups", "Experiment setups", 2, [
        Section("setup-sigmoid", "Sigmoid functions", "2.A"),
        Section("setup-network", "Neural network", "2.B"),
        Section("setup-backprop", "Backpropagation", "2.C")]),
    Section("results", "Results of your testing", 3, [
        Section("results-comparison", "Screenshot and comparison figure", "3.A"),
        Section("results-accuracy", "Show the accuracy of your prediction", "3.B"),
        Section("results-curves", "Learning curve (loss, epoch curve)", "3.C"),
        Section("results-boundaries", "Anything you want to present: decision boundaries", "3.D")]),
    Section("discussion", "Discussion", 4, [
        Section("discussion-lr", "Try different learning rates", "4.A"),
        Section("discussion-hidden", "Try different numbers of hidden units", "4.B"),
        Section("discussion-noact", "Try without activation functions", "4.C"),
        Section("discussion-other", "Anything you want to share: initialisation and biases", "4.D")]),
    Section("extra", "Extra", 5, [
        Section("extra-optimizers", "Implement different optimizers", "5.A"),
        Section("extra-activations", "Implement different activation functions", "5.B"),
        Section("extra-conv", "Implement convolutional layers", "5.C")]),
    Section("questions", "Questions", 6),
    Section("appendix", "Appendix: reproducibility and gradient checks", 7),
]


class Tables:
    """Numbers tables in the order they are added, which is their order in the report."""

    def __init__(self):
        self.items = {}

    def add(self, key, caption, columns, rows, align=None, note=None):
        self.items[key] = TableRef(id=f"tab-{key}", caption=caption, number=len(self.items) + 1,
                                   columns=columns, rows=rows, align=align, note=note)
        return self.items[key]





def sweep_rows(facts):
    """Table rows: one per setting and data set, as ``reportgen run`` prints them."""
    return summary_rows(facts.res)


def _prediction_rows(run, dataset, limit=None):
    X, y = datasets.load(dataset)
    yhat = run.predict(X)[:, 0]
    rows = []
    for i in range(len(X) if limit is None else limit):
        cls = int(yhat[i] > 0.5)
        rows.append([i, f"{X[i, 0]:.3f}", f"{X[i, 1]:.3f}", int(y[i, 0]), f"{yhat[i]:.4f}", cls,
                     "✓" if cls == int(y[i, 0]) else "✗"])
    correct = round(float(accuracy(yhat[:, None], y)) * len(X))
    return rows, correct, len(X)


def boundary_agreement(run, dataset, resolution=200):
    """Share of a grid over the unit square where the network's class matches the data's rule."""
    axis = np.linspace(0, 1, resolution)
    grid = np.column_stack([a.ravel() for a in np.meshgrid(axis, axis)])
    predicted = run.predict(grid)[:, 0] > 0.5
    return float(np.mean(predicted == (datasets.RULES[dataset](grid) > 0.5)))


def lr_facts(facts):
    """Learning rates sorted into: converged on every seed of both data sets, too small (below
    every converged one), too large (above), and failing in between."""
    rows = sorted(facts.rows, key=lambda r: r.overrides["lr"])
    converged = [r for r in rows if all(r.all_succeeded(d) for d in facts.datasets)]
    low = converged[0].overrides["lr"] if converged else None
    high = converged[-1].overrides["lr"] if converged else None
    failed = [r for r in rows if r not in converged]
    too_small = [r for r in failed if low is not None and r.overrides["lr"] < low]
    too_large = [r for r in failed if high is not None and r.overrides["lr"] > high]
    between = [r for r in failed if r not in too_small and r not in too_large]
    increases = {(r.setting, d): loss_increase_share(facts.res, r.setting, d)
                 for r in rows for d in facts.datasets}
    X, _ = datasets.xor_easy()
    saturated = {r.setting: saturation(facts.res, r.setting, "xor", X) for r in rows}
    return dict(lrs=[r.overrides["lr"] for r in rows], converged=converged, failed=failed,
                too_small=too_small, too_large=too_large, between=between,
                increases=increases, low=low, high=high, saturated=saturated,
                too_large_xor_increases=[increases[(r.setting, "xor")] for r in too_large],
                # (setting, share) for the too-large settings whose share could be measured
                too_large_saturation=[(r.setting, saturated[r.setting]) for r in too_large
                                      if saturated[r.setting] is not None],
                reference_saturation=saturated[converged[0].setting] if converged else None)


def conv_facts(facts):
    """Each convolutional network paired with the dense network nearest in parameter count."""
    params = {r.setting: facts.res.runs(r.setting, facts.datasets[0])[0].network().parameter_count()
              for r in facts.rows}
    dense = [r for r in facts.rows if "conv" not in r.overrides]
    conv = [r for r in facts.rows if "conv" in r.overrides]
    pairs = []
    for c in conv:
        d = min(dense, key=lambda r: abs(params[r.setting] - params[c.setting]))
        verdict = {}
        for dataset in facts.datasets:
            sd, sc = d[dataset], c[dataset]
            if sc.success_rate != sd.success_rate:
                verdict[dataset] = "better" if sc.success_rate > sd.success_rate else "worse"
            elif sc.median_epochs_to_100 is None or sd.median_epochs_to_100 is None:
                verdict[dataset] = "same"
            else:
                ratio = sc.median_epochs_to_100 / sd.median_epochs_to_100
                verdict[dataset] = "faster" if ratio < 0.8 else "slower" if ratio > 1.25 else "same"
        pairs.append(dict(dense=d, conv=c, verdict=verdict))
    return dict(params=params, pairs=pairs, dense=dense, conv=conv)


def build_context(results, f, meta, figs, gradchecks, provenance, quick, command):
    """The whole template context (``f``: SweepFacts by experiment name)."""
    main = f["main"]
    main_setting = main.rows[0].setting
    tables = Tables()

    tables.add("main_accuracy",
               f"Accuracy of the main network over {main.seeds} seeds (final epoch).",
               ["data set", "final accuracy (mean ± std)", "ended at 100%",
                "median epochs to first 100%", "final loss (median, runs that did not diverge)"],
               [[d, *summary_cells(main.res, main_setting, d)[:3],
                 num(main.rows[0][d].median_final_loss)] for d in main.datasets])
    predictions = {}
    for dataset, limit in (("xor", None), ("linear", 12)):
        run = results["main"].runs(main_setting, dataset)[0]
        rows, correct, total = _prediction_rows(run, dataset, limit)
        predictions[dataset] = dict(correct=correct, total=total, seed=run.seed, shown=len(rows))
        caption = (f"Every sample of the XOR data set: input, ground truth, prediction ŷ and "
                   f"predicted class (main network, seed {run.seed})." if limit is None else
                   f"The first {limit} of the {total} samples of the linear data set (main "
                   f"network, seed {run.seed}).")
        tables.add(f"predictions_{dataset}", caption,
                   ["#", "x₀", "x₁", "truth", "prediction ŷ", "class", "correct"], rows,
                   align=["r", "r", "r", "c", "r", "c", "c"],
                   note=f"Accuracy on all {total} samples: {correct}/{total} = "
                        f"{pct(correct / total)}.")

    sweep_caption = "over {} seeds per setting and data set: final accuracy (mean ± std), seeds " \
                    "that ended at 100%, median epochs to first reach 100% (over the seeds that " \
                    "did), diverged runs."
    lr = f["learning_rate"]
    tables.add("lr", "Learning rates " + sweep_caption.format(lr.seeds), SWEEP_COLUMNS,
               sweep_rows(lr))
    hidden = f["hidden_units"]
    tables.add("hidden", "Hidden widths " + sweep_caption.format(hidden.seeds), SWEEP_COLUMNS,
               sweep_rows(hidden))
    noact = f["no_activation"]
    tables.add("noact", "With and without activation functions " +
               sweep_caption.format(noact.seeds), SWEEP_COLUMNS, sweep_rows(noact))
    init = f["initialisation"]
    tables.add("init", "Initialisations and biases " + sweep_caption.format(init.seeds),
               SWEEP_COLUMNS, sweep_rows(init))
    opt = f["optimizers"]
    best_opt = opt.best_per("optimizer")
    tables.add("optimizers", "Optimizers at three learning rates " +
               sweep_caption.format(opt.seeds), SWEEP_COLUMNS, sweep_rows(opt))
    near_chance = {"small": [], "large": [], "best": []}
    for row in opt.rows:
        if row["xor"].mean_accuracy < NEAR_CHANCE:
            step, best_step = row.overrides["lr"], best_opt[row.overrides["optimizer"]].overrides["lr"]
            side = "small" if step < best_step else "large" if step > best_step else "best"
            near_chance[side].append(row)
    act = f["activations"]
    best_act = act.best_per("activation")
    tables.add("activations", "Hidden activations at two learning rates " +
               sweep_caption.format(act.seeds), SWEEP_COLUMNS, sweep_rows(act))
    conv = f["convolution"]
    cf = conv_facts(conv)
    tables.add("conv", "Convolutional and dense networks " + sweep_caption.format(conv.seeds),
               ["network", "parameters"] + SWEEP_COLUMNS[1:],
               [[row[0], cf["params"][row[0]]] + row[1:] for row in sweep_rows(conv)])
    tables.add("gradcheck", "Gradient check of the engine, computed during this build: largest "
               "relative error between backpropagation and central finite differences over "
               "all parameters, on 7 random points: a random 2-5-3-1 dense network for every "
               "hidden activation, and convolutional networks (lift, one Conv1D layer, a dense "
               "layer of 3 units).",
               ["network", "loss", "bias", "max relative error", "passed (< 10⁻⁶)"],
               [[g["network"], g["loss"], "yes" if g["bias"] else "no",
                 f"{g['error']:.1e}", "yes" if g["error"] < 1e-6 else "NO"] for g in gradchecks],
               align=["l", "l", "c", "r", "c"])

    X_xor, y_xor = datasets.xor_easy()
    linear_ceiling = best_linear_accuracy(X_xor, y_xor)
    return dict(
        meta=meta,
        quick=quick,
        sections=SECTIONS,
        figs=figs,
        tables=tables.items,
        results=results,
        f=f,
        main_setting=main_setting,
        main_spec=results["main"].runs(main_setting, "xor")[0].spec,
        predictions=predictions,
        boundary={d: boundary_agreement(results["main"].runs(main_setting, d)[0], d)
                  for d in DATASETS},
        lrf=lr_facts(lr),
        best_opt=best_opt,
        near_chance=near_chance,
        best_act=best_act,
        cf=cf,
        xor_linear_ceiling=linear_ceiling,
        gradchecks=gradchecks,
        gradcheck_max=max(g["error"] for g in gradchecks),
        provenance=provenance,
        command=command,
        seeds=main.seeds,
        total_runs=len({run.key for res in results.values() for run in res.runs()}),
        near_chance_level=NEAR_CHANCE,
        mixed_outcomes=sum(1 for fa in f.values() for r in fa.rows for d in fa.datasets
                           if 0 < r[d].succeeded < r[d].runs),
        datasets=DATASETS,
        dname={"linear": "linear", "xor": "XOR"},
    )
