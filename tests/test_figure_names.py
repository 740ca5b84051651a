"""Figures name activations, optimizers and initialisations by the registries' display names,
and a decision-boundary panel whose network gives one class everywhere says so."""
import numpy as np
import pytest

from reportgen.engine import RunSpec, datasets
from reportgen.engine.activations import ACTIVATIONS
from reportgen.figures import diagrams, functions, scatter, style
from reportgen.figures.labels import setting_label


def _texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts + [ax.title]]


@pytest.mark.parametrize("label, overrides, shown", [
    ("activation=leaky_relu, lr=1", {"activation": "leaky_relu", "lr": 1.0},
     "leaky ReLU, learning rate 1"),
    ("optimizer=rmsprop, lr=0.1", {"optimizer": "rmsprop", "lr": 0.1},
     "RMSprop, learning rate 0.1"),
    ("init=he, bias=false", {"init": "he", "bias": False}, "He, no biases"),
    ("sizes=2-16-16-1", {"sizes": [2, 16, 16, 1]}, "2-16-16-1"),
    ("dense 2-4-4-1", {"sizes": [2, 4, 4, 1]}, "dense 2-4-4-1"),     # a variant's own label
    ("relu first, lr=0.5", {"activation": "relu", "lr": 0.5},
     "relu first, learning rate 0.5"),
    ("batch_size=10", {"batch_size": 10}, "batch_size=10"),           # no words for it
])
def test_setting_labels_use_display_names(label, overrides, shown):
    assert setting_label(label, overrides) == shown


def test_diagrams_name_activations_by_their_display_names():
    texts = _texts(diagrams.network((2, 4, 4, 1), activation="leaky_relu"))
    assert any("hidden, leaky ReLU" in t for t in texts)
    assert not any("LReLU" in t or "leaky_relu" in t for t in texts)
    spec = RunSpec(sizes=[2, 4, 1], lift="proj4", activation="relu",
                   conv=[{"channels": 2, "kernel": 2}])
    texts = _texts(diagrams.conv_network(spec))
    assert "conv 1\nReLU, valid" in texts and "h1\nReLU" in texts


def test_activation_panels_are_titled_by_display_names_and_the_registrys_symbols():
    fig = functions.activations()
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles[:2] == [ACTIVATIONS[n].display for n in ("sigmoid", "tanh")]
    assert "leaky ReLU ($a$ = 0.01)" in titles
    legend = [t.get_text() for ax in fig.axes if ax.get_legend()
              for t in ax.get_legend().get_texts()]
    assert r"$\max(a z,\, z)$" in legend and not any("alpha" in t for t in legend)
    style.close(fig)


def _panel(predict):
    X, y = datasets.load("xor")
    return scatter.decision_boundaries([("net: xor (52%)", X, y, predict)], ncols=1)


def test_a_constant_network_is_not_drawn_as_a_boundary():
    fig = _panel(lambda points: np.full((len(points), 1), 0.49))
    ax = fig.axes[0]
    # said above the panel, where it hides no data point and no point hides it
    assert ax.get_title() == ("net: xor (52%)\nconstant output, no boundary:\n"
                              "class 0 everywhere\n$\\hat{y}$ ≈ 0.49")
    assert not ax.texts
    assert not [c for c in ax.collections if "QuadContourSet" in type(c).__name__
                and len(c.levels) == 1]          # no 0.5 contour drawn
    style.close(fig)


def test_a_network_of_one_class_over_a_range_gives_the_range():
    fig = _panel(lambda points: 0.6 + 0.3 * points[:, :1])     # 0.585 .. 0.915, all class 1
    assert fig.axes[0].get_title().endswith(
        "constant output, no boundary:\nclass 1 everywhere\n$\\hat{y}$ from 0.60 to 0.90")
    style.close(fig)


def test_a_boundary_inside_the_square_is_drawn_as_one():
    fig = _panel(lambda points: points[:, :1])                 # the boundary x0 = 0.5
    ax = fig.axes[0]
    assert ax.get_title() == "net: xor (52%)" and not ax.texts
    style.close(fig)
    # a boundary just outside the square (at x0 = 1.01) is no boundary in it
    fig = _panel(lambda points: 0.462 + 0.0375 * points[:, :1])
    assert "class 0 everywhere" in fig.axes[0].get_title()
    style.close(fig)


def test_setting_labels_read_values_as_the_experiment_files_write_them():
    from reportgen.experiments.config import _fmt
    from reportgen.figures.labels import _written

    for value in (True, False, 0.01, 1.0, 100.0, 3, [2, 16, 16, 1], "leaky_relu"):
        assert _written(value) == _fmt(value)
