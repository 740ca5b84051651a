"""The PDF is accessible: PDF/UA-1 by default (tagged, with its language and title, and alt text
for every image that says what it shows), PDF/A-3a on request."""
import io
import re
import shutil
import subprocess
from collections import Counter

import pytest
import tinyhtml5
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from reportgen.cli import build as build_command
from reportgen.report import pdf
from reportgen.report.render import alt_text


def _struct_elements(reader):
    """Every structure element of the PDF's tag tree, depth first."""
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if "/S" in node:
            yield node
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                stack.append(kid)


def _elements(html, tag):
    """The elements ``tag`` of the page, as a browser parses it."""
    return [e for e in tinyhtml5.parse(html).iter()
            if isinstance(e.tag, str) and e.tag.rpartition("}")[2] == tag]


def _figures(html):
    """(alt of its image, text of its caption without "Figure N: ") of every figure (a
    <figure class="figure">; a code listing is a <figure class="listing">)."""
    found = []
    for figure in _elements(html, "figure"):
        if "figure" not in (figure.get("class") or "").split():
            continue
        image = next(e for e in figure.iter() if e.tag.endswith("}img"))
        caption = next(e for e in figure.iter() if e.tag.endswith("}figcaption"))
        text = " ".join("".join(caption.itertext()).split())
        found.append((image.get("alt"), re.sub(r"^Figure \d+: ", "", text)))
    return found


def test_every_image_of_the_page_has_an_alt_text_saying_what_it_shows(quick_report):
    html = quick_report.first["html"].decode()
    images = _elements(html, "img")
    assert len(images) >= 40                       # 17 figures and the equations
    for image in images:
        alt = image.get("alt") or ""
        assert alt.strip(), image.attrib.get("src", "")[:80]
        assert "\\" not in alt and "<" not in alt   # no TeX, no markup
    figures = _figures(html)
    assert len(figures) >= 15
    for alt, caption in figures:                  # a figure is described by its caption
        assert alt == caption and len(alt.split()) >= 5


def test_the_pdf_is_tagged_pdf_ua_1_with_language_title_and_every_alt(quick_report):
    reader = PdfReader(io.BytesIO(quick_report.first["pdf"]))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp and "Lab 1: Backpropagation" in xmp
    elements = Counter()
    alts = []
    for element in _struct_elements(reader):
        elements[element["/S"]] += 1
        if element["/S"] == "/Figure":
            alts.append(str(element.get("/Alt", "")))
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/Caption", "/L", "/LI", "/Link"} \
        <= set(elements)
    html = quick_report.first["html"].decode()
    html_alts = [e.get("alt") for e in _elements(html, "img")]
    # every image of the page is a Figure of the tag tree, with the page's alt text
    assert sorted(alts) == sorted(html_alts) and all(a.strip() for a in alts)


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler's pdfinfo")
def test_pdfinfo_says_tagged(quick_report, tmp_path):
    (tmp_path / "report.pdf").write_bytes(quick_report.first["pdf"])
    info = subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")],
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info


@pytest.fixture
def figure_page(tmp_path):
    (tmp_path / "figures").mkdir()
    Image.new("RGB", (8, 8), (30, 90, 200)).save(tmp_path / "figures" / "a.png")
    return tmp_path, ('<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
                      '<h1>T</h1><figure><img src="figures/a.png" alt="A blue square">'
                      '<figcaption>A figure</figcaption></figure></body></html>')


def test_pdf_a_3a_is_tagged_and_archival(figure_page):
    folder, page = figure_page
    reader = PdfReader(io.BytesIO(pdf.pdf_bytes(page, folder, variant="pdf/a-3a")))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert root["/MarkInfo"]["/Marked"].value is True and root["/Lang"] == "en"
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert [str(e["/Alt"]) for e in _struct_elements(reader) if e["/S"] == "/Figure"] \
        == ["A blue square"]


@pytest.mark.parametrize("page, missing", [
    ('<html lang="en"><body><img src="figures/a.png"></body></html>', "no required alt"),
    ('<html><body><img src="figures/a.png" alt="A blue square"></body></html>', "lang"),
])
def test_a_tagged_pdf_without_alt_text_or_language_is_refused(figure_page, page, missing):
    folder, _ = figure_page
    with pytest.raises(pdf.PdfError, match=f"PDF/UA-1 needs: .*{missing}"):
        pdf.pdf_bytes(page, folder, variant="pdf/ua-1")
    assert pdf.pdf_bytes(page, folder)[:5] == b"%PDF-"     # an untagged PDF needs neither


def test_the_build_offers_the_variants_pdf_writes():
    option = next(p for p in build_command.params if p.name == "pdf_variant")
    assert tuple(option.type.choices) == pdf.VARIANTS and option.default == pdf.DEFAULT_VARIANT
    assert pdf.DEFAULT_VARIANT == "pdf/ua-1"


def test_an_unknown_variant_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(build_command, ["--pdf-variant", "pdf/x-4", "--out",
                                                str(tmp_path)])
    assert result.exit_code == 2 and "pdf/ua-1" in result.output
    assert not list(tmp_path.iterdir())


def test_alt_text_reads_equations_and_drops_markup():
    from markupsafe import Markup

    caption = Markup('The sigmoid <img class="eq" src="data:x" alt="σ(z)"> and\n its '
                     '<em>derivative</em> &amp; more')
    assert alt_text(caption) == "The sigmoid σ(z) and its derivative & more"
    assert alt_text("loss < 0.1,  as  written") == "loss < 0.1, as written"
