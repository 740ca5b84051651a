"""The stylesheet's print rules, checked on PDFs laid out with the report's own stylesheet and
macros: a long table breaks between rows only, never between a setting's rows, repeats its
header and keeps three rows on either side of a break, and its caption whole with its header;
no word is left alone on a line inside a paragraph."""
import re
import shutil

import pytest

from pdf_helpers import page_texts, pdftotext_available, word_boxes
from reportgen.report import render, templates
from reportgen.report.render import TableRef

needs_pdftotext = pytest.mark.skipif(not pdftotext_available(),
                                     reason="needs poppler's pdftotext for the words' positions")

PAGE = """{% import "_macros.j2" as m %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Print</title>
<link rel="stylesheet" href="style.css"></head><body>
<section class="chapter"><h2 id="print">Print rules</h2>
<p>{{ paragraph|safe }}</p>
{% for i in range(lead) %}<p>A paragraph before the table, long enough to take a few lines of
the page so that the table starts somewhere down it and has to break. {{ i }}</p>{% endfor %}
{{ m.table(table) }}
</section></body></html>
"""

#: A paragraph WeasyPrint broke wrongly when it could hyphenate short words: "step" alone on
#: a line before "size that a sigmoid network takes..." (the report's discussion, 4.C).
STRAY_BREAK = """No run of any network without hidden activations reached
100% on XOR; the best single run reached 76.2%.
That agrees with a direct count: the best any straight line can do on the 21 XOR points,
found by trying every line through two of them, is 76.2%
(16 of 21). With its sigmoids, the main network ended at
100.0 ± 0.0% in this experiment.
On the linear data set, which a line does separate, the network
without hidden activations ended at 100.0 ± 0.0%
(5/5 seeds at 100%),
after a median of 524 epochs against
1007 for the main network.
The linear, lr=0.1 network diverged on
8 of 10 runs:
without a squashing output its error is unbounded, and a step size that a sigmoid network takes
in its stride overshoots further at every step.
<a class="ref" href="#print">Figure&nbsp;11</a> shows the straight boundary."""

ROWS = 40


def _layout(tmp_path, lead, paragraph=STRAY_BREAK):
    out = tmp_path / f"lead{lead}"
    folder = out / "templates"
    shutil.copytree(templates.TEMPLATES_DIR, folder)
    (folder / "_print.html.j2").write_text(PAGE, encoding="utf-8")
    # as the report's sweep tables, whose setting labels take one line or two, a setting a
    # row per data set: the label of rows 2k and 2k + 1 ends with "lr=0.0<k>", the median
    # of row i is 5000 + i
    names = ["sgd", "momentum", "adagrad", "rmsprop", "adam"] * ROWS
    rows = [[f"optimizer={names[i // 2]}, lr=0.0{i // 2:02d}", ("linear", "xor")[i % 2],
             "100.0 ± 0.0%", "5/5", 5000 + i, 0] for i in range(ROWS)]
    table = TableRef("tab-long", "A long table.", 1,
                     ["setting", "data", "final accuracy (mean ± std)", "ended at 100%",
                      "median epochs to 100%", "diverged"], rows, note="Under the table.")
    context = {"lead": lead, "table": table, "paragraph": paragraph}
    return render.write_report("_print.html.j2", context, out, templates_dir=folder)["pdf"]


def _page_of(words, word):
    return [i for i, page in enumerate(words) for w, _ in page if w == word]


