"""Measurements the sections' facts are made of, derived from results only: an experiment's
settings summarised and ranked per data set (``SweepFacts``), and measures some sections
share (loss increases, saturation, the best straight line on a data set).

Each section turns these into the typed facts its template states (see
``reportgen.report.sections``). Nothing here formats or draws.
"""
import dataclasses

import numpy as np

#: a mean accuracy below this on the balanced data sets counts as "near chance"
NEAR_CHANCE = 0.6


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

    def fastest(self, dataset, rows=None):
        """Among settings that succeeded on every seed, the lowest median epochs to 100%."""
        ok = self.succeeded(dataset, rows)
        return min(ok, key=lambda r: r[dataset].median_epochs_to_100) if ok else None

    def slowest(self, dataset, rows=None):
        ok = self.succeeded(dataset, rows)
        return max(ok, key=lambda r: r[dataset].median_epochs_to_100) if ok else None

    def best(self, dataset, rows=None):
        """Highest share of seeds ending at 100%, then highest mean accuracy, then speed."""
        candidates = self.rows if rows is None else rows
        return min(candidates, key=lambda r: _rank(r, [dataset])) if candidates else None

    def best_per(self, field):
        """For each value of ``field`` (e.g. optimizer), its best row over all data sets."""
        values = dict.fromkeys(r.overrides[field] for r in self.rows)
        return {value: min(self.rows_where(**{field: value}),
                           key=lambda r: _rank(r, self.datasets))
                for value in values}

    def worst_accuracy(self, dataset, rows=None):
        return min(self.rows if rows is None else rows, key=lambda r: r[dataset].mean_accuracy)

    def max_accuracy(self, dataset, rows=None):
        """The best final accuracy any single run of these settings reached."""
        rows = self.rows if rows is None else rows
        return max(run.final_accuracy for r in rows for run in self.res.runs(r.setting, dataset))

    def speedup(self, dataset, slow, fast):
        """How many times fewer median epochs ``fast`` needed than ``slow`` (None if either failed)."""
        a, b = slow[dataset].median_epochs_to_100, fast[dataset].median_epochs_to_100
        return a / b if a is not None and b else None

    def monotone_faster(self, dataset, rows):
        """True when median epochs to 100% never increase along ``rows`` (all must succeed)."""
        values = [r[dataset].median_epochs_to_100 for r in rows]
        if not rows or any(v is None for v in values):
            return False
        return all(b <= a for a, b in zip(values, values[1:]))


def _rank(row, datasets):
    """Sort key, best first: share of seeds ending at 100%, mean accuracy, median epochs
    (summed over ``datasets``; a data set never solved counts as infinitely slow)."""
    speed = sum(np.inf if row[d].median_epochs_to_100 is None else row[d].median_epochs_to_100
                for d in datasets)
    return (-sum(row[d].success_rate for d in datasets),
            -sum(row[d].mean_accuracy for d in datasets), speed)


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


def saturation(res, setting, dataset, X, threshold=0.01):
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
