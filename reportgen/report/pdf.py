"""The report's PDF: WeasyPrint, loading nothing but data: URIs and files inside the templates
and the output folder, and failing rather than leaving a hole."""
import base64
import gc
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..atomic import atomic_write_bytes
from .embed import embed
from . import parts
from .paginate import fill_pages
from .templates import TEMPLATES_DIR


class FetchRefused(ValueError):
    """The PDF renderer asked for a URL outside the templates / output dirs, or not data:."""


class PdfError(RuntimeError):
    """WeasyPrint could not load some resources; the PDF would have been incomplete."""


def _check_url(url, allowed):
    """Raise :class:`FetchRefused` unless ``url`` is data: or a file inside ``allowed``."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return None
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in allowed):
            raise FetchRefused(f"refusing to load {url}: outside the templates and output "
                               f"directories")
        if not path.is_file():
            raise FetchRefused(f"cannot load {url}: no such file")
        return path
    raise FetchRefused(f"refusing to load {url[:80]}: only data: URIs and local files inside "
                       f"the templates and output directories are allowed")


#: The base URL a page is laid out under, whatever folder its files are in (the fetcher maps it
#: to that folder): WeasyPrint names each image of the PDF after its URL, so the real folder
#: would make the PDF's bytes depend on where the output folder is.
PAGE_BASE_URL = "file:///reportgen-output/"


def make_url_fetcher(*roots, failures=None, base_dir=None):
    """A WeasyPrint url_fetcher that serves only data: URIs and files inside ``roots``
    (default: the templates directory).

    Anything else (http(s), ftp, file:// outside the roots, a missing file) raises
    :class:`FetchRefused`. WeasyPrint catches fetcher errors and leaves the resource out, so
    every failure is also appended to ``failures`` (a list) when one is given;
    :func:`pdf_bytes` turns that into an error. With ``base_dir``, URLs under
    :data:`PAGE_BASE_URL` are files of that folder (which must be one of the roots). The result
    is called as ``fetcher(url)``.
    """
    from weasyprint.urls import URLFetcher

    allowed = [Path(r).resolve() for r in (roots or (TEMPLATES_DIR,))]
    base_uri = Path(base_dir).resolve().as_uri() + "/" if base_dir is not None else None

    def record(exc):
        if failures is not None:
            failures.append(str(exc))

    class ProjectOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            try:
                if base_uri and url.startswith(PAGE_BASE_URL):
                    url = base_uri + url[len(PAGE_BASE_URL):]
                _check_url(url, allowed)
                return super().fetch(url, headers)
            except Exception as exc:
                record(exc)
                raise

    # No proxies, no network handlers needed: everything else is refused before opening.
    return ProjectOnlyFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


#: The PDF variants a build can write (WeasyPrint's names): PDF/UA-1, the accessible PDF (tagged
#: structure, document language, alternative text for every image), and PDF/A-3a, the archival
#: PDF that is tagged the same way ("a": accessible) and carries an sRGB output intent.
VARIANTS = ("pdf/ua-1", "pdf/a-3a")
DEFAULT_VARIANT = "pdf/ua-1"


class _Errors(logging.Handler):
    """Collects the messages WeasyPrint logs as errors (it logs, and goes on, where a tagged
    PDF lacks what its variant needs: an image's alt text, the document's language)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def pdf_bytes(html, base_dir, strict=True, variant=None, counts_path=None, between=None):
    """The PDF (A4, from style.css's ``@page``) for ``html`` as bytes, laid out a chapter at a
    time (:mod:`reportgen.report.parts`; ``counts_path`` and ``between`` are its), a figure
    or table that would leave a hole in a page moved after the text that follows it
    (:mod:`reportgen.report.paginate`).

    Relative URLs resolve against ``base_dir``. Only data: URIs and files inside the templates
    directory or ``base_dir`` are loaded. With ``strict`` (the default) any resource that could
    not be loaded raises :class:`PdfError` instead of giving a PDF with holes.

    ``variant`` (one of :data:`VARIANTS`; None: a plain untagged PDF) makes a tagged PDF of
    that standard; with ``strict``, whatever WeasyPrint reports missing for it (an ``<img>``
    without alt text, a page without ``lang``) raises :class:`PdfError` too. The bytes depend
    on the page and the files it loads, not on where they are: WeasyPrint writes no dates
    unless the page gives them, names images after their URLs (relative to
    :data:`PAGE_BASE_URL`), and the file identifier of PDF/A is a hash of the content.
    """
    import weasyprint

    if variant is not None and variant not in VARIANTS:
        raise ValueError(f"PDF variant must be one of {', '.join(VARIANTS)}, not {variant!r}")
    failures = []
    base_dir = Path(base_dir).resolve()
    fetcher = make_url_fetcher(TEMPLATES_DIR, base_dir, failures=failures, base_dir=base_dir)
    options = {"pdf_variant": variant} if variant else {}

    def render(part):
        return fill_pages(weasyprint.HTML(string=part, base_url=PAGE_BASE_URL,
                                          url_fetcher=fetcher), options)

    errors = _Errors()
    weasyprint.LOGGER.addHandler(errors)
    collecting = gc.isenabled()
    # WeasyPrint makes millions of objects; Python's collections of them, and of the chapters'
    # layouts a watch keeps, were a fifth of the PDF's CPU time. The garbage is collected
    # after the PDF, as Python's thresholds ask.
    gc.disable()
    try:
        documents = parts.lay_out(html, render, counts_path, between)
        data = documents[0].copy([page for d in documents for page in d.pages]).write_pdf(
            **options)
    finally:
        if collecting:
            gc.enable()
        weasyprint.LOGGER.removeHandler(errors)
    if strict and failures:
        raise PdfError("PDF not written; resources could not be loaded: " + "; ".join(
            dict.fromkeys(failures)))
    if strict and variant and errors.messages:
        raise PdfError(f"PDF not written; the page lacks what {variant.upper()} needs: "
                       + "; ".join(dict.fromkeys(errors.messages)))
    return data


#: A page with a bit of everything the report uses (its stylesheet and fonts, hyphenation,
#: a table, an SVG image like the equations), for :func:`warm_up`. The narrow paragraph makes
#: a word break: WeasyPrint loads the hyphenation patterns (0.2 s) only when it hyphenates.
_WARM_UP_PAGE = """<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="style.css">
</head><body><h2 id="w">Warm-up</h2><p>Justified and hyphenated <em>text</em>, <strong>bold
</strong>, <code>code</code> and <img class="eq eq-inline" alt="x" src="{svg}"></p>
<p style="width: 3em">hyphenation</p>
<table class="data"><caption>Table</caption><tr><th>a</th><td class="num">1.0</td></tr>
</table></body></html>"""
_WARM_UP_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="2pt" height="2pt">'
                '<path d="M0 0L2 2Q0 2 0 0Z"/></svg>')


