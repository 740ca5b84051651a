"""What a rebuild after a template edit does not do again: render the equations of an earlier
build (they are kept by content), check the page twice (once for both formats); and what the
watch asks of a build: the HTML first, and a PDF it can give up."""
import json
import shutil

import pytest
from markupsafe import Markup

from reportgen import processes
from reportgen.layout import OutputLayout
from reportgen.report import build, maths
from reportgen.report.embed import EmbedError
from reportgen.report.templates import TEMPLATES_DIR

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="style.css"></head><body><h1>Report</h1>
<p>The sigmoid {{ equation("\\\\sigma(z) = \\\\frac{1}{1 + e^{-z}}") }} and
{{ equation("\\\\hat{y}", display=False) }}. {{ extra }}</p></body></html>
"""


@pytest.fixture
def project(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    shutil.copy(TEMPLATES_DIR / "style.css", templates / "style.css")
    (templates / build.TEMPLATE).write_text(PAGE)
    return templates, OutputLayout(tmp_path / "output")


def render(project, extra=""):
    templates, layout = project
    return build._render_page({"extra": extra}, templates, layout.equations)


def test_equations_are_rendered_once_and_then_taken_from_the_store(project):
    _, layout = project
    maths._render.cache_clear()
    first = render(project)
    assert first.detail == "2 equations: 2 rendered, 0 from the store"
    stored = json.loads(layout.equations.read_text())
    assert len(stored["equations"]) == 2
    maths._render.cache_clear()        # a new process: nothing rendered in memory
    second = render(project, extra="A new sentence.")
    assert second.detail == "2 equations: 0 rendered, 2 from the store"
    assert maths._render.cache_info().misses == 0
    # the same images as rendering them gives
    assert str(second).replace("A new sentence.", "") == str(first)


def test_the_store_keeps_the_formulas_of_the_last_page_only(project):
    templates, layout = project
    render(project)
    (templates / build.TEMPLATE).write_text(PAGE.replace('{{ equation("\\\\hat{y}", '
                                                         'display=False) }}', "x"))
    assert render(project).detail == "1 equation: 0 rendered, 1 from the store"
    assert len(json.loads(layout.equations.read_text())["equations"]) == 1


def test_a_damaged_or_foreign_store_is_not_trusted(project):
    _, layout = project
    first = render(project)
    stored = json.loads(layout.equations.read_text())
    name = next(iter(stored["equations"]))
    stored["equations"][name][0] = "<script>alert(1)</script>"     # not an SVG document
    layout.equations.write_text(json.dumps(stored))
    assert render(project).detail == "2 equations: 1 rendered, 1 from the store"
    assert json.loads(layout.equations.read_text()) != stored      # written whole again
    stored = json.loads(layout.equations.read_text())
    stored["key"] = "another matplotlib or another maths.py"
    layout.equations.write_text(json.dumps(stored))
    again = render(project)
    assert again.detail == "2 equations: 2 rendered, 0 from the store"
    assert str(again) == str(first)
    layout.equations.write_text("{not json")
    assert render(project).detail == "2 equations: 2 rendered, 0 from the store"


def test_a_bad_equation_is_still_an_error_naming_it(project):
    templates, layout = project
    (templates / build.TEMPLATE).write_text(PAGE.replace("\\\\hat{y}", "\\\\hat{"))
    with pytest.raises(maths.EquationError, match=r"'\\\\hat\{'"):
        render(project)
    assert not layout.equations.exists()        # a failed page stores nothing


class _Drawn:
    """Figures all drawn already."""

    def wait_png(self):
        pass

    def finish(self):
        pass


def _build(project, formats, **kwargs):
    templates, layout = project
    b = build._Build("experiments", None, layout, False, 2, formats, templates, "pdf/ua-1",
                     **kwargs)
    b.unwritten = []
    return b


def test_the_html_is_written_first_when_asked(project):
    _, layout = project
    written = []
    b = _build(project, ("html",), html_first=written.append)
    outputs = build._render(b, {"extra": ""}, _Drawn())
    assert written == [layout.report("html")] and outputs == {}    # nothing left to write
    assert layout.report("html").read_text().rstrip().endswith("</html>")
    assert "<style>" in layout.report("html").read_text()           # embedded


@pytest.mark.skipif(not processes.can_fork(), reason="the PDF in a second process")
def test_the_page_checked_once_still_refuses_an_external_reference_in_both_formats(project):
    """The PDF's process does not check the page the HTML's embedding checks: a reference
    the check refuses still stops the build before anything is written."""
    _, layout = project
    b = _build(project, ("html", "pdf"))
    with pytest.raises(EmbedError, match=r"evil\.example"):
        build._render(b, {"extra": Markup('<img src="data:," srcset="http://evil.example/x.png'
                                          ' 2x">')}, _Drawn())
    assert not layout.report("html").exists() and not layout.report("pdf").exists()


class _Slow:
    """A call that never ends (a PDF still being laid out)."""

    def done(self, timeout=0.0):
        return False

    def result(self):
        raise AssertionError("not to be waited for")


def test_a_superseded_pdf_is_given_up():
    asked = []
    with pytest.raises(build.Superseded):
        build._wait(_Slow(), lambda: asked.append(1) or len(asked) == 3)
    assert len(asked) == 3
