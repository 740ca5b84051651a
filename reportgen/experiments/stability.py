"""How a run got to 100% and whether it stayed there, measured on every epoch of its curves.

The report's claims of speed and success rest on these, not on the first epoch at 100%: a run
that touched 100% once and fell back did not converge.

- ``held_100``: the epoch from which the training accuracy stayed at 100% to the last epoch
  (None when the run ended below 100%, or diverged);
- ``fell_back``: whether the accuracy dropped below 100% after first reaching it (even if it
  came back), with ``lowest_after_100``, the lowest accuracy after that first epoch;
- loss spikes: an epoch whose loss is more than ``SPIKE_FACTOR`` times the lowest loss of the
  epochs before it. ``spikes`` counts the episodes (consecutive spiking epochs count once),
  ``largest_spike`` is the largest such ratio (1.0 when the loss never rose above its minimum);
- ``late_loss_change``: how far the last ``LATE_SHARE`` of the epochs lowered the lowest loss,
  (min late − min before) / min before, where "before" runs up to the window's first epoch: a
  run is still learning when it is below −``STILL_LEARNING``. Lowest values, not the loss at
  the window's two ends: a loss that oscillates on a plateau would otherwise look like
  learning whenever the window starts at a peak and ends in a trough; it makes no new low.
"""
import math

import numpy as np

#: a loss more than this many times its running minimum is a spike
SPIKE_FACTOR = 10.0
#: the last share of the epochs over which ``late_loss_change`` is measured
LATE_SHARE = 0.1
#: a relative fall of the loss, over the last LATE_SHARE of the epochs, above which a run is
#: "still learning"
STILL_LEARNING = 0.01


def stability(loss, accuracy, diverged):
    """The fields above for one run's per-epoch ``loss`` and ``accuracy`` (epochs 0..E)."""
    accuracy = np.asarray(accuracy, dtype=float)
    loss = np.asarray(loss, dtype=float)
    if diverged:   # the accuracy after the last finite loss is the NaN network's
        finite = np.isfinite(loss)
        last = int(np.argmin(finite)) if not finite.all() else len(loss)
        loss, accuracy = loss[:last], accuracy[:last]
    at_100 = accuracy == 1.0
    first = int(np.argmax(at_100)) if at_100.any() else None
    return {
        "held_100": None if diverged else _held(at_100),
        "fell_back": first is not None and not at_100[first:].all(),
        "lowest_after_100": None if first is None else float(accuracy[first:].min()),
        **_spikes(loss),
        "late_loss_change": _late_change(loss),
    }


def _held(at_100):
    """The first epoch of the final unbroken stretch at 100%, or None."""
    if not len(at_100) or not at_100[-1]:
        return None
    below = np.flatnonzero(~at_100)
    return int(below[-1]) + 1 if below.size else 0


def _spikes(loss):
    if len(loss) < 2:
        return {"spikes": 0, "largest_spike": 1.0}
    running_min = np.minimum.accumulate(loss)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(running_min > 0, loss / running_min, 1.0)
    spiking = ratio > SPIKE_FACTOR
    starts = spiking & ~np.concatenate([[False], spiking[:-1]])
    largest = float(ratio.max())
    return {"spikes": int(starts.sum()), "largest_spike": largest if math.isfinite(largest) else None}


def _late_change(loss):
    if len(loss) < 2:
        return None
    start = min(len(loss) - 2, int(round((1 - LATE_SHARE) * (len(loss) - 1))))
    before, late = np.min(loss[:start + 1]), np.min(loss[start + 1:])
    if not (math.isfinite(before) and math.isfinite(late)) or before == 0:
        return None
    return float((late - before) / before)