#: the templates folders (and PDF variants) this process, or the process it was forked from,
#: warmed up with
_WARMED = set()


def warm_up(templates_dir=None, variant=None):
    """Pay now what WeasyPrint pays for its first document in a process (importing it, loading
    fonts, hyphenation patterns and its own stylesheets): about 1 s of CPU, spent on a one-page
    PDF with the report's stylesheet (tagged like the report's, ``variant``). A build does this
    in its PDF process while it renders the HTML, so that the report's PDF starts without that
    cost. Done once per process: a process forked from one that warmed up (``reportgen
    watch``'s PDF processes) starts warm, and returns at once."""
    templates = Path(templates_dir or TEMPLATES_DIR)
    if (templates, variant) in _WARMED:
        return
    svg = "data:image/svg+xml;base64," + base64.b64encode(_WARM_UP_SVG.encode()).decode()
    page = _WARM_UP_PAGE.format(svg=svg)
    pdf_bytes(embed(page, templates, templates_dir=templates), templates, variant=variant)
    _WARMED.add((templates, variant))


def write_pdf(html, base_dir, out_path, strict=True, variant=None):
    """Render ``html`` to ``out_path`` as a PDF, atomically (see :func:`pdf_bytes`)."""
    atomic_write_bytes(out_path, pdf_bytes(html, base_dir, strict=strict, variant=variant))
    return Path(out_path)
