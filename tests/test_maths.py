"""Equations: LaTeX subset -> SVG (mathtext), embedded as images with no TeX in the PDF text."""
import base64
import re

import pytest
from pypdf import PdfReader

from reportgen.report import maths
from reportgen.report.maths import EquationError, equation, equation_svg, tex_to_text

#: The documented subset: each must render.
SUBSET = [
    r"\sigma(z) = \frac{1}{1 + e^{-z}}",
    r"\sigma'(z) = \sigma(z)\left(1 - \sigma(z)\right)",
    r"\hat{y} = \sigma(h_2 W_3)",
    r"\frac{\partial \mathcal{L}}{\partial W_1} = x^T \left( \delta_2 \odot \sigma' \right)",
    r"\sum_{i=1}^{n} (\hat{y}_i - y_i)^2",
    r"\sqrt{x \cdot x} \quad \mathbf{W}_1 \in \mathbb{R}^{2 \times 4}",
    r"W \leftarrow W - \eta \, \nabla_W \mathcal{L}",
    r"\operatorname{ReLU}(z) = \max(0, z), \; \tanh(z) \le 1 \ge -1",
    r"\left[ a \right] \left\{ b \right\} \left| c \right|",
    r"\text{if } z > 0",
]


@pytest.mark.parametrize("tex", SUBSET)
def test_subset_renders_to_tight_transparent_svg(tex):
    svg, width, height, depth = equation_svg(tex)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert 0 < depth < height < 60 and width > 5
    assert "<text" not in svg                       # glyphs are paths
    assert "<!--" not in svg and "\\" not in svg    # no TeX source inside
    assert "Date" not in svg and "<dc:date" not in svg
    assert "<image" not in svg


@pytest.mark.parametrize("tex", SUBSET)
def test_svg_is_one_path_sized_as_returned(tex):
    import xml.etree.ElementTree as ET

    svg, width, height, depth = equation_svg(tex)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert [el.tag for el in root.iter()] == [f"{ns}svg", f"{ns}path"]   # one path, nothing else
    assert svg.count("<path") == 1
    assert root.get("width") == f"{width:g}pt" and root.get("height") == f"{height:g}pt"
    assert [float(v) for v in root.get("viewBox").split()] == [0, 0, width, height]
    path = root.find(f"{ns}path")
    assert path.get("fill") == "#000"
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    assert -0.5 < min(xs) and max(xs) < width + 0.5       # the outline stays in the box
    assert -0.5 < min(ys) and max(ys) < height + 0.5      # (give or take the pad)
    assert re.fullmatch(r"[MLQCZ0-9. -]+", path.get("d"))
    assert not re.search(r"\.\d{4}", path.get("d"))       # at most 3 decimals
    assert maths._render.__wrapped__(tex, maths.BODY_SIZE_PT, True)[0] == svg   # deterministic


@pytest.mark.parametrize("tex", [r"\foo", r"\frac{a}", "x^", r"\begin{pmatrix}a\end{pmatrix}",
                                 "a \\\\ b", "", "$x$"])
def test_bad_expression_is_a_clear_error_naming_it(tex):
    with pytest.raises(EquationError) as info:
        equation(tex)
    if tex.strip("$"):
        assert repr(tex) in str(info.value)


def test_jinja_escape_accident_is_reported():
    with pytest.raises(EquationError, match="control character"):
        equation("\x0crac{1}{2}")          # what Jinja makes of "\frac{1}{2}"


def test_cache_and_sizes():
    maths._render.cache_clear()
    a = equation_svg(r"\eta")
    assert equation_svg(r"\eta") is a
    assert maths._render.cache_info().hits == 1
    big = equation_svg(r"\eta", size=22)
    assert big[1] > a[1] * 1.5


def test_equation_markup_inline_and_display():
    inline = equation(r"\hat{y}", display=False)
    display = equation(r"\frac{1}{2}", number=3)
    assert inline.startswith('<img class="eq eq-inline" src="data:image/svg+xml;base64,')
    assert "vertical-align:-" in inline
    assert display.startswith('<span class="equation"><img class="eq eq-display"')
    assert '<span class="eq-number">(3)</span>' in display
    assert 'alt="ŷ"' in inline and "\\" not in inline and "\\" not in display
    data = re.search(r"base64,([^\"]+)", inline).group(1)
    assert base64.b64decode(data).startswith(b"<svg")
    with pytest.raises(EquationError):
        equation("x", display=False, number=1)


def test_tex_to_text_has_no_backslashes():
    assert tex_to_text(r"\sigma(z) = \frac{1}{1+e^{-z}}") == "σ(z) = 1/(1+e^−z)"
    for tex in SUBSET:
        assert "\\" not in tex_to_text(tex)


def test_pdf_text_does_not_contain_tex(tmp_path):
    from reportgen.report.pdf import pdf_bytes

    html = ("<html><body><p>Before " + equation(r"\sigma'(z)", display=False) + " after.</p>"
            + equation(SUBSET[3]) + equation(SUBSET[0]) + "<p>End.</p></body></html>")
    (tmp_path / "eq.pdf").write_bytes(pdf_bytes(html, tmp_path))
    reader = PdfReader(tmp_path / "eq.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Before" in text and "after." in text and "End." in text
    assert "\\" not in text
    for word in ("sigma", "frac", "partial", "odot", "hat"):
        assert word not in text
    # the equations are really there: each is one filled vector path in the page's content
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    assert len(re.findall(r"(?m)^f\*?$", content)) >= 3


def test_fraction_styles_in_display_equations():
    # \frac becomes \dfrac in a display equation; \tfrac stays a small, text-style fraction
    _, _, text_height, _ = equation_svg(r"\frac{1}{2}", display=False)
    _, _, display_height, _ = equation_svg(r"\frac{1}{2}")
    _, _, tfrac_height, _ = equation_svg(r"\tfrac{1}{2}")
    assert display_height > 1.4 * text_height
    assert tfrac_height == text_height
