"""The report's one comparison rule: when one setting is better (or faster) than another.

Two settings are compared seed by seed (the same seed draws the same data and, where the
networks have the same shape, the same initial weights). On each seed the better run is
the one that converged (held 100% training accuracy to the end) when the other did not;
when both converged, the one that held 100% from an earlier epoch, by at least ``TIE_SHARE``
of the epochs (closer is a tie: a few epochs are noise, not speed); when neither did, the
one that ended at the higher accuracy; otherwise the seed is a tie.

A setting is better than another when it was better on at least ``MAJORITY`` of the seeds they
share (4 of 5, 2 of 2), "faster" when both converged on every seed. Otherwise there is no
clear difference; when every seed is a tie, the two are tied. Why 4 of 5: one seed decides
nothing, and demanding all 5 would let a single unlucky seed hide an effect every other seed
shows; if the two settings were alike, a side would pass by chance in 3 of 16 comparisons
(sign test, 5 seeds), so a claim rests on the pattern, not on one comparison.
"""
import dataclasses
import math

#: the share of the shared seeds on which a setting must be better
MAJORITY = 0.8
#: two runs that both converged tie when the epochs from which they held 100% differ by less
#: than this share of the longer run's epochs
TIE_SHARE = 0.01


def ahead(x, y):
    """1 when run ``x`` is better than run ``y`` on their seed, -1 when worse, 0 for a tie
    (see the module docstring)."""
    if x.held_100 is not None and y.held_100 is not None:
        gap = y.held_100 - x.held_100
        if abs(gap) < TIE_SHARE * max(x.epochs_run, y.epochs_run):
            return 0
        return 1 if gap > 0 else -1
    if (x.held_100 is None) != (y.held_100 is None):
        return 1 if x.held_100 is not None else -1
    return (x.final_accuracy > y.final_accuracy) - (x.final_accuracy < y.final_accuracy)


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The rule applied to settings ``a`` and ``b`` on one data set."""

    a: str
    b: str
    dataset: str
    wins: int         # seeds on which a was better
    losses: int       # seeds on which b was better
    ties: int
    needed: int       # seeds a side must win
    winner: str | None   # a or b when the rule separates them, else None
    loser: str | None
    tie: bool         # every seed a tie
    kind: str         # "faster" when both converged on every seed, else "better"

    @property
    def seeds(self):
        return self.wins + self.losses + self.ties


def compare(a, runs_a, b, runs_b, dataset):
    """The Verdict on settings ``a`` and ``b`` from their runs on ``dataset``, paired by seed."""
    by_seed = {run.seed: run for run in runs_b}
    pairs = [(run, by_seed[run.seed]) for run in runs_a if run.seed in by_seed]
    if not pairs:
        raise ValueError(f"{a!r} and {b!r} share no seed on {dataset!r}")
    wins = sum(ahead(x, y) > 0 for x, y in pairs)
    losses = sum(ahead(x, y) < 0 for x, y in pairs)
    needed = math.ceil(MAJORITY * len(pairs))
    winner = a if wins >= needed else b if losses >= needed else None
    converged = all(x.held_100 is not None and y.held_100 is not None for x, y in pairs)
    return Verdict(a, b, dataset, wins, losses, len(pairs) - wins - losses, needed, winner,
                   None if winner is None else (b if winner == a else a),
                   wins == losses == 0, "faster" if converged else "better")


def best(candidates, dataset):
    """The label of ``candidates`` ({label: runs}) that the rule finds better than every
    other one, or None when no single one is."""
    for label, runs in candidates.items():
        if all(compare(label, runs, other, other_runs, dataset).winner == label
               for other, other_runs in candidates.items() if other != label):
            return label
    return None


def worst(candidates, dataset):
    """The label that every other candidate beats under the rule, or None."""
    for label, runs in candidates.items():
        if all(compare(label, runs, other, other_runs, dataset).winner == other
               for other, other_runs in candidates.items() if other != label):
            return label
    return None
