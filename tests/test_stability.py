"""The stability measures of a run, on hand-built curves, and their schema check."""
import math

import numpy as np
import pytest

from reportgen.experiments.stability import SPIKE_FACTOR, stability
from reportgen.schema import _stability_problem

FLAT = [0.25] * 6


def test_held_is_the_start_of_the_last_stretch_at_100():
    s = stability(FLAT, [0.5, 1.0, 0.8, 1.0, 1.0, 1.0], diverged=False)
    assert s["held_100"] == 3 and s["fell_back"] is True and s["lowest_after_100"] == 0.8


def test_a_run_that_ends_below_100_never_held_it():
    s = stability(FLAT, [0.5, 1.0, 1.0, 1.0, 1.0, 0.9], diverged=False)
    assert s["held_100"] is None and s["fell_back"] is True and s["lowest_after_100"] == 0.9


def test_a_run_that_never_dropped_did_not_fall_back():
    s = stability(FLAT, [0.5, 0.6, 1.0, 1.0, 1.0, 1.0], diverged=False)
    assert (s["held_100"], s["fell_back"], s["lowest_after_100"]) == (2, False, 1.0)
    s = stability(FLAT, [0.5] * 6, diverged=False)
    assert (s["held_100"], s["fell_back"], s["lowest_after_100"]) == (None, False, None)


def test_spikes_count_episodes_above_the_running_minimum():
    loss = [1.0, 0.1, 0.05, 0.6, 0.7, 0.04, 0.03, 0.5, 0.02]
    s = stability(loss, [0.5] * 9, diverged=False)
    # 0.6 and 0.7 are one episode (> 10 x 0.05), 0.5 > 10 x 0.03 another
    assert s["spikes"] == 2
    assert s["largest_spike"] == pytest.approx(0.5 / 0.03)
    s = stability([1.0, 0.1, 0.1 * SPIKE_FACTOR * 0.99], [0.5] * 3, diverged=False)
    assert s["spikes"] == 0 and s["largest_spike"] == pytest.approx(SPIKE_FACTOR * 0.99)


def test_late_loss_change_over_the_last_tenth():
    loss = np.linspace(1.0, 0.5, 101)      # epochs 0..100: from epoch 90 (0.55) to 0.5
    s = stability(loss, [0.5] * 101, diverged=False)
    assert s["late_loss_change"] == pytest.approx((0.5 - 0.55) / 0.55)


def test_a_loss_oscillating_on_a_plateau_is_not_still_learning():
    # the window starts at a peak and ends in a trough, but makes no new low
    loss = np.where(np.arange(101) % 2, 0.2, 0.3)
    loss[90], loss[100] = 0.3, 0.2
    s = stability(loss, [0.5] * 101, diverged=False)
    assert s["late_loss_change"] == 0.0
    loss[95] = 0.15                         # a new low in the window: learning
    assert stability(loss, [0.5] * 101, diverged=False)["late_loss_change"] == \
        pytest.approx(-0.25)


def test_a_diverged_run_is_measured_up_to_its_last_finite_loss():
    loss = [1.0, 0.5, 2.0, math.inf]
    s = stability(loss, [0.5, 1.0, 1.0, 11 / 21], diverged=True)
    assert s["held_100"] is None and s["fell_back"] is False and s["lowest_after_100"] == 1.0
    assert s["late_loss_change"] is not None and math.isfinite(s["late_loss_change"])


@pytest.mark.parametrize("change, problem", [
    ({"held_100": 2}, "held_100"),            # before the first 100% (epoch 3)
    ({"held_100": 99}, "held_100"),           # after the last epoch
    ({"fell_back": 1}, "fell_back"),
    ({"lowest_after_100": 1.5}, "lowest_after_100"),
    ({"spikes": -1}, "spikes"),
    ({"largest_spike": 0.5}, "largest_spike"),
    ({"late_loss_change": math.nan}, "late_loss_change"),
    ({"extra": 1}, "exactly the fields"),
])
def test_the_schema_rejects_inconsistent_stability(change, problem):
    good = {"held_100": 4, "fell_back": True, "lowest_after_100": 0.9, "spikes": 0,
            "largest_spike": 1.0, "late_loss_change": -0.1}
    assert _stability_problem(good, reached=3, epochs_run=10) is None
    assert problem in _stability_problem({**good, **change}, reached=3, epochs_run=10)


def test_a_median_of_epochs_is_an_epoch_some_run_had():
    from reportgen.results import lower_median
    assert lower_median([1342, 1343]) == 1342
    assert lower_median([5, 1, 3]) == 3
    assert lower_median([]) is None
