"""Learning-curve figures: coinciding curves told apart, the loss axis clipped to the runs that
did not diverge (and the clipping marked), settings named by the registries' display names."""
import types

import numpy as np
import pytest
from matplotlib.colors import to_rgba

from reportgen.figures import curves, style
from reportgen.results import ExperimentResults

EPOCHS = list(range(0, 2001, 5))


def _run(setting, dataset, loss, status="ok", seed=0):
    loss = [None if v is None or not np.isfinite(v) else float(v) for v in loss]
    epochs = EPOCHS[:len(loss)]
    return {"setting": setting, "dataset": dataset, "seed": seed, "status": status,
            "epochs_run": epochs[-1] if status == "ok" else epochs[len(loss) - 1],
            "history": {"epoch": epochs, "loss": loss, "accuracy": [0.5] * len(loss)}}


def _results(settings, runs):
    """Results of a hand-made experiment: ``settings`` {label: overrides}, ``runs`` dicts."""
    return ExperimentResults({
        "experiment": "hand", "profile": "full", "datasets": ["linear", "xor"],
        "settings": [{"label": label, "overrides": o} for label, o in settings.items()],
        "runs": runs})


def _decay(start, rate):
    return [start * np.exp(-rate * e) for e in EPOCHS]


SAME = _decay(0.25, 0.001)


@pytest.fixture
def coinciding():
    """Four activations, three of which learn exactly the same curve, on both data sets."""
    settings = {f"activation={name}, lr=1": {"activation": name, "lr": 1.0}
                for name in ("sigmoid", "tanh", "relu", "leaky_relu")}
    runs = [_run(label, d, SAME if i < 3 else _decay(0.25, 0.002), seed=s)
            for i, label in enumerate(settings) for d in ("linear", "xor") for s in (0, 1)]
    return _results(settings, runs)


def _dashes(line):
    """The line's dash pattern (on-off lengths; None for a solid line), as drawn."""
    offset, dashes = line._unscaled_dash_pattern
    return None if dashes is None else tuple(dashes)


def _series(ax):
    """The axes' setting curves (the lines with a legend label)."""
    return [line for line in ax.get_lines() if not line.get_label().startswith("_")]


def test_each_setting_has_its_own_line_style_and_marker_as_well_as_its_colour(coinciding):
    fig = curves.overlay(coinciding, coinciding.settings, ["linear", "xor"])
    for ax in fig.axes:
        lines = _series(ax)
        assert len(lines) == 4
        assert len({line.get_marker() for line in lines}) == 4
        assert len({_dashes(line) for line in lines}) == 4
        assert len({to_rgba(line.get_color()) for line in lines}) == 4
        # the three curves that lie on one another show their markers at different epochs
        marked = [tuple(np.asarray(line.get_xdata())[line.get_markevery()]) for line in lines[:3]]
        assert len(set(marked)) == 3
        assert all(len(m) >= 5 for m in marked)
        assert not set(marked[0]) & set(marked[1])
    style.close(fig)


def test_legends_use_the_display_names_of_the_registries(coinciding):
    fig = curves.overlay(coinciding, coinciding.settings, ["linear", "xor"],
                         legend_title="activation")
    texts = [t.get_text() for t in fig.axes[-1].get_legend().get_texts()]
    # each longer than LABEL_CHARS: broken after its comma
    assert texts == ["sigmoid,\nlearning rate 1", "tanh,\nlearning rate 1",
                     "ReLU,\nlearning rate 1", "leaky ReLU,\nlearning rate 1"]
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["linear data set", "XOR data set"]
    style.close(fig)


@pytest.fixture
def diverging():
    """Two learning rates; one of lr=100's two runs on linear diverges (its loss climbs to
    1e250, then overflows); lr=1 reaches 1e-4."""
    blow_up = [0.3 * 10.0 ** (5 * k) for k in range(11)] + [None]
    settings = {"lr=1": {"lr": 1.0}, "lr=100": {"lr": 100.0}}
    runs = [_run("lr=1", d, _decay(0.3, 0.005), seed=s) for d in ("linear", "xor")
            for s in (0, 1)]
    runs += [_run("lr=100", "linear", blow_up, status="diverged", seed=0),
             _run("lr=100", "linear", _decay(0.3, 0.0001), seed=1)]
    runs += [_run("lr=100", "xor", _decay(0.3, 0.0001), seed=s) for s in (0, 1)]
    return _results(settings, runs)


def test_a_divergence_does_not_stretch_the_loss_axis_and_the_clipping_is_marked(diverging):
    fig = curves.overlay(diverging, diverging.settings, ["linear", "xor"])
    linear, xor = fig.axes
    kept = [v for r in diverging.runs() if r.status == "ok" for v in r.history("loss")[1]]
    low, high = min(kept), max(kept)
    bottom, top = linear.get_ylim()
    # the range of the runs that did not diverge, with a margin of a factor 1.3 or more
    assert high * 1.3 <= top < high * 3 and low / 3 < bottom <= low / 1.3
    # the diverged setting leaves the axis at its top: a triangle in its colour marks it there
    marks = [line for line in linear.get_lines() if line.get_marker() == "^"
             and line.get_linestyle() == "None"]
    assert len(marks) == 1
    assert marks[0].get_ydata()[0] == top and not marks[0].get_clip_on()
    lr100 = _series(linear)[1]
    assert to_rgba(marks[0].get_color()) == to_rgba(lr100.get_color())
    # the legend says so, and that a run diverged
    texts = [t.get_text() for t in xor.get_legend().get_texts()]
    assert texts[:2] == ["learning rate 1", "learning rate 100"]
    assert any("clipped" in t for t in texts) and "a run diverged" in texts
    # nothing diverged on XOR: its axis spans its data, nothing is clipped there
    assert not [line for line in xor.get_lines() if line.get_marker() == "^"]
    style.close(fig)


