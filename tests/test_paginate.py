"""A figure or table that does not fit lets the text after it fill the page (paginate)."""
import weasyprint
from PIL import Image

from pdf_helpers import page_texts
from reportgen.report import paginate
from reportgen.report.pdf import make_url_fetcher, pdf_bytes
from reportgen.report.templates import TEMPLATES_DIR

TEXT = ("Words that fill the page, one sentence after another, so that the lines run on "
        "and the page fills up with ordinary running text. ") * 2


def _page(tmp_path, before, fig_height_mm, after, heading_before_figure=False, lead_in=""):
    """A chapter of ``before`` paragraphs, a figure ``fig_height_mm`` tall, ``after`` more
    (with ``lead_in``, a paragraph of that text just before the figure)."""
    Image.new("RGB", (60, 40), (30, 90, 200)).save(tmp_path / "fig.png")
    paragraphs = lambda n, tag: "".join(f"<p>{tag} {i}. {TEXT}</p>" for i in range(n))
    heading = "<h3 id='sub'>A part</h3>" if heading_before_figure else ""
    heading += f"<p id='lead'>{lead_in}</p>" if lead_in else ""
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="{(TEMPLATES_DIR / 'style.css').as_uri()}"></head><body>
<section class="chapter"><h2 id="c">Chapter</h2>{paragraphs(before, "Before")}{heading}
<figure class="figure" id="fig-x"><img src="fig.png" style="width: 80%; height: {fig_height_mm}mm">
<figcaption><span class="label">Figure 1:</span> The figure.</figcaption></figure>
{paragraphs(after, "After")}</section>
<section class="chapter"><h2 id="d">Next chapter</h2><p>More.</p></section></body></html>"""
    return html


def _html(tmp_path, html):
    return weasyprint.HTML(string=html, base_url=tmp_path.as_uri() + "/",
                           url_fetcher=make_url_fetcher(TEMPLATES_DIR, tmp_path))


def _layouts(document):
    return [paginate.page_layout(page) for page in document.pages]


def test_a_figure_that_does_not_fit_lets_the_following_text_fill_the_page(tmp_path):
    html = _page(tmp_path, 4, 150, 4)
    plain = _layouts(_html(tmp_path, html).render())
    # as WeasyPrint lays it out: the figure moves whole to page 2 and leaves a hole on page 1
    assert plain[0].blank > 0.4 and paginate.holes(plain) == [0]
    assert plain[1].blocks[0].element.get("id") == "fig-x"

    filled = _layouts(paginate.fill_pages(_html(tmp_path, html)))
    assert paginate.holes(filled) == []
    assert filled[0].blank <= 0.4
    # the text after the figure came first; the figure is still in its chapter, before the
    # next chapter
    texts = page_texts_of(tmp_path, html)
    assert "After 0." in texts[0] and "Figure 1:" not in texts[0]
    assert "Figure 1:" in "".join(texts[1:-1]) and "Next chapter" in texts[-1]


def page_texts_of(tmp_path, html):
    path = tmp_path / "filled.pdf"
    path.write_bytes(pdf_bytes(html, tmp_path))
    return page_texts(path)


def test_a_heading_kept_with_its_figure_stays_with_the_text(tmp_path):
    html = _page(tmp_path, 4, 150, 3, heading_before_figure=True)
    plain = _layouts(_html(tmp_path, html).render())
    assert paginate.holes(plain) == [0]
    assert plain[1].blocks[0].element.tag == "h3"    # pulled along by break-after: avoid
    filled = _layouts(paginate.fill_pages(_html(tmp_path, html)))
    assert paginate.holes(filled) == []
    assert any(b.element.tag == "h3" for b in filled[0].blocks)


def test_a_chapters_last_page_may_be_short_and_nothing_is_moved(tmp_path):
    html = _page(tmp_path, 4, 150, 0)      # nothing follows the figure in its chapter
    plain = _layouts(_html(tmp_path, html).render())
    assert plain[0].blank > 0.4 and paginate.holes(plain) == [0]
    document = paginate.fill_pages(_html(tmp_path, html))
    assert [len(p.blocks) for p in _layouts(document)] == [len(p.blocks) for p in plain]

    short = _page(tmp_path, 1, 20, 0)       # one page, then the next chapter's
    layouts = _layouts(_html(tmp_path, short).render())
    assert layouts[0].blank > 0.4 and paginate.holes(layouts) == []


def test_a_heading_and_the_short_paragraph_after_it_stay_with_the_text(tmp_path):
    """A paragraph of a line or two left at the foot of a page with its subsection heading is
    kept with what follows it (style.css's keep-with-next), so it goes over with the heading and
    the figure; the hole that leaves is filled as without it: the figure alone moves after the
    text."""
    html = _page(tmp_path, 4, 150, 3, heading_before_figure=True,
                 lead_in="Figure 1 shows the part, in a paragraph of a line or two.")
    plain = _layouts(_html(tmp_path, html).render())
    assert [b.element.get("id") for b in plain[0].blocks[-2:]] == ["sub", "lead"]
    assert [e.get("id") for e in paginate.stranded(plain)] == ["lead"]
    filled = _layouts(paginate.fill_pages(_html(tmp_path, html)))
    assert paginate.holes(filled) == []
    ids = [b.element.get("id") for b in filled[0].blocks]
    assert "sub" in ids and "lead" in ids and ids[-1] != "lead" and "fig-x" not in ids


def test_a_figure_is_never_moved_between_a_lead_in_and_its_list():
    from xml.etree.ElementTree import Element, SubElement

    chapter = Element("section", {"class": "chapter"})
    figure = SubElement(chapter, "figure", {"class": "figure"})
    lead_in, items, last = (SubElement(chapter, tag) for tag in ("p", "ul", "p"))
    hole = paginate.PageLayout([paginate.Block(Element("p"), chapter, 0, 300)], 0, 1000)
    # the lead-in alone would fill the hole: the figure goes after its list
    after = paginate.PageLayout([paginate.Block(e, chapter, top, top + 100) for e, top in
                                 ((figure, 0), (lead_in, 600), (items, 700), (last, 800))],
                                0, 1000)
    after.blocks[1].bottom = 1400
    assert paginate._move([hole, after], 0) == (figure, items)
    # before a display equation (which the figure is not moved past): the figure stays put
    chapter = Element("section", {"class": "chapter"})
    figure = SubElement(chapter, "figure", {"class": "figure"})
    lead_in = SubElement(chapter, "p")
    SubElement(chapter, "span", {"class": "equation"})
    after = paginate.PageLayout([paginate.Block(figure, chapter, 0, 100),
                                 paginate.Block(lead_in, chapter, 600, 1400)], 0, 1000)
    assert paginate._move([hole, after], 0) is None
