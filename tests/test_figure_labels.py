"""User strings (setting labels, data set names, titles from the configuration) are drawn as
written: a ``$`` or a backslash in them is never read as mathtext."""
import numpy as np
import pytest

from reportgen import results
from reportgen.experiments import load_all
from reportgen.experiments.runner import run
from reportgen.figures import curves, diagrams, scatter
from reportgen.figures.save import figure_bytes
from reportgen.figures.style import literal

LABEL = r"lr $\frac$ 0.5"     # matplotlib would parse "$\frac$" as (broken) mathtext

EXPERIMENT = f"""
datasets = ["xor", "linear"]
seeds = 1
[base]
sizes = [2, 3, 1]
epochs = 5
[[variant]]
label = '{LABEL}'
lr = 0.5
[[variant]]
label = 'costs $5 \\ $6'
lr = 2.0
"""


@pytest.fixture(scope="module")
def res(tmp_path_factory):
    directory = tmp_path_factory.mktemp("labels")
    (directory / "exp").mkdir()
    (directory / "exp" / "dollars.toml").write_text(EXPERIMENT)
    run(load_all(directory / "exp"), directory / "o", jobs=1, show_progress=False)
    return results.load("dollars", directory / "o")


def _drawn(fig):
    """The figure's PNG (drawing every text) and SVG, with its texts kept as text."""
    from matplotlib import rc_context

    png = figure_bytes(fig, "png", dpi=40)
    with rc_context({"svg.fonttype": "none"}):
        import io
        buf = io.BytesIO()
        fig.savefig(buf, format="svg")
    return png, buf.getvalue().decode()


def test_literal_escapes_dollars_only():
    assert literal("a $b$ c") == r"a \$b\$ c"
    assert literal(r"no \maths") == r"no \maths"


def test_setting_labels_with_dollars_are_drawn_as_written(res):
    assert res.settings == [LABEL, r"costs $5 \ $6"]
    figs = [curves.overlay(res, res.settings, ["xor", "linear"], legend_title="a $x$ title",
                           titles={"xor": "$\\frac$ xor"}),
            curves.loss_and_accuracy(res, LABEL, ["xor", "linear"])]
    for fig in figs:
        png, svg = _drawn(fig)
        assert png.startswith(b"\x89PNG")
    _, svg = _drawn(figs[0])
    for text in (LABEL, r"costs $5 \ $6", "a $x$ title", r"$\frac$ xor"):
        assert f">{text}<" in svg      # one plain text element, as written


def test_titles_with_dollars_are_drawn_as_written(res):
    X = np.array([[0.1, 0.2], [0.8, 0.9]])
    y = np.array([[0], [1]])
    run_ = res.runs(LABEL, "xor")[0]
    figs = [scatter.comparison(X, y, y.astype(float), suptitle=LABEL),
            scatter.data_sets([(LABEL, X, y)]),
            scatter.decision_boundaries([(f"{LABEL}: xor", X, y, run_.predict)]),
            diagrams.network((2, 3, 1), names=["$in$", r"\h", "out"], title=LABEL)]
    for fig in figs:
        _, svg = _drawn(fig)
        assert f">{LABEL}" in svg
    # the figures' own mathtext is still typeset: "$x_0$" is drawn as x with a subscript
    _, svg = _drawn(scatter.data_sets([(LABEL, X, y)]))
    assert ">$x_0$<" not in svg and "<!-- $x_0$ -->" in svg
