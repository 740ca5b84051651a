"""The report: measured facts and results -> Jinja2 templates -> self-contained HTML and A4 PDF.

- :mod:`reportgen.report.build` — the ``reportgen build`` pipeline, stage by stage.
- :mod:`reportgen.report.sections` — one module per section: its parts, the experiments it
  reads, its facts (dataclasses), figures, tables and template.
- :mod:`reportgen.report.document` — the sections in document order: numbering, ``ref()``,
  the template context, facts.json, the page-order check.
- :mod:`reportgen.report.facts` — measurements the sections' facts are made of.
- :mod:`reportgen.report.figure_plan` — drawing the sections' figures, with a cache.
- :mod:`reportgen.report.templates` — where the templates live; the Jinja2 environment.
- :mod:`reportgen.report.filters` — the number filters of the templates.
- :mod:`reportgen.report.maths` — equations (LaTeX subset -> SVG via matplotlib mathtext).
- :mod:`reportgen.report.embed` — the self-contained HTML.
- :mod:`reportgen.report.pdf` — the PDF (WeasyPrint, local files only).
- :mod:`reportgen.report.render` — the figure and table references; ``write_report``.

Nothing is imported here, so importing the package stays cheap; import the modules you use.
The report trains nothing: it reads results (``reportgen.results``) and asks their runs for
predictions.
"""
