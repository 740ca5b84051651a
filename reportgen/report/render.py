r"""Turn Jinja2 templates into the report: a self-contained HTML file and an A4 PDF.

The pieces, in the order a build uses them::

    html = render_html("report.html.j2", context)     # templates/ -> HTML text
    html = embed(html, base_dir=out_dir)              # figures, CSS -> data URIs / <style>
    write_pdf(html, base_dir=out_dir, out_path=out_dir / "report.pdf")
    atomic_write_text(out_dir / "report.html", html)

or all at once with :func:`write_report`, which renders everything in memory first, so a failing
template, figure or PDF leaves the previous report files untouched.

Templates live in the top-level ``templates/`` directory. The environment is strict: a missing
variable is an error (``StrictUndefined``), and everything is HTML-escaped unless it is
``markupsafe.Markup``.

Equations (see :mod:`reportgen.report.maths`): Jinja string literals have no raw form and turn
``\f``, ``\t``, ``\n``, ``\b``... into control characters, so either double the backslashes in
the global, ``{{ equation("\\frac{1}{2}") }}`` / ``{{ equation("\\hat{y}", display=False) }}``,
or write the TeX as template text in a filter block, where backslashes are taken literally::

    {% filter equation %}\sigma(z) = \frac{1}{1 + e^{-z}}{% endfilter %}
    {% filter inline_equation %}\hat{y}{% endfilter %}

(a single-backslash literal is caught and reported as a build error). Number filters
(all defined in this module, all tested never to print "nan", "inf" or "None"):

=========================  ==============================================================
``x|pct``                  0.9523 -> "95.2%" (``pct(digits=1)``)
``m|pm(s)``                mean ± std of fractions: (0.952, 0.031) -> "95.2 ± 3.1%";
                           ``style="num"`` -> "0.952 ± 0.031", ``style="sci"`` ->
                           "(3.2 ± 0.4)×10⁻⁴"; ``m`` may also be a (mean, std) pair or an
                           object/dict with ``mean`` and ``std``
``x|sci``                  3.2e-4 -> "3.2×10⁻⁴" (``sci(digits=2)`` significant digits)
``x|num``                  plain decimal with ``digits=3`` significant digits for
                           1e-3 <= |x| < 1e4 ("0.952", "12.3", "5000"), else like ``sci``;
                           integers as they are
=========================  ==============================================================

Non-finite and missing values: NaN, ±inf and None all render as "—" (an em dash: "no number"),
never as "nan"/"None". Every filter takes ``nonfinite=`` to say something else, e.g.
``{{ loss|sci(nonfinite="diverged") }}``. In ``pm`` a missing or non-finite std (one seed) is
left out: "95.2%". Negative numbers use the typographic minus sign "−" (U+2212).
"""
import base64
import functools
import math
import mimetypes
import numbers
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2

import reportgen

from ..atomic import atomic_write_bytes, atomic_write_text
from .maths import equation, equation_block, inline_equation_block

__all__ = [
    "TEMPLATES_DIR", "PROJECT_ROOT", "EmbedError", "FetchRefused", "PdfError",
    "environment", "render_html", "embed", "make_url_fetcher", "write_pdf", "write_report",
    "pct", "pm", "sci", "num", "FigureRef", "TableRef", "Section",
]

#: The project's root directory (the one holding ``reportgen/`` and ``templates/``).
PROJECT_ROOT = Path(reportgen.__file__).resolve().parent.parent
#: Where the report's templates and style.css live.
TEMPLATES_DIR = PROJECT_ROOT / "templates"

DASH = "—"
MINUS = "−"
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class EmbedError(ValueError):
    """A resource of the HTML could not be embedded (missing, outside the allowed dirs...)."""


class FetchRefused(ValueError):
    """The PDF renderer asked for a URL outside the project / output dir, or not data:."""


class PdfError(RuntimeError):
    """WeasyPrint could not load some resources; the PDF would have been incomplete."""


# --- context objects (plain dicts with the same keys work as well) ---------------------------

@dataclass
class FigureRef:
    """A figure for the ``figure`` macro: ``src`` relative to the output dir (figures/x.svg)."""
    id: str
    src: str
    caption: str
    number: int
    width: str | float | None = None   # fraction of the text width (0.8) or a CSS length
    alt: str | None = None


