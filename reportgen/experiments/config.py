"""Experiment files: ``experiments/<name>.toml``, one experiment each, validated up front.

An experiment is a base run spec, optional named variants and a sweep grid, a list of data
sets and a number of seeds. Its *settings* are the variants crossed with the sweep grid;
every setting runs on every data set with every seed. See ``experiments/README.md``.

``report.toml`` in the same folder is not an experiment: it holds the report's metadata.
Every problem is a ``ConfigError`` naming the file and the field.
"""
import dataclasses
import datetime
import itertools
import re
import tomllib
from pathlib import Path

from .. import i18n
from ..engine import RunSpec
from ..engine.datasets import DATASETS
from ..engine.spec import FIELDS

#: the one file of the experiments folder that is not an experiment
REPORT_FILE = "report.toml"
DEFAULT_SEEDS = 5
QUICK_SEEDS = 2
QUICK_EPOCHS = 300
MAX_SEEDS = 1000

EXPERIMENT_KEYS = {
    "description": "one sentence: what the experiment shows",
    "section": "the report section it feeds",
    "datasets": "data sets to run on",
    "seeds": "number of seeds (runs per setting and data set)",
    "base": "run spec shared by every setting",
    "variant": "named settings: [[variant]] tables with a label and run-spec fields",
    "sweep": "grid: run-spec field = [values]",
    "quick": "overrides for --quick (epochs)",
}
#: [report]'s keys (the title page, the PDF's metadata, the templates), and what each is
REPORT_KEYS = {
    "title": "The report's title.",
    "subtitle": "A line under the title.",
    "authors": 'The authors, in order: [{name = "...", student_id = "..."}, ...] (a name each; '
               'the student ID is optional).',
    "author": "Your name (one author; or give authors).",
    "student_id": "Your student ID (with author).",
    "course": "The course.",
    "instructor": "The course's instructor.",
    "date": "The report's date; empty: the build's (SOURCE_DATE_EPOCH's day, else today).",
    "abstract": "A paragraph or two under the title (Markdown, with $maths$).",
    "subject": "The PDF's subject (its metadata).",
    "keywords": "The PDF's keywords: a list of strings.",
    "lang": 'The language the report is written in: "en" (English, the default) or "zh-TW" '
            "(Traditional Chinese).",
    "language": 'The language tag of the PDF and the page (BCP 47: "en", "en-GB", "de"); '
                "default: lang's.",
    "templates": "A folder of your templates: a file there replaces the built-in template of "
                 "the same name (relative to the folder that holds the experiments folder).",
}
#: the keys of one of [report]'s authors
AUTHOR_KEYS = {"name": "The author's name.", "student_id": "The author's student ID."}
#: a language tag (BCP 47, as HTML's lang takes it)
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
#: report.toml's tables
REPORT_TABLES = {"report": "the title page", "listings": "the engine's code the report shows",
                 "engine": "the engine the report trains with"}
#: the listings every report shows (report.toml's [listings]), in this order, and what each
#: shows; a table's other keys come after them, in the file's order
LISTING_KEYS = {"sigmoid": "the sigmoid and its derivative", "forward": "the forward pass",
                "backward": "the backward pass", "update": "the update of a parameter"}
