"""Reading the PDFs the tests build: text (extracted once per file), the images drawn, and where
things are painted on a page.

Imported by the test modules as ``pdf_helpers`` (pytest puts ``tests/`` on ``sys.path``).
"""
import functools
import hashlib
import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

from reportgen.report.templates import TEMPLATES_DIR

MM = 72 / 25.4                     # PDF points per millimetre

#: The page sizes style.css may ask for (``@page { size: ... }``), in millimetres. The report
#: is A4 only; a new size goes here, and assert_inside_the_text_area then checks it.
PAGE_SIZES_MM = {"A4": (210, 297)}


# ---- text ---------------------------------------------------------------------------------

def page_texts(path):
    """The text of each page of the PDF at ``path``, as a tuple.

    Extracting the text of the quick report takes pypdf about a second, so it is done once
    per file: the cache is keyed by the resolved path, its modification time and size, so a
    rebuilt PDF is read again.
    """
    path = Path(path).resolve()
    stat = path.stat()
    return _page_texts(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _page_texts(path, mtime_ns, size):
    return tuple(page.extract_text() for page in PdfReader(path).pages)


def pdf_text(path):
    """The PDF's whole text, pages joined by newlines."""
    return "\n".join(page_texts(path))


def flat_text(path):
    """The PDF's text with every run of whitespace made one space."""
    return " ".join(pdf_text(path).split())


# ---- images -------------------------------------------------------------------------------

# "/Name Do" in a content stream: paint the XObject /Name of the resources
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")


def drawn_images(path):
    """{sha256 of the image stream as stored: times drawn} over the images the pages paint.

    An image XObject is hashed as stored in the file (``_data``, still compressed), not
    decoded to pixels: decoding every image of the quick report took pypdf 20 s. Only images
    a content stream paints (``Do``, also inside form XObjects) count, not every image in the
    resources (WeasyPrint gives every page one resource dictionary with all the images).
    """
    counts = {}

    def visit(content, resources, depth=0):
        assert depth < 10, "form XObjects nested too deep"
        resources = resources.get_object() if resources is not None else {}
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else {}
        for name in _DO.findall(content):
            obj = xobjects["/" + name.decode("latin-1")].get_object()
            if obj["/Subtype"] == "/Image":
                digest = hashlib.sha256(obj._data).hexdigest()
                counts[digest] = counts.get(digest, 0) + 1
            elif obj["/Subtype"] == "/Form":
                visit(obj.get_data(), obj.get("/Resources", resources), depth + 1)

    for page in PdfReader(path).pages:
        contents = page.get_contents()
        if contents is not None:
            visit(contents.get_data(), page.get("/Resources"))
    return counts


def distinct_images(path):
    """The set of distinct images drawn in the PDF (see :func:`drawn_images`)."""
    return set(drawn_images(path))


# ---- layout -------------------------------------------------------------------------------

def _times(m, n):
    """The matrix product m × n of two PDF matrices (a, b, c, d, e, f)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _bounds(points):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _intersect(clip, box):
    if clip is None:
        return box
    return (max(clip[0], box[0]), max(clip[1], box[1]), min(clip[2], box[2]), min(clip[3], box[3]))


_PAINT = {b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*"}


def painted_boxes(reader, page):
    """Bounding boxes (x0, y0, x1, y1) in points, origin at the bottom left, of every path
    painted and every XObject drawn on ``page``, cut to the clipping path in force (as its
    bounding box). Text is not included (see :func:`word_boxes`).

    A small interpreter of the operators that move things: q/Q, cm, path construction,
    painting and clipping (W n), Do. Curves are bounded by their control points, which is
    never smaller than the curve.
    """
    ctm, clip, saved = (1, 0, 0, 1, 0, 0), None, []
    path, clipping, boxes = [], False, []

    def at(x, y):
        a, b, c, d, e, f = ctm
        return (a * x + c * y + e, b * x + d * y + f)

    contents = page.get_contents()
    operations = ContentStream(contents, reader).operations if contents is not None else []
    for operands, op in operations:
        if op == b"q":
            saved.append((ctm, clip))
        elif op == b"Q":
            ctm, clip = saved.pop()
        elif op == b"cm":
            ctm = _times(tuple(float(v) for v in operands), ctm)
        elif op in (b"m", b"l", b"c", b"v", b"y"):
            values = [float(v) for v in operands]
            path += [at(values[i], values[i + 1]) for i in range(0, len(values), 2)]
        elif op == b"re":
            x, y, w, h = (float(v) for v in operands)
            path += [at(x, y), at(x + w, y), at(x, y + h), at(x + w, y + h)]
        elif op in (b"W", b"W*"):
            clipping = True
        elif op in _PAINT or op == b"n":
            if path:
                box = _bounds(path)
                if op in _PAINT:
                    boxes.append(_intersect(clip, box))
                if clipping:   # the clip applies from the next operator on
                    clip = _intersect(clip, box)
            path, clipping = [], False
        elif op == b"Do":
            boxes.append(_intersect(clip, _bounds([at(0, 0), at(1, 0), at(0, 1), at(1, 1)])))
    return [box for box in boxes if box[0] < box[2] and box[1] < box[3]]   # not clipped away


def drawn_image_sizes(path):
    """[[(pixel width, pixel height, width pt, height pt), ...] per page]: every raster image
    a page's content draws, at the size it is drawn (the current matrix's scale)."""
    reader = PdfReader(path)
    pages = []
    for page in reader.pages:
        ctm, saved, found = (1, 0, 0, 1, 0, 0), [], []
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        xobjects = xobjects.get_object() if xobjects is not None else {}
        contents = page.get_contents()
        for operands, op in (ContentStream(contents, reader).operations
                             if contents is not None else []):
            if op == b"q":
                saved.append(ctm)
            elif op == b"Q":
                ctm = saved.pop()
            elif op == b"cm":
                ctm = _times(tuple(float(v) for v in operands), ctm)
            elif op == b"Do":
                obj = xobjects[operands[0]].get_object()
                if obj["/Subtype"] == "/Image":
                    a, b, c, d = ctm[:4]
                    found.append((int(obj["/Width"]), int(obj["/Height"]),
                                  (a * a + b * b) ** 0.5, (c * c + d * d) ** 0.5))
        pages.append(found)
    return pages


_AT = r'"(-?[\d.]+)"'
_WORD = re.compile(rf"<word xMin={_AT} yMin={_AT} xMax={_AT} yMax={_AT}>(.*?)</word>")


def pdftotext_available():
    return shutil.which("pdftotext") is not None


def word_boxes(path):
    """[[(word, (x0, y0, x1, y1)), ...] per page], from poppler's ``pdftotext -bbox``, in
    points with the origin at the bottom left like :func:`painted_boxes`."""
    html = subprocess.run(["pdftotext", "-bbox", os.fspath(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = []
    for page in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', html, re.S):
        height = float(page[0])
        pages.append([(unescape(word), (float(x0), height - float(y1),
                                        float(x1), height - float(y0)))
                      for x0, y0, x1, y1, word in _WORD.findall(page[1])])
    return pages


def page_geometry():
    """(page size name, (width, height), (top, right, bottom, left) margins) in points, from
    style.css's ``@page`` rule."""
    css = (TEMPLATES_DIR / "style.css").read_text(encoding="utf-8")
    rule = re.search(r"@page\s*\{(.*?)\n\}", css, re.S).group(1)
    size = re.search(r"^\s*size:\s*([^;]+);", rule, re.M).group(1).strip()
    assert size in PAGE_SIZES_MM, f"style.css asks for page size {size!r}: add it to PAGE_SIZES_MM"
    margins = re.search(r"^\s*margin:\s*([^;]+);", rule, re.M).group(1).split()
    assert len(margins) == 4 and all(m.endswith("mm") for m in margins), margins
    width, height = PAGE_SIZES_MM[size]
    return size, (width * MM, height * MM), tuple(float(m[:-2]) * MM for m in margins)