@dataclass
class TableRef:
    """A table for the ``table`` macro. ``align``: one of "l", "r", "c" per column."""
    id: str
    caption: str
    number: int
    columns: list
    rows: list
    align: list | None = None
    note: str | None = None


@dataclass
class Section:
    """A section for ``toc`` and ``heading``; ``number`` like "1", "2.3" or "A"."""
    id: str
    title: str
    number: str | int | None = None
    subsections: list = field(default_factory=list)


# --- number filters -------------------------------------------------------------------------

def _finite(x):
    """``x`` as a float, or None if it is missing, not a number, NaN or infinite."""
    if x is None:
        return None
    if isinstance(x, (str, bytes, bool)):
        raise TypeError(f"expected a number, got {type(x).__name__} {x!r}")
    value = float(x)   # a jinja2 Undefined raises here: a missing variable stays an error
    return value if math.isfinite(value) else None


def _minus(text):
    text = text.replace("-", MINUS)
    # Never print a negative zero ("−0.0").
    if text.startswith(MINUS) and not re.search(r"[1-9]", text):
        text = text[1:]
    return text


def _split_sci(value, digits):
    """(mantissa string, exponent) with ``digits`` significant digits, 1 <= |mantissa| < 10."""
    mantissa, exponent = f"{value:.{max(digits, 1) - 1}e}".split("e")
    return mantissa, int(exponent)


def _power(exponent):
    return f"10{str(exponent).translate(_SUPERSCRIPTS)}"


def pct(x, digits=1, nonfinite=DASH):
    """A fraction as a percentage: 0.9523 -> "95.2%"."""
    value = _finite(x)
    if value is None:
        return nonfinite
    return _minus(f"{100 * value:.{digits}f}%")


def sci(x, digits=2, nonfinite=DASH):
    """Scientific notation in Unicode: 3.2e-4 -> "3.2×10⁻⁴" (``digits`` significant digits)."""
    value = _finite(x)
    if value is None:
        return nonfinite
    if value == 0:
        return "0"
    mantissa, exponent = _split_sci(value, digits)
    if exponent == 0:
        return _minus(mantissa)
    if mantissa in ("1", "-1"):   # a power of ten itself, as with sci(1e-6, digits=1): "10⁻⁶"
        return _minus(mantissa[:-1] + _power(exponent))
    return _minus(mantissa) + "×" + _power(exponent)


def num(x, digits=3, nonfinite=DASH):
    """A number for the text or a table: integers as they are, floats with ``digits``
    significant digits in plain decimals when 1e-3 <= |x| < 1e4, else as :func:`sci`."""
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        return _minus(str(int(x)))
    value = _finite(x)
    if value is None:
        return nonfinite
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-3 <= magnitude < 1e4:
        decimals = max(digits - 1 - math.floor(math.log10(magnitude)), 0)
        return _minus(f"{value:.{decimals}f}")
    return sci(value, digits=digits, nonfinite=nonfinite)


def _unpack(mean, std):
    if std is None:
        if isinstance(mean, dict) and "mean" in mean:
            return mean["mean"], mean.get("std")
        if hasattr(mean, "mean") and hasattr(mean, "std") and not callable(mean.mean):
            return mean.mean, mean.std
        if isinstance(mean, (tuple, list)) and len(mean) == 2:
            return mean[0], mean[1]
    return mean, std


def pm(mean, std=None, digits=1, style="pct", nonfinite=DASH):
    """Mean ± standard deviation.

    ``style="pct"`` (fractions shown as percent): "95.2 ± 3.1%"; ``"num"``: "0.952 ± 0.031"
    (``digits`` decimals); ``"sci"``: "(3.2 ± 0.4)×10⁻⁴" (``digits`` decimals of the mantissa,
    the std written with the mean's exponent). A non-finite/missing mean gives ``nonfinite``;
    a non-finite/missing std is left out.
    """
    mean, std = _unpack(mean, std)
    m, s = _finite(mean), _finite(std)
    if m is None:
        return nonfinite
    if style == "pct":
        text = _minus(f"{100 * m:.{digits}f}")
        if s is not None:
            text += f" ± {100 * abs(s):.{digits}f}"
        return text + "%"
    if style == "num":
        text = _minus(f"{m:.{digits}f}")
        if s is not None:
            text += f" ± {abs(s):.{digits}f}"
        return text
    if style == "sci":
        exponent = 0 if m == 0 else _split_sci(m, digits + 1)[1]
        scale = 10.0 ** exponent
        text = _minus(f"{m / scale:.{digits}f}")
        if s is not None:
            text = f"({text} ± {abs(s) / scale:.{digits}f})"
        return text + ("×" + _power(exponent) if exponent else "")
    raise ValueError(f"pm: style must be 'pct', 'num' or 'sci', not {style!r}")


