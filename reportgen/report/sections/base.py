"""What a report section is: its parts, the experiments it reads, its facts, figures, tables.

A section module ends with ``SECTION = Section(...)``. The build loops over the sections in
document order (``sections.SECTIONS``): it checks that the experiments each one ``needs`` have
the shape it reads, computes every section's facts, plans the figures and tables in that order
(which gives them their numbers) and renders the section's template.
"""
import dataclasses
from typing import Callable


@dataclasses.dataclass(frozen=True)
class Part:
    """A subsection: ``id`` is local to its section ("learning_rate" in "discussion")."""

    id: str
    title: str


@dataclasses.dataclass(frozen=True)
class Needs:
    """What a section reads from one experiment: run-spec fields that every setting must set
    (in a sweep or a variant), how many settings it needs at least, and a further check
    (``check(experiment)`` returns a problem, or None)."""

    fields: tuple = ()
    least: int = 1
    check: Callable | None = None


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
