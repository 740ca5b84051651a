"""Reading the PDFs the tests build: text (extracted once per file) and the images drawn.

Imported by the test modules as ``pdf_helpers`` (pytest puts ``tests/`` on ``sys.path``).
"""
import functools
import hashlib
import re
from pathlib import Path

from pypdf import PdfReader

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
