r"""Turn Jinja2 templates into the report: a self-contained HTML file and an A4 PDF.

The pieces, in the order a build uses them::

    html = templates.render_html("report.html.j2", context)   # templates/ -> HTML text
    html = embed.embed(html, base_dir=out_dir)                # figures, CSS -> data URIs
    data = pdf.pdf_bytes(html, base_dir=out_dir)              # the PDF, as bytes

or all at once with :func:`write_report`, which renders everything in memory first, so a failing
template, figure or PDF leaves the previous report files untouched. This module holds the
references to figures and tables the templates' macros take.

Templates live in the top-level ``templates/`` directory. The environment is strict: a missing
variable is an error (``StrictUndefined``), and everything is HTML-escaped unless it is
``markupsafe.Markup``.

Equations (see :mod:`reportgen.report.maths`): Jinja string literals have no raw form and turn
``\f``, ``\t``, ``\n``, ``\b``... into control characters, so either double the backslashes in
the global, ``{{ equation("\\frac{1}{2}") }}`` / ``{{ equation("\\hat{y}", display=False) }}``,
or write the TeX as template text in a filter block, where backslashes are taken literally::

    {% filter equation %}\sigma(z) = \frac{1}{1 + e^{-z}}{% endfilter %}
    {% filter inline_equation %}\hat{y}{% endfilter %}

(a single-backslash literal is caught and reported as a build error).

Number filters are in :mod:`reportgen.report.filters`, the environment in
:mod:`reportgen.report.templates`, embedding in :mod:`reportgen.report.embed`, the PDF in
:mod:`reportgen.report.pdf`.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_write_bytes, atomic_write_text

__all__ = ["FigureRef", "TableRef", "Section", "alt_text", "write_report"]


@dataclass
class FigureRef:
    """A figure for the ``figure`` macro: ``src`` relative to the output dir (figures/x.svg)."""
    id: str
    src: str
    caption: str
    number: int
    width: str | float | None = None   # fraction of the text width (0.8) or a CSS length
    alt: str | None = None


_IMG_ALT = re.compile(r"""<img\b[^>]*?\balt\s*=\s*(["'])(.*?)\1[^>]*>""", re.I | re.S)


def alt_text(caption):
    """The text of ``caption`` for an ``alt`` attribute (the ``alt_text`` filter): a figure
    without an alt of its own is described by its caption, which says what it shows. Plain
    text is taken as it is; in HTML (``Markup``), an image (an inline equation) gives its own
    alt text, tags are dropped and entities decoded. White space is collapsed either way."""
    import markupsafe

    if isinstance(caption, markupsafe.Markup):
        caption = markupsafe.Markup(_IMG_ALT.sub(lambda m: m.group(2), caption)).striptags()
    return " ".join(str(caption).split())


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


def write_report(template_name, context, out_dir, html_name="report.html",
                 pdf_name="report.pdf", prefer="svg", templates_dir=None, pdf_variant=None):
    """Render, embed, and write both report files into ``out_dir``.

    Both files are produced in memory first and written only if everything succeeded, each
    atomically, so a failure anywhere leaves the previous report in place. Figures referenced
    as ``figures/...`` must already be in ``out_dir``. Returns ``{"html": path, "pdf": path}``.
    """
    from .embed import embed   # here: the context types above import no Jinja2 nor WeasyPrint
    from .pdf import pdf_bytes
    from .templates import render_html

    out_dir = Path(out_dir)
    html = render_html(template_name, context, templates_dir=templates_dir)
    html = embed(html, out_dir, prefer=prefer, templates_dir=templates_dir)
    pdf = pdf_bytes(html, out_dir, variant=pdf_variant)
    atomic_write_bytes(out_dir / pdf_name, pdf)
    atomic_write_text(out_dir / html_name, html)
    return {"html": out_dir / html_name, "pdf": out_dir / pdf_name}
