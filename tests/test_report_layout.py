"""The quick report reads well: every figure's text prints at 7 pt or more at the size the
PDF shows it, figures name things by the registries' display names, and no page of a chapter
but its last is more than 40% empty."""
import types
from pathlib import Path

import pytest
from PIL import Image

from pdf_helpers import (MM, drawn_image_sizes, page_geometry, painted_boxes,
                         pdftotext_available, word_boxes)
from reportgen import results
from reportgen.engine.activations import ACTIVATIONS
from reportgen.engine.initializers import INITIALIZERS
from reportgen.engine.losses import LOSSES
from reportgen.engine.optimizers import OPTIMIZERS
from reportgen.experiments.config import load_report_metadata
from reportgen.experiments.gradchecks import gradient_checks
from reportgen.layout import OutputLayout
from reportgen.report import build, listings
from reportgen.report.paginate import MAX_BLANK

ROOT = Path(__file__).resolve().parent.parent

needs_pdftotext = pytest.mark.skipif(not pdftotext_available(),
                                     reason="needs poppler's pdftotext for the words' positions")


@pytest.fixture(scope="module")
def drawn(quick_build):
    """[(planned figure, its width in inches, its print scale, [(font size, text) of every
    text in it])] for every figure the quick build declares, drawn again from its results."""
    from matplotlib import pyplot as plt
    from matplotlib.text import Text

    from reportgen.figures.style import print_scale

    out, _ = quick_build
    layout = OutputLayout(out)
    b = types.SimpleNamespace(results=results.load_all(out), quick=True, layout=layout,
                              experiments_dir=ROOT / "experiments", experiments_option=None,
                              overrides=(), engine_option=None, engine=None,
                              engine_checks=None)
    document = build._document(b, load_report_metadata(ROOT / "experiments"),
                               listings.load(ROOT / "experiments"), gradient_checks(layout))
    figures = []
    for planned in document.figures():
        fig = planned.draw()
        fig.canvas.draw()          # tick labels exist once drawn
        texts = [(t.get_fontsize(), t.get_text()) for t in fig.findobj(Text)
                 if t.get_visible() and t.get_text().strip()]
        figures.append((planned, fig.get_figwidth(), print_scale(fig, planned.width), texts))
        plt.close(fig)
    return figures


def test_the_text_width_is_the_stylesheets():
    from reportgen.figures.style import TEXT_WIDTH

    _, (width, _), (_, right, _, left) = page_geometry()
    assert abs((width - left - right) / 72 - TEXT_WIDTH) < 1e-9


def test_every_figure_prints_its_text_at_7_pt_or_more(quick_build, drawn):
    from reportgen.figures.style import MIN_PRINT_PT, TEXT_WIDTH

    out, _ = quick_build
    images = [image for page in drawn_image_sizes(out / "report.pdf") for image in page]
    assert len(drawn) >= 15
    for planned, fig_width, scale, texts in drawn:
        # the PDF shows the figure at that size: its PNG, found by its pixel size, is drawn
        # (width or the whole) text width wide
        with Image.open(out / "figures" / f"{planned.id}.png") as png:
            pixels = png.size
        shown = [w for pw, ph, w, _ in images if (pw, ph) == pixels]
        assert shown, f"{planned.id}: not drawn in the PDF"
        for width in shown:
            assert width / 72 == pytest.approx((planned.width or 1.0) * TEXT_WIDTH, rel=2e-3)
            assert width / 72 / fig_width == pytest.approx(scale, rel=2e-3)
        small = [(round(size * scale, 2), text) for size, text in texts
                 if size * scale < MIN_PRINT_PT]
        assert not small, f"{planned.id}: text under {MIN_PRINT_PT} pt in print: {small[:5]}"


#: raw engine names that are not what the report calls them ("leaky_relu", "rmsprop"...)
RAW_NAMES = {name for registry in (ACTIVATIONS, OPTIMIZERS, INITIALIZERS, LOSSES)
             for name, entry in registry.items() if name != entry.display}


def test_figures_name_things_by_their_display_names(drawn):
    import re

    assert {"leaky_relu", "relu", "rmsprop", "adam", "sgd", "xavier"} <= RAW_NAMES
    for planned, _, _, texts in drawn:
        words = {w for _, text in texts for w in re.findall(r"[A-Za-z_]+", text)}
        assert not words & RAW_NAMES, f"{planned.id}: {sorted(words & RAW_NAMES)}"
        assert "LReLU" not in words and "lrelu" not in words


@needs_pdftotext
def test_no_page_of_a_chapter_but_its_last_is_more_than_40_percent_empty(quick_build):
    out, _ = quick_build
    pdf = out / "report.pdf"
    from pypdf import PdfReader

    _, (width, height), (top, right, bottom, left) = page_geometry()
    text_top, text_bottom = height - top, bottom          # PDF y grows upwards
    words = word_boxes(pdf)
    # the running header names a page's chapter (top right); the title page and the
    # contents have none
    chapters = [" ".join(w for w, (x0, y0, _, _) in page if y0 > text_top and x0 > width / 2)
                for page in words]
    reader = PdfReader(pdf)
    lowest = []
    for number, page in enumerate(reader.pages):
        ys = [y0 for x0, y0, x1, y1 in painted_boxes(reader, page)
              if y1 > text_bottom and y0 < text_top]
        ys += [y0 for _, (x0, y0, x1, y1) in words[number]
               if y1 > text_bottom and y0 < text_top]
        lowest.append(min(ys, default=text_top))
    checked = 0
    for i, chapter in enumerate(chapters[:-1]):
        if not chapter or chapters[i + 1] != chapter:
            continue                       # front matter, or the chapter's last page
        blank = (lowest[i] - text_bottom) / (text_top - text_bottom)
        empty_mm = (lowest[i] - text_bottom) / MM
        assert blank <= MAX_BLANK + 0.01, \
            f"page {i + 1} ({chapter}) is {blank:.0%} empty ({empty_mm:.0f} mm)"
        checked += 1
    assert checked >= 10