def plain(x):
    """A configuration value as it was written: 0.01 -> "0.01", 1.0 -> "1", 30 -> "30";
    a missing or non-finite value is "—" like everywhere else."""
    if x is None:
        return DASH
    if isinstance(x, bool) or not isinstance(x, numbers.Number):
        return str(x)
    value = _finite(x)
    return DASH if value is None else _minus(f"{value:g}")


def _cell(value):
    """How a raw table cell is shown: numbers through :func:`num`, None as a dash."""
    if value is None:
        return DASH
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return num(value)
    return value


# --- the environment ------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def environment(templates_dir=None):
    """The report's Jinja2 environment (cached per templates directory)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir or TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,  # keep the newline after a block tag: it separates sentences
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["equation"] = equation
    env.filters.update(pct=pct, pm=pm, sci=sci, num=num, plain=plain, cell=_cell, equation=equation_block,
                       inline_equation=inline_equation_block)
    return env


def render_html(template_name, context, templates_dir=None):
    """Render ``templates/<template_name>`` with ``context`` (a mapping) to HTML text.

    Raises jinja2 errors (``UndefinedError`` for a missing variable, ``TemplateNotFound``...)
    and :class:`~reportgen.report.maths.EquationError` for an equation mathtext cannot render.
    """
    return environment(templates_dir).get_template(template_name).render(**dict(context))


# --- making the HTML self-contained ---------------------------------------------------------

_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_LINK_CSS = re.compile(r"""<link\b[^>]*\brel\s*=\s*["']?stylesheet["']?[^>]*>""", re.I)
_HREF = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.I | re.S)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"@import\b", re.I)
_RESOURCE_ATTR = re.compile(
    r"""<(?:img|script|link|iframe|embed|object|source|video|audio|input)\b[^>]*?"""
    r"""\b(?:src|href|data|srcset|poster)\s*=\s*(["'])(.*?)\1""", re.I | re.S)


def _is_inline(url):
    return url.startswith("data:") or url.startswith("#")