#: a listing's key, and its value: a qualified name in the engine module, or "module:qualname"
LISTING_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
LISTING_NAME = re.compile(r"^(?:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:)?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
ENGINE_KEYS = {
    "module": "the engine's import path, e.g. \"mylab.network\"",
    "path": "the engine's file (.py), absolute or relative to the folder that holds the "
            "experiments folder",
    "timeout": "seconds one run may take before reportgen stops the engine",
}
#: seconds one run of a foreign engine may take, unless [engine] timeout says otherwise
DEFAULT_ENGINE_TIMEOUT = 60.0
#: the longest time limit on one run that [engine] timeout may set, in seconds
MAX_TIMEOUT = 24 * 3600
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_FLOAT_FIELDS = {f.name for f in dataclasses.fields(RunSpec) if f.type is float}


class ConfigError(Exception):
    """A problem in a configuration file: ``<file>: <field>: <problem>``."""

    def __init__(self, path, field, problem):
        self.path, self.field, self.problem = path, field, problem
        where = f"{field}: " if field else ""
        super().__init__(f"{_display(path)}: {where}{problem}")


@dataclasses.dataclass(frozen=True)
class Setting:
    """One point of an experiment: a label and the run-spec fields it sets over the base."""

    label: str
    overrides: dict


@dataclasses.dataclass(frozen=True)
class Experiment:
    name: str
    path: Path
    description: str
    section: str
    datasets: tuple
    seeds: int
    base: dict
    settings: tuple
    quick_epochs: int
    swept: tuple = ()

    def spec(self, setting, seed, quick=False):
        """The RunSpec of ``setting`` with ``seed`` (epochs capped under --quick)."""
        fields = {**self.base, **setting.overrides, "seed": seed}
        if quick:
            fields["epochs"] = min(fields.get("epochs", RunSpec.epochs), self.quick_epochs)
        return RunSpec(**fields)

    def seed_list(self, quick=False):
        return list(range(min(self.seeds, QUICK_SEEDS) if quick else self.seeds))



def _display(path):
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_all(directory):
    """Every experiment of ``directory`` (sorted by name), all validated before returning."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError(directory, None, "experiments folder not found")
    files = sorted(p for p in directory.glob("*.toml") if p.name != REPORT_FILE)
    if not files:
        raise ConfigError(directory, None, "no experiment files (*.toml) in this folder")
    seen = {}
    for path in files:
        key = path.stem.lower()
        if key in seen:
            raise ConfigError(path, None, f"duplicate experiment name: {path.stem!r} and "
                                          f"{seen[key].stem!r} differ only in case")
        seen[key] = path
    return [load(path) for path in files]


def load(path):
    """Parse and validate one experiment file."""
    path = Path(path)
    return validate(path, _read_toml(path))


def validate(path, data):
    """The experiment of the file ``path``, whose TOML reads as ``data`` (or as ``data``
    with overrides applied, ``overrides.py``), validated."""
    path = Path(path)
    if not _NAME.match(path.stem):
        raise ConfigError(path, None, "experiment file names may use letters, digits, _ and - only")
    _reject_unknown(path, "", data, EXPERIMENT_KEYS)
    description = _typed(path, "description", data.get("description", ""), str, "a string")
    section = _typed(path, "section", data.get("section", ""), str, "a string")
    seeds = _positive_int(path, "seeds", data.get("seeds", DEFAULT_SEEDS))
    if seeds > MAX_SEEDS:
        raise ConfigError(path, "seeds", f"must be <= {MAX_SEEDS}, got {seeds}")
    datasets = _datasets(path, data.get("datasets", list(DATASETS)))
    base = _spec_fields(path, "base", _typed(path, "base", data.get("base", {}), dict, "a table"))
    _check_spec(path, "base", base)
    settings, swept = _settings(path, data, base)
    quick = _typed(path, "quick", data.get("quick", {}), dict, "a table")
    _reject_unknown(path, "quick.", quick, {"epochs": ""})
    quick_epochs = _positive_int(path, "quick.epochs", quick.get("epochs", QUICK_EPOCHS))
    return Experiment(name=path.stem, path=path, description=description, section=section,
                      datasets=tuple(datasets), seeds=seeds, base=base, settings=tuple(settings),
                      quick_epochs=quick_epochs, swept=tuple(swept))


def load_report_metadata(directory):
    """The ``[report]`` table of ``report.toml`` (title page, PDF metadata, templates), with
    defaults for what it leaves out.

    ``authors`` is a list of ``{"name", "student_id"}`` (from ``authors``, or from the single
    ``author`` and ``student_id`` keys); ``author`` and ``student_id`` are also given as one
    string each (the names, the IDs, joined with ", "); ``keywords`` is a list of strings;
    ``templates`` the folder's path as given ("" when none)."""
    metadata = {"title": "Lab 1: Backpropagation", "subtitle": "", "authors": [], "author": "",
                "student_id": "", "course": "", "instructor": "", "date": "", "abstract": "",
                "subject": "", "keywords": [], "lang": "en", "language": "en", "templates": ""}
    path = Path(directory) / REPORT_FILE
    if not path.exists():
        return metadata
    data = _read_toml(path)
    _reject_unknown(path, "", data, REPORT_TABLES)
    _listings(path, data)
    table = _typed(path, "report", data.get("report", {}), dict, "a table")
    _reject_unknown(path, "report.", table, REPORT_KEYS)
    for key, value in table.items():
        if key == "authors":
            metadata["authors"] = _authors(path, value)
        elif key == "keywords":
            metadata["keywords"] = _keywords(path, value)
        else:
            if key == "date" and isinstance(value, datetime.date):
                value = value.isoformat()
            metadata[key] = _typed(path, f"report.{key}", value, str,
                                   "a string" + (" or a TOML date" if key == "date" else ""))
    if "authors" in table and ("author" in table or "student_id" in table):
        raise ConfigError(path, "report.authors", "give authors, or author and student_id, "
                                                  "not both")
    if "title" in table and not table["title"].strip():
        raise ConfigError(path, "report.title", "the report needs a title")
    try:
        i18n.check(metadata["lang"], "report.lang")
    except i18n.LanguageError as error:
        raise ConfigError(path, "report.lang", str(error).split(": ", 1)[1]) from None
    if "language" not in table:
        metadata["language"] = metadata["lang"]
    if not LANGUAGE_TAG.match(metadata["language"]):
        raise ConfigError(path, "report.language", f'must be a language tag such as "en" or '
                                                   f'"en-GB", got {metadata["language"]!r}')
    if "templates" in table and not metadata["templates"].strip():
        raise ConfigError(path, "report.templates", "must name a folder, got ''")
    if "authors" not in table and (metadata["author"] or metadata["student_id"]):
        if not metadata["author"].strip():
            raise ConfigError(path, "report.author", "a student ID needs the author's name")
        metadata["authors"] = [{"name": metadata["author"], "student_id": metadata["student_id"]}]
    metadata["author"] = ", ".join(a["name"] for a in metadata["authors"])
    metadata["student_id"] = ", ".join(a["student_id"] for a in metadata["authors"]
                                       if a["student_id"])
    return metadata


def _authors(path, value):
    _typed(path, "report.authors", value, list,
           'a list of tables, [{name = "...", student_id = "..."}, ...]')
    authors = []
    for i, author in enumerate(value):
        field = f"report.authors[{i}]"
        _typed(path, field, author, dict, 'a table, {name = "...", student_id = "..."}')
        _reject_unknown(path, f"{field}.", author, AUTHOR_KEYS)
        for key in AUTHOR_KEYS:
            _typed(path, f"{field}.{key}", author.get(key, ""), str, "a string")
        if not author.get("name", "").strip():
            raise ConfigError(path, f"{field}.name", "an author needs a name")
        authors.append({"name": author["name"], "student_id": author.get("student_id", "")})
    return authors


def _keywords(path, value):
    if isinstance(value, str):
        value = [value]
    _typed(path, "report.keywords", value, list, "a list of strings")
    for i, keyword in enumerate(value):
        _typed(path, f"report.keywords[{i}]", keyword, str, "a string")
        if "," in keyword:
            raise ConfigError(path, f"report.keywords[{i}]", f"one keyword per string (the "
                                                            f"PDF separates them by commas), "
                                                            f"got {keyword!r}")
    return [k for k in value if k.strip()]


def report_templates(directory, metadata=None):
    """The folder ``[report] templates`` names (a Path, relative to the folder that holds
    the experiments folder), or None; a ConfigError where it is not a folder."""
    metadata = load_report_metadata(directory) if metadata is None else metadata
    if not metadata["templates"]:
        return None
    folder = Path(directory).resolve().parent / metadata["templates"]
    if not folder.is_dir():
        raise ConfigError(Path(directory) / REPORT_FILE, "report.templates",
                          f"no folder {metadata['templates']!r} (beside the experiments "
                          f"folder: {_display(folder)})")
    return folder


def load_engine_config(directory):
    """The ``[engine]`` table of ``report.toml``: ``{"module": ...}`` or ``{"path": ...}``
    (one of them, or neither: reportgen's own engine), and ``timeout`` if given."""
    path = Path(directory) / REPORT_FILE
    if not path.exists():
        return {}
    table = _typed(path, "engine", _read_toml(path).get("engine", {}), dict, "a table")
    _reject_unknown(path, "engine.", table, ENGINE_KEYS)
    if "module" in table and "path" in table:
        raise ConfigError(path, "engine", "give module or path, not both")
    for key in ("module", "path"):
        if key in table and (not isinstance(table[key], str) or not table[key].strip()):
            raise ConfigError(path, f"engine.{key}",
                              f"must be a non-empty string, got {table[key]!r}")
    if "path" in table and not table["path"].endswith(".py"):
        raise ConfigError(path, "engine.path", f"must name a .py file, got {table['path']!r}")
    if "module" in table and table["module"].endswith(".py"):
        raise ConfigError(path, "engine.module", f"must be an import path such as "
                                                 f"\"mylab.network\"; a file goes in "
                                                 f"engine.path, got {table['module']!r}")
    if "timeout" in table:
        timeout = table["timeout"]
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) \
                or not 0 < timeout <= MAX_TIMEOUT:
            raise ConfigError(path, "engine.timeout", f"must be a number of seconds > 0 and "
                                                      f"<= {MAX_TIMEOUT}, got {timeout!r}")
    return dict(table)


