"""Registries: the engine's choices (activations, losses, optimizers, initialisations) as
tables of self-describing entries, and the hyper-parameters those entries declare.

A registry is a dict, name -> entry, in the order the entries were registered. Everything
that lists the choices (RunSpec's validation, the command line, the gradient checks, the
report) iterates a registry, so a new entry is one ``register`` call away from being usable
everywhere. ``registered`` adds an entry for the length of a ``with`` block (for tests).
"""
import contextlib
import dataclasses
import math
import numbers


class Registry(dict):
    """name -> entry, filled by ``register``; ``kind`` names the entries in messages."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def register(self, entry):
        """Add ``entry`` under ``entry.name`` and return it; a name is registered once only."""
        if entry.name in self:
            raise ValueError(f"{self.kind}: {entry.name!r} is already registered")
        self[entry.name] = entry
        return entry

    def unregister(self, name):
        """Remove the entry ``name`` and return it."""
        return self.pop(name)

    @contextlib.contextmanager
    def registered(self, entry):
        """``with registry.registered(entry):`` the entry is registered inside the block only."""
        self.register(entry)
        try:
            yield entry
        finally:
            self.unregister(entry.name)

    def __repr__(self):
        return f"Registry({self.kind!r}: {', '.join(self)})"


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _is_real(v):
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


@dataclasses.dataclass(frozen=True)
class Range:
    """The values a number may take: above ``low`` (or at it, if ``low_inclusive``) and, if
    ``high`` is given, below it (or at it); ``integer`` asks for an integer."""

    low: float
    high: float | None = None
    low_inclusive: bool = False
    high_inclusive: bool = False
    integer: bool = False

    def check(self, field, value):
        """Raise ``ValueError("field: problem")`` unless ``value`` is in the range."""
        if not (_is_int(value) if self.integer else _is_real(value) and math.isfinite(value)):
            kind = "an integer" if self.integer else "a finite number"
            raise ValueError(f"{field}: must be {kind}, got {value!r}")
        low, high = self.low, self.high
        if value < low or (value == low and not self.low_inclusive):
            raise ValueError(f"{field}: must be {'>=' if self.low_inclusive else '>'} {low}, "
                             f"got {value!r}")
        if high is not None and (value > high or (value == high and not self.high_inclusive)):
            raise ValueError(f"{field}: must be {'<=' if self.high_inclusive else '<'} {high}, "
                             f"got {value!r}")


@dataclasses.dataclass(frozen=True)
class HyperParameter:
    """A hyper-parameter an entry takes: the RunSpec field that holds it, its default (the
    RunSpec field's), its symbol in the formulas (TeX) and the values it may take."""

    name: str
    default: float
    symbol: str
    range: Range
    description: str = ""


class WithHyperParameters:
    """For an entry whose ``parameters`` are HyperParameter declarations."""

    @property
    def hyper(self):
        """{field: default} of the hyper-parameters, e.g. {"momentum": 0.9}."""
        return {p.name: p.default for p in self.parameters}

    @property
    def symbols(self):
        """{field: TeX symbol} of the hyper-parameters, e.g. {"momentum": "\\mu"}."""
        return {p.name: p.symbol for p in self.parameters}
