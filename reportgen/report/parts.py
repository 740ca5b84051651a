"""The PDF laid out a part at a time: the front matter (title page, contents) and each
chapter is a WeasyPrint document of its own, and their pages are written as one PDF.

Laying the pages out is most of what the PDF costs, and an edit to one section's template
changes one chapter. So each part's layout is kept, in the process, under a key of its HTML
and its place (its first page number and the page count); a process that builds again
(``reportgen watch``) lays out only the parts that changed, then writes every page. A new
process lays out every part, as one document would (the parts' page counts of the last build
are kept on disk, ``PageCounts``, so that it lays each out once; a count that turns out wrong
only costs that part one more layout).

What one document did across its chapters is done here, with the same result:

- page numbers: a chapter's first page number is set (``@page :first { counter-reset }``);
- the footer's page count and the running title, which style.css reads from the
  ``data-page-count`` and ``data-doctitle`` attributes of ``<body>``, with the footer's words
  (``data-page-before`` ...), translated whole, around them;
- the contents' page numbers: style.css reads its links' ``data-page``, set from the
  anchors of the laid-out chapters.

Links between parts, the bookmarks and the tagged structure work as in one document:
WeasyPrint resolves them over the pages it writes. A chapter starts on a new page (style.css:
``h2 { break-before: page }``), so cutting the page before each ``<section class="chapter">``
moves nothing.
"""
import dataclasses
import hashlib
import html as html_lib
import json
import re

from ..atomic import atomic_write_text
from ..i18n import _

#: where a part begins: each chapter of the page
_CHAPTER = re.compile(r'<section class="chapter[" ]')
_BODY = re.compile(r"(?s)^(.*?<body\b[^>]*>)(.*)(</body>\s*</html>\s*)$")
_TITLE = re.compile(r"(?s)<title>(.*?)</title>")
_TOC_LINK = re.compile(r'<a href="#([^"]+)"')
#: the most layouts of each part: the page counts settle after the second (they do not
#: depend on the numbers in the margins)
_ROUNDS = 3


@dataclasses.dataclass(frozen=True)
class Part:
    """One part of the page: its body's HTML, and its key (the HTML's digest)."""

    body: str

    @property
    def key(self):
        return hashlib.sha256(self.body.encode()).hexdigest()


def split(page):
    """(head, parts, tail) of an HTML page: the head up to and with ``<body>``, the body cut
    before each chapter (the front matter first), and the closing tags."""
    match = _BODY.match(page)
    if match is None:
        return None, [Part(page)], ""
    head, body, tail = match.groups()
    cuts = [m.start() for m in _CHAPTER.finditer(body)]
    if cuts and not body[:cuts[0]].strip():
        cuts = cuts[1:]     # no front matter: the first chapter starts the first part
    bounds = [0] + cuts + [len(body)]
    return head, [Part(body[a:b]) for a, b in zip(bounds, bounds[1:])], tail


def _footer_words():
    """The footer's words before, between and after the page number and the page count."""
    before, rest = _("Page {page} of {pages}").split("{page}")
    between, after = rest.split("{pages}")
    return before, between, after


def _placed(head, part, tail, first_page, pages, toc_pages):
    """The HTML document of ``part``, numbered from ``first_page`` of ``pages`` (its contents'
    links to the pages of ``toc_pages``)."""
    title = _TITLE.search(head)
    before, between, after = _footer_words()
    attributes = {"data-doctitle": html_lib.unescape(title.group(1)).strip() if title else "",
                  "data-page-count": str(pages), "data-page-before": before,
                  "data-page-between": between, "data-page-after": after}
    body_attributes = "".join(f' {k}="{html_lib.escape(v)}"' for k, v in attributes.items())
    numbered = re.sub(r"<body\b", lambda _body: "<body" + body_attributes, head, count=1)
    numbered = numbered.replace(
        "</head>", f"<style>@page :first {{ counter-reset: page {first_page} }}</style></head>", 1)
    body = _TOC_LINK.sub(lambda m: m.group(0) + (f' data-page="{toc_pages[m.group(1)]}"'
                                                 if m.group(1) in toc_pages else ""), part.body)
    return numbered + body + tail


class Layouts:
    """The parts' layouts this process made, by key; those of the last build are kept."""

    def __init__(self):
        self.kept, self.used = {}, {}

    def get(self, key, make):
        document = self.kept.get(key) or self.used.get(key) or make()
        self.used[key] = document
        return document

    def done(self):
        self.kept, self.used = self.used, {}

    def empty(self):
        """Whether no part was laid out yet."""
        return not (self.kept or self.used)


#: the layouts of this process (a watch's builds share them)
LAYOUTS = Layouts()


class PageCounts:
    """The parts' [key, page count] of the last build, in order, on disk: a guess, which the
    layout checks. A part of the same key has the count it had; one that changed, the count
    of the part it replaced (an edit seldom changes a part's page count)."""

    def __init__(self, path):
        self.path = path
        try:
            data = json.loads(path.read_text()) if path is not None else []
        except (OSError, ValueError):
            data = []
        valid = isinstance(data, list) and all(
            isinstance(e, list) and len(e) == 2 and isinstance(e[0], str)
            and isinstance(e[1], int) and e[1] > 0 for e in data)
        self.entries = [tuple(e) for e in data] if valid else []

    def guess(self, parts):
        by_key = dict(self.entries)
        return [by_key.get(p.key, self.entries[i][1] if i < len(self.entries) else 1)
                for i, p in enumerate(parts)]

    def save(self, parts, counts):
        entries = [(p.key, n) for p, n in zip(parts, counts)]
        if self.path is not None and entries != self.entries:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps(entries))


def lay_out(page, render, counts_path=None, between=None, layouts=None):
    """The documents of ``page``'s parts (HTML), in order, laid out part by part (their pages,
    one after another, are the page's): ``render(html)`` lays one part's document out (a
    weasyprint Document). ``counts_path``: where the parts' page
    counts are kept between processes. ``between()``, if given, is called before each part
    is laid out (a build that is superseded raises from it). ``layouts``: default
    :data:`LAYOUTS`, this process's."""
    layouts = LAYOUTS if layouts is None else layouts
    head, parts, tail = split(page)
    if head is None:
        return [render(page)]
    store = PageCounts(counts_path)
    counts = store.guess(parts)
    for _round in range(_ROUNDS):
        documents = _round_of(head, parts, tail, counts, render, between, layouts)
        laid = [len(d.pages) for d in documents]
        if laid == counts:
            break
        counts = laid
    layouts.done()
    store.save(parts, counts)
    return documents


def _round_of(head, parts, tail, counts, render, between, layouts):
    """Every part laid out with the numbering ``counts`` gives: the chapters first, then the
    front matter, whose contents give the chapters' page numbers."""
    total, firsts = sum(counts), [1 + sum(counts[:i]) for i in range(len(counts))]

    def document(i, toc_pages=None):
        if between is not None:
            between()
        html = _placed(head, parts[i], tail, firsts[i], total, toc_pages or {})
        key = hashlib.sha256(html.encode()).hexdigest()
        return layouts.get(key, lambda: render(html))

    chapters = [document(i) for i in range(1, len(parts))]
    toc_pages = {anchor: firsts[i + 1] + number
                 for i, chapter in enumerate(chapters)
                 for number, laid in enumerate(chapter.pages) for anchor in laid.anchors}
    return [document(0, toc_pages)] + chapters
