"""Pages without big holes: a figure or table that does not fit lets the text after it fill
the page first, as LaTeX floats one, since WeasyPrint has no page floats.

A figure (with its caption) is never split, nor is a table of five rows or fewer (style.css).
When one does not fit in what is left of a page, WeasyPrint moves it (and a heading kept with
it, and the paragraph between them) to the next page and leaves the rest of this one empty.
After laying the report out, :func:`fill_pages` looks for pages of a chapter more than
``MAX_BLANK`` of whose text area is left empty, not the chapter's last page (a chapter starts
on a new page, so its last page may be short), whose next page begins with such a block: the
block is moved after the paragraphs, lists and equations that follow it, up to the next
heading, figure or table, as many of them as it takes to fill the hole (never between a
paragraph and the list or equation it leads into), and the document is laid out again. Up to
``PASSES`` layouts are made, and no more once one does not improve on the best so far (a layout
of the whole report costs seconds); the one with the fewest such pages (then the least blank on
them) is kept, so a move never makes a report worse. A report without such pages is laid out
once, as before.

Before that, a subsection heading the first layout leaves at the foot of a page with a paragraph
of fewer than ``KEEP_LINES`` lines (:func:`stranded`) has that paragraph kept with what follows
it (class keep-with-next, style.css), so the heading goes over with them; that costs one more
layout, and only where it happens.

Only the PDF's page is changed; the HTML keeps the order of its template.
"""
import dataclasses

#: the largest share of a page's text area that may be left empty (but on a chapter's last
#: page, the title page and the contents)
MAX_BLANK = 0.4
#: the most layouts of one document to fill holes (after one more for stranded headings)
PASSES = 3
#: the fewest lines of text a subsection heading goes with at the foot of a page
KEEP_LINES = 3

#: the blocks that never break (style.css): what a hole is left by
_KEPT = ("figure", "table-wrap")
#: the blocks that may be moved before a kept block to fill the hole it left
_TEXT_TAGS = {"p", "ul", "ol", "dl", "pre", "blockquote"}


def _classes(element):
    return (element.get("class") or "").split()


def _is_chapter(element):
    return element is not None and element.tag == "section" and "chapter" in _classes(element)


def _is_kept(element):
    return any(c in _classes(element) for c in _KEPT)


def _is_text(element):
    """A block of running text, which may break across pages and move before a figure."""
    return element.tag in _TEXT_TAGS or (element.tag == "div" and "equation" in _classes(element))


@dataclasses.dataclass
class Block:
    """A chapter's child as laid out on one page: its element, its chapter's element, and
    the top and bottom of its border box (CSS px from the top of the page)."""

    element: object
    chapter: object
    top: float
    bottom: float
    #: its lines, for a block of text (a paragraph) on this page
    lines: int = 0


@dataclasses.dataclass
class PageLayout:
    """One page: its chapter blocks in order and its text area (top, bottom)."""

    blocks: list
    top: float
    bottom: float

    @property
    def blank(self):
        """The share of the text area below the last block (1.0 for a page without one)."""
        if not self.blocks:
            return 1.0
        used = max(b.bottom for b in self.blocks)
        return max(0.0, (self.bottom - used) / (self.bottom - self.top))


def _children(box):
    return getattr(box, "children", None) or []


def page_layout(page):
    """The :class:`PageLayout` of a rendered WeasyPrint page."""
    from weasyprint.formatting_structure.boxes import LineBox

    box = page._page_box
    blocks = []

    def walk(parent):
        for child in _children(parent):
            element = child.element
            if _is_chapter(element) and element is not parent.element:
                for block in _children(child):
                    if block.element is not None and block.element is not element:
                        top = block.border_box_y()
                        lines = sum(isinstance(c, LineBox) for c in _children(block))
                        blocks.append(Block(block.element, element, top,
                                            top + block.border_height(), lines))
            elif element is None or element.tag in ("html", "body"):
                walk(child)

    walk(box)
    top = box.content_box_y()
    return PageLayout(blocks, top, top + box.height)


def holes(layouts, max_blank=MAX_BLANK):
    """Indices of the pages more than ``max_blank`` empty that are not their chapter's last
    page (the next page goes on with the same chapter)."""
    found = []
    for i, (page, after) in enumerate(zip(layouts, layouts[1:])):
        if page.blocks and after.blocks and page.blank > max_blank \
                and after.blocks[0].chapter is page.blocks[-1].chapter:
            found.append(i)
    return found


