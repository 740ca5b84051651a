"""Measurements the sections' facts are made of, derived from results only: an experiment's
settings summarised and ranked per data set (``SweepFacts``), and measures some sections
share (loss increases, saturation, the best straight line on a data set).

Each section turns these into the typed facts its template states (see
``reportgen.report.sections``). Nothing here formats or draws.
"""
import dataclasses

import numpy as np

from ..experiments.stability import STILL_LEARNING
from . import rule

@dataclasses.dataclass(frozen=True)
class Row:
    """One setting of a sweep with its summary per data set."""

    setting: str
    overrides: dict
    summaries: dict  # dataset -> results.Summary

    def __getitem__(self, dataset):
        return self.summaries[dataset]

    def all_succeeded(self, dataset):
        s = self.summaries[dataset]
        return s.succeeded == s.runs

    def never_reached(self, dataset):
        return self.summaries[dataset].reached_100 == 0


class SweepFacts:
    """Facts about one experiment: its settings ranked and classified per data set."""

    def __init__(self, res):
        self.res = res
        self.name = res.name
        self.datasets = res.datasets
        self.rows = [Row(s, res.overrides(s), {d: res.summary(s, d) for d in res.datasets})
                     for s in res.settings]
        self.seeds = len(res.data["seeds"])

    def to_data(self):
        """What facts.json records of the sweep: its rows."""
        return {"experiment": self.name, "seeds": self.seeds, "rows": self.rows}

    def row(self, setting):
        return next(r for r in self.rows if r.setting == setting)

    def rows_where(self, **overrides):
        """Rows whose overrides include all of ``overrides``."""
        return [r for r in self.rows if all(r.overrides.get(k) == v for k, v in overrides.items())]

    def succeeded(self, dataset, rows=None):
        """Settings whose every seed ended at 100% on ``dataset``."""
        return [r for r in (self.rows if rows is None else rows) if r.all_succeeded(dataset)]

    def failed(self, dataset, rows=None):
        """Settings where at least one seed did not end at 100%."""
        return [r for r in (self.rows if rows is None else rows) if not r.all_succeeded(dataset)]

    def never(self, dataset, rows=None):
        """Settings where no seed ever reached 100%."""
        return [r for r in (self.rows if rows is None else rows) if r.never_reached(dataset)]

    def diverged(self, dataset=None):
        """Settings with at least one diverged run (on ``dataset``, or on any)."""
        datasets = [dataset] if dataset else self.datasets
        return [r for r in self.rows if any(r[d].diverged for d in datasets)]

    def runs(self, row, dataset):
        return self.res.runs(row.setting, dataset)

    def compare(self, a, b, dataset):
        """The comparison rule (``rule.compare``) applied to rows ``a`` and ``b``."""
        return rule.compare(a.setting, self.runs(a, dataset), b.setting, self.runs(b, dataset),
                            dataset)

    def _candidates(self, dataset, rows):
        return {r.setting: self.runs(r, dataset) for r in (self.rows if rows is None else rows)}

    def winner(self, dataset, rows=None):
        """The row the comparison rule finds better than every other of ``rows`` (all by
        default) on ``dataset``, or None when no single one is."""
        label = rule.best(self._candidates(dataset, rows), dataset)
        return None if label is None else self.row(label)

    def loser(self, dataset, rows=None):
        """The row every other of ``rows`` beats under the rule, or None."""
        label = rule.worst(self._candidates(dataset, rows), dataset)
        return None if label is None else self.row(label)

    def best_per(self, field):
        """For each value of ``field`` (e.g. optimizer), the row shown as its best: most seeds
        converged, then highest mean accuracy, then fewest median epochs to hold 100% (summed
        over the data sets). A choice of what to show, not a claim: claims use the rule."""
        values = dict.fromkeys(r.overrides[field] for r in self.rows)
        return {value: min(self.rows_where(**{field: value}),
                           key=lambda r: _rank(r, self.datasets))
                for value in values}

    def max_accuracy(self, dataset, rows=None):
        """The best final accuracy any single run of these settings reached."""
        rows = self.rows if rows is None else rows
        return max(run.final_accuracy for r in rows for run in self.res.runs(r.setting, dataset))

    def speedup(self, dataset, slow, fast):
        """How many times fewer median epochs to hold 100% ``fast`` needed than ``slow``
        (None unless both converged on some seed)."""
        a, b = slow[dataset].median_held_epoch, fast[dataset].median_held_epoch
        return a / b if a is not None and b else None

    def each_faster(self, dataset, rows):
        """True when, along ``rows``, the rule finds every row faster than the one before."""
        return len(rows) > 1 and all(
            self.compare(b, a, dataset).winner == b.setting and
            self.compare(b, a, dataset).kind == "faster" for a, b in zip(rows, rows[1:]))