def assert_inside_the_text_area(pdf):
    """Every page has the stylesheet's size; every path, image and word painted lies inside
    the page margins (words of the running header and footer may lie in the top and bottom
    margins, but not beside the text)."""
    size, (width, height), (top, right, bottom, left) = page_geometry()
    inside = (left - 0.5, bottom - 0.5, width - right + 0.5, height - top + 0.5)
    reader = PdfReader(pdf)
    words = word_boxes(pdf)
    assert len(words) == len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        box = page.mediabox
        assert abs(float(box.width) - width) < 1 and abs(float(box.height) - height) < 1, \
            f"page {number} is {float(box.width):.0f} x {float(box.height):.0f} pt, not {size}"
        for x0, y0, x1, y1 in painted_boxes(reader, page):
            assert inside[0] <= x0 and x1 <= inside[2] and inside[1] <= y0 and y1 <= inside[3], \
                (f"page {number}: something is painted at x {x0 / MM:.1f}-{x1 / MM:.1f} mm, "
                 f"y {y0 / MM:.1f}-{y1 / MM:.1f} mm, outside the text area")
        for word, (x0, y0, x1, y1) in words[number - 1]:
            assert inside[0] <= x0 and x1 <= inside[2] and 0 <= y0 and y1 <= height, \
                f"page {number}: {word!r} at x {x0 / MM:.1f}-{x1 / MM:.1f} mm is beside the text"