def _sheet(layouts, max_blank):
    """How bad a layout is: (its pages with holes, the blank beyond ``max_blank`` on them)."""
    bad = holes(layouts, max_blank)
    return len(bad), sum(layouts[i].blank - max_blank for i in bad)


def _sibling(element, chapter, step=1):
    """The element ``step`` after ``element`` among its chapter's children (None past the end)."""
    siblings = list(chapter)
    i = siblings.index(element) + step
    return siblings[i] if 0 <= i < len(siblings) else None


def _leads_in(element, chapter):
    """Whether ``element`` is a paragraph that leads into the list, display equation or code
    just after it (style.css keeps them together: a figure never goes in between)."""
    after = _sibling(element, chapter)
    return element.tag == "p" and after is not None and (
        after.tag in ("ul", "ol", "pre") or "equation" in _classes(after))


def _move(layouts, i):
    """For the hole on page ``i``: (the kept block that left it, the element to put it after),
    or None if nothing can fill it."""
    page, after = layouts[i], layouts[i + 1]
    kept = after.blocks[0]
    # what moved along with the block (break-after: avoid in style.css): a heading, and the
    # paragraph between a subsection heading and the block, or its last lines
    split = {id(b.element) for b in page.blocks}
    for block, following in zip(after.blocks[:2], after.blocks[1:3]):
        element = block.element
        if not (element.tag in ("h3", "h4") or (
                element.tag == "p" and _sibling(element, block.chapter) is following.element
                and (id(element) in split
                     or getattr(_sibling(element, block.chapter, -1), "tag", None)
                     in ("h3", "h4")))):
            break
        kept = following
        if _is_kept(kept.element):
            break
    if not _is_kept(kept.element):
        return None
    chapter = list(kept.chapter)
    hole = page.bottom - max((b.bottom for b in page.blocks), default=page.top)
    # the laid-out height of each following text block, by element (on that page)
    heights = {id(b.element): b.bottom - b.top for b in after.blocks}
    target, filled = None, 0.0
    for element in chapter[chapter.index(kept.element) + 1:]:
        if not _is_text(element):
            break
        filled += heights.get(id(element), hole)
        if _leads_in(element, kept.chapter):
            continue            # not between a lead-in and its list
        target = element
        if filled >= hole:
            break
    return None if target is None else (kept.element, target)


def stranded(layouts, lines=KEEP_LINES):
    """The paragraphs of fewer than ``lines`` lines that end a page just after a subsection
    heading (which goes with at least that many lines of what follows it), the page holding
    something before the heading."""
    found = []
    for page, after in zip(layouts, layouts[1:]):
        if len(page.blocks) < 3 or not after.blocks:
            continue
        heading, last = page.blocks[-2:]
        if heading.element.tag in ("h3", "h4") and last.element.tag == "p" \
                and last.lines < lines and after.blocks[0].element is not last.element:
            found.append(last.element)
    return found


def _keep_with_next(html, paragraphs):
    """Give each paragraph the class keep-with-next (style.css: break-after: avoid)."""
    for element in paragraphs:
        element.set("class", " ".join(_classes(element) + ["keep-with-next"]))
    _rewrap(html)


def _rewrap(html):
    import cssselect2

    # WeasyPrint reads the tree through this wrapper, which caches each element's children
    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(html.etree_element)


def _apply(html, moves):
    """Move each kept element after its target, in ``html``'s tree (a weasyprint.HTML)."""
    for element, target in moves:
        parent = next(p for p in html.etree_element.iter() if element in list(p))
        parent.remove(element)
        parent.insert(list(parent).index(target) + 1, element)
    _rewrap(html)


def fill_pages(html, options=None, max_blank=MAX_BLANK, passes=PASSES):
    """The rendered document (``html.render(**options)``) of the weasyprint.HTML ``html``,
    with kept blocks moved as the module says (in ``html``'s tree, which is changed)."""
    options = options or {}
    document = html.render(**options)
    layouts = [page_layout(p) for p in document.pages]
    short = stranded(layouts)
    if short:
        _keep_with_next(html, short)
        document = html.render(**options)
        layouts = [page_layout(p) for p in document.pages]
    best = (_sheet(layouts, max_blank), document)
    for _ in range(passes - 1):
        if best[0][0] == 0:
            break
        moves = [m for m in (_move(layouts, i) for i in holes(layouts, max_blank)) if m]
        if not moves:
            break
        _apply(html, moves)
        document = html.render(**options)
        layouts = [page_layout(p) for p in document.pages]
        score = _sheet(layouts, max_blank)
        if score >= best[0]:
            break   # moving did not help: another layout (a few seconds) would not either
        best = (score, document)
    return best[1]
