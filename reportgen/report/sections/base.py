"""What a report section is: its parts, the experiments it reads, its facts, figures, tables.

A section module ends with ``SECTION = Section(...)``. The build loops over the sections in
document order (``sections.SECTIONS``): it checks that the experiments each one ``needs`` have
the shape it reads, computes every section's facts, plans the figures and tables in that order
(which gives them their numbers) and renders the section's template.
"""
import dataclasses
from typing import Callable

from ...i18n import _, pgettext


@dataclasses.dataclass(frozen=True)
class Part:
    """A subsection: ``id`` is local to its section ("learning_rate" in "discussion");
    ``title`` a message (``N_``), shown translated.
    ``reads``: the experiments whose runs it states, when the section computes its facts
    with ``part_facts``, so that it says so where the engine did not train them all."""

    id: str
    title: str
    reads: tuple = ()


@dataclasses.dataclass(frozen=True)
class Needs:
    """What a section reads from one experiment: run-spec fields that every setting must set
    (in a sweep or a variant), how many settings it needs at least, and a further check
    (``check(experiment)`` returns a problem, or None)."""

    fields: tuple = ()
    least: int = 1
    check: Callable | None = None
    #: the section copes with settings the engine in use did not support (it reads only the
    #: specs, or the experiment through parts that say so); otherwise such settings leave
    #: the whole section out, with a note (``document.Document.facts``)
    partial: bool = False


@dataclasses.dataclass
class Figure:
    """A figure to draw: ``draw()`` returns a matplotlib figure; ``inputs`` names the
    experiments whose results it draws (their digests go into its cache key)."""

    id: str
    caption: str
    draw: Callable
    inputs: tuple = ()
    width: float | None = None
    #: the modules that declare how it is drawn (set by the Document: its section's)
    modules: tuple = ()


@dataclasses.dataclass
class Table:
    """A table: header labels and rows of cells (numbers are formatted by the template)."""

    id: str
    caption: str
    columns: list
    rows: list
    align: list | None = None
    note: str | None = None


@dataclasses.dataclass(frozen=True)
class Section:
    """One section of the report.

    ``facts(inputs)`` returns what its prose states (a dataclass, written to facts.json);
    ``figures(inputs, facts)`` and ``tables(inputs, facts)`` list its figures and tables in
    the order they appear in it; ``template`` renders it.
    """

    id: str
    title: str
    template: str
    facts: Callable
    parts: tuple = ()
    needs: dict = dataclasses.field(default_factory=dict)
    figures: Callable = lambda inputs, facts: []
    tables: Callable = lambda inputs, facts: []


@dataclasses.dataclass
class Inputs:
    """What every section's facts, figures and tables are computed from.

    ``results``: ExperimentResults by name; ``sweeps``: SweepFacts by name; ``code``: the
    engine's code the report lists (``listings.EngineCode``); ``facts(id)``: another
    section's facts (computed once, on first use).
    """

    results: dict
    sweeps: dict
    gradchecks: list
    provenance: dict
    meta: dict
    quick: bool
    command: str
    results_dir: str = "output/results"   # where this build's results files are
    experiments_dir: str = "experiments"  # where its experiment files are
    code: object = None                   # listings.EngineCode
    facts: Callable = None
    engine: object = None                 # the engines.Engine the runs were trained with
    engine_checks: list = None            # its engine_check.Check rows (a foreign engine's)


@dataclasses.dataclass
class NotSupported:
    """What a part or section states in place of its facts when the engine in use did not
    train every run it needs: which settings of which experiments it did not support, and
    why (``unsupported`` is true: templates test it)."""

    engine: str
    experiments: list          # Missing, one per experiment with unsupported settings
    because_of: str | None = None   # the section whose findings it would have stated
    unsupported: bool = True


@dataclasses.dataclass
class Missing:
    """The settings of one experiment the engine did not support."""

    experiment: str
    settings: list              # their labels
    total: int                  # settings of the experiment
    reason: str                 # what the engine raised for the first of them

    @property
    def partial(self):
        """The engine trained some settings of the experiment."""
        return len(self.settings) < self.total


def not_supported(inputs, experiments):
    """A ``NotSupported`` for the settings of ``experiments`` the engine in use did not
    support, or None when it trained every run of them."""
    from ...figures.labels import translated_label

    missing = [Missing(name, [translated_label(s, res.overrides(s)) for s in res.unsupported],
                       len(res.data["settings"]),
                       next(iter(res.unsupported.values())))
               for name in experiments if (res := inputs.results[name]).unsupported]
    if not missing:
        return None
    return NotSupported(inputs.engine.name if inputs.engine else "reportgen.engine", missing)


def part_facts(inputs, part, compute):
    """``compute()``, the facts of ``part``; or, when the engine in use did not train every
    run of the experiments the part reads, a ``NotSupported`` (nothing is computed: no number
    is stated of runs that do not exist)."""
    return not_supported(inputs, part.reads) or compute()


def supported(facts):
    """Whether ``facts`` are a part's facts, not a ``NotSupported``."""
    return not isinstance(facts, NotSupported)


class LazyFigures:
    """A module of ``reportgen.figures``, imported on first attribute access: planning the
    figures imports no matplotlib, and a figure that is reused never does."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        import importlib

        return getattr(importlib.import_module(f"reportgen.figures.{self._name}"), attr)


curves, diagrams, functions, scatter = (LazyFigures(name) for name in
                                        ("curves", "diagrams", "functions", "scatter"))


def overlay_figure(id, caption, res, settings, datasets, inputs, metric="loss", labels=None,
                   **options):
    """The Figure of ``curves.overlay(res, settings, datasets, ...)``: one curve per setting.
    Its caption says, after ``caption``, which settings' mean curves lie on one another
    (``facts.coinciding``), so that a reader looks for each of them."""
    from ...figures.labels import dataset_name, translated_label
    from ..facts import COINCIDE, COINCIDE_SHARE, coinciding
    from ..filters import listing

    # as the legend shows them: a label given is a message, translated where it is drawn
    names = {s: _(label) for s, label in zip(settings, labels)} if labels else {
        s: translated_label(s, res.overrides(s)) for s in settings}
    notes = []
    for d in datasets:
        groups = coinciding(res, settings, d, metric)
        if groups:
            listed = pgettext("between clauses", "; ").join(
                listing([_quoted(names[s]) for s in g]) for g in groups)
            notes.append(_("on the {dataset} data set, {curves}").format(
                dataset=_(dataset_name(d)), curves=listed))
    if notes:
        within = (_("{points:g} percentage points").format(points=COINCIDE["accuracy"])
                  if metric == "accuracy" else f"{COINCIDE['loss'] - 1:.0%}")
        caption += _(" Curves that lie on one another, told apart by their markers (each "
                     "within {within} of another of its group at {share} of the recorded "
                     "epochs or more): {groups}.").format(
            within=within, share=f"{COINCIDE_SHARE:.0%}",
            groups=pgettext("between clauses", "; ").join(notes))
    return Figure(id, caption, lambda: curves.overlay(res, settings, datasets, metric=metric,
                                                      labels=labels, **options), inputs)


def _quoted(name):
    """A setting's name as a list in prose can hold it: in quotes when it has a comma."""
    return _("“{name}”").format(name=name) if "," in name or "，" in name else name
