"""The report's rendering machinery: templates, filters, embedding, PDF, atomic writes."""
import math
import os
import re
import shutil

import jinja2
import pytest
from pypdf import PdfReader

from pdf_helpers import (MM, assert_inside_the_text_area, page_geometry, page_texts,
                         painted_boxes, pdftotext_available)
from reportgen.atomic import atomic_write_bytes, atomic_write_text
from reportgen.report import pdf, render, templates
from reportgen.report.embed import EmbedError, embed
from reportgen.report.filters import num, pct, pm, sci
from reportgen.report.pdf import FetchRefused, PdfError
from reportgen.report.render import FigureRef, Section, TableRef

NAN, INF = float("nan"), float("inf")


# --- the demo report (also handy by hand: python -c "from tests.test_render import ...") -----

def demo_context(out_dir):
    """Figures saved into ``out_dir/figures`` and a context for templates/_demo.html.j2."""
    from reportgen.figures import diagrams, functions
    from reportgen.figures.save import save

    figs = out_dir / "figures"
    network = save(diagrams.network((2, 4, 4, 1)), figs, "network")
    acts = save(functions.activations(), figs, "activations")
    sections = [
        Section("intro", "Introduction", 1, [Section("sigmoid", "Sigmoid functions", "1.1"),
                                             Section("network", "Neural network", "1.2")]),
        Section("method", "Backpropagation & results", 2,
                [Section("accuracy", "Accuracy", "A"), Section("lr", "Learning rates", "B")]),
    ]
    return {
        "meta": {"title": "Lab 1: Backpropagation", "subtitle": "Demo of the report machinery",
                 "author": "Ada Lovelace", "student_id": "0123456", "course": "Deep Learning",
                 "date": "2024-01-01"},
        "sections": sections,
        "figures": {
            "network": FigureRef("fig-network", network["svg"],
                                 "The 2–4–4–1 network of the lab, with biases.", 1, width=0.8),
            "activations": FigureRef("fig-activations", acts["svg"],
                                     "Activation functions (solid) and derivatives (dashed).", 2),
        },
        "tables": {"accuracy": TableRef(
            "tab-accuracy", "Accuracy per learning rate (mean ± std over 5 seeds).", 1,
            ["learning rate", "linear", "XOR", "final loss"],
            [[0.1, pm(0.95, 0.02), pm(0.61, 0.05), 3.2e-2],
             [1.0, pm(1.0, 0.0), pm(1.0, 0.0), 3.2e-4],
             [10.0, pm(0.52, 0.1), pm(NAN, NAN), None]],
            note="— : the run diverged.")},
        "stats": {"seeds": 5, "acc_mean": 0.9523, "acc_std": 0.031, "acc_one": 1.0,
                  "loss": 3.2e-4, "loss_bad": NAN, "paragraphs": 14},
    }


def build_demo(out_dir):
    return render.write_report("_demo.html.j2", demo_context(out_dir), out_dir)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    paths = build_demo(out)
    return out, paths


def test_demo_html_is_self_contained(demo):
    _, paths = demo
    html = paths["html"].read_text(encoding="utf-8")
    assert "http" not in html
    assert 'src="figures/' not in html and "href=\"style.css" not in html
    assert not re.search(r"""\b(?:src|href)=["'](?!data:|#)""", html)
    assert html.count('src="data:image/svg+xml;base64,') >= 8   # 2 figures + equations
    assert "<style>" in html and "@page" in html
    assert "\\frac" not in html and "\\sigma" not in html        # no TeX in alt texts