def _resolve_local(url, roots, what):
    """The file a relative URL names, which must lie inside one of ``roots``."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("/"):
        raise EmbedError(f"{what}: {url!r} is not a relative path; only files in the output or "
                         f"templates directory can be embedded")
    relative = unquote(parts.path)
    for root in roots:
        root = Path(root).resolve()
        path = (root / relative).resolve()
        if not path.is_relative_to(root):
            raise EmbedError(f"{what}: {url!r} points outside {root.name}/")
        if path.is_file():
            return path
    raise EmbedError(f"{what}: {url!r} not found in " + " or ".join(
        f"{Path(r).name}/" for r in roots))


def _data_uri(path):
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix.lower() == ".svg":
        mime = "image/svg+xml"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _inline_css(css, css_path, roots):
    if _CSS_IMPORT.search(css):
        raise EmbedError(f"{css_path.name}: @import is not supported; put the rules in one file")

    def url(match):
        target = match.group(2).strip()
        if _is_inline(target) or not target:
            return match.group(0)
        path = _resolve_local(target, [css_path.parent, *roots], f"url() in {css_path.name}")
        return f'url("{_data_uri(path)}")'

    return _CSS_URL.sub(url, css)


def embed(html, base_dir, prefer="svg", templates_dir=None, link_images=False):
    """Make ``html`` self-contained, so it opens offline and the PDF needs no files.

    - ``<img src="figures/x.svg">`` (relative to ``base_dir``, the output directory) becomes a
      data URI. With ``prefer="png"`` a sibling ``x.png`` is used instead of ``x.svg`` when it
      exists (SVG is the default: sharp at any zoom, and WeasyPrint draws it as vectors).
      With ``link_images`` the image keeps a relative URL (to the file chosen, checked like
      the others) instead: for the PDF, whose renderer reads ``base_dir`` anyway and would
      otherwise parse megabytes of base64 out of the page (about 0.3 s for the report).
    - ``<link rel="stylesheet" href="style.css">`` becomes ``<style>...</style>``; the file is
      looked up in ``base_dir`` then the templates directory; its ``url()``s become data URIs.
    - Anything left that would load a resource (src/href on img, script, link, ...) and is not
      a data URI raises :class:`EmbedError`, as does a missing file or a path leaving the
      directories. Hyperlinks (``<a href>``) are not resources and are left alone.
    """
    roots = [Path(base_dir), Path(templates_dir or TEMPLATES_DIR)]
    linked = set()

    def img(match):
        prefix, quote, src = match.groups()
        src = src.strip()
        if _is_inline(src):
            return match.group(0)
        if prefer == "png" and src.lower().endswith(".svg"):
            try:
                path = _resolve_local(src[:-4] + ".png", roots[:1], "image")
                src = src[:-4] + ".png"
            except EmbedError:
                path = _resolve_local(src, roots[:1], "image")
        else:
            path = _resolve_local(src, roots[:1], "image")
        if link_images:
            linked.add(src)
            return f"{prefix}{quote}{src}{quote}"
        return f"{prefix}{quote}{_data_uri(path)}{quote}"

    def link(match):
        tag = match.group(0)
        href = _HREF.search(tag)
        if href is None:
            raise EmbedError(f"stylesheet link without href: {tag}")
        target = href.group(2).strip()
        if target.startswith("data:"):
            return tag
        path = _resolve_local(target, roots, "stylesheet")
        css = _inline_css(path.read_text(encoding="utf-8"), path, roots)
        css = css.replace("</", "<\\/")   # a "</style>" inside the CSS must not end the tag
        return f"<style>\n{css}\n</style>"

    html = _IMG_SRC.sub(img, html)
    html = _LINK_CSS.sub(link, html)
    leftovers = [m.group(2) for m in _RESOURCE_ATTR.finditer(html)
                 if not _is_inline(m.group(2).strip()) and m.group(2).strip() not in linked]
    for style in re.findall(r"<style\b[^>]*>(.*?)</style>", html, re.I | re.S):
        leftovers += [m.group(2) for m in _CSS_URL.finditer(style)
                      if m.group(2).strip() and not _is_inline(m.group(2).strip())]
        if _CSS_IMPORT.search(style):
            leftovers.append("@import")
    if leftovers:
        raise EmbedError("external references left in the HTML: " + ", ".join(
            sorted(set(leftovers))[:10]))
    return html


# --- PDF ------------------------------------------------------------------------------------

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


def warm_up(templates_dir=None):
    """Pay now what WeasyPrint pays for its first document in a process (importing it, loading
    fonts, hyphenation patterns and its own stylesheets): about 1 s of CPU, spent on a one-page
    PDF with the report's stylesheet. A build does this in its PDF process while it renders
    the HTML, so that the report's PDF starts without that cost."""
    templates = Path(templates_dir or TEMPLATES_DIR)
    svg = "data:image/svg+xml;base64," + base64.b64encode(_WARM_UP_SVG.encode()).decode()
    page = _WARM_UP_PAGE.format(svg=svg)
    pdf_bytes(embed(page, templates, templates_dir=templates), templates)


def write_pdf(html, base_dir, out_path, strict=True):
    """Render ``html`` to ``out_path`` as a PDF, atomically (see :func:`pdf_bytes`)."""
    atomic_write_bytes(out_path, pdf_bytes(html, base_dir, strict=strict))
    return Path(out_path)


def write_report(template_name, context, out_dir, html_name="report.html",
                 pdf_name="report.pdf", prefer="svg", templates_dir=None):
    """Render, embed, and write both report files into ``out_dir``.

    Both files are produced in memory first and written only if everything succeeded, each
    atomically, so a failure anywhere leaves the previous report in place. Figures referenced
    as ``figures/...`` must already be in ``out_dir``. Returns ``{"html": path, "pdf": path}``.
    """
    out_dir = Path(out_dir)
    html = render_html(template_name, context, templates_dir=templates_dir)
    html = embed(html, out_dir, prefer=prefer, templates_dir=templates_dir)
    pdf = pdf_bytes(html, out_dir)
    atomic_write_bytes(out_dir / pdf_name, pdf)
    atomic_write_text(out_dir / html_name, html)
    return {"html": out_dir / html_name, "pdf": out_dir / pdf_name}