def _rank(row, datasets):
    """Sort key, best first: share of seeds that converged, mean accuracy, median epoch from
    which 100% held (summed over ``datasets``; never converged counts as infinitely slow)."""
    speed = sum(np.inf if row[d].median_held_epoch is None else row[d].median_held_epoch
                for d in datasets)
    return (-sum(row[d].success_rate for d in datasets),
            -sum(row[d].mean_accuracy for d in datasets), speed)


#: a run that converged but held 100% over less than this last share of its epochs held it
#: only briefly: the prose says so where it reports the setting
SHORT_HOLD = 0.1

#: a sigmoid unit whose slope s(1 - s) is below this is saturated: it passes almost no gradient
SATURATION_SLOPE = 0.01
#: a network whose outputs on every training point lie within this of each other predicts a
#: constant (the same class everywhere)
CONSTANT_SPREAD = 0.01


def chance(y):
    """What predicting the majority class everywhere scores on labels ``y``: the data set's
    chance level."""
    positive = float(np.mean(np.asarray(y).ravel() > 0.5))
    return max(positive, 1 - positive)


def output_spread(run, X):
    """The range of the trained network's outputs ŷ over the points ``X`` (None if diverged)."""
    if run.status != "ok":
        return None
    return float(np.ptp(run.predict(X)))


def constant_output(run, X):
    """Whether the network outputs nearly the same ŷ on every point (see CONSTANT_SPREAD)."""
    spread = output_spread(run, X)
    return spread is not None and spread < CONSTANT_SPREAD


def output_saturation(run, X):
    """Share of the points on which a sigmoid output unit is saturated (None otherwise)."""
    if run.spec.output_activation != "sigmoid" or run.status != "ok":
        return None
    out = run.predict(X)
    return float(np.mean(out * (1 - out) < SATURATION_SLOPE))


def hidden_saturation(run, X):
    """Share of the sigmoid hidden-unit outputs on ``X`` that are saturated (None for other
    hidden activations or a diverged run)."""
    if run.spec.activation != "sigmoid" or run.status != "ok":
        return None
    hidden = run.hidden_outputs(X)
    return float(np.mean(hidden * (1 - hidden) < SATURATION_SLOPE))


def dead_units(run, X):
    """Share of the ReLU hidden units that are off (output 0) on every point of ``X``: their
    gradient is zero on every sample, so gradient descent cannot turn them back on. None for
    other hidden activations or a diverged run."""
    if run.spec.activation != "relu" or run.status != "ok" or run.spec.conv:
        return None
    layers = run.hidden_layers(X)
    dead = sum(int(np.sum(np.all(layer == 0, axis=0))) for layer in layers)
    return dead / sum(layer.shape[1] for layer in layers)


#: two settings' mean curves coincide at an epoch when the larger loss is within this factor of
#: the smaller, or the accuracies within this many percentage points; they lie on one another
#: when they coincide at at least COINCIDE_SHARE of the recorded epochs both have
COINCIDE = {"loss": 1.1, "accuracy": 5.0}
COINCIDE_SHARE = 0.8


def coinciding(res, settings, dataset, metric="loss"):
    """Groups of ``settings`` whose mean curves on ``dataset`` lie on one another (each
    linked to another of its group, ``COINCIDE``), in the settings' order; drawn, one hides
    the other. Groups of one are left out."""
    means = {s: res.curve(s, dataset, metric, geometric=metric == "loss")[:2] for s in settings}
    group = {s: {s} for s in settings}
    for i, a in enumerate(settings):
        for b in settings[i + 1:]:
            if group[a] is not group[b] and _coincide(*means[a], *means[b], metric):
                merged = group[a] | group[b]
                for s in merged:
                    group[s] = merged
    found = []
    for s in settings:
        if len(group[s]) > 1 and group[s] not in found:
            found.append(group[s])
    return [[s for s in settings if s in g] for g in found]