def test_demo_pdf_pages_footer_toc_captions(demo):
    _, paths = demo
    texts = page_texts(paths["pdf"])
    n = len(texts)
    assert n >= 5
    text = "\n".join(texts)
    assert "Lab 1: Backpropagation" in texts[0] and "0123456" in texts[0]
    assert "Page 1 of" not in texts[0]                 # the title page has no footer
    assert f"Page 2 of {n}" in texts[1] and f"Page {n} of {n}" in texts[-1]
    for entry in ("Introduction", "Sigmoid functions", "Neural network", "Accuracy",
                  "Learning rates"):
        assert entry in texts[1]
    # TOC page numbers: "Introduction" starts page 3 (title page, contents, then sections)
    assert re.search(r"Introduction[ .]*3\b", texts[1].replace("\n", " "))
    assert "Figure 1: The 2–4–4–1 network" in text
    assert "Figure 2: Activation functions" in text
    assert "Table 1: Accuracy per learning rate" in text
    assert "95.2 ± 3.1%" in text and "3.2×10⁻⁴" in text and "diverged" in text
    for bad in ("nan", "None", "\\", "frac", "sigma"):
        assert bad not in text, bad
    # the running header names the report on content pages
    assert "Lab 1: Backpropagation" in texts[2]


#: A page of everything that could come out wider than the text: a figure drawn 2000 px wide,
#: one asked for at 160% of the text width, a long display equation (also numbered), a table
#: that fits only if its long headers wrap.
WIDE_PAGE = """{% import "_macros.j2" as m %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Wide</title>
<link rel="stylesheet" href="style.css"></head><body>
<section class="chapter"><h2 id="wide">Wide things</h2>
<p>A figure drawn far wider than the page:</p>
{{ m.figure(wide) }}
{{ m.figure(too_wide) }}
{{ equation(long_tex) }}
{{ m.numbered_equation(long_tex, 3) }}
{{ m.table(table) }}
</section></body></html>
"""
WIDE_SVG = ("<svg xmlns='http://www.w3.org/2000/svg' width='2000' height='300' "
            "viewBox='0 0 2000 300'><rect width='2000' height='300' fill='#3366cc'/></svg>")


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    """The PDF of WIDE_PAGE, laid out with the report's own stylesheet and macros."""
    out = tmp_path_factory.mktemp("wide")
    folder = out / "templates"
    shutil.copytree(templates.TEMPLATES_DIR, folder)
    (folder / "_wide.html.j2").write_text(WIDE_PAGE, encoding="utf-8")
    (out / "figures").mkdir()
    (out / "figures" / "wide.svg").write_text(WIDE_SVG)
    terms = " + ".join(f"w_{{{i}}} x_{{{i}}}^{{2}}" for i in range(1, 25))
    context = {
        "wide": FigureRef("fig-wide", "figures/wide.svg", "Drawn 2000 px wide.", 1),
        "too_wide": FigureRef("fig-too-wide", "figures/wide.svg", "Asked for at 160%.", 2,
                              width=1.6),
        "long_tex": f"y = {terms}",
        "table": TableRef("tab-wide", "Six columns with long headers.", 1,
                          ["setting"] + [f"final accuracy (mean ± std) on data set {i}"
                                         for i in range(1, 6)],
                          [["lr=1"] + [pm(0.9523, 0.031)] * 5]),
    }
    return render.write_report("_wide.html.j2", context, out, templates_dir=folder)["pdf"]


needs_pdftotext = pytest.mark.skipif(not pdftotext_available(),
                                     reason="needs poppler's pdftotext for the words' positions")


@needs_pdftotext
def test_demo_figures_are_not_clipped_or_wider_than_text(demo):
    """Nothing on the demo's pages (figures, equations, tables, text) leaves the text area."""
    _, paths = demo
    assert_inside_the_text_area(paths["pdf"])


@needs_pdftotext
def test_wide_figures_equations_and_tables_are_not_clipped_or_wider_than_text(wide):
    """Figures, equations and tables that would be wider than the text are shrunk to fit it."""
    assert_inside_the_text_area(wide)
    # and they were wide: the figures take the whole text width, so the check above had
    # something to catch
    _, (width, _), (_, right, _, left) = page_geometry()
    reader = PdfReader(wide)
    widths = [x1 - x0 for page in reader.pages for x0, _, x1, _ in painted_boxes(reader, page)]
    assert sum(w > width - left - right - 1 for w in widths) >= 2, max(widths) / MM


