"""The report: Jinja2 templates -> self-contained HTML and an A4 PDF (WeasyPrint).

- :mod:`reportgen.report.render` — the template environment, number filters, embedding of
  figures/CSS into the HTML, the PDF writer and ``write_report``.
- :mod:`reportgen.report.maths` — equations (LaTeX subset -> SVG via matplotlib mathtext).

Nothing is imported here, so importing the package stays cheap; import the modules you use.
The report knows nothing about how results are computed: it gets a context of plain values.
"""
