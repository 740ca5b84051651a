"""The convolutional network's diagram: lift, conv grids with a kernel window, flatten, dense."""
import itertools

import pytest

from reportgen.engine import RunSpec
from reportgen.figures import diagrams
from reportgen.figures.save import save

ONE_CONV = RunSpec(conv=[{"channels": 2, "kernel": 2}])
TWO_CONV_SAME = RunSpec(conv=[{"channels": 2, "kernel": 3, "padding": "same"},
                              {"channels": 4, "kernel": 2, "padding": "same"}], lift="proj8")
WIDE = RunSpec(conv=[{"channels": 8, "kernel": 3, "padding": "same"},
                     {"channels": 16, "kernel": 3}],
               lift="proj8", sizes=(2, 32, 16, 1), bias=False, activation="relu")
RAW = RunSpec(conv=[{"channels": 3, "kernel": 2}], lift="raw", sizes=(2, 1))


def _texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def test_one_and_two_conv_layers_give_different_pngs(tmp_path):
    one = save(diagrams.conv_network(ONE_CONV), tmp_path / "figures", "one")
    two = save(diagrams.conv_network(TWO_CONV_SAME), tmp_path / "figures", "two")
    png_one = (tmp_path / one["png"]).read_bytes()
    png_two = (tmp_path / two["png"]).read_bytes()
    assert png_one[:4] == png_two[:4] == b"\x89PNG"
    assert len(png_one) > 5000 and png_one != png_two


def test_labels_shapes_and_title():
    texts = _texts(diagrams.conv_network(ONE_CONV))
    for label in ("2", "1 ch × 4", "2 ch × 3", "6", "4", "1"):
        assert label in texts
    assert [f"$s_{{{t}}}$" for t in range(4)] == [t for t in texts if t.startswith("$s_")]
    assert any("kernel k = 2\nshared across\npositions\nW: 2×1×2\nb: 2" == t for t in texts)
    assert "W: 6×4\nb: 4" in texts and "W: 4×1\nb: 1" in texts
    assert any(t.startswith("lift (fixed)") for t in texts)
    assert texts[-1] == ("Conv network: lift to 4 directions → conv 2 channels, kernel 2 → "
                         "dense 4–4 → ŷ")
    assert "$x_{0}$" in texts and "$x_{1}$" in texts and "$x_{2}$" not in texts

    texts = _texts(diagrams.conv_network(TWO_CONV_SAME))
    assert "1 ch × 8" in texts and "2 ch × 8" in texts and "4 ch × 8" in texts and "32" in texts
    assert "W: 2×2×4\nb: 4" in next(t for t in texts if t.startswith("kernel k = 2"))
    assert texts.count("0") == 2 + 2                  # padded zeros: lift (k=3), conv 1 (k=2)


def test_wide_layers_are_truncated_and_fit_the_width():
    fig = diagrams.conv_network(WIDE)
    texts = _texts(fig)
    assert "16 ch × 6" in texts and "96" in texts and "W: 96×32" in texts   # no biases
    assert texts.count("⋯") == 2 and texts.count("⋮") == 3
    assert fig.get_size_inches()[0] <= 6.4 + 1e-9


@pytest.mark.parametrize("spec", [ONE_CONV, TWO_CONV_SAME, WIDE, RAW])
def test_texts_do_not_overlap_and_stay_inside(spec):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = diagrams.conv_network(spec)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig_box = fig.bbox
    boxes = []
    for text in fig.axes[0].texts:
        box = text.get_window_extent(renderer)
        assert fig_box.x0 <= box.x0 and box.x1 <= fig_box.x1, text.get_text()
        assert fig_box.y0 <= box.y0 and box.y1 <= fig_box.y1, text.get_text()
        boxes.append((text, box))
    # labels inside circles and boxes are allowed to sit on shapes, not on other text
    for (t1, b1), (t2, b2) in itertools.combinations(boxes, 2):
        assert not b1.overlaps(b2), (t1.get_text(), t2.get_text())


def test_dense_only_spec_is_rejected():
    with pytest.raises(ValueError, match="no conv layers"):
        diagrams.conv_network(RunSpec(sizes=(2, 4, 1)))
