"""Results-independent figures: activations, the network diagram, deterministic saving."""
import pytest

from reportgen.figures import diagrams, functions
from reportgen.figures.save import save


def test_saved_figures_are_byte_identical(tmp_path):
    first = save(functions.activations(), tmp_path / "a" / "figures", "acts")
    second = save(functions.activations(), tmp_path / "b" / "figures", "acts")
    assert first == second == {"svg": "figures/acts.svg", "png": "figures/acts.png"}
    for key in ("svg", "png"):
        one = (tmp_path / "a" / first[key]).read_bytes()
        two = (tmp_path / "b" / second[key]).read_bytes()
        assert one == two and len(one) > 5000
    svg = (tmp_path / "a" / first["svg"]).read_text()
    assert "<dc:date>" not in svg
    assert (tmp_path / "a" / first["png"]).read_bytes()[:4] == b"\x89PNG"


def test_png_resolution_is_at_least_150_dpi(tmp_path):
    from matplotlib.image import imread

    paths = save(functions.activation("sigmoid", width=3.0, height=2.0), tmp_path / "figures",
                 "sig")
    image = imread(tmp_path / paths["png"])
    assert image.shape[1] >= 3.0 * 150 and image.shape[0] >= 2.0 * 150


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "identity"])
def test_one_panel_per_activation_with_labels(name):
    fig = functions.activation(name)
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 2 and all(labels)


def test_sigmoid_panel_plots_the_engine_derivative():
    import numpy as np

    fig = functions.activation("sigmoid")
    f, d = fig.axes[0].get_lines()[:2]
    s = f.get_ydata()
    assert np.allclose(d.get_ydata(), s * (1 - s))
    assert "\\sigma(z)(1-\\sigma(z))" in fig.axes[0].get_legend().get_texts()[1].get_text()


def test_activation_grid_and_unknown_name():
    fig = functions.activations()
    assert sum(ax.get_visible() for ax in fig.axes) == 5
    with pytest.raises(ValueError, match="unknown"):
        functions.activations(["softmax"])


def test_network_diagrams_small_and_wide_differ(tmp_path):
    small = save(diagrams.network((2, 4, 4, 1)), tmp_path / "figures", "small")
    wide = save(diagrams.network((2, 32, 32, 1), bias=False), tmp_path / "figures", "wide")
    for key in ("svg", "png"):
        assert (tmp_path / small[key]).read_bytes() != (tmp_path / wide[key]).read_bytes()


def test_network_diagram_labels_and_truncation():
    fig = diagrams.network((2, 32, 32, 1))
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "W1: 2×32\nb1: 32" in texts and "W2: 32×32\nb2: 32" in texts
    assert texts.count("⋮") == 2
    assert any("32 units" in t for t in texts)
    assert [t for t in texts if t.startswith("$x_")] == ["$x_{0}$", "$x_{1}$"]   # as the text
    circles = [p for p in fig.axes[0].patches]
    assert len(circles) == 2 + 9 + 9 + 1 - 2          # 8 circles + an ellipsis per wide layer
    no_bias = [t.get_text() for t in diagrams.network((2, 4, 4, 1), bias=False).axes[0].texts]
    assert "W1: 2×4" in no_bias and not any(t.startswith("W1: 2×4\nb") for t in no_bias)
    with pytest.raises(ValueError):
        diagrams.network((2,))
