"""The report as a document: its sections in order, numbered, with their facts, figures and
tables, and what the templates see.

Numbers follow the document order: sections 1, 2, ...; their parts A, B, ...; figures and
tables in the order the sections declare them, section after section; code listings in the
order the setups section shows them (``listings.py``). Templates refer to a
section or part by id (``ref("discussion.no_activation")`` -> "Section 4.C"), never by a
number; ``check_order`` verifies on the rendered page that the numbers appear in order.
"""
import dataclasses
import math
import re
import string
from pathlib import Path

import numpy as np
from markupsafe import Markup, escape

from .. import i18n
from ..i18n import gettext
from ..layout import FIGURES
from .render import FigureRef, TableRef
from .sections import SECTIONS
from .sections.base import Inputs, not_supported, supported

#: the template of a section left out because the engine did not train runs it needs
NOT_SUPPORTED_TEMPLATE = "sections/not_supported.html.j2"
#: the template of the Conclusion (prose/conclusion.md's section)
CONCLUSION_TEMPLATE = "sections/conclusion.html.j2"
#: the section the Conclusion comes before (the last one, where there is no such section)
CONCLUSION_BEFORE = "appendix"


class DocumentError(ValueError):
    """The report's structure is inconsistent (an unknown reference, numbers out of order)."""


@dataclasses.dataclass(frozen=True)
class Heading:
    """A numbered section or part, as the ``heading`` and ``toc`` macros show it."""

    key: str        # "discussion" or "discussion.no_activation"
    msgid: str      # the title in English, as the section defines it (marked with N_)
    number: str     # "4" or "4.C"
    subsections: tuple = ()

    @property
    def title(self):
        """The title in the language being written (the ``heading`` and ``toc`` macros show
        it): titles are defined at import time, so they are translated when shown."""
        return gettext(self.msgid)

    @property
    def id(self):
        """The HTML id."""
        return self.key.replace(".", "-")

    def part(self, part_id):
        """The heading of one of this section's parts, by its id."""
        for sub in self.subsections:
            if sub.key == f"{self.key}.{part_id}":
                return sub
        raise DocumentError(f"section {self.key!r} has no part {part_id!r}; its parts: "
                            + ", ".join(s.key for s in self.subsections))


def outline(sections=SECTIONS, conclusion=False):
    """{key: Heading} of every section and part, numbered in document order; with
    ``conclusion``, the Conclusion (``prose/conclusion.md``) comes before the appendix."""
    from .prose import CONCLUSION, CONCLUSION_TITLE

    ids = [s.id for s in sections]
    if conclusion:
        ids.insert(ids.index(CONCLUSION_BEFORE) if CONCLUSION_BEFORE in ids else len(ids),
                   CONCLUSION)
    by_id = {s.id: s for s in sections}
    headings = {}
    for number, section_id in enumerate(ids, start=1):
        section = by_id.get(section_id)
        if section is None:
            headings[section_id] = Heading(section_id, CONCLUSION_TITLE, str(number))
            continue
        parts = tuple(Heading(f"{section.id}.{part.id}", part.title,
                              f"{number}.{string.ascii_uppercase[i]}")
                      for i, part in enumerate(section.parts))
        headings[section.id] = Heading(section.id, section.title, str(number), parts)
        headings.update((p.key, p) for p in parts)
    return headings


class _Unavailable(Exception):
    """A section asked for the facts of a section that the engine left out."""

    def __init__(self, section_id, facts):
        super().__init__(section_id)
        self.section_id, self.facts = section_id, facts