def _coincide(epochs_a, a, epochs_b, b, metric):
    last = min(epochs_a[-1], epochs_b[-1])
    grid = epochs_a[epochs_a <= last]
    b = np.interp(grid, epochs_b, b)
    a = a[:len(grid)]
    both = np.isfinite(a) & np.isfinite(b)
    if not both.any():
        return False
    a, b = a[both], b[both]
    if metric == "accuracy":
        close = np.abs(a - b) * 100 <= COINCIDE["accuracy"]
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            close = np.maximum(a, b) / np.minimum(a, b) <= COINCIDE["loss"]
    return bool(close.mean() >= COINCIDE_SHARE)


def held_briefly(run):
    """Whether ``run`` converged but held 100% over less than the last ``SHORT_HOLD`` of its
    epochs: converged by the report's definition, but only just."""
    return run.held_100 is not None and run.epochs_run - run.held_100 < SHORT_HOLD * run.epochs_run


def still_learning(run):
    """Whether the last tenth of the epochs lowered the lowest loss by more than
    ``stability.STILL_LEARNING`` of it (None when that change is not known)."""
    change = run.stability["late_loss_change"]
    return None if change is None else change < -STILL_LEARNING


def loss_increase_share(res, setting, dataset):
    """Mean over seeds of the share of recorded epochs where the loss went up.

    Plain gradient descent with a small enough step lowers the loss at every step; a large
    share of increases is the measured sign of a step size that overshoots.
    """
    shares = []
    for run in res.runs(setting, dataset):
        _, loss = run.history("loss")
        loss = loss[np.isfinite(loss)]
        if len(loss) > 1:
            shares.append(float(np.mean(np.diff(loss) > 0)))
    return float(np.mean(shares)) if shares else 0.0


def saturation(res, setting, dataset, X, threshold=SATURATION_SLOPE):
    """Share of sigmoid hidden-unit outputs on X whose slope s(1 - s) is below ``threshold``
    at the end of training, averaged over seeds (None for non-sigmoid hidden layers)."""
    shares = []
    for run in res.runs(setting, dataset):
        if run.spec.activation != "sigmoid" or run.status != "ok":
            return None
        hidden = run.hidden_outputs(X)
        shares.append(float(np.mean(hidden * (1 - hidden) < threshold)))
    return float(np.mean(shares)) if shares else None


def best_linear_accuracy(X, y):
    """The best accuracy any straight line x·w + c = 0 reaches on (X, y), exactly.

    Any line can be moved, without changing which side any point is on, until it passes
    through two data points; so every line through two points, nudged off the points on it
    in every way a shift or a small turn allows, with both orientations, covers every
    labelling a line can make. O(n^3) on n points: fine for the lab's 21 and 100.
    """
    labels = y.ravel() > 0.5
    best = max(labels.mean(), 1 - labels.mean())
    n = len(X)
    for i in range(n):
        for j in range(i + 1, n):
            direction = X[j] - X[i]
            if not direction.any():
                continue
            normal = np.array([-direction[1], direction[0]])
            side = (X - X[i]) @ normal
            along = (X - X[i]) @ direction
            on_line = np.abs(side) < 1e-12
            # nudging the line off the points on it: shift it (all of them to one side) or
            # turn it a little about point i (those before i to one side, after i to the other,
            # point i itself to either)
            placements = [np.ones(n, bool), np.zeros(n, bool)]
            for i_side in (True, False):
                placements.append(np.where(along == 0, i_side, along > 0))
                placements.append(np.where(along == 0, i_side, along < 0))
            for placement in placements:
                positive = np.where(on_line, placement, side > 0)
                accuracy = np.mean(positive == labels)
                best = max(best, accuracy, 1 - accuracy)
    return float(best)