def load_listings(directory):
    """The ``[listings]`` table of ``report.toml``: {key: (qualified name, ...)} in the order
    of ``listing_order``; None when there is none."""
    path = Path(directory) / REPORT_FILE
    return _listings(path, _read_toml(path)) if path.exists() else None


def listing_order(keys):
    """``keys`` in the order the report shows their listings: those of ``LISTING_KEYS`` in
    its order, then the others as they come."""
    standard = list(LISTING_KEYS)
    return sorted(keys, key=lambda k: standard.index(k) if k in standard else len(standard))


def _listings(path, data):
    if "listings" not in data:
        return None
    table = _typed(path, "listings", data["listings"], dict, "a table")
    listings = {}
    for key in listing_order(table):
        field = f"listings.{key}"
        if not LISTING_KEY.match(key):
            raise ConfigError(path, field, "a listing's key may use letters, digits, _ and - only")
        value = table[key]
        if value == []:
            raise ConfigError(path, field, "must name at least one function, method or class")
        names = value if isinstance(value, list) else [value]
        for i, name in enumerate(names):
            if not isinstance(name, str) or not LISTING_NAME.match(name):
                raise ConfigError(path, f"{field}[{i}]" if isinstance(value, list) else field,
                                  'must be a qualified name ("Network.forward") or '
                                  f'"module:qualname", or a list of them, got {name!r}')
        listings[key] = tuple(names)
    return listings


