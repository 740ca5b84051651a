"""What the PDF stage feeds WeasyPrint: figures linked by file, and a warm-up that pays the
first-document costs (hyphenation patterns included) before the report's PDF starts."""
import io

import pyphen
import pytest
from PIL import Image
from pypdf import PdfReader

from reportgen.report import pdf
from reportgen.report.embed import EmbedError, embed


@pytest.fixture
def figure_dir(tmp_path):
    """An output directory with one figure as SVG and as an opaque PNG."""
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    Image.new("RGBA", (40, 20), (30, 90, 200, 255)).save(tmp_path / "figures" / "a.png")
    return tmp_path


def test_linked_images_keep_a_relative_url_to_the_png(figure_dir):
    page = '<link rel="stylesheet" href="style.css"><img src="figures/a.svg">'
    html = embed(page, figure_dir, prefer="png", link_images=True)
    assert 'src="figures/a.png"' in html
    assert "data:image" not in html
    assert "<style>" in html          # the stylesheet is still inlined


def test_linked_images_are_checked_like_embedded_ones(figure_dir):
    with pytest.raises(EmbedError, match="not found"):
        embed('<img src="figures/nope.svg">', figure_dir, prefer="png", link_images=True)
    with pytest.raises(EmbedError, match="outside"):
        embed('<img src="../x.png">', figure_dir, link_images=True)
    with pytest.raises(EmbedError, match="external references"):
        embed('<script src="figures/a.png"></script>', figure_dir, link_images=True)


def test_a_linked_figure_gives_the_pdf_the_same_image(figure_dir):
    page = '<html><body><img src="figures/a.svg"></body></html>'

    def image(**kwargs):
        data = pdf.pdf_bytes(embed(page, figure_dir, prefer="png", **kwargs), figure_dir)
        [img] = PdfReader(io.BytesIO(data)).pages[0].images
        return img.image.convert("RGB").tobytes()

    assert image(link_images=True) == image()


def test_warm_up_loads_the_hyphenation_patterns():
    pyphen.hdcache.clear()
    pdf.warm_up()
    assert pyphen.hdcache
