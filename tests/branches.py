"""Render one section template against hand-built facts, recording which way each of its
``{% if %}`` tests went.

Each ``tests/test_section_<id>.py`` defines ``CASES``: {case name: facts} for its section,
built by hand so that together they take every branch of its template both ways, and
tests what each case says. ``tests/test_template_branches.py`` renders every case of
every section and fails when some ``{% if %}`` (or ``{% elif %}``) of a section template was
never true, or never false.

The probe: every ``if``/``elif`` test of a template under ``sections/`` (and of the page
around them), and every inline ``a if test else b``, is wrapped, in the parsed template, in
a call that records its truth value and returns it unchanged.
"""
import functools
import re

import jinja2
from jinja2 import nodes

from reportgen.report.document import Document, outline
from reportgen.report.render import FigureRef, TableRef
from reportgen.report.templates import environment
from reportgen.report.sections import SECTIONS

#: every probe: (template, line, n-th if of the template), registered when it is parsed
PROBES = set()
#: probe -> the truth values its test has had
SEEN = {}
PROBE = "_branch_probe"
#: the page around the sections (its own branches are probed too)
PAGE = "report.html.j2"


def _record(key, value):
    SEEN.setdefault(key, set()).add(bool(value))
    return value


class ProbedEnvironment(jinja2.Environment):
    """The report's environment, with every if-test of the section templates probed."""

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        if name and (name.startswith("sections/") or name == PAGE):
            tests = list(tree.find_all(nodes.If)) + list(tree.find_all(nodes.CondExpr))
            for index, node in enumerate(tests):
                key = (name, node.lineno, index)
                PROBES.add(key)
                node.test = nodes.Call(nodes.Name(PROBE, "load"),
                                       [nodes.Const(key), node.test], [], None, None)
        return tree


@functools.lru_cache(maxsize=1)
def probed_environment():
    base = environment()
    env = ProbedEnvironment(loader=base.loader, autoescape=True,
                            undefined=jinja2.StrictUndefined, trim_blocks=False,
                            lstrip_blocks=True, keep_trailing_newline=True,
                            extensions=["jinja2.ext.i18n"])
    env.policies.update(base.policies)
    env.newstyle_gettext = base.newstyle_gettext
    env.globals.update(base.globals)    # the report's gettext callables among them
    env.globals[PROBE] = _record
    env.filters.update(base.filters)
    return env


class AnyRefs:
    """``figs.x`` / ``tables.x`` for a section rendered alone: a numbered stand-in for any id."""

    def __init__(self, kind):
        self.kind = kind

    def __getitem__(self, key):
        if self.kind == "fig":
            return FigureRef(id=f"fig-{key}", src=f"figures/{key}.svg", caption=f"<{key}>",
                             number=1)
        return TableRef(id=f"tab-{key}", caption=f"<{key}>", number=1, columns=["c"], rows=[])

    __getattr__ = __getitem__


def section(section_id):
    return next(s for s in SECTIONS if s.id == section_id)


def render(section_id, facts, **context):
    """The HTML of one section's template for ``facts`` (other context: ``context``)."""
    sec = section(section_id)
    headings = outline()
    document = Document.__new__(Document)
    document.headings = headings
    env = probed_environment()
    page = env.from_string('{% import "_macros.j2" as m %}{% include template %}')
    return page.render(template=sec.template, section=headings[section_id], s=facts,
                       figs=AnyRefs("fig"), tables=AnyRefs("tab"),
                       ref=functools.partial(Document.ref, document), **context)


def text(html):
    """The words of ``html``, tags dropped and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").split())


def words(page):
    """The words of a rendered page as a reader sees them: entities decoded, no space left
    where a tag (a link, bold) met punctuation."""
    import html

    said = html.unescape(text(page))
    return re.sub(r"\(\s+", "(", re.sub(r"\s+([).,;:])", r"\1", said))


def render_page(quick, seeds=2):
    """The page around the sections (title page, banner, contents), with no section in it."""
    env = probed_environment()
    meta = dict(title="A title", author="An author", student_id="1", course="A course",
                date="2026-12-01")
    return env.get_template(PAGE).render(meta=meta, quick=quick, seeds=seeds,
                                         sections=list(outline().values())[:1], templates=[])


def untaken(section_ids=(), templates=()):
    """The probes of these sections' templates (and ``templates``) not yet seen both true
    and false."""
    templates = {section(i).template for i in section_ids} | set(templates)
    for template in templates:
        probed_environment().get_template(template)   # parsed, so its probes are known
    return sorted(f"{name}:{line} (if #{index}): seen {sorted(SEEN.get((name, line, index), ()))}"
                  for name, line, index in PROBES
                  if name in templates and SEEN.get((name, line, index)) != {True, False})


#: what stays as it is in every language: names of functions, optimizers, data sets, losses
#: and formats, and the units of the page (code, maths and numbers are dropped before)
KEPT_WORDS = {"sigmoid", "ReLU", "tanh", "SGD", "Momentum", "Adam", "XOR", "MSE", "BCE",
              "PDF", "HTML", "NumPy", "reportgen", "TOML", "Markdown", "CPU", "ID"}


def english_left(page):
    """The runs of three or more English words left in a rendered ``page`` (a list; empty in
    a page wholly translated): code, maths and images are dropped first, and the words of
    :data:`KEPT_WORDS` do not count."""
    import html

    page = re.sub(r"(?s)<(code|pre|svg|math|script|style)\b.*?</\1>", " ", page)
    said = html.unescape(text(page))
    runs, run = [], []
    for token in re.findall(r"[A-Za-z][A-Za-z'’-]*|\S", said):
        if re.fullmatch(r"[A-Za-z][A-Za-z'’-]*", token) and token not in KEPT_WORDS \
                and len(token) > 1:
            run.append(token)
            continue
        if token in ",;:()-–" and run:
            continue
        if len(run) >= 3:
            runs.append(" ".join(run))
        run = []
    if len(run) >= 3:
        runs.append(" ".join(run))
    return runs