def _read_toml(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, None, f"invalid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(path, None, "invalid TOML: the file is not UTF-8 text") from None
    except OSError as error:
        raise ConfigError(path, None, f"cannot read: {error.strerror}") from None


def _reject_unknown(path, prefix, table, allowed):
    for key in table:
        if key not in allowed:
            raise ConfigError(path, f"{prefix}{key}",
                              f"unknown key; allowed: {', '.join(allowed)}")


def _typed(path, field, value, kind, described):
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(path, field, f"must be {described}, got {value!r}")
    return value


def _positive_int(path, field, value):
    _typed(path, field, value, int, "an integer")
    if value < 1:
        raise ConfigError(path, field, f"must be >= 1, got {value}")
    return value


def _datasets(path, value):
    _typed(path, "datasets", value, list, "a list of data set names")
    if not value:
        raise ConfigError(path, "datasets", "must name at least one data set")
    for i, name in enumerate(value):
        if not isinstance(name, str) or name not in DATASETS:
            raise ConfigError(path, f"datasets[{i}]",
                              f"unknown data set {name!r}; allowed: {', '.join(DATASETS)}")
    if len(set(value)) != len(value):
        raise ConfigError(path, "datasets", f"lists a data set twice: {value}")
    return value


def _spec_fields(path, prefix, table):
    """Run-spec fields of a table: known names only, integers given for floats made floats."""
    allowed = [f for f in FIELDS if f != "seed"]
    for key in table:
        if key not in allowed:
            hint = " (seeds are set by the top-level 'seeds')" if key == "seed" else ""
            raise ConfigError(path, f"{prefix}.{key}",
                              f"unknown run-spec field{hint}; allowed: {', '.join(allowed)}")
    return {key: _normalise(key, value) for key, value in table.items()}


def _normalise(key, value):
    if key in _FLOAT_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _check_spec(path, where, fields, own_field=None):
    """Build the RunSpec and turn its ValueError into a ConfigError at ``where``.

    The failing field is appended to ``where`` unless it is ``own_field`` (the field
    ``where`` already points into, as in ``sweep.lr[2]``).
    """
    try:
        return RunSpec(**fields)
    except (ValueError, TypeError) as error:
        field, _, problem = str(error).partition(": ")
        if not problem:
            raise ConfigError(path, where, str(error)) from None
        top = re.split(r"[.\[]", field, maxsplit=1)[0]
        location = where + field[len(top):] if top == own_field else f"{where}.{field}"
        raise ConfigError(path, location, problem) from None


def _settings(path, data, base):
    variants = _variants(path, data.get("variant", []), base)
    grid_fields, grid = _sweep(path, data.get("sweep", {}), base)
    settings = []
    labels = set()
    for variant_label, variant in variants:
        for point in grid:
            overrides = {**variant, **point}
            parts = [variant_label] if variant_label else []
            parts += [f"{key}={_fmt(value)}" for key, value in point.items()]
            label = ", ".join(parts) or "base"
            where = f"sweep ({label})" if point else f"variant {variant_label!r}"
            _check_spec(path, where, {**base, **overrides})
            if label in labels:
                raise ConfigError(path, "sweep" if point else "variant",
                                  f"two settings are both labelled {label!r}")
            labels.add(label)
            settings.append(Setting(label, overrides))
    return settings, grid_fields


def _variants(path, value, base):
    if not value:
        return [("", {})]
    _typed(path, "variant", value, list, "an array of tables ([[variant]])")
    variants = []
    for i, table in enumerate(value):
        where = f"variant[{i}]"
        _typed(path, where, table, dict, "a table")
        if "label" not in table:
            raise ConfigError(path, f"{where}.label", "missing: every variant needs a label")
        label = _typed(path, f"{where}.label", table["label"], str, "a string")
        fields = _spec_fields(path, where, {k: v for k, v in table.items() if k != "label"})
        _check_spec(path, where, {**base, **fields})
        variants.append((label, fields))
    return variants


def _sweep(path, table, base):
    _typed(path, "sweep", table, dict, "a table of field = [values]")
    fields = {}
    for key, values in _spec_fields(path, "sweep", table).items():
        _typed(path, f"sweep.{key}", values, list, "a list of values")
        if not values:
            raise ConfigError(path, f"sweep.{key}", "must list at least one value")
        fields[key] = [_normalise(key, value) for value in values]
        for i, value in enumerate(fields[key]):
            _check_spec(path, f"sweep.{key}[{i}]", {**base, key: value}, own_field=key)
    keys = list(fields)
    grid = [dict(zip(keys, combo)) for combo in itertools.product(*fields.values())]
    return keys, grid


def _fmt(value):
    if isinstance(value, bool):
        return "true" if value else "false"   # as TOML writes it
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "-".join(map(str, value))
    return str(value)
