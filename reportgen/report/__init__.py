"""The report: measured facts and results -> Jinja2 templates -> self-contained HTML and A4 PDF.

- :mod:`reportgen.report.build` — the ``reportgen build`` pipeline, stage by stage.
- :mod:`reportgen.report.facts` — facts the prose branches on, derived from results.
- :mod:`reportgen.report.context` — the template context: facts, numbered tables and figures.
- :mod:`reportgen.report.figure_plan` — the report's figures in order, drawn with a cache.
- :mod:`reportgen.report.render` — the template environment, number filters, embedding of
  figures/CSS into the HTML, the PDF writer.
- :mod:`reportgen.report.maths` — equations (LaTeX subset -> SVG via matplotlib mathtext).

Nothing is imported here, so importing the package stays cheap; import the modules you use.
The report trains nothing: it reads results (``reportgen.results``) and asks their runs for
predictions.
"""
