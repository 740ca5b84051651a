"""Overrides from the command line: ``--set KEY=VALUE[,VALUE...]``, the grammar of Hydra's and
DVC's ``-S``, applied to the experiment files without editing them.

- ``KEY`` is a run-spec field (``lr``, ``epochs``, ``sizes``, ``optimizer``...) or ``seeds``.
- Each ``VALUE`` is read as a TOML value (``0.5``, ``2000``, ``true``, ``"tanh"``,
  ``[2, 8, 8, 1]``); a bare word that is not one (``tanh``, ``adam``) is a string. Commas
  inside brackets, braces or quotes do not split values.
- **One value** sets the field: in the base, and wherever the file sets it (a swept field is
  then swept over that one value, and a variant that sets it takes it), so every setting
  runs with it. ``seeds`` takes one value.
- **Several values** sweep the field over them: they replace the file's own sweep of it, or
  add a sweep crossed with the file's settings.

A value wrong whatever the experiment is refused as the options are read; an overridden
experiment is then validated like its file (the file as it is first, so that its own
mistakes are named as always), and a problem the override causes is an ``OverrideError``
naming the override: ``--set lr=abc: lr: must be a finite number, got
'abc'``. Results made with overrides go to a folder of their own, ``overrides/<name>/``
inside the output folder (``folder``), so they never mix with the report's.
"""
import copy
import dataclasses
import hashlib
import json
import re
import tomllib
from pathlib import Path

from ..engine import RunSpec
from ..engine.spec import FIELDS
from .config import MAX_SEEDS, ConfigError, _normalise, _read_toml, validate

#: the keys ``--set`` takes: every run-spec field but the seed, and the number of seeds
KEYS = tuple(f for f in FIELDS if f != "seed") + ("seeds",)
#: where results made with overrides go, inside the output folder
FOLDER = "overrides"
_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_.+-]*")
_SAFE_NAME = re.compile(r"[A-Za-z0-9._,=+-]{1,80}")


class OverrideError(ConfigError):
    """A ``--set`` that cannot be applied; the message starts with the override(s)."""

    def __init__(self, overrides, problem):
        self.overrides, self.problem = tuple(overrides), problem
        self.path = self.field = None
        Exception.__init__(self, f"{' '.join(f'--set {o.text}' for o in overrides)}: {problem}")


@dataclasses.dataclass(frozen=True)
class Override:
    text: str           # as given: "lr=0.5,5"
    key: str
    values: tuple       # the values, parsed and normalised (ints of float fields as floats)

    @property
    def sweep(self):
        return len(self.values) > 1

    @property
    def canonical(self):
        """``key=value[,value]`` with the values as TOML writes them (``lr=0.5,5.0``)."""
        return f"{self.key}={','.join(_toml(v) for v in self.values)}"


def parse(texts):
    """The overrides of the ``--set`` options ``texts``; raises OverrideError."""
    overrides, seen = [], {}
    for text in texts:
        override = _parse(text)
        if override.key in seen:
            raise OverrideError([seen[override.key], override],
                                f"{override.key} is set twice")
        seen[override.key] = override
        overrides.append(override)
    return tuple(overrides)


def _parse(text):
    key, equals, rest = text.partition("=")
    key = key.strip()
    if not equals or not key:
        raise OverrideError([Override(text, key, ())], "expected KEY=VALUE[,VALUE...]")
    bad = Override(text, key, ())
    if key not in KEYS:
        hint = " (the seeds are set by 'seeds', their number)" if key == "seed" else ""
        raise OverrideError([bad], f"{key!r} is not a run-spec field{hint}; allowed: "
                                   f"{', '.join(KEYS)}")
    items = _split(rest)
    if any(not item.strip() for item in items):
        raise OverrideError([bad], "a value is missing (empty between '=' and ',', or "
                                   "between two commas)")
    values = tuple(_normalise(key, _value(item.strip(), bad)) for item in items)
    override = Override(text, key, values)
    if key == "seeds":
        if override.sweep:
            raise OverrideError([override], "seeds takes one value, the number of seeds")
        seeds = values[0]
        if not isinstance(seeds, int) or isinstance(seeds, bool) or not 1 <= seeds <= MAX_SEEDS:
            raise OverrideError([override], f"seeds: must be an integer from 1 to {MAX_SEEDS}, "
                                            f"got {seeds!r}")
    elif len(set(map(_toml, values))) != len(values):
        raise OverrideError([override], "lists a value twice")
    elif key not in _CROSS_CHECKED:
        problem = _own_problem(override)
        if problem:
            raise OverrideError([override], problem)
    return override