# --- filters -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", [NAN, INF, -INF, None])
def test_filters_never_print_nan_or_none(value):
    outputs = [pct(value), sci(value), num(value), pm(value, 0.1), pm(0.5, value),
               pm(value, value), pm(value, value, style="sci"), pm(value, 1, style="num")]
    for out in outputs:
        assert not re.search(r"nan|inf|none", out, re.I), out
    assert pct(value) == "—" and sci(value, nonfinite="diverged") == "diverged"
    assert pm(0.5, value) == "50.0%"


def test_filter_formats():
    assert pct(0.9523) == "95.2%"
    assert pm(0.9523, 0.031) == "95.2 ± 3.1%"
    assert pm((0.9523, 0.031)) == "95.2 ± 3.1%"
    assert pm({"mean": 0.5, "std": 0.1}, digits=0) == "50 ± 10%"
    assert pm(0.123, 0.0042, style="num", digits=3) == "0.123 ± 0.004"
    assert pm(3.2e-4, 4e-5, style="sci") == "(3.2 ± 0.4)×10⁻⁴"
    assert sci(3.2e-4) == "3.2×10⁻⁴" and sci(-1.5e12) == "−1.5×10¹²" and sci(0) == "0"
    assert num(0.9523) == "0.952" and num(5000) == "5000" and num(3.2e-5) == "3.20×10⁻⁵"
    assert num(-0.0) == "0" and pct(-1e-9) == "0.0%"
    assert "e-" not in sci(1e-7) and "e-" not in num(1e-7)
    import numpy as np
    assert pct(np.float32(0.5)) == "50.0%" and num(np.int64(7)) == "7"
    assert math.isnan(NAN)  # (the module's NAN really is one)
    with pytest.raises(TypeError):
        pct("0.5")


def test_strict_undefined_makes_a_missing_variable_an_error(tmp_path):
    (tmp_path / "t.html.j2").write_text("<p>{{ missing }}</p>")
    with pytest.raises(jinja2.UndefinedError):
        templates.render_html("t.html.j2", {}, templates_dir=tmp_path)
    (tmp_path / "f.html.j2").write_text("<p>{{ missing|pct }}</p>")
    with pytest.raises(jinja2.UndefinedError):
        templates.render_html("f.html.j2", {}, templates_dir=tmp_path)


def test_autoescape_and_filters_in_templates(tmp_path):
    (tmp_path / "t.html.j2").write_text("{{ x }} {{ a|pct }} {{ a|pm(b) }} {{ c|sci }}")
    out = templates.render_html("t.html.j2", {"x": "<b>", "a": 0.5, "b": NAN, "c": 1e-3},
                             templates_dir=tmp_path)
    assert out.strip() == "&lt;b&gt; 50.0% 50.0% 1.0×10⁻³"


def test_macros_accept_plain_dicts(tmp_path):
    ctx = {"fig": {"id": "f", "src": "figures/a.svg", "caption": "A <b> caption", "number": 3},
           "tbl": {"id": "t", "caption": "Numbers", "number": 2, "columns": ["a", "b"],
                   "rows": [["x", 0.25], ["y", None]]},
           "secs": [{"id": "s1", "title": "One", "number": 1}]}
    (tmp_path / "_macros.j2").write_text((templates.TEMPLATES_DIR / "_macros.j2").read_text())
    (tmp_path / "t.html.j2").write_text('{% import "_macros.j2" as m %}'
                                        "{{ m.figure(fig) }}{{ m.table(tbl) }}{{ m.toc(secs) }}")
    out = templates.render_html("t.html.j2", ctx, templates_dir=tmp_path)
    assert "Figure 3:</span> A &lt;b&gt; caption" in out
    # shown at the whole text width when no width is given
    assert 'id="f"' in out and 'style="width: 100.0%"' in out.split("<figcaption")[0]
    assert '<td class="num">0.250</td>' in out and '<td class="num">—</td>' in out
    assert '<a href="#s1"><span class="secnum">1.</span> One</a>' in out


# --- embedding and fetching --------------------------------------------------------------

