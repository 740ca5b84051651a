"""The one embedding step both report formats go through refuses every external reference,
wherever in the page it is named, and says which."""
import pytest
from PIL import Image

from reportgen.report import build
from reportgen.report.embed import EmbedError, embed

#: (vector, markup): each names http://evil.example/x somewhere a browser or WeasyPrint
#: would load it from.
VECTORS = [
    ("srcset", '<img src="figures/a.svg" srcset="http://evil.example/x.png 2x">'),
    ("srcset", '<picture><source srcset="data:image/png;base64,AA 1x, http://evil.example/x.png 2x">'
               '</picture>'),
    ("style url()", '<p style="background: url(http://evil.example/x.png)">x</p>'),
    ("style url() quoted", "<p style='background-image: url(\"http://evil.example/x\")'>x</p>"),
    ("style image-set()", '<p style="background: image-set(\'http://evil.example/x\' 1x)">'
                          'x</p>'),
    ("svg image href", '<svg width="10" height="10"><image href="http://evil.example/x.png"'
                       ' width="10" height="10"/></svg>'),
    ("svg xlink:href", '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><image '
                       'xlink:href="http://evil.example/x.png"/></svg>'),
    ("svg use href", '<svg><use href="http://evil.example/x.svg#a"/></svg>'),
    ("@import", '<style>@import "http://evil.example/x.css";</style>'),
    ("@import url()", '<style>@media print { @import url(http://evil.example/x.css); }</style>'),
    ("<style> url()", '<style>p { background: url("http://evil.example/x.png") }</style>'),
    ("svg <style> url()", '<svg><style>rect { fill: url(http://evil.example/x#g) }</style>'
                          '</svg>'),
    ("link stylesheet", '<link rel="stylesheet" href="http://evil.example/x.css">'),
    ("link icon", '<link rel="icon" href="http://evil.example/x.ico">'),
    ("script src", '<script src="http://evil.example/x.js"></script>'),
    ("iframe", '<iframe src="http://evil.example/x"></iframe>'),
    ("object data", '<object data="http://evil.example/x.svg"></object>'),
    ("video poster", '<video poster="http://evil.example/x.png"></video>'),
    ("entity-encoded", '<img src="figures/a.svg" srcset="&#104;ttp://evil.example/x.png">'),
    ("css escape", '<p style="background: \\75rl(http://evil.example/x.png)">x</p>'),
    ("meta refresh", '<meta http-equiv="refresh" content="0; url=http://evil.example/x">'),
    ("data: stylesheet", '<link rel="stylesheet" href="data:text/css,@import%20%22http://'
                         'evil.example/x.css%22;">'),
]


@pytest.fixture
def out(tmp_path):
    """An output folder with one figure (SVG and PNG)."""
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    Image.new("RGB", (4, 4), (30, 90, 200)).save(tmp_path / "figures" / "a.png")
    return tmp_path


def _page(markup):
    return (f'<!DOCTYPE html><html><head><link rel="stylesheet" href="style.css"></head>'
            f'<body><h1>T</h1><p>Text <a href="#t">here</a>, <a href="https://example.org/">'
            f'there</a>.</p><img src="figures/a.svg">{markup}</body></html>')


@pytest.mark.parametrize("vector, markup", VECTORS, ids=[v for v, _ in VECTORS])
def test_html_format_refuses_the_reference(out, vector, markup):
    with pytest.raises(EmbedError, match=r"evil\.example|@import") as refused:
        build._embed(_page(markup), out, "svg", None)
    assert "refresh" in str(refused.value) or "<" in str(refused.value) \
        or "@import" in str(refused.value)           # where it was named


@pytest.mark.parametrize("vector, markup", VECTORS, ids=[v for v, _ in VECTORS])
def test_pdf_path_refuses_the_reference(out, vector, markup):
    with pytest.raises(EmbedError, match=r"evil\.example|@import"):
        build._pdf(_page(markup), out, None)


def test_errors_name_the_reference_and_where(out):
    with pytest.raises(EmbedError, match=r"<img srcset> refers to 'http://evil\.example/x\.png"):
        embed(_page(VECTORS[0][1]), out)
    with pytest.raises(EmbedError, match=r"<image xlink:href> refers to"):
        embed(_page(VECTORS[6][1]), out)
    with pytest.raises(EmbedError, match=r'<p style="\.\.\.">'):
        embed(_page(VECTORS[2][1]), out)
    with pytest.raises(EmbedError, match=r"<style> has an @import"):
        embed(_page(VECTORS[8][1]), out)


def test_what_loads_nothing_is_kept(out):
    kept = ('<svg><a href="https://example.org/">l</a><use href="#g"/>'
            '<rect style="fill: url(#grad)"/></svg>'
            '<img src="data:image/png;base64,iVBORw0KGgo=" srcset="data:image/png;base64,AA 2x">'
            '<p style="color: red">x</p><a href="mailto:x@example.org">mail</a>')
    html = embed(_page(kept), out)
    assert 'href="https://example.org/"' in html and 'href="#t"' in html
    assert "<style>" in html and "image/svg+xml;base64" in html
    assert 'src="figures/a.png"' in embed(_page(kept), out, prefer="png", link_images=True)


def test_an_image_the_rewrite_cannot_see_is_refused(out):
    with pytest.raises(EmbedError, match="could not be embedded"):
        embed("<p><img src=figures/a.svg></p>", out)