#: fields whose values are valid or not with other fields (conv layers and the lift with the
#: input), checked only in the experiments they are applied to
_CROSS_CHECKED = {"conv", "lift"}


def _own_problem(override):
    """The problem of a value wrong whatever the experiment (``lr: must be ...``): one the
    run spec refuses in that very field, every other field at its default; or None."""
    for value in override.values:
        try:
            RunSpec(**{override.key: value})
        except (ValueError, TypeError) as error:
            if re.split(r"[.\[:]", str(error), maxsplit=1)[0] == override.key:
                return str(error)
    return None


def _split(text):
    """``text`` split at the commas outside brackets, braces and quotes."""
    items, depth, quote, start = [], 0, None, 0
    for i, char in enumerate(text):
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return items


def _value(item, override):
    try:
        return tomllib.loads(f"v = {item}")["v"]
    except tomllib.TOMLDecodeError:
        if _BARE.fullmatch(item):
            return item
        raise OverrideError([override], f"{item!r} is not a TOML value (a number, true or "
                                        f"false, a \"string\" or a [list])") from None


def _toml(value):
    """A value as TOML writes it, for names: 0.5, 5.0, true, "tanh" (bare), [2, 8, 1]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)
    return json.dumps(value, separators=(",", ":"))


# --- applying them -----------------------------------------------------------------------

def applied(data, overrides):
    """A copy of an experiment file's data (as TOML reads it) with ``overrides`` applied."""
    data = copy.deepcopy(data)
    for override in overrides:
        if override.key == "seeds":
            data["seeds"] = override.values[0]
            continue
        sweep = data.get("sweep") if isinstance(data.get("sweep"), dict) else None
        variants = data.get("variant") if isinstance(data.get("variant"), list) else []
        if override.sweep:
            if sweep is None:
                sweep = data["sweep"] = {}
            sweep[override.key] = list(override.values)
            continue
        value = override.values[0]
        if isinstance(data.get("base"), dict) or "base" not in data:
            data.setdefault("base", {})[override.key] = value
        if sweep is not None and override.key in sweep:
            sweep[override.key] = [value]
        for variant in variants:
            if isinstance(variant, dict) and override.key in variant:
                variant[override.key] = value
    return data


def apply(experiment, overrides):
    """``experiment`` (an ``Experiment``, validated) with ``overrides``: validated again
    from its file's data; a problem is an OverrideError naming the override that causes it
    (each is tried alone first), or all of them when only together they fail."""
    if not overrides:
        return experiment
    data = _read_toml(experiment.path)
    for override in overrides:
        try:
            validate(experiment.path, applied(data, [override]))
        except ConfigError as error:
            raise OverrideError([override], _problem(override, error)) from None
    try:
        return validate(experiment.path, applied(data, overrides))
    except ConfigError as error:
        raise OverrideError(overrides, str(error)) from None


def _problem(override, error):
    """What is wrong with ``override`` in an experiment: the value's own problem when it has
    one (``lr: must be ...``), else the file's error."""
    return (override.key != "seeds" and _own_problem(override)) or str(error)


def wrap(overrides, error):
    """``error`` (a ConfigError or a build's input error) raised with ``overrides`` applied,
    as an OverrideError naming them (nothing to wrap without overrides)."""
    if not overrides or isinstance(error, OverrideError):
        return error
    return OverrideError(overrides, str(error))


def name(overrides):
    """The folder name of a set of overrides, the same whatever their order: their canonical
    texts, sorted, joined by ``+`` (``epochs=2000+lr=0.5,5.0``), or ``sha-`` and a hash of
    them where that would be long or hold characters a shell minds."""
    text = "+".join(sorted(o.canonical for o in overrides))
    if _SAFE_NAME.fullmatch(text):
        return text
    return "sha-" + hashlib.sha256(text.encode()).hexdigest()[:16]


def folder(out, overrides):
    """The output folder of results made with ``overrides``: ``<out>/overrides/<name>``
    (``out`` itself without overrides). It is an output folder like ``out``, with its own
    profiles (``quick/``), results, figures, report and caches."""
    if not overrides:
        return Path(out)
    return Path(out) / FOLDER / name(overrides)


#: the file of an overrides folder that says what its overrides are
RECORD = "overrides.json"


def record(target, overrides):
    """Write ``overrides.json`` in their folder ``target`` (``folder(out, overrides)``): the
    overrides, as used and as given, so that the folder says what made it."""
    from ..atomic import atomic_write_text

    atomic_write_text(Path(target) / RECORD, json.dumps(
        {"set": sorted(o.canonical for o in overrides), "given": [o.text for o in overrides]},
        indent=1) + "\n")