def test_embed_refuses_missing_and_escaping_paths(tmp_path):
    with pytest.raises(EmbedError, match="not found"):
        embed('<img src="figures/nope.svg">', tmp_path)
    with pytest.raises(EmbedError, match="outside"):
        embed('<img src="../../etc/passwd">', tmp_path)
    with pytest.raises(EmbedError, match="not a relative path"):
        embed('<img src="http://example.com/x.png">', tmp_path)
    with pytest.raises(EmbedError, match="external references"):
        embed('<script src="http://example.com/x.js"></script>', tmp_path)


def test_embed_prefers_png_when_asked(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "figures" / "a.png").write_bytes(b"\x89PNG fake")
    assert "image/svg+xml" in embed('<img src="figures/a.svg">', tmp_path)
    assert "image/png" in embed('<img src="figures/a.svg">', tmp_path, prefer="png")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/x.png",
                                 "https://example.com/x.png", "ftp://example.com/x"])
def test_url_fetcher_refuses_outside_urls(tmp_path, url):
    fetcher = pdf.make_url_fetcher(tmp_path)
    with pytest.raises(FetchRefused):
        fetcher(url)


def test_url_fetcher_serves_data_and_files_inside(tmp_path):
    (tmp_path / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    fetcher = pdf.make_url_fetcher(tmp_path)
    def body(response):   # WeasyPrint >= 68 returns a response object, older ones a dict
        data = response.read() if hasattr(response, "read") else response["string"]
        getattr(response, "close", lambda: None)()
        return data

    assert body(fetcher((tmp_path / "a.svg").as_uri())).startswith(b"<svg")
    assert body(fetcher("data:text/plain;base64,aGk=")) == b"hi"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://example.com/x.png"])
def test_write_pdf_fails_instead_of_loading_outside_resources(tmp_path, url):
    old = tmp_path / "report.pdf"
    old.write_bytes(b"previous report")
    html = f'<html><body><p>x</p><img src="{url}"></body></html>'
    with pytest.raises(PdfError, match="refusing"):
        pdf.write_pdf(html, tmp_path, old)
    assert old.read_bytes() == b"previous report"
    # non-strict: the image is simply not loaded
    data = pdf.pdf_bytes(html, tmp_path, strict=False)
    assert b"root:" not in data


# --- atomic writes -----------------------------------------------------------------------

def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out.json"
    atomic_write_text(target, "one")
    atomic_write_text(target, "two ✓")
    assert target.read_text(encoding="utf-8") == "two ✓"
    atomic_write_bytes(target, b"three")
    assert target.read_bytes() == b"three"
    assert os.listdir(tmp_path) == ["out.json"]


def test_failed_atomic_write_keeps_the_old_file(tmp_path):
    from reportgen.atomic import atomic_open

    target = tmp_path / "report.html"
    target.write_text("old report")

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with atomic_open(target, "w") as f:
            f.write("half a new rep")
            raise Boom
    assert target.read_text() == "old report"
    assert os.listdir(tmp_path) == ["report.html"]

    class NotText:
        pass

    with pytest.raises(TypeError):
        atomic_write_text(target, NotText())   # fails inside the write
    assert target.read_text() == "old report"
    assert os.listdir(tmp_path) == ["report.html"]


def test_failed_build_keeps_previous_report(tmp_path):
    for name in ("report.html", "report.pdf"):
        (tmp_path / name).write_text("previous")
    (tmp_path / "t.html.j2").write_text("<p>{{ equation('\\\\frac{1}{') }}</p>")
    with pytest.raises(ValueError, match=r"frac"):
        render.write_report("t.html.j2", {}, tmp_path, templates_dir=tmp_path)
    assert (tmp_path / "report.html").read_text() == "previous"
    assert (tmp_path / "report.pdf").read_text() == "previous"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_plain_writes_config_values_as_written_and_never_none():
    from reportgen.report.filters import plain

    assert [plain(v) for v in (0.01, 1.0, 30, 1342.5, None, float("nan"), -0.5, "adam")] == \
        ["0.01", "1", "30", "1342.5", "—", "—", "−0.5", "adam"]