@needs_pdftotext
@pytest.mark.parametrize("lead", [1, 3, 10, 15])   # near the top, mid-setting, either end
def test_a_long_table_breaks_between_rows_and_repeats_its_header(tmp_path, lead):
    pdf = _layout(tmp_path, lead)
    words = word_boxes(pdf)
    texts = page_texts(pdf)
    rows_on = {}
    for k in range(ROWS // 2):
        # a setting's two rows, and each row's first and last cell, on one page
        labels = _page_of(words, f"lr=0.0{k:02d}")
        medians = _page_of(words, str(5000 + 2 * k)) + _page_of(words, str(5001 + 2 * k))
        assert len(labels) == len(medians) == 2 and len(set(labels + medians)) == 1, \
            f"the rows of setting {k} are split across pages"
        rows_on.setdefault(labels[0], []).extend([2 * k, 2 * k + 1])
    pages = sorted(rows_on)
    assert len(pages) >= 2, "the table was meant to break"
    for page in pages:
        # the header on every page the table is on, above its rows
        header = [box for w, box in words[page] if w == "setting"]
        top_row = max(box[1] for w, box in words[page] if w.startswith("optimizer="))
        assert header and header[0][1] > top_row, f"no header above the rows on page {page + 1}"
        assert len(rows_on[page]) >= 3, f"only {len(rows_on[page])} rows on page {page + 1}"
    # the caption goes with the first rows, the note with the last
    assert "Table 1:" in texts[pages[0]] and "Under the table." in texts[pages[-1]]


def _lines(page_words):
    """The lines of a page: words grouped by their baseline, top to bottom."""
    lines = {}
    for word, (x0, y0, x1, y1) in page_words:
        lines.setdefault(round(y0), []).append(word)
    return [lines[y] for y in sorted(lines, reverse=True)]


@needs_pdftotext
def test_no_word_is_left_alone_on_a_line_inside_a_paragraph(tmp_path):
    pdf = _layout(tmp_path, 0)
    words = word_boxes(pdf)
    page = _page_of(words, "stride")[0]
    lines = _lines(words[page])
    start = next(i for i, line in enumerate(lines) if line[:2] == ["No", "run"])
    end = next(i for i, line in enumerate(lines) if "boundary." in line)
    paragraph = lines[start:end + 1]
    assert len(paragraph) > 5
    lone = [line for line in paragraph[:-1] if len(line) == 1]
    assert not lone, f"a word alone on a line inside the paragraph: {lone}"


def test_the_print_rules_are_in_the_stylesheet():
    css = (templates.TEMPLATES_DIR / "style.css").read_text()
    rules = " ".join(css.split())
    for rule in ("table.data thead { display: table-header-group; }",
                 "table.data tr { break-inside: avoid; }",
                 "table.data tr.with-next { break-after: avoid; }",
                 "table.data caption { break-after: avoid; }",
                 "table.data caption { break-inside: avoid; }",
                 "hyphenate-limit-chars: 6 3 3;", "orphans: 3;", "widows: 3;",
                 "li:first-child { break-after: avoid; }",
                 "li:last-child { break-before: avoid; }",
                 "p:has(+ ul, + ol, + pre, + .equation) { break-after: avoid; }"):
        assert rule in rules, rule
    # figures are never split from their captions
    figure = re.search(r"figure\.figure \{(.*?)\}", css, re.S).group(1)
    assert "break-inside: avoid" in figure


LISTING_PAGE = """{% import "_macros.j2" as m %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Listing</title>
<link rel="stylesheet" href="style.css"></head><body>
<section class="chapter"><h2 id="code">Code</h2>
{% for i in range(lead) %}<p>A paragraph before the listing, long enough to take a few lines
of the page so that the listing starts somewhere down it. {{ i }}</p>{% endfor %}
{{ m.code_listing(lst) }}
</section></body></html>
"""


@needs_pdftotext
def test_a_long_listing_wraps_its_lines_and_breaks_with_its_caption_on_its_code(tmp_path):
    from pdf_helpers import assert_inside_the_text_area
    from reportgen.report.listings import Listing, Piece

    long_line = "    total = " + " + ".join(f"term_{i:03d}" for i in range(20)) + "  # end"
    long_string = "    url = 'https://example.org/" + "x" * 150 + "'"
    code = ("def f():\n" + "".join(f"    x_{i:03d} = {i}\n" for i in range(130)) + long_line
            + "\n" + long_string + "\n")
    lst = Listing("long", ("f",), 1, (Piece("lab/long.py", 1, 133, code, ("f",)),))
    folder = tmp_path / "templates"
    shutil.copytree(templates.TEMPLATES_DIR, folder)
    (folder / "_listing.html.j2").write_text(LISTING_PAGE, encoding="utf-8")
    pdf = render.write_report("_listing.html.j2", {"lead": 30, "lst": lst}, tmp_path,
                              templates_dir=folder)["pdf"]
    assert_inside_the_text_area(pdf)                      # the long line wraps
    words = word_boxes(pdf)
    caption = _page_of(words, "(lab/long.py,")
    first, last = _page_of(words, "x_000"), _page_of(words, "x_129")
    assert len(caption) == 1 and caption == first, "the caption is apart from the code"
    assert last[0] > first[0], "the listing was meant to break across pages"
    # a line wraps at a space, a string anywhere
    terms = [w for page in words for w, _ in page if w.startswith("term_")]
    assert terms == [f"term_{i:03d}" for i in range(20)], terms
    # at least three lines of code on either side of the break
    for page in (first[0], last[0]):
        assert len([w for w, _ in words[page] if w.startswith("x_")]) >= 3
    sizes = _code_sizes(pdf)
    assert sizes and min(sizes) >= 7, sizes


def _code_sizes(pdf):
    """The font sizes (pt) of the monospaced text of the PDF."""
    from pypdf import PdfReader

    sizes = set()
    for page in PdfReader(pdf).pages:
        def visit(text, cm, tm, font, size):
            if text.strip() and font and "Mono" in str(font.get("/BaseFont", "")):
                sizes.add(round(size * tm[0] * cm[0], 2))
        page.extract_text(visitor_text=visit)
    return sizes


def _luminance(colour):
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_codes_colours_print_legibly_on_the_listings_background():
    """WCAG's contrast ratio of every token colour against the listing's grey: 7:1 or more."""
    css = (templates.TEMPLATES_DIR / "style.css").read_text()
    background = re.search(r"figure\.listing \.highlight \{[^}]*background: (#[0-9a-f]{6})",
                           css).group(1)
    colours = re.findall(r"\.highlight \.[a-z0-9]+[^{]*\{[^}]*color: (#[0-9a-f]{6})", css)
    assert len(colours) >= 6
    lighter = _luminance(background) + 0.05
    ratios = {c: lighter / (_luminance(c) + 0.05) for c in colours}
    assert min(ratios.values()) >= 7, ratios


# ---- what stays together at the foot of a page -------------------------------------------

#: a page of the report's blocks after ``lead`` paragraphs: a table with a caption of four
#: lines ("table"), a lead-in ending with a colon and its list of short items ("list") or of
#: long ones ("long-list"), or a subsection heading, a paragraph of two lines and a table
#: ("heading")
KEEP_PAGE = """{% import "_macros.j2" as m %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Keep</title>
<link rel="stylesheet" href="style.css"></head><body>
<section class="chapter"><h2 id="keep">Keep together</h2>
{% for i in range(lead) %}<p>A paragraph before the block, long enough to take a few lines of
the page so that the block starts somewhere down it, near its foot. {{ i }}</p>{% endfor %}
{% if kind == "list" %}<p>A lead-in to the list, as the report writes them: a paragraph of two
lines or three that ends with a colon, and then its list of six items in a row, each item on a
line of its own, in this order:</p>
<ul>{% for i in range(6) %}<li>item{{ i }}: one of the list's items, on one line.</li>{% endfor %}</ul>
{% elif kind == "long-list" %}<p>A lead-in to a list of long items, in this order:</p>
<ul>{% for i in range(3) %}<li>long{{ i }}: one of the list's items, as long as the report's key
findings, which take four lines each: the lab's network ended at a high accuracy on the linear
set and on the XOR set over five seeds, and every seed converged on either data set, holding
100% training accuracy to the end from a median epoch of some hundreds.</li>{% endfor %}</ul>
{% elif kind == "heading" %}{{ m.heading({"number": "7.C", "title": "Subheading", "id": "sub"}, 3) }}
<p>Leadword: a paragraph of two lines that says what the table after it shows, as the report
writes them (it refers to it by its number).</p>
{{ m.table(table) }}
{% else %}{{ m.table(table) }}{% endif %}
<p>After the block.</p>
</section></body></html>
"""

#: as long as the report's captions (four lines at 9.5pt), its last word "Captionend."
LONG_CAPTION = ("Learning rates, 5,000 epochs, over 5 seeds per setting and data set: final "
                "accuracy (mean ± standard deviation over the seeds, population form); seeds "
                "that converged (held 100% to the end) and the median epoch from which they "
                "held it; seeds whose accuracy fell back after first reaching 100%; Captionend.")


def _keep_layout(tmp_path, kind, lead):
    out = tmp_path / f"{kind}{lead}"
    folder = out / "templates"
    shutil.copytree(templates.TEMPLATES_DIR, folder)
    (folder / "_keep.html.j2").write_text(KEEP_PAGE, encoding="utf-8")
    rows = [[f"row{i}", "linear", "100.0 ± 0.0%", "5/5", 5000 + i, 0] for i in range(5)]
    table = TableRef("tab-keep", LONG_CAPTION, 1, ["setting", "data", "final accuracy",
                                                   "converged", "median", "diverged"], rows)
    context = {"lead": lead, "kind": kind, "table": table}
    return word_boxes(render.write_report("_keep.html.j2", context, out,
                                          templates_dir=folder)["pdf"])


def _one_page(words, *names):
    """The page all of ``names`` are on (each once), or an AssertionError saying which not."""
    pages = {name: _page_of(words, name) for name in names}
    assert all(len(p) == 1 for p in pages.values()), pages
    assert len({p[0] for p in pages.values()}) == 1, f"not on one page: {pages}"
    return pages[names[0]][0]


#: leads that put the block at the foot of the first page: the first and the last of them put
#: all of it on the first and on the second page, those between would split it
FOOT = range(10, 20)


@needs_pdftotext
def test_a_tables_caption_is_never_split_nor_left_at_the_foot_of_a_page(tmp_path):
    """The caption, whole, on the page of the table's header and first rows (WeasyPrint kept
    a long caption's first lines at the foot of a page, the rest with the table)."""
    pages = set()
    for lead in FOOT:
        words = _keep_layout(tmp_path, "table", lead)
        pages.add(_one_page(words, "Table", "Captionend.", "row0", "row4"))
    assert pages == {0, 1}, "the leads were meant to move the table from one page to the next"


@needs_pdftotext
def test_a_lists_lead_in_and_two_items_stay_together_and_two_go_on(tmp_path):
    """A lead-in ending with a colon goes with the first two items of its list, and at least
    two items go on either side of a break in the list (one item was left alone at the foot
    of a page, after its lead-in, the rest of the list on the next)."""
    pages, broken = set(), False
    for lead in FOOT:
        words = _keep_layout(tmp_path, "list", lead)
        first = _one_page(words, "lead-in", "order:", "item0:", "item1:")
        rest = _one_page(words, "item4:", "item5:")
        assert rest in (first, first + 1)
        broken |= rest != first
        pages.add(first)
    assert pages == {0, 1}, "the leads were meant to move the list from one page to the next"
    assert broken, "the list was meant to break at some lead"


@needs_pdftotext
def test_a_list_of_long_items_still_breaks(tmp_path):
    """Items of four lines each: the list breaks inside one or between them, with its lead-in
    on the page of the first item's first lines, rather than going over whole."""
    broken = False
    for lead in FOOT:
        words = _keep_layout(tmp_path, "long-list", lead)
        first = _one_page(words, "order:", "long0:")
        broken |= _one_page(words, "long2:") != first
    assert broken, "the list went over whole at every lead"


@needs_pdftotext
def test_a_heading_and_a_short_paragraph_go_with_the_table_they_lead_into(tmp_path):
    """A subsection heading is not left at the foot of a page with only the two lines of the
    paragraph that leads into the table after them."""
    pages = set()
    for lead in FOOT:
        words = _keep_layout(tmp_path, "heading", lead)
        pages.add(_one_page(words, "Subheading", "Leadword:", "Table", "row0"))
    assert pages == {0, 1}, "the leads were meant to move the table from one page to the next"
