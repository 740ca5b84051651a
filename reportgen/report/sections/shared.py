"""Facts that several sections state: the sweeps ranked, the learning rates classified, the
optimizers and activations at their best, the convolutional comparisons."""
import dataclasses

import numpy as np

from ...engine import datasets
from ..facts import NEAR_CHANCE, best_linear_accuracy, loss_increase_share, saturation

DATASETS = ("linear", "xor")


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


@dataclasses.dataclass
class Shared:
    """The facts the section templates read today (each section will own its part)."""

    f: dict
    main_setting: str
    main_spec: object
    boundary: dict
    lrf: dict
    best_opt: dict
    near_chance: dict
    best_act: dict
    cf: dict
    xor_linear_ceiling: float
    gradcheck_max: float
    seeds: int
    total_runs: int
    mixed_outcomes: int
    near_chance_level: float = NEAR_CHANCE
    datasets: tuple = DATASETS
    dname: dict = dataclasses.field(default_factory=lambda: {"linear": "linear", "xor": "XOR"})


def _near_chance(opt, best_opt):
    near_chance = {"small": [], "large": [], "best": []}
    for row in opt.rows:
        if row["xor"].mean_accuracy < NEAR_CHANCE:
            step, best_step = row.overrides["lr"], best_opt[row.overrides["optimizer"]].overrides["lr"]
            side = "small" if step < best_step else "large" if step > best_step else "best"
            near_chance[side].append(row)
    return near_chance


def facts(inputs):
    """The shared facts of every section."""
    f, results = inputs.sweeps, inputs.results
    main_setting = f["main"].rows[0].setting
    best_opt = f["optimizers"].best_per("optimizer")
    X_xor, y_xor = datasets.xor_easy()
    return Shared(
        f=f,
        main_setting=main_setting,
        main_spec=results["main"].runs(main_setting, "xor")[0].spec,
        boundary={d: boundary_agreement(results["main"].runs(main_setting, d)[0], d)
                  for d in DATASETS},
        lrf=lr_facts(f["learning_rate"]),
        best_opt=best_opt,
        near_chance=_near_chance(f["optimizers"], best_opt),
        best_act=f["activations"].best_per("activation"),
        cf=conv_facts(f["convolution"]),
        xor_linear_ceiling=best_linear_accuracy(X_xor, y_xor),
        gradcheck_max=max(g["error"] for g in inputs.gradchecks),
        seeds=f["main"].seeds,
        total_runs=len({run.key for res in results.values() for run in res.runs()}),
        mixed_outcomes=sum(1 for fa in f.values() for r in fa.rows for d in fa.datasets
                           if 0 < r[d].succeeded < r[d].runs),
    )