def test_nothing_clipped_no_clipping_note(coinciding):
    fig = curves.overlay(coinciding, coinciding.settings, ["linear", "xor"])
    texts = [t.get_text() for t in fig.axes[-1].get_legend().get_texts()]
    assert not any("clipped" in t or "diverged" in t for t in texts)
    bottom, top = fig.axes[0].get_ylim()
    assert bottom < min(min(SAME), min(_decay(0.25, 0.002))) and top > 0.25
    style.close(fig)


def test_loss_range_follows_every_run_when_all_of_them_diverged():
    blow_up = [0.3 * 10.0 ** (5 * k) for k in range(11)] + [None]
    res = _results({"lr=100": {"lr": 100.0}},
                   [_run("lr=100", d, blow_up, status="diverged") for d in ("linear", "xor")])
    low, high = curves.loss_range(res, ["lr=100"], "linear")
    assert high <= 100 * 0.3 * 1.3 * 10 and low < 0.3


def test_a_band_is_drawn_with_at_most_band_points_and_keeps_its_extremes():
    epochs = np.arange(1001.0)
    low = np.sin(epochs / 30)
    high = low + 1.0
    high[617] = 50.0                      # a one-epoch spike
    low[700:] = np.nan                    # no run left from epoch 700
    high[700:] = np.nan
    e, lo, hi = curves.band_envelope(epochs, low, high, points=100)
    assert len(e) == len(lo) == len(hi) == 102
    assert e[0] == 0 and e[-1] == 1000 and np.all(np.diff(e) > 0)
    assert np.nanmax(hi) == 50.0 and np.nanmin(lo) == np.nanmin(low)
    assert np.all(np.isnan(hi[e > 700]))
    # every drawn point spans at least what the epochs of its run held
    inside = (e >= 10) & (e < 690)
    for x, a, b in zip(e[inside], lo[inside], hi[inside]):
        assert a <= low[int(x)] and b >= high[int(x)]


def test_a_short_band_is_drawn_as_it_is():
    epochs, low, high = np.arange(50.0), np.zeros(50), np.ones(50)
    e, lo, hi = curves.band_envelope(epochs, low, high, points=100)
    assert e is epochs and lo is low and hi is high


def test_an_overlay_caption_names_the_curves_that_lie_on_one_another(coinciding):
    from reportgen.report.sections.base import overlay_figure

    settings = coinciding.settings
    figure = overlay_figure("act", "Training loss.", coinciding, settings, ["linear"], ())
    group = "“sigmoid, learning rate 1”, “tanh, learning rate 1” and “ReLU, learning rate 1”"
    assert figure.caption == (
        "Training loss. Curves that lie on one another, told apart by their markers (each within "
        "10% of another of its group at 80% of the recorded epochs or more): on the linear data "
        f"set, {group}.")
    both = overlay_figure("act", "Training loss.", coinciding, settings, ["linear", "xor"], ())
    assert both.caption.endswith(f"on the linear data set, {group}; on the XOR data set, {group}.")
    assert "leaky ReLU" not in both.caption          # its curve falls twice as fast
    apart = overlay_figure("act", "Training loss.", coinciding, settings[2:], ["linear"], ())
    assert apart.caption == "Training loss."


def test_curves_lie_on_one_another_when_they_coincide_at_most_epochs():
    from reportgen.report.facts import coinciding

    epochs = np.arange(101.0)
    base = np.exp(-epochs / 50)
    curves_of = {"a": base, "b": base * np.where(epochs < 15, 1.5, 1.05),   # 85% close
                 "c": base * np.where(epochs < 25, 0.6, 1.05),              # 75% close
                 "d": base * 1.05 ** 2}                                     # close to b only
    res = types.SimpleNamespace(curve=lambda s, d, m, geometric: (epochs, curves_of[s], None,
                                                                  None))
    assert coinciding(res, ["a", "b", "c"], "xor") == [["a", "b"]]
    assert coinciding(res, ["a", "c", "d"], "xor") == []
    # d is close to b only, b to a: one group, each close to another of it
    assert coinciding(res, ["a", "b", "c", "d"], "xor") == [["a", "b", "d"]]


def test_a_curve_is_drawn_with_at_most_line_points_and_reaches_its_extremes():
    epochs = np.arange(1001.0)
    values = np.exp(-epochs / 300)
    values[617] = 5.0                     # a one-epoch spike
    values[700:720] = np.nan              # every run diverged there
    e, v = curves.line_envelope(epochs, values, points=100)
    assert len(e) <= 102 and e[0] == 0 and e[-1] == 1000 and np.all(np.diff(e) > 0)
    assert np.nanmax(v) == 5.0 and 617 in e
    assert np.nanmin(v) == np.nanmin(values)
    # every point drawn is the curve's own value at its epoch
    assert np.array_equal(v, values[e.astype(int)], equal_nan=True)
    short = np.arange(50.0)
    assert curves.line_envelope(short, short)[0] is not None and len(
        curves.line_envelope(short, short)[0]) == 50


def test_accuracy_curves_lie_on_one_another_within_five_points():
    from reportgen.report.facts import coinciding

    epochs = np.arange(101.0)
    rising = np.minimum(1.0, epochs / 50)
    curves_of = {"a": rising, "b": np.maximum(0.0, rising - 0.04), "c": rising * 0.5}
    res = types.SimpleNamespace(curve=lambda s, d, m, geometric: (epochs, curves_of[s], None,
                                                                  None))
    assert coinciding(res, ["a", "b", "c"], "linear", "accuracy") == [["a", "b"]]