class Document:
    """The sections with their facts (each computed once), figures and tables.

    A section that needs runs the engine in use did not support (a foreign engine's
    ``unsupported`` runs), other than through parts or needs that cope with them
    (``Part.reads``, ``Needs.partial``), is left out: its facts are a ``NotSupported``, its
    template the note ``NOT_SUPPORTED_TEMPLATE``, and it has no figures or tables; so is a
    section that reads the facts of one left out."""

    def __init__(self, inputs: Inputs, sections=SECTIONS, prose=None, known_facts=None):
        """``known_facts``: {section id: facts} computed before from the very same inputs
        (a build of the same facts key), which are then not computed again."""
        from .prose import CONCLUSION

        self.sections = list(sections)
        self.inputs = dataclasses.replace(inputs, facts=self._dependency)
        #: {name: prose.Prose}: the student's words, at the end of each section (the
        #: Conclusion's make a section of their own)
        self.prose = dict(prose or {})
        self.conclusion = bool(self.prose.get(CONCLUSION))
        self.headings = outline(self.sections, self.conclusion)
        self._facts = known_facts if known_facts is not None else {}

    def computed_facts(self):
        """{section id: facts} of the sections asked for so far (and later: the same dict)."""
        return self._facts

    def facts(self, section_id):
        """The facts of one section (computed on first use; sections may read each other's)."""
        if section_id not in self._facts:
            section = next((s for s in self.sections if s.id == section_id), None)
            if section is None:
                raise DocumentError(f"facts({section_id!r}): no such section; known: "
                                    + ", ".join(s.id for s in self.sections))
            self._facts[section_id] = self._left_out(section) or self._computed(section)
        return self._facts[section_id]

    def _left_out(self, section):
        """A NotSupported when the engine did not train runs the section needs, else None."""
        handled = {name for part in section.parts for name in part.reads}
        return not_supported(self.inputs, [name for name, need in section.needs.items()
                                           if not need.partial and name not in handled])

    def _computed(self, section):
        try:
            return section.facts(self.inputs)
        except _Unavailable as missing:
            return dataclasses.replace(missing.facts, because_of=missing.section_id)

    def _dependency(self, section_id):
        """Another section's facts, for a section's facts; one left out leaves it out too."""
        facts = self.facts(section_id)
        if not supported(facts):
            raise _Unavailable(section_id, facts)
        return facts

    def shown(self):
        """The sections not left out, in order."""
        return [s for s in self.sections if supported(self.facts(s.id))]

    def all_facts(self):
        return {s.id: self.facts(s.id) for s in self.sections}

    def facts_data(self):
        """{section: its facts as JSON-ready data}, for facts.json: the report's audit trail."""
        return {section_id: to_data(facts) for section_id, facts in self.all_facts().items()}

    def figures(self):
        """Every planned figure (sections.base.Figure), in document order, each with the
        module of the section that declares it (its code goes into the figure's key)."""
        return [dataclasses.replace(fig, modules=(s.figures.__module__,))
                for s in self.shown() for fig in s.figures(self.inputs, self.facts(s.id))]

    def tables(self):
        """{id: TableRef}, numbered in document order."""
        specs = [t for s in self.shown() for t in s.tables(self.inputs, self.facts(s.id))]
        return {t.id: TableRef(id=f"tab-{t.id}", caption=t.caption, number=number,
                               columns=t.columns, rows=t.rows, align=t.align, note=t.note)
                for number, t in enumerate(specs, start=1)}

    def ref(self, key):
        """A link to a section or part: "Section 4.C"."""
        heading = self.headings.get(key)
        if heading is None:
            raise DocumentError(f"ref({key!r}): no such section or part; known: "
                                + ", ".join(self.headings))
        label = Markup(i18n.gettext("Section&nbsp;{number}")).format(number=heading.number)
        return Markup('<a class="ref" href="#{}">{}</a>').format(heading.id, label)

    def context(self, figure_refs):
        """Everything the templates see: the report's metadata (its abstract rendered from
        Markdown) and profile, the seeds per setting (the quick preview's banner states
        them), the headings, each section's (heading, template, facts), the figures, tables,
        ``ref`` and ``prose`` ({section id or "conclusion": its prose, empty where there is
        none})."""
        from .filters import date
        from .prose import CONCLUSION, Prose

        inputs = self.inputs
        templates = [(self.headings[s.id], s.template if supported(self.facts(s.id))
                      else NOT_SUPPORTED_TEMPLATE, self.facts(s.id)) for s in self.sections]
        if self.conclusion:
            at = next((i for i, s in enumerate(self.sections) if s.id == CONCLUSION_BEFORE),
                      len(self.sections))
            templates.insert(at, (self.headings[CONCLUSION], CONCLUSION_TEMPLATE, None))
        prose = {name: Prose(name, None, "") for name in [*self.headings, CONCLUSION]}
        prose.update(self.prose)
        meta = dict(inputs.meta)
        meta["date"] = date(meta["date"])   # as the report's language writes it
        where = f"{inputs.experiments_dir}/report.toml: report.abstract"   # named by errors
        meta["abstract"] = Prose("abstract", Path(where), meta.get("abstract", ""))
        return dict(
            meta=meta, quick=inputs.quick, seeds=len(inputs.results["main"].data["seeds"]),
            sections=[heading for heading, _, _ in templates],
            templates=templates, figs=figure_refs, tables=self.tables(), ref=self.ref,
            prose=prose,
        )


def figure_refs(planned):
    """{id: FigureRef} of the planned figures, numbered in their order."""
    return {fig.id: FigureRef(id=f"fig-{fig.id}", src=f"{FIGURES}/{fig.id}.svg",
                              caption=fig.caption, number=number, width=fig.width)
            for number, fig in enumerate(planned, start=1)}


#: the labels of numbered things, as the macros write them (messages: "Figure %(n)s:")
LABELS = {"Figure": "Figure %(n)s:", "Table": "Table %(n)s:", "Listing": "Listing %(n)s:"}


def check_order(html):
    """Raise DocumentError unless figures, tables and listings appear numbered 1, 2, ... in
    page order (their labels in the language being written, or in English)."""
    seen = {}
    for kind, message in LABELS.items():
        found = []
        for said in dict.fromkeys((message, i18n.gettext(message))):
            label = re.escape(str(escape(said))).replace(re.escape("%(n)s"), r"(\d+)")
            found += [(m.start(), int(m.group(1)))
                      for m in re.finditer(f'<span class="label">{label}</span>', html)]
        seen[kind] = [number for _, number in sorted(found)]
    for kind, numbers in seen.items():
        if numbers != list(range(1, len(numbers) + 1)):
            raise DocumentError(f"{kind.lower()}s appear in the order {numbers}: the sections' "
                                f"declared order and their templates disagree")


def to_data(value):
    """Facts as JSON-ready data: dataclasses and objects with ``to_data`` as dicts, tuples as
    lists, non-finite floats as None."""
    if hasattr(value, "to_data"):
        return to_data(value.to_data())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {_key(k): to_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_data(v) for v in value]
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(escape(value)) if isinstance(value, Markup) else repr(value)


def _key(key):
    return key if isinstance(key, str) else " / ".join(map(str, key)) \
        if isinstance(key, tuple) else str(key)
