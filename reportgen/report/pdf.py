"""The report's PDF: WeasyPrint, loading nothing but data: URIs and files inside the project
and the output folder, and failing rather than leaving a hole."""
import base64
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..atomic import atomic_write_bytes
from .embed import embed
from .templates import PROJECT_ROOT, TEMPLATES_DIR


class FetchRefused(ValueError):
    """The PDF renderer asked for a URL outside the project / output dir, or not data:."""


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
            raise FetchRefused(f"refusing to load {url}: outside the project and output "
                               f"directories")
        if not path.is_file():
            raise FetchRefused(f"cannot load {url}: no such file")
        return path
    raise FetchRefused(f"refusing to load {url[:80]}: only data: URIs and local files inside "
                       f"the project are allowed")


def make_url_fetcher(*roots, failures=None):
    """A WeasyPrint url_fetcher that serves only data: URIs and files inside ``roots``
    (default: the project directory).

    Anything else (http(s), ftp, file:// outside the roots, a missing file) raises
    :class:`FetchRefused`. WeasyPrint catches fetcher errors and leaves the resource out, so
    every failure is also appended to ``failures`` (a list) when one is given;
    :func:`pdf_bytes` turns that into an error. The result is called as ``fetcher(url)``.
    """
    allowed = [Path(r).resolve() for r in (roots or (PROJECT_ROOT,))]

    def record(exc):
        if failures is not None:
            failures.append(str(exc))

    try:
        from weasyprint.urls import URLFetcher
    except ImportError:                  # WeasyPrint < 68: url_fetcher is a plain function
        from weasyprint import default_url_fetcher

        def fetcher(url, *args, **kwargs):
            try:
                _check_url(url, allowed)
                return default_url_fetcher(url, *args, **kwargs)
            except Exception as exc:
                record(exc)
                raise

        return fetcher

    class ProjectOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            try:
                _check_url(url, allowed)
                return super().fetch(url, headers)
            except Exception as exc:
                record(exc)
                raise

    # No proxies, no network handlers needed: everything else is refused before opening.
    return ProjectOnlyFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def pdf_bytes(html, base_dir, strict=True):
    """The PDF (A4, from style.css's ``@page``) for ``html`` as bytes.

    Relative URLs resolve against ``base_dir``. Only data: URIs and files inside the project or
    ``base_dir`` are loaded. With ``strict`` (the default) any resource that could not be
    loaded raises :class:`PdfError` instead of giving a PDF with holes.
    """
    import weasyprint

    failures = []
    base_dir = Path(base_dir).resolve()
    fetcher = make_url_fetcher(PROJECT_ROOT, base_dir, failures=failures)
    document = weasyprint.HTML(string=html, base_url=base_dir.as_uri() + "/",
                               url_fetcher=fetcher)
    data = document.write_pdf()
    if strict and failures:
        raise PdfError("PDF not written; resources could not be loaded: " + "; ".join(
            dict.fromkeys(failures)))
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


#: the templates folders this process (or the process it was forked from) warmed up with
_WARMED = set()


def warm_up(templates_dir=None):
    """Pay now what WeasyPrint pays for its first document in a process (importing it, loading
    fonts, hyphenation patterns and its own stylesheets): about 1 s of CPU, spent on a one-page
    PDF with the report's stylesheet. A build does this in its PDF process while it renders
    the HTML, so that the report's PDF starts without that cost. Done once per process: a
    process forked from one that warmed up (``reportgen watch``'s PDF processes) starts warm,
    and returns at once."""
    templates = Path(templates_dir or TEMPLATES_DIR)
    if templates in _WARMED:
        return
    svg = "data:image/svg+xml;base64," + base64.b64encode(_WARM_UP_SVG.encode()).decode()
    page = _WARM_UP_PAGE.format(svg=svg)
    pdf_bytes(embed(page, templates, templates_dir=templates), templates)
    _WARMED.add(templates)


def write_pdf(html, base_dir, out_path, strict=True):
    """Render ``html`` to ``out_path`` as a PDF, atomically (see :func:`pdf_bytes`)."""
    atomic_write_bytes(out_path, pdf_bytes(html, base_dir, strict=strict))
    return Path(out_path)
