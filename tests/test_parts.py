"""The PDF laid out a chapter at a time (report/parts.py): the same pages as one document,
and a rebuild lays out again only what changed."""
import re

import pytest

from pdf_helpers import page_texts
from reportgen.report import parts, pdf
from reportgen.report.templates import TEMPLATES_DIR

PARAGRAPH = ("Words that fill the page, one sentence after another, so that the lines run on "
             "and the page fills up with ordinary running text. ") * 3


def _page(chapter_lengths, first_words="First"):
    """A report-like page: a title page, contents, and chapters of so many paragraphs."""
    toc = "".join(f'<li><a href="#c{i}">Chapter {i}</a></li>' for i in range(len(chapter_lengths)))
    chapters = "".join(
        f'<section class="chapter"><h2 id="c{i}">Chapter {i}</h2>'
        + "".join(f"<p>{first_words if (i, j) == (0, 0) else 'Text'} {i}.{j}. {PARAGRAPH}</p>"
                  for j in range(n)) + "</section>\n"
        for i, n in enumerate(chapter_lengths))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>A &amp; B report</title>
<link rel="stylesheet" href="{(TEMPLATES_DIR / 'style.css').as_uri()}"></head><body>
<section class="title-page"><h1 class="title">A &amp; B report</h1></section>
<nav class="toc"><h2 id="contents">Contents</h2><ol>{toc}</ol></nav>
{chapters}</body></html>"""


def _pdf(tmp_path, page, **kwargs):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.pdf_bytes(page, tmp_path, **kwargs))
    return page_texts(path)


class Counting:
    """parts.Layouts that counts the layouts it had to make."""

    def __init__(self):
        self.layouts, self.made = parts.Layouts(), 0

    def install(self, monkeypatch):
        original = parts.Layouts.get
        counter = self

        def get(layouts, key, make):
            def counted():
                counter.made += 1
                return make()
            return original(layouts, key, counted)

        monkeypatch.setattr(parts.Layouts, "get", get)
        monkeypatch.setattr(parts, "LAYOUTS", self.layouts)


def test_the_page_is_cut_before_each_chapter():
    head, cut, tail = parts.split(_page([1, 2, 1]))
    assert head.endswith("<body>") and tail.strip() == "</body></html>"
    assert len(cut) == 4 and "Contents" in cut[0].body
    assert [bool(re.match(r'<section class="chapter">', p.body)) for p in cut] == \
        [False, True, True, True]
    assert "".join(p.body for p in cut) in _page([1, 2, 1])


def test_numbers_titles_and_contents_run_across_the_chapters(tmp_path):
    texts = _pdf(tmp_path, _page([1, 9, 1]), counts_path=tmp_path / "pages.json")
    n = len(texts)
    assert n >= 6
    assert "Page 1 of" not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {n}" in text
        assert "A & B report" in text        # the running title, on every page but the first
    starts = [next(i for i, t in enumerate(texts) if marker in t) + 1
              for marker in ("First 0.0.", "Text 1.0.", "Text 2.0.")]
    assert starts[0] == 3 and starts[1] == 4 and starts[2] > starts[1] + 1
    contents = " ".join(texts[1].split())
    for chapter, first in enumerate(starts):
        assert re.search(rf"Chapter {chapter} [. ]*{first}\b", contents), (chapter, contents)


def test_a_rebuild_lays_out_again_only_the_chapter_that_changed(tmp_path, monkeypatch):
    counting = Counting()
    counting.install(monkeypatch)
    counts = tmp_path / "pages.json"
    first = _pdf(tmp_path, _page([1, 3, 1]), counts_path=counts)
    assert counting.made >= 4       # every part, some twice: no page counts were known
    counting.made = 0
    again = _pdf(tmp_path, _page([1, 3, 1]), counts_path=counts)
    assert counting.made == 0 and again == first
    counting.made = 0
    edited = _pdf(tmp_path, _page([1, 3, 1], first_words="Edited"), counts_path=counts)
    assert counting.made == 1
    assert "Edited 0.0." in " ".join(edited) and len(edited) == len(first)


def test_a_wrong_page_count_on_disk_costs_a_layout_not_a_wrong_number(tmp_path, monkeypatch):
    counts = tmp_path / "pages.json"
    right = _pdf(tmp_path, _page([1, 9, 1]), counts_path=counts)
    for wrong in ("[[\"x\", 5]]", "not json", '[["a", -1]]'):
        counts.write_text(wrong)
        monkeypatch.setattr(parts, "LAYOUTS", parts.Layouts())
        assert _pdf(tmp_path, _page([1, 9, 1]), counts_path=counts) == right


def test_a_superseded_build_stops_between_chapters(tmp_path):
    calls = []

    def between():
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("superseded")

    with pytest.raises(RuntimeError, match="superseded"):
        pdf.pdf_bytes(_page([1, 1, 1]), tmp_path, between=between)
    assert len(calls) == 2


def test_a_title_is_given_to_the_parts_as_written(tmp_path):
    page = _page([1, 1]).replace("A &amp; B report", r"A \1 B report")
    texts = _pdf(tmp_path, page)
    assert all(r"A \1 B report" in text for text in texts[1:])
